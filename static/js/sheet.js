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
  const rows = Array.from(form.querySelectorAll("tr.leaf"));
  const grid = rows.map((row) => Array.from(row.querySelectorAll("input.cell-input")));
  const groupCells = new Map(); // "unit-criterion" → the subtotal cell
  form.querySelectorAll("[data-sub]").forEach((cell) => groupCells.set(cell.dataset.sub, cell));
  const ancestorsOf = new Map(rows.map((row) => [row, row.dataset.anc.split(" ").filter(Boolean)]));
  // A leaf counts in the section of its top-level node (a group, or itself at the top).
  const sectionOf = new Map(
    rows.map((row) => {
      const top = ancestorsOf.get(row)[0];
      const group = top && form.querySelector(`tr[data-group="${top}"]`);
      return [row, (group || row).dataset.section];
    })
  );
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

  function cellOf(input) {
    return input.closest("td.cell");
  }

  function isDirty(td) {
    return Array.from(td.querySelectorAll("input[data-original]")).some(
      (el) => el.value !== el.dataset.original
    );
  }

  // A cell's points: the server's for a saved value left as it is, computed for an edit.
  function currentPoints(row, input) {
    if (input.value === input.dataset.original && input.dataset.saved !== undefined) {
      return { points: centsOf(input.dataset.saved), error: null };
    }
    return computePoints(row, input);
  }

  function refreshCell(input) {
    const row = input.closest("tr");
    const td = cellOf(input);
    const { points, error, pending } = currentPoints(row, input);
    pointsOf.set(input, points);
    const shown = td.querySelector("[data-pts]");
    if (shown) shown.textContent = pending ? "…" : fmt(points);
    let problem = error;
    const reason = td.querySelector("input.reason");
    if (side === SIDE.VERIFIED && reason && input.dataset.selfPoints !== undefined && !pending) {
      const selfPoints = centsOf(input.dataset.selfPoints);
      const differs = points !== null && points !== selfPoints;
      td.classList.toggle("differs", differs);
      reason.classList.toggle("d-none", !differs && reason.value === "");
      if (!problem && differs && reason.value.trim() === "" && isDirty(td)) {
        problem = interpolate(msg.reason, { self: fmt(selfPoints, false) });
      }
    }
    const box = td.querySelector("[data-problem]");
    if (error || (problem && isDirty(td))) {
      box.textContent = problem;
      input.classList.add("is-invalid");
    } else if (!td.classList.contains("has-problem") || isDirty(td)) {
      box.textContent = "";
      input.classList.remove("is-invalid");
      td.classList.remove("has-problem");
    }
    td.classList.toggle("dirty", isDirty(td));
  }

  // The unit's roll-up, as scoring/ranking.py roll_up and unit_total: every group's sum of
  // the points below it, content = its top-level content groups, bonus and deductions
  // capped, total = content + bonus − deductions. Cells not refreshed yet count with the
  // server's points (or their own, when they were re-shown after a refused save).
  function refreshTotals(unitId) {
    const sums = new Map();
    const section = { content: 0n, bonus: 0n, deduction: 0n };
    for (const row of rows) {
      const input = row.querySelector(`td.cell[data-unit="${unitId}"] input.cell-input`);
      if (!input) continue;
      if (!pointsOf.has(input)) pointsOf.set(input, currentPoints(row, input).points);
      const points = pointsOf.get(input);
      if (points === null) continue;
      for (const id of ancestorsOf.get(row)) sums.set(id, (sums.get(id) || 0n) + points);
      section[sectionOf.get(row)] += points;
    }
    for (const [key, cell] of groupCells) {
      const [unit, id] = key.split("-");
      if (unit === String(unitId)) cell.textContent = sums.has(id) ? fmt(sums.get(id)) : "";
    }
    const bonus = section.bonus < bonusCap ? section.bonus : bonusCap;
    const deductions =
      deductionCap !== null && section.deduction > deductionCap ? deductionCap : section.deduction;
    const totals = {
      content: section.content,
      bonus,
      deductions,
      total: section.content + bonus - deductions,
    };
    for (const [key, value] of Object.entries(totals)) {
      const cell = form.querySelector(`[data-total="${key}"][data-unit="${unitId}"]`);
      if (cell) cell.textContent = fmt(value);
    }
  }

  function refreshDirtyCount() {
    if (!dirtyCount) return;
    const n = form.querySelectorAll("td.cell.dirty").length;
    dirtyCount.textContent = n ? interpolate(msg.unsavedCount, { count: n }) : "";
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
    for (let r = 0; r < grid.length; r++) {
      const c = grid[r].indexOf(input);
      if (c === -1) continue;
      const nr = r + dRow;
      const nc = c + dCol;
      const target = grid[nr] && grid[nr][nc];
      if (target) {
        target.focus();
        target.select();
      }
      return;
    }
  }

  form.addEventListener("input", (event) => {
    const el = event.target;
    const td = el.closest("td.cell");
    if (!td) return;
    const input = td.querySelector("input.cell-input");
    refreshCell(input);
    refreshTotals(td.dataset.unit);
    refreshDirtyCount();
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
      input.value = input.dataset.original;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });

  form.addEventListener("submit", (event) => {
    if (!editable) {
      event.preventDefault(); // nothing on a read-only page can be saved
      return;
    }
    // Post only the cells that changed, so a save never rewrites what it did not touch.
    submitting = true;
    form.querySelectorAll("td.cell").forEach((td) => {
      if (!isDirty(td)) td.querySelectorAll("input").forEach((el) => (el.disabled = true));
    });
  });

  window.addEventListener("pageshow", () => {
    submitting = false;
    form.querySelectorAll("td.cell input:disabled").forEach((el) => (el.disabled = false));
  });

  window.addEventListener("beforeunload", (event) => {
    if (!submitting && form.querySelector("td.cell.dirty")) {
      event.preventDefault();
      event.returnValue = msg.unsaved;
    }
  });

  // Cells re-shown after a refused save are still changes to be saved, and count in the
  // totals as they are shown.
  const edited = new Set();
  form.querySelectorAll("td.cell").forEach((td) => {
    const dirty = isDirty(td);
    td.classList.toggle("dirty", dirty);
    if (dirty) edited.add(td.dataset.unit);
  });
  edited.forEach(refreshTotals);
  refreshDirtyCount();
})();
