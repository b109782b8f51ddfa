"""Assessing notices, requests and returns: abuse indicators, non-refoulement risk, travel risk.

Plain Python, no Django: the Django app ``shelter.notices`` builds the facts (``facts``) from the
records and renders what these modules conclude. Reference knowledge (rules, country profiles,
treaties) lives in versioned data files under ``data/``, every entry with its source.
"""
