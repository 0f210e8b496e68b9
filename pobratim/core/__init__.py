"""Shared ground: where files are, errors, identifiers, vocabulary, dates, quotes, countries, gazetteer."""
