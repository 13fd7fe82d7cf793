// The score sheet: live points, subtotals and totals; spreadsheet keys; only changed cells post.
// The server recomputes and validates everything; this script only shows it early.
(function () {
  "use strict";

  // Whose figures the sheet holds: the same sides as scoring.ranking.Side.
  const SIDE = Object.freeze({ SELF: "self", VERIFIED: "verified" });

  const form = document.querySelector("[data-sheet]");
  if (!form) return;

  const side = form.dataset.side; // a SIDE
  const editable = form.hasAttribute("data-editable");
  const msg = JSON.parse(document.getElementById("sheet-messages").textContent);
  // The active language's separators (vi: "," and "."), rendered by the server.
  const decimalSep = form.dataset.decimal || ",";
  const groupSep = form.dataset.group || (decimalSep === "," ? "." : ",");
  // Points are exact: BigInt hundredths ("cents"), as the server's Decimal with two places.
  const bonusCap = centsOf(form.dataset.bonusCap);
  const deductionCap = form.dataset.deductionCap ? centsOf(form.dataset.deductionCap) : null;
  // Built when first needed, so that a sheet of 25 × 500 cells is usable as soon as it is
  // drawn: the leaf rows, each row's unit cells, ancestors and section, the subtotal and
  // total cells, and each unit's running sums (unitState).
  let leafRows = null;
  let rowIndex = null;
  let subCells = null; // "unit-criterion" → the subtotal cell
  let totalCells = null; // "key-unit" → the total cell
  const unitCellsOf = new WeakMap(); // row → its unit cells (td.cell, td.na-cell), in order
  const ancestorsOf = new WeakMap(); // row → its ancestor group ids, top first
  const sectionOf = new WeakMap(); // row → the section its points count in
  const units = new Map(); // unit id → its running sums (unitState)
  const dirtyCells = new Set(); // the td.cell elements changed and not saved
  const guidance = form.querySelector("[data-guidance]");
  const dirtyCount = form.querySelector("[data-dirty-count]");
  const pointsOf = new WeakMap(); // input → its points in cents, or null (empty or refused)
  let submitting = false;

  // A plain decimal from a data attribute ("12.5", "1050", "") → cents, or null.
  function centsOf(plain) {
    if (plain === undefined || plain === null || plain === "") return null;
    const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(plain);
    if (!match) return null;
    const cents = BigInt(match[2]) * 100n + BigInt((match[3] || "").padEnd(2, "0"));
    return match[1] ? -cents : cents;
  }

  // Cents → text in the active language, without trailing zeros: 123450n → "1.234,5".
  function fmt(cents, grouping = true) {
    if (cents === null || cents === undefined) return "";
    const negative = cents < 0n;
    const abs = negative ? -cents : cents;
    let whole = (abs / 100n).toString();
    const frac = (abs % 100n).toString().padStart(2, "0").replace(/0+$/, "");
    if (grouping) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, groupSep);
    return (negative ? "-" : "") + whole + (frac ? decimalSep + frac : "");
  }

  function interpolate(template, values) {
    return template.replace(/%\((\w+)\)s/g, (_, key) => values[key] ?? "");
  }

  // Exact 3-digit groups after a first group of 1-3 digits.
  function isGrouping(parts, leadingZero) {
    if (parts.length < 2 || parts[0].length > 3 || parts.slice(1).some((p) => p.length !== 3)) {
      return false;
    }
    return leadingZero || !parts[0].startsWith("0");
  }

  // The shared number-reading rule (HELPERS.md; scoring/numbers.py on the server).
  // Returns {empty}, {error} or {negative, whole, frac} with the digits as strings.
  function readNumber(raw) {
    let text = raw.trim().replace(/[\s\u00a0\u202f]/g, "");
    if (text === "") return { empty: true };
    const refused = { error: interpolate(msg.nan, { value: raw }) };
    let negative = false;
    if (text[0] === "-" || text[0] === "\u2212") {
      negative = true;
      text = text.slice(1);
    }
    if (!/^[0-9]+([.,][0-9]+)*$/.test(text)) return refused;
    const parts = text.split(/[.,]/);
    const seps = text.replace(/[0-9]/g, "");
    if (seps === "") return { negative, whole: text, frac: "" };
    const last = parts[parts.length - 1];
    if (seps.includes(".") && seps.includes(",")) {
      const head = parts.slice(0, -1);
      if (seps[seps.length - 1] !== decimalSep || !isGrouping(head, true)) return refused;
      return { negative, whole: head.join(""), frac: last };
    }
    if (seps[0] === groupSep) {
      if (isGrouping(parts, false)) return { negative, whole: parts.join(""), frac: "" };
      if (seps.length === 1) return { negative, whole: parts[0], frac: last };
      return refused;
    }
    if (seps.length > 1) return refused;
    return { negative, whole: parts[0], frac: last };
  }

  // Round half up of a / b for non-negative BigInts.
  function divideHalfUp(a, b) {
    return (2n * a + b) / (2n * b);
  }

  // Mirrors scoring/ranking.py points_for, in cents. Returns {points, error}; null = empty.
  function computePoints(row, input) {
    const raw = input.value;
    const read = readNumber(raw);
    if (read.empty) return { points: null, error: null };
    if (read.error) return { points: null, error: read.error };
    const valueCents = BigInt(read.whole) * 100n + BigInt(read.frac.slice(0, 2).padEnd(2, "0"));
    if (read.negative && (valueCents > 0n || /[1-9]/.test(read.frac))) {
      return { points: null, error: msg.negative };
    }
    if (read.frac.length > 2) return { points: null, error: msg.decimals };
    const value = valueCents;
    if (row.dataset.rule === "cluster_relative") {
      // Every unit's points follow from every unit's result: the server computes them when
      // the sheet is saved. Until then the cell says so, and totals keep the saved points.
      return { points: centsOf(input.dataset.saved), error: null, pending: true };
    }
    const kind = row.dataset.kind;
    const max = centsOf(row.dataset.max);
    const per = centsOf(row.dataset.per);
    const overMax = () =>
      interpolate(msg.max, { value: fmt(value, false), maximum: fmt(max, false) });

    if (kind === "judged") {
      return value > max ? { points: null, error: overMax() } : { points: value, error: null };
    }
    if (kind === "pass_fail") {
      if (value !== 0n && value !== 100n) return { points: null, error: msg.passfail };
      return { points: value === 100n ? max : 0n, error: null };
    }
    if (kind === "quantitative") {
      const target = centsOf(input.dataset.target);
      if (target === null || target <= 0n) return { points: null, error: msg.notarget };
      if (row.dataset.rule === "full_at_target") {
        return { points: value >= target ? max : 0n, error: null };
      }
      const earned = divideHalfUp(max * value, target);
      return { points: earned < max ? earned : max, error: null };
    }
    // Bonus and deduction items.
    if (per === null) {
      if (max !== null && value > max) return { points: null, error: overMax() };
      return { points: value, error: null };
    }
    if (value % 100n !== 0n) return { points: null, error: msg.whole };
    const earned = (value / 100n) * per;
    return { points: max === null || earned < max ? earned : max, error: null };
  }

  // Text written only when it changes: the same text written again still lays the page out.
  function showText(el, text) {
    if (el.textContent !== text) el.textContent = text;
  }

  // A subtotal or total: written into a box of its own, made at the first change, which
  // Chromium lays out alone (app.css: .fig). Text changed in a table cell itself would lay
  // out the whole table again, 12,500 inputs at 25 × 500, at every keystroke.
  function showFigure(cell, text) {
    let box = cell.firstElementChild;
    if (!box || !box.classList.contains("fig")) {
      if (cell.textContent === text) return;
      box = document.createElement("span");
      box.className = "fig";
      cell.replaceChildren(box);
    }
    showText(box, text);
  }

  function cellOf(input) {
    return input.closest("td.cell");
  }

  // What an input held when the page was drawn: its value attribute, or, for a cell shown
  // again after a refused save, the stored value the server gives as data-original.
  function originalOf(el) {
    return el.dataset.original ?? el.defaultValue;
  }

  function isDirty(td) {
    return Array.from(td.querySelectorAll("input.cell-input, input.reason")).some(
      (el) => el.value !== originalOf(el)
    );
  }

  function rowsOfLeaves() {
    if (!leafRows) {
      leafRows = Array.from(form.querySelectorAll("tr.leaf"));
      rowIndex = new Map(leafRows.map((row, i) => [row, i]));
    }
    return leafRows;
  }

  function unitCells(row) {
    let cells = unitCellsOf.get(row);
    if (!cells) {
      cells = Array.from(row.children).filter(
        (el) => el.classList.contains("cell") || el.classList.contains("na-cell")
      );
      unitCellsOf.set(row, cells);
    }
    return cells;
  }

  function ancestors(row) {
    let ids = ancestorsOf.get(row);
    if (!ids) {
      ids = row.dataset.anc.split(" ").filter(Boolean);
      ancestorsOf.set(row, ids);
    }
    return ids;
  }

  // A leaf counts in the section of its top-level node (a group, or itself at the top).
  function section(row) {
    let name = sectionOf.get(row);
    if (!name) {
      const top = ancestors(row)[0];
      const group = top && form.querySelector(`tr[data-group="${top}"]`);
      name = (group || row).dataset.section;
      sectionOf.set(row, name);
    }
    return name;
  }

  function subtotalCell(unitId, groupId) {
    if (!subCells) {
      subCells = new Map();
      form.querySelectorAll("[data-sub]").forEach((cell) => subCells.set(cell.dataset.sub, cell));
    }
    return subCells.get(`${unitId}-${groupId}`);
  }

  function totalCell(key, unitId) {
    if (!totalCells) {
      totalCells = new Map();
      form.querySelectorAll("[data-total]").forEach((cell) =>
        totalCells.set(`${cell.dataset.total}-${cell.dataset.unit}`, cell)
      );
    }
    return totalCells.get(`${key}-${unitId}`);
  }

  // A cell's points: the server's for a saved value left as it is, computed for an edit.
  function currentPoints(row, input) {
    if (input.value === originalOf(input) && input.dataset.saved !== undefined) {
      return { points: centsOf(input.dataset.saved), error: null };
    }
    return computePoints(row, input);
  }

  // The element that shows a cell's problem, made when there is one to show.
  function problemBox(td, create) {
    let box = td.querySelector("[data-problem]");
    if (!box && create) {
      box = document.createElement("div");
      box.className = "problem";
      box.dataset.problem = "";
      box.setAttribute("role", "alert");
      td.append(box);
    }
    return box;
  }

  // The reason for a verified value that differs from the self-assessed one. The server
  // draws it where it is shown (a difference, or a note); elsewhere it is made when needed.
  function reasonInput(td, input, create) {
    let reason = td.querySelector("input.reason");
    if (!reason && create) {
      reason = document.createElement("input");
      reason.className = "reason form-control form-control-sm d-none";
      reason.name = input.name.replace(/^v-/, "n-");
      reason.placeholder = msg.reasonLabel;
      reason.setAttribute("aria-label", `${msg.reasonLabel} ${input.getAttribute("aria-label")}`);
      (td.querySelector(".cell-meta") || input).after(reason);
    }
    return reason;
  }

  function refreshCell(input) {
    const row = input.closest("tr");
    const td = cellOf(input);
    const { points, error, pending } = currentPoints(row, input);
    pointsOf.set(input, points);
    const shown = td.querySelector("[data-pts]");
    if (shown) showText(shown, pending ? "…" : fmt(points));
    let problem = error;
    const dirty = isDirty(td);
    if (side === SIDE.VERIFIED && input.dataset.selfPoints !== undefined && !pending) {
      const selfPoints = centsOf(input.dataset.selfPoints);
      const differs = points !== null && points !== selfPoints;
      td.classList.toggle("differs", differs);
      const reason = reasonInput(td, input, differs);
      if (reason) reason.classList.toggle("d-none", !differs && reason.value === "");
      if (!problem && differs && (!reason || reason.value.trim() === "") && dirty) {
        problem = interpolate(msg.reason, { self: fmt(selfPoints, false) });
      }
    }
    if (error || (problem && dirty)) {
      problemBox(td, true).textContent = problem;
      input.classList.add("is-invalid");
    } else if (!td.classList.contains("has-problem") || dirty) {
      const box = problemBox(td, false);
      if (box) box.textContent = "";
      input.classList.remove("is-invalid");
      td.classList.remove("has-problem");
    }
    td.classList.toggle("dirty", dirty);
    if (dirty) dirtyCells.add(td);
    else dirtyCells.delete(td);
  }

  // A unit's running sums, as scoring/ranking.py roll_up and unit_total: every group's sum
  // of the points below it (and how many leaves below it have points: a group with none
  // shows nothing), and each section's sum before its cap. Made once per unit by reading its
  // column's inputs (found by name: "v-<unit>-<criterion>"), the first time one of its cells
  // changes; then kept up to date from each changed cell alone (add), so a keystroke costs
  // the same on a sheet of any size.
  function unitState(unitId) {
    let state = units.get(unitId);
    if (state) return state;
    state = { sums: new Map(), counts: new Map(), section: { content: 0n, bonus: 0n, deduction: 0n } };
    for (const input of form.querySelectorAll(`td.cell > input.cell-input[name^="v-${unitId}-"]`)) {
      const row = input.parentElement.parentElement;
      const points = currentPoints(row, input).points;
      pointsOf.set(input, points);
      add(state, row, points, 1);
    }
    units.set(unitId, state);
    return state;
  }

  // Adds (sign 1) or takes away (sign −1) one leaf's points from its unit's sums.
  function add(state, row, points, sign) {
    if (points === null || points === undefined) return;
    const delta = sign > 0 ? points : -points;
    for (const id of ancestors(row)) {
      state.sums.set(id, (state.sums.get(id) || 0n) + delta);
      state.counts.set(id, (state.counts.get(id) || 0) + sign);
    }
    state.section[section(row)] += delta;
  }

  // Shows a unit's subtotals (of `groupIds`) and totals from its running sums: content = its
  // content sections' sum, bonus and deductions capped, total = content + bonus − deductions.
  function showTotals(unitId, state, groupIds) {
    for (const id of groupIds) {
      const cell = subtotalCell(unitId, id);
      if (cell) showFigure(cell, state.counts.get(id) ? fmt(state.sums.get(id)) : "");
    }
    const raw = state.section;
    const bonus = raw.bonus < bonusCap ? raw.bonus : bonusCap;
    const deductions =
      deductionCap !== null && raw.deduction > deductionCap ? deductionCap : raw.deduction;
    const totals = {
      content: raw.content,
      bonus,
      deductions,
      total: raw.content + bonus - deductions,
    };
    for (const [key, value] of Object.entries(totals)) {
      const cell = totalCell(key, unitId);
      if (cell) showFigure(cell, fmt(value));
    }
    // The total as a percentage of the unit's applicable maximum, as ranking_terms.percent_of:
    // half-up to two decimals.
    const percent = totalCell("percent", unitId);
    if (percent && percent.dataset.maximum) {
      const maximum = centsOf(percent.dataset.maximum);
      if (maximum > 0n) {
        const total = totals.total < 0n ? -totals.total : totals.total;
        const hundredths = (2n * total * 10000n + maximum) / (2n * maximum);
        showFigure(percent, fmt(totals.total < 0n ? -hundredths : hundredths));
      }
    }
  }

  // Every group of a unit, for the totals shown again after a refused save.
  function allGroupIds() {
    return Array.from(form.querySelectorAll("tr[data-group]"), (row) => row.dataset.group);
  }

  function refreshDirtyCount() {
    if (!dirtyCount) return;
    const n = dirtyCells.size;
    showText(dirtyCount, n ? interpolate(msg.unsavedCount, { count: n }) : "");
  }

  function showGuidance(input) {
    if (!guidance) return;
    const row = input.closest("tr");
    const code = row.querySelector(".c-code").childNodes[0].textContent.trim(); // not its 🕘
    const title = row.querySelector(".c-title").childNodes[0].textContent;
    const guide = row.querySelector(".guide");
    guidance.replaceChildren();
    const strong = document.createElement("strong");
    strong.textContent = `${code}. ${title}`;
    guidance.append(strong);
    if (guide) {
      const p = document.createElement("div");
      p.textContent = guide.textContent;
      guidance.append(p);
    }
    if (form.dataset.historyUrl) {
      const link = document.createElement("a");
      link.href = form.dataset.historyUrl
        .replace("{unit}", cellOf(input).dataset.unit)
        .replace("{criterion}", row.dataset.crit);
      link.textContent = `🕘 ${form.dataset.historyLabel}`;
      link.className = "ms-2";
      strong.after(link);
    }
  }

  function move(input, dRow, dCol) {
    const rows = rowsOfLeaves();
    let r = rowIndex.get(input.closest("tr"));
    if (r === undefined) return;
    let c = unitCells(rows[r]).indexOf(cellOf(input));
    if (c === -1) return;
    let td;
    // A cell that takes no score (not applicable to the unit) is stepped over.
    do {
      r += dRow;
      c += dCol;
      td = rows[r] && unitCells(rows[r])[c];
      if (!td) return;
    } while (!td.classList.contains("cell"));
    const target = td.querySelector("input.cell-input");
    target.focus();
    target.select();
  }

  form.addEventListener("input", (event) => {
    const el = event.target;
    const td = el.closest("td.cell");
    if (!td) return;
    const input = td.querySelector("input.cell-input");
    const row = td.parentElement;
    const state = unitState(td.dataset.unit);
    const before = pointsOf.get(input);
    refreshCell(input);
    const after = pointsOf.get(input);
    if (after !== before) {
      add(state, row, before, -1);
      add(state, row, after, 1);
    }
    showTotals(td.dataset.unit, state, ancestors(row));
    refreshDirtyCount();
  });

  // Keys typed into the sheet's cells go no further than the form: Bootstrap's delegated
  // keydown handlers on the document (for its dropdowns; the sheet has none) search the whole
  // document at every key, two searches of about 6 ms each at 25 × 500 (Chromium's trace).
  form.addEventListener("keydown", (event) => {
    if (event.target.matches("input.cell-input, input.reason")) event.stopPropagation();
  });

  form.addEventListener("focusin", (event) => {
    if (event.target.matches("input.cell-input")) showGuidance(event.target);
  });

  form.addEventListener("keydown", (event) => {
    const input = event.target;
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      if (editable) form.requestSubmit(); // a read-only page has nothing to save
      return;
    }
    if (!input.matches("input.cell-input")) {
      if (event.key === "Enter" && input.matches("input.reason")) {
        event.preventDefault();
        move(cellOf(input).querySelector("input.cell-input"), 1, 0);
      }
      return;
    }
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const atEnd = input.selectionStart === input.value.length;
    if (event.key === "Enter" || event.key === "ArrowDown") {
      event.preventDefault();
      const reason = cellOf(input).querySelector("input.reason:not(.d-none)");
      if (event.key === "Enter" && !event.shiftKey && reason && reason.value.trim() === "" &&
          cellOf(input).classList.contains("differs")) {
        reason.focus();
      } else {
        move(input, event.shiftKey ? -1 : 1, 0);
      }
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      move(input, -1, 0);
    } else if (event.key === "ArrowLeft" && (atStart || input.readOnly)) {
      event.preventDefault();
      move(input, 0, -1);
    } else if (event.key === "ArrowRight" && (atEnd || input.readOnly)) {
      event.preventDefault();
      move(input, 0, 1);
    } else if (event.key === "Escape") {
      input.value = originalOf(input);
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });

  // Every cell whose value or reason differs from what the page was drawn with, in the
  // page's order: one pass over the inputs (isDirty on each of 12,500 cells searched each).
  function changedCells() {
    const changed = new Set();
    for (const el of form.querySelectorAll("td.cell input.cell-input, td.cell input.reason")) {
      if (el.value !== originalOf(el)) changed.add(el.closest("td.cell"));
    }
    return Array.from(changed);
  }

  // The changed cells as one JSON field (scoring.forms.cells_from_json): a whole sheet of
  // 25 × 500 cells would be more form fields than a request may carry. Each cell is
  // [unit id, criterion id, value, version, reason or null to keep the stored one].
  function changedCellsJson(cells) {
    return JSON.stringify(
      cells.map((td) => {
        const input = td.querySelector("input.cell-input");
        const [, unitId, criterionId] = input.name.split("-");
        const version = td.querySelector('input[name^="ver-"]');
        const reason = td.querySelector("input.reason");
        return [
          Number(unitId),
          Number(criterionId),
          input.value,
          Number(version ? version.value : 0),
          reason ? reason.value : null,
        ];
      })
    );
  }

  // The classic save: the changed cells posted as a form, and the page the server answers
  // (the sheet again, with a message).
  function postAndReload(changed) {
    submitting = true;
    const post = document.createElement("form");
    post.method = "post";
    post.action = form.action;
    post.hidden = true;
    const field = document.createElement("input");
    field.type = "hidden";
    field.name = "cells";
    field.value = changedCellsJson(changed);
    post.append(form.querySelector('input[name="csrfmiddlewaretoken"]').cloneNode(), field);
    document.body.append(post);
    post.submit();
  }

  form.addEventListener("submit", (event) => {
    if (!editable) {
      event.preventDefault(); // nothing on a read-only page can be saved
      return;
    }
    // Post only the cells that changed, so a save never rewrites what it did not touch. They
    // are found from what the inputs hold now (a browser may restore values without events).
    const changed = changedCells();
    const files = Array.from(form.querySelectorAll('input[type="file"]')).some(
      (el) => el.files && el.files.length
    );
    if (files) {
      submitting = true;
      // Evidence goes with the cells as form fields (one unit: few fields).
      form.querySelectorAll("td.cell").forEach((td) => {
        if (!changed.includes(td)) td.querySelectorAll("input").forEach((el) => (el.disabled = true));
      });
      return;
    }
    event.preventDefault();
    // A criterion compared within the cluster changes every unit's points: the page reloads.
    const relative = changed.some((td) => td.parentElement.dataset.rule === "cluster_relative");
    if (window.SheetSave && form.hasAttribute("data-save-inplace") && !relative) {
      window.SheetSave.save(changed);
    } else {
      postAndReload(changed);
    }
  });

  // What sheet-save.js needs of this script.
  window.SheetCells = {
    changedCellsJson,
    postAndReload,
    refreshCell,
    refreshDirtyCount,
    reasonInput,
    problemBox,
    isDirty,
    changedCells,
    dirtyCells,
    leaving: () => (submitting = true), // no "unsaved changes" question
    showFigure,
    // A saved unit's running sums are read again from its cells when next needed.
    forgetUnit: (unitId) => units.delete(String(unitId)),
    showUnitTotals: (unitId) => showTotals(String(unitId), unitState(String(unitId)), allGroupIds()),
  };

  window.addEventListener("pageshow", () => {
    submitting = false;
    form.querySelectorAll("td.cell input:disabled").forEach((el) => (el.disabled = false));
  });

  window.addEventListener("beforeunload", (event) => {
    if (!submitting && dirtyCells.size) {
      event.preventDefault();
      event.returnValue = msg.unsaved;
    }
  });

  // Cells re-shown after a refused save are still changes to be saved, and count in the
  // totals as they are shown.
  const edited = new Set();
  form.querySelectorAll("td.cell input[data-original]").forEach((input) => {
    const td = cellOf(input);
    const dirty = isDirty(td);
    td.classList.toggle("dirty", dirty);
    if (dirty) {
      dirtyCells.add(td);
      edited.add(td.dataset.unit);
    }
  });
  if (edited.size) {
    const groups = allGroupIds();
    edited.forEach((unitId) => showTotals(unitId, unitState(unitId), groups));
  }
  refreshDirtyCount();
})();
