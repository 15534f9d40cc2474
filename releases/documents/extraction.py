"""Propose claims from the tables of a vendor's document: the pure half of `extract_claims`.

In: the document's text, the slugs of the releases it is read for, and the catalogue as plain
values (`Catalogue`). Out (`Extraction`): proposed claims, figures the vendor gives for other
models, cells that could not be read and benchmark labels the catalogue does not know, each with
its table and row number. No ORM and no I/O: `releases.services.claim_extraction` writes.

How a table is read
-------------------
The header row gives the roles: a category column ("Category", or a blank first header), the
label column ("Benchmark", "Benchmark (Metric)", "Model", "Model Name"), "# Shots" and "Metric"
columns; the other columns hold values. A label column of models ("Model Name") makes the table
transposed: rows are models and columns benchmarks (the Llama 4 model table, DeepSeek's
Arena-Hard table). Only tables that name one of the releases are read; the others are listed as
skipped. A blank category cell continues the category above it.

A row label is looked up in the benchmark names, slugs and aliases without markup and footnote
marks: whole ("MMLU-Pro (EM)"), then name and qualifier, then the name alone ("MMLU Pro"). A
label that matches nothing is reported as an unknown benchmark when its row holds a figure; a
benchmark is never invented. Labels describing the model itself ("Architecture", "# Total
Params", "Training Data") are not benchmark scores and are skipped. Conditions come from the
shots and metric columns and from the label (`cells.label_conditions`); a "-Base" suffix whose
removal names the same benchmark ("LiveCodeBench-Base") adds `setting: base`.

Which variant a column names
----------------------------
Meta writes "Llama 4 Maverick" over both its pre-trained and its instruction-tuned table: the
header names the release, and the table's context names the checkpoint. So:
1. A header equal to a variant's name or hub id (ignoring case and punctuation) is that variant.
2. Otherwise a header equal to a release's name or slug, or to a model alias of one of its
   variants, names that release; a trailing size in parentheses ("(17Bx128E)") is ignored.
3. The checkpoint is named by the header's own words ("72B-Inst.", "Base", "Chat"), else by the
   nearest heading above the table that says ("### Pre-trained models" -> base, "### Chat Model"
   or "### Instruction tuned models" -> instruct): the release's one variant of that kind. With
   no such words, the variant of the alias the header matched, or the release's only variant.
   Anything else is reported with the cell, not guessed.
A context window ("Context length") is a fact about the release as a whole: its variant is None.

A column naming any other model gives reported figures about that model, never claims. A column
naming another catalogued release of the same vendor is skipped: those figures are that
release's claims, proposed when the command runs for it. The exception is a release named in
`figure_releases`: an earlier model the document only compares with (the Llama 3 columns of the
Llama 4 card), whose figures analysts keep as reported figures about it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from releases.documents.cells import (
    Label,
    label_conditions,
    parse_label,
    read_metric,
    read_shots,
    read_value,
    strip_markup,
)
from releases.documents.naming import ModelRef, Names, headings_above, kind_in, section_headings
from releases.documents.proposals import (
    BENCHMARK_SCORE,
    CONTEXT_WINDOW,
    KIND_BY_UNIT,
    Catalogue,
    Extraction,
    NoClaimTable,
    ProposedClaim,
    ProposedFigure,
    Skipped,
    UnknownBenchmark,
    Unreadable,
    cell_location,
)
from releases.documents.tables import Table, read_tables, row_quote


def extract_claims(
    text: str,
    *,
    releases: Sequence[str],
    catalogue: Catalogue,
    figure_releases: Collection[str] = (),
) -> Extraction:
    """Every claim, figure and problem in the document's tables, in document order.

    `figure_releases`: releases of the same vendor whose columns are read as reported figures
    about them instead of being skipped (see the module docstring)."""
    tables = read_tables(text)
    if not tables:
        raise NoClaimTable("no table found (neither a Markdown pipe table nor an HTML <table>)")
    names = Names(catalogue)
    sections = section_headings(text)
    result = Extraction()
    for table in tables:
        context = headings_above(sections, table.line)
        _TableReader(
            text, table, context, names, set(releases), result, frozenset(figure_releases)
        ).read()
    if not result.tables:
        wanted = " or ".join(repr(catalogue.releases[slug].name) for slug in releases)
        raise NoClaimTable(
            f"none of the {len(tables)} tables names {wanted} in a column header or row label"
        )
    _drop_conflicts(result)
    return result


# --- Tables ----------------------------------------------------------------------------------

_CATEGORY_HEADERS = frozenset({"", "category", "categories", "type", "domain", "capability"})
_SHOTS_HEADER = re.compile(r"^(?:#|n|no\.?|number of)?\s*shots?$", re.IGNORECASE)
_METRIC_HEADER = re.compile(r"^metrics?$", re.IGNORECASE)
_BENCHMARK_HEADER = re.compile(r"\b(?:benchmarks?|datasets?|tasks?|evals?|evaluations?)\b", re.I)
_MODEL_HEADER = re.compile(r"^models?(?:\s+names?)?$", re.IGNORECASE)
# Rows and columns about the model itself, not a score on a benchmark.
_FACT = re.compile(
    r"param|architecture|\btraining\b|emission|token count|knowledge cutoff|modalit|"
    r"licen[cs]e|release date|\bgpu\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Target:
    """What a model column (or a transposed table's model row) becomes."""

    action: str  # "claim", "figure" or "skip"
    name: str  # the model as the document names it, without markup
    release: str | None = None
    variant: str | None = None
    problem: str = ""  # for a claim: why no variant could be chosen


@dataclass(frozen=True)
class _Row:
    number: int
    label: str  # the row's label cell as written
    cells: tuple[str, ...]
    category: str


class _TableReader:
    def __init__(
        self,
        text: str,
        table: Table,
        context: list[str],
        names: Names,
        releases: set[str],
        result: Extraction,
        figure_releases: frozenset[str] = frozenset(),
    ) -> None:
        self.text, self.table, self.context = text, table, context
        self.names, self.result = names, result
        self.releases = releases
        # A release read for claims is never also a subject of figures.
        self.figure_releases = figure_releases - releases
        catalogue = names.catalogue
        self.vendors = {catalogue.releases[slug].vendor for slug in releases}
        header = [strip_markup(text) for text in table.header]
        self.category_col = (
            0 if len(header) > 2 and header[0].casefold() in _CATEGORY_HEADERS else None
        )
        rest = [c for c in range(len(header)) if c != self.category_col]
        self.label_col = next(
            (
                c
                for c in rest
                if _BENCHMARK_HEADER.search(header[c]) or _MODEL_HEADER.match(header[c])
            ),
            rest[0],
        )
        self.shots_col = next((c for c in rest if _SHOTS_HEADER.match(header[c])), None)
        self.metric_col = next((c for c in rest if _METRIC_HEADER.match(header[c])), None)
        roles = {self.label_col, self.shots_col, self.metric_col}
        self.value_cols = [c for c in rest if c not in roles]
        self.heading = context[0] if context else ""

    def read(self) -> None:
        if not self.value_cols:
            return
        header = strip_markup(self.table.header[self.label_col])
        if _MODEL_HEADER.match(header):
            named = self._read_models_by_row()
        elif _BENCHMARK_HEADER.search(header) or self._names_release(self.table.header):
            named = self._read_models_by_column()
        else:
            named = self._read_models_by_row()
        if named:
            self.result.tables.append(self.table.index)
        else:
            self._skip(0, f"table {self.table.index}", "names none of the releases")

    def _names_release(self, texts: Iterable[str]) -> bool:
        return any((ref := self.names.model(t)) and ref.release in self.releases for t in texts)

    def _rows(self) -> list[_Row]:
        rows, category = [], ""
        for number, cells in enumerate(self.table.rows, start=1):
            if self.category_col is not None and strip_markup(_cell(cells, self.category_col)):
                category = strip_markup(_cell(cells, self.category_col))
            rows.append(_Row(number, _cell(cells, self.label_col), cells, category))
        return rows

    # A row per benchmark, a column per model: the usual layout.
    def _read_models_by_column(self) -> bool:
        targets = {c: self._target(self.table.header[c]) for c in self.value_cols}
        if not any(t.action == "claim" for t in targets.values()):
            return False
        for c, target in targets.items():
            if target.action == "skip":
                self._skip(0, self.table.header[c], target.problem)
        columns = [c for c in self.value_cols if targets[c].action != "skip"]
        for row in self._rows():
            label = parse_label(row.label)
            if not label.text:
                continue
            texts = [_cell(row.cells, c) for c in columns]
            benchmark = self.names.benchmark(label)
            if benchmark is None:
                self._not_a_benchmark(row.number, row.label, texts)
                continue
            conditions, parts = label_conditions(label, metric_column=self.metric_col is not None)
            # A "-" in the shots or metric column leaves what the label says.
            if self.shots_col is not None:
                shots = read_shots(_cell(row.cells, self.shots_col))
                conditions.update({} if shots is None else {"shots": shots})
            if self.metric_col is not None:
                metric = read_metric(_cell(row.cells, self.metric_col))
                conditions.update({} if metric is None else {"metric": metric})
            conditions.update(benchmark[1])
            for c in columns:
                self._figure(
                    targets[c], benchmark[0], conditions, parts, row, self.table.header[c], label, c
                )
        return True

    # A row per model, a column per benchmark: model tables, DeepSeek's Arena-Hard table.
    def _read_models_by_row(self) -> bool:
        rows = [row for row in self._rows() if strip_markup(row.label)]
        targets = [self._target(row.label) for row in rows]
        if not any(t.action == "claim" for t in targets):
            return False
        for row, target in zip(rows, targets, strict=True):
            if target.action == "skip":
                self._skip(row.number, row.label, target.problem)
        for c in self.value_cols:
            column = self.table.header[c]
            label = parse_label(column)
            benchmark = self.names.benchmark(label)
            read = [(row, t) for row, t in zip(rows, targets, strict=True) if t.action != "skip"]
            if benchmark is None:
                self._not_a_benchmark(0, column, [_cell(row.cells, c) for row, _ in read])
                continue
            conditions, parts = label_conditions(label, metric_column=False)
            conditions.update(benchmark[1])
            for row, target in read:
                self._figure(target, benchmark[0], conditions, parts, row, column, label, c)
        return True

    def _target(self, text: str) -> _Target:
        name = strip_markup(text)
        ref = self.names.model(text)
        if ref is None:
            return _Target("figure", name)
        if ref.release in self.releases:
            variant, problem = self._variant(ref, name)
            return _Target("claim", name, ref.release, variant, problem)
        vendor = self.names.catalogue.releases[ref.release].vendor
        if vendor in self.vendors and ref.release not in self.figure_releases:
            return _Target(
                "skip", name, ref.release, problem=f"names another release of the same vendor "
                f"({ref.release}): its figures are its claims; run with --release {ref.release}",
            )  # fmt: skip
        return _Target("figure", name, ref.release)

    def _variant(self, ref: ModelRef, name: str) -> tuple[str | None, str]:
        if ref.variant:
            return ref.variant, ""
        catalogue = self.names.catalogue
        variants = [v for v in catalogue.variants.values() if v.release == ref.release]
        kind = kind_in(name) or next((k for k in map(kind_in, self.context) if k), None)
        if kind:
            matching = [v.slug for v in variants if v.kind == kind]
            if len(matching) == 1:
                return matching[0], ""
            return None, (
                f"the table is about {kind} models and {ref.release} has {len(matching)} "
                f"{kind} variants: add or fix the variant in admin"
            )
        if ref.alias_variant:
            return ref.alias_variant, ""
        if len(variants) == 1:
            return variants[0].slug, ""
        return None, (
            f"cannot tell which variant of {ref.release} the column means: neither the header "
            "nor the headings above the table say base or instruct"
        )

    def _figure(
        self,
        target: _Target,
        benchmark: str,
        conditions: dict[str, Any],
        parts: tuple[str, ...],
        row: _Row,
        column: str,
        label: Label,
        cell: int,
    ) -> None:
        """Read one value cell into claims or figures, or report why it cannot be read."""
        info = self.names.catalogue.benchmarks[benchmark]
        kind = KIND_BY_UNIT.get(info.unit, BENCHMARK_SCORE)
        text = _cell(row.cells, cell)
        reading = read_value(text, tokens=info.unit == "tokens")
        if reading.absent:
            return

        def report(reason: str) -> None:
            self.result.unreadable.append(
                Unreadable(self.table.index, row.number, row.label, column, text, reason)
            )

        if reading.problem:
            return report(reading.problem)
        if target.action == "claim" and kind != CONTEXT_WINDOW and target.variant is None:
            return report(target.problem)
        pieces: list[tuple[float, dict[str, Any]]] = [(reading.values[0], {})]
        if len(reading.values) > 1 or parts:
            if len(reading.values) != len(parts):
                return report(
                    f"{len(reading.values)} figure(s) in the cell, and the label names "
                    f"{len(parts) or 'no'} parts to assign them to"
                )
            pieces = [(v, {"direction": p}) for v, p in zip(reading.values, parts, strict=True)]
        for value, extra in pieces:
            low, high = info.min_value, info.max_value
            if (low is not None and value < low) or (high is not None and value > high):
                report(f"{value:g} is outside the bounds of {benchmark} [{low}, {high}]")
                continue
            # Row label and column header as written: the location names the cell.
            location = cell_location(self.table.index, row.label, column)
            quote = row_quote(self.text, self.table, row.number)
            if target.action == "claim":
                self.result.claims.append(
                    ProposedClaim(
                        release=target.release or "",
                        variant=None if kind == CONTEXT_WINDOW else target.variant,
                        kind=kind,
                        benchmark=benchmark,
                        stated_value=value,
                        stated_text=text,
                        conditions={**conditions, **extra},
                        quote=quote.text,
                        quote_start=quote.start,
                        quote_end=quote.end,
                        quote_readable=quote.readable,
                        location=location,
                        table=self.table.index,
                        row=row.number,
                        category=row.category,
                        notes=self._notes(row, label),
                    )
                )
            else:
                self.result.figures.append(
                    ProposedFigure(
                        subject_name=target.name,
                        subject_release=target.release,
                        benchmark=benchmark,
                        value=value,
                        value_text=text,
                        conditions={**conditions, **extra},
                        quote=quote.text,
                        quote_start=quote.start,
                        quote_end=quote.end,
                        quote_readable=quote.readable,
                        location=location,
                        table=self.table.index,
                        row=row.number,
                    )
                )
        return None

    def _not_a_benchmark(self, row: int, label: str, texts: list[str]) -> None:
        """A label no benchmark answers to: a fact about the model, or unknown if it has figures."""
        if _FACT.search(strip_markup(label)):
            self._skip(row, label, "describes the model, not a score on a benchmark")
        elif any(not read_value(text, tokens=True).absent for text in texts):
            self.result.unknown_benchmarks.append(UnknownBenchmark(self.table.index, row, label))

    def _skip(self, row: int, label: str, reason: str) -> None:
        self.result.skipped.append(Skipped(self.table.index, row, label, reason))

    def _notes(self, row: _Row, label: Label) -> str:
        where = f"table {self.table.index}" + (f' ("{self.heading}")' if self.heading else "")
        notes = f"Proposed by extract_claims from {where}"
        if row.category:
            notes += f', category "{row.category}"'
        notes += "."
        if label.footnote:
            notes += " The label carries a footnote mark: read the footnote in the document."
        return notes


def _cell(cells: tuple[str, ...], index: int) -> str:
    """A row's cell, or "" for a short row (rows are kept as ragged as the document wrote them)."""
    return cells[index] if index < len(cells) else ""


def _drop_conflicts(result: Extraction) -> None:
    """Two different values for one claim (same release, variant, benchmark and conditions) are
    a contradiction in the document: neither is proposed, both are reported. A repeat of the
    same value is proposed once."""
    by_key: dict[tuple[Any, ...], list[ProposedClaim]] = {}
    for claim in result.claims:
        by_key.setdefault(claim.key, []).append(claim)
    kept = []
    for claims in by_key.values():
        if len({c.stated_value for c in claims}) == 1:
            kept.append(claims[0])
            continue
        cells = "; ".join(f"{c.location}: {c.stated_text}" for c in claims)
        for c in claims:
            result.unreadable.append(
                Unreadable(
                    c.table, c.row, c.location, c.release, c.stated_text,
                    f"the document gives different values for the same claim ({cells})",
                )
            )  # fmt: skip
    order = {id(c): n for n, c in enumerate(result.claims)}
    result.claims = sorted(kept, key=lambda c: order[id(c)])
