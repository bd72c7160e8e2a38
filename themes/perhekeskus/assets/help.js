// The help panel: a close button at its end that closes the <details> and puts focus back on
// its summary. Without JavaScript the button stays hidden and the summary closes the panel.
(function () {
  "use strict";
  document.querySelectorAll("[data-help]").forEach(function (details) {
    var button = details.querySelector("[data-help-close]");
    var summary = details.querySelector("summary");
    if (!button || !summary) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      details.open = false;
      summary.focus();
    });
  });
})();
