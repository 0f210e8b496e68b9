"""Bring municipal pages in: fetch politely, decode, take out the main text, keep the raw HTML, write metadata.

``fetch`` (HTTP: robots.txt, User-Agent, timeouts, size cap, redirects), ``charset`` (the page's encoding),
``text`` (main text and language), ``store`` (the files in ``data/sources/``), ``capture`` (one page in),
``refresh`` (every captured address again, conditionally), ``run`` (the ``pobratim capture`` command).
"""
