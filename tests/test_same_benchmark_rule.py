"""One rule for "the same benchmark": a subset only where the source names it.

simple-evals heads its column "GPQA" and the Qwen2.5 post writes "GPQA": neither names the
subset, so neither is GPQA Diamond. The rule is stated on the methodology page
(`releases.scoring.method.SAME_BENCHMARK_RULE`) and holds for every curated claim.
"""

from __future__ import annotations

import re

import yaml

from tests.conftest import FIXTURES_DIR

CURATED = FIXTURES_DIR / "curated"


def _label(location: dict) -> str:
    """The table cell that names the benchmark: the row or the column, whichever says GPQA."""
    cells = [str(location.get(key, "")) for key in ("row", "column")]
    return next((cell for cell in cells if "gpqa" in cell.casefold()), "")


def test_a_gpqa_figure_is_diamond_only_where_its_source_says_diamond() -> None:
    seen = 0
    subset_not_stated: dict[str, int] = {}
    for path in sorted((CURATED / "claims").glob("*.yaml")):
        for claim in yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]:
            label = _label(claim.get("location") or {})
            if not label:
                continue
            seen += 1
            names_diamond = re.search(r"diamond", label, flags=re.IGNORECASE) is not None
            expected = "gpqa-diamond" if names_diamond else "gpqa"
            assert claim["benchmark"] == expected, (path.name, label)
            if expected == "gpqa":
                subset_not_stated[path.name] = subset_not_stated.get(path.name, 0) + 1
    assert seen >= 8  # Diamond rows of Meta, DeepSeek and MiniMax, and simple-evals columns
    # Both sources that write plain "GPQA" are curated under the one rule, neither left out:
    # the Qwen2.5 post's base (5-shot) and instruct rows, and simple-evals' column.
    assert subset_not_stated["qwen2-5-blog.yaml"] == 2
    assert subset_not_stated["openai-simple-evals.yaml"] >= 2


def test_plain_gpqa_is_its_own_benchmark_not_an_alias_of_diamond() -> None:
    benchmarks = {b["slug"]: b for b in yaml.safe_load((CURATED / "benchmarks.yaml").read_text())}
    assert "GPQA" in benchmarks["gpqa"]["aliases"]
    assert "GPQA" not in benchmarks["gpqa-diamond"]["aliases"]
