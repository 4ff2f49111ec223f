// Drag and drop on the composing page: move a document within or across sections,
// then send every section's order to the server (which records it and voids a sign-off).
(function () {
  "use strict";
  var root = document.getElementById("composer");
  if (!root || !root.dataset.editable) return;
  var status = document.getElementById("composer-status");
  var dragged = null;
  var before = null;

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function order() {
    var out = {};
    root.querySelectorAll(".composer-list").forEach(function (list) {
      out[list.dataset.section] = Array.prototype.map.call(
        list.querySelectorAll(".composer-item"),
        function (li) { return Number(li.dataset.document); }
      );
    });
    return out;
  }

  function save() {
    status.textContent = "正在保存顺序……";
    fetch(root.dataset.reorder, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(order())
    }).then(function (r) { return r.json(); }).then(function (body) {
      status.textContent = body.error ? body.error : (body.note || "顺序已保存");
    }).catch(function () { status.textContent = "保存失败，请刷新页面后重试"; });
  }

  function after(list, y) {
    var items = Array.prototype.filter.call(
      list.querySelectorAll(".composer-item"), function (li) { return li !== dragged; });
    for (var i = 0; i < items.length; i++) {
      var box = items[i].getBoundingClientRect();
      if (y < box.top + box.height / 2) return items[i];
    }
    return null;
  }

  root.addEventListener("dragstart", function (e) {
    var li = e.target.closest(".composer-item");
    if (!li) return;
    dragged = li;
    before = JSON.stringify(order());
    li.classList.add("dragging");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", li.dataset.document);
  });
  // Saved when the drag ends (dropped or not): the list shows the new order by then.
  root.addEventListener("dragend", function () {
    if (!dragged) return;
    dragged.classList.remove("dragging");
    dragged = null;
    var now = JSON.stringify(order());
    if (now !== before) { before = now; save(); }
  });
  root.querySelectorAll(".composer-list").forEach(function (list) {
    list.addEventListener("dragover", function (e) {
      if (!dragged) return;
      e.preventDefault();
      var empty = list.querySelector(".composer-empty");
      if (empty) empty.remove();
      var next = after(list, e.clientY);
      if (next) list.insertBefore(dragged, next); else list.appendChild(dragged);
    });
    list.addEventListener("drop", function (e) { e.preventDefault(); });
  });
})();
