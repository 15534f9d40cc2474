"""One cell of a vendor's benchmark table: the figure it states, or the row label and its conditions.

`tables.read_tables` keeps every cell as written (`**87.5**`, `MMMU Pro^`, `42.2/36.6`); a claim
quotes that text. This module reads what the text says, and says so when it cannot:

- Markup is presentation: bold (`**87.5**`), italics, `<ins>`/`<b>`/`<sup>` and other tags are
  dropped before a value is read.
- Footnote marks point elsewhere: `[^9]`, a trailing `^` (`MMMU Pro^`), `*`, `†`, `‡` and
  superscript digits are dropped from labels and values alike (the mark is kept in the quote).
- No figure: an empty cell, `-` and its dashes, `n/a`, and notes without a figure in them ("No
  multimodal support", "Context window is 128K"): the vendor states no value, so none is read.
- Two figures in one cell (`42.2/36.6`) are two values; the row label must say which is which
  (`eng->kgv/kgv->eng`), or the cell is reported, not split on a guess.
- Anything else that is not one plain number (`85.3±0.4`, `~40T`, `45.2 avg`) is reported as
  unreadable, with the reason.

Pure functions: text in, values out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CellReading",
    "Label",
    "label_conditions",
    "parse_label",
    "read_metric",
    "read_shots",
    "read_value",
    "strip_markup",
]

_SUPERSCRIPT_TAG = re.compile(r"<sup\b[^>]*>.*?</sup>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_EMPHASIS = re.compile(r"\*\*|__|`")
# A GFM footnote reference, or footnote marks at the end of the text.
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]*\]")
_TRAILING_MARKS = re.compile(r"[\s^*†‡§¹²³⁰⁴-⁹]+$")
_WHITESPACE = re.compile(r"\s+")

# Ways documents write "no value here".
_ABSENT = frozenset({"", "-", "–", "—", "--", "n/a", "na", "n.a.", "none", "/", "×", "x", "?"})
_WORD = re.compile(r"[^\W\d_]{2,}")
_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?\s*(?P<suffix>[KMB%])?$"
)
_MAGNITUDE = {"K": 1_000, "M": 1_000_000, "B": 1_000_000_000}


def strip_markup(text: str) -> str:
    """The text without tags, bold/code marks and footnote marks; white space collapsed."""
    text = _SUPERSCRIPT_TAG.sub("", text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _FOOTNOTE_REF.sub("", text)
    text = _WHITESPACE.sub(" ", text).strip()
    # A single pair of italics marks around the whole cell (`*35.5*`, `_x_`).
    if len(text) > 2 and text[0] == text[-1] and text[0] in "*_":
        text = text[1:-1].strip()
    return _TRAILING_MARKS.sub("", text).strip() if text not in _ABSENT else text


def has_footnote(text: str) -> bool:
    """Whether the cell carries a footnote mark the reader should follow."""
    plain = _TAG.sub("", _EMPHASIS.sub("", text)).strip()
    return bool(_FOOTNOTE_REF.search(text) or _SUPERSCRIPT_TAG.search(text)) or (
        plain != _TRAILING_MARKS.sub("", plain)
    )


@dataclass(frozen=True)
class CellReading:
    """What a value cell says: its figures, nothing (absent), or why it cannot be read."""

    values: tuple[float, ...] = ()
    problem: str = ""

    @property
    def absent(self) -> bool:
        return not self.values and not self.problem


def read_value(text: str, *, tokens: bool = False) -> CellReading:
    """The figure(s) a cell states. `tokens`: the benchmark counts tokens, so "10M" is a value."""
    plain = strip_markup(text)
    if plain.casefold() in _ABSENT or not any(ch.isdigit() for ch in plain):
        return CellReading()
    # A sentence that happens to contain a number ("Context window is 128K") explains a
    # missing figure; it is not one. One stray word next to a number is not a sentence.
    if len(_WORD.findall(plain)) >= 2:
        return CellReading()
    parts = [part.strip() for part in plain.split("/")]
    values = []
    for part in parts:
        value, problem = _number(part, tokens=tokens)
        if problem:
            what = f"{part!r} in {plain!r}" if len(parts) > 1 else repr(plain)
            return CellReading(problem=f"{what} {problem}")
        values.append(value)
    return CellReading(values=tuple(values))


def _number(text: str, *, tokens: bool) -> tuple[float, str]:
    match = _NUMBER.match(text)
    if match is None:
        return 0.0, "is not a plain number"
    value = float(match["sign"] + match["whole"].replace(",", "") + (match["fraction"] or ""))
    suffix = match["suffix"]
    if suffix in _MAGNITUDE:
        if not tokens:
            return 0.0, f"has a magnitude suffix ({suffix}) on a benchmark not counted in tokens"
        value *= _MAGNITUDE[suffix]
    return value, ""


def read_shots(text: str) -> int | str | None:
    """A "# Shots" cell: 5 from "5" or "5-shot"; None for "-"; other text as written."""
    plain = strip_markup(text)
    if plain.casefold() in _ABSENT:
        return None
    match = re.fullmatch(r"(\d+)(?:\s*-?\s*shots?)?", plain, flags=re.IGNORECASE)
    return int(match.group(1)) if match else plain


def read_metric(text: str) -> str | None:
    """A "Metric" cell as written (`macro_avg/acc_char`), without bold; None for "-"."""
    plain = _WHITESPACE.sub(" ", _TAG.sub("", _EMPHASIS.sub("", text))).strip()
    return None if plain.casefold() in _ABSENT else plain


# --- Row labels ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    """A row label (or a column header naming a benchmark), taken apart.

    "MTOB (half book) eng->kgv/kgv->eng" is name "MTOB", qualifier "half book", tail
    "eng->kgv/kgv->eng". `text` is the whole label without markup or footnote marks.
    """

    text: str
    name: str
    qualifier: str
    tail: str
    footnote: bool


_LABEL = re.compile(r"^(?P<name>[^()]*?)\s*\((?P<qualifier>[^()]*)\)\s*(?P<tail>.*)$")


def parse_label(text: str) -> Label:
    plain = strip_markup(text)
    match = _LABEL.match(plain)
    if match is None:
        return Label(text=plain, name=plain, qualifier="", tail="", footnote=has_footnote(text))
    return Label(
        text=plain,
        name=match["name"].strip(),
        qualifier=match["qualifier"].strip(),
        tail=match["tail"].strip(),
        footnote=has_footnote(text),
    )


# What a parenthesised qualifier says, in the keys the curated claims use. Seen in the stored
# documents: "(5-shot)", "(3-shot F1)" (DeepSeek-V3), "(10/01/2024-02/01/2025)" (LiveCodeBench's
# window, Llama 4), "(test)" (DocVQA's split), "(half book)" (MTOB), "(EM)", "(Pass@1-COT)".
_SHOTS_FIRST = re.compile(r"^(\d+)\s*-?\s*shots?\b[\s,;]*(.*)$", re.IGNORECASE)
_DATE_RANGE = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}\s*[-–]\s*\d{1,2}/\d{1,2}/\d{2,4}$")
_SPLITS = frozenset({"test", "val", "validation", "dev", "train"})
_BOOK = re.compile(r"^(half|full) book$", re.IGNORECASE)


def label_conditions(
    label: Label, *, metric_column: bool
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The conditions a label states, and the parts a two-figure cell splits into.

    A qualifier the rules do not recognise is the metric, as in DeepSeek's "Benchmark (Metric)"
    column, unless the table has a Metric column of its own; then it is kept as "qualifier".
    Metrics stay as written ("Pass@1-COT"): pass@k and chain of thought are part of the metric
    the vendor names, and two rows differing only there are two claims.
    """
    conditions: dict[str, Any] = {}
    qualifier = label.qualifier
    if qualifier:
        shots = _SHOTS_FIRST.match(qualifier)
        if shots:
            conditions["shots"] = int(shots.group(1))
            if shots.group(2):
                conditions["metric"] = shots.group(2).strip()
        elif _DATE_RANGE.match(qualifier):
            conditions["date_range"] = qualifier.replace(" ", "")
        elif qualifier.casefold() in _SPLITS:
            conditions["split"] = qualifier.casefold()
        elif _BOOK.match(qualifier):
            conditions["book"] = qualifier
        else:
            conditions["metric" if not metric_column else "qualifier"] = qualifier
    parts: tuple[str, ...] = ()
    if label.tail:
        if "->" in label.tail:
            # "eng->kgv/kgv->eng": the cell's two figures, in this order.
            parts = tuple(part.strip() for part in label.tail.split("/"))
        else:
            conditions["qualifier"] = label.tail
    return conditions, parts
