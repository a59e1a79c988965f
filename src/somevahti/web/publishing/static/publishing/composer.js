// Composer: apply a finding's suggestion with one click (the live check itself is htmx on the form).
document.addEventListener("click", function (event) {
  var button = event.target.closest(".apply-suggestion");
  if (!button) return;
  var field = button.dataset.field;
  var area = document.querySelector('textarea[data-field="' + field + '"]');
  if (!area) return;
  var start = parseInt(button.dataset.start, 10), end = parseInt(button.dataset.end, 10);
  area.value = area.value.slice(0, start) + button.dataset.suggestion + area.value.slice(end);
  area.dispatchEvent(new Event("input", { bubbles: true }));
  area.focus();
});
