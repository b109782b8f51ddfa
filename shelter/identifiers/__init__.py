"""Identifiers that actors leave behind (phones, addresses, accounts, plates, wallets, documents), each
in one written form so that the same one recorded twice is known (normalise). Plain Python, no Django."""
