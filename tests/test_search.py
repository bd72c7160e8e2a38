"""Search: compound parts, derived forms, the crisis vocabulary, the index of every site and
language, and queries in Chromium (the search page's crisis box, more results, no results)."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.build import build
from pipeline.deploy.page_facts import facts_of
from pipeline.site.search import (
    NATIONAL_BUNDLE,
    SITE_BUNDLE,
    CompoundSplitter,
    CrisisVocabulary,
    compound_parts,
    derivation_bases,
    index_files,
    minen_candidates,
    national_index_pages,
    own_pages,
    read_part,
    search_terms,
    search_view,
)
from pipeline.site.slots import UNSEARCHED_PART
from pipeline.sources.ptv.fetch import Fetcher
from pipeline.sources.ptv.source import V11Source
from tests import ptv_objects as o
from tests.helpers import REPO, make_project, read_page

VOCABULARY = CrisisVocabulary.load(REPO / "search" / "crisis.yml")
TINY_CRISIS = """\
emergency: "112"
help_article: tuet
groups:
  violence:
    articles: [tuet, no-such-article-here]
    fi: {entries: [lyö, pelkään miestä], terms: [lyöminen]}
    sv: {entries: [slår mig], terms: [slår]}
    en: {entries: [hits me], terms: [hits]}
"""


def test_compound_parts_keep_derivations_with_their_stem() -> None:
    assert compound_parts("+lasten(lapsi)+neuvola(neuvola)") == ["lasten", "neuvola", "lapsi"]
    assert compound_parts("+äitiys(äitiys)+avust(avustaa)+us(+us)") == [
        "äitiys",
        "avustus",
        "avustaa",
    ]
    assert compound_parts("+neuvola(neuvola)") == ["neuvola"]


def test_derived_forms_are_spelled_by_the_verb_type() -> None:
    assert derivation_bases("+imet(imettää)+ys(+ys)") == ["imettää"]
    assert derivation_bases("+neuvola(neuvola)") == []
    assert "imettäminen" in minen_candidates("imettää")
    assert "syöminen" in minen_candidates("syödä")
    assert "nouseminen" in minen_candidates("nousta")
    assert "kiusaaminen" in minen_candidates("kiusata")
    assert "tarvitseminen" in minen_candidates("tarvita")
    assert "vanheneminen" in minen_candidates("vanheta")
    assert minen_candidates("äiti") == []


@pytest.mark.parametrize(
    ("query", "lang", "article"),
    [
        ("mieheni lyö minua", "fi", "vakivalta-perheessa"),
        ("Min man slår mig!", "sv", "vakivalta-perheessa"),
        ("my husband hits me", "en", "vakivalta-perheessa"),
        ("itsemurha", "fi", "kriisiapu"),
        ("I want to kill myself", "en", "kriisiapu"),
        ("vauva ei hengitä", "fi", "kriisiapu"),
        ("vauva ei hengita", "fi", "kriisiapu"),  # typed without ä
        ("lapsi nieli lääkettä", "fi", "kriisiapu"),
        ("babyn andas inte", "sv", "kriisiapu"),
        ("en jaksa enää", "fi", "vanhemman-jaksaminen"),
        ("I can’t cope", "en", "vanhemman-jaksaminen"),
        ("lasta lyödään", "fi", "lastensuojelu"),
    ],
)
def test_crisis_queries_match_the_vocabulary(query: str, lang: str, article: str) -> None:
    assert article in VOCABULARY.match(query, lang)


@pytest.mark.parametrize(
    ("query", "lang"),
    [
        ("neuvola", "fi"),
        ("jaksaminen", "fi"),  # "en jaksa" needs the word "en"
        ("loistava", "fi"),  # "löi" typed without ö is not "loi..."
        ("ensimmäinen neuvolakäynti", "fi"),
        ("skärmtid", "sv"),
        ("gifta sig", "sv"),
        ("breastfeeding", "en"),
    ],
)
def test_everyday_queries_do_not_match_the_crisis_vocabulary(query: str, lang: str) -> None:
    assert VOCABULARY.match(query, lang) == []


def test_crisis_vocabulary_names_real_articles_in_every_language() -> None:
    ids = {
        m.group(1)
        for path in (REPO / "content" / "fi").glob("*.md")
        if (m := re.search(r"^id: (\S+)$", path.read_text(encoding="utf-8"), re.M))
    }
    assert VOCABULARY.articles() <= ids
    assert VOCABULARY.help_article == "kriisiapu"
    for group in VOCABULARY.groups:
        for lang in ("fi", "sv", "en"):
            assert group.entries[lang] and group.terms[lang], (group.name, lang)


def test_every_crisis_query_of_the_query_set_matches_the_vocabulary() -> None:
    queries = yaml.safe_load((REPO / "search" / "queries.yml").read_text(encoding="utf-8"))
    crisis = [(lang, q) for lang, items in queries.items() for q in items if q.get("crisis")]
    assert {lang for lang, _ in crisis} == {"fi", "sv", "en"}
    for lang, item in crisis:
        assert item["article"] in VOCABULARY.match(item["q"], lang), item["q"]


@pytest.mark.slow  # needs Debian's libvoikko1 and voikko-fi (CI installs them)
def test_voikko_adds_derived_forms() -> None:
    splitter = CompoundSplitter()
    assert splitter.available, splitter.problem
    assert {"imettää", "imettäminen"} <= set(splitter.terms("imetys"))
    assert "kiusaaminen" in splitter.terms("kiusaamista")
    assert "rokottaminen" in splitter.terms("rokotukset")
    assert splitter.derived_nouns("hakata") == ()  # gradation: no wrong "hakaaminen"


@pytest.mark.slow  # needs Debian's libvoikko1 and voikko-fi (CI installs them)
def test_voikko_splits_finnish_compounds() -> None:
    splitter = CompoundSplitter()
    assert splitter.available, splitter.problem  # CI installs libvoikko1 and voikko-fi
    assert {"lasten", "neuvola"} <= set(splitter.terms("lastenneuvolaan"))
    terms = search_terms(["Eroperheen arki"], "fi", splitter, ["Perheiden palvelut"]).split()
    assert "ero" in terms and "perhe" in terms
    assert search_terms(["Eroperheen arki"], "sv", splitter) == ""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    stopwords = (REPO / "search" / "stopwords.yml").read_text(encoding="utf-8")
    files = {"search/crisis.yml": TINY_CRISIS, "search/stopwords.yml": stopwords}
    root = make_project(tmp_path_factory.mktemp("search"), files)
    shutil.rmtree(root / "snapshots")
    fake_services = [
        o.service(
            "kainuu",
            fi="Kainuun äitiysneuvola",
            # "valmennus" is only a part of a compound here and the start of no word anywhere
            # in the sites (Pagefind matches word starts): only Voikko's parts find it.
            description="Äitiysneuvola järjestää myös perhevalmennusta.",
            classes=("P5.2",),
            areas=[o.county_area("20", "205")],
        ),
        o.service(
            "porvoo",
            fi="Porvoon perheneuvola",
            sv="Familjerådgivningen i Borgå",
            classes=("P5.2",),
            areas=[o.county_area("01", "638")],
        ),
    ]
    from tests.fake_ptv import FakePtv

    with FakePtv(services=fake_services).serve() as url:
        Fetcher(V11Source(url, backoff=0), root / "snapshots" / "ptv").run(
            ["205", "638"], "full", all_areas=True
        )
    # The committed sample of activities and events (items in Kajaani at this date).
    shutil.copytree(REPO / "snapshots" / "events", root / "snapshots" / "events")
    build(root, root / "build", today=date(2026, 3, 20))
    return root / "build"


def bundle_pages(bundle: Path) -> list[dict[str, Any]]:
    """The pages of a Pagefind bundle as its fragments hold them: url, content, meta."""
    pages = []
    for path in sorted((bundle / "fragment").iterdir()):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        pages.append(json.loads(data[len(b"pagefind_dcd") :]))
    return pages


def languages(bundle: Path) -> set[str]:
    return set(json.loads((bundle / "pagefind-entry.json").read_text())["languages"])


def test_every_site_has_the_national_index_and_its_own_per_language(sites: Path) -> None:
    for slug in ("national", "kainuu", "ita-uusimaa"):
        assert languages(sites / slug / NATIONAL_BUNDLE) == {"fi", "sv", "en"}, slug
    for slug in ("kainuu", "ita-uusimaa"):
        assert languages(sites / slug / SITE_BUNDLE) == {"fi", "sv", "en"}, slug


def test_the_national_index_holds_each_article_once_per_language_and_no_county_text(
    sites: Path,
) -> None:
    found = bundle_pages(sites / "kainuu" / NATIONAL_BUNDLE)
    urls = [page["url"] for page in found]
    assert len(urls) == len(set(urls))
    articles = {
        "/" + path.relative_to(sites / "kainuu").parent.as_posix() + "/"
        for path in (sites / "kainuu").glob("*/**/index.html")
        if re.search(r'data-pagefind-filter="type:(article|plain)"', path.read_text("utf-8"))
    }
    assert {u.split("/")[1] for u in articles} == {"fi", "sv", "en"}
    assert set(urls) == articles
    assert {page["meta"]["type"] for page in found} <= {"article", "plain"}
    # The slots are left empty: no county's services, municipalities or name.
    text = json.dumps(found, ensure_ascii=False)
    for county in ("Kainuu", "Kajaani", "Porvoo", "Itä-Uusimaa", "äitiysneuvola (", "Borgå"):
        assert county not in text, county
    # One index, the same bytes in every site of the run.
    for slug in ("national", "ita-uusimaa"):
        assert_same_files(sites / "kainuu" / NATIONAL_BUNDLE, sites / slug / NATIONAL_BUNDLE)


def assert_same_files(one: Path, other: Path) -> None:
    """The same files with the same bytes (the compressed copies aside, made per site)."""

    def files(folder: Path) -> list[Path]:
        found = [p.relative_to(folder) for p in folder.rglob("*") if p.is_file()]
        return sorted(p for p in found if p.suffix not in (".br", ".gz"))

    assert files(one) and files(one) == files(other)
    for rel in files(one):
        assert (one / rel).read_bytes() == (other / rel).read_bytes(), rel


def test_a_county_index_holds_its_services_and_events_and_no_national_article(
    sites: Path,
) -> None:
    own = bundle_pages(sites / "kainuu" / SITE_BUNDLE)
    assert {page["meta"]["type"] for page in own} >= {"service", "event", "calendar"}
    assert {page["meta"]["type"] for page in own}.isdisjoint({"article", "plain"})
    titles = {page["meta"]["title"] for page in own}
    assert "Kainuun äitiysneuvola" in titles and "Porvoon perheneuvola" not in titles
    other = {page["meta"]["title"] for page in bundle_pages(sites / "ita-uusimaa" / SITE_BUNDLE)}
    assert "Porvoon perheneuvola" in other and "Kainuun äitiysneuvola" not in other


def test_the_indexes_are_split_by_what_pagefind_indexes() -> None:
    body = '<html lang="fi"><body><article data-pagefind-body>{}</article></body></html>'
    national = {
        "fi/a/index.html": body.format("Teksti<!--slot:services--><!--slot:activities-->"),
        "fi/index.html": '<html lang="fi"><body><main>Etusivu</main></body></html>',
    }
    found = national_index_pages(national)
    assert found == {"fi/a/index.html": body.format("Teksti")}
    site = {**national, "fi/palvelut/x/index.html": body.format("Palvelu")}
    facts = {rel: facts_of(html) for rel, html in site.items()}
    assert own_pages(facts, found) == ["fi/palvelut/x/index.html"]


def _own_pages(site: Path) -> dict[str, str]:
    """The pages of a built site that its own index holds, by output path."""
    pages = {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in site.rglob("*.html")}
    articles = ("type:article", "type:plain")
    national = {rel for rel, html in pages.items() if any(kind in html for kind in articles)}
    return {
        rel: pages[rel] for rel in own_pages({r: facts_of(h) for r, h in pages.items()}, national)
    }


def test_pagefind_never_reads_the_help_contacts_or_the_footer(sites: Path, tmp_path: Path) -> None:
    pages = _own_pages(sites / "kainuu")
    assert len(pages) > 10
    # The help panel and the footer; on a service page without contacts, the county's
    # contacts inside the page (data-pagefind-ignore, so Pagefind skips them too).
    counts = [html.count("<!--unsearched-->") for html in pages.values()]
    assert set(counts) == {2, 3}
    views = {rel: search_view(html) for rel, html in pages.items()}
    for rel, html in pages.items():  # the help phones are in the part left out
        assert 'href="tel:' in html and "<!--unsearched-->" not in views[rel]
        assert len(views[rel]) < len(html) - 500, rel
    # The ground truth: Pagefind makes the same bundle, byte for byte, with them and without.
    assert index_files(pages, tmp_path / "a") == index_files(views, tmp_path / "b")


def test_a_countys_index_made_per_language_at_once_is_pagefinds_index_of_all_its_pages(
    sites: Path, tmp_path: Path
) -> None:
    site = sites / "kainuu"
    pages = _own_pages(site)
    assert {facts_of(html).lang for html in pages.values()} == {"fi", "sv", "en"}
    whole = index_files({rel: search_view(html) for rel, html in pages.items()}, tmp_path)
    folder = site / SITE_BUNDLE
    written = {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.suffix not in (".br", ".gz")
    }
    assert written == whole


def test_pagefind_makes_the_same_articles_index_of_their_head_and_main(
    sites: Path, tmp_path: Path
) -> None:
    site = sites / "kainuu"
    pages = {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in site.rglob("*.html")}
    articles = {rel: html for rel, html in pages.items() if 'data-pagefind-filter="type:' in html}
    articles = {rel: html for rel, html in articles.items() if "type:article" in html}
    assert len(articles) >= 4
    whole = {rel: UNSEARCHED_PART.sub("", html) for rel, html in articles.items()}
    parts = {rel: read_part(html) for rel, html in whole.items()}
    for rel, html in parts.items():  # the menus, the breadcrumbs' header, the footer: left out
        assert "<main" in html and "<header" not in html.split("<main")[0], rel
        assert len(html) < len(whole[rel]) - 1000, rel
    assert index_files(whole, tmp_path / "a") == index_files(parts, tmp_path / "b")


PAGE = (
    '<!doctype html>\n<html lang="fi">\n<head><title>Neuvola</title></head>\n'
    '<body class="page-service"><header><nav><a href="../">Etusivu</a></nav></header>\n'
    '<main id="main"><article data-pagefind-body>Neuvola</article></main>\n'
    "<footer>Yhteystiedot</footer>\n</body>\n</html>\n"
)


def test_pagefind_is_given_the_head_and_the_main_of_a_page() -> None:
    assert read_part(PAGE) == (
        '<!doctype html>\n<html lang="fi">\n<head><title>Neuvola</title></head>\n<body>\n'
        '<main id="main"><article data-pagefind-body>Neuvola</article></main>\n</body>\n</html>\n'
    )
    # A new menu or footer is not a new view of the page (nor a new index).
    other = PAGE.replace("Etusivu", "Koti").replace("Yhteystiedot", "Ota yhteyttä")
    assert facts_of(other).view == facts_of(PAGE).view
    assert facts_of(PAGE.replace(">Neuvola</article>", ">Perheneuvola</article>")).view != (
        facts_of(PAGE).view
    )


@pytest.mark.parametrize(
    "page",
    [
        # Pagefind reads its attributes anywhere: one outside the main keeps the whole page.
        PAGE.replace("<footer>", '<footer data-pagefind-filter="place:Kajaani">'),
        PAGE.replace("<main", "<main data-x></main><main"),  # two mains
        PAGE.replace(" data-pagefind-body", ""),  # not indexed
        PAGE.replace("</main>", ""),  # no end
    ],
)
def test_a_page_pagefind_could_read_otherwise_is_given_whole(page: str) -> None:
    assert read_part(page) == page


def test_a_new_help_phone_is_not_a_new_site_index() -> None:
    page = (
        '<html lang="fi"><body><header><!--unsearched-->{}<!--/unsearched--></header>'
        "<article data-pagefind-body>{}</article></body></html>"
    )
    before = {"fi/palvelut/x/index.html": page.format("Soita 08 123", "Neuvola")}
    after = {"fi/palvelut/x/index.html": page.format("Soita 08 999", "Neuvola")}
    edited = {"fi/palvelut/x/index.html": page.format("Soita 08 123", "Perheneuvola")}
    view = facts_of(before["fi/palvelut/x/index.html"]).view
    assert view is not None and facts_of(after["fi/palvelut/x/index.html"]).view == view
    assert facts_of(edited["fi/palvelut/x/index.html"]).view != view


def test_pages_mark_what_is_indexed(sites: Path) -> None:
    article = read_page(next((sites / "kainuu/fi").glob("*/neuvola/index.html")))
    body = article.find("article")
    assert (
        "data-pagefind-body" in body.attrs and body.attrs["data-pagefind-filter"] == "type:article"
    )
    terms = article.find("span", **{"data-pagefind-index-attrs": "data-terms"}).attrs["data-terms"]
    assert "neuvolapalvelut" in terms  # the name of the article's PTV service class
    assert "data-pagefind-ignore" in article.find("p", class_="page-meta").attrs
    search = read_page(sites / "kainuu/sv/sok/index.html")
    assert search.find("html").attrs["lang"] == "sv"
    assert search.find("label", **{"for": "search-input"}).text == "Sök på webbplatsen"
    assert "Sökningen behöver JavaScript" in " ".join(e.text for e in search.find_all("p"))


def test_search_page_embeds_the_crisis_vocabulary_and_the_help(sites: Path) -> None:
    page = read_page(sites / "kainuu/fi/haku/index.html")
    script = page.find("script", id="search-vocabulary")
    vocabulary = json.loads(script.text)
    group = vocabulary["crisis"]["groups"][0]
    assert group["entries"] == ["lyö", "pelkään miestä"]
    # the article of the group, relative to the search page; one not in the project is left out
    assert [a["url"] for a in group["articles"]] == ["../../fi/raha-ja-tuet/tuet/"]
    assert (sites / "kainuu/fi/raha-ja-tuet/tuet/index.html").is_file()
    assert "hidden" in page.find("section", id="search-help").attrs
    assert "hidden" in page.find("section", id="search-empty").attrs
    html = (sites / "kainuu/fi/haku/index.html").read_text(encoding="utf-8")
    box = html[html.index('id="search-help"') :].split("</section>")[0]
    assert re.findall(r'href="([^"]*)"', box) == ["tel:112"]
    empty = html[html.index('id="search-empty"') :].split("</section>")[0]
    assert re.findall(r'href="([^"]*)"', empty) == [
        "tel:112",
        "../../fi/raha-ja-tuet/tuet/",
        "../../fi/#themes",
    ]
    assert "hidden" in page.find("button", id="search-more").attrs
    swedish = json.loads(
        read_page(sites / "kainuu/sv/sok/index.html").find("script", id="search-vocabulary").text
    )
    assert swedish["crisis"]["groups"][0]["entries"] == ["slår mig"]
    # the words of grammar the page leaves out of what it asks the index, per language
    assert "ei" in vocabulary["stopwords"] and "inte" in swedish["stopwords"]
    assert "ei" not in swedish["stopwords"]


def test_crisis_articles_get_the_crisis_terms_in_their_index(sites: Path) -> None:
    article = read_page(sites / "kainuu/fi/raha-ja-tuet/tuet/index.html")
    terms = article.find("span", **{"data-pagefind-index-attrs": "data-terms"}).attrs["data-terms"]
    assert "lyöminen" in terms.split()
    other = read_page(next((sites / "kainuu/fi").glob("*/neuvola/index.html")))
    span = other.find("span", **{"data-pagefind-index-attrs": "data-terms"})
    assert span is None or "lyöminen" not in span.attrs["data-terms"]


@pytest.mark.slow  # needs Chromium, and Voikko for the compound parts (CI installs them)
def test_queries_in_chromium_stay_in_their_language_and_county(sites: Path) -> None:
    from playwright.sync_api import sync_playwright

    from pipeline.quality.browser_audit import CHROMIUM_ARGS, chromium_path, serving

    def search(page, site: str, lang: str, query: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
        folder = {"fi": "haku", "sv": "sok", "en": "search"}[lang]
        page.goto(f"{base}{site}/{lang}/{folder}/")
        page.wait_for_function("() => !!window.perhekeskusSearch")
        found = page.evaluate("async (q) => (await window.perhekeskusSearch(q, '')).data", query)
        return [{"url": d["url"], "title": d["meta"]["title"]} for d in found]

    splitter = CompoundSplitter()
    assert splitter.available, splitter.problem  # the sites were indexed without compound parts
    with serving(sites) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        swedish = search(page, "ita-uusimaa", "sv", "rådgivningen")
        assert swedish and all("/sv/" in r["url"] for r in swedish)
        # Voikko's parts of "perhevalmennusta" in the service's description, in its index terms
        assert [r["title"] for r in search(page, "kainuu", "fi", "valmennus")] == [
            "Kainuun äitiysneuvola"
        ]
        # "ei" is a word of grammar: without it left out, the short word would keep only the
        # pages where "ei" stands as a word, and the service does not say it
        assert [r["title"] for r in search(page, "kainuu", "fi", "ei valmennus")] == [
            "Kainuun äitiysneuvola"
        ]
        assert "Kainuun äitiysneuvola" in [
            r["title"] for r in search(page, "kainuu", "fi", "äitiysneuvola")
        ]
        assert "Kainuun äitiysneuvola" not in [
            r["title"] for r in search(page, "ita-uusimaa", "fi", "äitiysneuvola")
        ]
        assert "Porvoon perheneuvola" in [
            r["title"] for r in search(page, "ita-uusimaa", "fi", "perheneuvola")
        ]
        assert all(u.startswith(base) for u in requests)  # nothing from another host
        browser.close()


@pytest.mark.slow  # needs Chromium
def test_a_county_search_finds_articles_and_its_services_and_stays_in_the_county(
    sites: Path,
) -> None:
    from playwright.sync_api import sync_playwright

    from pipeline.quality.browser_audit import CHROMIUM_ARGS, chromium_path, serving

    done = "() => { const s = document.getElementById('search-status').textContent;"
    done += " return s && !s.endsWith('…'); }"
    with serving(sites) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}kainuu/fi/haku/?q=neuvola")
        page.wait_for_function(done)
        found = page.evaluate("async () => (await window.perhekeskusSearch('neuvola', '')).data")
        kinds = {d["meta"]["type"] for d in found}
        assert {"article", "service"} <= kinds  # from the national index and the county's
        assert all(d["url"].startswith("/kainuu/fi/") for d in found)
        assert "Kainuun äitiysneuvola" in [d["meta"]["title"] for d in found]
        services = page.evaluate(
            "async () => (await window.perhekeskusSearch('neuvola', 'service')).data"
        )
        assert services and {d["meta"]["type"] for d in services} == {"service"}
        # The article found opens in the county, with the county's services.
        article = next(d for d in found if d["url"].endswith("/neuvola/"))
        assert article["meta"]["type"] == "article"
        page.click(f"#search-results a[href='{article['url']}']")
        page.wait_for_url(f"{base.rstrip('/')}{article['url']}")
        assert "Kainuun äitiysneuvola" in page.inner_text("section.services")
        browser.close()


@pytest.mark.slow
def test_search_page_shows_help_first_and_help_when_nothing_is_found(sites: Path) -> None:
    from playwright.sync_api import sync_playwright

    from pipeline.quality.browser_audit import CHROMIUM_ARGS, chromium_path, serving

    done = "() => { const s = document.getElementById('search-status').textContent;"
    done += " return s && !s.endsWith('…'); }"
    with serving(sites) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}kainuu/fi/haku/?q=pelkään+miestäni")
        page.wait_for_function(done)
        assert page.is_visible("#search-help")
        assert page.get_attribute("#search-help a[href^='tel:']", "href") == "tel:112"
        assert page.inner_text("#search-help-articles") == "Tuet"
        found = page.evaluate(
            "async () => (await window.perhekeskusSearch('pelkään miestäni', '')).data"
        )
        assert found[0]["meta"]["title"] == "Tuet" and found[0]["crisis"]
        page.fill("#search-input", "zzqqxx")
        page.press("#search-input", "Enter")
        page.wait_for_function(done)
        assert page.is_hidden("#search-help") and page.is_visible("#search-empty")
        assert page.is_hidden("#search-more")
        browser.close()


def test_pagefind_runs_in_memory_and_removes_what_a_killed_build_left_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.site import search

    memory = tmp_path / "shm"
    memory.mkdir()
    monkeypatch.setattr(search, "MEMORY_FOLDER", memory)
    gone = memory / f"{search.SCRATCH_PREFIX}999999999-abc"  # no such process
    alive = memory / f"{search.SCRATCH_PREFIX}{os.getpid()}-abc"  # another run of this one
    for folder in (gone, alive):
        (folder / "site").mkdir(parents=True)
    scratch = tmp_path / "scratch"
    page = '<html lang="fi"><body><main data-pagefind-body><h1>Neuvola</h1></main></body></html>'
    seen: list[Path] = []
    run = search.run_pagefind

    def noting(site_dir: Path, bundle: Path) -> None:
        seen.append(site_dir)
        run(site_dir, bundle)

    monkeypatch.setattr(search, "run_pagefind", noting)
    files = search.cached_bundle("key", lambda: {"fi/index.html": page}, scratch)
    assert "pagefind-entry.json" in files
    assert seen[0].parent.parent.parent == memory and not seen[0].exists()
    assert not gone.exists() and alive.exists() and not scratch.exists()

    # Without a folder in memory: in the scratch folder given, removed after.
    monkeypatch.setattr(search, "MEMORY_FOLDER", tmp_path / "none")
    assert search.cached_bundle("key", lambda: {"fi/index.html": page}, scratch) == files
    assert seen[1] == scratch / "site" and not scratch.exists()
