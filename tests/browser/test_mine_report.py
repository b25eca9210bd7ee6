"""The mining report opens in Chromium from disk, requests nothing from the network and shows its figures."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

LOG = Path(__file__).resolve().parent.parent / "fixtures" / "mine" / "brightbill_questions.csv"


@pytest.mark.browser
def test_report_shows_coverage_chart_and_gaps_without_network(
    tmp_path: Path, repo_root: Path, run_cli: Callable[..., Result], page, screenshot_path: Callable[[str], Path]
) -> None:
    shutil.copytree(repo_root / "content", tmp_path / "content")
    report = tmp_path / "report.html"
    result = run_cli("mine", LOG, "--content-dir", tmp_path / "content", "--report", report)
    assert result.exit_code == 0, result.output
    data = json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))

    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(report.as_uri())
    assert all(url.startswith("file://") for url in requested), requested

    coverage = page.locator(".card.coverage .value").inner_text()
    assert coverage == f"{round(100 * data['coverage']['ratio'])}%"
    bars = page.locator("svg[aria-label='Top groups by number of questions'] rect")
    assert bars.count() == len(data["groups"])
    first_bar = bars.first.bounding_box()
    assert first_bar is not None and first_bar["width"] > 100  # the most asked group has the longest bar
    assert page.get_by_role("heading", name="Rising in the last 30 days").is_visible()
    assert page.locator("tr", has_text="Is there a dark mode?").first.is_visible()
    page.locator("details summary").first.click()
    assert page.locator("details[open] li").first.is_visible()
    page.screenshot(path=str(screenshot_path("mine-report")), full_page=True)
