"""Names in a vendor's table, looked up in the catalogue, and the headings a table sits under.

A model is matched by name ignoring case, spaces and punctuation ("DeepSeek V3" is
"DeepSeek-V3"), but only against names the catalogue holds: a variant's name or hub id, a
release's name or slug, a confirmed model alias. A benchmark is matched on its normalised name,
slug or alias only (`releases.names.normalize_name`): nothing looser, so a new spelling becomes an
alias an analyst adds, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from releases.documents.cells import Label, strip_markup
from releases.documents.proposals import Catalogue
from releases.names import normalize_name


def _compact(text: str) -> str:
    """Case, spaces and punctuation ignored: "DeepSeek V3" and "DeepSeek-V3" are one name."""
    return re.sub(r"[\W_]+", "", normalize_name(text))


_TRAILING_PARENTHESES = re.compile(r"\s*\([^()]*\)\s*$")
# A checkpoint word after the model's name ("Llama3.1 405B-Inst.", "DeepSeek-V3-Base"): it picks
# the variant (`kind_in`), the rest names the release.
_TRAILING_KIND = re.compile(
    r"[\s_-]+(?:inst(?:ruct)?\.?|instruct(?:ion)?[ -]tuned|chat|base|pre-?trained)$", re.IGNORECASE
)


@dataclass(frozen=True)
class ModelRef:
    release: str
    variant: str | None = None  # the header names this variant exactly
    alias_variant: str | None = None  # the header is this variant's alias


class Names:
    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.variants = _unique_index(
            (name, v.slug)
            for v in catalogue.variants.values()
            for name in (v.name, v.hub_id, v.hub_id.rsplit("/", 1)[-1])
            if name
        )
        self.releases = _unique_index(
            (name, r.slug) for r in catalogue.releases.values() for name in (r.name, r.slug)
        )
        self.aliases = _unique_index(catalogue.model_aliases.items())

    def model(self, text: str) -> ModelRef | None:
        plain = strip_markup(text)
        bare = _TRAILING_PARENTHESES.sub("", plain)
        for candidate in (plain, bare, _TRAILING_KIND.sub("", bare)):
            key = _compact(candidate)
            if not key:
                continue
            if variant := self.variants.get(key):
                return ModelRef(self.catalogue.variants[variant].release, variant=variant)
            if release := self.releases.get(key):
                return ModelRef(release)
            if variant := self.aliases.get(key):
                return ModelRef(self.catalogue.variants[variant].release, alias_variant=variant)
        return None

    def benchmark(self, label: Label) -> tuple[str, dict[str, Any]] | None:
        lookup = self.catalogue.benchmark_names
        base = re.match(r"^(.*?)[- ]Base$", label.name, flags=re.IGNORECASE)
        candidates = [label.text, f"{label.name} ({label.qualifier})", label.name]
        if base:
            candidates.append(base.group(1))
        slug = next((lookup[n] for c in candidates if (n := normalize_name(c)) in lookup), None)
        if slug is None:
            return None
        if base and lookup.get(normalize_name(base.group(1))) == slug:
            return slug, {"setting": "base"}
        return slug, {}


def _unique_index(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Compact name -> value; a name that would mean two things means nothing."""
    index: dict[str, str | None] = {}
    for name, value in pairs:
        key = _compact(name)
        if key:
            index[key] = value if index.get(key, value) == value else None
    return {key: value for key, value in index.items() if value is not None}


# --- Context: the headings above a table -------------------------------------------------------

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_BASE_WORDS = re.compile(r"\bpre-?trained\b|\bbase\b", re.IGNORECASE)
_INSTRUCT_WORDS = re.compile(
    r"\binstruct(?:ion)?(?:[- ]tuned)?\b|\binst\b|\bchat\b|\bpost-?trained\b", re.IGNORECASE
)


def section_headings(text: str) -> list[tuple[int, int, str]]:
    """(line, level, title) of each non-empty ATX heading outside code fences."""
    found = []
    in_fence = False
    for number, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (match := _HEADING.match(line)) and match.group(2).strip():
            found.append((number, len(match.group(1)), match.group(2).strip()))
    return found


def headings_above(headings: list[tuple[int, int, str]], line: int) -> list[str]:
    """The headings a table sits under, nearest first ("Standard Benchmarks", "Base Model", ...)."""
    open_sections: dict[int, str] = {}
    for number, level, title in headings:
        if number >= line:
            break
        open_sections = {lvl: t for lvl, t in open_sections.items() if lvl < level}
        open_sections[level] = title
    return [open_sections[level] for level in sorted(open_sections, reverse=True)]


def kind_in(text: str) -> str | None:
    base, instruct = bool(_BASE_WORDS.search(text)), bool(_INSTRUCT_WORDS.search(text))
    if base != instruct:
        return "base" if base else "instruct"
    return None
