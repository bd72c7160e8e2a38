"""Activities and events on the built sites: the article block with its reasons, the calendars
by day in Finnish time, event pages, iCalendar feeds, sample labels, and the matching rules.

The fixture county (Kainuu with Kajaani) reads one ICS feed from the local stand-in
(tests/fake_events.py): a story hour that is already past at the build date, a weekly parent
class across the start of summer time (29 March 2026), and a family café named in Swedish only.
The build runs the strict HTML gate, so every page here also passed it.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest

from pipeline.build import build
from pipeline.cli import main
from pipeline.match import EventFilters, EventRules, EventTopics, match_events, word_found
from pipeline.problems import InvalidInput
from pipeline.site import urls
from pipeline.site.events import load_rules, uid
from pipeline.sources.events.model import HELSINKI, Event, build_event
from tests.fake_events import FakeEvents
from tests.helpers import REPO, Page, make_project, read_page, site_paths

TODAY = date(2026, 3, 20)
ICS_URL = "https://kalenteri.kainuu.example/perhekeskus.ics"
KAINUU_EVENTS = f"""\
events:
  ics:
    - {{id: perhekeskus, url: "{ICS_URL}", municipality: "205"}}
"""


def vevent(uid_: str, start: str, *lines: str) -> str:
    return "\n".join(
        [
            "BEGIN:VEVENT",
            f"UID:{uid_}",
            f"DTSTART;TZID=Europe/Helsinki:{start}",
            "LOCATION:Seurakuntakeskus, Kirkkokatu 3, 87100 Kajaani",
            *lines,
            "END:VEVENT",
        ]
    )


PAST = vevent(
    "satutunti@kainuu.example",
    "20260317T170000",
    "DTEND;TZID=Europe/Helsinki:20260317T180000",
    "SUMMARY:Satutunti vanhemmille",
)
WEEKLY = vevent(
    "valmennus@kainuu.example",
    "20260324T100000",
    "DTEND;TZID=Europe/Helsinki:20260324T113000",
    "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=3",
    "SUMMARY:Perhevalmennus odottaville",
    "DESCRIPTION:Valmennus vauvaa odottaville perheille.",
)
SWEDISH = vevent(
    "familjecafe@kainuu.example",
    "20260402T170000",
    "DTEND;TZID=Europe/Helsinki:20260402T183000",
    "SUMMARY;LANGUAGE=sv:Familjecafé för blivande föräldrar",
)
FEED = (
    "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Kainuu//Perhekeskus//FI\n"
    + "\n".join([PAST, WEEKLY, SWEDISH])
    + "\nEND:VCALENDAR\n"
)


def with_events(root: Path) -> Path:
    """The project's events settings with quick limits, and Kainuu's ICS feed."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    quick = "    limits: {read_timeout: 2, connect_timeout: 1, retries: 0, deadline_minutes: 0.5}\n"
    config.write_text(text.replace("    horizon_days: 60\n", "    horizon_days: 60\n" + quick, 1))
    region = root / "regions" / "kainuu.yml"
    region.write_text(region.read_text(encoding="utf-8") + KAINUU_EVENTS, encoding="utf-8")
    return root


def with_fetched_events(root: Path) -> Path:
    """The project with Kainuu's feed fetched on :data:`TODAY` into its events snapshot."""
    with_events(root)
    stand_in = FakeEvents(feeds={"/perhekeskus.ics": FEED})
    with pytest.MonkeyPatch.context() as patch, stand_in.serve() as url:
        patch.setenv("PERHEKESKUS_EVENTS_URL", url)
        fetched = main(
            ["--root", str(root), "fetch", "events", "--all", "--today", str(TODAY), "--full"]
        )
    assert fetched == 0
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = with_fetched_events(make_project(tmp_path_factory.mktemp("events-site")))
    build(root, root / "build", areas=["kainuu"], national=False, search=False, today=TODAY)
    return root / "build"


def test_a_new_day_makes_again_only_what_the_activities_and_events_make(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next nightly: the same data on a later date. The first weekly meeting is past: the
    calendar, the event pages and the articles that list them change; the service and county
    pages do not, and are carried from the live site."""
    monkeypatch.setenv("PERHEKESKUS_CACHE", "on")
    (tmp_path / "project").mkdir()
    root = with_fetched_events(make_project(tmp_path / "project"))
    out = tmp_path / "out"

    def built(day: date, into: Path) -> tuple[dict[str, bytes], int]:
        report = build(root, into, areas=["kainuu"], national=False, search=False, today=day)
        site = (into / "kainuu").resolve()
        pages = {
            rel: p.read_bytes() for rel, p in site_paths(site).items() if rel.endswith(".html")
        }
        return pages, report.carried["kainuu"]

    first, _ = built(TODAY, out)
    later = TODAY + timedelta(days=5)  # 25 March: the meeting of 24 March is past
    again, carried = built(later, out)
    changed = {rel for rel in again if first.get(rel) != again[rel]}
    county = [rel for rel in again if rel.startswith(("fi/alue/", "fi/kunnat/"))]
    assert county and not set(county) & changed
    # Every other page is taken from the live site, not made again, the articles whose lists
    # of activities stay the same too; but the event pages, the statement and the 404 pages.
    events = ("fi/tapahtumat/", "sv/evenemang/", "en/events/", "fi/saavutettavuusseloste/")
    remade = {rel for rel in again if rel.startswith(events) or rel.endswith("404.html")}
    assert carried == len(set(again) - changed - remade)
    assert "fi/raha-ja-tuet/tuet/index.html" not in changed | remade
    assert urls.calendar("fi") + "index.html" in changed
    calendar_page = again[urls.calendar("fi") + "index.html"].decode()
    assert "2026-03-24" not in calendar_page and "2026-03-31" in calendar_page
    # Exactly what a build without the cache makes on that day.
    monkeypatch.setenv("PERHEKESKUS_CACHE", "off")
    cold, _ = built(later, tmp_path / "cold")
    assert again == cold


def calendar(site: Path, lang: str = "fi") -> Path:
    return site / "kainuu" / urls.calendar(lang) / "index.html"


def event_page(site: Path, item: str, lang: str = "fi") -> Path:
    return site / "kainuu" / urls.event(lang, f"ics:perhekeskus:{item}") / "index.html"


def feed(site: Path, path: str = "fi/tapahtumat/kainuu.ics") -> icalendar.Calendar:
    return icalendar.Calendar.from_ical((site / "kainuu" / path).read_bytes())


def article(site: Path) -> Path:
    """The pregnancy article (tests/helpers.py: ARTICLE_FI)."""
    return site / "kainuu" / "fi" / "raskaus" / "neuvola" / "index.html"


# --- the calendar and the feeds -------------------------------------------------------------


def test_the_calendar_lists_each_date_by_day_in_finnish_time_across_the_summer_time_change(
    site: Path,
) -> None:
    page = read_page(calendar(site))
    days = [e.attrs["datetime"] for e in page.find_all("time") if len(e.attrs["datetime"]) == 10]
    assert days == ["2026-03-24", "2026-03-31", "2026-04-02", "2026-04-07"]
    times = [(e.attrs["datetime"], e.text) for e in page.find_all("time")]
    weekly = [t for t in times if "T10:00" in t[0]]
    # 10.00 on the wall clock every week: +02:00 before 29 March, +03:00 after.
    assert weekly == [
        ("2026-03-24T10:00+02:00", "10.00–11.30"),
        ("2026-03-31T10:00+03:00", "10.00–11.30"),
        ("2026-04-07T10:00+03:00", "10.00–11.30"),
    ]
    headings = [e.text for e in page.find_all("h2")]
    assert "tiistai 24. maaliskuuta 2026" in headings
    assert "torstai 2. huhtikuuta 2026" in headings


def test_other_languages_format_the_dates_with_babel(site: Path) -> None:
    sv = read_page(calendar(site, "sv"))
    assert "tisdag 31 mars 2026" in [e.text for e in sv.find_all("h2")]
    en = read_page(event_page(site, "valmennus@kainuu.example", "en"))
    dates = [e.text for e in en.find_all("time")]
    assert "Tuesday, 31 March 2026 at 10:00–11:30" in dates


def test_a_past_event_is_gone_from_the_calendar_its_page_and_the_feed(site: Path) -> None:
    html = calendar(site).read_text(encoding="utf-8")
    assert "Satutunti" not in html
    assert not event_page(site, "satutunti@kainuu.example").parent.exists()
    summaries = {str(e["SUMMARY"]) for e in feed(site).walk("VEVENT")}
    assert summaries == {"Perhevalmennus odottaville", "Familjecafé för blivande föräldrar"}


def test_the_feed_is_icalendar_with_helsinki_times_and_stable_uids(site: Path) -> None:
    calendar_ = feed(site)
    assert [str(t["TZID"]) for t in calendar_.walk("VTIMEZONE")] == ["Europe/Helsinki"]
    weekly = sorted(
        (e for e in calendar_.walk("VEVENT") if str(e["SUMMARY"]).startswith("Perhevalmennus")),
        key=lambda e: e["DTSTART"].dt,
    )
    assert [e["DTSTART"].params["TZID"] for e in weekly] == ["Europe/Helsinki"] * 3
    starts = [e["DTSTART"].dt for e in weekly]
    assert [(s.hour, s.minute) for s in starts] == [(10, 0)] * 3
    assert [s.utcoffset() for s in starts] == [
        timedelta(hours=2),
        timedelta(hours=3),
        timedelta(hours=3),
    ]
    assert weekly[1]["DTEND"].dt.astimezone(HELSINKI).strftime("%H:%M") == "11:30"
    uids = [str(e["UID"]) for e in calendar_.walk("VEVENT")]
    assert len(set(uids)) == len(uids) == 4
    # The same dates have the same UIDs in the municipality's feed and in every language.
    kajaani = feed(site, "fi/tapahtumat/kunta/kajaani/kajaani.ics")
    swedish = feed(site, "sv/evenemang/kainuu.ics")
    assert {str(e["UID"]) for e in kajaani.walk("VEVENT")} == set(uids)
    assert {str(e["UID"]) for e in swedish.walk("VEVENT")} == set(uids)
    assert str(weekly[0]["URL"]).endswith(
        urls.event("fi", "ics:perhekeskus:valmennus@kainuu.example")
    )


def test_calendar_pages_link_their_feed_and_every_municipality(site: Path) -> None:
    page = read_page(calendar(site))
    links = {e.attrs["href"] for e in page.find_all("a")}
    assert "../../fi/tapahtumat/kainuu.ics" in links
    assert "../../fi/tapahtumat/kunta/kajaani/" in links
    alternate = page.find("link", rel="alternate", type="text/calendar")
    assert alternate.attrs["href"] == "../../fi/tapahtumat/kainuu.ics"
    kajaani = read_page(site / "kainuu" / "fi/tapahtumat/kunta/kajaani/index.html")
    assert kajaani.find("h1").text == "Toimintaa ja tapahtumia: Kajaani"
    assert "Perhevalmennus odottaville" in [e.text for e in kajaani.find_all("a")]


def test_the_county_home_and_every_footer_link_the_calendar(site: Path) -> None:
    home = read_page(site / "kainuu" / "fi" / "index.html")
    cards = [e for e in home.by_class("card") if "Toimintaa ja tapahtumia" in e.text]
    assert cards, "the county's home page has a card for the calendar"
    footer = read_page(article(site)).find("footer", class_="site-footer")
    assert "Toimintaa ja tapahtumia" in footer.text


def test_event_and_calendar_pages_are_in_the_sitemap(site: Path) -> None:
    sitemap = "".join(p.read_text(encoding="utf-8") for p in (site / "kainuu").glob("sitemap*.xml"))
    assert "/fi/tapahtumat/</loc>" in sitemap
    assert "/sv/evenemang/kommun/kajaani/</loc>" in sitemap
    assert urls.event("en", "ics:perhekeskus:familjecafe@kainuu.example") in sitemap


# --- event pages ----------------------------------------------------------------------------


def test_an_event_page_shows_when_where_and_where_the_data_comes_from(site: Path) -> None:
    page = read_page(event_page(site, "valmennus@kainuu.example"))
    assert page.find("h1").text == "Perhevalmennus odottaville"
    facts = page.by_class("event-facts")[0].text
    assert "tiistai 24. maaliskuuta 2026 klo 10.00–11.30" in facts
    assert "Kirkkokatu 3, 87100 KAJAANI" in facts
    assert "Paikan päällä" in facts
    source = page.by_class("event-source")[0].text
    assert "Lähde: alueen kalenteri" in source
    assert "Tapahtumatiedot on päivitetty" in source
    assert not page.by_class("sample-banner")  # fetched from a feed: not sample data
    dates = page.find("ul", class_="event-dates").text
    assert "tiistai 7. huhtikuuta 2026 klo 10.00–11.30" in dates


def test_text_in_another_language_than_the_page_carries_its_lang(site: Path) -> None:
    fi = read_page(event_page(site, "familjecafe@kainuu.example"))
    assert fi.find("h1").attrs.get("lang") == "sv"
    assert "Tämä teksti on saatavilla vain ruotsiksi." in [e.text for e in fi.by_class("lang-note")]
    sv = read_page(event_page(site, "familjecafe@kainuu.example", "sv"))
    assert "lang" not in sv.find("h1").attrs
    on_calendar = [
        e for e in read_page(calendar(site)).find_all("a") if e.text.startswith("Familjecafé")
    ]
    assert [e.attrs.get("lang") for e in on_calendar] == ["sv"]


# --- the article block and the report -------------------------------------------------------


def test_the_article_shows_a_matched_item_and_the_report_says_why(site: Path) -> None:
    page = read_page(article(site))
    block = page.find("section", class_="activities")
    assert "Toimintaa ja tapahtumia lähelläsi" in block.text
    names = [e.text for e in page.by_class("event-name")]
    # The parent class matches the pregnancy article by a word of its theme; the Swedish café
    # too ("blivande föräld*"); the past story hour is gone.
    assert names == ["Perhevalmennus odottaville", "Familjecafé för blivande föräldrar"]
    when = page.by_class("event-when")[0].text
    assert "tiistai 24. maaliskuuta 2026 klo 10.00–11.30" in when
    assert "Kaikki toiminta ja tapahtumat kalenterissa" in block.text
    report = json.loads((site / "reports" / "kainuu" / "events.json").read_text(encoding="utf-8"))
    row = next(a for a in report["articles"] if a["id"] == "neuvola")
    reasons = {item["name"]: item["reasons_raw"] for item in row["items"]}
    assert reasons["Perhevalmennus odottaville"] == [
        {"criterion": "theme", "value": "raskaus", "via": "odottav*", "lang": "fi"}
    ]
    assert reasons["Familjecafé för blivande föräldrar"][0]["via"] == "blivande föräld*"
    assert "teema raskaus (sana 'odottav*'" in row["items"][0]["reasons"][0]


def test_an_article_without_a_matching_item_links_to_the_calendar(site: Path) -> None:
    page = read_page(site / "kainuu" / "fi" / "raha-ja-tuet" / "tuet" / "index.html")
    block = page.find("section", class_="activities")
    assert not page.by_class("event-name")
    assert "ei ole tulossa lähiviikkoina" in block.text


# --- sample data ----------------------------------------------------------------------------


def test_items_of_the_committed_sample_are_labelled_as_sample_data(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    shutil.copytree(REPO / "snapshots" / "events", root / "snapshots" / "events")
    build(root, root / "build", areas=["kainuu"], national=False, search=False, today=TODAY)
    page = read_page(root / "build" / "kainuu" / urls.calendar("fi") / "index.html")
    assert page.by_class("sample-banner"), "the sample's calendar must say it is sample data"
    events = [
        p for p in (root / "build" / "kainuu" / "fi" / "tapahtumat").iterdir() if "-" in p.name
    ]
    assert events, "the sample has items in Kajaani"
    for folder in events:
        assert read_page(folder / "index.html").by_class("sample-banner"), folder.name


# --- the matching rules (pure) --------------------------------------------------------------

RULES = EventRules.model_validate(
    {
        "per_article": 2,
        "families": ["http://www.yso.fi/onto/yso/p13050"],
        "life_stages": {"baby": {"ages": [0, 1]}, "teens": {"ages": [13, 17]}},
        "themes": {"ero": {"words": {"fi": ["ero", "eroryhm*"]}}},
    }
)


def item(ident: str, name: str, days: int | None, **fields: Any) -> Event:
    start = datetime(2026, 3, 20, 10, tzinfo=HELSINKI) + timedelta(days=days or 0)
    dated = {"start": start, "occurrences": [{"start": start}]} if days is not None else {}
    kind = "event" if days is not None else "long-term"
    return build_event(
        {"id": f"ics:{ident}", "source": "ics", "source_id": ident, "kind": kind,
         "names": {"fi": name}, **dated, **fields}
    )  # fmt: skip


def test_a_rule_word_matches_whole_words_or_with_a_star_the_start_of_one() -> None:
    assert word_found("ero", " eron jälkeen ero ") and not word_found("ero", " erotuomari ")
    assert word_found("eroryhm*", " eroryhmä isille ")
    assert word_found("family caf*", " our family cafe ") and not word_found("caf*", " a ")


def test_matching_keeps_the_nearest_items_that_fit_the_ages_and_drops_cancelled_ones() -> None:
    filters = EventFilters(themes=("ero",), life_stages=("baby",))
    items = [
        item("later", "Eroryhmä", 9),
        item("soon", "Ero ja vauva", 2, audience_min_age=0, audience_max_age=3),
        item("teens", "Eroryhmä nuorille", 1, audience_min_age=13, audience_max_age=17),
        item("cancelled", "Eroryhmä", 1, status="cancelled"),
        item("referee", "Erotuomarikurssi", 1),
        item("ongoing", "Eroryhmä joka tiistai", None),
    ]
    found = match_events(filters, items, RULES)
    assert [m.event.source_id for m in found] == ["soon", "later"]  # per_article 2
    assert [r.criterion for r in found[0].reasons] == ["theme", "age"]
    assert found[0].reasons[1].value == "0–3" and found[0].reasons[1].via == "baby"


def test_items_worked_out_once_for_a_site_match_as_items_asked_one_by_one() -> None:
    items = [
        item("later", "Eroryhmä", 9),
        item("soon", "Ero ja vauva", 2, audience_min_age=0, audience_max_age=3),
        item("neuvola", "Neuvolan perhekahvila", 4),
        item("ongoing", "Eroryhmä joka tiistai", None),
    ]
    topics = [EventTopics(event, RULES) for event in items]
    articles = [
        EventFilters(themes=("ero",), life_stages=("baby",)),
        EventFilters(keywords=("neuvola",)),
        EventFilters(themes=("ero", "unknown"), keywords=("neuvola", "ero")),
        EventFilters(),
    ]
    for filters in articles * 2:  # asked again: the remembered answers are the same
        assert match_events(filters, topics, RULES) == match_events(filters, items, RULES)
    assert [m.event.source_id for m in match_events(articles[1], topics, RULES)] == ["neuvola"]


def test_an_article_for_all_ages_fits_every_audience() -> None:
    teens = item("teens", "Eroryhmä nuorille", 1, audience_min_age=13, audience_max_age=17)
    assert match_events(EventFilters(themes=("ero",), life_stages=("all-ages",)), [teens], RULES)
    assert not match_events(EventFilters(themes=("ero",), life_stages=("baby",)), [teens], RULES)


def test_a_uid_stays_when_the_text_of_an_item_changes() -> None:
    first = item("club", "Eroryhmä", 3)
    renamed = first.model_copy(update={"names": {"fi": "Eroryhmä isille"}})
    occurrence = first.occurrences[0]
    assert uid(first, occurrence, "x.fi") == uid(renamed, occurrence, "x.fi")
    later = occurrence.model_copy(update={"start": occurrence.start + timedelta(days=7)})
    assert uid(first, later, "x.fi") != uid(first, occurrence, "x.fi")


def test_a_rule_for_a_theme_that_does_not_exist_is_an_error_with_its_line(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    path = root / "data" / "events" / "article-matching.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  raskaus:\n", "  raskau:\n", 1), encoding="utf-8")
    from pipeline.content.load import load_project

    project = load_project(root)
    with pytest.raises(InvalidInput) as caught:
        load_rules(root, project.vocabulary)
    line = text.splitlines().index("  raskaus:") + 1
    assert [str(p) for p in caught.value.problems] == [
        f"data/events/article-matching.yml:{line}: themes: no theme has the id 'raskau' "
        "in content/themes.yml. Did you mean 'raskaus'?"
    ]


# --- an item's page from its model ----------------------------------------------------------


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from pipeline.content.load import load_project
    from pipeline.site.events import EventPages
    from pipeline.site.render import Renderer

    project = load_project(make_project(tmp_path_factory.mktemp("event-pages")))
    return EventPages(project, Renderer(project))


def test_an_event_page_says_price_registration_and_contacts_and_escapes_source_text(
    pages: Any,
) -> None:
    start = datetime(2026, 10, 24, 17, tzinfo=HELSINKI)  # the last Saturday of summer time
    event = build_event(
        {
            "id": "linked-events:helsinki:x1",
            "source": "linked-events",
            "source_id": "helsinki:x1",
            "kind": "event",
            "names": {"fi": "Vauvaperheiden ilta <script>alert(1)</script> & muut"},
            "descriptions": {"fi": '<p>Tule <b>mukaan</b><img src=x onerror="alert(1)"></p>'},
            "start": start,
            "occurrences": [{"start": start, "end": start + timedelta(hours=2)}],
            "mode": "hybrid",
            "online_url": "https://stream.example/ilta",
            "price": {"free": False, "description": {"fi": "5 € perhe"}},
            "registration": {"required": True, "open": True, "url": "https://ilmo.example/1",
                             "closes": datetime(2026, 10, 20, 12, tzinfo=HELSINKI)},
            "contacts": [{"name": "Esimerkki", "phone": "040 000 0000", "sample": True}],
            "audience_min_age": 0,
            "audience_max_age": 1,
            "sample": True,
        }
    )  # fmt: skip
    html = pages.event_page(event, "fi", "Toimintaa ja tapahtumia: Kainuu").html
    page = Page(html)
    assert "<script>alert" not in html and "onerror" not in html
    assert page.find("h1").text == "Vauvaperheiden ilta & muut"  # the script is gone
    assert "Vauvaperheiden ilta &amp; muut</h1>" in html
    facts = page.by_class("event-facts")[0].text
    assert "lauantai 24. lokakuuta 2026 klo 17.00–19.00" in facts
    assert "Paikan päällä ja verkossa" in facts and "Osallistu verkossa" in facts
    assert "5 € perhe" in facts
    assert "Ilmoittautuminen on auki. Ilmoittautuminen päättyy 20. lokakuuta 2026." in facts
    assert "0–1-vuotiaille" in facts
    links = {e.attrs["href"] for e in page.find_all("a")}
    assert {"https://ilmo.example/1", "https://stream.example/ilta"} <= links
    assert not any(h.startswith("tel:") for h in links)  # a sample number is never a link
    assert "esimerkkiyhteystieto, ei käytössä" in page.by_class("event-contacts")[0].text
    assert page.by_class("sample-banner")
