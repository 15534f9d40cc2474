"""NoLiMa long-context benchmark (adobe-research/NoLiMa README, "## Results").

Two Markdown pipe tables: the main one (claimed and effective length, base score, a score per
context length) and "NoLiMa-Hard" (reasoning models, with "- w/o CoT" sub-rows under a bold group
row). The README carries no date, so rows have none (as_of comes from the fetch).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from releases.importers.base import (
    Importer,
    ParsedRow,
    ParseError,
    ParseResult,
    SkippedRow,
    is_absent,
    parse_score,
)
from releases.importers.readers import decode_text

BENCHMARK = "nolima"
HARD_BENCHMARK = "nolima-hard"
EFFECTIVE_LENGTH_BENCHMARK = "nolima-effective-length"

MODEL_COLUMN = "Models"
BASE_COLUMN = "Base Score"
CLAIMED_COLUMN = "Claimed Length"
EFFECTIVE_COLUMN = "Effective Length"

_LENGTH = re.compile(r"^(<)?\s*(\d+(?:\.\d+)?)\s*([KM])$", re.IGNORECASE)
_MULTIPLIER = {"K": 1_000, "M": 1_000_000}
_TAG = re.compile(r"<[^>]*>")
# "90.1 (76.6)": the base score and its 85% threshold.
_BASE = re.compile(r"^(\S+)\s*(?:\((\S+)\))?$")
# Emoji and other pictographs ("🆕", "⏳") in names: not part of the model's name.
_PICTOGRAPH = re.compile("[\u2300-\u23ff\u2600-\u27bf\U0001f000-\U0001faff\ufe0f]")
_SUB_ROW = re.compile(r"^-\s*w(/o|/)\s*CoT$", re.IGNORECASE)


@dataclass(frozen=True)
class _Table:
    heading: str
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, raw cells)


class NoLiMaImporter(Importer):
    slug = "nolima"
    bundled_files = ("nolima/nolima_results.md",)

    def parse(self, raw: bytes, *, file_name: str | None = None) -> ParseResult:
        text = decode_text(raw, file_name=file_name)
        result = ParseResult()
        found_main = False
        for table in _tables(text):
            if "hard" in table.heading.casefold():
                result.extend(_hard_rows(table, file_name))
            elif _column(table.header, CLAIMED_COLUMN) is not None:
                result.extend(_main_rows(table, file_name))
                found_main = True
            else:
                result.skipped.append(
                    SkippedRow(
                        f"unknown table under {table.heading!r}",
                        file_name=file_name,
                        row=table.rows[0][0] if table.rows else None,
                    )
                )
        if not found_main:
            raise ParseError(
                f"unknown shape: no table with a {CLAIMED_COLUMN!r} column", file_name=file_name
            )
        return result


def _tables(text: str) -> list[_Table]:
    """Pipe tables with the heading above each; the separator row (|---|:--:|) is dropped."""
    tables: list[_Table] = []
    heading = ""
    current: list[tuple[int, list[str]]] = []

    def close() -> None:
        if len(current) >= 2 and _is_separator(current[1][1]):
            tables.append(_Table(heading, current[0][1], current[2:]))
        current.clear()

    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("|"):
            current.append((number, _cells(stripped)))
            continue
        close()
        if stripped.startswith("#"):
            heading = stripped.lstrip("#").strip()
    close()
    return tables


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [cell.strip() for cell in inner.split("|")]


def _is_separator(cells: list[str]) -> bool:
    return all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells)


def clean(cell: str) -> str:
    """Text of a cell: HTML tags (also the broken `<ins>72.3<ins>`), emphasis and emoji removed."""
    text = _TAG.sub(" ", cell)
    text = _PICTOGRAPH.sub("", text)
    text = text.replace("**", "").replace("*", "")
    return " ".join(text.split())


def _emphasis(cell: str) -> str | None:
    # The README marks scores at or above 85% of the base score with <ins> and those below half
    # of it with *italics*; worth keeping beside the number.
    if "<ins>" in cell:
        return "above_threshold"
    if re.fullmatch(r"\*[^*].*\*", cell.strip()):
        return "below_half_base"
    return None


def tokens(length: str) -> tuple[int, bool]:
    """ "2K" -> (2000, False); "<1K" -> (1000, True): the bool says it is an upper bound.

    K and M are decimal (1K = 1000), as the README's 1K/2K/... columns are."""
    match = _LENGTH.match(clean(length))
    if not match:
        raise ValueError(f"not a length: {length!r}")
    less_than, number, unit = match.groups()
    return round(float(number) * _MULTIPLIER[unit.upper()]), bool(less_than)


def _column(header: list[str], name: str) -> int | None:
    for index, cell in enumerate(header):
        if clean(cell).casefold().startswith(name.casefold()):
            return index
    return None


def _length_columns(header: list[str]) -> dict[int, tuple[int, str]]:
    """Index -> (context tokens, column name), for the "1K" ... "32K" columns."""
    columns = {}
    for index, cell in enumerate(header):
        match = _LENGTH.match(clean(cell))
        if match and not match.group(1):
            columns[index] = (tokens(cell)[0], clean(cell))
    return columns


def _require(header: list[str], name: str, file_name: str | None) -> int:
    index = _column(header, name)
    if index is None:
        raise ParseError("missing column", file_name=file_name, row=1, field=name)
    return index


def _main_rows(table: _Table, file_name: str | None) -> list[ParsedRow]:
    header = table.header
    model_at = _require(header, MODEL_COLUMN, file_name)
    base_at = _require(header, BASE_COLUMN, file_name)
    claimed_at = _require(header, CLAIMED_COLUMN, file_name)
    effective_at = _require(header, EFFECTIVE_COLUMN, file_name)
    lengths = _length_columns(header)
    rows: list[ParsedRow] = []
    for line, cells in table.rows:
        cells = _padded(cells, header)
        model = clean(cells[model_at])
        if not model:
            continue
        rows.extend(_base_rows(model, cells[base_at], BENCHMARK, {}, file_name, line))
        rows.extend(_length_rows(model, cells, lengths, BENCHMARK, {}, file_name, line))
        effective = _effective_length_row(
            model, cells[effective_at], cells[claimed_at], file_name, line
        )
        if effective is not None:
            rows.append(effective)
    return rows


def _hard_rows(table: _Table, file_name: str | None) -> list[ParsedRow]:
    header = table.header
    model_at = _require(header, MODEL_COLUMN, file_name)
    base_at = _require(header, BASE_COLUMN, file_name)
    lengths = _length_columns(header)
    group: str | None = None
    rows: list[ParsedRow] = []
    for line, cells in table.rows:
        cells = _padded(cells, header)
        name = clean(cells[model_at])
        scores = [cell for index, cell in enumerate(cells) if index != model_at]
        if all(is_absent(clean(cell)) for cell in scores):
            # A bold group row ("**Llama 3.3 70B**", "**Reasoning Models**"): it names the
            # model of the "- w/o CoT" rows under it, and is no score itself.
            if cells[model_at].startswith("**"):
                group = name
            continue
        sub_row = _SUB_ROW.match(name)
        conditions: dict[str, Any] = {}
        if sub_row:
            if not group:
                raise ParseError(
                    "a CoT sub-row without a model row above it",
                    file_name=file_name,
                    row=line,
                    field=MODEL_COLUMN,
                )
            name, conditions = group, {"cot": sub_row.group(1) == "/"}
        rows.extend(_base_rows(name, cells[base_at], HARD_BENCHMARK, conditions, file_name, line))
        rows.extend(_length_rows(name, cells, lengths, HARD_BENCHMARK, conditions, file_name, line))
    return rows


def _padded(cells: list[str], header: list[str]) -> list[str]:
    # Markdown lets a row end early; the missing cells are empty.
    return cells + [""] * (len(header) - len(cells))


def _base_rows(
    model: str,
    cell: str,
    benchmark: str,
    conditions: dict[str, Any],
    file_name: str | None,
    line: int,
) -> list[ParsedRow]:
    text = clean(cell)
    if is_absent(text):
        return []
    match = _BASE.match(text)
    if not match:
        raise ParseError(f"not a score: {cell!r}", file_name=file_name, row=line, field=BASE_COLUMN)
    score = parse_score(match.group(1), file_name=file_name, row=line, field=BASE_COLUMN)
    threshold = parse_score(match.group(2), file_name=file_name, row=line, field=BASE_COLUMN)
    if score is None:
        return []
    metadata = {"threshold": threshold} if threshold is not None else {}
    return [
        ParsedRow(
            raw_model_name=model,
            benchmark=benchmark,
            value=score,
            conditions={**conditions, "context": "base"},
            metadata=metadata,
            row=line,
        )
    ]


def _length_rows(
    model: str,
    cells: list[str],
    lengths: dict[int, tuple[int, str]],
    benchmark: str,
    conditions: dict[str, Any],
    file_name: str | None,
    line: int,
) -> list[ParsedRow]:
    rows = []
    for index, (context_tokens, column) in lengths.items():
        # "⏳" (evaluation in progress) is absent: no row.
        score = parse_score(clean(cells[index]), file_name=file_name, row=line, field=column)
        if score is None:
            continue
        emphasis = _emphasis(cells[index])
        rows.append(
            ParsedRow(
                raw_model_name=model,
                benchmark=benchmark,
                value=score,
                conditions={**conditions, "context_tokens": context_tokens},
                metadata={"emphasis": emphasis} if emphasis else {},
                row=line,
            )
        )
    return rows


def _effective_length_row(
    model: str, effective: str, claimed: str, file_name: str | None, line: int
) -> ParsedRow | None:
    if is_absent(clean(effective)):
        return None
    try:
        value, upper_bound = tokens(effective)
        claimed_tokens = tokens(claimed)[0] if not is_absent(clean(claimed)) else None
    except ValueError as exc:
        raise ParseError(str(exc), file_name=file_name, row=line, field=EFFECTIVE_COLUMN) from None
    metadata: dict[str, Any] = {"as_written": clean(effective), "claimed_length": clean(claimed)}
    if claimed_tokens is not None:
        metadata["claimed_tokens"] = claimed_tokens
    if upper_bound:
        # "<1K": below the shortest length tested. We store the bound (1000) and flag it rather
        # than invent a figure such as 500: a gap computed from it is the smallest the data
        # allows, never one that overstates the shortfall.
        metadata["upper_bound"] = True
    return ParsedRow(
        raw_model_name=model,
        benchmark=EFFECTIVE_LENGTH_BENCHMARK,
        value=float(value),
        metadata=metadata,
        row=line,
    )
