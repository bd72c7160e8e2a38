// "Leave this page quickly": replace this page in the history, so Back does not return to it.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("[data-quick-exit]");
  if (!link) return;
  event.preventDefault();
  location.replace(link.href);
});
document.addEventListener("keydown", function (event) {
  if (event.key === "Escape" && !event.defaultPrevented) {
    var link = document.querySelector("[data-quick-exit]");
    var help = document.querySelector("details.help[open]");
    if (link && !help) location.replace(link.href);
  }
});
