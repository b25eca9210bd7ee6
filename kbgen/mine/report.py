"""The mining report: ``report.json`` (plain data) and a self-contained ``report.html`` built from it.

The HTML needs no network: styles are inline and the charts are inline SVG. Everything in it was
cleaned and masked by ``kbgen.mine.clean`` before it got here, and is HTML-escaped on the way out.
``summary_lines`` is the terminal version, shared by ``kbgen mine`` and ``kbgen report``.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from kbgen.content import write_text_atomically
from kbgen.errors import KbgenError
from kbgen.mine.rank import rising_groups
from kbgen.mine.records import MiningSummary, QuestionGroup
from kbgen.mine.site_events import SiteFeedback, feedback_data

REPORT_VERSION = 1
CHART_GROUPS = 15
COVERED_COLOUR = "#2e7d32"
GAP_COLOUR = "#e65100"


def group_data(rank: int, group: QuestionGroup) -> dict[str, Any]:
    match = group.match
    return {
        "rank": rank,
        "id": group.group_id,
        "title": group.title,
        "questions": list(group.questions),
        "asked": group.asked,
        "recent": group.recent,
        "previous": group.previous,
        "trend": group.trend,
        "keywords": list(group.keywords),
        "covered": group.covered,
        "category": group.category,
        "match": None
        if match is None
        else {
            "path": match.path,
            "title": match.title,
            "url": match.url,
            "similarity": match.similarity,
            "search_score": match.search_score,
            "question": match.question,
            "variant": match.variant,
            "margin": match.margin,
            "runner_up": match.runner_up,
            "closer_group": match.closer_group,
            "duplicate": match.duplicate,
        },
        "draft": {"path": group.draft_path, "state": group.draft_state} if group.draft_path else None,
    }


def report_data(summary: MiningSummary, site: SiteFeedback | None = None) -> dict[str, Any]:
    """The report as plain JSON-ready data (groups in rank order); ``site``: what the help center's events said."""
    groups = list(summary.groups)
    covered_groups = sum(group.covered for group in groups)
    data = {
        "kbgen_report": REPORT_VERSION,
        "sources": list(summary.sources),
        "questions": summary.questions,
        "skipped_rows": summary.skipped_rows,
        "empty_questions": summary.empty_questions,
        "noise": summary.noise,
        "grouped": summary.grouped,
        "newest": summary.newest,
        "coverage": {
            "ratio": round(summary.coverage_ratio, 4),
            "covered_questions": summary.covered_questions,
            "grouped_questions": summary.grouped,
            "covered_groups": covered_groups,
            "gap_groups": len(groups) - covered_groups,
        },
        "groups": [group_data(rank, group) for rank, group in enumerate(groups, start=1)],
        "rising": [group.group_id for group in rising_groups(groups)],
        "drafts": {**_draft_counts(groups), "removed": len(summary.removed_drafts)},
        "removed_drafts": list(summary.removed_drafts),
        "updated_articles": list(summary.updated_articles),
        "settings": dict(summary.settings),
    }
    if site is not None:
        data["site"] = feedback_data(site, data["groups"])
        badly = {vote["page"] for vote in data["site"]["votes"] if vote["covered_badly"]}
        for group in data["groups"]:
            group["covered_badly"] = bool(group["covered"] and group["match"] and group["match"]["url"] in badly)
    return data


def _draft_counts(groups: list[QuestionGroup]) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "unchanged": 0, "kept": 0, "rejected": 0}
    for group in groups:
        if group.draft_state:
            counts[group.draft_state] = counts.get(group.draft_state, 0) + 1
    return counts


def write_report(summary: MiningSummary, html_path: Path, site: SiteFeedback | None = None) -> tuple[Path, Path]:
    """Write ``report.html`` and, beside it, ``report.json`` (same stem). Returns both paths."""
    data = report_data(summary, site)
    json_path = html_path.with_suffix(".json")
    write_text_atomically(json_path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    write_text_atomically(html_path, render_html(data))
    return html_path, json_path


def load_report(path: Path) -> dict[str, Any]:
    """Read a report.json written by ``kbgen mine``. Raises KbgenError if it is missing or not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KbgenError(str(path), "report not found", hint="run 'kbgen mine LOG...' first, or pass the report.json it wrote") from None
    except OSError as error:
        raise KbgenError(str(path), f"cannot read report: {error.strerror or error}") from None
    try:
        data = json.loads(text)
    except ValueError as error:
        line = getattr(error, "lineno", 1)
        raise KbgenError(str(path), f"report is not valid JSON ({getattr(error, 'msg', error)})", line) from None
    if not isinstance(data, dict) or data.get("kbgen_report") != REPORT_VERSION:
        raise KbgenError(str(path), "not a kbgen mining report", hint="pass the report.json written by 'kbgen mine'")
    return data


def percent(ratio: float) -> str:
    return f"{100 * ratio:.0f}%"


def _trend_text(group: dict[str, Any]) -> str:
    if not group["trend"]:
        return ""
    return f"{group['trend']}: {group['previous']} → {group['recent']}"


def summary_lines(data: dict[str, Any], top: int = 10) -> list[str]:
    """The report in a few terminal lines: counts, coverage, top groups, rising groups."""
    coverage = data["coverage"]
    groups = data["groups"]
    drafts = data["drafts"]
    lines = [
        f"questions: {data['questions']} read, {data['grouped']} in {len(groups)} groups, {data['noise']} left out as noise"
        + (f", {data['skipped_rows']} bad rows skipped" if data["skipped_rows"] else ""),
        f"coverage: {percent(coverage['ratio'])} of grouped questions are answered by a published article "
        f"({coverage['covered_groups']} groups covered, {coverage['gap_groups']} gaps)",
    ]
    if any(drafts.values()):
        lines.append(
            f"drafts: {drafts['created']} created, {drafts['updated']} updated, {drafts['unchanged']} unchanged, "
            f"{drafts['kept']} kept (edited by a writer)"
            + (f", {drafts['rejected']} rejected (status: rejected, not drafted again)" if drafts.get("rejected") else "")
            + (f", {drafts['removed']} removed (answered by an article or a newer draft)" if drafts.get("removed") else "")
        )
    if data["updated_articles"]:
        lines.append(f"asked updated on {len(data['updated_articles'])} article(s)")
    if groups:
        lines.append(f"top {min(top, len(groups))} groups:")
        width = len(str(groups[0]["asked"]))
        for group in groups[:top]:
            where = f"→ {group['match']['path']}" if group["covered"] else f"gap → {group['draft']['path']}" if group["draft"] else "gap"
            lines.append(f"  {group['asked']:>{width}}  {group['title']}  [{where}]")
    rising = [group for group in groups if group["id"] in set(data["rising"])]
    if rising:
        lines.append("rising in the last 30 days:")
        for group in sorted(rising, key=lambda item: data["rising"].index(item["id"]))[:5]:
            lines.append(f"  +{group['recent'] - group['previous']}  {group['title']}  ({group['previous']} → {group['recent']})")
    if "site" in data:
        site = data["site"]
        badly = sum(vote["covered_badly"] for vote in site["votes"])
        lines.append(
            f"help center: {site['events']} events, {site['failed_searches']} searches found nothing "
            f"({len(site['search_groups'])} groups), {badly} article(s) voted not helpful, "
            f"{sum(item['count'] for item in site['answered'])} questions answered by a suggestion"
        )
    return lines


# ---- HTML ---------------------------------------------------------------------------------------

STYLE = """
:root { --ink: #1d2433; --muted: #5b6474; --line: #e3e6ec; --covered: COVERED_COLOUR; --gap: GAP_COLOUR; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7f9; }
main { max-width: 1080px; margin: 0 auto; padding: 32px 24px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 36px 0 12px; }
.muted { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin-top: 20px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.card .value { font-size: 28px; font-weight: 700; }
.card.coverage .value { color: var(--covered); font-size: 40px; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 16px; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 13px; color: var(--muted); font-weight: 600; }
td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.tag { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; color: #fff; }
.tag.covered { background: var(--covered); }
.tag.gap { background: var(--gap); }
.tag.rejected { background: #5f6b7a; }
.rising { color: #c62828; font-weight: 600; }
details summary { cursor: pointer; color: var(--muted); font-size: 13px; }
details ul { margin: 6px 0 0 18px; padding: 0; }
details.why dl { margin: 6px 0 0; font-size: 13px; }
details.why dt { color: var(--muted); }
details.why dd { margin: 0 0 4px; }
code { font-size: 13px; background: #f0f2f5; padding: 1px 5px; border-radius: 4px; }
.legend span { margin-right: 16px; font-size: 13px; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
""".replace("COVERED_COLOUR", COVERED_COLOUR).replace("GAP_COLOUR", GAP_COLOUR)


def render_html(data: dict[str, Any]) -> str:
    """The whole report page as one HTML string (no external resources)."""
    coverage = data["coverage"]
    groups = data["groups"]
    # A gap a writer rejected (``status: rejected``) is still unanswered, but nothing is left to do for it.
    rejected = [group for group in groups if not group["covered"] and (group["draft"] or {}).get("state") == "rejected"]
    gaps = [group for group in groups if not group["covered"] and group not in rejected]
    covered = [group for group in groups if group["covered"]]
    rising_ids = data["rising"]
    rising = sorted((group for group in groups if group["id"] in set(rising_ids)), key=lambda group: rising_ids.index(group["id"]))
    sources = ", ".join(Path(source).name for source in data["sources"])
    newest = f" · newest question {escape(data['newest'][:10])}" if data["newest"] else ""
    drafts = data["drafts"]
    cards = [
        ("coverage", percent(coverage["ratio"]), f"of {coverage['grouped_questions']} grouped questions already answered"),
        ("", str(data["questions"]), "questions read"),
        ("", str(len(groups)), f"groups ({coverage['gap_groups']} gaps)"),
        ("", str(data["noise"]), "left out as noise"),
        ("", str(drafts.get("created", 0) + drafts.get("updated", 0)), "drafts written"),
    ]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Question mining report</title>",
        f"<style>{STYLE}</style></head><body><main>",
        "<h1>What customers ask</h1>",
        f'<p class="muted">From {escape(sources)}{newest}</p>',
        '<section class="cards">',
        *(
            f'<div class="card {kind}"><div class="value">{escape(value)}</div><div class="muted">{escape(label)}</div></div>'
            for kind, value, label in cards
        ),
        "</section>",
        "<h2>Covered and gaps</h2>",
        f'<div class="panel">{coverage_bar(coverage)}</div>',
        f"<h2>Top {min(CHART_GROUPS, len(groups))} groups by volume</h2>",
        f'<div class="panel">{legend()}{bar_chart(groups[:CHART_GROUPS])}</div>',
    ]
    if rising:
        parts += ["<h2>Rising in the last 30 days</h2>", _rising_table(rising)]
    if "site" in data:
        parts += _site_section(data["site"], {group["id"]: group for group in groups})
    parts += [
        f"<h2>Gaps: {len(gaps)} groups without an article</h2>",
        _groups_table(gaps, "Draft", data["settings"]),
    ]
    if rejected:
        parts += [
            f"<h2>Rejected: {len(rejected)} group{'' if len(rejected) == 1 else 's'} a writer decided not to answer</h2>",
            '<p class="muted">Their drafts say <code>status: rejected</code>: never published, and kbgen mine writes no draft for them again. '
            "They still count as unanswered in the coverage figure.</p>",
            _groups_table(rejected, "Draft", data["settings"]),
        ]
    parts += [
        f"<h2>Covered: {len(covered)} groups answered by an article</h2>",
        _groups_table(covered, "Article", data["settings"]),
    ]
    removed = data.get("removed_drafts", [])
    if removed:
        parts += [
            f"<h2>Removed: {len(removed)} unedited draft{'' if len(removed) == 1 else 's'} answered elsewhere</h2>",
            '<p class="muted">Drafts kbgen mine wrote on an earlier run, unedited since, that <code>kbgen check</code> would now call a copy of '
            "an article published since or of a newer draft of the same question.</p>",
            "<ul>" + "".join(f"<li><code>{escape(path)}</code></li>" for path in removed) + "</ul>",
        ]
    parts += [
        f'<p class="muted">A group counts as answered when its wordings are asked the same way as the question variants of one published article '
        f"(mean cosine to the closest variant at least {escape(str(data['settings'].get('coverage_threshold', '')))}, "
        f"at least {escape(str(data['settings'].get('coverage_margin', '')))} above the next closest article, and no other group of the log closer to that article; "
        "or, short of that, when <code>kbgen check</code> would call the group's draft a likely duplicate of its closest article; "
        f"open <em>Why covered</em> to see the pair, <em>Why not covered</em> beside a gap to see what was missing). "
        f"Grouping: {escape(str(data['settings'].get('grouping', '')))}. Trends: questions in the 30 days before the last 30 days of the log → in the last 30 days.</p>",
        "</main></body></html>",
    ]
    return "\n".join(parts) + "\n"


def legend() -> str:
    return (
        f'<p class="legend"><span><i style="background:{COVERED_COLOUR}"></i>covered by an article</span>'
        f'<span><i style="background:{GAP_COLOUR}"></i>gap</span></p>'
    )


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(groups: list[dict[str, Any]], width: int = 1000) -> str:
    """Horizontal bars: one per group, length by volume, colour by coverage."""
    if not groups:
        return '<p class="muted">No groups found.</p>'
    row, label_width, value_width = 28, 420, 60
    most = max(group["asked"] for group in groups) or 1
    bar_space = width - label_width - value_width
    height = row * len(groups) + 4
    items = [
        f'<svg role="img" aria-label="Top groups by number of questions" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="13">'
    ]
    for index, group in enumerate(groups):
        y = index * row + 2
        length = max(2, round(bar_space * group["asked"] / most))
        colour = COVERED_COLOUR if group["covered"] else GAP_COLOUR
        title = escape(group["title"])
        items.append(
            f'<g><title>{title}: {group["asked"]} questions</title>'
            f'<text x="{label_width - 10}" y="{y + 18}" text-anchor="end" fill="#1d2433">{escape(_truncate(group["title"], 58))}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{length}" height="{row - 8}" rx="3" fill="{colour}"/>'
            f'<text x="{label_width + length + 6}" y="{y + 18}" fill="#5b6474">{group["asked"]}</text></g>'
        )
    items.append("</svg>")
    return "".join(items)


def coverage_bar(coverage: dict[str, Any], width: int = 1000) -> str:
    """One stacked bar: questions answered by an article against questions in gaps."""
    total = coverage["grouped_questions"]
    if not total:
        return '<p class="muted">No grouped questions.</p>'
    covered_width = round(width * coverage["covered_questions"] / total)
    gap_questions = total - coverage["covered_questions"]
    return (
        f'<svg role="img" aria-label="Covered against gap questions" viewBox="0 0 {width} 64" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="14">'
        f'<rect x="0" y="0" width="{covered_width}" height="34" fill="{COVERED_COLOUR}"/>'
        f'<rect x="{covered_width}" y="0" width="{width - covered_width}" height="34" fill="{GAP_COLOUR}"/>'
        f'<text x="0" y="56" fill="#1d2433">covered: {coverage["covered_questions"]} questions in {coverage["covered_groups"]} groups</text>'
        f'<text x="{width}" y="56" text-anchor="end" fill="#1d2433">gaps: {gap_questions} questions in {coverage["gap_groups"]} groups</text>'
        "</svg>"
    )


def _questions_cell(group: dict[str, Any]) -> str:
    cell = f"<strong>{escape(group['title'])}</strong>"
    if group["questions"]:
        listed = "".join(f"<li>{escape(question)}</li>" for question in group["questions"])
        cell += f"<details><summary>{len(group['questions'])} other wordings</summary><ul>{listed}</ul></details>"
    return cell


def _groups_table(groups: list[dict[str, Any]], target: str, settings: dict[str, Any]) -> str:
    if not groups:
        return '<p class="muted">None.</p>'
    rows = []
    for group in groups:
        if target == "Article":
            match = group["match"]
            where = f"<code>{escape(match['path'])}</code>{_why_covered(match)}"
        else:
            draft = group["draft"]
            where = f"<code>{escape(draft['path'])}</code><br><span class=\"muted\">{escape(draft['state'])}</span>" if draft else ""
            where += _why_not_covered(group["match"], settings) if group["match"] else ""
        trend = _trend_text(group)
        trend_cell = f'<span class="rising">{escape(trend)}</span>' if group["trend"] in ("rising", "new") else escape(trend)
        rows.append(
            f"<tr><td class=\"number\">{group['rank']}</td><td>{_questions_cell(group)}</td><td class=\"number\">{group['asked']}</td>"
            f"<td>{trend_cell}</td><td>{escape(group['category'])}</td><td>{_status_tag(group)}<br>{where}</td></tr>"
        )
    header = f"<tr><th>#</th><th>Question</th><th>Asked</th><th>Trend</th><th>Category</th><th>{target}</th></tr>"
    return f'<div class="panel"><table>{header}{"".join(rows)}</table></div>'


def _site_section(site: dict[str, Any], groups: dict[int, dict[str, Any]]) -> list[str]:
    """What customers did on the help center: failed searches by group, votes, answered questions."""
    searched = [(groups[item["id"]], item["failed_searches"]) for item in site["search_groups"] if item["id"] in groups]
    search_rows = "".join(
        f"<tr><td>{_questions_cell(group)}</td><td class=\"number\">{failed}</td><td class=\"number\">{group['asked']}</td><td>{_status_tag(group)}</td></tr>"
        for group, failed in searched
    )
    vote_rows = "".join(
        f"<tr><td>{escape(vote['title'] or vote['page'])}<br><code>{escape(vote['page'])}</code></td>"
        f"<td class=\"number\">{vote['helpful']}</td><td class=\"number\">{vote['not_helpful']}</td>"
        f"<td>{escape(', '.join(f'{reason} ({count})' for reason, count in vote['reasons'].items()))}"
        + "".join(f"<br><q>{escape(comment)}</q>" for comment in vote["comments"])
        + "</td><td>" + ('<span class="tag gap">covered badly</span>' if vote["covered_badly"] else "") + "</td></tr>"
        for vote in site["votes"]
    )
    answered = "".join(f"<li>{escape(item['title'] or item['page'])} ({item['count']})</li>" for item in site["answered"])
    return [
        f"<h2>From the help center: {site['events']} events</h2>",
        f'<p class="muted">{site["failed_searches"]} searches found nothing on the site. A group made mostly of them counts as a gap; '
        "an article with at least as many “not helpful” as “helpful” votes covers its groups badly.</p>",
        "<h3>Searches that found nothing</h3>",
        f'<div class="panel"><table><tr><th>Question</th><th>Failed searches</th><th>Asked</th><th></th></tr>{search_rows}</table></div>'
        if search_rows else '<p class="muted">None grouped.</p>',
        "<h3>Was this helpful?</h3>",
        f'<div class="panel"><table><tr><th>Page</th><th>Yes</th><th>No</th><th>Why not</th><th></th></tr>{vote_rows}</table></div>'
        if vote_rows else '<p class="muted">No votes.</p>',
        "<h3>Suggestions that answered the contact form</h3>",
        f'<div class="panel"><ul>{answered}</ul></div>' if answered else '<p class="muted">None.</p>',
    ]


def _why_covered(match: dict[str, Any]) -> str:
    """Why a group counts as answered: the customer wording and the article's question it is closest to."""
    if not match.get("variant"):
        return f'<br><span class="muted">similarity {match["similarity"]:.2f}</span>'
    return (
        '<details class="why"><summary>Why covered</summary><dl>'
        f"<dt>Customers ask</dt><dd>{escape(match['question'])}</dd>"
        f"<dt>The article is asked</dt><dd>{escape(match['variant'])}</dd>"
        f"<dt>Similarity</dt><dd>{match['search_score']:.2f} for this pair, {match['similarity']:.2f} over the group's wordings</dd>"
        + (
            f"<dt>Next closest article</dt><dd>{escape(match['runner_up'])}, {match.get('margin', 0.0):.2f} behind</dd>"
            if match.get("runner_up")
            else ""
        )
        + (
            f"<dt>kbgen check</dt><dd>would call a draft of this group a likely duplicate of the article "
            f"(relatedness {match['duplicate']:.2f})</dd>"
            if match.get("duplicate")
            else ""
        )
        + "</dl></details>"
    )


def _why_not_covered(match: dict[str, Any], settings: dict[str, Any]) -> str:
    """Why a gap is not answered by the closest published article: which test of the rule it failed."""
    threshold, margin = settings.get("coverage_threshold"), settings.get("coverage_margin")
    if match.get("closer_group"):
        reason = f"the article answers another group better: “{escape(match['closer_group'])}”"
    elif isinstance(threshold, int | float) and match["similarity"] < threshold:
        reason = f"similarity {match['similarity']:.2f} is below {threshold}"
    elif isinstance(margin, int | float) and match.get("margin", 0.0) < margin and match.get("runner_up"):
        reason = f"only {match['margin']:.2f} ahead of {escape(match['runner_up'])}"
    else:
        reason = "it did not pass the coverage rule"
    return (
        '<details class="why why-not"><summary>Why not covered</summary><dl>'
        f"<dt>Closest article</dt><dd>{escape(match['path'])}</dd>"
        f"<dt>Similarity</dt><dd>{match['similarity']:.2f} over the group's wordings</dd>"
        f"<dt>Not covered because</dt><dd>{reason}</dd></dl></details>"
    )


def _status_tag(group: dict[str, Any]) -> str:
    if group.get("covered_badly"):
        return '<span class="tag covered">covered</span> <span class="tag gap">covered badly</span>'
    if group["covered"]:
        return '<span class="tag covered">covered</span>'
    if (group.get("draft") or {}).get("state") == "rejected":
        return '<span class="tag gap">gap</span> <span class="tag rejected">rejected</span>'
    return '<span class="tag gap">gap</span>'


def _rising_table(groups: list[dict[str, Any]]) -> str:
    rows = "".join(
        f"<tr><td>{escape(group['title'])}</td><td class=\"number\">{group['previous']}</td><td class=\"number\">{group['recent']}</td>"
        f"<td class=\"number rising\">+{group['recent'] - group['previous']}</td><td>{_status_tag(group)}</td></tr>"
        for group in groups
    )
    header = "<tr><th>Question</th><th>30 days before</th><th>Last 30 days</th><th>Change</th><th></th></tr>"
    return f'<div class="panel"><table>{header}{rows}</table></div>'
