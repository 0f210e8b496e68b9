"""What a main-text reader must keep and must drop on each fixture page (written by hand from the page).

``keep``: the page's own words (prose with exact dates, the list of partners); ``drop``: its menus, cookie
banner, sidebar and footer. Shared by the capture tests and ``measure.py``, which compares readers.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Truth:
    encoding: str  # the encoding the page is served in
    language: str  # ISO 639-1
    keep: tuple[str, ...]
    drop: tuple[str, ...]


PAGES: dict[str, Truth] = {
    "bg-utf8-twins.html": Truth(
        "utf-8",
        "bg",
        keep=(
            "Първото побратимяване на Габрово е с град Митищи, Русия, подписано на 12 юни 1967 г.",
            "На 5 октомври 1998 г. кметовете на Габрово и Нови Сад подписаха протокол",
            "Митищи, Русия – от 1967 г.",
            "Ейлсбъри, Великобритания – от 1972 г.",
            "Нови Сад, Сърбия – от 1998 г.",
            "Шамбери, Франция – от 2003 г.",
            "Тайджоу, Китай – от 2011 г.",
        ),
        drop=(
            "Този сайт използва бисквитки",
            "Заместник-кметове",
            "Административни услуги",
            "Започна ремонтът",
            "Профил на купувача",
            "Всички права запазени",
            "Карта на сайта",
        ),
    ),
    "bg-cp1251-twins.html": Truth(
        "windows-1251",
        "bg",
        keep=(
            "Първият договор е подписан с град Гифхорн, Германия, на 20 май 1992 г.",
            "С решение № 214 от 28 февруари 2002 г. Общинският съвет одобри споразумение",
            "Гифхорн",
            "Одорхею Секуйеск",
            "Република Северна Македония",
            "Общината участва и в мрежата „Кметове за мир“ от 2015 г.",
        ),
        drop=("Брой посещения", "Наредби", "Галерия", "Дизайн и изработка"),
    ),
    "cz-iso88592-partners.html": Truth(
        "iso-8859-2",
        "cs",
        keep=(
            "Smlouva o partnerství s maďarským městem Ráckeve byla podepsána 17. září 1999.",
            "smlouva byla slavnostně podepsána 3. května 2001",
            "Ráckeve (Maďarsko) - od roku 1999",
            "Opatów (Polsko) - od roku 2001",
            "Humenné (Slovensko) - od roku 2003",
            "Lilienfeld (Rakousko) - od roku 2006",
            "Zastupitelstvo města schválilo dne 12. prosince 2006 dohodu",
        ),
        drop=(
            "soubory cookies",
            "Životní situace",
            "Úřední deska",
            "Uzavírka ulice",
            "Kalendář akcí",
            "Nacházíte se",  # the breadcrumb
            "Mapa stránek",
        ),
    ),
    "de-utf8-partner.html": Truth(
        "utf-8",
        "de",
        keep=(
            "Die erste Partnerschaft wurde am 2. Mai 1962 mit der französischen Stadt Mayenne geschlossen.",
            "Am 14. Juni 1986 folgte die Partnerschaft mit Devizes in England.",
            "seit dem 3. Oktober 1988 verbunden",
            "die der Gemeinderat am 21. März 1996 beschlossen hat",
            "Mayenne (Frankreich), seit 1962",
            "Devizes (Großbritannien), seit 1986",
            "Baja (Ungarn), seit 1988",
            "Jesi (Italien), seit 1996",
        ),
        drop=(
            "Wir verwenden Cookies",
            "Oberbürgermeister",
            "Leben & Wohnen",
            "Bürgerservice",
            "Wochenmarkt zieht um",
            "Startseite › Rathaus › Partnerstädte",  # the breadcrumb: "Rathaus" is no partner
            "Impressum",
            "Barrierefreiheit",
        ),
    ),
    "pl-iso88592-miasta.html": Truth(
        "iso-8859-2",
        "pl",
        keep=(
            "Umowę o współpracy partnerskiej z czeskim miastem Třebíč podpisano 3 maja 2001 roku.",
            "Uchwałą Rady Miejskiej z dnia 29 czerwca 2004 roku nawiązano współpracę",
            "Třebíč - Czechy (od 2001 r.)",
            "Szentendre - Węgry (od 2004 r.)",
            "Żółkiew - Ukraina (od 2010 r.)",
        ),
        drop=(
            "Licznik odwiedzin",
            "Biuletyn Informacji Publicznej",
            "Wszelkie prawa zastrzeżone",
            "Polityka prywatności",
        ),
    ),
}
