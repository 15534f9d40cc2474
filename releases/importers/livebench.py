"""LiveBench (LiveBench/livebench.github.io `public/table_<release>.csv` + `categories_<release>.json`).

A release is two files: a wide CSV of per-task scores (0–100) and a JSON mapping each category
to its tasks. The site computes the category and global averages in the browser; so do we, here.

One snapshot must be one blob, so parse() reads a ZIP of exactly those two files, built by
`bundle_release` both when fetching and when importing the bundled copies.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from statistics import fmean

from releases.importers.archives import deterministic_zip
from releases.importers.base import (
    Importer,
    ParsedRow,
    ParseError,
    ParseResult,
    RowSchema,
    SkippedRow,
    parse_score,
)
from releases.importers.readers import SafeZip, read_csv, read_json

BENCHMARK = "livebench"
MODEL_COLUMN = "model"
_RELEASE = re.compile(r"^(\d{4})_(\d{2})_(\d{2})$")
_MEMBER = re.compile(r"^(table|categories)_(\d{4}_\d{2}_\d{2})\.(csv|json)$")
# Rows one release may give. A real release gives about 4,000 (170 models x 24 tasks and
# averages); 200,000 is fifty times that. A half-megabyte table of thousands of task columns
# would otherwise give millions of rows, and gigabytes.
MAX_ROWS = 200_000


def table_name(release: str) -> str:
    return f"table_{release}.csv"


def categories_name(release: str) -> str:
    return f"categories_{release}.json"


def release_date(release: str) -> dt.date:
    """ "2025_04_25" -> 2025-04-25."""
    match = _RELEASE.match(release)
    if not match:
        raise ValueError(f"not a LiveBench release name (YYYY_MM_DD): {release!r}")
    return dt.date(*(int(part) for part in match.groups()))


def bundle_release(table: bytes, categories: bytes, release: str) -> bytes:
    """A deterministic ZIP of one release's table CSV and categories JSON (stored members, fixed
    timestamps: the snapshot's sha256 changes only when LiveBench's data does)."""
    release_date(release)  # validates the name
    return deterministic_zip(
        [(table_name(release), table), (categories_name(release), categories)], in_order=True
    )


@dataclass(frozen=True)
class _Release:
    release: str
    table: bytes
    categories: bytes


class LiveBenchImporter(Importer):
    slug = "livebench"
    bundled_files = ("livebench/table_*.csv", "livebench/categories_*.json")
    row_schema = RowSchema(require_as_of=True, value_ranges={BENCHMARK: (0.0, 100.0)})

    def parse(self, raw: bytes, *, file_name: str | None = None) -> ParseResult:
        bundle = _unbundle(raw, file_name)
        try:
            as_of = release_date(bundle.release)
        except ValueError as exc:
            raise ParseError(str(exc), file_name=file_name) from None
        table_file = table_name(bundle.release)
        categories = _categories(bundle.categories, categories_name(bundle.release))
        header, records, skipped = _table(bundle.table, table_file)
        missing = sorted({task for tasks in categories.values() for task in tasks} - set(header))
        if missing:
            raise ParseError(
                f"categories name tasks the table lacks: {', '.join(missing)}",
                file_name=table_file,
                row=1,
            )
        metadata = {"release": as_of.isoformat()}
        rows: list[ParsedRow] = []
        for line, record in records:
            model = record[MODEL_COLUMN]
            scores = _scores(record, header, table_file, line)
            for task, score in scores.items():
                rows.append(_row(model, score, {"task": task}, as_of, metadata, line))
            averages, incomplete = category_averages(scores, categories)
            for category, average in averages.items():
                rows.append(_row(model, average, {"category": category}, as_of, metadata, line))
            for category in incomplete:
                skipped.append(
                    SkippedRow(
                        f"{model}: category {category!r} has tasks without a score; "
                        "no category or global average",
                        file_name=table_file,
                        row=line,
                    )
                )
            if not incomplete and averages:
                rows.append(_row(model, fmean(averages.values()), {}, as_of, metadata, line))
            if len(rows) > MAX_ROWS:
                raise ParseError(
                    f"more than {MAX_ROWS:,} rows: not a LiveBench release", file_name=table_file
                )
        return ParseResult(rows, skipped)

    def as_of_from_file_name(self, file_name: str | None) -> dt.date | None:
        match = re.search(r"(\d{4}_\d{2}_\d{2})", file_name or "")
        return release_date(match.group(1)) if match else None

    def live_urls(self, live_url: str) -> list[str]:
        """The table URL (the source's live URL) and the categories file of the same release."""
        base, _, name = live_url.rpartition("/")
        match = re.fullmatch(r"table_(\d{4}_\d{2}_\d{2})\.csv", name)
        if not match:
            raise ParseError(
                "a LiveBench live URL must name a release table (table_YYYY_MM_DD.csv)",
                file_name=live_url,
            )
        return [live_url, f"{base}/{categories_name(match.group(1))}"]

    def combine_bodies(self, urls: list[str], bodies: list[bytes]) -> bytes:
        release = re.search(r"table_(\d{4}_\d{2}_\d{2})\.csv", urls[0])
        assert release is not None  # live_urls() checked it
        return bundle_release(bodies[0], bodies[1], release.group(1))

    def read_file(self, path: Path) -> bytes:
        """A release table with its categories file from the same folder, bundled; a ZIP as is."""
        match = re.fullmatch(r"table_(\d{4}_\d{2}_\d{2})\.csv", path.name)
        if not match:
            return path.read_bytes()
        categories = path.with_name(categories_name(match.group(1)))
        if not categories.is_file():
            raise ParseError(
                f"a LiveBench table needs its categories file beside it ({categories.name})",
                file_name=path.name,
            )
        return bundle_release(path.read_bytes(), categories.read_bytes(), match.group(1))

    def bundled_inputs(self, leaderboards_dir: Path) -> list[tuple[str, bytes]]:
        """One bundle per release that has both its table and its categories file."""
        inputs = []
        for table in sorted(leaderboards_dir.glob("livebench/table_*.csv")):
            release = table.stem.removeprefix("table_")
            categories = table.with_name(categories_name(release))
            if categories.is_file():
                bundle = bundle_release(table.read_bytes(), categories.read_bytes(), release)
                inputs.append((table.name, bundle))
        return inputs


def category_averages(
    scores: Mapping[str, float], categories: Mapping[str, list[str]]
) -> tuple[dict[str, float], list[str]]:
    """Category = mean of its tasks; returns (averages, categories left out as incomplete).

    The site (src/Table/Averaging.js) averages whichever task scores are present, and leaves a
    category with none out of the global mean. That makes a model missing its hardest task look
    better than one that took it, so we do not follow it: a category with any task unscored gets
    no average, and then the model gets no global average either. When every task is scored (every
    row of the bundled releases) the two rules give the same numbers.
    """
    averages: dict[str, float] = {}
    incomplete: list[str] = []
    for category, tasks in categories.items():
        values = [scores[task] for task in tasks if task in scores]
        if len(values) < len(tasks):
            incomplete.append(category)
        elif values:
            averages[category] = fmean(values)
    return averages, incomplete


def _row(
    model: str,
    value: float,
    conditions: dict[str, str],
    as_of: dt.date,
    metadata: dict[str, str],
    line: int,
) -> ParsedRow:
    return ParsedRow(
        raw_model_name=model,
        benchmark=BENCHMARK,
        value=value,
        as_of=as_of,
        conditions=conditions,
        metadata=dict(metadata),
        row=line,
    )


def _unbundle(raw: bytes, file_name: str | None) -> _Release:
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise ParseError(
            "unknown shape: expected a ZIP of table_<release>.csv and categories_<release>.json "
            "(see bundle_release)",
            file_name=file_name,
        )
    with SafeZip(raw, file_name=file_name) as archive:
        members: dict[str, tuple[str, bytes]] = {}
        for name in archive.namelist():
            match = _MEMBER.match(name)
            if not match or match.group(1) in members:
                raise ParseError(
                    f"unexpected file in the bundle: {name!r}; expected exactly "
                    "table_<release>.csv and categories_<release>.json",
                    file_name=file_name,
                )
            members[match.group(1)] = (match.group(2), archive.read(name))
    if set(members) != {"table", "categories"}:
        raise ParseError(
            "the bundle must hold table_<release>.csv and categories_<release>.json",
            file_name=file_name,
        )
    (release, table), (categories_release, categories) = members["table"], members["categories"]
    if release != categories_release:
        raise ParseError(
            f"table and categories are of different releases ({release}, {categories_release})",
            file_name=file_name,
        )
    return _Release(release=release, table=table, categories=categories)


def _categories(raw: bytes, file_name: str) -> dict[str, list[str]]:
    data = read_json(raw, file_name=file_name)
    if not isinstance(data, Mapping) or not data:
        raise ParseError("unknown shape: expected {category: [task, ...]}", file_name=file_name)
    seen: dict[str, str] = {}
    for category, tasks in data.items():
        if not isinstance(tasks, list) or not all(isinstance(task, str) for task in tasks):
            raise ParseError("expected a list of task names", file_name=file_name, row=category)
        # Each task belongs to one category in every release; a task listed twice would count
        # twice in the global average (and is how a small file multiplies the work).
        for task in tasks:
            if task in seen:
                raise ParseError(
                    f"task {task!r} is listed in {seen[task]!r} and {category!r}",
                    file_name=file_name,
                    row=category,
                )
            seen[task] = category
    return dict(data)


def _table(
    raw: bytes, file_name: str
) -> tuple[list[str], list[tuple[int, dict[str, str]]], list[SkippedRow]]:
    """The header's task columns, (line number, record) pairs (line 1 is the header), and the
    lines that could not be read as a record."""
    header, csv_rows = read_csv(raw, file_name=file_name)
    if not header or header[0] != MODEL_COLUMN:
        raise ParseError(
            f"unknown shape: the first column must be {MODEL_COLUMN!r}",
            file_name=file_name,
            row=1,
            field=header[0] if header else None,
        )
    records = []
    skipped = []
    for csv_row in csv_rows:
        cells, line = csv_row.cells, csv_row.line
        if len(cells) != len(header):
            # table_2026_01_08.csv has a row with three cells left out (not blank) in the
            # middle: the values after the gap sit under the wrong tasks, and which tasks are
            # missing can only be guessed. Skip the model, keep the release.
            skipped.append(
                SkippedRow(
                    f"{cells[0]!r}: {len(cells)} cells for {len(header)} columns; "
                    "scores cannot be matched to tasks",
                    file_name=file_name,
                    row=line,
                )
            )
            continue
        record = dict(zip(header, (cell.strip() for cell in cells), strict=True))
        if not record[MODEL_COLUMN]:
            raise ParseError("empty model name", file_name=file_name, row=line, field=MODEL_COLUMN)
        records.append((line, record))
    return header[1:], records, skipped


def _scores(
    record: Mapping[str, str], tasks: list[str], file_name: str, line: int
) -> dict[str, float]:
    # Blank cells are tasks the model was not run on: no row, never zero.
    scores: dict[str, float] = {}
    for task in tasks:
        score = parse_score(record[task], file_name=file_name, row=line, field=task)
        if score is not None:
            scores[task] = score
    return scores
