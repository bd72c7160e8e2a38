// Send the visitor from the language-neutral root to the first site language the browser
// prefers (fi, sv or en); without JavaScript the page offers the three links.
(function () {
  var supported = ["fi", "sv", "en"];
  var wanted = (navigator.languages || [navigator.language || "fi"]);
  for (var i = 0; i < wanted.length; i++) {
    var lang = String(wanted[i]).slice(0, 2).toLowerCase();
    if (supported.indexOf(lang) !== -1) { location.replace(lang + "/"); return; }
  }
  location.replace("fi/");
})();
