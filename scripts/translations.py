"""Interface texts of the theme in Finnish and Swedish (and English where it differs).

Input: ``themes/perhekeskus/locales/messages.pot`` (run ``nox -s i18n`` to extract it).
Output: the ``messages.po`` catalogues, with every message id translated from the table below.
Adding a string to a template: add it here too; ``tests/test_i18n.py`` fails on a missing one.

Run: ``python scripts/translations.py``
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "themes" / "perhekeskus" / "locales"

TEXTS: dict[str, dict[str, str]] = {
    "Skip to main content": {"fi": "Siirry suoraan sisältöön", "sv": "Hoppa till innehållet"},
    "Language": {"fi": "Kieli", "sv": "Språk"},
    "Topics": {"fi": "Aiheet", "sv": "Ämnen"},
    "Get help": {"fi": "Pyydä apua", "sv": "Be om hjälp"},
    "About this site": {"fi": "Tietoa sivustosta", "sv": "Om webbplatsen"},
    "This site uses no cookies and does not track you.": {
        "fi": "Sivusto ei käytä evästeitä eikä seuraa sinua.",
        "sv": "Webbplatsen använder inga kakor och spårar dig inte.",
    },
    "Breadcrumb": {"fi": "Olet tässä", "sv": "Du är här", "en": "You are here"},
    "Home": {"fi": "Etusivu", "sv": "Framsida"},
    "Reliable information and services for families with children.": {
        "fi": "Luotettavaa tietoa ja palveluja lapsiperheille.",
        "sv": "Tillförlitlig information och tjänster för barnfamiljer.",
    },
    "There are no articles in this language on this topic yet.": {
        "fi": "Tästä aiheesta ei ole vielä artikkeleita suomeksi.",
        "sv": "Det finns ännu inga artiklar på svenska om det här ämnet.",
        "en": "There are no articles in English on this topic yet.",
    },
    "Easy language": {"fi": "Selkokieli", "sv": "Lättläst"},
    "Easy language version": {"fi": "Selkokielinen versio", "sv": "Lättläst version"},
    "Standard language": {"fi": "Yleiskieli", "sv": "Standardsvenska", "en": "Standard English"},
    "Leave this page quickly": {"fi": "Poistu sivulta nopeasti", "sv": "Lämna sidan snabbt"},
    "Sources": {"fi": "Lähteet", "sv": "Källor"},
    "Next content review:": {
        "fi": "Sisältö tarkistetaan seuraavan kerran",
        "sv": "Innehållet granskas nästa gång",
    },
    "More on this topic": {"fi": "Lisää tästä aiheesta", "sv": "Mer om ämnet"},
    "Services in your area": {"fi": "Palvelut alueellasi", "sv": "Tjänster i ditt område"},
    "Activities and events near you": {
        "fi": "Toimintaa ja tapahtumia lähelläsi",
        "sv": "Verksamhet och evenemang nära dig",
    },
    "Choose your wellbeing services county to see the services near you.": {
        "fi": "Valitse hyvinvointialueesi, niin näet lähelläsi olevat palvelut.",
        "sv": "Välj ditt välfärdsområde, så ser du tjänsterna nära dig.",
    },
    "In an emergency, call": {"fi": "Hätätilanteessa soita", "sv": "I nödsituationer ringer du"},
    "National helplines": {
        "fi": "Valtakunnalliset auttavat puhelimet",
        "sv": "Riksomfattande hjälptelefoner",
    },
    "Contacts in %(area)s": {"fi": "Yhteystiedot: %(area)s", "sv": "Kontaktuppgifter: %(area)s"},
    "Your area: %(area)s": {"fi": "Oma alueesi: %(area)s", "sv": "Ditt område: %(area)s"},
    "Services provided by": {"fi": "Palvelujen järjestäjä", "sv": "Tjänsterna ordnas av"},
    "Feedback on accessibility": {
        "fi": "Palaute saavutettavuudesta",
        "sv": "Respons om tillgängligheten",
    },
    "If you notice an accessibility problem on this site, tell us. We reply within "
    "%(days)s days.": {
        "fi": "Jos huomaat sivustolla saavutettavuusongelman, kerro siitä meille. Vastaamme "
        "%(days)s päivän kuluessa.",
        "sv": "Om du upptäcker brister i webbplatsens tillgänglighet, berätta det för oss. "
        "Vi svarar inom %(days)s dagar.",
    },
    "Email:": {"fi": "Sähköposti:", "sv": "E-post:"},
    "Feedback form": {"fi": "Palautelomake", "sv": "Responsblankett"},
    "Feedback is handled by %(organiser)s.": {
        "fi": "Palautteen käsittelee %(organiser)s.",
        "sv": "Responsen behandlas av %(organiser)s.",
    },
}


def main() -> int:
    with (LOCALES / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    missing = [m.id for m in template if m.id and m.id not in TEXTS]
    for lang in ("fi", "sv", "en"):
        with (LOCALES / "messages.pot").open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            if message.id:
                message.string = TEXTS.get(message.id, {}).get(lang, "")
        path = LOCALES / lang / "LC_MESSAGES" / "messages.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False)
    for message_id in missing:
        print(f"no translation for: {message_id!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
