"""CI publishing builds: the workflow files ``kbgen init`` writes, and the Markdown summary a build leaves for its run.

The summary goes to ``$GITHUB_STEP_SUMMARY`` (GitHub shows it on the run's page) and, in other CI
systems or on request, to a file: pages built, errors and warnings, drafts left out, broken links,
the coverage of the last ``kbgen mine`` and the size of the site.
"""

from __future__ import annotations

import html
import json
import logging
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kbgen import __version__
from kbgen.check import broken_links, check_tree
from kbgen.errors import KbgenError
from kbgen.load import CACHE_FILE, read_load_cache

log = logging.getLogger(__name__)

CI_SYSTEMS = ("github", "gitlab", "none")
# CI system -> (template under kbgen/scaffold_files/, where kbgen init writes it in the project)
WORKFLOWS = {
    "github": ("ci/github-workflow.yml", ".github/workflows/kbgen.yml"),
    "gitlab": ("ci/gitlab-ci.yml", ".gitlab-ci.yml"),
}
TEMPLATE_PACKAGE = "kbgen.scaffold_files"
VERSION_MARK = "@KBGEN_VERSION@"
STEP_SUMMARY_ENV = "GITHUB_STEP_SUMMARY"
SUMMARY_FILE = "build-summary.md"  # in the cache folder, when CI is set and there is no step summary
PROBLEMS_SHOWN = 20


def workflow_files(ci: str) -> dict[str, str]:
    """The workflow files for ``ci`` (github, gitlab or none), by path in the project; they install this kbgen version."""
    if ci not in CI_SYSTEMS:
        raise KbgenError("--ci", f"unknown CI system '{ci}'", hint=f"choose one of: {', '.join(CI_SYSTEMS)}")
    if ci == "none":
        return {}
    template, destination = WORKFLOWS[ci]
    text = resources.files(TEMPLATE_PACKAGE).joinpath(template).read_text(encoding="utf-8")
    return {destination: text.replace(VERSION_MARK, __version__)}


# -- the run summary ----------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """What the last ``kbgen mine`` found: the share of grouped questions a published article answers."""

    ratio: float
    grouped_questions: int
    covered_groups: int
    gap_groups: int
    report: str


@dataclass(frozen=True)
class SiteSize:
    pages: int  # HTML files
    files: int
    size_bytes: int


@dataclass(frozen=True)
class BuildSummary:
    """One build, as a CI run shows it."""

    succeeded: bool
    failure: str  # why the build failed ("" if it did not)
    seconds: float
    site_dir: str
    site: SiteSize | None  # None when the build did not produce a site
    errors: int  # the content's, as kbgen check counts them
    warnings: int
    other_warnings: int  # logged by MkDocs and its plugins during the build
    drafts_left_out: int  # drafts not built, the rejected ones included (never built, even with --drafts)
    drafts_included: bool
    broken_links: int
    problems: tuple[KbgenError, ...]  # the content's problems, as kbgen check reports them
    coverage: Coverage | None
    coverage_note: str = ""  # why there is no coverage figure
    drafts_rejected: int = 0  # of drafts_left_out, those with status: rejected


CONTENT_LOGGER = "mkdocs.plugins.kbgen"  # logs the content's problems, which the summary counts from kbgen check


class BuildLog(logging.Handler):
    """What a build logged: warnings other than the content's own, and the last error (why a failed build stopped)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.other_warnings = 0
        self.last_error = ""

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            self.last_error = record.getMessage()
        elif record.name != CONTENT_LOGGER:
            self.other_warnings += 1


@contextmanager
def recorded_log(*logger_names: str) -> Iterator[BuildLog]:
    """Record the warnings and errors logged under ``logger_names`` (default mkdocs and kbgen) while active."""
    handler = BuildLog()
    loggers = [logging.getLogger(name) for name in logger_names or ("mkdocs", "kbgen")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def measure_site(site_dir: Path) -> SiteSize:
    pages = files = size = 0
    for root, _folders, names in os.walk(site_dir):
        for name in names:
            files += 1
            pages += name.endswith(".html")
            try:
                size += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return SiteSize(pages, files, size)


def read_coverage(report_json: Path) -> tuple[Coverage | None, str]:
    """The coverage figure of a ``kbgen mine`` report.json, or None and why there is none."""
    try:
        data = json.loads(report_json.read_text(encoding="utf-8"))
        coverage = data["coverage"]
        return Coverage(float(coverage["ratio"]), int(coverage["grouped_questions"]), int(coverage["covered_groups"]), int(coverage["gap_groups"]), str(report_json)), ""
    except FileNotFoundError:
        return None, "no mining report yet (kbgen mine writes one)"
    except (OSError, ValueError, TypeError, KeyError) as error:
        return None, f"{report_json} is not a readable mining report ({type(error).__name__})"


def summary_targets(environ: Mapping[str, str], summary_file: Path | None, default_file: Path) -> list[Path]:
    """Where the summary goes: the step summary when GitHub gives one, ``--summary FILE``, else the default file in CI."""
    targets = [Path(environ[STEP_SUMMARY_ENV])] if environ.get(STEP_SUMMARY_ENV) else []
    if summary_file is not None:
        targets.append(summary_file)
    elif not targets and environ.get("CI"):
        targets.append(default_file)
    return targets


def write_summary(text: str, targets: list[Path], environ: Mapping[str, str]) -> None:
    """Append to GitHub's step summary (other steps write there too); replace any other file. Failures only warn."""
    step_summary = environ.get(STEP_SUMMARY_ENV)
    for target in targets:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "a" if step_summary and str(target) == step_summary else "w", encoding="utf-8") as stream:
                stream.write(text)
        except OSError as error:
            log.warning("cannot write the build summary to %s (%s)", target, error.strerror or error)


def _shown(path: Path) -> str:
    """A path as seen from the current folder when it is below it, else in full."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def _cell(text: object) -> str:
    """Text safe in a Markdown table cell: content (titles, questions) must not add markup to the CI page."""
    return html.escape(str(text)).replace("|", "&#124;").replace("`", "&#96;").replace("\r", " ").replace("\n", " ")


def _size(size_bytes: int) -> str:
    if size_bytes < 1000:
        return f"{size_bytes:,} bytes"
    if size_bytes < 1_000_000:
        return f"{size_bytes / 1000:.1f} KB"
    return f"{size_bytes / 1_000_000:,.1f} MB"


def render_summary(summary: BuildSummary, *, problems_shown: int = PROBLEMS_SHOWN) -> str:
    """The summary as GitHub-flavoured Markdown: a heading with the outcome, a table of figures, the first problems."""
    outcome = "built" if summary.succeeded else "build failed"
    lines = [f"## Help center {outcome}", ""]
    if summary.failure:
        lines += [f"**Error:** {_cell(summary.failure)}", ""]
    site = summary.site
    drafts = _drafts_cell(summary)
    if summary.coverage is not None:
        coverage = summary.coverage
        coverage_text = (
            f"{100 * coverage.ratio:.0f}% of {coverage.grouped_questions:,} grouped questions answered by a published article "
            f"({coverage.covered_groups:,} groups covered, {coverage.gap_groups:,} gaps)"
        )
    else:
        coverage_text = summary.coverage_note
    rows = [
        ("Pages built", f"{site.pages:,} HTML pages in {_cell(summary.site_dir)}" if site else "none"),
        ("Errors", f"{summary.errors:,}"),
        ("Warnings", f"{summary.warnings:,}" + (f" (and {summary.other_warnings:,} from MkDocs)" if summary.other_warnings else "")),
        ("Drafts left out", drafts),
        ("Broken links", f"{summary.broken_links:,}"),
        ("Question coverage (last `kbgen mine`)", _cell(coverage_text)),
        ("Site size", f"{_size(site.size_bytes)} in {site.files:,} files" if site else "none"),
        ("Build time", f"{summary.seconds:.1f} s"),
    ]
    lines += ["| | |", "| --- | --- |", *(f"| {name} | {value} |" for name, value in rows), ""]
    if summary.problems:
        shown = summary.problems[:problems_shown]
        more = f" (the first {len(shown)} of {len(summary.problems):,}; `kbgen check` lists them all)" if len(shown) < len(summary.problems) else ""
        lines += [f"### Content problems{more}", "", "| File | Line | Severity | Problem |", "| --- | --- | --- | --- |"]
        lines += [f"| {_cell(problem.path)} | {problem.line} | {problem.severity} | {_cell(problem.text())} |" for problem in shown]
        lines.append("")
    return "\n".join(lines) + "\n"


def _drafts_cell(summary: BuildSummary) -> str:
    """How many drafts the site leaves out, and of them how many a writer rejected (``status: rejected``)."""
    rejected = f"{summary.drafts_rejected:,} rejected" if summary.drafts_rejected else ""
    if summary.drafts_included:
        return f"{rejected} (other drafts included)" if rejected else "none (drafts included)"
    return f"{summary.drafts_left_out:,}" + (f" ({rejected})" if rejected else "")


def summarize_build(
    docs_dir: Path,
    site_dir: Path | None,
    *,
    cache_dir: Path,
    report_json: Path,
    seconds: float,
    build_log: BuildLog,
    drafts_included: bool,
    failure: str = "",
) -> BuildSummary:
    """Gather the figures of a build: the site as written, the content as ``kbgen check`` sees it, the last mining report.

    The content is checked again through the load cache the build left, so unchanged files are not parsed twice.
    """
    corpus, problems = check_tree(docs_dir, cache=read_load_cache(cache_dir / CACHE_FILE), cache_dir=cache_dir)
    coverage, coverage_note = read_coverage(report_json)
    built = site_dir is not None and not failure and site_dir.is_dir()
    return BuildSummary(
        succeeded=not failure,
        failure=(build_log.last_error or failure) if failure else "",
        seconds=seconds,
        site_dir=_shown(site_dir) if site_dir is not None else "",
        site=measure_site(site_dir) if built and site_dir is not None else None,
        errors=sum(problem.is_error for problem in problems),
        warnings=sum(not problem.is_error for problem in problems),
        other_warnings=build_log.other_warnings,
        drafts_left_out=len(corpus.rejected) + (0 if drafts_included else sum(article.is_draft for article in corpus.articles)),
        drafts_included=drafts_included,
        drafts_rejected=len(corpus.rejected),
        broken_links=sum(problem.is_error for problem in broken_links(corpus)),
        problems=tuple(problems),
        coverage=coverage,
        coverage_note=coverage_note,
    )
