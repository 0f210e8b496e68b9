"""The languages pobratim reads and writes in.

``LANGUAGES``: those whose CLDR data (through Babel) the readers of page text use: Europe's and its
neighbours', each a locale Babel ships (country names, month names, language names). ``LABEL_LANGUAGES``:
those its own labels and pages are written in (names of places and countries, the pages' interface), English
first (the default where a browser prefers neither).
"""

LABEL_LANGUAGES = ("en", "bg")

LANGUAGES = (
    *("bg", "en", "pl", "de", "fr", "it", "es", "ru", "sr", "mk", "ro", "el", "tr", "uk", "pt", "nl", "cs"),
    *("hu", "sk", "sl", "hr", "bs", "sq", "lt", "lv", "et", "fi", "sv", "da", "nb", "ca", "be", "ka", "hy"),
    *("az", "mt", "is", "ga", "lb", "gl", "eu", "cy", "he", "ar"),
)
