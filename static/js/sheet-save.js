// The score sheet saved in place: the changed cells are posted with fetch, and the server's
// JSON answer (scoring/views/sheet_json.py) updates those cells, their units' subtotals and
// totals, and the versions the next save sends. Reloading a sheet of 25 × 500 inputs took
// seconds; this takes what the server takes. Anything unexpected (no JSON, a network
// error) falls back to the classic post and reload, which sheet.js also uses for saves that
// change other units' points (criteria compared within the cluster) or carry files.
(function () {
  "use strict";

  const form = document.querySelector("[data-sheet][data-save-inplace]");
  if (!form || !window.fetch || !window.SheetCells) return;
  const cells = window.SheetCells;
  const status = document.querySelector("[data-save-status]");
  const button = form.querySelector("[data-save]");
  let saving = false;

  // Says how the save went where the server's messages show, for everyone: the alert is
  // announced by screen readers (role="alert"), as the flash messages after a reload are.
  function announce(message, kind) {
    document.querySelectorAll("main > .alert").forEach((old) => old.remove());
    const alert = document.createElement("div");
    alert.className = `alert alert-${kind}`;
    alert.setAttribute("role", "alert");
    alert.textContent = message;
    status.replaceChildren(alert);
  }

  function inputsOf(td) {
    return {
      input: td.querySelector("input.cell-input"),
      version: td.querySelector('input[name^="ver-"]'),
      reason: td.querySelector("input.reason"),
    };
  }

  // One saved cell: the stored value, points, reason and version become the cell's own, so
  // that it is no longer changed and the next save sends the new version. What was typed
  // into it while the save was on its way is kept, and stays to be saved.
  function applySaved(td, saved, sent) {
    const { input, version, reason } = inputsOf(td);
    const typedMeanwhile = input.value !== sent.value;
    input.defaultValue = saved.value;
    if (!typedMeanwhile) input.value = saved.value;
    delete input.dataset.original;
    if (saved.points === "") delete input.dataset.saved;
    else input.dataset.saved = saved.points;
    version.value = version.defaultValue = String(saved.version);
    const note = cells.reasonInput(td, input, saved.note !== "") || reason;
    if (note) {
      const noteTypedMeanwhile = sent.reason !== null && note.value !== sent.reason;
      note.defaultValue = saved.note;
      if (!noteTypedMeanwhile) note.value = saved.note;
      delete note.dataset.original;
    }
    td.classList.remove("has-problem");
    cells.refreshCell(input);
  }

  function applyTotals(answer) {
    for (const [key, text] of Object.entries(answer.subtotals)) {
      const cell = form.querySelector(`[data-sub="${key}"]`);
      if (cell) cells.showFigure(cell, text);
    }
    for (const column of answer.units) {
      cells.forgetUnit(column.unit);
      for (const [key, text] of Object.entries(column.totals)) {
        const cell = form.querySelector(`[data-total="${key}"][data-unit="${column.unit}"]`);
        if (!cell) continue;
        cells.showFigure(cell, text);
        if (key === "percent") cell.dataset.maximum = column.maximum;
      }
      const count = form.querySelector(`thead [data-count="${column.unit}"]`);
      if (count) count.textContent = column.count;
      // Cells changed while the save was on its way count in the totals as they show.
      const pending = Array.from(cells.dirtyCells).find((td) => td.dataset.unit === String(column.unit));
      if (pending) cells.showUnitTotals(column.unit, pending);
    }
  }

  function applyRefused(answer, byKey) {
    let first = null;
    for (const problem of answer.problems) {
      const td = byKey.get(`${problem.unit}-${problem.criterion}`);
      if (!td) continue;
      const { input, version } = inputsOf(td);
      cells.problemBox(td, true).textContent = problem.message;
      input.classList.add("is-invalid");
      td.classList.add("has-problem");
      // A conflict: saving again with the version found replaces the other person's value,
      // as the message says (the same as the form post's answer).
      if (problem.version !== null) version.value = String(problem.version);
      first = first || input;
    }
    if (first) first.scrollIntoView({ block: "center", inline: "nearest" });
  }

  async function post(changed) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector('input[name="csrfmiddlewaretoken"]').value);
    body.append("cells", cells.changedCellsJson(changed));
    const response = await fetch(form.action, {
      method: "POST",
      body,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!(response.headers.get("Content-Type") || "").startsWith("application/json")) {
      throw new Error(`unexpected answer ${response.status}`);
    }
    return response.json();
  }

  async function save(changed) {
    if (saving) return; // one save at a time: the next one needs this one's versions
    saving = true;
    if (button) button.disabled = true;
    form.setAttribute("aria-busy", "true");
    const sent = new Map(
      changed.map((td) => {
        const { input, reason } = inputsOf(td);
        return [td, { value: input.value, reason: reason ? reason.value : null }];
      })
    );
    const byKey = new Map(changed.map((td) => [inputsOf(td).input.name.slice(2), td]));
    let answer;
    try {
      answer = await post(changed);
    } catch (error) {
      // Whatever went wrong, the classic post says it in the server's words (and nothing
      // was lost: the server refuses a stale version).
      cells.postAndReload(cells.changedCells());
      return;
    } finally {
      saving = false;
      if (button) button.disabled = false;
      form.removeAttribute("aria-busy");
    }
    if (answer.saved && answer.reload) {
      cells.leaving();
      window.location.assign(window.location.href); // the message waits for this page
      return;
    }
    if (answer.saved) {
      for (const saved of answer.cells) {
        const td = byKey.get(`${saved.unit}-${saved.criterion}`);
        if (td) applySaved(td, saved, sent.get(td));
      }
      applyTotals(answer);
      // A cell refused by an earlier save and since set back to its stored value was not
      // posted: nothing of it is left to correct.
      form.querySelectorAll("td.cell.has-problem").forEach((td) => {
        if (cells.isDirty(td)) return;
        td.classList.remove("has-problem");
        cells.refreshCell(td.querySelector("input.cell-input"));
      });
    } else {
      applyRefused(answer, byKey);
    }
    cells.refreshDirtyCount();
    announce(answer.message, answer.saved ? "success" : "danger");
  }

  window.SheetSave = { save };
})();
