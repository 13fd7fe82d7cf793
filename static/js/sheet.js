// The score sheet: live points, subtotals and totals; spreadsheet keys; only changed cells post.
// The server recomputes and validates everything; this script only shows it early.
(function () {
  "use strict";

  const form = document.querySelector("[data-sheet]");
  if (!form) return;

  const side = form.dataset.side; // "verified" or "self"
  const msg = JSON.parse(document.getElementById("sheet-messages").textContent);
  const decimalSep = form.dataset.decimal || ",";
  const bonusCap = parseFloat(form.dataset.bonusCap);
  const deductionCap = form.dataset.deductionCap ? parseFloat(form.dataset.deductionCap) : Infinity;
  const rows = Array.from(form.querySelectorAll("tr.leaf"));
  const topGroups = Array.from(form.querySelectorAll("tr[data-top]"));
  const grid = rows.map((row) => Array.from(row.querySelectorAll("input.cell-input")));
  const guidance = form.querySelector("[data-guidance]");
  const dirtyCount = form.querySelector("[data-dirty-count]");
  let submitting = false;

  function fmt(n) {
    if (n === null || n === undefined || Number.isNaN(n)) return "";
    const rounded = Math.round(n * 100) / 100;
    let [whole, frac] = Math.abs(rounded).toFixed(2).split(".");
    frac = frac.replace(/0+$/, "");
    const groupSep = decimalSep === "," ? "." : ",";
    whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, groupSep);
    return (rounded < 0 ? "−" : "") + whole + (frac ? decimalSep + frac : "");
  }

  function interpolate(template, values) {
    return template.replace(/%\((\w+)\)s/g, (_, key) => values[key] ?? "");
  }

  // Mirrors scoring/ranking.py points_for. Returns {points, error}; points null = empty.
  function computePoints(row, input) {
    const raw = input.value;
    const text = raw.trim().replace(/\s/g, "");
    if (text === "") return { points: null, error: null };
    if (!/^-?\d+([.,]\d+)?$/.test(text)) {
      return { points: null, error: interpolate(msg.nan, { value: raw }) };
    }
    const value = parseFloat(text.replace(",", "."));
    if (value < 0) return { points: null, error: msg.negative };
    const frac = text.split(/[.,]/)[1];
    if (frac && frac.length > 2) return { points: null, error: msg.decimals };
    const kind = row.dataset.kind;
    const max = row.dataset.max === "" ? NaN : parseFloat(row.dataset.max);
    const per = row.dataset.per === "" ? NaN : parseFloat(row.dataset.per);
    const overMax = () => interpolate(msg.max, { value: fmt(value), maximum: fmt(max) });

    if (kind === "judged") {
      return value > max ? { points: null, error: overMax() } : { points: value, error: null };
    }
    if (kind === "pass_fail") {
      if (value !== 0 && value !== 1) return { points: null, error: msg.passfail };
      return { points: value === 1 ? max : 0, error: null };
    }
    if (kind === "quantitative") {
      const target = parseFloat(input.dataset.target);
      if (!(target > 0)) return { points: null, error: msg.notarget };
      if (row.dataset.rule === "full_at_target") {
        return { points: value >= target ? max : 0, error: null };
      }
      return { points: Math.min(Math.round((max * value * 100) / target) / 100, max), error: null };
    }
    // Bonus and deduction items.
    if (Number.isNaN(per)) {
      if (!Number.isNaN(max) && value > max) return { points: null, error: overMax() };
      return { points: value, error: null };
    }
    if (!Number.isInteger(value)) return { points: null, error: msg.whole };
    const earned = value * per;
    return { points: Number.isNaN(max) ? earned : Math.min(earned, max), error: null };
  }

  function cellOf(input) {
    return input.closest("td.cell");
  }

  function isDirty(td) {
    return Array.from(td.querySelectorAll("input[data-original]")).some(
      (el) => el.value !== el.dataset.original
    );
  }

  function refreshCell(input) {
    const row = input.closest("tr");
    const td = cellOf(input);
    const { points, error } = computePoints(row, input);
    input.dataset.points = points === null ? "" : String(points);
    const shown = td.querySelector("[data-pts]");
    if (shown) shown.textContent = fmt(points);
    let problem = error;
    const reason = td.querySelector("input.reason");
    if (side === "verified" && reason && input.dataset.selfPoints !== undefined) {
      const differs = points !== null && points !== parseFloat(input.dataset.selfPoints);
      td.classList.toggle("differs", differs);
      reason.classList.toggle("d-none", !differs && reason.value === "");
      if (!problem && differs && reason.value.trim() === "" && isDirty(td)) {
        problem = interpolate(msg.reason, { self: fmt(parseFloat(input.dataset.selfPoints)) });
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

  function refreshTotals(unitId) {
    const sums = new Map();
    for (const row of rows) {
      const input = row.querySelector(`td.cell[data-unit="${unitId}"] input.cell-input`);
      if (!input || input.dataset.points === "" || input.dataset.points === undefined) continue;
      const points = parseFloat(input.dataset.points);
      for (const id of row.dataset.anc.split(" ")) {
        if (id) sums.set(id, (sums.get(id) || 0) + points);
      }
    }
    for (const [id, value] of sums) {
      const cell = form.querySelector(`[data-sub="${unitId}-${id}"]`);
      if (cell) cell.textContent = fmt(value);
    }
    form.querySelectorAll(`[data-sub^="${unitId}-"]`).forEach((cell) => {
      const id = cell.dataset.sub.split("-")[1];
      if (!sums.has(id)) cell.textContent = "";
    });
    const section = { content: 0, bonus: 0, deduction: 0 };
    for (const group of topGroups) {
      section[group.dataset.section] += sums.get(group.dataset.group) || 0;
    }
    const bonus = Math.min(section.bonus, bonusCap);
    const deductions = Math.min(section.deduction, deductionCap);
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
    const code = row.querySelector(".c-code").textContent;
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
        .replace("/1111/", `/${cellOf(input).dataset.unit}/`)
        .replace("/2222/", `/${row.dataset.crit}/`);
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
      form.requestSubmit();
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

  form.addEventListener("submit", () => {
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

  // Cells re-shown after a refused save are still changes to be saved.
  form.querySelectorAll("td.cell").forEach((td) => {
    td.classList.toggle("dirty", isDirty(td));
  });
  refreshDirtyCount();
})();
