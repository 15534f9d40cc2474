"""NVIDIA RULER (NVIDIA/RULER `README.md`, the results table at the top).

One Markdown table: `|Models|Claimed Length|Effective Length|4K|...|128K|Avg.|wAvg. (inc)|wAvg. (dec)|`.
Its data rows start with `[` (a link to the model), not `|`, and some end without a `|`. Scores
are percent; `<ins>` marks a score above RULER's threshold, Llama2-7B's score at 4K, which the
first row (Llama2, the threshold's source) is and the prose under the table states ("Llama-2-7b
performance at 4K (85.6%)"). RULER's effective length is the longest length that beats that
absolute bar (not NoLiMa's share of the model's own base score); `>128K` says the longest length
tested still passed, `<4K` that even the shortest failed.

Rows whose name ends in `*` were reported by the model's own authors (notes under the table):
not an independent measurement, so they are skipped and reported, never stored.

Per tested length, one `ruler` row with conditions {"context_tokens": N}, the shape NoLiMa's
per-length rows have; per model, one `ruler-effective-length` row (the length as printed) with
the claimed length and the threshold beside it. K and M are read as 1,000 and 1,000,000, as the
NoLiMa importer and the curated claims read "128K" and "10M".
"""

from __future__ import annotations

import re
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
from releases.importers.nolima import tokens
from releases.importers.readers import decode_text

BENCHMARK = "ruler"
EFFECTIVE_LENGTH_BENCHMARK = "ruler-effective-length"

MODEL_COLUMN = "Models"
CLAIMED_COLUMN = "Claimed Length"
EFFECTIVE_COLUMN = "Effective Length"
# Summary columns, kept beside the effective length (metadata key -> column).
SUMMARY_COLUMNS = {
    "average": "Avg.",
    "weighted_average_inc": "wAvg. (inc)",
    "weighted_average_dec": "wAvg. (dec)",
}
AUTHOR_REPORTED = "reported by the model's own authors (a '*' row), not an independent measurement"

_TAG = re.compile(r"<[^>]*>")
_LENGTH_HEADER = re.compile(r"^\d+(?:\.\d+)?[KM]$", re.IGNORECASE)
_RANK = re.compile(r"\*\*\((\d+)(?:st|nd|rd|th)\)\*\*")
# "... exceeding a qualitative threshold, Llama-2-7b performance at 4K (85.6%)."
_THRESHOLD = re.compile(r"performance at 4K \((\d+(?:\.\d+)?)%\)", re.IGNORECASE)


class RulerImporter(Importer):
    slug = "ruler"
    bundled_files = ("ruler/README.md",)

    def parse(self, raw: bytes, *, file_name: str | None = None) -> ParseResult:
        text = decode_text(raw, file_name=file_name)
        header_line, header, body = _table(text, file_name)
        threshold_match = _THRESHOLD.search(text)
        threshold = float(threshold_match.group(1)) if threshold_match else None
        columns = _Columns.of(header, file_name, header_line)
        result = ParseResult()
        for line, cells in body:
            model = _model_name(cells[columns.model] if columns.model < len(cells) else "")
            if not model:
                continue
            # "Qwen3-14B* (14B)": the star is on the name, before the size.
            if model.split(" (")[0].endswith("*"):
                result.skipped.append(SkippedRow(AUTHOR_REPORTED, file_name=file_name, row=line))
                continue
            cells = cells + [""] * (len(header) - len(cells))
            result.extend(_rows(model, cells, columns, threshold, file_name, line))
        return result


class _Columns:
    def __init__(
        self,
        model: int,
        claimed: int,
        effective: int,
        lengths: dict[int, tuple[int, str]],
        summaries: dict[str, int],
    ) -> None:
        self.model, self.claimed, self.effective = model, claimed, effective
        self.lengths, self.summaries = lengths, summaries

    @classmethod
    def of(cls, header: list[str], file_name: str | None, line: int) -> _Columns:
        def index(name: str) -> int:
            for i, cell in enumerate(header):
                if cell.casefold() == name.casefold():
                    return i
            raise ParseError("missing column", file_name=file_name, row=line, field=name)

        lengths = {
            i: (tokens(cell)[0], cell)
            for i, cell in enumerate(header)
            if _LENGTH_HEADER.match(cell)
        }
        if not lengths:
            raise ParseError(
                "no context-length columns (4K, 8K, ...)", file_name=file_name, row=line
            )
        summaries = {
            key: i
            for key, name in SUMMARY_COLUMNS.items()
            for i, cell in enumerate(header)
            if cell == name
        }
        return cls(
            index(MODEL_COLUMN), index(CLAIMED_COLUMN), index(EFFECTIVE_COLUMN), lengths, summaries
        )


def _table(text: str, file_name: str | None) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """The results table: its header line number, header cells and data rows (line, cells)."""
    lines = text.splitlines()
    number = next((n for n, line in enumerate(lines, start=1) if _is_header(_cells(line))), None)
    if number is None:
        raise ParseError(
            f"unknown shape: no table with a {CLAIMED_COLUMN!r} column", file_name=file_name
        )
    cells = _cells(lines[number - 1])
    body = []
    for offset, line in enumerate(lines[number + 1 :], start=number + 2):
        stripped = line.strip()
        # Rows start with "|" or, in this README, with "[" (the model's link): anything else
        # (a blank line, the notes) ends the table.
        if not stripped.startswith(("|", "[")):
            break
        body.append((offset, _cells(stripped)))
    if not body:
        raise ParseError("the results table has no rows", file_name=file_name, row=number)
    return number, cells, body


def _is_header(cells: list[str]) -> bool:
    return bool(cells) and cells[0] == MODEL_COLUMN and CLAIMED_COLUMN in cells


def _cells(line: str) -> list[str]:
    inner = line.strip()
    if not inner:
        return []
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [cell.strip() for cell in inner.split("|")]


def _link(cell: str) -> tuple[str, str]:
    """(cell with each Markdown link replaced by its text, the first link's target).

    Targets may hold parentheses of their own (Gemini's "...%20(Preview%20only),-Text..."), so
    the target runs to the parenthesis that closes the one it opened with."""
    text, target, at = [], "", 0
    while (start := cell.find("[", at)) != -1:
        middle = cell.find("](", start)
        if middle == -1:
            break
        depth, end = 1, middle + 2
        while end < len(cell) and depth:
            depth += {"(": 1, ")": -1}.get(cell[end], 0)
            end += 1
        text.append(cell[at:start] + cell[start + 1 : middle])
        target = target or cell[middle + 2 : end - 1]
        at = end
    text.append(cell[at:])
    return "".join(text), target


def _model_name(cell: str) -> str:
    """ "[Llama3.1](https://...) (70B)" -> "Llama3.1 (70B)": the link text and the size."""
    return " ".join(_link(cell)[0].split())


def _plain(cell: str) -> str:
    return " ".join(_TAG.sub(" ", cell).split())


def _length(cell: str, file_name: str | None, line: int, field: str) -> tuple[int, str] | None:
    """(tokens, bound) of a length cell: ">128k" is a lower bound, "<4K" an upper one."""
    text = _plain(cell)
    if is_absent(text):
        return None
    bound = "exact"
    if text.startswith(">"):
        bound, text = "lower", text[1:]
    elif text.startswith("<"):
        bound, text = "upper", text[1:]
    try:
        return tokens(text)[0], bound
    except ValueError as exc:
        raise ParseError(str(exc), file_name=file_name, row=line, field=field) from None


def _rows(
    model: str,
    cells: list[str],
    columns: _Columns,
    threshold: float | None,
    file_name: str | None,
    line: int,
) -> list[ParsedRow]:
    rows = []
    link = _link(cells[columns.model])[1]
    for index, (context_tokens, header_name) in sorted(columns.lengths.items()):
        score = parse_score(_plain(cells[index]), file_name=file_name, row=line, field=header_name)
        if score is None:
            continue
        rows.append(
            ParsedRow(
                raw_model_name=model,
                benchmark=BENCHMARK,
                value=score,
                conditions={"context_tokens": context_tokens},
                metadata={"above_threshold": "<ins>" in cells[index]},
            )
        )
    effective = _length(cells[columns.effective], file_name, line, EFFECTIVE_COLUMN)
    if effective is None:
        # Llama2-7B, the threshold's own source, has no effective length.
        return rows
    value, bound = effective
    metadata: dict[str, Any] = {"as_written": _plain(cells[columns.effective]), "bound": bound}
    claimed = _length(cells[columns.claimed], file_name, line, CLAIMED_COLUMN)
    metadata["claimed_length"] = _plain(cells[columns.claimed])
    if claimed is not None:
        metadata["claimed_tokens"] = claimed[0]
    if threshold is not None:
        metadata["threshold"] = threshold
    if link:
        metadata["link"] = link
    for key, index in columns.summaries.items():
        summary = _summary(cells[index], file_name, line, SUMMARY_COLUMNS[key])
        if summary:
            metadata.update({f"{key}{suffix}": v for suffix, v in summary.items()})
    rows.append(
        ParsedRow(
            raw_model_name=model,
            benchmark=EFFECTIVE_LENGTH_BENCHMARK,
            value=float(value),
            metadata=metadata,
        )
    )
    return rows


def _summary(cell: str, file_name: str | None, line: int, field: str) -> dict[str, Any]:
    """ "85.5 **(10th)**" -> {"": 85.5, "_rank": 10}; "TBD" -> {}."""
    rank = _RANK.search(cell)
    text = _RANK.sub("", _plain(cell)).strip()
    if is_absent(text) or text.upper() == "TBD":
        return {}
    value = parse_score(text, file_name=file_name, row=line, field=field)
    out: dict[str, Any] = {"": value}
    if rank:
        out["_rank"] = int(rank.group(1))
    return out
