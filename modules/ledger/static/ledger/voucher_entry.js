// The voucher entry screen: add and remove line rows, running totals, and
// the tax lines and totals after VAT from the server's preview.
(function () {
  "use strict";
  const form = document.getElementById("ledger-voucher-entry");
  if (!form) {
    return;
  }
  const body = document.getElementById("ledger-lines");
  const taxBody = document.getElementById("ledger-tax-lines");
  const template = document.getElementById("ledger-line-template");
  const totalForms = form.querySelector("[name='lines-TOTAL_FORMS']");
  const shown = {
    debit: document.getElementById("ledger-total-debit"),
    credit: document.getElementById("ledger-total-credit"),
    difference: document.getElementById("ledger-difference"),
    error: document.getElementById("ledger-preview-error"),
  };
  const numberFormat = new Intl.NumberFormat(document.documentElement.lang || "fi", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });

  function rows() {
    return Array.from(body.querySelectorAll("tr.ledger-line"));
  }

  // Keep the formset's names (lines-0-account, ...) in row order.
  function renumber() {
    rows().forEach(function (row, index) {
      row.querySelectorAll("[name^='lines-']").forEach(function (field) {
        field.name = field.name.replace(/^lines-(\d+|__prefix__)-/, "lines-" + index + "-");
        if (field.id) {
          field.id = field.id.replace(/^id_lines-(\d+|__prefix__)-/, "id_lines-" + index + "-");
        }
      });
      row.querySelector(".ledger-line-number").textContent = index + 1;
    });
    totalForms.value = rows().length;
  }

  function addRow() {
    body.insertAdjacentHTML("beforeend", template.innerHTML);
    renumber();
    const first = body.lastElementChild.querySelector("select, input");
    if (first) {
      first.focus();
    }
  }

  // Amounts as typed ("1 240,50" or "1240.50") in cents.
  function cents(value) {
    const text = (value || "").replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
    const number = Number(text);
    return text && Number.isFinite(number) ? Math.round(number * 100) : 0;
  }

  function show(debit, credit, difference, error) {
    shown.debit.textContent = debit;
    shown.credit.textContent = credit;
    shown.difference.textContent = difference;
    shown.error.textContent = error || "";
  }

  // Totals of the amounts typed, shown at once; the preview adds the tax.
  function typedTotals() {
    let debit = 0;
    let credit = 0;
    rows().forEach(function (row) {
      debit += cents(row.querySelector("[name$='-debit']").value);
      credit += cents(row.querySelector("[name$='-credit']").value);
    });
    const format = function (value) {
      return numberFormat.format(value / 100);
    };
    show(format(debit), format(credit), format(debit - credit), shown.error.textContent);
  }

  function cell(text) {
    const td = document.createElement("td");
    td.textContent = text;
    return td;
  }

  function showTaxLines(lines) {
    taxBody.replaceChildren();
    lines.forEach(function (line) {
      const tr = document.createElement("tr");
      tr.className = "ledger-tax-line";
      tr.append(cell(""), cell(line.account), cell(line.description));
      tr.append(cell(line.debit), cell(line.credit));
      taxBody.append(tr);
    });
  }

  let timer = null;
  let asked = 0;
  async function preview() {
    const data = new FormData(form);
    data.delete("document");
    asked += 1;
    const mine = asked;
    let answer;
    try {
      const response = await fetch(form.dataset.previewUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
      });
      if (!response.ok) {
        return;
      }
      answer = await response.json();
    } catch (error) {
      return;
    }
    if (mine !== asked) {
      return;
    }
    showTaxLines(answer.tax_lines);
    show(answer.debit, answer.credit, answer.difference, answer.error);
    form.classList.toggle("ledger-balanced", answer.balanced);
  }

  function changed() {
    typedTotals();
    window.clearTimeout(timer);
    timer = window.setTimeout(preview, 300);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  body.addEventListener("click", function (event) {
    const button = event.target.closest(".ledger-remove-line");
    if (!button) {
      return;
    }
    button.closest("tr").remove();
    if (rows().length === 0) {
      addRow();
    }
    renumber();
    changed();
  });
  // Enter on a line adds a line instead of posting the half-typed voucher.
  body.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.tagName !== "BUTTON") {
      event.preventDefault();
      addRow();
    }
  });
  document.getElementById("ledger-add-line").addEventListener("click", addRow);

  renumber();
  typedTotals();
  preview();
})();
