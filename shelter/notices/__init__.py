"""Notices and requests that name a person: Interpol Red Notices and diffusions, extradition requests,
deportation orders, national and interstate wanted lists. Plain Python parsers; the Django app that
stores and screens them builds on these."""
