"""The gate checking national pages once and per site only their slots finds exactly what the
full-page check finds: violations in a national part, in a fragment and across the boundary
between them, one per rule family, on hand-made pages and on a fixture build."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from pipeline.build import BuildReport, load, match, render
from pipeline.build import _assets as assets_of
from pipeline.build import _published as published_of
from pipeline.cache import BuildCache
from pipeline.quality.check import Finding, check_sites
from pipeline.quality.check_slots import Skeleton, check_filled_sites, skeleton_of
from pipeline.site.slots import CompiledPage, compile_page, fill
from pipeline.site.specialise import Specialiser
from tests.helpers import make_project

# A national page: slots in the title (text), the head, the header, a help panel, a paragraph
# and the main content, as the theme puts them.
NATIONAL = """\
<!doctype html>
<html lang="fi"><head><title>Sivu – <!--slot:site-title--></title>
<link rel="stylesheet" href="../../assets/style.css">
<!--slot:head-->
</head><body>
<a href="#main">Siirry sisältöön</a>
<header><div class="bar"><!--slot:identity--></div>
<nav aria-label="Kieli"><a href="../../sv/">På svenska</a></nav>
<details><summary>Apua</summary><div class="panel"><!--slot:help-->
<button type="button">Sulje</button></div></details></header>
<main id="main"><h1>Otsikko</h1>
<p>Lue <a href="../">lisää</a> <!--slot:inline--> täältä.</p>
<h2 id="osa">Osa</h2>
<!--slot:services-->
<p>Loppu.</p>
</main>
<footer><nav aria-label="Aiheet"><a href="../../fi/">Etusivu</a></nav><!--slot:footer--></footer>
</body></html>"""

FRAGMENTS = {
    "site-title": "Perhekeskus Kainuu",
    "head": '<link rel="canonical" href="https://kainuu.example/fi/sivu/">',
    "identity": '<a class="logo" href="../../fi/">Kainuun\nperhekeskus</a>',
    "help": '<h2 class="help-heading">Apua nyt</h2>\n<ul>\n<li><a href="tel:+358401234567">'
    "040 123 4567</a></li>\n</ul>",
    "inline": "<em>heti</em>",
    "services": '<section aria-labelledby="palvelut"><h2 id="palvelut">Palvelut</h2>\n'
    '<ul><li><a href="../../fi/">Neuvola</a></li></ul></section>',
    "footer": '<p class="area">Kainuu</p>',
}
PATH = "fi/sivu/index.html"
OTHER = "fi/index.html"
PUBLISHED = ("assets/style.css", "sv/index.html", "index.html")

Change = Callable[[str, dict[str, str]], tuple[str, dict[str, str]]]


def national(old: str, new: str) -> Change:
    def change(page: str, fragments: dict[str, str]) -> tuple[str, dict[str, str]]:
        assert old in page
        return page.replace(old, new, 1), fragments

    return change


def fragment(slot: str, text: str) -> Change:
    def change(page: str, fragments: dict[str, str]) -> tuple[str, dict[str, str]]:
        return page, {**fragments, slot: text}

    return change


def both(*changes: Change) -> Change:
    def change(page: str, fragments: dict[str, str]) -> tuple[str, dict[str, str]]:
        for one in changes:
            page, fragments = one(page, fragments)
        return page, fragments

    return change


CASES: dict[str, Change] = {
    # In a national part.
    "national: image without alt": national("<p>Loppu.</p>", '<p><img src="x.png">Loppu.</p>'),
    "national: link without a name": national(">Etusivu<", "><"),
    "national: inline handler": national("<p>Loppu.</p>", '<p onclick="x()">Loppu.</p>'),
    "national: bad lang": national('lang="fi"><head>', 'lang="suomi"><head>'),
    "national: malformed tel": national('href="../">lisää', 'href="tel:12">lisää'),
    "national: missing page": national('href="../">lisää', 'href="../ei-ole/">lisää'),
    "national: missing anchor": national('href="../">lisää', 'href="#ei-ole">lisää'),
    "national: stylesheet missing": national("assets/style.css", "assets/puuttuu.css"),
    "national: skipped heading": national("<h2 id", "<h4 id"),
    "national: table without headers": national(
        "<p>Loppu.</p>", "<table><tr><td>1</td></tr></table>"
    ),
    "national: field without a label": national("<p>Loppu.</p>", '<input type="text" name="q">'),
    "national: positive tabindex": national("<summary>", '<summary tabindex="2">'),
    # In a fragment.
    "fragment: image without alt": fragment("footer", '<img src="../../assets/style.css">'),
    "fragment: button without a name": fragment("help", '<button type="button"></button>'),
    "fragment: malformed e-mail": fragment("footer", '<a href="mailto:x">posti</a>'),
    "fragment: link to a missing page": fragment("footer", '<a href="../../ei/">Ei</a>'),
    "fragment: third-party script": fragment(
        "head", '<script src="https://cdn.example/x.js"></script>'
    ),
    "fragment: select named by its option": fragment(
        "services", "<select><option>Valitse</option></select>"
    ),
    "fragment: empty heading": fragment("help", "<h2></h2>"),
    "fragment: second h1": fragment("help", "<h1>Toinen</h1>"),
    "fragment: second main": fragment("footer", "<main><p>x</p></main>"),
    "fragment: unnamed nav": fragment("footer", '<nav><a href="../../fi/">Etusivu</a></nav>'),
    "holds, fragment: empty title fragment": fragment("site-title", ""),
    "holds, fragment: title with markup": fragment("site-title", "<b>Kainuu</b>"),
    "fragment: duplicate id within": fragment("services", '<p id="a">1</p><p id="a">2</p>'),
    "holds, fragment: unclosed element": fragment("help", "<div><p>Apua"),
    "fragment: unclosed element around an image": fragment("help", '<div><p>Apua<img src="x">'),
    "holds, fragment: stray end tag": fragment("help", "</div><p>Apua</p>"),
    # Across the boundary between the page and a fragment ("holds": the page is right only
    # with the fragment, or the fragment cannot be modelled and the page is checked in full).
    "boundary: duplicate id": fragment("services", '<p id="osa">Osa</p>'),
    "boundary: duplicate id main": fragment("help", '<p id="main">x</p>'),
    "boundary: heading skipped at a slot": fragment("services", "<h4>Palvelut</h4>"),
    "boundary: aria-labelledby to a missing id": fragment(
        "services", '<section aria-labelledby="ei-ole"><p>x</p></section>'
    ),
    "boundary: label for a page field": both(
        national("<p>Loppu.</p>", '<input type="text" id="kenttä">'),
        fragment("footer", '<label for="kenttä"></label>'),
    ),
    "holds, boundary: label in fragment names page field": both(
        national("<p>Loppu.</p>", '<input type="text" id="kenttä">'),
        fragment("footer", '<label for="kenttä">Haku</label>'),
    ),
    "holds, boundary: link name from the page": both(
        national("<p>Loppu.</p>", '<p id="nimi">Lue</p>'),
        fragment("footer", '<a href="../../fi/" aria-labelledby="nimi"></a>'),
    ),
    "boundary: same link text, different places": fragment(
        "footer", '<a href="../../sv/">Etusivu</a>'
    ),
    "boundary: context text from the page": fragment("inline", '<a href="../../sv/">lisää</a>'),
    "holds, boundary: link to an anchor in a fragment": national(
        'href="../">lisää', 'href="#palvelut">lisää'
    ),
    "boundary: link to an anchor only in the fragment, gone": both(
        national('href="../">lisää', 'href="#palvelut">lisää'),
        fragment("services", "<p>Ei palveluja.</p>"),
    ),
    "boundary: skip link not first": fragment("head", '<a href="../../fi/">Alkuun</a>'),
    "boundary: no footer landmark": national("<footer>", "<div>"),
    "holds, boundary: header only in a fragment": both(
        national("<header>", "<div>"),
        fragment("identity", "<header><p>Kainuu</p></header>"),
    ),
    "boundary: name text inside a slot": both(
        national(
            '<div class="bar"><!--slot:identity--></div>',
            '<a href="../../fi/"><!--slot:identity--></a>',
        ),
        fragment("identity", ""),
    ),
    "boundary: a link named by its slot, like another link": both(
        national(
            '<div class="bar"><!--slot:identity--></div>',
            '<a href="../../fi/"><!--slot:identity--></a>',
        ),
        fragment("identity", "På svenska"),
    ),
    "boundary: a paragraph around a link with a slot in it": national(
        "<p>Loppu.</p>", '<p>Lue <a href="../../sv/">lisää</a> <!--slot:inline--> täältä.</p>'
    ),
    "boundary: lines after a fragment": both(
        fragment("help", "<p>\n\n\nApua</p>"),
        national("<p>Loppu.</p>", '<p><img src="x.png">Loppu.</p>'),
    ),
}


def sites(page: str, fragments: Mapping[str, str]) -> dict[str, tuple[dict[str, str], str]]:
    compiled = compile_page(page)
    home = compile_page(NATIONAL)
    pages = {
        PATH: fill(compiled, lambda name: fragments[name]),
        OTHER: fill(home, lambda name: FRAGMENTS[name]),
        "fi/tapahtumat.ics": "BEGIN:VCALENDAR",
    }
    return {"kainuu": (pages, "/"), "lappi": (dict(pages), "/lappi/")}


def composed(
    page: str, fragments: Mapping[str, str], cache: BuildCache | None = None
) -> dict[str, list[Finding]]:
    compiled = compile_page(page)
    home = compile_page(NATIONAL)
    national_pages: dict[str, CompiledPage] = {PATH: compiled, OTHER: home}
    filled = {
        slug: {
            PATH: tuple(fragments[name] for name in compiled.slots),
            OTHER: tuple(FRAGMENTS[name] for name in home.slots),
        }
        for slug in ("kainuu", "lappi")
    }
    return check_filled_sites(
        sites(page, fragments), national_pages, filled, workers=1, published=PUBLISHED, cache=cache
    )


def full(page: str, fragments: Mapping[str, str]) -> dict[str, list[Finding]]:
    return check_sites(sites(page, fragments), workers=1, published=PUBLISHED)


def test_the_clean_page_passes_both_ways() -> None:
    assert full(NATIONAL, FRAGMENTS) == {"kainuu": [], "lappi": []}
    assert composed(NATIONAL, FRAGMENTS) == {"kainuu": [], "lappi": []}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_composed_check_finds_what_the_full_check_finds(case: str) -> None:
    page, fragments = CASES[case](NATIONAL, dict(FRAGMENTS))
    expected = full(page, fragments)
    # "holds": what the page needs is given across the boundary (or the fragment is one the
    # composed check cannot model and checks in full); every other case is a violation.
    assert any(expected.values()) != case.startswith("holds"), case
    found = composed(page, fragments)
    for slug in expected:
        assert Counter(found[slug]) == Counter(expected[slug]), slug


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_skeleton_kept_from_an_earlier_build_finds_the_same(case: str, tmp_path: Path) -> None:
    """The second build takes what the rules found in each skeleton from the build cache,
    instead of running them again: the same findings as the full check."""
    page, fragments = CASES[case](NATIONAL, dict(FRAGMENTS))
    expected = full(page, fragments)
    cache = BuildCache(tmp_path, on=True)
    composed(page, fragments, cache)
    hits = cache.hits
    found = composed(page, fragments, cache)
    skeletons = [skeleton_of(compile_page(p)) for p in (page, NATIONAL)]
    assert cache.hits - hits == sum(isinstance(s, Skeleton) for s in skeletons)
    for slug in expected:
        assert Counter(found[slug]) == Counter(expected[slug]), slug


def test_a_fixture_build_checks_the_same(tmp_path: Path) -> None:
    """The real theme with violations put in a slot template and in the page template: the
    composed check of every site finds what checking every filled page finds."""
    root = make_project(tmp_path)
    theme = root / "themes/perhekeskus"
    help_slot = theme / "slots/help.html"
    help_slot.write_text(
        help_slot.read_text() + '\n<h4 id="main">Apua</h4><img src="x.png">'
        '<a href="#ei-ole" aria-describedby="puuttuu">Lisää</a>\n'
    )
    base = theme / "base.html"
    base.write_text(base.read_text().replace('<main id="main"', '<main id="main" onclick="x()"'))
    report = BuildReport()
    project = load(report, root, None)
    renderer, rendered = render(report, project, False)
    specialiser = Specialiser(project, renderer, rendered)
    found_sites = match(report, project, specialiser, True, None)
    filled: dict[str, dict[str, tuple[str, ...]]] = {}
    pages: dict[str, tuple[dict[str, str], str]] = {}
    for site in found_sites:
        pages[site.slug] = (specialiser.site_pages(site, filled.setdefault(site.slug, {}))[0], "/")
    published = published_of(assets_of(root, project))
    national_pages = {info.output_path: compiled for info, compiled in specialiser.compiled}
    expected = check_sites(pages, workers=1, published=published)
    found = check_filled_sites(pages, national_pages, filled, workers=1, published=published)
    assert sum(len(f) for f in expected.values()) > 20
    assert all(filled[slug] for slug in pages)
    for slug in expected:
        assert Counter(found[slug]) == Counter(expected[slug]), slug


def test_one_site_at_a_time_in_a_gate_process() -> None:
    """The per-site entry point a streaming build's gate process uses."""
    from pipeline.quality.check_slots import check_filled_site, start_worker

    page, fragments = CASES["boundary: duplicate id"](NATIONAL, dict(FRAGMENTS))
    compiled, home = compile_page(page), compile_page(NATIONAL)
    start_worker({PATH: compiled, OTHER: home})
    pages, base = sites(page, fragments)["kainuu"]
    filled = {
        PATH: tuple(fragments[name] for name in compiled.slots),
        OTHER: tuple(FRAGMENTS[name] for name in home.slots),
    }
    found = check_filled_site("kainuu", pages, base, filled, PUBLISHED)
    assert found and Counter(found) == Counter(full(page, fragments)["kainuu"])


def test_an_analysis_of_another_page_is_not_taken() -> None:
    """A kept analysis whose elements are not the page's (a cache entry of another version)
    is dropped and the page analysed anew: its own findings, not the other page's."""
    page, _ = CASES["national: image without alt"](NATIONAL, dict(FRAGMENTS))
    other = Skeleton(compile_page(NATIONAL))
    fresh = Skeleton(compile_page(page))
    given = Skeleton(compile_page(page), other.analysis)
    assert given.analysis == fresh.analysis != other.analysis
    assert [(m, c) for _, m, c in given.static] == [(m, c) for _, m, c in fresh.static]
