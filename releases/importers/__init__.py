"""The registry of leaderboard importers: slug -> dotted path of the class.

Paths, not classes, so that importing the registry imports no parser: a module is loaded the first
time its slug is asked for (healthchecks' TRANSPORTS pattern). `LeaderboardSource.importer` holds
one of these slugs.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

from releases.importers.base import Importer

IMPORTERS: dict[str, str] = {
    "lmarena-text": "releases.importers.lmarena.LMArenaTextImporter",
    "lmarena-text-style-control": "releases.importers.lmarena.LMArenaTextStyleControlImporter",
    "aider-polyglot": "releases.importers.aider.AiderPolyglotImporter",
    "aider-edit": "releases.importers.aider.AiderEditImporter",
    "swebench": "releases.importers.swebench.SWEBenchImporter",
    "livebench": "releases.importers.livebench.LiveBenchImporter",
    "epoch": "releases.importers.epoch.EpochImporter",
    "nolima": "releases.importers.nolima.NoLiMaImporter",
    "swallow": "releases.importers.swallow.SwallowImporter",
    "zeroeval": "releases.importers.zeroeval.ZeroEvalImporter",
    # Batch 3 (issue 14): EvalPlus, RULER, LiveCodeBench, Vals.
    "evalplus": "releases.importers.evalplus.EvalPlusImporter",
    "ruler": "releases.importers.ruler.RulerImporter",
    "livecodebench": "releases.importers.livecodebench.LiveCodeBenchImporter",
    "vals": "releases.importers.vals.ValsImporter",
}

# Importers that read many leaderboards of one datastore: "<prefix><leaderboard>" -> the class,
# built with the leaderboard's name. A new leaderboard of the datastore needs a source with such a
# slug and catalogue aliases for what it measures, no code.
IMPORTER_FAMILIES: dict[str, str] = {
    "eee-": "releases.importers.eee.EveryEvalEverImporter",
}


class UnknownImporter(KeyError):
    """No importer is registered under this slug."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        super().__init__(slug)

    def __str__(self) -> str:
        # KeyError's own __str__ would print only the repr of the slug.
        known = [*sorted(IMPORTERS), *(f"{prefix}<name>" for prefix in IMPORTER_FAMILIES)]
        return f"no importer {self.slug!r}; known: {', '.join(known)}"


def get_importer(slug: str) -> Importer:
    """A fresh importer for `slug`; raises UnknownImporter (a KeyError) listing the known slugs."""
    for prefix, family_path in IMPORTER_FAMILIES.items():
        if slug.startswith(prefix) and len(slug) > len(prefix):
            return import_string(family_path)(slug.removeprefix(prefix))
    try:
        path = IMPORTERS[slug]
    except KeyError:
        raise UnknownImporter(slug) from None
    importer_class = import_string(path)
    return importer_class()


__all__ = ["IMPORTERS", "IMPORTER_FAMILIES", "Importer", "UnknownImporter", "get_importer"]
