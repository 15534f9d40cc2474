"""A large file imports on the embedded SQLite default (issue 12, point 7: "too many SQL variables").

SQLite refuses a statement with more bound variables than its limit: 32,766 in today's builds,
999 in older ones that some distributions still ship. A 50 MB file has more distinct model names
than that, and every query the import builds from its rows (the name lookup, the upsert, the
recompute that follows) must stay under it. The subprocess lowers the limit to 999 on every
connection, the limit of those older builds, so a file of a few thousand names is enough to
cross it: the same code path as a 50 MB file under the default limit, in seconds.

Each test runs Django in a subprocess on its own SQLite file (the suite's database is PostgreSQL).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import embedded_env, run_django, sqlite_copy

pytestmark = pytest.mark.integration

LOWERED_LIMIT = 999
NAMES_PER_CATEGORY = 1_500  # more distinct names than the lowered limit, in every category
CATEGORIES = 4

IMPORT_UNDER_A_LOW_LIMIT = f"""
import json, sqlite3
import django
from django.db.backends.signals import connection_created

def lower_the_limit(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, {LOWERED_LIMIT})

connection_created.connect(lower_the_limit)
django.setup()
from django.db import connection
from releases.models import LeaderboardSource, Measurement, Snapshot
from releases.services.gap_scores import gap_scores_recompute
from releases.services.leaderboard_import import leaderboard_import

body = json.dumps({{
    f"category-{{c}}": {{
        f"synthetic-model-{{i:05d}}": {{
            "rating": 1000.0 + i % 400,
            "rating_q025": 990.0 + i % 400,
            "rating_q975": 1010.0 + i % 400,
        }}
        for i in range({NAMES_PER_CATEGORY})
    }}
    for c in range({CATEGORIES})
}}).encode()
source = LeaderboardSource.objects.get(slug="lmarena-text")
error = ""
try:
    summary = leaderboard_import(
        source_id=source.pk, raw=body, file_name="leaderboard-text.json", hold_for_review=False
    )
    status = summary.status
    recomputed = gap_scores_recompute().recomputed
except Exception as exc:  # the test prints what escaped, to name it in the failure
    status, recomputed, error = "raised", None, f"{{type(exc).__name__}}: {{exc}}"
connection.ensure_connection()
print(json.dumps({{
    "limit": connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER),
    "status": status,
    "error": error,
    "snapshot_status": Snapshot.objects.filter(source=source).latest("pk").status,
    "measurements": Measurement.objects.filter(source=source).count(),
    "names": Measurement.objects.filter(source=source).values("raw_model_name").distinct().count(),
}}))
"""


@pytest.fixture(scope="module")
def sqlite_env(tmp_path_factory: pytest.TempPathFactory, migrated_sqlite: Path) -> dict[str, str]:
    env = embedded_env(sqlite_copy(migrated_sqlite, tmp_path_factory.mktemp("sqlite")))
    run_django(env, "manage.py", "load_curated")
    return env


def test_a_file_with_more_names_than_sqlites_variable_limit_imports_whole(
    sqlite_env: dict[str, str], tmp_path: Path
) -> None:
    database = tmp_path / "claimsdb.sqlite3"
    database.write_bytes(Path(sqlite_env["SQLITE_PATH"]).read_bytes())
    output = run_django(
        {**sqlite_env, "SQLITE_PATH": str(database)}, "-c", IMPORT_UNDER_A_LOW_LIMIT
    )
    result = json.loads(output.strip().splitlines()[-1])

    assert result["limit"] == LOWERED_LIMIT  # the limit really was the old builds' 999
    assert result["error"] == ""
    assert result["status"] == "imported"
    assert result["snapshot_status"] == "imported"
    # Every row of every category stored: a rating and a rank per model and category.
    assert result["names"] == NAMES_PER_CATEGORY
    assert result["measurements"] == NAMES_PER_CATEGORY * CATEGORIES * 2
