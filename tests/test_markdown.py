"""The project's own Markdown extension, as configured in mkdocs.yml."""

from __future__ import annotations

import markdown

from tests.helpers import Page

TABLE = """\
| Palvelu | Numero |
|---|---|
| Hätänumero | [112](tel:112) |
"""


def test_table_cells_carry_their_heading() -> None:
    html = markdown.markdown(TABLE, extensions=["tables", "pipeline.site.mdext"])
    page = Page(html)
    assert page.find("th").attrs["scope"] == "col"
    assert "role" not in page.find("td").attrs  # the Nu Html Checker rejects roles on cells
    assert [c.attrs["data-label"] for c in page.find_all("td")] == ["Palvelu", "Numero"]


def test_table_without_header_text_gets_no_empty_label() -> None:
    html = markdown.markdown(
        "|  | B |\n|---|---|\n| 1 | 2 |\n", extensions=["tables", "pipeline.site.mdext"]
    )
    cells = Page(html).find_all("td")
    assert "data-label" not in cells[0].attrs and cells[1].attrs["data-label"] == "B"


def test_raw_html_in_an_article_is_cut_back_to_the_dialect() -> None:
    from pipeline.site.render import sanitise

    html = markdown.markdown(
        'Teksti <script>alert(1)</script><b onclick="x()">lihava</b> <iframe src="https://x"></iframe>'
        '\n\n<a href="javascript:alert(1)">linkki</a> [puhelin](tel:116117)\n\n'
        '!!! warning "Huom"\n    Sisältö\n',
        extensions=["admonition", "pipeline.site.mdext"],
    )
    clean = sanitise(html)
    assert "<script" not in clean and "onclick" not in clean and "<iframe" not in clean
    assert "javascript:" not in clean
    assert "<b>lihava</b>" in clean and 'href="tel:116117"' in clean
    assert '<div class="admonition warning">' in clean
