"""The claim extractor, pure: the real vendor documents against the curated claims, and a small
table made for each quirk. No database: the catalogue is built from the curated YAML."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
import yaml

from releases.conditions import conditions_key
from releases.documents.cells import read_value
from releases.documents.extraction import extract_claims
from releases.documents.proposals import (
    BenchmarkInfo,
    Catalogue,
    Extraction,
    NoClaimTable,
    ProposedClaim,
    ReleaseInfo,
    VariantInfo,
)
from releases.names import normalize_name
from tests.conftest import FIXTURES_DIR

CURATED = FIXTURES_DIR / "curated"
LLAMA_CARD = FIXTURES_DIR / "documents" / "meta-llama4_MODEL_CARD.md"
DEEPSEEK_README = FIXTURES_DIR / "documents" / "deepseek-v3_README_evaluation.md"
LLAMA_4 = ["llama-4-scout", "llama-4-maverick"]


def _yaml(name: str) -> Any:
    return yaml.safe_load((CURATED / name).read_text())


@cache
def curated_catalogue() -> Catalogue:
    """The catalogue `make run` loads, read straight from the YAML."""
    releases = _yaml("releases.yaml")
    benchmarks = _yaml("benchmarks.yaml")
    names = {}
    for b in benchmarks:
        for name in (b["slug"], b["name"], *b.get("aliases", [])):
            names[normalize_name(str(name))] = b["slug"]
    return Catalogue(
        releases={r["slug"]: ReleaseInfo(r["slug"], r["name"], r["vendor"]) for r in releases},
        variants={
            v["slug"]: VariantInfo(
                v["slug"], r["slug"], v["name"], v["kind"], v.get("hub_id") or ""
            )
            for r in releases
            for v in r.get("variants", [])
        },
        benchmarks={
            b["slug"]: BenchmarkInfo(b["slug"], b["unit"], b.get("min_value"), b.get("max_value"))
            for b in benchmarks
        },
        benchmark_names=names,
        model_aliases={a["name"]: a["variant"] for a in _yaml("aliases.yaml")},
    )


def _location(location: dict[str, Any]) -> str:
    return f"table {location['table']}, row '{location['row']}', column '{location['column']}'"


def _claim(
    result: Extraction, variant: str | None, benchmark: str, **conditions: Any
) -> ProposedClaim:
    [claim] = [
        c
        for c in result.claims
        if c.variant == variant
        and c.benchmark == benchmark
        and all(c.conditions.get(k) == v for k, v in conditions.items())
    ]
    return claim


# --- The Llama 4 model card -------------------------------------------------------------------


def _llama_3_releases() -> set[str]:
    """The releases the curated figures of the card are about: Meta's own Llama 3 models."""
    figures = _yaml("claims/meta-llama4-model-card.yaml")["reported_figures"]
    return {f["subject_release"] for f in figures}


@pytest.fixture(scope="module")
def llama() -> Extraction:
    return extract_claims(
        LLAMA_CARD.read_text(),
        releases=LLAMA_4,
        catalogue=curated_catalogue(),
        figure_releases=_llama_3_releases(),
    )


def test_llama_card_gives_mavericks_instruction_tuned_scores(llama: Extraction) -> None:
    gpqa = _claim(llama, "llama-4-maverick-instruct", "gpqa-diamond")
    livecodebench = _claim(llama, "llama-4-maverick-instruct", "livecodebench")
    mmlu_pro = _claim(llama, "llama-4-maverick-instruct", "mmlu-pro")

    assert (gpqa.stated_value, gpqa.conditions) == (69.8, {"shots": 0, "metric": "accuracy"})
    assert livecodebench.stated_value == 43.4
    assert livecodebench.conditions == {
        "shots": 0,
        "metric": "pass@1",
        "date_range": "10/01/2024-02/01/2025",
    }
    assert (mmlu_pro.stated_value, mmlu_pro.conditions) == (
        80.5,
        {"shots": 0, "metric": "macro_avg/acc"},
    )
    assert gpqa.quote_readable == " | GPQA Diamond | 0 | accuracy | 50.5 | 49.0 | 57.2 | 69.8"
    # The quote is the row as the card writes it, at its byte range of the card.
    assert gpqa.quote.startswith("<tr>\n    <td>  </td>\n    <td> GPQA Diamond</td>\n")
    assert gpqa.quote.endswith("<td>69.8</td>\n  </tr>")
    assert LLAMA_CARD.read_bytes()[gpqa.quote_start : gpqa.quote_end] == gpqa.quote.encode()
    assert gpqa.location == "table 4, row 'GPQA Diamond', column 'Llama 4 Maverick'"
    assert gpqa.release == "llama-4-maverick"
    assert gpqa.kind == "benchmark_score"


def test_llama_card_gives_the_pretrained_mmlu_pro_to_the_base_variant(llama: Extraction) -> None:
    # The same header, "Llama 4 Maverick", under "### Pre-trained models".
    claim = _claim(llama, "llama-4-maverick-base", "mmlu-pro")

    assert claim.stated_value == 62.9
    assert claim.conditions == {"shots": 5, "metric": "macro_avg/em"}
    assert claim.category == "Reasoning & Knowledge"  # carried down from the row above


def test_llama_card_gives_the_context_windows_of_both_releases(llama: Extraction) -> None:
    windows = {c.release: c for c in llama.claims if c.kind == "context_window"}

    assert {slug: c.stated_value for slug, c in windows.items()} == {
        "llama-4-scout": 10_000_000,
        "llama-4-maverick": 1_000_000,
    }
    assert {c.stated_text for c in windows.values()} == {"10M", "1M"}
    assert all(c.benchmark == "context-window" and c.variant is None for c in windows.values())


def test_llama_3_columns_are_reported_figures_not_llama_4_claims(llama: Extraction) -> None:
    assert {f.subject_name for f in llama.figures} == {
        "Llama 3.1 70B",
        "Llama 3.1 405B",
        "Llama 3.3 70B",
    }
    assert {(f.subject_name, f.subject_release) for f in llama.figures} == {
        ("Llama 3.1 70B", "llama-3-1-70b"),
        ("Llama 3.1 405B", "llama-3-1-405b"),
        ("Llama 3.3 70B", "llama-3-3-70b"),
    }
    assert {c.release for c in llama.claims} == set(LLAMA_4)
    assert not [c for c in llama.claims if "column 'Llama 3" in c.location]
    # "No multimodal support" and "Context window is 128K" hold no figure and are no problem.
    assert llama.unreadable == []
    assert llama.unknown_benchmarks == []


def test_llama_card_agrees_with_every_curated_claim_and_figure(llama: Extraction) -> None:
    curated = _yaml("claims/meta-llama4-model-card.yaml")
    expected = {
        (c["release"], c["variant"], c["benchmark"], c["kind"], conditions_key(c["conditions"])): (
            c["stated_value"], str(c["stated_text"]), c["quote"], _location(c["location"]),
        )
        for c in curated["claims"]
    }  # fmt: skip
    proposed = {c.key: (c.stated_value, c.stated_text, c.quote, c.location) for c in llama.claims}
    assert proposed == expected

    figures = {
        (f["subject_name"], f["benchmark"], conditions_key(f["conditions"])): (
            f["value"], f["quote"], _location(f["location"]),
        )
        for f in curated["reported_figures"]
    }  # fmt: skip
    assert {
        (f.subject_name, f.benchmark, conditions_key(f.conditions)): (f.value, f.quote, f.location)
        for f in llama.figures
    } == figures
    assert {(f.subject_name, f.subject_release) for f in llama.figures} == {
        (f["subject_name"], f["subject_release"]) for f in curated["reported_figures"]
    }


def test_the_llama_3_columns_are_meta_releases_skipped_unless_kept_as_figures() -> None:
    # Llama 3.x are Meta's own releases: without the curated figures' subjects, their columns
    # are skipped as those releases' claims, never read as Llama 4 claims or as figures.
    result = extract_claims(LLAMA_CARD.read_text(), releases=LLAMA_4, catalogue=curated_catalogue())

    assert result.figures == []
    assert {s.label for s in result.skipped if "same vendor" in s.reason} == {
        "Llama 3.1 70B",
        "Llama 3.1 405B",
        "Llama 3.3 70B",
    }
    assert {c.release for c in result.claims} == set(LLAMA_4)


# --- The DeepSeek-V3 README ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def deepseek() -> Extraction:
    text = DEEPSEEK_README.read_text()
    return extract_claims(text, releases=["deepseek-v3"], catalogue=curated_catalogue())


def test_deepseek_base_and_chat_columns_become_drafts_with_conditions_from_row_labels(
    deepseek: Extraction,
) -> None:
    bbh = _claim(deepseek, "deepseek-v3-base", "bbh")
    mmlu_base = _claim(deepseek, "deepseek-v3-base", "mmlu")
    mmlu_chat = _claim(deepseek, "deepseek-v3-chat", "mmlu")
    drop_chat = _claim(deepseek, "deepseek-v3-chat", "drop")
    cot = _claim(deepseek, "deepseek-v3-chat", "livecodebench", metric="Pass@1-COT")
    plain = _claim(deepseek, "deepseek-v3-chat", "livecodebench", metric="Pass@1")

    assert (bbh.stated_value, bbh.stated_text, bbh.conditions) == (
        87.5,
        "**87.5**",
        {"shots": 3, "metric": "EM"},
    )
    assert (mmlu_base.stated_value, mmlu_base.conditions) == (87.1, {"shots": 5, "metric": "Acc."})
    assert (mmlu_chat.stated_value, mmlu_chat.conditions) == (88.5, {"metric": "EM"})
    assert (drop_chat.stated_value, drop_chat.conditions) == (91.6, {"shots": 3, "metric": "F1"})
    assert (cot.stated_value, plain.stated_value) == (40.5, 37.6)
    assert mmlu_chat.location == "table 2, row 'MMLU (EM)', column '**DeepSeek V3**'"


def test_deepseek_architecture_rows_are_not_benchmark_scores(deepseek: Extraction) -> None:
    architecture = {"Architecture", "# Activated Params", "# Total Params"}
    rows = {c.quote_readable.split(" | ")[1] for c in deepseek.claims} | {
        f.quote_readable.split(" | ")[1] for f in deepseek.figures
    }

    assert not rows & architecture
    assert not {u.label for u in deepseek.unknown_benchmarks} & architecture
    assert {(s.table, s.label) for s in deepseek.skipped if s.label in architecture} == {
        (table, label) for table in (1, 2) for label in architecture
    }


def test_deepseek_readme_agrees_with_the_curated_table_claims(deepseek: Extraction) -> None:
    curated = _yaml("claims/deepseek-v3-readme.yaml")["claims"]
    in_tables = [c for c in curated if "table" in c["location"]]
    expected = {
        (c["release"], c["variant"], c["benchmark"], c["kind"], conditions_key(c["conditions"])): (
            c["stated_value"], str(c["stated_text"]), c["quote"], _location(c["location"]),
        )
        for c in in_tables
    }  # fmt: skip
    proposed = {
        c.key: (c.stated_value, c.stated_text, c.quote, c.location) for c in deepseek.claims
    }
    # The one difference: the curated AlpacaEval claim adds a metric the README gives in prose
    # under the table, which no table cell states.
    alpaca = ("deepseek-v3", "deepseek-v3-chat", "alpacaeval-2", "benchmark_score")
    assert expected.pop((*alpaca, '{"metric":"length-controlled win rate"}')) == proposed.pop(
        (*alpaca, "{}")
    )
    assert proposed == expected
    assert deepseek.unreadable == []
    assert deepseek.unknown_benchmarks == []


# --- Quirks, each on a table made for it --------------------------------------------------------


def _catalogue() -> Catalogue:
    """A vendor with two releases (one with base and instruct variants) and another vendor."""
    benchmarks = {
        "mmlu": ["MMLU", "MMLU (EM)"],
        "mmlu-pro": ["MMLU-Pro", "MMLU Pro"],
        "mmmu-pro": ["MMMU Pro"],
        "mtob": ["MTOB"],
        "livecodebench": ["LiveCodeBench"],
        "context-window": ["Context length"],
    }
    return Catalogue(
        releases={
            "acme-one": ReleaseInfo("acme-one", "Acme One", "acme"),
            "acme-zero": ReleaseInfo("acme-zero", "Acme Zero", "acme"),
            "rival": ReleaseInfo("rival", "Rival 7B", "rivalco"),
        },
        variants={
            "acme-one-base": VariantInfo("acme-one-base", "acme-one", "Acme One (base)", "base"),
            "acme-one-it": VariantInfo(
                "acme-one-it", "acme-one", "Acme One (instruct)", "instruct"
            ),
            "acme-zero": VariantInfo("acme-zero", "acme-zero", "Acme Zero", "instruct"),
            "rival-7b": VariantInfo("rival-7b", "rival", "Rival 7B", "instruct"),
        },
        benchmarks={
            slug: BenchmarkInfo(slug, "tokens", 1, None)
            if slug == "context-window"
            else BenchmarkInfo(slug, "percent", 0, 100)
            for slug in benchmarks
        },
        benchmark_names={
            normalize_name(name): slug
            for slug, names in benchmarks.items()
            for name in (slug, *names)
        },
        model_aliases={"acme-one-chat-v1": "acme-one-it"},
    )


def _extract(text: str, releases: tuple[str, ...] = ("acme-one",)) -> Extraction:
    return extract_claims(text, releases=list(releases), catalogue=_catalogue())


PRETRAINED = "### Pre-trained models\n\n"


def test_two_numbers_in_a_cell_split_by_the_label_parts() -> None:
    result = _extract(
        PRETRAINED + "| Benchmark | Acme One |\n|---|---|\n"
        "| MTOB (half book) eng->kgv/kgv->eng | 42.2/36.6 |\n"
    )

    assert [(c.stated_value, c.stated_text, c.conditions) for c in result.claims] == [
        (42.2, "42.2/36.6", {"book": "half book", "direction": "eng->kgv"}),
        (36.6, "42.2/36.6", {"book": "half book", "direction": "kgv->eng"}),
    ]


def test_two_numbers_in_a_cell_without_parts_are_reported_not_guessed() -> None:
    result = _extract(
        PRETRAINED + "| Benchmark | Acme One |\n|---|---|\n| MMLU | 1 |\n| MTOB | 42.2/36.6 |\n"
    )

    assert [c.benchmark for c in result.claims] == ["mmlu"]
    [problem] = result.unreadable
    assert (problem.table, problem.row, problem.label, problem.text) == (1, 2, "MTOB", "42.2/36.6")
    assert "2 figure(s)" in problem.reason


def test_footnote_marks_are_dropped_from_labels_headers_and_values() -> None:
    result = _extract(
        PRETRAINED + "| Benchmark | Acme One [^9] | Rival 7B* |\n|---|---|---|\n"
        "| MMMU Pro^ | 59.6 | 51.0 |\n| MMLU-Pro [^2] | 77.2 * | 70.1† |\n"
    )

    assert [(c.benchmark, c.stated_value, c.variant) for c in result.claims] == [
        ("mmmu-pro", 59.6, "acme-one-base"),
        ("mmlu-pro", 77.2, "acme-one-base"),
    ]
    assert "footnote" in result.claims[0].notes
    assert [(f.subject_name, f.subject_release, f.value) for f in result.figures] == [
        ("Rival 7B", "rival", 51.0),
        ("Rival 7B", "rival", 70.1),
    ]


def test_bold_and_ins_markup_is_read_through_and_kept_in_the_stated_text() -> None:
    result = _extract(
        PRETRAINED + "| Benchmark | Acme One |\n|---|---|\n"
        "| MMLU | **87.5** |\n| MMLU-Pro | <ins>72.3<ins> |\n| LiveCodeBench | *35.5* |\n"
    )

    assert [(c.stated_value, c.stated_text) for c in result.claims] == [
        (87.5, "**87.5**"),
        (72.3, "<ins>72.3<ins>"),
        (35.5, "*35.5*"),
    ]


def test_spanning_notes_hold_no_figure_and_spans_fill_their_rows() -> None:
    result = _extract(
        PRETRAINED
        + """<table>
<tr><th>Category</th><th>Benchmark</th><th>Rival 7B</th><th>Other 3B</th><th>Acme One</th></tr>
<tr><td rowspan="2">Image</td><td>MMMU Pro</td><td colspan="2"> No multimodal support </td><td>59.6</td></tr>
<tr><td>MTOB</td><td colspan="2">Context window is 128K</td><td>50.1</td></tr>
</table>"""
    )

    assert [(c.benchmark, c.stated_value, c.category) for c in result.claims] == [
        ("mmmu-pro", 59.6, "Image"),
        ("mtob", 50.1, "Image"),
    ]
    # The rendering repeats the spanning cells; the quote is the row's own markup, once.
    assert (
        result.claims[1].quote_readable
        == "Image | MTOB | Context window is 128K | Context window is 128K | 50.1"
    )
    assert result.claims[1].quote == (
        '<tr><td>MTOB</td><td colspan="2">Context window is 128K</td><td>50.1</td></tr>'
    )
    assert result.figures == []
    assert result.unreadable == []


def test_blank_category_cells_carry_the_category_down() -> None:
    result = _extract(
        PRETRAINED + "|  | Benchmark (Metric) | Acme One |\n|---|---|---|\n"
        "| English | MMLU (EM) | 80.0 |\n| | MMLU-Pro | 60.0 |\n|  | MTOB | 40.0 |\n"
        "| Code | LiveCodeBench | 30.0 |\n"
    )

    assert [c.category for c in result.claims] == ["English", "English", "English", "Code"]
    assert result.claims[0].conditions == {"metric": "EM"}


def test_a_dash_is_no_value_and_no_problem() -> None:
    result = _extract(
        PRETRAINED + "| Benchmark | Rival 7B | Acme One |\n|---|---|---|\n"
        "| MMLU | - | 80.0 |\n| MMLU-Pro | 61.0 | — |\n| MTOB | n/a |  |\n"
    )

    assert [(c.benchmark, c.stated_value) for c in result.claims] == [("mmlu", 80.0)]
    assert [(f.benchmark, f.value) for f in result.figures] == [("mmlu-pro", 61.0)]
    assert result.unreadable == []


def test_an_unreadable_cell_is_reported_with_its_row_and_never_guessed() -> None:
    result = _extract(
        PRETRAINED + "| Benchmark | Acme One |\n|---|---|\n"
        "| MMLU | 80.0 |\n| MMLU-Pro | 85.3±0.4 |\n| MTOB | 45.2 avg |\n| LiveCodeBench | 1.2M |\n"
    )

    assert [c.benchmark for c in result.claims] == ["mmlu"]
    assert [(u.row, u.label, u.column, u.text) for u in result.unreadable] == [
        (2, "MMLU-Pro", "Acme One", "85.3±0.4"),
        (3, "MTOB", "Acme One", "45.2 avg"),
        (4, "LiveCodeBench", "Acme One", "1.2M"),
    ]
    assert all(u.reason for u in result.unreadable)


def test_an_unknown_benchmark_is_reported_never_invented() -> None:
    result = _extract(
        PRETRAINED + "| Benchmark | Acme One |\n|---|---|\n"
        "| MMLU | 80.0 |\n| SuperNewBench (Acc.) | 33.3 |\n| # Total Params | 70B |\n"
    )

    assert [c.benchmark for c in result.claims] == ["mmlu"]
    assert [(u.table, u.row, u.label) for u in result.unknown_benchmarks] == [
        (1, 2, "SuperNewBench (Acc.)")
    ]
    assert [s.label for s in result.skipped] == ["# Total Params"]


def test_shots_and_metric_come_from_their_columns_or_the_label() -> None:
    result = _extract(
        PRETRAINED + "| Benchmark (Metric) | # Shots | Acme One |\n|---|---|---|\n"
        "| MMLU (EM) | 5-shot | 80.0 |\n| LiveCodeBench (Pass@1) | 0-shot | 30.0 |\n"
        "| LiveCodeBench (Pass@1-COT) | 0-shot | 33.0 |\n| MMLU-Pro (3-shot F1) | - | 60.0 |\n"
    )

    assert [c.conditions for c in result.claims] == [
        {"shots": 5, "metric": "EM"},
        {"shots": 0, "metric": "Pass@1"},
        {"shots": 0, "metric": "Pass@1-COT"},
        {"shots": 3, "metric": "F1"},
    ]


@pytest.mark.parametrize(
    ("context", "header", "variant"),
    [
        ("### Pre-trained models\n\n", "Acme One", "acme-one-base"),
        ("## Chat Model\n### Standard Benchmarks\n\n", "Acme One", "acme-one-it"),
        ("### Instruction tuned models\n\n##\n\n", "Acme One (32Bx8E)", "acme-one-it"),
        ("## Results\n\n", "Acme One-Inst.", "acme-one-it"),
        ("## Results\n\n", "**acme-one-chat-v1**", "acme-one-it"),  # an alias, no context
        ("### Base Model\n\n", "Acme One (instruct)", "acme-one-it"),  # the variant's own name
    ],
)
def test_the_variant_comes_from_the_header_and_the_headings_above(
    context: str, header: str, variant: str
) -> None:
    result = _extract(context + f"| Benchmark | {header} |\n|---|---|\n| MMLU | 80.0 |\n")

    assert [c.variant for c in result.claims] == [variant]


def test_a_column_whose_variant_cannot_be_told_is_reported() -> None:
    result = _extract("## Results\n\n| Benchmark | Acme One |\n|---|---|\n| MMLU | 80.0 |\n")

    assert result.claims == []
    [problem] = result.unreadable
    assert (problem.row, problem.column) == (1, "Acme One")
    assert "cannot tell which variant" in problem.reason


def test_another_release_of_the_same_vendor_is_skipped_not_reported() -> None:
    result = _extract(
        PRETRAINED + "| Benchmark | Acme Zero | Acme One |\n|---|---|---|\n| MMLU | 70.0 | 80.0 |\n"
    )

    assert [c.release for c in result.claims] == ["acme-one"]
    assert result.figures == []
    assert "--release acme-zero" in result.skipped[0].reason
    both = _extract(
        PRETRAINED
        + "| Benchmark | Acme Zero | Acme One |\n|---|---|---|\n| MMLU | 70.0 | 80.0 |\n",
        releases=("acme-one", "acme-zero"),
    )
    assert sorted(c.release for c in both.claims) == ["acme-one", "acme-zero"]


def test_an_earlier_release_of_the_same_vendor_kept_as_figures_is_read_as_figures() -> None:
    text = (
        PRETRAINED + "| Benchmark | Acme Zero | Acme One |\n|---|---|---|\n| MMLU | 70.0 | 80.0 |\n"
    )

    result = extract_claims(
        text, releases=["acme-one"], catalogue=_catalogue(), figure_releases={"acme-zero"}
    )

    assert [(c.release, c.stated_value) for c in result.claims] == [("acme-one", 80.0)]
    assert [(f.subject_name, f.subject_release, f.value) for f in result.figures] == [
        ("Acme Zero", "acme-zero", 70.0)
    ]
    assert result.skipped == []
    # A release read for claims stays a claim even if it is named among the figures' subjects.
    both = extract_claims(
        text,
        releases=["acme-one", "acme-zero"],
        catalogue=_catalogue(),
        figure_releases={"acme-zero"},
    )
    assert sorted(c.release for c in both.claims) == ["acme-one", "acme-zero"]
    assert both.figures == []


def test_a_table_with_models_in_rows_is_read_across() -> None:
    result = _extract(
        "| Model | MMLU | Context length |\n|---|---|---|\n"
        "| Rival 7B | 61.0 | 32K |\n| Acme One-Inst. | **80.0** | 128K |\n"
    )

    assert [(c.benchmark, c.variant, c.stated_value) for c in result.claims] == [
        ("mmlu", "acme-one-it", 80.0),
        ("context-window", None, 128_000),
    ]
    assert result.claims[1].location == "table 1, row 'Acme One-Inst.', column 'Context length'"
    assert [(f.subject_name, f.benchmark, f.value) for f in result.figures] == [
        ("Rival 7B", "mmlu", 61.0),
        ("Rival 7B", "context-window", 32_000),
    ]


def test_two_values_for_one_claim_are_both_reported() -> None:
    table = "| Benchmark | Acme One |\n|---|---|\n| MMLU | {} |\n\n"
    result = _extract(PRETRAINED + table.format("80.0") + table.format("81.0"))

    assert result.claims == []
    assert [(u.table, u.text) for u in result.unreadable] == [(1, "80.0"), (2, "81.0")]


def test_a_document_without_a_table_is_refused() -> None:
    with pytest.raises(NoClaimTable, match="no table found"):
        _extract("# Acme One\n\nIt scores 80.0 on MMLU.\n")


def test_a_document_whose_tables_name_no_release_is_refused() -> None:
    with pytest.raises(NoClaimTable, match="none of the 1 tables names 'Acme One'"):
        _extract("| Benchmark | Rival 7B |\n|---|---|\n| MMLU | 61.0 |\n")


@pytest.mark.parametrize(
    ("text", "tokens", "values", "problem"),
    [
        ("69.8", False, (69.8,), False),
        (" 33.3 ", False, (33.3,), False),
        ("07.6", False, (7.6,), False),
        ("1,354", False, (1354.0,), False),
        ("**0.548**", False, (0.548,), False),
        ("54.0/46.4", False, (54.0, 46.4), False),
        ("10M", True, (10_000_000.0,), False),
        ("128K", True, (128_000.0,), False),
        ("5.0M", False, (), True),
        ("-", False, (), False),
        ("N/A", False, (), False),
        ("No multimodal support", False, (), False),
        ("Context window is 128K", False, (), False),
        ("85.3±0.4", False, (), True),
        ("~40T", True, (), True),
    ],
)
def test_read_value(text: str, tokens: bool, values: tuple[float, ...], problem: bool) -> None:
    reading = read_value(text, tokens=tokens)

    assert reading.values == values
    assert bool(reading.problem) is problem
