"""Rules that say a name on the page is not a partner: a person, a part of a longer name, where another
place lies, the page's own municipality, a common word.

Each rule is general: titles and offices, the words for city, town and administrative units in the
languages read, and the shapes of names; no page's own words.
"""

import re

from pobratim.core import gazetteer
from pobratim.extract.context import Page
from pobratim.extract.cues import agreement_cues, name_day_cues, twin_cues
from pobratim.extract.lemmas import is_common_word

# The words for "and" in the languages read: between two names of one list entry, or of two people.
CONJUNCTIONS = r"и|і|та|and|i|oraz|und|et|e|y|és|ve|și|şi|a|in|ir|un|ja|och|og|en|και"

# The words for "city" or "town" in the languages read.
CITY_WORDS = (
    r"град|гр\.|city(?:\s+of)?|town(?:\s+of)?|miasto|miasta|město|mesto|grad|ville(?:\s+de)?|città(?:\s+di)?|"
    r"stadt|oraș(?:ul)?|oraş(?:ul)?|şehir|şehri|város|місто|город|πόλη|ciudad(?:\s+de)?|cidade(?:\s+de)?|"
    r"pilsēta|miestas|stad|kaupunki|ქალაქ[ი]?|քաղաք|עיר|העיר|مدينة|المدينة"
)
GENERIC = re.compile(rf"(?:{CITY_WORDS})", re.IGNORECASE)


def generic_word(label: str) -> bool:
    """Say whether a name is only the word for city or town ("ქალაქ", which GeoNames also knows as a place)."""
    return bool(GENERIC.fullmatch(label))


# Titles and offices written before a person's name.
TITLES = (
    r"mayors?|mr|mrs|ms|dr|president|ambassador|кмет[а-я]*|г-н|г-жа|д-р|посланик[а-я]*|maire|m\.|mme|sindaco|"
    r"bürgermeister(?:in)?|burmistrz[a-z]*|prezyden[a-z]*|starost[a-z]*|primar[a-z]*|polgármester[a-z]*|"
    r"başkan[a-zıü]*|cumhurbaşkan[a-zı]*|meras|mērs|δήμαρχος|prefeito|presidente|alcalde|župan[a-z]*|"
    r"gradonačelni[a-z]*|градоначалник[а-я]*|мер[а-яі]*|міськ(?:ий)? голов[а-я]*|голов[а-я]*|кмета"
)
# Words for an administrative unit: a place right after one is often where the partner lies, not a partner.
ADMIN_WORDS = (
    r"(?:region|county|district|province|raion|rajon|район|област|oblast|obwód|obwodzie|okres|okr\.|kraj|"
    r"powiat|województw|vojvodstv|megye|județ|judet|ilçe|il|kreis|landkreis|bezirk|département|departement|"
    r"provincia|comarca|distrikt|apskrit|novad|maakond|νομ|περιφέρει|island|остров|ostrov|wysp|île|isola|isla|"
    r"ilha|insel|sziget|insula|νησ)[^\W\d_]*"
)
ADMIN_WORD = re.compile(ADMIN_WORDS + r"\s*$", re.IGNORECASE)


def part_of_longer_name(page: Page, start: int, end: int, language: str | None) -> bool:
    """A known name that a capitalised word the gazetteer does not know continues: "Нацерет Іліт" is not
    Nazareth. A generic word after it ("Kichevo Municipality", "District Government") does not count, nor a
    person's name after a town's: after a word for town in lower case (not a town named Grad), two
    capitalised words that follow are a given name and a surname ("grada Maribora Andrej Fištravec"), not
    the rest of the town's name ("місто Нацерет Іліт в Ізраїлі")."""
    # The whole hyphenated word after it: "Sainte" of "Sainte Colombe-sur-l'Hers" is continued by
    # "Colombe-sur-l'Hers", which the gazetteer does not know, though it knows a "Colombe".
    follow = re.match(
        r"[ -]((?-i:[A-ZА-ЯЁΑ-ΩĄĆĘŁŃÓŚŹŻÇĞİÖŞÜĂÂÎȘȚІЇЄ])[^\W\d_]+(?:[-‐][^\W\d_]+(?:['’][^\W\d_]+)?)*)",
        page.text[end : end + 60],
    )
    if follow is None:
        return False
    town_word = _town_word_before(page, start)
    surname = re.match(r" ([^\W\d_]+)", page.text[end + follow.end(1) : end + follow.end(1) + 40])
    if town_word is not None and town_word.group(0)[0].islower() and surname and surname.group(1)[0].isupper():
        return False
    word = follow.group(1)
    generic = rf"(?:{CITY_WORDS}|{ADMIN_WORDS}|municipality|government|belediye\w*|commune|gemeinde)"
    if re.fullmatch(generic, word, re.IGNORECASE) or (language and is_common_word(word, language)):
        return False
    start = end + follow.start(1)
    named = page.countries_in(start, start + len(word)) or page.adjectives_in(start, start + len(word))
    return not named and not gazetteer.name_index().get(gazetteer.fold(word))


# Words for a landmark or a street named after a place or a person: the name before them is not a town
# ("Orlova Chuka Cave", "Bem Street", "Rila Monastery").
LANDMARKS = (
    r"cave|lake|mountain|mount|river|castle|palace|church|cathedral|monastery|abbey|park|bridge|street|square|"
    r"avenue|road|valley|gorge|bay|beach|höhle|see|berg|burg|schloss|kirche|dom|kloster|brücke|straße|strasse|"
    r"platz|tal|пещера|езеро|връх|крепост|манастир|църква|катедрала|парк|мост|улица|площад|булевард|"
    r"печера|озеро|гора|фортеця|монастир|церква|вулиця|площа|пещера|замок|улица|jaskinia|jezioro|góra|zamek|"
    r"klasztor|kościół|ulica|plac|jeskyně|hrad|zámek|klášter|kostel|ulice|náměstí|jaskyňa|jezero|pećina|"
    r"špilja|dvorac|samostan|manastir|crkva|ulica|trg|barlang|vár|kolostor|templom|utca|tér|mağara|göl|dağ|"
    r"kale|saray|cami|kilise|sokak|cadde|meydan|peștera|lacul|castelul|mănăstirea|strada|piața|σπήλαιο|λίμνη|"
    r"κάστρο|μονή|εκκλησία|οδός|πλατεία|ola|ezers|pils|iela|laukums|urvas|ežeras|pilis|gatvė|aikštė|"
    # Waters named after a place, in the languages that write the water's word after the name ("the Borcea
    # arm", "Kiel Canal", "Tisza folyó", "Fırat nehri", "Daugavas upe"); Slavic and Romance languages write it
    # before the name ("rijeka Sava", "brațul Borcea").
    r"arm|branch|canal|channel|stream|creek|tributary|kanal|fluss|bach|folyó|ág|nehri|kanalı|upe|kanāls|upė|kanalas"
)
LANDMARK_AFTER = re.compile(rf"[ -](?:{LANDMARKS})(?![^\W\d_])", re.IGNORECASE)


def names_a_landmark(page: Page, end: int) -> bool:
    """A name a landmark or street word follows: "Orlova Chuka Cave", "Bem utca"."""
    return bool(LANDMARK_AFTER.match(page.text, end))


# A distance written before a place makes it a point of reference: "30 km south-east of Yerevan", "à 20 km
# de Caen", "160 км северно от София", "12 km od Krakowa". Between the unit and the name only lower-case
# words (a direction, "of", "from").
DISTANCE_BEFORE = re.compile(
    r"\d\s*(?:km|kilomet|miles?|км|кілометр|километр|χλμ|χιλιόμετρ)[^\W\d_]*"
    r"(?:[\s,]+(?-i:[^\W\d_A-ZА-ЯЁΑ-Ω])[^\W\d_]*(?:[-‐][^\W\d_]+)*){0,4}\s+$",
    re.IGNORECASE,
)


def after_distance(page: Page, start: int) -> bool:
    """A place a distance points from ("lies 30 km south-east of Yerevan"): where the partner lies."""
    return bool(DISTANCE_BEFORE.search(page.text[max(0, start - 80) : start]))


def in_hyphenated_name(page: Page, start: int, end: int) -> bool:
    """A name glued by a hyphen to more of a longer name the gazetteer did not know as a whole: "Calais" of
    "Pas-de-Calais", "Périers" of "Périers-sur-le-Dan"."""
    before = page.text[max(0, start - 2) : start]
    after = page.text[end : end + 2]
    return bool(re.fullmatch(r"[^\W\d_][-‐]", before) or re.fullmatch(r"[-‐][^\W\d_]", after))


# The words for a municipality (a town word's neighbour: "Općine Budva", "gminy Bliżyn").
MUNICIPALITY_WORDS = (
    r"municipality|općin|opštin|opstin|občin|obec|obc|gmin|obwod|община|општин|громад|municipi|comune|commune|"
    r"gemeinde|belediye|savivaldyb|novad|δήμο|δήμ|concelho|ayuntamiento|mairie"
)
TOWN_BEFORE = re.compile(rf"(?<![^\W\d_])(?:{CITY_WORDS}|{MUNICIPALITY_WORDS})[^\W\d_]{{0,4}}\s+$", re.IGNORECASE)


# A lower-case town word in the genitive and a capitalised name after the word: "Herb miasta Kalarasz" (the
# coat of arms of the town of …), "Dan grada Makarske", "Rada města Náchoda".
_OF_A_TOWN = re.compile(rf"\s+((?:{CITY_WORDS}|{MUNICIPALITY_WORDS})[^\W\d_]{{0,4}})\s+([^\W\d_])", re.IGNORECASE)


# Languages that name the owner first ("Totkomlós város Önkormányzata", "Konya şehri Belediyesi", "Oulun
# kaupungin …", "Valmieras pilsētas Pašvaldība"): there the name before the town word is the town.
OWNER_FIRST = {"hu", "tr", "fi", "et", "hy", "lv", "lt"}


def thing_of_a_town(page: Page, end: int, language: str | None) -> bool:
    """A word before "of the town X" in the languages that put the town after what is its ("Herb miasta
    Swietłogorska", "Dan grada Makarske"): a thing of that town, not a place."""
    if language is None or language in OWNER_FIRST:
        return False  # a page whose language is unknown may name the owner first
    m = _OF_A_TOWN.match(page.text, end)
    return m is not None and m.group(1)[0].islower() and m.group(2).isupper()


def _town_word_before(page: Page, start: int) -> re.Match[str] | None:
    return TOWN_BEFORE.search(page.text[max(0, start - 30) : start])


def after_town_word(page: Page, start: int) -> bool:
    """A name right after a word for town or municipality, inflected or not ("grada Vukovara", "Općine
    Budva", "miasta Gniezna")."""
    return _town_word_before(page, start) is not None


# The words for a company or firm in the languages read: a name right after one is a company's (a maker named
# after its founder or its town), not a place. General vocabulary (Wiktionary's translations of "company"
# and "firm"), no page's words.
COMPANY_WORDS = (
    r"company|firm|corporation|concern|firma|firmy|firmě|firmou|firmie|firmą|firmen|unternehmen[s]?|konzern[s]?|"
    r"société|entreprise|azienda|ditta|empresa|compañía|companhia|spółka|spółki|koncern[u]?|společnost[i]?|"
    r"spoločnosť|spoločnosti|podnik[u]?|tvrtka|tvrtke|poduzeće|preduzeće|podjetje|компани[яиюей]|фирм[аиуыое]|"
    r"компані[яїюєі]|фірм[аиуіо]|концерн[а]?|şirket[i]?|cég|céget|vállalat|įmonė|uzņēmums|εταιρεία|εταιρείας|"
    r"societate[a]?|compania|bedrijf|selskab|selskap|företag[et]?|yhtiö"
)
COMPANY_BEFORE = re.compile(rf"(?<![^\W\d_])(?:{COMPANY_WORDS})\s+$", re.IGNORECASE)


def after_company_word(page: Page, start: int) -> bool:
    """A name right after a word for a company ("the company Nokia", "firma Škoda"): a firm, not a town."""
    return bool(COMPANY_BEFORE.search(page.text[max(0, start - 30) : start]))


def after_title(page: Page, start: int, end: int) -> bool:
    """A person's name, not a place: a word after a title ("кметът г-жа Галина Стоянова", "Mayor Andrea
    Virgilio", "Cumhurbaşkanı Ersin Tatar"), the surname after such a given name, or a name a title
    follows."""
    before = page.text[max(0, start - 50) : start]
    # Between the title and the name only capitalised words ("КМЕТ НА ГРАДА – Andrea Virgilio (Андреа"),
    # never "of", "de"; a second person after a first one's given name and surname ("the mayors Anna Weber
    # and Enio Pavone"), not a second town after a first ("starosta Náchoda a Trutnova").
    cap = r"(?-i:[A-ZА-ЯЁΑ-Ω])[^\W\d_]*[\s.:–(-]+"
    names = rf"(?:{cap}{cap}(?:{CONJUNCTIONS})\s+)?(?:{cap}){{0,5}}"
    if re.search(rf"(?<![^\W\d_])(?:{TITLES})[\s.:–-]+{names}$", before, re.IGNORECASE):
        return True
    # The title after the name: "Галина Стоянова Кмет на Община Казанлък"; not after a word for town, which
    # says the name is a town's ("delegacija Općine Kavadarci, gradonačelnik grada Vukovara").
    if after_town_word(page, start):
        return False
    after = page.text[end : end + 50]
    names = r"(?:[\s,–-]+(?-i:[A-ZА-ЯЁΑ-Ω])[^\W\d_]*){0,2}"
    return bool(re.match(rf"{names}[\s,–-]+(?:{TITLES})(?![^\W\d_])", after, re.IGNORECASE))


def on_a_name_day_line(page: Page, start: int) -> bool:
    """A name on the line of a site's name days ("Vārda dienas: Niklāvs, Nikolajs, Nikola"): a given name."""
    return bool(name_day_cues(page.text[slice(*page.line(start))]))


def is_own(label: str, municipality: str | None) -> bool:
    """Say whether a name is the page's own municipality or a part of its name ("Police" of "Police nad
    Metují", "Bielsku" of "Bielsk Podlaski")."""
    if not municipality:
        return False
    own = gazetteer.fold(municipality)
    name = gazetteer.fold(label)
    if " " in name:
        return name in own
    for word in own.split():
        prefix = max(4, len(word) - 2)
        if len(word) >= 4 and name[:prefix] == word[:prefix] and abs(len(name) - len(word)) <= 3:
            return True
    return False


def common_word(page: Page, label: str, start: int) -> bool:
    """A capitalised word at the start of a sentence that the page also writes in lower case ("The", "In")."""
    if twin_cues(label) or agreement_cues(label):
        return True  # "Twin towns", "Partner", "Protocol": the words of the subject, capitalised
    if label.isupper() and len(label) <= 4:
        return True  # an acronym: "PDF", "НПО"
    s, _e = page.sentence(start)
    if " " in label or re.search(r"[^\W\d_]", page.text[s:start]):
        return False
    if len(label) <= 3 and not page.is_heading(page.line_index(start)):
        return True  # a short word opening a sentence of prose: "Nel 1994 …", "In June …"
    return bool(re.search(rf"(?<![^\W\d_]){re.escape(label.casefold())}(?![^\W\d_])", page.text))


# A closing quotation mark (not an apostrophe: "d’Angers" is a town) and at most a comma before a name.
_AFTER_QUOTED = re.compile(r"[\"“”»›]\s*,?\s*$")


def after_quoted_name(page: Page, start: int) -> bool:
    """A place right after a name in quotation marks: where an ensemble, a club or a firm comes from
    ("the choir „Zvonce“, Ohrid, North Macedonia"), not a partner of the town."""
    return bool(_AFTER_QUOTED.search(page.text[max(0, start - 4) : start]))


def describes_previous(page: Page, start: int) -> bool:
    """A place named as the city of the one before it: "Община Нилюфер, град Бурса"."""
    ls, _le = page.line(start)
    before = page.text[max(ls, start - 60) : start]
    name = r"(?-i:[A-ZА-ЯЁΑ-ΩĄĆĘŁŃÓŚŹŻÇĞİÖŞÜĂÂÎȘȚ])[^\W\d_]+"
    lower = r"(?:(?-i:[^\W\d_A-ZА-ЯЁΑ-Ω])[^\W\d_]*\s+){0,3}"  # "столица на остров Бали"
    if re.search(rf"{name}\s*,\s*{lower}(?:{CITY_WORDS}|{ADMIN_WORDS})\s+$", before, re.IGNORECASE):
        return True
    # "Джунгнанг-гу, Сеул": after a city district (Korean -gu, Japanese -ku), the city it is a district of.
    return bool(re.search(rf"{name}[-‐](?:гу|gu|ку|ku)\s*,\s*$", before, re.IGNORECASE))
