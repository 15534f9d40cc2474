"""The one interface every leaderboard importer implements.

An importer turns the bytes a source published into rows: `parse(raw, file_name=...)` is a pure
function (no database, no network, no clock), so it is tested directly on the bundled snapshots
and re-run on any archived snapshot. Fetching, archiving and writing rows are the pipeline's job
(`releases.services`), the same for every source.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

# Cells that mean "not measured" in the sources' own notations. Never zero.
ABSENT_VALUES = frozenset({"", "n/a", "na", "-", "—", "⏳", "null", "none"})


# Longest message kept for one problem: a reason quoting a 10,000-character name is still read.
MAX_MESSAGE_LENGTH = 1_000


def printable(text: str, *, limit: int = MAX_MESSAGE_LENGTH) -> str:
    """`text` safe to store and print: control and format characters and lone surrogates
    written as escapes (a NUL in a stored reason is itself a PostgreSQL error), cut at `limit`."""
    escaped = "".join(
        f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cs", "Cf") else c for c in text
    )
    return escaped if len(escaped) <= limit else escaped[: limit - 1] + "…"


class ParseError(ValueError):
    """Input an importer cannot read. Names the file, the row and the field, so an analyst can
    find the problem in the source without reading code."""

    def __init__(
        self,
        message: str,
        *,
        file_name: str | None = None,
        row: int | str | None = None,
        field: str | None = None,
    ) -> None:
        message = printable(message)
        self.message = message
        self.file_name = file_name
        self.row = row
        self.field = field
        where = ", ".join(
            part
            for part in (
                f"file {file_name}" if file_name else "",
                f"row {row}" if row is not None else "",
                f"field {field!r}" if field else "",
            )
            if part
        )
        super().__init__(printable(f"{where}: {message}" if where else message))


@dataclass(frozen=True, slots=True)
class ParsedRow:
    """One measurement as a source states it, in the benchmark's unit.

    `benchmark` is the slug of a `Benchmark` in the catalogue. `as_of` is the date the row itself
    carries; None means "the date of the file" (from --as-of, its name, or the fetch time).
    `as_of_known` is False when the row's date is not the evaluator's (a placeholder shared by
    many rows): the file's date is then used, as a bound, and never shown as the row's date.
    `evaluator` overrides the source's evaluator where a file republishes another evaluator's
    results (Epoch's "external" files). `row` says where in the file the row came from (a line,
    an index, a key), so that a row the schema rejects can be found in the source.
    """

    raw_model_name: str
    benchmark: str
    value: float
    as_of: dt.date | None = None
    conditions: dict[str, Any] = field(default_factory=dict)
    ci_low: float | None = None
    ci_high: float | None = None
    std_error: float | None = None
    sample_size: int | None = None
    evaluator: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    as_of_known: bool = True
    row: int | str | None = None


@dataclass(frozen=True)
class SkippedRow:
    """Something in the input that was deliberately not turned into a row, and why.

    Kept beside the rows (not logged and forgotten) so the import step can store the count on the
    snapshot and an analyst can see that, say, five rows of a file had no model name. Rows the
    row schema rejects are reported the same way, with the field that broke it.
    """

    reason: str
    file_name: str | None = None
    row: int | str | None = None
    field: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "file": printable(self.file_name) if self.file_name else self.file_name,
            "row": printable(self.row) if isinstance(self.row, str) else self.row,
            "field": self.field,
            "reason": printable(self.reason),
        }

    def __str__(self) -> str:
        return str(
            ParseError(self.reason, file_name=self.file_name, row=self.row, field=self.field)
        )


@dataclass(frozen=True)
class RowSchema:
    """What one importer's rows must satisfy beyond the checks every row gets
    (`releases.importers.validation`: names, numbers, intervals, dates, conditions, metadata).

    `require_as_of`: every row must carry its own date. For a source that dates all its rows, a
    row without a date is a truncated or broken file, never "today".
    `value_ranges`: benchmark slug -> (low, high), inclusive, that the value must lie in.
    """

    require_as_of: bool = False
    value_ranges: dict[str, tuple[float, float]] = field(default_factory=dict)


class ParseResult(list[ParsedRow]):
    """The rows of one parse, plus what was skipped.

    A plain list of rows to every caller that only wants rows (the `parse` contract is unchanged);
    `skipped` is there for the callers that report on it.
    """

    def __init__(self, rows: Iterable[ParsedRow] = (), skipped: Iterable[SkippedRow] = ()) -> None:
        super().__init__(rows)
        self.skipped: list[SkippedRow] = list(skipped)


@dataclass(frozen=True, slots=True)
class ListedFile:
    """One file a folder listing names: where to download it, the name it takes in the snapshot,
    and what the listing says its content is (any of size, git blob id, sha256; None = not
    said). A downloaded body that differs from a given figure is refused."""

    url: str
    name: str
    size: int | None = None
    git_blob_sha1: str | None = None
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    """One page of a folder listing: its files, and the URL of the next page (None: the last)."""

    files: tuple[ListedFile, ...]
    next_url: str | None = None


class Importer:
    """Base class: one subclass per source, registered by slug in `releases.importers`."""

    slug: ClassVar[str]
    # Files of this source's family in fixtures/leaderboards/, as glob patterns.
    bundled_files: ClassVar[tuple[str, ...]] = ()
    # An importer whose source names benchmarks in its own words (an evaluation's title, a file
    # name) looks them up in the catalogue's aliases instead of a table in code, so an analyst
    # can add one in the admin. The import service fills `benchmark_aliases` (normalised alias
    # name -> benchmark slug) before calling `parse`; parse stays a pure function of its inputs.
    reads_benchmark_aliases: ClassVar[bool] = False
    benchmark_aliases: Mapping[str, str] = MappingProxyType({})
    # What every parsed row must satisfy before it is stored (see RowSchema).
    row_schema: ClassVar[RowSchema] = RowSchema()

    def parse(self, raw: bytes, *, file_name: str | None = None) -> list[ParsedRow]:
        """The rows in `raw`. Implementations return a `ParseResult` (a list) when they skip
        anything worth reporting."""
        raise NotImplementedError

    def as_of_from_file_name(self, file_name: str | None) -> dt.date | None:
        """The date a file's name gives for its data, if any (overridden where names differ)."""
        return None

    # --- What a fetch or a bundled import hands to `parse` -------------------------------------
    # Most sources publish one file; a source whose snapshot is several files (LiveBench: a table
    # and its categories) overrides these three so that one snapshot is still one blob.

    def live_urls(self, live_url: str) -> list[str]:
        """The URLs a refresh fetches, the first carrying the conditional-GET validators."""
        return [live_url]

    def combine_bodies(self, urls: list[str], bodies: list[bytes]) -> bytes:
        """The one blob `parse` reads, from the bodies of `live_urls()`."""
        return bodies[0]

    def read_listing(self, url: str, body: bytes, headers: Mapping[str, str]) -> Listing | None:
        """The files one page of a folder listing at `url` names, or None when `url` is not a
        listing (its body is then the data itself). Pure: the refresh does the fetching. It reads
        each next page through this method too, downloads every file, checks each against the
        listing, and hands `parse` one deterministic ZIP of the files under their names
        (`releases.importers.archives`). Raises ParseError on a body that is not the listing
        `url` promises."""
        return None

    def read_file(self, path: Path) -> bytes:
        """The blob `parse` reads for a file an analyst names (`import_leaderboard --file`)."""
        if path.is_dir():
            raise ParseError("a directory: this source reads a file", file_name=path.name)
        return path.read_bytes()

    def bundled_inputs(self, leaderboards_dir: Path) -> list[tuple[str, bytes]]:
        """(file name, raw bytes) for every bundled snapshot of this source, oldest name first."""
        paths = sorted(
            {p for pattern in self.bundled_files for p in leaderboards_dir.glob(pattern)}
        )
        return [(path.name, path.read_bytes()) for path in paths]


# Helpers shared by the importers: one reading of "absent" and of a number, so that every source
# treats "", "N/A", "⏳" and null the same way (not measured, never zero).


def is_absent(value: object) -> bool:
    """True for a cell that means "not measured": None, or one of ABSENT_VALUES."""
    if value is None:
        return True
    return isinstance(value, str) and value.strip().casefold() in ABSENT_VALUES


def parse_score(
    value: object, *, file_name: str | None, row: int | str | None, field: str
) -> float | None:
    """A score cell as a float, None when absent; anything else non-numeric is a ParseError."""
    if is_absent(value):
        return None
    # bool is an int subclass: `true` in a score field is a broken file, not 1.0.
    if isinstance(value, bool):
        raise ParseError(f"not a number: {value!r}", file_name=file_name, row=row, field=field)
    try:
        number = float(value.strip() if isinstance(value, str) else value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise ParseError(
            f"not a number: {value!r}", file_name=file_name, row=row, field=field
        ) from None
    if not math.isfinite(number):
        raise ParseError(
            f"not a finite number: {value!r}", file_name=file_name, row=row, field=field
        )
    return number


def parse_date(
    value: object, *, file_name: str | None, row: int | str | None, field: str = "date"
) -> dt.date | None:
    """A date cell: a date or datetime as loaded (YAML's unquoted dates), or ISO text; None when
    absent; anything else is a ParseError."""
    if is_absent(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ParseError(
            f"not a date: {value!r}", file_name=file_name, row=row, field=field
        ) from None


_ISO_DATE = re.compile(r"(\d{4})[-_](\d{2})[-_](\d{2})")


def date_in(text: str | None) -> dt.date | None:
    """The first YYYY-MM-DD (or YYYY_MM_DD) date in `text`, if any."""
    if not text:
        return None
    match = _ISO_DATE.search(text)
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
