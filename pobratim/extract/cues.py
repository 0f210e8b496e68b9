"""Cue words that say a sentence is about a twinning, or that a place in it is not a partner.

The word stems are general vocabulary of the languages of Europe and its neighbours (twin town, partner,
sister city, friendship, agreement, signed; visit, delegation, history, ambassador, location), written
from knowledge of the languages, not taken from any page. A stem matches at the start of a word.
"""

import re
from functools import cache


def _stems(words: str) -> tuple[str, ...]:
    return tuple(w for w in words.split("|") if w)


# Twinning itself: twin/sister/partner town, friendship between towns.
TWIN = _stems(
    # en de nl fr it es pt ca
    "twin|twinn|sister cit|sister town|partner|städtepartner|partnerstadt|partnerschaft|"
    "verschwister|zusterstad|jumel|gemell|hermanad|hermanam|geminaç|geminad|geminação|"
    "agermana|"
    # bg mk sr hr bs sl ru uk be
    "побратим|побратен|братск|партнер|pobratim|pobraten|bratsk|partnersk|побратим|"
    "породн|партнёр|"
    # pl cs sk
    "partnersk|miast partner|miasta partner|družob|družb|partnerstv|partnerst|"
    # hu ro tr el
    "testvér|testver|înfrăţ|înfrăț|infrat|înfrat|orașe înfr|kardeş|kardes|"
    "αδελφοποί|αδελφοποι|αδελφ|δίδυμ|"
    # lt lv et fi sv da no
    "partner|miestu-partner|sadraudzīb|sadraudzib|draugyst|partnerattiec|partnerīb|"
    "partnerib|sõprus|ystävyys|vänort|venskab|vennskap|"
    # friendship
    "friendship|freundschaft|amitié|amicizia|amistad|amizade|vriendschap|przyjaź|"
    "přátel|priateľ|prijatelj|приятел|дружб|barátság|dostluk|prieteni|φιλί"
)
# Agreements and signing, cooperation between towns.
AGREEMENT = _stems(
    "agreement|signed|signing|contract|protocol|memorand|charter|cooperat|co-operat|"
    "vertrag|unterzeich|urkunde|abkommen|vereinbar|zusammenarbeit|overeenkomst|samenwerk|"
    "accord|signé|signat|serment|coopéra|accordo|firmat|sottoscri|patto|cooperaz|"
    "acuerdo|convenio|firmad|cooperac|acordo|assinad|protocolo|cooperaç|"
    "договор|споразум|подпис|протокол|сътрудничеств|угод|співпрац|сотрудничеств|"
    "соглашен|декларац|меморандум|sporazum|ugovor|potpis|suradnj|saradnj|pogodb|"
    "podpis|listin|sodelovanj|umow|porozumien|współprac|deklarac|dohod|smlouv|"
    "podepsa|spoluprác|spoluprac|megállapodás|szerződés|aláír|együttműköd|anlaşma|"
    "protokol|imzala|işbirliğ|acord|semnat|cooperar|colabor|hotăr|συμφων|υπογρ|"
    "πρωτόκολλ|συνεργασ|sutart|pasiraš|bendradarbiav|līgum|paraksti|sadarbīb|"
    "leping|allkirj|koostöö|sopimus|allekirj|yhteistyö|avtal|samarbet|aftale"
)
# Visits and delegations, history, diplomats, location and description: a place in such a sentence is
# usually not a partner.
NOISE = _stems(
    "visit|delegat|guest|besuch|gäste|visite|délégat|visita|delegaz|ospit|"
    "delegac|wizyt|gości|návštěv|obisk|посещ|визит|делегац|гост|візит|"
    "látogat|küldöttség|ziyaret|heyet|vizit|επίσκεψ|αντιπροσωπ|išvyk|vizitas|"
    "vizīt|delegācij|"
    "century|ancient|history|histor|founded|jahrhundert|siècle|secolo|siglo|século|"
    "wiek|století|stoletj|век|столітт|század|yüzyıl|secol|αιών|amžiu|gadsimt|"
    "ambassador|ambasad|botschaft|embassy|посланик|посол|nagykövet|büyükelçi|"
    "velvysl|veleposlan|πρέσβ|ambasciat|embajad|embaixad|ambasād|"
    "lies|located|situated|capital|county|province|region|liegt|hauptstadt|"
    "située|situé|capitale|région|si trova|capoluogo|situad|capital|leży|stolic|"
    "województw|leží|hlavní měst|kraj|leži|se nahaja|glavno mesto|лежи|се намира|"
    "столиц|област|розташ|расположен|fekszik|főváros|megye|bulunan|başkent|"
    "se află|situat|județ|βρίσκεται|πρωτεύουσ|νομ|yra |sostin|apskrit|atrodas|"
    "galvaspilsēt|"
    # rivers and former names
    "river|tributar|rzek|dopływ|řek|reka|река|річк|folyó|nehir|râu|fiume|fleuve|fluss|río|upė|upe|ποτάμ|"
    "until|formerly|former name|ehemals|früher|autrefois|anciennement|dawniej|dříve|nekdaj|преди|раніше|"
    "колишн|régen|eskiden|πρώην"
)
# A line that is a site's menu, breadcrumb or footer.
MENU = re.compile(r"(?:[|»›>•]\s*[^|»›>•\n]{1,30}){3,}|©|copyright", re.IGNORECASE)


@cache
def _pattern(stems: tuple[str, ...]) -> re.Pattern[str]:
    body = "|".join(re.escape(s) for s in sorted(set(stems), key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{body})[^\W\d_]*", re.IGNORECASE)


def twin_cues(text: str) -> list[str]:
    """Words of ``text`` that name a twinning, a partnership or a friendship between towns."""
    return [m.group(0) for m in _pattern(TWIN).finditer(text)]


def agreement_cues(text: str) -> list[str]:
    """Words of ``text`` that name an agreement, a signing or a cooperation."""
    return [m.group(0) for m in _pattern(AGREEMENT).finditer(text)]


def noise_cues(text: str) -> list[str]:
    """Words of ``text`` that say its places are visited, historical, diplomatic or a location."""
    return [m.group(0) for m in _pattern(NOISE).finditer(text)]


def is_menu(line: str) -> bool:
    """Say whether a line looks like a site menu, a breadcrumb or a footer."""
    return bool(MENU.search(line))
