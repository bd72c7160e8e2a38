"""The writers' tools: lint, translation status, scaffolding and the live preview."""

from __future__ import annotations

import threading
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.content.lint import check_plain, check_sources, check_text, lint
from pipeline.content.load import load_project
from pipeline.content.scaffold import new_article, new_translation
from pipeline.content.translations import project_status
from pipeline.preview import Preview, make_server
from pipeline.site.render import render_problems
from tests.helpers import ARTICLE_SV, make_project, read_page


def test_text_checks_speak_the_writers_language() -> None:
    body = (
        "Teksti.\n\n#### Liian syvä\n\n![](kuva.png)\n\n[https://kela.fi](https://kela.fi)\n\n##\n"
    )
    found = [str(m) for m in check_text("content/fi/x.md", "fi", body, 10)]
    assert "content/fi/x.md:12:1: error: otsikkotaso hyppää tasolta 1 tasolle 4" in found[0]
    assert any(
        m.startswith("content/fi/x.md:14:1: error: kuvalta puuttuu vaihtoehtoinen teksti")
        for m in found
    )
    assert any("content/fi/x.md:16:1: error: linkin tekstinä on verkko-osoite" in m for m in found)
    assert any("content/fi/x.md:18:1: error: otsikossa ei ole tekstiä" in m for m in found)
    dials = (
        "Soita [080 005 005](tel:080005005) tai [112](tel:112) "
        "tai [09 2525 0111](tel:+358925250111).\n"
    )
    assert [str(m) for m in check_text("content/fi/y.md", "fi", dials, 3)] == [
        "content/fi/y.md:3:7: error: puhelinlinkki tel:080005005 ei soita numeroon 080 005 005, "
        "joka sen tekstissä näkyy (kirjoita linkki kansainvälisessä muodossa: "
        "[080 005 005](tel:+35880005005))"
    ]
    swedish = [str(m) for m in check_text("content/sv/x.md", "sv", "![](bild.png)\n", 5)]
    assert swedish == [
        "content/sv/x.md:5:1: error: bilden saknar alternativ text (skriv inom hakparentesen vad "
        "bilden visar: ![Babyn sover på rygg](bild.jpg))"
    ]


def test_plain_language_metrics_warn() -> None:
    long = (
        "Tämä on virke, jossa on aivan liian monta sanaa selkokieliseksi tekstiksi "
        "ja se jatkuu vielä pitkään."
    )
    found = check_plain("content/fi/x.selko.md", "fi", f"{long}\n\nLyhyt virke.\n", 8)
    assert [(m.severity, m.line) for m in found] == [("warning", 8)]
    assert "virke on pitkä (16 sanaa)" in found[0].message


def test_lint_reports_everything_and_github_annotations(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    root = make_project(
        tmp_path,
        {
            "content/sv/radgivning.md": ARTICLE_SV.replace(
                "review_date: 2027-06-30", "review_date: 2020-01-01"
            )
            + "\n![](bild.png)\n",
            "content/fi/rikki.md": "---\nid: rikki\ntitle: Rikki\n---\n",
        },
    )
    messages = [str(m) for m in lint(root, render_problems, today=date(2026, 11, 24))]
    assert any(m.startswith("content/fi/rikki.md:") and "summary" in m for m in messages)
    assert any(
        m.startswith("content/sv/radgivning.md:")
        and "granskningsdatumet 2020-01-01 har passerat" in m
        for m in messages
    )
    assert any("bilden saknar alternativ text" in m for m in messages)
    assert main(["--root", str(root), "lint", "--format", "github"]) == 1
    out = capsys.readouterr().out
    assert "::error file=content/sv/radgivning.md,line=" in out
    assert "::warning file=content/sv/radgivning.md,line=5,col=1::granskningsdatumet" in out


def test_stale_translations_are_listed_and_marked_on_the_site(tmp_path: Path) -> None:
    from pipeline.build import build
    from pipeline.content.translations import stamp

    root = make_project(tmp_path)
    project = load_project(root)
    source = project.articles["neuvola"].source
    stamp(root / "content/sv/radgivning.md", source.doc.revision)
    stamp(root / "content/en/maternity-clinic.md", source.doc.revision)
    status = {s.id: s for s in project_status(load_project(root))}["neuvola"]
    assert [v.state for v in status.versions[:2]] == ["current", "current"]

    finnish = root / "content/fi/neuvola.md"
    finnish.write_text(
        finnish.read_text().replace(
            "Neuvolassa seurataan raskautta.", "Neuvolassa seurataan raskautta ja vointia."
        )
    )
    status = {s.id: s for s in project_status(load_project(root))}["neuvola"]
    assert [v.state for v in status.versions] == [
        "stale",
        "stale",
        "unknown",
        "missing",
        "missing",
    ]
    build(root, root / "build", areas=["kainuu"], national=False)
    page = read_page(next((root / "build/kainuu/sv").glob("*/radgivning/index.html")))
    note = page.by_class("stale-note")[0]
    assert "Den här texten kan vara inaktuell" in note.text
    assert not read_page(next((root / "build/kainuu/fi").glob("*/neuvola/index.html"))).by_class(
        "stale-note"
    )

    # A review date change in the source is not a change of the text.
    finnish.write_text(
        finnish.read_text().replace("review_date: 2027-06-30", "review_date: 2027-09-30")
    )
    stamp(
        root / "content/sv/radgivning.md",
        load_project(root).articles["neuvola"].source.doc.revision,
    )
    finnish.write_text(
        finnish.read_text().replace("review_date: 2027-09-30", "review_date: 2027-12-31")
    )
    status = {s.id: s for s in project_status(load_project(root))}["neuvola"]
    assert status.versions[0].state == "current"


def test_translations_command_writes_the_report(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    root = make_project(tmp_path)
    assert (
        main(
            [
                "--root",
                str(root),
                "translations",
                "--mark-current",
                str(root / "content/sv/radgivning.md"),
            ]
        )
        == 0
    )
    assert main(["--root", str(root), "translations"]) == 0
    assert "neuvola" in capsys.readouterr().out
    html = (root / "build/reports/translations.html").read_text()
    assert "content/sv/radgivning.md" in html and "missing" in html


def test_scaffolded_files_are_valid_and_linked(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    project = load_project(root)
    path = new_article(
        project, "Vauvan uni ja päiväunet", "vauva", ["baby"], today=date(2026, 11, 24)
    )
    assert path.name == "vauvan-uni-ja-paivaunet.md"
    project = load_project(root)  # the new file passes every check
    group = project.articles["vauvan-uni-ja-paivaunet"]
    assert group.source.meta.review_date == date(2027, 11, 24)
    translation = new_translation(project, "neuvola", "sv", plain=True)
    assert translation == root / "content/sv/radgivning.lattlast.md"
    project = load_project(root)
    plain = project.articles["neuvola"].version("sv", True)
    assert (
        plain is not None
        and plain.meta.source_revision == project.articles["neuvola"].source.doc.revision
    )
    assert "## Mitä neuvolassa tehdään" in translation.read_text()


def test_new_command_refuses_unknown_theme(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    root = make_project(tmp_path)
    assert main(["--root", str(root), "new", "article", "--title", "X", "--theme", "raskus"]) == 1
    assert "unknown theme 'raskus'" in capsys.readouterr().err


def test_preview_rebuilds_only_changed_pages_and_shows_problems(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    said: list[str] = []
    preview = Preview(root, root / "build", "kainuu", "http://127.0.0.1:1/{slug}/", said.append)
    assert preview.rebuild() > 20
    article = root / "content/fi/neuvola.md"
    article.write_text(
        article.read_text().replace(
            "Neuvolassa seurataan raskautta.", "Neuvolassa seurataan vointia."
        )
    )
    assert 0 < preview.rebuild() < 6  # the article, its plain version's switch... not the site
    article.write_text(article.read_text().replace("themes: [raskaus]", "themes: [raskus]"))
    preview.rebuild()
    assert any("unknown theme 'raskus'" in p for p in preview.problems)
    server = make_server(preview, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        html = urllib.request.urlopen(f"http://127.0.0.1:{port}/kainuu/fi/").read().decode()
        assert 'new EventSource("/__reload")' in html
        assert "unknown theme" in html and 'role="alert"' in html
    finally:
        server.shutdown()
        server.server_close()
    assert not (root / "build/kainuu/fi/index.html").read_text().count("EventSource")


def test_lint_finds_links_to_missing_articles(tmp_path: Path) -> None:
    from tests.helpers import ARTICLE_FI

    root = make_project(
        tmp_path, {"content/fi/neuvola.md": ARTICLE_FI.replace("(tuet.md)", "(tuki.md)")}
    )
    messages = [str(m) for m in lint(root, render_problems)]
    assert any(
        m.startswith("content/fi/neuvola.md:")
        and "'tuki.md' points to a file that does not exist" in m
        for m in messages
    )


def test_home_page_sources_are_errors_in_the_writers_language() -> None:
    text = (
        "---\n"
        "id: x\n"
        "sources:\n"
        '  - title: "THL: Imetys"\n'
        "    url: https://thl.fi/aiheet/lapset-nuoret-ja-perheet/imetys\n"
        "  - title: THL\n"
        "    url: https://thl.fi/\n"
        "  - {title: OPH, url: 'https://www.oph.fi/fi'}\n"
        "  - title: MLL\n"
        "    url: https://www.mll.fi\n"
        "---\n"
        "Teksti, joka mainitsee https://thl.fi/ ei ole lähde.\n"
    )
    assert [str(m) for m in check_sources("content/fi/x.md", "fi", text)] == [
        "content/fi/x.md:7:1: error: sources: 'https://thl.fi/' on sivuston etusivu; "
        "linkitä suoraan sivu, joka kertoo aiheesta",
        "content/fi/x.md:8:1: error: sources: 'https://www.oph.fi/fi' on sivuston etusivu; "
        "linkitä suoraan sivu, joka kertoo aiheesta",
        "content/fi/x.md:10:1: error: sources: 'https://www.mll.fi' on sivuston etusivu; "
        "linkitä suoraan sivu, joka kertoo aiheesta",
    ]
    swedish = text.replace("https://thl.fi/\n", "https://thl.fi/sv/\n")
    assert next(str(m) for m in check_sources("content/sv/x.md", "sv", swedish)) == (
        "content/sv/x.md:7:1: error: sources: 'https://thl.fi/sv/' är sajtens startsida; "
        "länka direkt till sidan som handlar om ämnet"
    )
    english = text.replace("https://thl.fi/\n", "https://thl.fi/en\n")
    assert next(str(m) for m in check_sources("content/en/x.md", "en", english)) == (
        "content/en/x.md:7:1: error: sources: 'https://thl.fi/en' is a home page; "
        "link the exact page on the topic"
    )
    exact = "---\nid: x\nsources:\n  - title: Kela\n    url: https://www.kela.fi/elatustuki\n---\n"
    assert check_sources("content/fi/y.md", "fi", exact) == []
    assert check_sources("content/fi/z.md", "fi", "Ei etusivua: https://thl.fi/\n") == []


def test_lint_reports_home_page_sources(tmp_path: Path) -> None:
    from tests.helpers import ARTICLE_FI

    home = "sources:\n  - title: THL\n    url: https://thl.fi/sv/\nreview_date:"
    root = make_project(
        tmp_path, {"content/fi/neuvola.md": ARTICLE_FI.replace("review_date:", home, 1)}
    )
    messages = [str(m) for m in lint(root, render_problems)]
    assert [m for m in messages if "etusivu" in m] == [
        "content/fi/neuvola.md:13:1: error: sources: 'https://thl.fi/sv/' on sivuston etusivu; "
        "linkitä suoraan sivu, joka kertoo aiheesta"
    ]


def test_a_preview_after_saves_shows_what_a_fresh_preview_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the preview keeps between saves (articles read, matches, pages of the same key)
    never shows an old page: after a text edit and a county edit, its pages are a fresh
    preview's."""
    monkeypatch.setenv("PERHEKESKUS_CACHE", "on")
    root = make_project(tmp_path)
    base = "http://127.0.0.1:1/{slug}/"
    preview = Preview(root, root / "build", "kainuu", base, lambda _: None)
    preview.rebuild()
    article = root / "content/fi/neuvola.md"
    article.write_text(article.read_text() + "\nUusi kappale neuvolasta.\n")
    preview.rebuild()
    region = root / "regions/kainuu.yml"
    region.write_text(region.read_text().replace("Kainuu", "Kainuun", 1))
    preview.rebuild()
    fresh = Preview(root, root / "fresh", "kainuu", base, lambda _: None)
    fresh.rebuild()
    assert preview.problems == fresh.problems
    assert preview.pages == fresh.pages
    assert any("Uusi kappale neuvolasta." in html for html in preview.pages.values())
