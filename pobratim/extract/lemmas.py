"""Dictionary forms of the page's words (simplemma): a place name's nominative, a common word's lemma.

simplemma (zero-dependency, 54 languages) knows inflected forms of many place names ("Gnieznem" ->
Gniezno, "Kraslavos" -> Kraslava) and tells common words ("Miasta" -> miasto, "Comune" -> comune) from
names: a word whose lemma it writes in lower case is a word of the language, not a place. It needs the
page's language, which the capture's header, the source's metadata or the caller gives.
"""

from functools import cache

from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
from simplemma.strategies.dictionaries import DefaultDictionaryFactory
from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

# simplemma's code for the languages it knows under another (Serbian, Croatian and Bosnian share one).
_ALIASES = {"sr": "hbs", "hr": "hbs", "bs": "hbs", "no": "nb"}


def code(language: str | None) -> str | None:
    """Return simplemma's code for a language (its own code when simplemma has no dictionary for it: the
    reader's grammar tables may still know it), or None when the language is unknown."""
    if not language or language == "und":
        return None
    return _ALIASES.get(language.lower(), language.lower())


@cache
def _factory() -> DefaultDictionaryFactory:
    # Loading a language's dictionary takes about a second; keep every one loaded (simplemma keeps 8).
    return DefaultDictionaryFactory(cache_max_size=len(SUPPORTED_LANGUAGES))


@cache
def _lemmatizer() -> Lemmatizer:
    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_factory()))


@cache
def _known(word: str, language: str) -> bool:
    return DictionaryLookupStrategy(dictionary_factory=_factory()).get_lemma(word, language) is not None


@cache
def lemma(word: str, language: str) -> str:
    """Return the dictionary form of ``word`` in ``language`` (the word itself when unknown)."""
    if language not in SUPPORTED_LANGUAGES:
        return word
    return str(_lemmatizer().lemmatize(word, lang=language))


def is_common_word(word: str, language: str) -> bool:
    """Say whether a capitalised word is a common word of the language rather than a name ("Comune",
    "Miasta"): simplemma knows it and writes its lemma in lower case."""
    if language not in SUPPORTED_LANGUAGES:
        return False
    return lemma(word, language)[:1].islower() and _known(word.casefold(), language)


def name_form(word: str, language: str) -> str | None:
    """Return the nominative of an inflected name ("Gnieznem" -> "Gniezno"), or None."""
    form = lemma(word, language)
    return form if form != word and form[:1].isupper() else None
