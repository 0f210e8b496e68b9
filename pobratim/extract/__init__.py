"""The extractor: proposes twinning records from a page's text; a person reviews them."""
