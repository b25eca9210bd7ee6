"""The mining report opens in Chromium from disk, requests nothing from the network and shows its figures."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

LOG = Path(__file__).resolve().parent.parent / "fixtures" / "mine" / "brightbill_questions.csv"


def mined_report(run_cli: Callable[..., Result], repo_root: Path, tmp_path: Path, log: Path, *options: object) -> tuple[Path, dict]:
    """Mine ``log`` against a copy of the demo help center; the report's path and its data."""
    shutil.copytree(repo_root / "content", tmp_path / "content")
    report = tmp_path / "report.html"
    result = run_cli("mine", log, "--content-dir", tmp_path / "content", "--report", report, *options)
    assert result.exit_code == 0, result.output
    return report, json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))


@pytest.mark.browser
def test_report_shows_coverage_chart_and_gaps_without_network(
    tmp_path: Path, repo_root: Path, run_cli: Callable[..., Result], page, screenshot_path: Callable[[str], Path]
) -> None:
    report, data = mined_report(run_cli, repo_root, tmp_path, LOG)

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


@pytest.mark.browser
def test_report_says_why_a_group_is_covered(
    tmp_path: Path, repo_root: Path, run_cli: Callable[..., Result], page, screenshot_path: Callable[[str], Path]
) -> None:
    log = tmp_path / "questions.txt"
    # Three customers ask what a published demo article is asked; two ask something no article answers.
    log.write_text(
        "how do I reset my password\nI forgot my password\nhow can I reset my password\nwhat's the weather in Lisbon\nweather in Lisbon today\n",
        encoding="utf-8",
    )
    report, data = mined_report(run_cli, repo_root, tmp_path, log, "--min-group-size", "2", "--no-drafts")
    covered = [group for group in data["groups"] if group["covered"]]
    assert covered, data["groups"]
    match = covered[0]["match"]

    page.goto(report.as_uri())
    row = page.locator("tr", has=page.locator("code", has_text=match["path"])).first
    why = row.locator("details.why")
    assert not why.locator("dd").first.is_visible()  # folded until asked
    why.locator("summary", has_text="Why covered").click()
    assert why.locator("dt", has_text="Customers ask").is_visible()
    assert why.locator("dd").nth(0).inner_text() == match["question"]
    assert why.locator("dd").nth(1).inner_text() == match["variant"]
    assert f"{match['similarity']:.2f} over the group's wordings" in why.inner_text()
    if match["runner_up"]:  # the article it was told apart from, and by how much
        assert why.locator("dd").nth(3).inner_text() == f"{match['runner_up']}, {match['margin']:.2f} behind"
    # They ask it as the article is asked: kbgen check would call a draft of theirs a copy of it, and the report says so.
    assert match["duplicate"] >= 0.75
    assert why.locator("dt", has_text="kbgen check").is_visible()
    assert f"a likely duplicate of the article (relatedness {match['duplicate']:.2f})" in why.inner_text()
    row.screenshot(path=str(screenshot_path("mine-report-why-covered")))

    gaps = [group for group in data["groups"] if not group["covered"] and group["match"]]
    assert gaps, data["groups"]
    gap_row = page.locator("tr", has=page.locator("details.why-not")).first
    why_not = gap_row.locator("details.why-not")
    why_not.locator("summary", has_text="Why not covered").click()
    assert why_not.locator("dd").nth(0).inner_text() == gaps[0]["match"]["path"]
    reason = why_not.locator("dd").nth(2).inner_text()
    assert reason.startswith(("similarity ", "only ", "the article answers another group better")), reason
    gap_row.screenshot(path=str(screenshot_path("mine-report-why-not-covered")))


@pytest.mark.browser
def test_report_lists_the_drafts_mine_removed_as_answered_elsewhere(
    tmp_path: Path, repo_root: Path, run_cli: Callable[..., Result], page, screenshot_path: Callable[[str], Path]
) -> None:
    log = tmp_path / "questions.txt"
    log.write_text("what's the weather in Lisbon\nweather in Lisbon today\nis it raining in Lisbon\n", encoding="utf-8")
    _, data = mined_report(run_cli, repo_root, tmp_path, log, "--min-group-size", "2")
    draft = tmp_path / "content" / data["groups"][0]["draft"]["path"]
    # A writer answers the question in a new article of their own; the miner's draft is left as it was.
    front = draft.read_text(encoding="utf-8").split("---")[1].replace("status: draft", "status: published")
    draft.with_name("lisbon-weather.md").write_text(f"---{front}---\nSee the forecast on the city's page.\n", encoding="utf-8")
    result = run_cli("mine", log, "--content-dir", tmp_path / "content", "--report", tmp_path / "report.html", "--min-group-size", "2")
    assert result.exit_code == 0 and "1 removed" in result.output, result.output

    page.goto((tmp_path / "report.html").as_uri())
    heading = page.get_by_role("heading", name="Removed: 1 unedited draft answered elsewhere")
    assert heading.is_visible()
    removed = data["groups"][0]["draft"]["path"]
    assert page.locator("li code", has_text=removed).is_visible()
    assert not draft.exists()
    heading.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_path("mine-report-removed")), full_page=True)


@pytest.mark.browser
def test_report_lists_a_rejected_draft_apart_from_the_gaps(
    tmp_path: Path, repo_root: Path, run_cli: Callable[..., Result], page, screenshot_path: Callable[[str], Path]
) -> None:
    _, data = mined_report(run_cli, repo_root, tmp_path, LOG)
    gap = next(group for group in data["groups"] if not group["covered"])
    draft = tmp_path / "content" / gap["draft"]["path"]
    draft.write_text(draft.read_text(encoding="utf-8").replace("status: draft", "status: rejected", 1), encoding="utf-8")
    result = run_cli("mine", LOG, "--content-dir", tmp_path / "content", "--report", tmp_path / "report.html")
    assert result.exit_code == 0 and "1 rejected" in result.output, result.output

    page.goto((tmp_path / "report.html").as_uri())
    heading = page.get_by_role("heading", name="Rejected: 1 group a writer decided not to answer")
    assert heading.is_visible()
    table = heading.locator("xpath=following-sibling::div[contains(@class, 'panel')][1]")
    row = table.locator("tr", has=page.locator("code", has_text=gap["draft"]["path"]))
    assert row.locator(".tag.rejected").inner_text() == "rejected"
    gaps = page.get_by_role("heading", name="Gaps:").locator("xpath=following-sibling::div[contains(@class, 'panel')][1]")
    assert gaps.locator("code", has_text=gap["draft"]["path"]).count() == 0
    heading.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_path("mine-report-rejected")))
