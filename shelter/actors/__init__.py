"""Actors and their identifiers within cases, and links between cases (issue 14)."""
