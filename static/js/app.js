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
