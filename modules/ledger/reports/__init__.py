"""The books as reports: journal, general ledger, trial balance, statements.

Everything here only reads. Figures are summed in PostgreSQL (one GROUP BY
per report, the comparison period in the same scan) and the Python side
only arranges them into the statutory layouts of `layouts`. The admin
screens, the PDF, CSV and XLSX files and the GraphQL queries all call the
functions of `books` and `statements`.
"""
