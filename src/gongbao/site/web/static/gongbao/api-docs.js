/* The API docs page (Swagger UI) made accessible; loaded before swagger-ui-init.js.
 * - no deep links: each operation's summary is one button, with no link nested inside it;
 * - the spec's title is a second-level heading under the page's own h1 (接口文档). */
(function () {
  "use strict";
  var settings = document.getElementById("swagger-settings");
  if (settings) {
    var config = JSON.parse(settings.textContent);
    config.deepLinking = false;
    settings.textContent = JSON.stringify(config);
  }
  var root = document.getElementById("swagger-ui");
  if (!root || !window.MutationObserver) {
    return;
  }
  function fix() {
    var titles = root.querySelectorAll(".info .title");
    for (var i = 0; i < titles.length; i++) {
      if (titles[i].getAttribute("aria-level") !== "2") {
        titles[i].setAttribute("role", "heading");
        titles[i].setAttribute("aria-level", "2");
      }
    }
  }
  new MutationObserver(fix).observe(root, { childList: true, subtree: true });
})();
