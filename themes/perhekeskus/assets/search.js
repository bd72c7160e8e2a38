// Site search with Pagefind's JavaScript API. Nothing is downloaded until the first search;
// then only the parts of the index the words need. Results are announced through a status
// region, and every text comes from the page (so it is in the page's language).
(function () {
  "use strict";
  var form = document.querySelector("form[data-search]");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var pagefind = null;
  var latest = 0;

  function load() {
    if (!pagefind) {
      var bundle = new URL(form.dataset.bundle, location.href);
      pagefind = import(bundle.href + "pagefind.js").then(function (module) {
        var base = bundle.pathname.replace(/pagefind\/$/, "");
        // Articles are long and service pages short: without this, Pagefind's length penalty
        // puts a municipality's one-line service above the article a family is looking for.
        return module.options({ baseUrl: base, ranking: { pageLength: 0 } }).then(function () { return module; });
      });
    }
    return pagefind;
  }

  function cleanExcerpt(html) {
    // Pagefind marks the matched words with <mark>; keep those and nothing else.
    var box = document.createElement("div");
    box.innerHTML = html;
    var out = document.createElement("p");
    out.className = "search-excerpt";
    box.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function say(text) { status.textContent = text; }

  // Pagefind matches whole words and word beginnings. When a query finds nothing (a typo at
  // the end of a word, or a compound the pages write apart), try again with the long words cut
  // shorter, so "lastenvalvja" still finds "lastenvalvoja".
  function loosen(query, cut) {
    return query.split(/\s+/).map(function (word) {
      return word.length >= 7 ? word.slice(0, Math.max(5, word.length - cut)) : word;
    }).join(" ");
  }

  function find(query, options) {
    return load().then(function (pf) {
      var attempts = [query, loosen(query, 2), loosen(query, 4)];
      function next(index) {
        return pf.search(attempts[index], options).then(function (found) {
          if (found.results.length || index === attempts.length - 1 || attempts[index + 1] === attempts[index]) return found;
          return next(index + 1);
        });
      }
      return next(0);
    });
  }
  // The query set of the project runs through this same function (nox -s search-quality).
  window.perhekeskusSearch = function (query, type) {
    return find(query, type ? { filters: { type: type } } : {}).then(function (found) {
      return Promise.all(found.results.slice(0, 10).map(function (r) { return r.data(); }))
        .then(function (data) { return { total: found.results.length, data: data }; });
    });
  };

  function show(results) {
    list.textContent = "";
    results.forEach(function (data) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = data.url;
      link.textContent = (data.meta && data.meta.title) || data.url;
      var heading = document.createElement("h2");
      heading.className = "search-title";
      heading.appendChild(link);
      item.appendChild(heading);
      var type = data.meta && data.meta.type && form.dataset["type" + data.meta.type.charAt(0).toUpperCase() + data.meta.type.slice(1)];
      if (type) {
        var label = document.createElement("p");
        label.className = "search-type";
        label.textContent = type;
        item.appendChild(label);
      }
      // The page's own summary reads better than an excerpt (which may come from the
      // index-only words); the excerpt is the fallback.
      if (data.meta && data.meta.summary) {
        var summary = document.createElement("p");
        summary.className = "search-excerpt";
        summary.textContent = data.meta.summary;
        item.appendChild(summary);
      } else {
        item.appendChild(cleanExcerpt(data.excerpt || ""));
      }
      list.appendChild(item);
    });
  }

  function search(event) {
    if (event) event.preventDefault();
    var query = input.value.trim();
    var checked = form.querySelector("input[name=type]:checked");
    var type = checked ? checked.value : "";
    var run = ++latest;
    if (!query) { list.textContent = ""; say(""); return; }
    say(form.dataset.searching);
    window.perhekeskusSearch(query, type).then(function (result) {
      if (run !== latest) return;
      show(result.data);
      var total = result.total;
      say(total === 0 ? form.dataset.none : total === 1 ? form.dataset.one : form.dataset.many.replace("{count}", total));
    }).catch(function () {
      if (run === latest) say(form.dataset.failed);
    });
  }

  form.addEventListener("submit", search);
  form.querySelectorAll("input[name=type]").forEach(function (radio) {
    radio.addEventListener("change", function () { if (input.value.trim()) search(); });
  });
  var query = new URLSearchParams(location.search).get("q");
  if (query) { input.value = query; search(); }
})();
