// Your municipality: the picker of the home page and the articles (slots/municipality-picker.html).
// The choice is kept in this browser only (localStorage, no cookies) and nothing is sent
// anywhere: the services and locations of your municipality (data-municipality="<code>") come
// first and say so, the header links to your municipality's page, and with your consent the
// locations (data-lat, data-lon) are ordered by their distance from you, computed here.
// Without JavaScript the picker is a list of links and the pages keep their order.
(function () {
  "use strict";
  var KEY = "perhekeskus.municipality";
  // The municipality pages' folders, as in pipeline/site/urls.py (MUNICIPALITY_FOLDER).
  var FOLDER = { fi: "kunnat", sv: "kommuner", en: "municipalities" };
  var script = document.currentScript;
  var texts = (script && script.dataset) || {};
  var lang = document.documentElement.lang;
  var located = null; // the browser's position, once the user has asked for nearest first
  var current = null; // the chosen municipality

  function format(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, function (_, key) {
      return values[key];
    });
  }

  // --- the stored choice ---------------------------------------------------------------

  function valid(choice) {
    return (
      choice &&
      /^\d{3}$/.test(choice.code) &&
      /^[a-z0-9-]+$/.test(choice.slug) &&
      /^https?:\/\//.test(choice.site) &&
      typeof choice.fi === "string"
    );
  }

  function load() {
    try {
      var choice = JSON.parse(localStorage.getItem(KEY));
      return valid(choice) ? choice : null;
    } catch (error) {
      return null;
    }
  }

  function save(choice) {
    try {
      localStorage.setItem(KEY, JSON.stringify(choice));
    } catch (error) {
      // Storage may be off (private windows): the choice then lasts for this page only.
    }
  }

  function forget() {
    try {
      localStorage.removeItem(KEY);
    } catch (error) {
      // Nothing was stored.
    }
  }

  function nameOf(choice) {
    return (lang === "sv" && choice.sv) || choice.fi;
  }

  function pageOf(choice) {
    var folder = FOLDER[lang] || FOLDER.fi;
    var path = choice.pages ? lang + "/" + folder + "/" + choice.slug + "/" : lang + "/";
    return choice.site + path;
  }

  function fromLink(link) {
    var list = link.closest("[data-site]");
    var fi = link.getAttribute("data-fi") || link.textContent.trim();
    return {
      code: link.getAttribute("data-code"),
      slug: link.getAttribute("data-slug"),
      fi: fi,
      sv: link.getAttribute("data-sv") || fi,
      site: new URL(list.getAttribute("data-site"), location.href).href,
      pages: list.getAttribute("data-pages") === "true",
    };
  }

  // --- your municipality first, or the nearest first -------------------------------------

  function codesOf(element) {
    return (element.getAttribute("data-municipality") || "").split(/[\s,]+/);
  }

  function distance(element) {
    var lat = parseFloat(element.getAttribute("data-lat"));
    var lon = parseFloat(element.getAttribute("data-lon"));
    if (!located || isNaN(lat) || isNaN(lon)) return Infinity;
    // Haversine, in kilometres.
    var rad = Math.PI / 180;
    var dLat = (lat - located.lat) * rad;
    var dLon = (lon - located.lon) * rad;
    var a =
      Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(located.lat * rad) * Math.cos(lat * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 6371 * 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
  }

  function badge(element, className, text) {
    // The notes of an item share one line after its heading, separated by spaces.
    var line = element.querySelector(":scope > .place-notes");
    if (!line) {
      // Under the heading of a card or location; at the end of a line of a list.
      var heading = element.querySelector(":scope > h2, :scope > h3, :scope > h4");
      line = document.createElement(heading ? "p" : "span");
      line.className = "place-notes";
      if (heading) heading.after(line);
      else element.append(" ", line);
    }
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    if (line.childNodes.length) line.append(" ");
    line.append(span);
  }

  function groups() {
    var found = new Map();
    document.querySelectorAll("[data-municipality], [data-lat]").forEach(function (element) {
      var parent = element.parentElement;
      if (!found.has(parent)) found.set(parent, []);
      found.get(parent).push(element);
    });
    return found;
  }

  function arrange() {
    var choice = current;
    document.querySelectorAll(".place-notes").forEach(function (element) {
      element.remove();
    });
    groups().forEach(function (items) {
      items.forEach(function (item, index) {
        if (!item.hasAttribute("data-order")) item.setAttribute("data-order", String(index));
        item.classList.remove("is-mine");
      });
      var keyed = items.map(function (item) {
        var mine = !!choice && codesOf(item).indexOf(choice.code) >= 0;
        var km = distance(item);
        if (mine) {
          item.classList.add("is-mine");
          badge(item, "mine-badge", texts.mine);
        }
        if (km !== Infinity) {
          var rounded = km < 10 ? km.toFixed(1) : String(Math.round(km));
          rounded = Number(rounded).toLocaleString(lang);
          badge(item, "distance-badge", format(texts.distance, { km: rounded }));
        }
        return { item: item, mine: mine, km: km, order: Number(item.getAttribute("data-order")) };
      });
      keyed.sort(function (a, b) {
        if (located && a.km !== b.km) return a.km - b.km;
        if (a.mine !== b.mine) return a.mine ? -1 : 1;
        return a.order - b.order;
      });
      // Each item takes the place of the one before it in the new order; other elements
      // between them (headings, notes) stay where they are.
      var places = items.map(function (item) {
        var marker = document.createComment("");
        item.before(marker);
        return marker;
      });
      keyed.forEach(function (entry, index) {
        places[index].replaceWith(entry.item);
      });
    });
  }

  // --- the header link --------------------------------------------------------------------

  function showHeaderLink(choice) {
    var old = document.querySelector("[data-my-municipality]");
    if (old) old.remove();
    var header = document.querySelector(".site-header");
    if (!choice || !header) return;
    var line = document.createElement("p");
    line.className = "my-municipality wrap";
    line.setAttribute("data-my-municipality", "");
    var link = document.createElement("a");
    link.href = pageOf(choice);
    link.textContent = nameOf(choice);
    line.append(texts.mine + ": ", link);
    header.append(line);
  }

  // --- nearest first ---------------------------------------------------------------------

  function offerNearest() {
    var first = document.querySelector("[data-lat][data-lon]");
    if (!first || !navigator.geolocation) return;
    var box = document.createElement("div");
    box.className = "nearest";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = texts.nearest;
    var note = document.createElement("p");
    note.className = "nearest-note";
    note.textContent = texts.nearestNote;
    var status = document.createElement("p");
    status.className = "nearest-status";
    status.setAttribute("role", "status");
    box.append(button, note, status);
    // Before the first location, or before their list when they are its items: a list holds
    // only list items (WCAG 1.3.1; axe-core's "list" rule failed the box inside the list).
    var items = groups().get(first.parentElement);
    var list = /^(UL|OL)$/.test(first.parentElement.tagName) ? first.parentElement : null;
    (list || items[0]).before(box);
    button.addEventListener("click", function () {
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          located = { lat: position.coords.latitude, lon: position.coords.longitude };
          arrange();
          status.textContent = texts.nearestDone;
          button.disabled = false;
        },
        function () {
          status.textContent = texts.noLocation;
          button.disabled = false;
        },
        { maximumAge: 600000, timeout: 20000 },
      );
    });
  }

  // --- the picker ------------------------------------------------------------------------

  function normal(text) {
    return (text || "").trim().toLocaleLowerCase(lang).normalize("NFC");
  }

  function setUp(picker) {
    var form = picker.querySelector("[data-picker-form]");
    var input = form.querySelector("input");
    var status = form.querySelector("[role=status]");
    var forgetButton = form.querySelector("[data-picker-forget]");
    var options = form.querySelector("datalist");
    var links = Array.prototype.slice.call(picker.querySelectorAll("a[data-code]"));
    var national = picker.getAttribute("data-national") === "true";

    links.forEach(function (link) {
      var option = document.createElement("option");
      option.value = link.textContent.trim();
      var other = [link.getAttribute("data-fi"), link.getAttribute("data-sv")].filter(
        function (name) {
          return name && name !== option.value;
        },
      );
      if (other.length) option.label = other[0];
      options.append(option);
    });

    function mineIn(choice) {
      return choice && links.some(function (link) {
        return link.getAttribute("data-code") === choice.code;
      });
    }

    function show(choice) {
      input.value = mineIn(choice) ? nameOf(choice) : "";
      forgetButton.hidden = !choice;
    }

    function find(value) {
      var wanted = normal(value);
      return links.find(function (link) {
        return [link.textContent, link.getAttribute("data-fi"), link.getAttribute("data-sv")].some(
          function (name) {
            return name && normal(name) === wanted;
          },
        );
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var link = find(input.value);
      if (!link) {
        input.setAttribute("aria-invalid", "true");
        status.textContent = texts.unknown;
        input.focus();
        return;
      }
      input.removeAttribute("aria-invalid");
      var choice = fromLink(link);
      save(choice);
      current = choice;
      if (national) {
        // The same page on the county's site; the choice goes along when the site is elsewhere.
        var root = new URL(picker.getAttribute("data-root"), location.href);
        var target = new URL(location.pathname.slice(root.pathname.length), choice.site);
        if (target.origin !== location.origin) target.searchParams.set("municipality", choice.code);
        location.assign(target.href);
        return;
      }
      show(choice);
      arrange();
      showHeaderLink(choice);
      status.textContent = format(texts.chosen, { name: nameOf(choice) });
    });

    forgetButton.addEventListener("click", function () {
      forget();
      current = null;
      show(null);
      arrange();
      showHeaderLink(null);
      status.textContent = texts.forgotten;
      input.focus();
    });

    show(current);
    form.hidden = false;
  }

  // --- start -----------------------------------------------------------------------------

  function start() {
    current = load();
    // A choice made on another site (another address) arrives in the address once.
    var params = new URLSearchParams(location.search);
    var code = params.get("municipality");
    if (code) {
      var link = document.querySelector('[data-municipality-picker] a[data-code="' + CSS.escape(code) + '"]');
      if (link) {
        current = fromLink(link);
        save(current);
      }
      params.delete("municipality");
      var rest = params.toString();
      history.replaceState(null, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
    }
    document.querySelectorAll("[data-municipality-picker]").forEach(function (picker) {
      setUp(picker);
    });
    if (current) {
      arrange();
      showHeaderLink(current);
    }
    offerNearest();
  }

  start();
})();
