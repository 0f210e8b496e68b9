"""The gazetteer's name index kept as numbers: the same places by name as the dict it is made from."""

import pickle

from pobratim.core.gazetteer import Entry, NameIndex

BOR_RS = Entry(792578, "Bor", "RS", 34160)
BOR_CZ = Entry(3078833, "Bor", "CZ", 3700)
ZAJECAR = Entry(784024, "Zaječar", "RS", 38165)


def small() -> NameIndex:
    return NameIndex.of({"bor": [BOR_RS, BOR_CZ], "zajecar": [ZAJECAR], "зајечар": [ZAJECAR]})


def test_a_name_gives_its_places() -> None:
    index = small()
    assert list(index.get("bor")) == [BOR_RS, BOR_CZ]
    assert list(index.get("зајечар")) == [ZAJECAR]
    assert index.get("nis") == () and index.get("nis", []) == []
    assert "zajecar" in index and "nis" not in index and len(index) == 3


def test_a_place_of_several_names_is_one_entry() -> None:
    index = small()
    assert index.get("zajecar")[0] is index.get("зајечар")[0]


def test_the_index_survives_its_cache() -> None:
    index = pickle.loads(pickle.dumps(small(), protocol=pickle.HIGHEST_PROTOCOL))
    assert dict((name, list(places)) for name, places in index.items()) == {
        "bor": [BOR_RS, BOR_CZ],
        "zajecar": [ZAJECAR],
        "зајечар": [ZAJECAR],
    }
