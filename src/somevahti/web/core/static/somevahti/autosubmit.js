// Selects marked data-autosubmit send their form when changed (the language switcher, list filters).
// A static file instead of inline onchange handlers: the Content-Security-Policy allows no inline script.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el && el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
    el.form.submit();
  }
});
