// Site search with Pagefind's JavaScript API. Nothing is downloaded until the first search;
// then only the parts of the index the words need. Results are announced through a status
// region, and every text comes from the page (so it is in the page's language).
//
// What the page adds to Pagefind: a "Get help now" box first for a query in the crisis
// vocabulary (search/crisis.yml, embedded in the page at build time); a phrase that finds
// nothing as a whole is searched by its words; short words only match pages where they stand
// as words; results come ten at a time with a "More results" button; a query that finds
// nothing shows the help numbers and the topics.
(function () {
  "use strict";
  var form = document.querySelector("form[data-search]");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var status = document.getElementById("search-status");
  var help = document.getElementById("search-help");
  var more = document.getElementById("search-more");
  // The two lists are in the page only while they have items (see placeList).
  var list = newList("ol", "search-results");
  var helpList = newList("ul", "search-help-articles");
  var empty = document.getElementById("search-empty");
  var vocabularyNode = document.getElementById("search-vocabulary");
  var vocabulary = vocabularyNode ? JSON.parse(vocabularyNode.textContent) : {};
  var crisis = vocabulary.crisis || { groups: [] };
  var abbreviations = vocabulary.abbreviations || [];
  var stopwords = vocabulary.stopwords || [];
  var PAGE = 10;
  var SHORT = 4;
  var SHORT_CHECKED = 60;
  var pagefind = null;
  var latest = 0;
  var current = null;

  // Two indexes (pipeline/site/search.py): the national articles, the same in every site, and
  // the site's own pages (services, calendars, events). Pagefind is loaded from the first and
  // the second is merged into it, both in the page's language only: Pagefind would fall back
  // to another language, and a merged index is searched with the page's stemmer. Both get the
  // site's address as baseUrl, so an article found opens this county's copy of it.
  var LANG = document.documentElement.lang;
  // Scores of two indexes are not on one scale (each weighs a word by how rare it is in its
  // own pages), and a short service page named like the query outranks the article on it.
  // Measured with the query set (nox -s search-quality, December 2026): at 0.75 every query
  // found in the first three with one index is found with two, and the county's services stay
  // among them; at 1 the service comes first more often and some articles drop out; at 0.5
  // the services drop out of the first three.
  var SITE_WEIGHT = 0.75;

  // The bundle when it has an index in the page's language; null when it has none, or when
  // the site's own bundle is not there (a site without pages of its own). A national bundle
  // that cannot be read, or any failed request, fails the search.
  function usable(path, required) {
    return fetch(path + "pagefind-entry.json").then(function (response) {
      if (!response.ok) {
        if (required || response.status !== 404) throw new Error(path + ": " + response.status);
        return null;
      }
      return response.json().then(function (entry) {
        var has = !!(entry.languages && entry.languages[LANG]);
        if (!has && required) throw new Error(path + ": no index in " + LANG);
        return has ? path : null;
      });
    });
  }

  function load() {
    if (!pagefind) {
      var bundle = new URL(form.dataset.bundle, location.href);
      var base = bundle.pathname.replace(/pagefind\/$/, "");
      // Articles are long and service pages short: without pageLength 0, Pagefind's length
      // penalty puts a municipality's one-line service above the article a family looks for.
      var settings = function () { return { baseUrl: base, ranking: { pageLength: 0 } }; };
      var national = bundle.pathname + "national/";
      pagefind = Promise.all([usable(national, true), usable(bundle.pathname + "site/", false)]).then(function (found) {
        return import(national + "pagefind.js").then(function (module) {
          return module.options(settings()).then(function () {
            if (!found[1]) return null;
            var own = settings();
            own.language = LANG;
            own.indexWeight = SITE_WEIGHT;
            return module.mergeIndex(found[1], own);
          }).then(function () { return module; });
        });
      });
      pagefind.catch(function () { pagefind = null; });
    }
    return pagefind;
  }

  // --- the words of a query, and the crisis vocabulary (as in pipeline/site/search.py) ------

  function words(query) {
    return query.toLowerCase().replace(/’/g, "'").replace(/[^\p{L}\p{N}'_-]+/gu, " ").trim().split(/\s+/).filter(Boolean);
  }
  function plain(word) { return word.replace(/[åä]/g, "a").replace(/ö/g, "o"); }
  function entryMatches(entry, queryWords) {
    var parts = entry.split(/\s+/).filter(Boolean);
    return parts.length > 0 && parts.every(function (part) {
      return queryWords.some(function (w) { return part.length < 3 ? w === part : w.indexOf(part) === 0; });
    });
  }
  function crisisArticles(query) {
    var typed = words(query);
    var typedPlain = typed.every(function (w) { return plain(w) === w; });
    var found = [];
    crisis.groups.forEach(function (group) {
      var hit = group.entries.some(function (entry) {
        var e = entry.toLowerCase();
        return entryMatches(e, typed) || (typedPlain && entryMatches(plain(e), typed.map(plain)));
      });
      if (!hit) return;
      group.articles.forEach(function (article) {
        var url = new URL(article.url, location.href).pathname;
        if (!found.some(function (f) { return f.url === url; })) found.push({ url: url, meta: { title: article.title, type: "article" }, crisis: true });
      });
    });
    return found;
  }

  // --- searching ------------------------------------------------------------------------

  // Pagefind matches whole words and word beginnings. When a query finds nothing (a typo at
  // the end of a word, or a compound the pages write apart), try again with the long words cut
  // shorter, so "lastenvalvja" still finds "lastenvalvoja".
  function loosen(query, cut) {
    return query.split(/\s+/).map(function (word) {
      return word.length >= 7 ? word.slice(0, Math.max(5, word.length - cut)) : word;
    }).join(" ");
  }

  // The pages with every word of a query, as one index would find them. Each merged index
  // leaves out the words it does not have, so the site's index would answer "vauva nuku
  // yöllä" with every page that says "vauva" when only the articles say "yöllä". A word
  // that no index has is left out, as Pagefind does.
  function searchAll(pf, query, options) {
    var parts = query.split(/\s+/).filter(Boolean);
    return pf.search(query, options).then(function (found) {
      if (parts.length < 2 || !found.results.length) return found;
      return Promise.all(parts.map(function (part) { return pf.search(part, options); })).then(function (each) {
        var known = each.filter(function (one) { return one.results.length; }).map(function (one) {
          return one.results.map(function (r) { return r.id; });
        });
        return { results: found.results.filter(function (r) {
          return known.every(function (ids) { return ids.indexOf(r.id) >= 0; });
        }) };
      });
    });
  }

  // A phrase that finds nothing as a whole: the pages with any of its words (words of one or
  // two letters left out), the rarer words counting more ("mieheni lyö minua" -> "lyö").
  function anyWord(pf, query, options) {
    var all = query.split(/\s+/).filter(Boolean);
    var parts = all.filter(function (w) { return w.length > 2 || abbreviations.indexOf(w.toLowerCase()) >= 0; });
    if (!parts.length) parts = all;
    return Promise.all(parts.map(function (part) { return pf.search(part, options); })).then(function (all) {
      var most = Math.max.apply(null, all.map(function (f) { return f.results.length; }).concat([1]));
      var byId = {};
      all.forEach(function (found) {
        var weight = Math.log(1 + most / Math.max(1, found.results.length)) + 0.1;
        found.results.forEach(function (r) {
          var entry = byId[r.id] || (byId[r.id] = { result: r, score: 0 });
          entry.score += r.score * weight;
        });
      });
      var merged = Object.keys(byId).map(function (id) { return byId[id]; });
      merged.sort(function (a, b) { return b.score - a.score; });
      return { results: merged.map(function (e) { return e.result; }) };
    });
  }

  // A Finnish "-minen" noun ("rokottaminen", "imettämisestä") is searched by the beginning it
  // shares with the other words of its family (rokot-: rokotus, rokotukset, rokottaa), so the
  // page about the thing comes first and not every page that names it once.
  var FINNISH = document.documentElement.lang === "fi";
  function family(query) {
    if (!FINNISH) return query;
    return query.split(/\s+/).map(function (word) {
      var m = /^(.{4,}?)mi(nen|sen|sta|stä|seen|sessa|sessä|sesta|sestä|sella|sellä)$/i.exec(word);
      if (!m) return word;
      var stem = m[1].replace(/[aeiouyäö]+$/i, "").replace(/(.)\1$/, "$1");
      return stem.length >= 4 ? stem : word;
    }).join(" ");
  }

  // The results of a query with a "-minen" noun, ranked by both searches together.
  function withFamily(pf, found, stems, options) {
    return searchAll(pf, stems, options).then(function (related) {
      var byId = {};
      [found, related].forEach(function (one) {
        var top = Math.max.apply(null, one.results.map(function (r) { return r.score; }).concat([1e-9]));
        one.results.forEach(function (r) {
          var entry = byId[r.id] || (byId[r.id] = { result: r, score: 0 });
          entry.score += r.score / top;
        });
      });
      var merged = Object.keys(byId).map(function (id) { return byId[id]; });
      merged.sort(function (a, b) { return b.score - a.score; });
      return { results: merged.map(function (e) { return e.result; }) };
    });
  }

  function find(query, options) {
    return load().then(function (pf) {
      var attempts = [query, loosen(query, 2), loosen(query, 4)].filter(function (q, i, all) { return all.indexOf(q) === i; });
      var several = query.split(/\s+/).length > 1;
      function next(index) {
        return searchAll(pf, attempts[index], options).then(function (found) {
          if (found.results.length && index === 0 && family(query) !== query) return withFamily(pf, found, family(query), options);
          if (found.results.length) return found;
          return (several ? anyWord(pf, attempts[index], options) : Promise.resolve(found)).then(function (any) {
            if (any.results.length || index === attempts.length - 1) return any;
            return next(index + 1);
          });
        });
      }
      return next(0);
    });
  }

  // Short words ("ero", "uni") are matched by Pagefind as word beginnings; keep the pages
  // where one stands as a word, or with an ending of at most three letters.
  function shortWords(query) {
    return words(query).filter(function (w) { return w.length < SHORT && abbreviations.indexOf(w) < 0; });
  }
  function standsAsWord(data, short) {
    var text = ((data.meta && data.meta.title) || "") + " " + (data.content || "");
    var pageWords = words(text);
    return short.every(function (s) {
      return pageWords.some(function (w) { return w.indexOf(s) === 0 && w.length <= s.length + 3; });
    });
  }

  // The results of one query: the crisis articles first, then Pagefind's results without them,
  // loaded PAGE at a time (all of them, up to SHORT_CHECKED, when a short word must be checked).
  function Results(query, found, crisisFirst) {
    var skip = crisisFirst.map(function (c) { return c.url; });
    this.crisis = crisisFirst;
    this.raw = found.results;
    this.skip = skip;
    this.short = shortWords(query);
    this.loaded = crisisFirst.slice();
    this.next = 0;
  }
  Results.prototype.complete = function () { return this.next >= this.raw.length; };
  // Every result, once all are loaded; before that, the crisis articles and Pagefind's count
  // less the crisis articles found among the results loaded so far.
  Results.prototype.total = function () {
    if (this.short.length) return this.loaded.length;
    var dropped = this.next - (this.loaded.length - this.crisis.length);
    return this.crisis.length + this.raw.length - dropped;
  };
  // Loads results until the first `count` are there (or all are).
  Results.prototype.upTo = function (count) {
    var self = this;
    if (self.loaded.length >= count || self.complete()) return Promise.resolve(self.loaded.slice(0, count));
    var end = self.short.length ? Math.min(self.raw.length, SHORT_CHECKED)
      : Math.min(self.raw.length, self.next + count - self.loaded.length);
    var batch = self.raw.slice(self.next, end);
    self.next = self.short.length ? self.raw.length : end;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (data) {
      data.forEach(function (d) {
        if (self.skip.indexOf(d.url) >= 0) return;
        if (self.short.length && !standsAsWord(d, self.short)) return;
        self.loaded.push(d);
      });
      return self.upTo(count);
    });
  };

  // What the index is asked: the query without the words of grammar (search/stopwords.yml),
  // unless nothing else is left. The crisis vocabulary sees the whole query.
  function topic(query) {
    var kept = words(query).filter(function (w) { return stopwords.indexOf(w) < 0; });
    return kept.length ? kept.join(" ") : query;
  }

  function search(query, type) {
    var asked = topic(query);
    return find(asked, type ? { filters: { type: type } } : {}).then(function (found) {
      return new Results(asked, found, type && type !== "article" ? [] : crisisArticles(query));
    });
  }

  // The query set of the project runs through this same function (nox -s search-quality):
  // the first results in the order the page shows them, the crisis articles first.
  window.perhekeskusSearch = function (query, type) {
    return search(query, type).then(function (results) {
      return results.upTo(PAGE).then(function (data) {
        return { total: results.total(), data: data, crisis: results.crisis };
      });
    });
  };

  // --- showing --------------------------------------------------------------------------

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

  function newList(tag, id) {
    var node = document.createElement(tag);
    node.id = id;
    node.className = id;
    return node;
  }
  // Puts a list in the page with `insert` when it has items and takes it out when it has none:
  // an empty list is still a list in the accessibility tree, which a screen reader's list
  // navigation finds, and QualWeb fails it (H48).
  function placeList(node, insert) {
    if (!node.children.length) node.remove();
    else if (!node.isConnected) insert(node);
  }
  function placeResults() {
    var row = more.parentNode;
    placeList(list, function (node) { row.parentNode.insertBefore(node, row); });
  }

  function item(data) {
    var entry = document.createElement("li");
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    var heading = document.createElement("h2");
    heading.className = "search-title";
    heading.appendChild(link);
    entry.appendChild(heading);
    var type = data.meta && data.meta.type && form.dataset["type" + data.meta.type.charAt(0).toUpperCase() + data.meta.type.slice(1)];
    if (type) {
      var label = document.createElement("p");
      label.className = "search-type";
      label.textContent = type;
      entry.appendChild(label);
    }
    // The page's own summary reads better than an excerpt (which may come from the
    // index-only words); the excerpt is the fallback.
    if (data.meta && data.meta.summary) {
      var summary = document.createElement("p");
      summary.className = "search-excerpt";
      summary.textContent = data.meta.summary;
      entry.appendChild(summary);
    } else {
      entry.appendChild(cleanExcerpt(data.excerpt || ""));
    }
    return entry;
  }

  function showHelp(articles) {
    helpList.textContent = "";
    articles.forEach(function (article) {
      var entry = document.createElement("li");
      var link = document.createElement("a");
      link.href = article.url;
      link.textContent = article.meta.title;
      entry.appendChild(link);
      helpList.appendChild(entry);
    });
    placeList(helpList, function (node) { help.appendChild(node); });
    help.hidden = articles.length === 0;
  }

  function count(results, shown) {
    var total = results.total();
    if (total === 0) return form.dataset.none;
    var text = total === 1 ? form.dataset.one : form.dataset.many.replace("{count}", total);
    if (!/[.!?…]$/.test(text)) text += ".";
    if (shown < total) text += " " + form.dataset.shown.replace("{shown}", shown).replace("{count}", total);
    if (results.crisis.length) text += " " + form.dataset.helpFound;
    return text;
  }

  // Shows the results up to `upTo` (the crisis articles are in the help box, not the list).
  function show(results, upTo, run, focusFrom) {
    return results.upTo(upTo + results.crisis.length).then(function (data) {
      if (run !== latest) return;
      var rest = data.filter(function (d) { return !d.crisis; });
      var shown = list.children.length;
      rest.slice(shown).forEach(function (d) { list.appendChild(item(d)); });
      placeResults();
      var total = results.total();
      var listed = results.crisis.length + list.children.length;
      more.hidden = listed >= total;
      empty.hidden = total > 0;
      say(count(results, listed));
      if (focusFrom !== undefined && list.children[focusFrom]) list.children[focusFrom].querySelector("a").focus();
    });
  }

  function run(event) {
    if (event) event.preventDefault();
    var query = input.value.trim();
    var checked = form.querySelector("input[name=type]:checked");
    var type = checked ? checked.value : "";
    var mine = ++latest;
    list.textContent = "";
    placeResults();
    more.hidden = true;
    empty.hidden = true;
    current = null;
    if (!query) { showHelp([]); say(""); return; }
    say(form.dataset.searching);
    search(query, type).then(function (results) {
      if (mine !== latest) return;
      current = results;
      showHelp(results.crisis);
      return show(results, PAGE, mine);
    }).catch(function () {
      if (mine === latest) say(form.dataset.failed);
    });
  }

  more.addEventListener("click", function () {
    if (!current) return;
    var from = list.children.length;
    show(current, from + PAGE, latest, from).catch(function () { say(form.dataset.failed); });
  });
  form.addEventListener("submit", run);
  form.querySelectorAll("input[name=type]").forEach(function (radio) {
    radio.addEventListener("change", function () { if (input.value.trim()) run(); });
  });
  var query = new URLSearchParams(location.search).get("q");
  if (query) { input.value = query; run(); }
})();
