// Catalogue: choosing another sort order applies it at once (the Search button still works).
document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
  select.addEventListener("change", () => select.form.requestSubmit());
});
