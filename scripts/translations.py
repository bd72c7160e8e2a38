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
    # PTV services
    "All of Finland": {"fi": "Koko Suomi", "sv": "Hela Finland"},
    "%(places)s and %(count)s other municipalities": {
        "fi": "%(places)s ja %(count)s muuta kuntaa",
        "sv": "%(places)s och %(count)s andra kommuner",
    },
    "always open": {"fi": "avoinna aina", "sv": "alltid öppet"},
    "closed": {"fi": "suljettu", "sv": "stängt"},
    "(by appointment)": {"fi": "(ajanvarauksella)", "sv": "(med tidsbokning)"},
    "(in Finnish)": {"fi": "(suomeksi)", "sv": "(på finska)"},
    "(in Swedish)": {"fi": "(ruotsiksi)", "sv": "(på svenska)"},
    "(in English)": {"fi": "(englanniksi)", "sv": "(på engelska)"},
    "By municipality": {"fi": "Kunnittain", "sv": "Per kommun"},
    "Services by municipality": {"fi": "Palvelut kunnittain", "sv": "Tjänster per kommun"},
    "Choose a municipality to see its family services.": {
        "fi": "Valitse kunta, niin näet sen perhepalvelut.",
        "sv": "Välj en kommun för att se familjetjänsterna där.",
    },
    "Family services near you, municipality by municipality.": {
        "fi": "Perheiden palvelut lähelläsi kunnittain.",
        "sv": "Familjetjänster nära dig, kommun för kommun.",
    },
    "This text is only available in Finnish.": {
        "fi": "Tämä teksti on saatavilla vain suomeksi.",
        "sv": "Texten finns bara på finska.",
    },
    "This text is only available in Swedish.": {
        "fi": "Tämä teksti on saatavilla vain ruotsiksi.",
        "sv": "Texten finns bara på svenska.",
    },
    "This text is only available in English.": {
        "fi": "Tämä teksti on saatavilla vain englanniksi.",
        "sv": "Texten finns bara på engelska.",
    },
    "Sample data: these are not real services.": {
        "fi": "Esimerkkiaineisto: nämä eivät ole oikeita palveluja.",
        "sv": "Exempeldata: det här är inte riktiga tjänster.",
    },
    "Service information from the Suomi.fi Service Catalogue, updated %(date)s.": {
        "fi": "Palvelutiedot ovat Suomi.fi-palvelutietovarannosta. Tiedot on päivitetty %(date)s.",
        "sv": "Uppgifterna om tjänsterna kommer från Suomi.fi-servicedatalagret och "
        "uppdaterades den %(date)s.",
        "en": "Service information from the Suomi.fi Finnish Service Catalogue, updated %(date)s.",
    },
    "Where": {"fi": "Alue", "sv": "Område", "en": "Area"},
    "Provided by": {"fi": "Palvelun tarjoaa", "sv": "Tjänsten erbjuds av"},
    "About the service": {"fi": "Palvelun kuvaus", "sv": "Om tjänsten"},
    "How to use the service": {"fi": "Näin asioit", "sv": "Så här använder du tjänsten"},
    "Contact and locations": {
        "fi": "Yhteystiedot ja toimipaikat",
        "sv": "Kontaktuppgifter och verksamhetsställen",
    },
    "Contact": {"fi": "Yhteystiedot", "sv": "Kontaktuppgifter"},
    "Postal address": {"fi": "Postiosoite", "sv": "Postadress"},
    "Visiting address": {"fi": "Käyntiosoite", "sv": "Besöksadress"},
    "Show on map": {"fi": "Näytä kartalla", "sv": "Visa på kartan"},
    "Opening hours": {"fi": "Aukioloajat", "sv": "Öppettider"},
    "Use the e-service": {"fi": "Siirry asioimaan verkossa", "sv": "Gå till e-tjänsten"},
    "(requires strong identification)": {
        "fi": "(vaatii vahvan tunnistautumisen)",
        "sv": "(kräver stark autentisering)",
    },
    "This service on Suomi.fi": {
        "fi": "Palvelu Suomi.fi-verkkopalvelussa",
        "sv": "Tjänsten på Suomi.fi",
    },
    "Description last updated in the Service Catalogue: %(date)s.": {
        "fi": "Kuvaus on päivitetty palvelutietovarannossa viimeksi %(date)s.",
        "sv": "Beskrivningen uppdaterades senast i servicedatalagret den %(date)s.",
        "en": "Description last updated in the Finnish Service Catalogue: %(date)s.",
    },
    "Services of the municipality": {"fi": "Kunnan palvelut", "sv": "Kommunens tjänster"},
    "Services for the whole area": {
        "fi": "Koko alueen palvelut",
        "sv": "Tjänster för hela området",
    },
    "No family services of this municipality are listed in the Service Catalogue yet.": {
        "fi": "Palvelutietovarannossa ei ole vielä tämän kunnan perhepalveluja.",
        "sv": "Servicedatalagret innehåller ännu inga familjetjänster för den här kommunen.",
    },
    "This text may be out of date: the Finnish article it was made from has changed since.": {
        "fi": "Tämä teksti voi olla vanhentunut: suomenkielinen artikkeli, josta se on tehty, "
        "on muuttunut sen jälkeen.",
        "sv": "Den här texten kan vara inaktuell: den finska artikeln som den bygger på har "
        "ändrats sedan dess.",
    },
    # Search
    "Search": {"fi": "Haku", "sv": "Sök"},
    "Search the site": {"fi": "Hae sivustolta", "sv": "Sök på webbplatsen"},
    "Show": {"fi": "Näytä", "sv": "Visa"},
    "Everything": {"fi": "Kaikki", "sv": "Allt"},
    "Articles": {"fi": "Artikkelit", "sv": "Artiklar"},
    "Services": {"fi": "Palvelut", "sv": "Tjänster"},
    "Article": {"fi": "Artikkeli", "sv": "Artikel"},
    "Service": {"fi": "Palvelu", "sv": "Tjänst"},
    "Municipality": {"fi": "Kunta", "sv": "Kommun"},
    "No results. Try another word or a shorter form of the word.": {
        "fi": "Ei tuloksia. Kokeile toista sanaa tai sanan lyhyempää muotoa.",
        "sv": "Inga resultat. Pröva ett annat ord eller en kortare form av ordet.",
    },
    "1 result": {"fi": "1 tulos", "sv": "1 resultat"},
    "%(count)s results": {"fi": "%(count)s tulosta", "sv": "%(count)s resultat"},
    "Searching…": {"fi": "Haetaan…", "sv": "Söker…"},
    "Search is not available right now.": {
        "fi": "Haku ei ole juuri nyt käytettävissä.",
        "sv": "Sökningen fungerar inte just nu.",
    },
    "Searching needs JavaScript, which is switched off in your browser. You can find every article through the topics on the home page.": {
        "fi": "Haku tarvitsee JavaScriptiä, joka on selaimessasi pois päältä. Löydät jokaisen "
        "artikkelin myös etusivun aiheiden kautta.",
        "sv": "Sökningen behöver JavaScript, som är avstängt i din webbläsare. Du hittar alla "
        "artiklar också via ämnena på framsidan.",
    },
    # Accessibility statement
    "Compliance status": {"fi": "Saavutettavuuden tila", "sv": "Tillgänglighetsstatus"},
    "This site meets the accessibility requirements.": {
        "fi": "Sivusto täyttää saavutettavuusvaatimukset.",
        "sv": "Webbplatsen uppfyller tillgänglighetskraven.",
    },
    "This site partially meets the accessibility requirements.": {
        "fi": "Sivusto täyttää saavutettavuusvaatimukset osittain.",
        "sv": "Webbplatsen uppfyller tillgänglighetskraven delvis.",
    },
    "No accessibility expert has evaluated the site yet. Automated tests cover only part of the requirements, so we cannot yet say that the site meets all of them.": {
        "fi": "Saavutettavuuden asiantuntija ei ole vielä arvioinut sivustoa. Automaattiset "
        "testit kattavat vain osan vaatimuksista, joten emme voi vielä sanoa, että sivusto "
        "täyttää ne kaikki.",
        "sv": "Ingen expert på tillgänglighet har ännu granskat webbplatsen. Automatiska tester "
        "täcker bara en del av kraven, så vi kan ännu inte säga att webbplatsen uppfyller "
        "alla krav.",
    },
    "Content that is not accessible": {
        "fi": "Sisältö, joka ei ole saavutettavaa",
        "sv": "Innehåll som inte är tillgängligt",
    },
    "The latest tests found these problems:": {
        "fi": "Viimeisimmät testit löysivät nämä puutteet:",
        "sv": "De senaste testerna hittade de här bristerna:",
    },
    "WCAG %(code)s %(title)s: on %(pages)s pages.": {
        "fi": "WCAG %(code)s %(title)s: puute %(pages)s sivulla.",
        "sv": "WCAG %(code)s %(title)s: brist på %(pages)s sidor.",
    },
    "The latest automated tests found no failures on this site.": {
        "fi": "Viimeisimmät automaattiset testit eivät löytäneet sivustolta puutteita.",
        "sv": "De senaste automatiska testerna hittade inga brister på webbplatsen.",
    },
    "Service descriptions come from the national Service Information Repository (PTV). %(count)s of the descriptions shown on this site are not available in this language; they are shown in the language they exist in and marked with that language.": {
        "fi": "Palvelujen kuvaukset tulevat valtakunnallisesta palvelutietovarannosta (PTV). "
        "Sivustolla näkyvistä kuvauksista %(count)s ei ole saatavilla tällä kielellä. Ne "
        "näytetään sillä kielellä, jolla ne on kirjoitettu, ja kieli on merkitty.",
        "sv": "Beskrivningarna av tjänsterna kommer från det nationella servicedatalagret "
        "(PTV). %(count)s av beskrivningarna på webbplatsen finns inte på det här språket. De "
        "visas på det språk de är skrivna på, och språket är angivet.",
    },
    "The site links to e-services of other organisations, such as Kela. Each organisation is responsible for the accessibility of its own service.": {
        "fi": "Sivustolla on linkkejä muiden organisaatioiden, kuten Kelan, sähköisiin "
        "palveluihin. Jokainen organisaatio vastaa oman palvelunsa saavutettavuudesta.",
        "sv": "Webbplatsen har länkar till andra organisationers e-tjänster, till exempel "
        "FPA:s. Varje organisation ansvarar för tillgängligheten i sin egen tjänst.",
    },
    "How accessibility was assessed": {
        "fi": "Miten saavutettavuus on arvioitu",
        "sv": "Hur tillgängligheten har bedömts",
    },
    "Every page of the site (%(pages)s pages) is checked automatically each time the site is published; latest check %(date)s.": {
        "fi": "Sivuston jokainen sivu (%(pages)s sivua) tarkistetaan automaattisesti aina, "
        "kun sivusto julkaistaan. Viimeisin tarkistus %(date)s.",
        "sv": "Varje sida på webbplatsen (%(pages)s sidor) kontrolleras automatiskt varje gång "
        "webbplatsen publiceras. Den senaste kontrollen gjordes den %(date)s.",
    },
    "Each type of page was tested in a browser with the axe-core tool and with the keyboard on %(date)s.": {
        "fi": "Jokainen sivutyyppi testattiin selaimessa axe-core-työkalulla ja näppäimistöllä "
        "%(date)s.",
        "sv": "Varje typ av sida testades i en webbläsare med verktyget axe-core och med "
        "tangentbordet den %(date)s.",
    },
    "An accessibility expert evaluated the site on %(date)s.": {
        "fi": "Saavutettavuuden asiantuntija arvioi sivuston %(date)s.",
        "sv": "En expert på tillgänglighet granskade webbplatsen den %(date)s.",
    },
    "This statement was updated on %(date)s.": {
        "fi": "Tämä seloste on päivitetty %(date)s.",
        "sv": "Utlåtandet uppdaterades den %(date)s.",
    },
    "Supervisory authority": {"fi": "Valvontaviranomainen", "sv": "Tillsynsmyndighet"},
    "If you get no reply within two weeks, or you are not satisfied with the reply, you can notify the supervisory authority. Its website explains how to make a notification and how it is handled.": {
        "fi": "Jos et saa vastausta kahden viikon kuluessa tai et ole tyytyväinen vastaukseen, "
        "voit tehdä ilmoituksen valvontaviranomaiselle. Sen verkkosivuilla kerrotaan, miten "
        "ilmoitus tehdään ja miten asia käsitellään.",
        "sv": "Om du inte får något svar inom två veckor eller inte är nöjd med svaret kan du "
        "göra en anmälan till tillsynsmyndigheten. På dess webbplats finns anvisningar om hur "
        "du gör en anmälan och hur ärendet behandlas.",
    },
    "Website:": {"fi": "Verkkosivut:", "sv": "Webbplats:"},
    "Phone (switchboard):": {"fi": "Puhelinvaihde:", "sv": "Växel:"},
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
