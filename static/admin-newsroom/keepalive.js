/* Keep a desk session alive while someone types: it ends after a while without a request, and
   writing a long story makes none. At most one ping a minute, and only while typing. */
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.dataset.alive;
  if (!url) {
    return;
  }
  var last = Date.now();
  function ping() {
    if (Date.now() - last < 60000) {
      return;
    }
    last = Date.now();
    fetch(url, { credentials: "same-origin", cache: "no-store" }).catch(function () {});
  }
  document.addEventListener("input", ping, true);
  document.addEventListener("keydown", ping, true);
})();
