// Send the visitor from the language-neutral root to the first site language the browser
// prefers (fi, sv or en). A browser in any other language (Arabic, Russian, Somali...) stays
// on the root page and chooses from the three links, as without JavaScript.
(function () {
  var supported = ["fi", "sv", "en"];
  var wanted = navigator.languages || (navigator.language ? [navigator.language] : []);
  for (var i = 0; i < wanted.length; i++) {
    var lang = String(wanted[i]).split("-")[0].toLowerCase();
    if (supported.indexOf(lang) !== -1) { location.replace(lang + "/"); return; }
  }
})();
