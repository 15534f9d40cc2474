"""Safe readers for the containers sources publish: CSV, JSON, YAML and ZIP.

Every importer reads its bytes through these, so that one reading of each format, with one set
of caps, stands between a hostile file and the process: a ZIP whose members would expand past
MAX_EXPANDED_BYTES, a YAML alias bomb, JSON nested deeper than the interpreter's stack, a CSV
cell of a megabyte, each ends as a `ParseError` naming the file, never as a MemoryError, a
RecursionError or a traceback. Pure functions: bytes in, values out.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

import yaml

from releases.importers.base import ParseError

# What one snapshot may expand to once decoded or decompressed. The largest bundled snapshot is
# 1.3 MB and the live Epoch ZIP about 3 MB uncompressed: 256 MB is far above real data and far
# below what takes a worker down.
MAX_EXPANDED_BYTES = 256 * 1024 * 1024
# Members of one archive. Epoch's ZIP holds about 60 files; LiveBench's bundle two.
MAX_ARCHIVE_MEMBERS = 1_000
# A member that expands more than this many times its compressed size is a bomb, not a CSV
# (text compresses 5 to 20 times; the zip bombs of the issue 1,000 times and more).
MAX_COMPRESSION_RATIO = 200
# Rows a single CSV may hold; the largest real file has a few thousand.
MAX_CSV_ROWS = 2_000_000
# Characters in one CSV cell: Epoch's longest notes are a few thousand characters.
MAX_CSV_CELL = 100_000
# Nodes (scalars, lists, mappings) one YAML document may hold: Aider's files have about 3,000.
MAX_YAML_NODES = 2_000_000


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One non-blank record of a CSV: `number` counts data records from 1 (blank ones included),
    `line` is the physical line the record ends on (a quoted cell may span several)."""

    number: int
    line: int
    cells: list[str]


def read_csv(raw: bytes, *, file_name: str | None) -> tuple[list[str], list[CsvRow]]:
    """The header (cells stripped) and the non-blank records of a UTF-8 CSV.

    The csv module, since Epoch's notes hold quoted multi-line text with doubled quotes. A cell
    over MAX_CSV_CELL characters, a NUL, or more than MAX_CSV_ROWS records is a ParseError."""
    text = decode_text(raw, file_name=file_name)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[CsvRow] = []
    previous_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CSV_CELL)
    try:
        header = [column.strip() for column in next(reader, [])]
        for number, cells in enumerate(reader, start=1):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_CSV_ROWS:
                raise ParseError(f"more than {MAX_CSV_ROWS:,} rows", file_name=file_name)
            rows.append(CsvRow(number=number, line=reader.line_num, cells=cells))
    except csv.Error as exc:
        # A cell over the limit, a NUL byte, an unterminated quote at the end of the file.
        raise ParseError(
            f"not a readable CSV: {exc}", file_name=file_name, row=reader.line_num
        ) from None
    finally:
        csv.field_size_limit(previous_limit)
    return header, rows


def decode_text(raw: bytes, *, file_name: str | None) -> str:
    """UTF-8 text (a leading BOM dropped); anything else is a ParseError."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"not UTF-8: {exc}", file_name=file_name) from None


def read_json(raw: bytes, *, file_name: str | None) -> Any:
    """The JSON value in `raw`. Deep nesting (RecursionError), a number of more digits than
    Python converts (ValueError) and invalid UTF-8 are ParseErrors like any syntax error."""
    try:
        return json.loads(raw)
    except RecursionError:
        raise ParseError("not JSON we read: nested too deeply", file_name=file_name) from None
    except (UnicodeDecodeError, ValueError) as exc:
        # JSONDecodeError is a ValueError; so is "Exceeds the limit (4300 digits)".
        raise ParseError(f"not JSON: {exc}", file_name=file_name) from None


class SafeYamlLoader(yaml.SafeLoader):
    """SafeLoader (no Python objects) that also refuses aliases and caps the node count.

    An alias makes one node appear many times: nine levels of nine aliases is a 477-byte file
    that expands to gigabytes. No leaderboard file uses anchors, so any alias is refused."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None,
                None,
                "aliases are not accepted (*" + str(event.anchor) + ")",
                event.start_mark,
            )
        self._nodes += 1
        if self._nodes > MAX_YAML_NODES:
            raise yaml.composer.ComposerError(
                None, None, f"more than {MAX_YAML_NODES:,} nodes", self.peek_event().start_mark
            )
        return super().compose_node(parent, index)


def read_yaml(raw: bytes, *, file_name: str | None, loader: type[SafeYamlLoader]) -> Any:
    """The YAML document in `raw`, loaded with `loader` (SafeYamlLoader or a subclass).

    Besides syntax errors, a constructor that fails on a value (a timestamp with month 13, bad
    base64 in `!!binary`) raises ValueError or TypeError: those are ParseErrors too."""
    try:
        return yaml.load(raw, Loader=loader)
    except RecursionError:
        raise ParseError("not YAML we read: nested too deeply", file_name=file_name) from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        raise ParseError(f"not YAML: {exc}", file_name=file_name) from None


class SafeZip:
    """A ZIP opened for reading with caps; use as a context manager, like zipfile.ZipFile.

    On opening, the central directory is checked before anything is decompressed: at most
    MAX_ARCHIVE_MEMBERS members, their declared sizes adding up to at most
    `max_expanded_bytes`. Each `read()` refuses a member that expands more than
    MAX_COMPRESSION_RATIO times. zipfile stops a member at its declared size and checks its CRC,
    so a header that lies about the size fails the CRC check (a ParseError) instead of
    expanding further."""

    def __init__(
        self, raw: bytes, *, file_name: str | None, max_expanded_bytes: int = MAX_EXPANDED_BYTES
    ) -> None:
        self.file_name = file_name
        try:
            self._archive = zipfile.ZipFile(io.BytesIO(raw))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
            raise ParseError(f"not a readable ZIP: {exc}", file_name=file_name) from None
        infos = self._archive.infolist()
        if len(infos) > MAX_ARCHIVE_MEMBERS:
            self._archive.close()
            raise ParseError(
                f"the ZIP holds {len(infos):,} members, over the cap of {MAX_ARCHIVE_MEMBERS:,}",
                file_name=file_name,
            )
        total = sum(info.file_size for info in infos)
        if total > max_expanded_bytes:
            self._archive.close()
            raise ParseError(
                f"the ZIP expands to {total:,} bytes, over the cap of {max_expanded_bytes:,}",
                file_name=file_name,
            )

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._archive.close()

    def infolist(self) -> list[zipfile.ZipInfo]:
        return self._archive.infolist()

    def namelist(self) -> list[str]:
        return self._archive.namelist()

    def read(self, member: zipfile.ZipInfo | str) -> bytes:
        info = member if isinstance(member, zipfile.ZipInfo) else self._archive.getinfo(member)
        if info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1024):
            raise ParseError(
                f"{info.filename!r} expands to {info.file_size:,} bytes from "
                f"{info.compress_size:,}: not a data file",
                file_name=self.file_name,
            )
        try:
            return self._archive.read(info)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
            # A bad CRC, a truncated member, an unsupported compression method, encryption.
            raise ParseError(
                f"cannot read {info.filename!r} from the ZIP: {exc}", file_name=self.file_name
            ) from None
