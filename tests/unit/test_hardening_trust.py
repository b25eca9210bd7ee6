"""The trust boundary: untrusted text reaches trusted files only as inert Markdown; re-import keeps writers' edits.

Threads and customer questions are untrusted; FAQ articles are trusted (the site renders them
with its own Markdown, raw HTML allowed). ``kbgen promote`` and ``kbgen mine`` carry untrusted
text into articles, so every XSS vector of tests/browser/xss_vectors.txt and
../shared/repro/xss_vectors_extra.txt goes through them, the result is published and built
with MkDocs, and the built HTML is parsed: no script, no ``on*`` attribute, no ``javascript:``
URL. Re-import and the staging folders of killed imports are tested on real exports and with a
process that is really killed.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from click.testing import CliRunner
from writer_actions import publish
from xss_vectors import VECTORS

from kbgen.build import build_site
from kbgen.cli import main
from kbgen.community.promote import promote_thread, promoted_answer_markdown
from kbgen.community.records import unplaced_thread
from kbgen.community.store import (
    STAGING_PREFIX,
    WRITTEN_FILE,
    ImportOptions,
    ImportReport,
    claim_staging,
    import_threads,
    release_staging,
    remove_stale_staging,
)
from kbgen.mine.clean import clean_question
from kbgen.mine.drafts import render_draft
from kbgen.mine.records import QuestionGroup
from kbgen.model import Post, Thread
from kbgen.scaffold import init_project

REPO_ROOT = Path(__file__).resolve().parents[2]
# The trusted side at its most permissive: the demo site's extensions (raw HTML, attribute lists, HTML blocks).
SITE_EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.details", "pymdownx.superfences", "pymdownx.keys"]
MKDOCS_YML = (
    "site_name: Trust test\nsite_url: https://help.example.com/\ndocs_dir: content\ntheme:\n  name: material\n  font: false\n"
    "markdown_extensions:\n" + "".join(f"  - {name}\n" for name in SITE_EXTENSIONS) + "plugins:\n  - search\n  - kbgen\n"
)
LIVE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "style", "form", "input", "button", "svg", "math", "textarea", "select", "template", "noscript"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcset", "lowsrc", "dynsrc", "codebase", "cite"}
SAFE_SCHEMES = {"", "http", "https", "mailto"}


class _Elements(HTMLParser):
    """Every start tag with its attributes, and whether it sits inside the page's <article> (the content)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str], bool]] = []
        self.scripts: list[tuple[str, str]] = []  # (type, text) of every <script>, the theme's own included
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += tag == "article"
        self.elements.append((tag, {name: value or "" for name, value in attrs}, self.depth > 0))
        if tag == "script":
            self.scripts.append((dict(attrs).get("type") or "", ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}, self.depth > 0))

    def handle_data(self, data: str) -> None:
        if self.lasttag == "script" and self.scripts:
            self.scripts[-1] = (self.scripts[-1][0], self.scripts[-1][1] + data)

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag == "article" and self.depth > 0


def scheme_of(url: str) -> str:
    """The scheme a browser would see: control characters and spaces that it ignores removed first."""
    cleaned = re.sub(r"[\x00-\x20]", "", url).lower()
    match = re.match(r"^([a-z][a-z0-9+.-]*):", cleaned)
    return match.group(1) if match else ""


def live_markup(html: str, *, whole_page: bool = False) -> list[str]:
    """What in ``html`` could run: live elements (in the content), ``on*`` attributes and unsafe URLs (anywhere)."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    found = []
    for tag, attributes, in_content in parser.elements:
        if tag in LIVE_TAGS and (in_content or not whole_page):
            found.append(f"<{tag}>")
        for name, value in attributes.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and any(scheme_of(part.split(" ")[0]) not in SAFE_SCHEMES for part in value.split(",")):
                found.append(f"<{tag} {name}={value[:40]}>")
            if name == "style" and (in_content or not whole_page):
                found.append(f"<{tag} style>")
    # Outside the content only the theme's scripts may be: none calls what the vectors call. Structured
    # data (JSON-LD) is not run and holds the page's text, but it must not be able to close its element.
    for kind, script in parser.scripts:
        if (kind == "application/ld+json" and "<" in script) or (kind != "application/ld+json" and re.search(r"__xss|alert|document\.domain", script)):
            found.append(f"<script type={kind}>{script[:40]}")
    return found


def site_markdown(text: str) -> str:
    return markdown.markdown(text, extensions=SITE_EXTENSIONS)


def new_project(tmp_path: Path) -> Path:
    """A starter project (``kbgen init``) whose site renders articles with the permissive extensions."""
    init_project(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    return tmp_path


def built_page(site: Path, content_path: Path, content: Path) -> str:
    return (site / content_path.relative_to(content).with_suffix("") / "index.html").read_text(encoding="utf-8")


def category_of(content: Path) -> str:
    return sorted(path.name for path in (content / "community").iterdir() if path.is_dir())[0]


# --- promote -------------------------------------------------------------------------------------


@pytest.mark.parametrize("vector", VECTORS)
def test_promoted_answer_renders_inert_on_a_trusted_page(vector: str) -> None:
    assert live_markup(site_markdown(promoted_answer_markdown(f"Use Export.\n\n{vector}\n\nInline {vector} too.\n"))) == []


def test_promoted_answer_keeps_its_formatting_code_and_links() -> None:
    answer = "Go to **Settings** and *Billing*:\n\n```sh\necho '<script>'\n```\n\nSee [the docs](https://example.com/docs).\n"
    assert promoted_answer_markdown(answer) == answer


def test_promote_repro_answer_with_onerror_is_published_without_it(tmp_path: Path) -> None:
    """../shared/repro/promote-xss: the thread page was safe, the promoted article ran the handler."""
    root = new_project(tmp_path)
    content = root / "content"
    category = category_of(content)
    thread = content / "community" / category / "evil.md"
    thread.write_text(
        textwrap.dedent("""\
            ---
            title: How do I export invoices to CSV
            author: mallory
            date: 2026-03-01
            solved: true
            answers:
              - author: mallory
                date: 2026-03-02
                accepted: true
                body: |
                  Use Export. <img src=x onerror="alert(document.domain)">
            source: https://forum.example.com/t/99
            source_id: "99"
            ---
            How?
            """),
        encoding="utf-8",
    )
    article = promote_thread(thread)
    assert "onerror" not in article.read_text(encoding="utf-8")
    publish(article)
    site = build_site(root / "mkdocs.yml", site_dir=root / "site")
    page = built_page(site, article, content)
    assert "Use Export." in page
    assert live_markup(page, whole_page=True) == []


def test_promoted_article_made_of_every_vector_builds_without_live_markup(tmp_path: Path) -> None:
    root = new_project(tmp_path)
    content = root / "content"
    category = category_of(content)
    front_matter = {
        "title": "How do I export invoices </title><script>window.__xss('title')</script><img src=x onerror=window.__xss('promote-title')> {: onclick=x}",
        "author": "mallory",
        "date": "2026-03-01",
        "solved": True,
        "tags": ["safe"],
        "answers": [
            {
                "author": "mallory <b onmouseover=window.__xss('author')> [x](javascript:alert(1))",
                "date": "2026-03-02",
                "accepted": True,
                "body": "Open Billing, then choose Export as CSV.\n\n" + "\n\n".join(VECTORS) + "\n",
            }
        ],
        "source": "x onmouseover=window.__xss('source')",
        "source_id": "99",
        "license": "<img src=x onerror=window.__xss('license')>",
    }
    thread = content / "community" / category / "promote-me.md"
    thread.write_text(f"---\n{yaml.safe_dump(front_matter, allow_unicode=True, sort_keys=False)}---\nHow?\n", encoding="utf-8")
    article = promote_thread(thread)
    publish(article)
    site = build_site(root / "mkdocs.yml", site_dir=root / "site")
    page = built_page(site, article, content)
    assert "Open Billing, then choose Export as CSV." in page
    assert "Answer by mallory" in page
    assert live_markup(page, whole_page=True) == []


# --- mine ----------------------------------------------------------------------------------------


def test_cleaning_decodes_entities_before_stripping_tags() -> None:
    cleaned = clean_question("How do I export to excel <b>now</b> &lt;img src=x onerror=alert(document.domain)&gt; 0?")
    assert cleaned == "How do I export to excel now 0?"


def test_text_without_tags_keeps_its_entities_as_typed() -> None:
    assert clean_question("Why does 1 &lt; 2 show as &lt;b&gt;?") == "Why does 1 &lt; 2 show as &lt;b&gt;?"


@pytest.mark.parametrize("vector", VECTORS)
def test_a_draft_titled_with_a_vector_renders_inert(vector: str) -> None:
    title = " ".join(f"How do I fix {vector}?".split())
    group = QuestionGroup(group_id=1, title=title, questions=(f"fix {title}",), asked=3, keywords=("fix", title[:20]))
    text = render_draft(group)
    front, body = text.split("\n---\n", 1)
    assert yaml.safe_load(front.removeprefix("---\n"))["title"] == title  # front matter holds the words as asked
    assert live_markup(site_markdown(body)) == []


def test_mine_repro_entity_encoded_tag_stays_out_of_the_published_draft(tmp_path: Path) -> None:
    """../shared/repro/mine-draft-xss, plus every vector typed literally and entity-encoded."""
    root = new_project(tmp_path)
    content = root / "content"
    lines = [f"How do I export my timesheets to excel <b>now</b> &lt;img src=x onerror=alert(document.domain)&gt; {index}?" for index in range(8)]
    words = ("timesheet", "invoice", "payroll", "calendar", "receipt", "refund", "printer", "webhook")
    for index, vector in enumerate(VECTORS):
        topic = f"{words[index % len(words)]} {words[(index // len(words)) % len(words)]} number{index}"
        encoded = vector.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        lines += [f"How do I fix my {topic} {vector}?", f"how can i fix {topic} {vector}", f"Fix {topic} <b>now</b> {encoded}"]
    log = root / "questions.txt"
    log.write_text("\n".join(" ".join(line.split()) for line in lines) + "\n", encoding="utf-8")
    before = set(content.rglob("*.md"))
    result = CliRunner().invoke(main, ["mine", str(log), "--format", "text", "--content-dir", str(content), "--report", str(root / "report.html"), "--min-group-size", "2"])
    assert result.exit_code == 0, result.output
    drafts = sorted(set(content.rglob("*.md")) - before)
    assert len(drafts) >= 10  # the miner groups the askings by their shared words: a dozen or so drafts
    repro = next(draft for draft in drafts if "timesheets-to-excel" in draft.name)
    assert "onerror" not in repro.read_text(encoding="utf-8")
    drafts = [publish(draft) for draft in drafts]
    site = build_site(root / "mkdocs.yml", site_dir=root / "site")
    found = {draft.name: live_markup(built_page(site, draft, content), whole_page=True) for draft in drafts}
    assert {name: problems for name, problems in found.items() if problems} == {}


# --- re-import -----------------------------------------------------------------------------------


def thread(number: int, *, votes: int = 1, body: str = "") -> Thread:
    return unplaced_thread(
        title=f"How do I fix problem {number}?", body=body or f"Problem {number}.\n", author="mira", date="2026-01-01", votes=votes, solved=True,
        answers=(Post("ken", "2026-01-02", f"Answer {number}.\n", votes=2, accepted=True),), source=f"https://forum.example.com/t/{number}", source_id=str(number),
    )  # fmt: skip


def reimport(into: Path, *threads: Thread) -> ImportReport:
    return import_threads(iter(threads), into, ImportOptions(category="billing"))


def test_reimport_repro_keeps_the_writers_edit_of_an_unchanged_export(tmp_path: Path, shared_data: Path, run_cli) -> None:
    """../shared/repro/dataloss/reimport.sh: a writer's edit to an imported thread (not locked) was lost."""
    into = tmp_path / "content" / "community"
    dump = shared_data / "stackexchange_coffee_2015"
    first = run_cli("import", "stackexchange", dump, "--into", into, "--category", "getting-started", "--limit", "5")
    assert first.stdout.endswith("added 5, updated 0, unchanged 0, skipped 0\n")
    edited = sorted((into / "getting-started").glob("*.md"))[0]
    text = re.sub(r"^title:.*$", "title: WRITER EDITED TITLE", edited.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE) + "WRITER ADDED NOTE\n"
    edited.write_text(text, encoding="utf-8")
    again = run_cli("import", "stackexchange", dump, "--into", into, "--category", "getting-started", "--limit", "5")
    assert again.stdout.endswith(f"added 0, updated 0, unchanged 4, skipped 0; kept 1 thread edited since the last import: getting-started/{edited.name}\n")
    assert edited.read_text(encoding="utf-8") == text


def test_an_unedited_thread_follows_the_source_and_an_edited_one_is_kept(tmp_path: Path) -> None:
    reimport(tmp_path, thread(1), thread(2))
    edited = tmp_path / "billing" / "how-do-i-fix-problem-2-2.md"
    by_writer = edited.read_text(encoding="utf-8").replace("Problem 2.", "Problem 2, reworded by support.")
    edited.write_text(by_writer, encoding="utf-8")
    report = reimport(tmp_path, thread(1, votes=9), thread(2, votes=9))
    assert report.summary_line() == "added 0, updated 1, unchanged 0, skipped 0; kept 1 thread edited since the last import: billing/how-do-i-fix-problem-2-2.md"
    assert "votes: 9" in (tmp_path / "billing" / "how-do-i-fix-problem-1-1.md").read_text(encoding="utf-8")
    assert edited.read_text(encoding="utf-8") == by_writer
    # Undoing the edit gives the file back to the importer.
    edited.write_text(by_writer.replace("Problem 2, reworded by support.", "Problem 2."), encoding="utf-8")
    assert reimport(tmp_path, thread(1, votes=9), thread(2, votes=9)).summary_line() == "added 0, updated 1, unchanged 1, skipped 0"


def test_a_thread_file_the_importer_has_no_record_of_is_kept_when_it_differs(tmp_path: Path) -> None:
    reimport(tmp_path, thread(1))
    (tmp_path / WRITTEN_FILE).unlink()
    assert reimport(tmp_path, thread(1)).summary_line() == "added 0, updated 0, unchanged 1, skipped 0"  # same bytes: recorded again
    (tmp_path / WRITTEN_FILE).write_text("{not json", encoding="utf-8")
    report = reimport(tmp_path, thread(1, votes=5))
    assert report.kept == ["billing/how-do-i-fix-problem-1-1.md"] and report.updated == 0


def test_the_record_is_deterministic_and_forgets_deleted_threads(tmp_path: Path) -> None:
    reimport(tmp_path, thread(2), thread(1))
    record = (tmp_path / WRITTEN_FILE).read_text(encoding="utf-8")
    assert list(yaml.safe_load(record)["threads"]) == ["https://forum.example.com/t/1", "https://forum.example.com/t/2"]
    (tmp_path / "billing" / "how-do-i-fix-problem-2-2.md").unlink()
    reimport(tmp_path, thread(1))
    assert list(yaml.safe_load((tmp_path / WRITTEN_FILE).read_text(encoding="utf-8"))["threads"]) == ["https://forum.example.com/t/1"]


def test_many_kept_threads_are_summarized_in_one_line(tmp_path: Path) -> None:
    reimport(tmp_path, *(thread(number) for number in range(1, 9)))
    for path in (tmp_path / "billing").glob("*.md"):
        path.write_text(path.read_text(encoding="utf-8") + "Edited.\n", encoding="utf-8")
    line = reimport(tmp_path, *(thread(number, votes=3) for number in range(1, 9))).summary_line()
    assert line.startswith("added 0, updated 0, unchanged 0, skipped 0; kept 8 threads edited since the last import: billing/how-do-i-fix-problem-1-1.md, ")
    assert line.endswith(" and 3 more")


# --- staging folders -----------------------------------------------------------------------------

KILLED_IMPORT = """
import os, signal, sys
from pathlib import Path
from kbgen.community.store import claim_staging
staging = claim_staging(Path(sys.argv[1]))
(staging / "billing").mkdir()
(staging / "billing" / "half.md").write_text("half a thread", encoding="utf-8")
print(staging, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_killed_imports_staging_folder_is_removed_by_the_next_import(tmp_path: Path) -> None:
    killed = subprocess.run([sys.executable, "-c", KILLED_IMPORT, str(tmp_path)], capture_output=True, text=True, cwd=REPO_ROOT)
    assert killed.returncode == -signal.SIGKILL
    left = Path(killed.stdout.strip())
    assert left.is_dir() and left.name.startswith(STAGING_PREFIX)
    age(left, 120)
    reimport(tmp_path, thread(1))
    assert sorted(path.name for path in tmp_path.iterdir()) == [WRITTEN_FILE, "billing"]
    assert [path.name for path in (tmp_path / "billing").iterdir()] == ["how-do-i-fix-problem-1-1.md"]


def test_a_running_imports_staging_folder_is_left_alone(tmp_path: Path) -> None:
    staging = claim_staging(tmp_path)  # held as a concurrent import holds it
    try:
        (staging / "pending.md").write_text("staged", encoding="utf-8")
        age(staging, 3600)
        legacy = tmp_path / f"{STAGING_PREFIX}abc123"  # an older kbgen's name, no lock
        legacy.mkdir()
        fresh = tmp_path / f"{STAGING_PREFIX}999999-new"  # just created: its import may not have locked it yet
        fresh.mkdir()
        age(legacy, 120)
        assert remove_stale_staging(tmp_path) == [legacy]
        reimport(tmp_path, thread(1))
        assert (staging / "pending.md").read_text(encoding="utf-8") == "staged" and fresh.is_dir()
    finally:
        release_staging(staging)
    assert not staging.exists()
