"""The web page at / in headless Chromium, against the API over the demo data (both stores):
search "nghi quyet 52", open the lineage diagram, open the coverage report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from api.app import create_app
from graph.settings import Settings
from graph.store import GraphStore
from tests.browser.support import serve

NQ52 = "52-nq-tw.bo-chinh-tri.2019"
TU = "thanh-uy-thanh-pho-ho-chi-minh"
AS_OF = "2020-12-31"


def test_search_lineage_and_coverage(demo_store: GraphStore, browser_page: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page = browser_page
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    with serve(create_app(store=demo_store, settings=Settings(kg_api_key=None))) as (base, log):
        page.goto(base + "/")
        expect(page).to_have_title("policy-kg — lineage and coverage")

        # 1. search, without diacritics
        page.fill("#q", "nghi quyet 52")
        page.press("#q", "Enter")
        hit = page.locator(f'#results button[data-uid="{NQ52}"]')
        expect(hit).to_contain_text("52-NQ/TW")
        expect(page.locator("#results")).to_contain_text("15-KH/BCSĐ")
        page.screenshot(path=str(tmp_path / "1-search.png"), full_page=True)

        # 2. the lineage diagram, drawn by the API and shown inline
        hit.click()
        expect(page.locator("#doc-code")).to_have_text("52-NQ/TW")
        diagram = page.locator("#lineage svg")
        expect(diagram).to_be_visible()
        expect(diagram).to_contain_text("52-NQ/TW")
        expect(diagram).to_contain_text("15-KH/BCSĐ")
        expect(diagram).to_contain_text("116-HD/BTGTW")
        assert diagram.locator("g.node").count() >= 5
        expect(page.locator("#svg-link")).to_have_attribute("href", f"/documents/{NQ52}/lineage.svg?depth=5")
        diagram.screenshot(path=str(tmp_path / "2-lineage.png"))

        # 3. the coverage report for the HCMC Party Committee as of 2020-12-31
        page.fill("#scope-filter", "thanh uy ho chi minh")
        page.select_option("#scope", TU)
        page.fill("#as-of", AS_OF)
        page.click("#coverage-button")
        expect(page.locator("#coverage-status")).to_contain_text(f"as of {AS_OF}")
        report = page.frame_locator("#report")
        expect(report.locator("h1")).to_contain_text("Coverage of 52-NQ/TW")
        overdue = report.locator("tr#unit-huyen-uy-cu-chi")
        expect(overdue).to_contain_text("Huyện ủy Củ Chi")
        expect(overdue.locator(".status")).to_have_text("overdue")
        expect(report.locator("tr#unit-huyen-uy-can-gio .status")).to_have_text("covered")
        rows = demo_store.run("coverage", {"document": NQ52, "scope": TU, "as_of": AS_OF})
        expect(report.locator("#coverage-table tbody tr")).to_have_count(len(rows))
        expect(page.locator("#report-csv")).to_have_attribute(
            "href", f"/reports/coverage?document={NQ52}&scope={TU}&as_of={AS_OF}&format=csv")
        page.screenshot(path=str(tmp_path / "3-coverage.png"), full_page=True)
        report.locator("#coverage-table").screenshot(path=str(tmp_path / "4-coverage-table.png"))

        # The state is in the URL: reloading restores document, scope and report.
        assert f"doc={NQ52}" in page.url and f"scope={TU}" in page.url
        page.reload()
        expect(page.frame_locator("#report").locator("tr#unit-huyen-uy-cu-chi .status")).to_have_text("overdue")

        seen = log.paths("GET")
        assert "/documents" in seen and f"/documents/{NQ52}/lineage.svg" in seen and "/reports/coverage" in seen

    # No external requests, no script errors (CSP violations would show here).
    assert requests and all(url.startswith(base + "/") for url in requests), requests
    assert not problems, problems
    for name in ("1-search.png", "2-lineage.png", "3-coverage.png", "4-coverage-table.png"):
        assert (tmp_path / name).stat().st_size > 5_000, name
