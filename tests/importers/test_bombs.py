"""Memory and time bombs, one per container format (issue 12 point 4).

Each runs in a child process under resource limits (address space and CPU time), so a bomb
that got through would kill the child, not the test run: the child must print the clean error
the caps produce, within the limits.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

from tests.conftest import REPO_DIR

# Far above what the caps let through, far below what the bombs reached (1.75 to 6.4 GB).
MEMORY_LIMIT_BYTES = 1_200 * 1024 * 1024
CPU_SECONDS = 60

# Run in the child before the limits are set: builds the bomb (it must not count against them).
BUILD = {
    "yaml-aliases": """
        levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        for level in "bcdefghi":
            previous = chr(ord(level) - 1)
            levels.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
        bomb = ("\\n".join(levels) + "\\n").encode()
        assert len(bomb) < 600
        """,
    "epoch-zip": """
        import io, zipfile
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            with archive.open("gpqa_diamond.csv", "w", force_zip64=True) as member:
                member.write(b"Model version,mean_score,stderr\\n")
                chunk = b"m,0.5,0.01\\n" * 100_000
                for _ in range(300):  # 330 MB once expanded, over the 256 MB cap
                    member.write(chunk)
        bomb = buffer.getvalue()
        assert len(bomb) < 20_000_000
        """,
    "livebench-bundle": """
        import json
        from releases.importers.livebench import bundle_release
        tasks = [f"t{i}" for i in range(2_000)]
        table = ("model," + ",".join(tasks) + "\\n").encode()
        table += b"".join(f"m{m},".encode() + b",".join([b"1"] * len(tasks)) + b"\\n" for m in range(130))
        categories = json.dumps({f"c{i}": [task] for i, task in enumerate(tasks)}).encode()
        bomb = bundle_release(table, categories, "2025_01_01")
        assert len(bomb) < 600_000
        """,
    "json-nesting": """
        bomb = b"[" * 1_000_000 + b"]" * 1_000_000
        """,
    "html-colspan": """
        card = '<table><tr><td colspan="200000000">x</td></tr></table>'
        assert len(card) < 110
        bomb = card + "\\n" + "<table>" + "<tr><td colspan='1000'>x</td></tr>" * 300 + "</table>"
        """,
    "gzip-body": """
        import gzip
        from tests.http_server import LeaderboardServer, Reply
        bomb = gzip.compress(b"\\0" * 200_000_000, compresslevel=9)
        assert len(bomb) < 300_000
        server = LeaderboardServer()
        server.thread.start()
        url = server.serve("/bomb.json", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
        del bomb
        """,
}

# Run under the limits: must print "refused: ..." (the parser's own error) and nothing else.
RUN = {
    "yaml-aliases": """
        from releases.importers.aider import AiderPolyglotImporter
        parse = lambda: AiderPolyglotImporter().parse(bomb, file_name="bomb.yml")
        """,
    "epoch-zip": """
        from releases.importers.epoch import EpochImporter
        parse = lambda: EpochImporter().parse(bomb, file_name="benchmark_data.zip")
        """,
    "livebench-bundle": """
        from releases.importers.livebench import LiveBenchImporter
        parse = lambda: LiveBenchImporter().parse(bomb, file_name="table_2025_01_01.csv")
        """,
    "json-nesting": """
        from releases.importers.lmarena import LMArenaTextImporter
        parse = lambda: LMArenaTextImporter().parse(bomb, file_name="leaderboard-text.json")
        """,
    "html-colspan": """
        from releases.documents.tables import TableTooLarge, read_tables
        first = read_tables(card)[0]
        assert len(first.header) == 1000, len(first.header)  # clamped as browsers clamp it
        parse = lambda: read_tables(bomb)
        """,
    "gzip-body": """
        from releases.services.fetching import fetch_url
        parse = lambda: fetch_url(url, attempts=1)
        """,
}

CHILD = """
import gc, resource, sys
sys.path.insert(0, {repo!r})
{build}
gc.collect()
resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))
resource.setrlimit(resource.RLIMIT_CPU, ({cpu}, {cpu}))
from releases.importers.base import ParseError
from releases.documents.tables import TableTooLarge
from releases.services.fetching import FetchError
{run}
try:
    parse()
except (ParseError, TableTooLarge, FetchError) as exc:
    print("refused:", str(exc)[:300])
else:
    print("accepted")
"""


@pytest.mark.parametrize("kind", sorted(BUILD))
def test_a_bomb_is_refused_within_memory_and_time_limits(kind: str) -> None:
    script = CHILD.format(
        repo=str(REPO_DIR),
        build=textwrap.dedent(BUILD[kind]),
        run=textwrap.dedent(RUN[kind]),
        memory=MEMORY_LIMIT_BYTES,
        cpu=CPU_SECONDS,
    )
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=180, cwd=REPO_DIR
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("refused:"), (result.stdout, result.stderr[-2000:])
    assert elapsed < 120
