"""Publishing Shelter's evidence without exposing anyone (issue 16): statistical disclosure control.

Pure Python (numpy), no Django: the open dataset's generalisation ladders and k-anonymity search.
"""

from .anonymise import NoSolution, Result, anonymise

__all__ = ["NoSolution", "Result", "anonymise"]
