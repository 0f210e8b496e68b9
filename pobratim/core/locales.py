"""The languages whose CLDR data (through Babel) the readers of page text use: those of Europe and its
neighbours, each a locale Babel ships (country names, month names, language names)."""

LANGUAGES = (
    *("bg", "en", "pl", "de", "fr", "it", "es", "ru", "sr", "mk", "ro", "el", "tr", "uk", "pt", "nl", "cs"),
    *("hu", "sk", "sl", "hr", "bs", "sq", "lt", "lv", "et", "fi", "sv", "da", "nb", "ca", "be", "ka", "hy"),
    *("az", "mt", "is", "ga", "lb", "gl", "eu", "cy", "he", "ar"),
)
