"""The gate's rules for what is cheap to miss: form fields whose only "label" is their own
content, elements with the role of a button or link and no name, images, stylesheets and
scripts that are not files of the site, and id references to nothing.

Each rule is fed a small page that breaks it (the finding names the element and the WCAG
criterion) and one that keeps it (no finding).
"""

from __future__ import annotations

import pytest

from pipeline.quality.check import Finding, check_site

# A page of the site at fi/sivu/: everything the rules below look at is added to its <main>.
SHELL = """\
<!doctype html>
<html lang="fi"><head><title>Sivu</title>
<link rel="stylesheet" href="../../assets/style.css">
<script src="../../assets/help.js" defer></script>
</head><body>
<a href="#main">Siirry sisältöön</a>
<header><a href="/fi/">Perhekeskus</a></header>
<nav aria-label="Aiheet"><a href="/fi/">Etusivu</a></nav>
<main id="main"><h1>Otsikko</h1>
{body}
</main>
<footer><p>Alatunniste</p></footer>
</body></html>"""
PUBLISHED = ("assets/style.css", "assets/help.js", "assets/logo.svg")


def findings(
    body: str, head: str = "", published: tuple[str, ...] = PUBLISHED, base: str = "/"
) -> list[Finding]:
    html = SHELL.format(body=body).replace("</head>", head + "</head>")
    site = {"fi/index.html": SHELL.format(body=""), "fi/sivu/index.html": html}
    return check_site("testi", site, base, published=published)


def said(found: list[Finding]) -> list[str]:
    return [f"{f.element}: {f.message} (WCAG {f.criterion})" for f in found]


def test_the_shell_passes() -> None:
    assert said(findings("<p>Teksti.</p>")) == []


FAILING = {
    "select named only by its option": (
        '<select name="kunta"><option>Valitse kunta</option><option>Kajaani</option></select>',
        "<select",
        "form field without a label",
        "1.3.1",
    ),
    "textarea named only by its text": (
        '<textarea name="viesti">Kirjoita viesti</textarea>',
        "<textarea",
        "form field without a label",
        "1.3.1",
    ),
    "select inside a label with no text of its own": (
        "<label><select><option>Kajaani</option></select></label>",
        "<select",
        "form field without a label",
        "1.3.1",
    ),
    "label for a field with an empty label": (
        '<label for="k"></label><select id="k"><option>Kajaani</option></select>',
        "<select",
        "form field without a label",
        "1.3.1",
    ),
    "aria-labelledby to a missing id is no label": (
        '<textarea aria-labelledby="ei-ole">Kirjoita</textarea>',
        "<textarea",
        "form field without a label",
        "1.3.1",
    ),
    "role=button without a name": (
        '<div role="button" tabindex="0"><img src="../../assets/logo.svg" alt=""></div>',
        "<div",
        'role="button" without an accessible name',
        "4.1.2",
    ),
    "role=link without a name": (
        '<span role="link" tabindex="0"></span>',
        "<span",
        'role="link" without an accessible name',
        "4.1.2",
    ),
    "a without href but role=button and no name": (
        '<a role="button" tabindex="0"> </a>',
        "<a",
        'role="button" without an accessible name',
        "4.1.2",
    ),
    "image that is not a file of the site": (
        '<img src="kuva.png" alt="Neuvola">',
        '<img src="kuva.png">',
        "image that is not a file of the site: kuva.png",
        "1.1.1",
    ),
    "image from another site": (
        '<img src="https://cdn.example.com/kuva.png" alt="Neuvola">',
        "<img",
        "image loaded from outside the site: https://cdn.example.com/kuva.png",
        "1.1.1",
    ),
    "image with an empty src": (
        '<img src="" alt="Neuvola">',
        "<img",
        "image with an empty src",
        "1.1.1",
    ),
    "label for a missing id": (
        '<label for="ei-ole">Kunta</label><input id="kunta" aria-label="Kunta">',
        "<label",
        "for names the missing id 'ei-ole'",
        "1.3.1",
    ),
    "aria-describedby to a missing id": (
        '<input aria-label="Kunta" aria-describedby="ohje">',
        "<input",
        "aria-describedby names the missing id 'ohje'",
        "4.1.2",
    ),
    "aria-controls to a missing id": (
        '<button aria-controls="paneeli" aria-expanded="false">Apua</button>',
        "<button",
        "aria-controls names the missing id 'paneeli'",
        "4.1.2",
    ),
    "aria-owns to a missing id": (
        '<div role="combobox" aria-owns="lista" aria-label="Kunta"></div>',
        "<div",
        "aria-owns names the missing id 'lista'",
        "4.1.2",
    ),
    "aria-activedescendant to a missing id": (
        '<input aria-label="Kunta" aria-activedescendant="valinta-3">',
        "<input",
        "aria-activedescendant names the missing id 'valinta-3'",
        "4.1.2",
    ),
    "list to a missing datalist": (
        '<label for="kunta">Kunta</label><input id="kunta" list="kunnat">',
        "<input",
        "list names the missing id 'kunnat'",
        "4.1.2",
    ),
    "headers to a missing header cell": (
        '<table><tr><th id="paiva">Päivä</th></tr><tr><td headers="aika">ma</td></tr></table>',
        "<td",
        "headers names the missing id 'aika'",
        "1.3.1",
    ),
    "aria-errormessage to a missing id": (
        '<input aria-label="Puhelin" aria-invalid="true" aria-errormessage="virhe">',
        "<input",
        "aria-errormessage names the missing id 'virhe'",
        "3.3.1",
    ),
    "aria-details to a missing id": (
        '<img src="../../assets/logo.svg" alt="Kaavio" aria-details="selitys">',
        "<img",
        "aria-details names the missing id 'selitys'",
        "1.3.1",
    ),
    "aria-labelledby to one missing id of two": (
        '<section aria-labelledby="otsikko puuttuu"><h2 id="otsikko">Osa</h2></section>',
        "<section",
        "aria-labelledby names the missing id 'puuttuu'",
        "4.1.2",
    ),
}


@pytest.mark.parametrize(("body", "element", "message", "criterion"), FAILING.values(), ids=FAILING)
def test_each_rule_names_the_element_and_criterion(
    body: str, element: str, message: str, criterion: str
) -> None:
    found = [f for f in findings(body) if f.page == "fi/sivu/index.html"]
    assert any(
        f.element.startswith(element) and f.message == message and f.criterion == criterion
        for f in found
    ), said(found)


@pytest.mark.parametrize(
    ("head", "message", "criterion"),
    [
        (
            '<link rel="stylesheet" href="../../assets/puuttuu.css">',
            "stylesheet that is not a file of the site: ../../assets/puuttuu.css",
            "1.4.10",
        ),
        (
            '<link rel="stylesheet" href="https://fonts.example.com/css">',
            "stylesheet loaded from outside the site: https://fonts.example.com/css",
            "1.4.10",
        ),
        (
            '<script src="/assets/puuttuu.js"></script>',
            "script that is not a file of the site: /assets/puuttuu.js",
            "4.1.2",
        ),
        (
            '<script src="//analytics.example.com/t.js"></script>',
            "script loaded from outside the site: //analytics.example.com/t.js",
            "4.1.2",
        ),
    ],
)
def test_stylesheets_and_scripts_are_files_of_the_site(
    head: str, message: str, criterion: str
) -> None:
    found = findings("<p>Teksti.</p>", head=head)
    assert [(f.page, f.message, f.criterion) for f in found] == [
        ("fi/sivu/index.html", message, criterion)
    ], said(found)


def test_a_site_under_a_path_loads_only_from_that_path() -> None:
    found = findings(
        '<img src="/kainuu/assets/logo.svg" alt=""><img src="/toinen/assets/logo.svg" alt="">',
        base="/kainuu/",
    )
    assert said(found) == [
        '<img src="/toinen/assets/logo.svg"> (line 10): image loaded from outside the site: '
        "/toinen/assets/logo.svg (WCAG 1.1.1)"
    ]


def test_a_site_that_does_not_publish_its_assets_fails() -> None:
    found = findings("<p>Teksti.</p>", published=())
    assert {f.message for f in found} == {
        "stylesheet that is not a file of the site: ../../assets/style.css",
        "script that is not a file of the site: ../../assets/help.js",
    }
    assert {f.page for f in found} == {"fi/index.html", "fi/sivu/index.html"}


PASSING = {
    "select with label for": (
        '<label for="k">Kunta</label><select id="k"><option>Kajaani</option></select>'
    ),
    "select inside a label with text": (
        "<label>Kunta <select><option>Kajaani</option></select></label>"
    ),
    "textarea with aria-label": '<textarea aria-label="Viesti"></textarea>',
    "textarea with aria-labelledby": (
        '<p id="ohje">Viesti neuvolaan</p><textarea aria-labelledby="ohje"></textarea>'
    ),
    "input with a datalist": (
        '<label for="kunta">Kunta</label><input id="kunta" list="kunnat" '
        'aria-describedby="tila"><datalist id="kunnat"><option value="Kajaani"></datalist>'
        '<p id="tila" role="status"></p>'
    ),
    "submit button needs no label": '<form><input type="submit" value="Hae"></form>',
    "role=button named by its text": '<div role="button" tabindex="0">Sulje</div>',
    "role=link named by aria-label": '<span role="link" tabindex="0" aria-label="Etusivu"></span>',
    "image of the site, by relative and absolute path": (
        '<img src="../../assets/logo.svg" alt=""><img src="/assets/logo.svg" alt="">'
    ),
    "image in the page itself": '<img src="data:image/png;base64,iVBORw0KGgo=" alt="Piste">',
    "image that is another page's file": '<img src="/fi/index.html" alt="">',
    "an icon link is not a stylesheet": (
        '<link rel="icon" href="https://example.com/x.ico"><p>Teksti.</p>'
    ),
    "inline script": '<script type="application/json" id="sanasto">{}</script>',
    "aria-controls to an existing id": (
        '<button aria-controls="paneeli" aria-expanded="false">Apua</button>'
        '<div id="paneeli" hidden>Ohje</div>'
    ),
    "aria-activedescendant and aria-owns to existing ids": (
        '<div role="combobox" aria-label="Kunta" aria-owns="lista" aria-activedescendant="v1">'
        '</div><ul id="lista" role="listbox"><li id="v1" role="option">Kajaani</li></ul>'
    ),
}


@pytest.mark.parametrize("body", PASSING.values(), ids=PASSING)
def test_what_each_rule_accepts(body: str) -> None:
    assert said(findings(body)) == []
