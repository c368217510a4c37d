"""Store many new model rows with PostgreSQL's COPY instead of INSERTs.

A bank file of ten thousand payments makes ten thousand transaction rows
and nearly as many allocations; `bulk_create` spends most of its time
building INSERT statements in Python. `copy_instances` takes the same
unsaved instances, gives them ids from the table's sequence in one query
and streams their values with COPY, so the caller keeps working with the
instances (ids set) afterwards.
"""

from __future__ import annotations

from django.db import connection, models


def copy_instances(instances: list) -> None:
    """Insert unsaved instances of one model by COPY and set their ids.

    Field defaults, `auto_now_add` and foreign keys to instances saved
    earlier in the same call chain are resolved as `bulk_create` does;
    signals are not sent (as with `bulk_create`). Database triggers and
    constraints apply as for any insert.
    """
    if not instances:
        return
    model = type(instances[0])
    meta = model._meta
    fields = list(meta.concrete_fields)
    # psycopg adapts plain values (text, numbers, dates) itself; only fields
    # that compute their value (auto_now_add) or need a wrapper (JSON) go
    # through Django's preparation, which is costly per row.
    prepared = [
        getattr(field, "auto_now", False)
        or getattr(field, "auto_now_add", False)
        or isinstance(field, models.JSONField)
        for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
            "FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(instances)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        statement = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) "
        with cursor.cursor.copy(statement + "FROM STDIN") as copy:
            for instance, pk in zip(instances, ids, strict=True):
                instance._prepare_related_fields_for_save(operation_name="copy")
                instance.pk = pk
                copy.write_row(
                    [
                        field.get_db_prep_save(
                            field.pre_save(instance, add=True), connection
                        )
                        if prepare
                        else getattr(instance, field.attname)
                        for field, prepare in zip(fields, prepared, strict=True)
                    ]
                )
    for instance in instances:
        instance._state.adding = False
        instance._state.db = connection.alias
