"""The Markdown summary ``kbgen build`` writes for a CI run: where it goes and what it says."""

from __future__ import annotations

import json
from pathlib import Path

from kbgen.ci import BuildLog, render_summary, summarize_build, summary_targets, write_summary

DRAFT = "---\ntitle: Soon\nstatus: draft\n---\nComing.\n"
REJECTED = "---\ntitle: Where do you work?\nstatus: rejected\n---\nNot a question for the help center.\n"
LINKING = "---\ntitle: Plans\nstatus: published\n---\nSee [gone](gone.md) and [soon](soon.md).\n"
HOSTILE = "---\ntitle: Refund <script>alert(1)</script> | `x`\nstatus: wrong\n---\nAnswer.\n"


def summary_of(tmp_path: Path, content: Path, *, drafts: bool = False, failure: str = "") -> str:
    site = tmp_path / "site"
    (site / "faq").mkdir(parents=True, exist_ok=True)
    (site / "index.html").write_text("<html>home</html>", encoding="utf-8")
    (site / "faq" / "index.html").write_text("<html>faq</html>", encoding="utf-8")
    (site / "search.json").write_text("{}", encoding="utf-8")
    summary = summarize_build(
        content,
        site,
        cache_dir=tmp_path / ".kbgen",
        report_json=tmp_path / ".kbgen" / "report.json",
        seconds=1.25,
        build_log=BuildLog(),
        drafts_included=drafts,
        failure=failure,
    )
    return render_summary(summary)


def test_summary_goes_to_the_github_step_summary_when_set(tmp_path):
    default = tmp_path / ".kbgen" / "build-summary.md"
    assert summary_targets({"GITHUB_STEP_SUMMARY": "/run/summary", "CI": "true"}, None, default) == [Path("/run/summary")]
    assert summary_targets({"CI": "true"}, None, default) == [default]
    assert summary_targets({}, None, default) == []
    assert summary_targets({}, tmp_path / "mine.md", default) == [tmp_path / "mine.md"]
    assert summary_targets({"GITHUB_STEP_SUMMARY": "/run/summary"}, tmp_path / "mine.md", default) == [Path("/run/summary"), tmp_path / "mine.md"]


def test_step_summary_is_appended_to_and_a_file_replaced(tmp_path):
    step, file = tmp_path / "step.md", tmp_path / "file.md"
    step.write_text("earlier step\n", encoding="utf-8")
    file.write_text("old build\n", encoding="utf-8")
    write_summary("## new\n", [step, file], {"GITHUB_STEP_SUMMARY": str(step)})
    assert step.read_text(encoding="utf-8") == "earlier step\n## new\n"
    assert file.read_text(encoding="utf-8") == "## new\n"


def test_summary_counts_pages_drafts_broken_links_and_site_size(tmp_path, write_tree):
    content = write_tree({"faq/billing/soon.md": DRAFT, "faq/billing/plans.md": LINKING})
    text = summary_of(tmp_path, content)
    assert text.startswith("## Help center built\n")
    assert "| Pages built | 2 HTML pages in " in text
    assert "| Errors | 1 |" in text and "| Warnings | 1 |" in text
    assert "| Drafts left out | 1 |" in text
    assert "| Broken links | 1 |" in text
    assert "| Site size | 35 bytes in 3 files |" in text
    assert "| faq/billing/plans.md | 5 | error | broken link to &#x27;gone.md&#x27;" in text
    assert "| Drafts left out | none (drafts included) |" in summary_of(tmp_path, content, drafts=True)


def test_summary_counts_rejected_drafts_as_left_out_even_with_drafts_included(tmp_path, write_tree):
    content = write_tree({"faq/billing/soon.md": DRAFT, "faq/billing/where.md": REJECTED, "faq/billing/plans.md": LINKING})
    assert "| Drafts left out | 2 (1 rejected) |" in summary_of(tmp_path, content)
    # --drafts builds the drafts, never the rejected ones: the summary must not say none is left out.
    assert "| Drafts left out | 1 rejected (other drafts included) |" in summary_of(tmp_path, content, drafts=True)


def test_summary_shows_the_coverage_of_the_last_mining_report(tmp_path, write_tree):
    content = write_tree({"faq/billing/plans.md": LINKING})
    (tmp_path / ".kbgen").mkdir()
    report = {"kbgen_report": 1, "coverage": {"ratio": 0.7234, "covered_questions": 300, "grouped_questions": 415, "covered_groups": 18, "gap_groups": 7}}
    (tmp_path / ".kbgen" / "report.json").write_text(json.dumps(report), encoding="utf-8")
    text = summary_of(tmp_path, content)
    assert "| Question coverage (last `kbgen mine`) | 72% of 415 grouped questions answered by a published article (18 groups covered, 7 gaps) |" in text
    (tmp_path / ".kbgen" / "report.json").write_text("{not json", encoding="utf-8")
    assert "is not a readable mining report" in summary_of(tmp_path, content)
    (tmp_path / ".kbgen" / "report.json").unlink()
    assert "no mining report yet" in summary_of(tmp_path, content)


def test_content_in_the_summary_cannot_add_markup(tmp_path, write_tree):
    content = write_tree({"faq/billing/hostile.md": HOSTILE})
    text = summary_of(tmp_path, content, failure="1 content error(s) in content <b>")
    assert "<script>" not in text and "<b>" not in text
    problem_rows = [line for line in text.splitlines() if line.startswith("| faq/billing/hostile.md")]
    assert problem_rows and all(line.count(" | ") == 3 for line in problem_rows)
    assert text.startswith("## Help center build failed\n\n**Error:** 1 content error(s) in content &lt;b&gt;\n")
    assert "| Pages built | none |" in text
