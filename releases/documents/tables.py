"""The tables of a Markdown document, in document order, as grids of cell strings.

Vendor documents mix two kinds of table: HTML `<table>`s (the Llama 4 card) and Markdown pipe
tables (most READMEs). A claim cites a cell by (table number, row label, column header), and
that number counts both kinds together, in the order they appear, so one reader handles both.

Cells are kept as written, minus layout: each is trimmed and its inner white space runs
(newlines, tabs, padding) collapsed to one space. Markup stays (`**87.5**`, `<ins>72.3<ins>`,
`MMLU Pro^`), because the exact text is what a claim quotes.

Quirks handled, all seen in the stored documents:
- HTML `rowspan`/`colspan`: the spanning cell's text is repeated into every grid position it
  covers, so every row of a table has one cell per column and a column index means the same
  column in every row.
- Markdown rows with or without leading and trailing pipes, separator rows of any dash style
  (`:---:`, `---`, `-------------`), and rows with more or fewer cells than the header (they are
  kept as written, not padded or cut: a quote of the row must match the document).
- Tables inside HTML comments (`<!-- ... -->`) are not shown to readers and are skipped, as are
  pipes inside fenced code blocks.

Each body row keeps where it is in the document (`Table.spans`): a claim's quote is that stretch
of the document exactly as written (`row_quote`), markup and layout included, beside a readable
rendering of its cells.

Limits, so that a small hostile document cannot take the process down: a span is clamped as
browsers clamp it (colspan to MAX_COLSPAN, rowspan to MAX_ROWSPAN), and a table whose grid would
pass MAX_TABLE_CELLS cells raises `TableTooLarge` (a 109-byte `colspan="200000000"` otherwise
builds gigabytes). `read_tables` keeps the tables of the last few documents it read, keyed by
the sha256 of their text, so the admin's review page does not parse a document on every view.

Pure functions: text in, tables out; no I/O.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = [
    "Quote",
    "Table",
    "TableTooLarge",
    "byte_span",
    "clean_cell",
    "read_tables",
    "readable_cells",
    "readable_text",
    "row_quote",
    "split_pipe_row",
]
# The HTML standard's own clamps on span attributes.
MAX_COLSPAN = 1_000
MAX_ROWSPAN = 65_534
# Cells one table may lay out. The largest table of the stored documents has a few hundred.
MAX_TABLE_CELLS = 200_000
# Documents whose tables are kept in memory, most recently read first.
CACHED_DOCUMENTS = 32


class TableTooLarge(ValueError):
    """A table whose cells would pass MAX_TABLE_CELLS: not a vendor's results table."""


@dataclass(frozen=True)
class Table:
    """One table: its header cells and body rows, and where it starts in the document.

    `index` is 1-based in document order. For an HTML table the header is its first row (the
    `<th>` row in every stored document); for a pipe table, the line above the separator.
    """

    index: int
    kind: str  # "html" or "markdown"
    line: int  # 1-based line of the document where the table starts
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # (start, end) character offsets of each body row in the document: the `<tr>...</tr>` of
    # an HTML row, the line of a pipe row (without its line break).
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Quote:
    """A stretch of a document as written, where it is, and a rendering for readers.

    `start` and `end` are byte offsets into the document's UTF-8 bytes, so
    `document_bytes[start:end] == text.encode()`.
    """

    text: str
    start: int
    end: int
    readable: str


_WHITESPACE = re.compile(r"\s+")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>", re.IGNORECASE)
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
# A separator row: only pipes, colons, dashes and white space, with at least one dash.
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_TAG = re.compile(r"<[^>]+>")


def clean_cell(text: str) -> str:
    """Trim a cell and collapse its inner white space (newlines, tabs, padding) to one space."""
    return _WHITESPACE.sub(" ", text).strip()


def readable_text(text: str) -> str:
    """Text for readers: HTML tags and bold marks dropped (a link keeps its words), white space
    collapsed."""
    return clean_cell(_TAG.sub("", text).replace("**", ""))


def readable_cells(cells: tuple[str, ...]) -> str:
    """A row for readers: its cells without markup, joined by " | " (spanning cells repeated,
    so each value sits beside its row's label)."""
    return " | ".join(readable_text(cell) for cell in cells)


def byte_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Character offsets into `text` as byte offsets into its UTF-8 encoding."""
    head = len(text[:start].encode("utf-8"))
    return head, head + len(text[start:end].encode("utf-8"))


def row_quote(text: str, table: Table, row: int) -> Quote:
    """Body row `row` (1-based) of `table`, as the document `text` writes it."""
    start, end = table.spans[row - 1]
    byte_start, byte_end = byte_span(text, start, end)
    return Quote(text[start:end], byte_start, byte_end, readable_cells(table.rows[row - 1]))


_cache: OrderedDict[str, tuple[Table, ...]] = OrderedDict()


def read_tables(text: str) -> list[Table]:
    """Every visible table of a Markdown document, HTML and pipe tables together, in order.

    Raises TableTooLarge for a table over MAX_TABLE_CELLS cells. Tables are immutable, so the
    result for a text read recently is served from a small cache keyed by its sha256."""
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    cached = _cache.get(key)
    if cached is None:
        cached = tuple(_read_tables(text))
        _cache[key] = cached
        while len(_cache) > CACHED_DOCUMENTS:
            _cache.popitem(last=False)
    _cache.move_to_end(key)
    return list(cached)


def _read_tables(text: str) -> list[Table]:
    visible = _blank_out(text, _COMMENT)
    found: list[tuple[int, str, list[list[str]], list[tuple[int, int]]]] = []
    for start, end in _html_table_spans(visible):
        grid, spans = _parse_html_table(visible[start:end])
        if grid:
            found.append((start, "html", grid, [(start + a, start + b) for a, b in spans]))
    # Blank the HTML tables so their lines are not read again as pipe rows.
    without_html = visible
    for start, end in _html_table_spans(visible):
        without_html = without_html[:start] + _blank(without_html[start:end]) + without_html[end:]
    found.extend(
        (offset, "markdown", grid, spans) for offset, grid, spans in _pipe_tables(without_html)
    )
    found.sort(key=lambda item: item[0])
    return [
        Table(
            index=number,
            kind=kind,
            line=text.count("\n", 0, offset) + 1,
            header=tuple(grid[0]),
            rows=tuple(tuple(row) for row in grid[1:]),
            spans=tuple(spans[1:]),
        )
        for number, (offset, kind, grid, spans) in enumerate(found, start=1)
    ]


def split_pipe_row(line: str) -> list[str]:
    """The cells of one pipe-table line, cleaned; the outer pipes are optional."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [clean_cell(cell.replace("\\|", "|")) for cell in _UNESCAPED_PIPE.split(body)]


# --- HTML tables ---------------------------------------------------------------------------


def _blank(chunk: str) -> str:
    """The chunk with every character but newlines made a space: offsets and lines survive."""
    return re.sub(r"[^\n]", " ", chunk)


def _blank_out(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda match: _blank(match.group(0)), text)


def _html_table_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each outermost `<table>...</table>`; an unclosed one runs to the end."""
    spans = []
    depth = 0
    start = 0
    for match in _TABLE_TAG.finditer(text):
        closing = match.group(1) == "/"
        if not closing:
            if depth == 0:
                start = match.start()
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                spans.append((start, match.end()))
    if depth > 0:
        spans.append((start, len(text)))
    return spans


@dataclass
class _Cell:
    text: str
    rowspan: int
    colspan: int


class _TableParser(HTMLParser):
    """Collects the rows of one HTML table as cells with their spans.

    Tags inside a cell (`<ins>`, `<sup>`, `<br>`) are kept as text: markup is part of what the
    document wrote. A nested table's cells are flattened into the enclosing cell's text.
    """

    _STRUCTURE = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th"})

    def __init__(self, chunk: str) -> None:
        super().__init__(convert_charrefs=True)
        self.chunk = chunk
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", chunk)]
        self.rows: list[list[_Cell]] = []
        self.spans: list[list[int]] = []  # [start, end] of each row in the chunk; end -1: open
        self._cell: list[str] | None = None
        self._spans = (1, 1)
        self._depth = 0  # nesting of <table> tags

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._depth += 1
        if self._depth > 1 or tag not in self._STRUCTURE:
            if self._cell is not None:
                self._cell.append(self.get_starttag_text() or "")
            return
        if tag == "tr":
            self._close_cell()
            self._start_row()
        elif tag in ("td", "th"):
            self._close_cell()
            if not self.rows:  # a cell before any <tr>: start the row it implies
                self._start_row()
            values = dict(attrs)
            self._spans = (
                _span(values.get("rowspan"), MAX_ROWSPAN),
                _span(values.get("colspan"), MAX_COLSPAN),
            )
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        nested = self._depth > 1
        if tag == "table":
            self._depth -= 1
        if nested or tag not in self._STRUCTURE:
            if self._cell is not None:
                self._cell.append(f"</{tag}>")
            return
        if tag in ("td", "th", "tr", "table"):
            self._close_cell()
        if tag == "tr" and self.spans and self.spans[-1][1] < 0:
            self.spans[-1][1] = self.chunk.index(">", self._offset()) + 1

    def _offset(self) -> int:
        """Where the parser is in the chunk, as a character offset."""
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _start_row(self) -> None:
        start = self._offset()
        if self.spans and self.spans[-1][1] < 0:  # the row before was never closed
            self.spans[-1][1] = len(self.chunk[:start].rstrip())
        self.rows.append([])
        self.spans.append([start, -1])

    def row_spans(self) -> list[tuple[int, int]]:
        """Each row's (start, end); an unclosed last row ends where its text does."""
        ends = [end if end >= 0 else len(self.chunk.rstrip()) for _, end in self.spans]
        return [(start, end) for (start, _), end in zip(self.spans, ends, strict=True)]

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _close_cell(self) -> None:
        if self._cell is None:
            return
        rowspan, colspan = self._spans
        self.rows[-1].append(_Cell(clean_cell("".join(self._cell)), rowspan, colspan))
        self._cell = None


def _span(value: str | None, limit: int) -> int:
    """A rowspan/colspan attribute as a count from 1 to `limit` (browsers treat junk as 1 and
    clamp large values)."""
    try:
        return min(limit, max(1, int(value or 1)))
    except ValueError:
        return 1


def _parse_html_table(chunk: str) -> tuple[list[list[str]], list[tuple[int, int]]]:
    """The table's grid, and where each of its rows is in the chunk."""
    parser = _TableParser(chunk)
    parser.feed(chunk)
    parser.close()
    parser._close_cell()
    grid = _to_grid(parser.rows)
    kept = [(row, span) for row, span in zip(grid, parser.row_spans(), strict=True) if row]
    return [row for row, _ in kept], [span for _, span in kept]


def _to_grid(rows: list[list[_Cell]]) -> list[list[str]]:
    """Lay cells out on a grid, repeating a spanning cell's text into each position it covers."""
    grid: list[list[str]] = []
    # Column -> (rows still covered, text) for cells spanning down from rows above.
    pending: dict[int, tuple[int, str]] = {}
    total = 0  # cells of the rows laid out so far
    for cells in rows:
        row: list[str] = []
        queue = list(cells)
        column = 0
        while queue or any(col >= column for col in pending):
            if column in pending:
                remaining, text = pending[column]
                row.append(text)
                if remaining > 1:
                    pending[column] = (remaining - 1, text)
                else:
                    del pending[column]
                column += 1
                continue
            if not queue:
                # A gap below a finished row span: nothing covers it; leave it blank.
                row.append("")
                column += 1
                continue
            cell = queue.pop(0)
            if total + len(row) + cell.colspan > MAX_TABLE_CELLS:
                raise TableTooLarge(f"a table of more than {MAX_TABLE_CELLS:,} cells")
            for offset in range(cell.colspan):
                row.append(cell.text)
                if cell.rowspan > 1:
                    pending[column + offset] = (cell.rowspan - 1, cell.text)
            column += cell.colspan
        total += len(row)
        if total > MAX_TABLE_CELLS:
            raise TableTooLarge(f"a table of more than {MAX_TABLE_CELLS:,} cells")
        grid.append(row)
    return grid  # one row per <tr>, empty ones included: the caller pairs them with spans


# --- Markdown pipe tables -------------------------------------------------------------------


def _pipe_tables(text: str) -> list[tuple[int, list[list[str]], list[tuple[int, int]]]]:
    """(offset, grid, spans) of each pipe table: a header line, a separator line, then body
    lines; spans are each grid row's line, without its line break."""
    tables = []
    lines = text.splitlines(keepends=True)
    offsets = []
    position = 0
    for line in lines:
        offsets.append(position)
        position += len(line)

    in_fence = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if _FENCE.match(line):
            in_fence = not in_fence
            index += 1
            continue
        if (
            not in_fence
            and "|" in line
            and index + 1 < len(lines)
            and _is_separator(lines[index + 1])
        ):
            grid = [split_pipe_row(line)]
            spans = [_line_span(lines, offsets, index)]
            end = index + 2
            while end < len(lines) and lines[end].strip() and "|" in lines[end]:
                grid.append(split_pipe_row(lines[end]))
                spans.append(_line_span(lines, offsets, end))
                end += 1
            tables.append((offsets[index], grid, spans))
            index = end
            continue
        index += 1
    return tables


def _line_span(lines: list[str], offsets: list[int], index: int) -> tuple[int, int]:
    return offsets[index], offsets[index] + len(lines[index].rstrip("\r\n"))


def _is_separator(line: str) -> bool:
    return "-" in line and "|" in line and bool(_SEPARATOR.match(line))
