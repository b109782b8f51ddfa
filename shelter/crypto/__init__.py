"""Encryption primitives for the identity tier. Plain Python: no Django here."""
