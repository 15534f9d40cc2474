"""Model and benchmark names as leaderboards and vendor tables write them.

Exact alias matching compares normalised names: case-folded, surrounding space removed, inner
runs of white space made one. Anything looser (dropping "-FP8", provider prefixes, emoji) is a
guess, and guesses go to the analysts' review queue as candidates instead of being attached.
"""

from __future__ import annotations

import re

_WHITESPACE = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    return _WHITESPACE.sub(" ", name).strip().casefold()
