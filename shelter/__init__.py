"""Shelter: secure documentation of transnational repression cases."""

__version__ = "0.1.0"
