"""Screening a proposed export of surveillance technology (IMSI catchers, SORM interception, spyware,
phone-extraction kits) against the EU's dual-use controls.

The data in ``data/`` carries the rules, each with its pinpointed source and how it was verified:
``controls.json`` (the Annex I entries of Regulation (EU) 2021/821 that control surveillance technology,
with their Wassenaar and US counterparts), ``legal.json`` (the articles a screening rests on and the
due-diligence measures of Commission Recommendation (EU) 2024/2659), ``capabilities.json`` (what the
technology does, in terms of Shelter's tactics) and ``classification.json`` (how a description of an
item is read). ``controls`` loads and checks them; ``classify`` reads a description and names the
entries it may fall under. The classification stays the exporter's: Shelter says what it saw.

Plain Python, no Django.
"""
