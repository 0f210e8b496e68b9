"""Find places by any of their labels, in any script, forgiving case, accents, transliteration and typos.

Every place's labels (``skos:prefLabel``, ``rdfs:label``, ``skos:altLabel``, every language, every graph)
are folded once when a build is opened into two keys: the *folded* key (case-folded, transliterated to
Latin letters by anyascii, only letters and digits kept) and a coarser *sound* key (``y``/``j`` read as
``i``, doubled letters single) that makes 'Toljatti', 'Tolyatti' and 'Тольятти' one word. A lookup ranks:
an exact folded key, an exact sound key, a label that starts with the query, a word of a label that starts
with it, then labels within a small edit distance (found through a trigram index, so the distance is
computed for a few candidates only, never for every label).
"""

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

import pyoxigraph as ox
from anyascii import anyascii

from pobratim.core.vocab import GN, RDF, RDFS, SDO, SKOS
from pobratim.sparql.store import ReadStore

SEARCH_LABELS = (
    ox.NamedNode(str(SKOS.prefLabel)),
    ox.NamedNode(str(RDFS.label)),
    ox.NamedNode(str(SKOS.altLabel)),
)
PLACE = ox.NamedNode(str(SDO.Place))
TYPE = ox.NamedNode(str(RDF.type))
COUNTRY_CODE = ox.NamedNode(str(GN.countryCode))
# Bulgarian ъ is a vowel, written 'a' by the official transliteration (Streamlined System, law of 2009):
# 'Казанлък' is 'Kazanlak'. anyascii, which knows no language, writes the Russian hard sign's apostrophe.
BEFORE = str.maketrans({"ъ": "a", "Ъ": "A"})
NOT_WORD = re.compile(r"[^a-z0-9]+")
DOUBLED = re.compile(r"(.)\1+")
SOUND = str.maketrans({"y": "i", "j": "i"})
LIMIT = 20
# Ranks, best first; a fuzzy match's rank adds its edit distance.
EXACT, SOUND_EXACT, PREFIX, WORD_PREFIX, FUZZY = range(5)


def search_key(text: str) -> str:
    """Fold a label or a query: case, accents and script away, words separated by one space."""
    latin = anyascii(unicodedata.normalize("NFC", text).translate(BEFORE)).casefold()
    # Apostrophes (a soft sign's, 'l'Aquila') join a word rather than split it.
    latin = latin.replace("'", "")
    return NOT_WORD.sub(" ", latin).strip()


def sound(folded: str) -> str:
    """Reduce a folded key to how it sounds, roughly: y and j as i, no doubled letters."""
    return DOUBLED.sub(r"\1", folded.translate(SOUND))


def allowed_distance(key: str) -> int:
    """The edit distance a query of this length may be from a label: none below 4 letters, 2 from 8."""
    return 0 if len(key) < 4 else 1 if len(key) < 8 else 2


def trigrams(key: str) -> set[str]:
    padded = f"  {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def distance(a: str, b: str, bound: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``bound + 1`` once it must exceed ``bound``."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > bound:
            return bound + 1
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class Hit:
    """A place found: its IRI, its country (ISO 3166 code), the label that matched, and how well."""

    iri: str
    country: str
    matched: str
    rank: int


@dataclass
class SearchIndex:
    """The folded labels of every place of one build, and the lookups over them."""

    iris: list[str]
    countries: list[str]
    labels: list[str]  # every distinct (place, label) pair's label text
    owners: list[int]  # the place of each label
    spoken: list[str]  # the sound key of each label
    exact: dict[str, list[int]]  # folded key → labels
    sounds: dict[str, list[int]]  # sound key → labels
    starts: list[tuple[str, int, bool]]  # sorted (sound key from a word's start, label, is the label's start)
    grams: dict[str, list[int]]  # trigram of a sound key → labels

    @classmethod
    def build(cls, labelled: dict[str, tuple[str, set[str]]]) -> "SearchIndex":
        """Index ``{iri: (country, labels)}``."""
        index = cls([], [], [], [], [], {}, {}, [], {})
        for iri, (country, texts) in sorted(labelled.items()):
            place = len(index.iris)
            index.iris.append(iri)
            index.countries.append(country)
            for text in sorted(texts):
                key = search_key(text)
                if not key:
                    continue
                n = len(index.labels)
                index.labels.append(text)
                index.owners.append(place)
                spoken = sound(key)
                index.spoken.append(spoken)
                index.exact.setdefault(key, []).append(n)
                index.sounds.setdefault(spoken, []).append(n)
                words = spoken.split(" ")
                for w in range(len(words)):
                    index.starts.append((" ".join(words[w:]), n, w == 0))
                for gram in trigrams(spoken):
                    index.grams.setdefault(gram, []).append(n)
        index.starts.sort()
        return index

    def lookup(self, query: str, limit: int = LIMIT) -> list[Hit]:
        """Return the places whose labels match ``query``, best first, each place once."""
        key = search_key(query)
        if not key:
            return []
        spoken = sound(key)
        best: dict[int, tuple[int, int, str]] = {}  # label → (rank, length difference, label text)

        def offer(label: int, rank: int) -> None:
            candidate = (rank, abs(len(self.labels[label]) - len(query)), self.labels[label])
            if label not in best or candidate < best[label]:
                best[label] = candidate

        for label in self.exact.get(key, ()):
            offer(label, EXACT)
        for label in self.sounds.get(spoken, ()):
            offer(label, SOUND_EXACT)
        # Prefixes: a bounded walk of the sorted word starts (the best `limit` places need no more).
        at = bisect_left(self.starts, (spoken,))
        taken = 0
        while at < len(self.starts) and self.starts[at][0].startswith(spoken) and taken < limit * 20:
            _key, label, whole = self.starts[at]
            offer(label, PREFIX if whole else WORD_PREFIX)
            at, taken = at + 1, taken + 1
        bound = allowed_distance(spoken)
        if bound and len({self.owners[label] for label in best}) < limit:
            for label, d in self._near(spoken, bound):
                offer(label, FUZZY + d)
        places: dict[int, Hit] = {}
        for label, (rank, _gap, text) in sorted(best.items(), key=lambda item: item[1]):
            place = self.owners[label]
            if place not in places:
                places[place] = Hit(self.iris[place], self.countries[place], text, rank)
            if len(places) == limit:
                break
        return list(places.values())

    def _near(self, spoken: str, bound: int) -> list[tuple[int, int]]:
        """The labels whose sound key is within ``bound`` edits of ``spoken`` (q-gram filter, then distance)."""
        grams = trigrams(spoken)
        shared: Counter[int] = Counter()
        for gram in grams:
            shared.update(self.grams.get(gram, ()))
        # One edit changes at most three trigrams (the q-gram lemma): fewer shared cannot be within bound.
        needed = max(1, len(grams) - 3 * bound)
        near = []
        for label, count in shared.items():
            if count < needed:
                continue
            d = distance(spoken, self.spoken[label], bound)
            if d <= bound:
                near.append((label, d))
        return near


def place_labels(store: ReadStore) -> dict[str, tuple[str, set[str]]]:
    """Read every place's country code and labels (every label predicate, language and graph)."""
    places: dict[str, tuple[str, set[str]]] = {}
    for quad in store.quads_for_pattern(None, TYPE, PLACE, ox.DefaultGraph()):
        if isinstance(quad.subject, ox.NamedNode):
            places[quad.subject.value] = ("", set())
    for quad in store.quads_for_pattern(None, COUNTRY_CODE, None, ox.DefaultGraph()):
        subject = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else ""
        if subject in places and isinstance(quad.object, ox.Literal):
            places[subject] = (quad.object.value, places[subject][1])
    for predicate in SEARCH_LABELS:
        for quad in store.quads_for_pattern(None, predicate, None, None):
            found = places.get(quad.subject.value) if isinstance(quad.subject, ox.NamedNode) else None
            if found is not None and isinstance(quad.object, ox.Literal):
                found[1].add(quad.object.value)
    return places


def search_index(store: ReadStore) -> SearchIndex:
    """Build the search index of a build's store (once, when the build is opened)."""
    return SearchIndex.build(place_labels(store))
