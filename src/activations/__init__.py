"""activations: the library behind the executable textbook on activation functions.

Every function the book uses lives here once; chapters import it.
"""
from __future__ import annotations

__version__ = "0.1.0"
