// Small behaviours shared by every page, without inline handlers (the CSP forbids them).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.requestSubmit(); // a submit event, as a button's
});
document.addEventListener("click", (event) => {
  if (!event.target.closest("[data-back]")) return;
  event.preventDefault();
  if (window.history.length > 1) window.history.back();
  else window.location.assign("/");
});
// Collapsible groups of a scheme table: a group's toggle hides every row below it; a row
// shows again when none of its ancestors is collapsed.
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-collapse]");
  const table = toggle && toggle.closest("[data-collapsible]");
  if (!table) return;
  toggle.setAttribute("aria-expanded", toggle.getAttribute("aria-expanded") === "false");
  const closed = table.querySelectorAll('[data-collapse][aria-expanded="false"]');
  const collapsed = new Set(Array.from(closed, (button) => button.dataset.collapse));
  table.querySelectorAll("tr[data-anc]").forEach((row) => {
    row.hidden = row.dataset.anc.split(" ").some((id) => collapsed.has(id));
  });
});
// Typing not yet saved in a form marked data-unsaved-guard: leaving the page (a link,
// another form's button such as "Duyệt", closing the tab) asks first. A field counts as
// changed when it differs from what it held when the page was drawn; a form drawn again
// after a refused save (data-unsaved-guard="pending") holds unsaved typing from the start.
// Submitting the guarded form itself (or a button that names it with form=) asks nothing,
// unless another handler cancelled that submit: the page stays, and so does the typing.
(() => {
  const guarded = document.querySelectorAll("form[data-unsaved-guard]");
  if (!guarded.length) return;
  const fields = (form) =>
    Array.from(form.elements).filter((el) => el.matches("input:not([type=hidden]), textarea, select"));
  const state = (el) => {
    if (el.type === "checkbox" || el.type === "radio") return el.checked;
    if (el.multiple) return Array.from(el.selectedOptions, (option) => option.value).join("\n");
    return el.value;
  };
  const drawn = new Map();
  guarded.forEach((form) => fields(form).forEach((el) => drawn.set(el, state(el))));
  // The last submit event, read when leaving, once every handler has had its say on it.
  let submitted = null;
  document.addEventListener("submit", (event) => (submitted = event), true);
  const leavingBy = () => (submitted && !submitted.defaultPrevented ? submitted.target : null);
  const unsaved = (form) =>
    form !== leavingBy() &&
    (form.dataset.unsavedGuard === "pending" || fields(form).some((el) => state(el) !== drawn.get(el)));
  window.addEventListener("beforeunload", (event) => {
    if (!Array.from(guarded).some(unsaved)) return;
    event.preventDefault();
    event.returnValue = "";
  });
  // Coming back to this page from the browser's history starts afresh.
  window.addEventListener("pageshow", () => (submitted = null));
})();
