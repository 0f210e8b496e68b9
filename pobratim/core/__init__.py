"""Shared ground: where files are, errors, locks, identifiers, vocabulary, dates, quotes, countries, gazetteer."""
