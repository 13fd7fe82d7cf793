// Small behaviours shared by every page, without inline handlers (the CSP forbids them).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
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
