"""Matching services to articles (pure functions)."""

from __future__ import annotations

from pipeline.content.models import Region, ServiceFilters
from pipeline.match import match_article, offer_on
from pipeline.problems import Problems
from pipeline.sources.ptv.normalise import read_item
from tests import ptv_objects as o

KAINUU = Region.model_validate(
    {
        "code": "20",
        "name": {"fi": "Kainuun hyvinvointialue", "sv": "Kajanaland", "en": "Kainuu"},
        "languages": ["fi"],
        "municipalities": [
            {"code": "205", "name": {"fi": "Kajaani", "sv": "Kajana"}, "languages": ["fi"]},
            {"code": "765", "name": {"fi": "Sotkamo", "sv": "Sotkamo"}, "languages": ["fi"]},
        ],
        "adopted": True,
    }
)
NOT_ADOPTED = KAINUU.model_copy(update={"adopted": False})
NEUVOLA = ServiceFilters(service_classes=["P5.2"], target_groups=["KR1.2"], life_events=["KE1"])


def svc(key: str, **kw: object):  # type: ignore[no-untyped-def]
    item = read_item(o.service(key, **kw), "service", Problems())  # type: ignore[arg-type]
    assert item is not None
    return item


COUNTY = svc(
    "county", fi="Lastenneuvola", classes=("P5.2",), areas=[o.county_area("20", "205", "765")]
)
SUBCLASS = svc("sub", fi="Ehkäisyneuvola", classes=("P5.2.1",), areas=[o.municipality_area("205")])
OTHER_AREA = svc("other", fi="Neuvola Oulu", classes=("P5.2",), areas=[o.municipality_area("564")])
NATIONWIDE = svc("kela", fi="Äitiysavustus", classes=("P3.2", "P5.2"), nationwide=True)
ADULTS = svc(
    "adults",
    fi="Terveysneuvonta",
    classes=("P5.2",),
    groups=("KR1.6",),
    areas=[o.municipality_area("205")],
)
EVERYONE = svc(
    "everyone",
    fi="Terveysasema",
    classes=("P5.2",),
    groups=("KR1",),
    areas=[o.municipality_area("205")],
)
EVENT_ONLY = svc(
    "event",
    fi="Perhevalmennus",
    classes=("P3.6",),
    events=("KE1",),
    areas=[o.municipality_area("205")],
)
ALL = [COUNTY, SUBCLASS, OTHER_AREA, NATIONWIDE, ADULTS, EVENT_ONLY]


def names(matches) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.service.names["fi"] for m in matches]


def test_county_and_municipal_services_first_then_nationwide() -> None:
    matches = match_article("neuvola", NEUVOLA, ALL, KAINUU)
    # Within the area's own services, by name.
    assert names(matches) == ["Ehkäisyneuvola", "Lastenneuvola", "Äitiysavustus"]
    assert [m.offer.scope for m in matches] == ["municipal", "county", "nationwide"]
    assert matches[0].offer.municipalities == ("205",)


def test_every_match_says_why() -> None:
    sub = match_article("neuvola", NEUVOLA, [SUBCLASS], KAINUU)[0]
    criteria = {(r.criterion, r.value, r.via) for r in sub.reasons}
    assert ("service class", "P5.2", "P5.2.1") in criteria
    assert ("target group", "KR1.2", None) in criteria


def test_target_groups_narrow_and_life_events_alone_do_not_pull() -> None:
    matches = match_article("neuvola", NEUVOLA, ALL, KAINUU)
    assert "Terveysneuvonta" not in names(matches)
    assert "Perhevalmennus" not in names(matches)
    events_only = ServiceFilters(life_events=["KE1"], target_groups=["KR1.2"])
    assert "Perhevalmennus" in names(match_article("valmennus", events_only, ALL, KAINUU))


def test_a_service_for_all_citizens_serves_families_unless_hidden() -> None:
    match = match_article("neuvola", NEUVOLA, [EVERYONE], KAINUU)[0]
    assert ("target group", "KR1.2", "KR1") in {
        (r.criterion, r.value, r.via) for r in match.reasons
    }
    from pipeline.quality.report import reason_text

    assert reason_text(match.reasons[-1]) == (
        "kohderyhmä KR1.2 (palvelu on kaikille kansalaisille, KR1)"
    )
    # Not for a group outside the citizens (KR2, companies).
    companies = ServiceFilters(service_classes=["P5.2"], target_groups=["KR2"])
    assert match_article("x", companies, [EVERYONE], KAINUU) == []
    hidden = KAINUU.model_copy(
        update={
            "services": KAINUU.services.model_validate(
                {"hide": [{"service": EVERYONE.id, "article": "neuvola"}]}
            )
        }
    )
    assert match_article("neuvola", NEUVOLA, [EVERYONE], hidden) == []


def test_national_site_and_counties_not_adopted_show_only_nationwide() -> None:
    assert names(match_article("neuvola", NEUVOLA, ALL, None)) == ["Äitiysavustus"]
    assert names(match_article("neuvola", NEUVOLA, ALL, NOT_ADOPTED)) == ["Äitiysavustus"]
    assert offer_on(OTHER_AREA, KAINUU) is None


def test_pins_and_hides_from_the_county_file() -> None:
    region = KAINUU.model_copy(
        update={
            "services": KAINUU.services.model_validate(
                {
                    "pin": [{"article": "neuvola", "service": ADULTS.id}],
                    "hide": [
                        {"service": NATIONWIDE.id, "article": "neuvola"},
                        {"service": SUBCLASS.id},
                    ],
                }
            )
        }
    )
    matches = match_article("neuvola", NEUVOLA, ALL, region)
    assert names(matches) == ["Terveysneuvonta", "Lastenneuvola"]
    assert matches[0].pinned and matches[0].reasons[0].criterion == "pinned"
    # The hide of the nationwide service is for this article only.
    assert "Äitiysavustus" in names(match_article("tuet", NEUVOLA, ALL, region))


def test_keywords_and_ontology_terms_match() -> None:
    tagged = svc(
        "kw",
        fi="Perhekeskus",
        classes=("P3.6",),
        keywords=("Neuvola",),
        areas=[o.municipality_area("765")],
    )
    filters = ServiceFilters(keywords=["neuvola"], target_groups=["KR1.2"])
    match = match_article("x", filters, [tagged], KAINUU)[0]
    assert match.reasons[0].criterion == "keyword"


def test_consecutive_days_with_the_same_hours_are_joined() -> None:
    from datetime import time

    from pipeline.site.services import merge_days
    from pipeline.sources.ptv.model import DayHours

    eight, four, six = time(8), time(16), time(18)
    days = [
        DayHours(0, None, eight, four),
        DayHours(1, None, eight, six),
        DayHours(2, None, eight, four),
        DayHours(3, None, eight, four),
        DayHours(4, 5, eight, four),
    ]
    assert merge_days(days) == [
        DayHours(0, None, eight, four),
        DayHours(1, None, eight, six),
        DayHours(2, 5, eight, four),
    ]


def test_the_index_finds_what_a_look_at_every_service_finds() -> None:
    """Matching through the per-site index (:func:`offered_on`) gives exactly the services
    that asking every service gives, for classes at every depth (``P5.2`` is not a parent of
    ``P5.20``), terms, keywords in another case and life events."""
    from itertools import product

    from pipeline.match import audience_reason, offered_on, topic_reasons

    near = svc("near", fi="Neuvola 20", classes=("P5.20",), areas=[o.municipality_area("205")])
    services = [*ALL, EVERYONE, near]
    options = {
        "service_classes": [[], ["P5"], ["P5.2"], ["P5.2.1"], ["P5.20"], ["P3.6", "P5.2"]],
        "target_groups": [[], ["KR1.2"], ["KR1.6"]],
        "life_events": [[], ["KE1"]],
    }
    for region in (KAINUU, NOT_ADOPTED, None):
        index = offered_on(services, region)
        for classes, groups, events in product(*options.values()):
            filters = ServiceFilters(
                service_classes=classes, target_groups=groups, life_events=events
            )
            expected = {
                s.id
                for s in services
                if offer_on(s, region) is not None
                and topic_reasons(s, filters)
                and audience_reason(s, filters) is not None
            }
            found = match_article("a", filters, index, region)
            assert {m.service.id for m in found} == expected, (region, filters)
