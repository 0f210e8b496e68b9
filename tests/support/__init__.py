"""Helpers the tests share: each one here once, imported where it is used."""
