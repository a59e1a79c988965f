// Somevahti: the small menu at narrow widths, auto-submitting selects, one open nav group at a time.
// A file, not inline script, so a strict Content-Security-Policy can forbid inline code.
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.getElementById("menu-toggle");
  var nav = document.getElementById("site-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      nav.classList.toggle("open", !open);
    });
  }
  document.querySelectorAll("select.autosubmit, input.autosubmit").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });
  var groups = document.querySelectorAll(".site-nav details");
  groups.forEach(function (d) {
    d.addEventListener("toggle", function () {
      if (d.open) { groups.forEach(function (o) { if (o !== d) { o.open = false; } }); }
    });
  });
  document.addEventListener("click", function (e) {
    groups.forEach(function (d) { if (d.open && !d.contains(e.target)) { d.open = false; } });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { groups.forEach(function (d) { if (d.open) { d.open = false; d.querySelector("summary").focus(); } }); }
  });
  document.querySelectorAll("input.select-all").forEach(function (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("input[name='" + all.dataset.target + "']").forEach(function (c) { c.checked = all.checked; });
    });
  });
});
// A table that scrolls sideways must be reachable by keyboard (WCAG 2.1.1): give it a tab stop.
window.addEventListener("load", function () {
  document.querySelectorAll("main table").forEach(function (t) {
    if (t.scrollWidth > t.clientWidth + 1 && !t.hasAttribute("tabindex")) { t.setAttribute("tabindex", "0"); }
  });
});
// A table of class "stack" is a list of cards on a phone (site.css): each cell is labelled with its
// column's heading, unless the template labelled it; again after every htmx swap.
function labelStackedCells(root) {
  root.querySelectorAll("table.stack").forEach(function (t) {
    var heads = Array.prototype.map.call(t.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
    t.querySelectorAll("tbody tr").forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (cell, i) {
        if (cell.tagName === "TD" && heads[i] && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", heads[i]); }
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { labelStackedCells(document); });
document.addEventListener("htmx:afterSettle", function () { labelStackedCells(document); });
