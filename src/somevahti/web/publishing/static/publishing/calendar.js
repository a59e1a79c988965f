// Calendar: drag a post to another day to reschedule it (same time of day). Without JavaScript each
// post links to its page, where the schedule form does the same.
(function () {
  var dragged = null;
  document.addEventListener("dragstart", function (e) {
    var item = e.target.closest("[data-reschedule]");
    if (!item) return;
    dragged = item;
    e.dataTransfer.setData("text/plain", item.dataset.reschedule);
  });
  document.addEventListener("dragover", function (e) {
    if (dragged && e.target.closest("[data-date]")) e.preventDefault();
  });
  document.addEventListener("drop", function (e) {
    var cell = e.target.closest("[data-date]");
    if (!dragged || !cell) return;
    e.preventDefault();
    var body = new FormData();
    body.append("date", cell.dataset.date);
    var token = document.querySelector("[name=csrfmiddlewaretoken]");
    fetch(dragged.dataset.reschedule, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", "HX-Request": "true" }
    }).then(function (r) {
      if (r.ok) { cell.querySelector("ul").appendChild(dragged); dragged.classList.add("moved"); }
      else r.text().then(function (t) { alert(t); });
      dragged = null;
    });
  });
})();
