"""What a visitor and an analyst do, in a real browser; accessibility checked by axe-core."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import ANALYST_PASSWORD, screenshot

# `make test-fast` leaves these out.
pytestmark = pytest.mark.browser

ARENA_CLAIM = "Meta: 1417 on LMArena text arena rating for Llama 4 Maverick"


def csp_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [m for m in page.console_messages if "Content Security Policy" in m]


@pytest.mark.parametrize("width", [390, 1280])
def test_a_visitor_finds_the_maverick_arena_claim_and_its_evidence(site, page_at, width) -> None:  # type: ignore[no-untyped-def]
    page = page_at(width)
    page.goto(site + "/")
    # The project's own stylesheet is loaded (and allowed by the CSP): the header is dark.
    header = "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    assert page.evaluate(header) == "rgb(27, 31, 36)"
    screenshot(page, "home", width)
    page.get_by_label("Search a model, vendor or benchmark").fill("Maverick")
    page.get_by_label("Search a model, vendor or benchmark").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=Maverick"))
    page.get_by_role("link", name="Llama 4 Maverick", exact=True).click()
    page.wait_for_url(re.compile(r"/releases/llama-4-maverick/$"))
    assert page.get_by_role("heading", name="Did not hold up").is_visible()
    screenshot(page, "release", width)
    page.get_by_role("link", name=ARENA_CLAIM).first.click()
    page.wait_for_url(re.compile(r"/claims/\d+/$"))

    sentence = page.locator("#verdict-sentence")
    assert sentence.is_visible()
    assert "128 rating points below the claim" in sentence.inner_text()
    assert "Substantially overstated" in page.locator(".verdict-box .badge").inner_text()
    chart = page.locator('svg[aria-labelledby="timeline-title timeline-desc"]')
    assert chart.is_visible()
    assert chart.bounding_box()["width"] > min(width - 40, 700)  # type: ignore[index]
    assert chart.locator("circle").count() == 2
    table = page.get_by_role("table", name=re.compile("The measurements the verdict used"))
    assert table.is_visible()
    assert "llama-4-maverick-17b-128e-instruct" in table.inner_text()
    assert "1288.69" in table.inner_text()
    # The page never scrolls sideways: wide tables scroll inside their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, "claim", width)
    assert csp_violations(page) == []


def test_axe_finds_no_serious_or_critical_violation(site, page_at) -> None:  # type: ignore[no-untyped-def]
    page = page_at(1280)
    page.goto(site + "/releases/llama-4-maverick/")
    claim_url = page.get_by_role("link", name=ARENA_CLAIM).first.get_attribute("href")
    axe = Axe()
    found = {}
    for path in ("/", "/releases/llama-4-maverick/", claim_url):
        for width in (390, 1280):
            page = page_at(width)
            page.goto(site + path)
            results = axe.run(page)
            found[(path, width)] = [
                f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                for v in results.response["violations"]
                if v["impact"] in ("serious", "critical")
            ]
    assert {page: v for page, v in found.items() if v} == {}


def test_an_analyst_adds_a_claim_publishes_it_and_finds_it_with_a_verdict(site, page_at) -> None:  # type: ignore[no-untyped-def]
    page = page_at(1280)
    page.goto(site + "/admin/login/?next=/admin/")
    page.fill("#id_username", "browser-analyst")
    page.fill("#id_password", ANALYST_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))

    page.goto(site + "/admin/releases/claim/add/")
    choose(page, "id_release", "Maverick", "Llama 4 Maverick")
    choose(page, "id_variant", "instruction", "Llama 4 Maverick (instruction tuned)")
    page.select_option("#id_kind", "benchmark_score")
    choose(page, "id_benchmark", "GPQA Diamond", "GPQA Diamond")
    page.fill("#id_stated_value", "80")
    page.fill("#id_stated_text", "80.0")
    quote = "Browser test: Llama 4 Maverick scores 80.0 on GPQA Diamond"
    page.fill("#id_quote", quote)
    choose(page, "id_citation", "Llama 4", None)
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/releases/claim/(\?.*)?$"))

    page.goto(site + "/admin/releases/claim/?q=Browser+test")
    page.locator("input[name=_selected_action]").first.check()
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    assert "Published 1 claim" in page.locator(".messagelist").inner_text()

    page.goto(site + "/releases/llama-4-maverick/")
    item = page.locator(".claim-item", has_text="80.0% on GPQA Diamond")
    assert item.count() == 1
    badge = item.locator(".badge").inner_text()
    assert "Not scored yet" not in badge
    assert re.search(
        r"Holds|Overstated|Substantially overstated|Understated|Unverified|Not comparable", badge
    )
    assert "claimed 80.0% on GPQA Diamond for Llama 4 Maverick" in item.inner_text()


def choose(page, field_id: str, typed: str, option: str | None) -> None:  # type: ignore[no-untyped-def]
    """Pick a value in one of the admin's autocomplete (select2) fields."""
    page.click(f"#{field_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", typed)
    results = page.locator(
        ".select2-container--open .select2-results__option:not(.loading-results)"
    )
    if option is None:
        results.first.click()
    else:
        results.filter(has_text=re.compile(f"^{re.escape(option)}$")).first.click()
