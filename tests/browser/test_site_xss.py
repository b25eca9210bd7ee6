"""Community text is untrusted: a thread made of XSS vectors is built, checked in the HTML, then opened in Chromium.

The vectors (tests/browser/xss_vectors.txt, OWASP filter-evasion style, and the 64 more of
../shared/repro/xss_vectors_extra.txt) take every path untrusted text has into the site:
a thread's title, author, tags, summary, question, answers, comments, source and license; an
accepted answer ``kbgen promote`` turns into a trusted FAQ article; customer questions
``kbgen mine`` turns into FAQ drafts. The promoted article and the drafts are then published as
a writer would. Nothing may run (a ``window.__xss`` recorder and a dialog handler stay silent),
no dangerous attribute or element may remain, and nothing may restyle or clobber the page.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from writer_actions import publish
from xss_vectors import VECTORS

from kbgen.build import build_site
from kbgen.cli import main
from kbgen.community.promote import promote_thread

# Words no two groups share, so the miner makes one group (and one draft) per vector.
PROMOTED_ANSWER = "Open Billing, then choose Export as CSV.\n\n" + "\n\n".join(VECTORS) + "\n"
GROUP_WORDS = ("timesheet", "invoice", "payroll", "export", "calendar", "receipt", "refund", "login", "password", "upload", "printer", "webhook")
THREAD_URL = "community/billing/xss-thread/"
CLEAN_URL = "community/billing/clean-thread/"
PAGES = ("", "faq/billing/", "community/", "community/unanswered/", "community/solved/", "tags/", "tags/safe/", THREAD_URL)
SAFE_SCHEMES = {"http", "https", "mailto"}
CHROME_TAGS = ("script", "iframe", "frame", "object", "embed", "base", "meta", "link", "style", "form", "input", "svg")
RECORDER = """
window.__xssFired = [];
window.__xss = (name) => window.__xssFired.push(String(name));
window.alert = window.confirm = window.prompt = (value) => window.__xssFired.push("dialog:" + value);
"""


def chunks(size: int) -> list[str]:
    return ["\n\n".join(VECTORS[start:start + size]) for start in range(0, len(VECTORS), size)]


def write_project(root: Path) -> Path:
    content = root / "content"
    for folder in ("faq/billing", "community/billing"):
        (content / folder).mkdir(parents=True)
    (content / "categories.yml").write_text("billing:\n  title: Plans & billing\n", encoding="utf-8")
    (content / "faq/billing/refunds.md").write_text("---\ntitle: Request a refund\nquestions: [Can I get my money back?]\ntags: [safe]\n---\nWrite to us.\n", encoding="utf-8")
    parts = chunks(12)
    front_matter = {
        "title": "</title><script>window.__xss('title')</script><img src=x onerror=window.__xss('title-img')>",
        "author": "\"><img src=x onerror=window.__xss('author')>",
        "date": "2026-03-01",
        "tags": ["safe", "<script>window.__xss('tag')</script>", "\"><svg onload=window.__xss('tag-attr')>"],
        "votes": 3,
        "solved": True,
        "source": "javascript:window.__xss('source')",
        "license": "<img src=x onerror=window.__xss('license')>",
        "summary": {"problem": VECTORS[0] + " " + VECTORS[6], "tried": "<svg/onload=window.__xss('summary-tried')>"},
        "comments": [{"author": "<b onmouseover=window.__xss('comment-author')>x</b>", "date": "2026-03-01", "body": part} for part in parts[:2]],
        "answers": [
            {
                "author": f"answerer {index} <img src=x onerror=window.__xss('answer-author-{index}')>",
                "date": f"2026-03-{2 + index:02}",
                "votes": index,
                "accepted": index == 1,
                "body": part,
                "comments": [{"author": "c", "date": "2026-03-09", "body": VECTORS[(index * 7) % len(VECTORS)]}],
            }
            for index, part in enumerate(parts[2:], 1)
        ],
    }
    body = "\n\n".join(VECTORS) + "\n"
    (content / "community/billing/xss-thread.md").write_text(f"---\n{yaml.safe_dump(front_matter, allow_unicode=True, sort_keys=False)}---\n{body}", encoding="utf-8")
    (content / "community/billing/clean-thread.md").write_text(
        "---\ntitle: A clean thread\nauthor: someone\ndate: 2026-01-01\ntags: [safe]\nsolved: true\nanswers:\n"
        "  - author: helper\n    date: 2026-01-02\n    accepted: true\n    body: Fixed.\n    comments:\n      - {author: x, date: 2026-01-03, body: ok}\n"
        "comments:\n  - {author: y, date: 2026-01-01, body: same}\n---\nA question.\n",
        encoding="utf-8",
    )
    published = [write_promoted_article(content), *write_mined_drafts(root, content)]
    (root / "published.txt").write_text("".join(f"{path.relative_to(content).with_suffix('').as_posix()}/\n" for path in published), encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        "site_name: XSS test\nsite_url: https://help.example.com/\ndocs_dir: content\ntheme:\n  name: material\n  font: false\n"
        "markdown_extensions:\n  - md_in_html\n  - attr_list\n  - toc: {permalink: true}\nplugins:\n  - search\n  - kbgen\n",
        encoding="utf-8",
    )
    return config


def write_promoted_article(content: Path) -> Path:
    """A solved thread whose accepted answer is every vector, promoted to an FAQ article and published."""
    thread = {
        "title": "How do I export invoices <img src=x onerror=window.__xss('promote-title')>",
        "author": "mallory",
        "date": "2026-03-01",
        "solved": True,
        "tags": ["safe"],
        "answers": [{"author": "mallory <b onmouseover=window.__xss('promote-author')>", "date": "2026-03-02", "accepted": True, "body": PROMOTED_ANSWER}],
        "source": "https://forum.example.com/t/99",
        "source_id": "99",
    }
    path = content / "community/billing/promote-me.md"
    path.write_text(f"---\n{yaml.safe_dump(thread, allow_unicode=True, sort_keys=False)}---\nHow?\n", encoding="utf-8")
    return publish(promote_thread(path))


def mined_log() -> str:
    """Three askings of each vector, each group with its own words; HTML entity-encoded copies too."""
    lines = []
    for index, vector in enumerate(VECTORS):
        words = f"{GROUP_WORDS[index % len(GROUP_WORDS)]} {GROUP_WORDS[(index // len(GROUP_WORDS)) % len(GROUP_WORDS)]} number{index}"
        encoded = vector.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        lines += [f"How do I fix my {words} {vector}?", f"how can i fix {words} {vector}", f"Fix {words} <b>now</b> {encoded}"]
    return "\n".join(line.replace("\n", " ") for line in lines) + "\n"


def write_mined_drafts(root: Path, content: Path) -> list[Path]:
    log = root / "questions.txt"
    log.write_text(mined_log(), encoding="utf-8")
    before = set(content.rglob("*.md"))
    result = CliRunner().invoke(main, ["mine", str(log), "--format", "text", "--content-dir", str(content), "--report", str(root / "report.html"), "--min-group-size", "2"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    drafts = sorted(set(content.rglob("*.md")) - before)
    # The miner groups the askings by their shared words, so the vectors end up in several drafts (8 today).
    assert len(drafts) >= 5, "the miner wrote drafts from the vectors"
    return [publish(draft) for draft in drafts]


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("xss")
    return build_site(write_project(root), site_dir=root / "site")


@pytest.fixture(scope="module")
def published_urls(xss_site) -> list[str]:
    """The promoted article and the mined drafts, as published: trusted files made from untrusted text."""
    return (xss_site.parent / "published.txt").read_text(encoding="utf-8").split()


def test_promoted_and_mined_pages_are_published_with_the_vectors_as_text(xss_site, published_urls):
    promoted, *mined = published_urls
    assert promoted.startswith("faq/billing/") and len(mined) >= 5
    for url in published_urls:
        assert (xss_site / url / "index.html").is_file(), url
    html = (xss_site / promoted / "index.html").read_text(encoding="utf-8")
    assert "Open Billing, then choose Export as CSV." in html, "the answer's own words are kept"


class _Document(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str], bool]] = []  # tag, attributes, inside <article>
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        self.elements.append((tag, {name: value or "" for name, value in attrs}, self.depth > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1


def parse(path: Path) -> list[tuple[str, dict[str, str], bool]]:
    document = _Document()
    document.feed(path.read_text(encoding="utf-8"))
    return document.elements


def scheme_of(url: str) -> str:
    cleaned = re.sub(r"[\t\n\r]", "", url.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08 \x0b\x0c\x0e\x0f")).lower()
    match = re.match(r"^([a-z][a-z0-9+.-]*):", cleaned)
    return match.group(1) if match else ""


def chrome(elements) -> Counter:
    """Scripts, frames and other page machinery, by tag and their src/type: the same on every page of a kind."""
    return Counter(
        (tag, attributes.get("src", "").rsplit("/", 1)[-1], attributes.get("type", ""), attributes.get("rel", ""))
        for tag, attributes, _ in elements
        if tag in CHROME_TAGS and attributes.get("rel") not in ("prev", "next")
    )


def test_no_dangerous_attribute_or_element_remains_in_the_html(xss_site):
    for path in sorted(xss_site.rglob("*.html")):
        for tag, attributes, in_article in parse(path):
            where = f"{path.relative_to(xss_site)}: <{tag}>"
            assert not [name for name in attributes if name.startswith("on")], where
            for name in ("href", "src", "action", "formaction", "data", "background"):
                if name in attributes:
                    assert scheme_of(attributes[name]) in SAFE_SCHEMES | {""}, f"{where} {name}={attributes[name]}"
            if in_article:
                assert "style" not in attributes, where
                assert tag not in {"script", "iframe", "frame", "object", "embed", "base", "meta", "link", "style"}, where


def test_thread_page_has_exactly_the_machinery_of_a_clean_thread(xss_site):
    attacked, clean = parse(xss_site / THREAD_URL / "index.html"), parse(xss_site / CLEAN_URL / "index.html")
    assert chrome(attacked) == chrome(clean)
    article = [(tag, attributes) for tag, attributes, in_article in attacked if in_article]
    assert not [tag for tag, _ in article if tag in {"form", "input", "button", "svg", "math", "textarea", "select", "video", "audio"}]
    assert [attributes.get("id") for tag, attributes in article if attributes.get("id", "").startswith("__")] == []
    badges = [attributes for tag, attributes in article if "kb-badge--accepted" in attributes.get("class", "")]
    assert len(badges) == 1, "only the real accepted answer is marked"


def test_untrusted_text_is_shown_as_text_in_title_meta_and_listings(xss_site):
    html = (xss_site / THREAD_URL / "index.html").read_text(encoding="utf-8")
    assert "<title>&lt;/title&gt;&lt;script&gt;" in html
    assert '<meta name="description" content="' in html and 'content=""><img' not in html
    assert '<meta name="author"' not in html
    listing = (xss_site / "community/index.html").read_text(encoding="utf-8")
    assert "&lt;/title&gt;&lt;script&gt;window.__xss(&#x27;title&#x27;)&lt;/script&gt;" in listing


@pytest.mark.browser
def test_the_recorder_notices_code_that_runs(browser):
    """Control: the same recorder and event sweep do catch an unsanitized handler."""
    context = browser.new_context()
    context.add_init_script(RECORDER)
    page = context.new_page()
    page.set_content('<div class="md-content"><img src="data:," onerror="window.__xss(\'control\')"><b onmouseover="alert(1)">x</b></div>')
    page.evaluate("() => document.querySelector('b').dispatchEvent(new Event('mouseover'))")
    fired = page.evaluate("() => window.__xssFired")
    context.close()
    assert "dialog:1" in fired


@pytest.mark.browser
@pytest.mark.parametrize("url", PAGES)
def test_nothing_executes_in_chromium(xss_site, serve_directory, browser, url):
    assert_nothing_executes(browser, serve_directory(xss_site) + url)


@pytest.mark.browser
def test_nothing_executes_in_promoted_or_mined_articles(xss_site, published_urls, serve_directory, browser):
    base = serve_directory(xss_site)
    for url in published_urls:
        assert_nothing_executes(browser, base + url)


def assert_nothing_executes(browser, address: str) -> None:
    context = browser.new_context()
    context.add_init_script(RECORDER)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(address)
    page.wait_for_load_state("load")
    report = page.evaluate(
        """() => {
          const content = document.querySelector('.md-content');
          for (const element of content.querySelectorAll('*')) {
            for (const type of ['mouseover', 'mouseenter', 'focus', 'click', 'error', 'load', 'toggle', 'animationstart']) {
              if (type === 'click' && element.closest('a')) continue;
              element.dispatchEvent(new Event(type, {bubbles: false, cancelable: true}));
            }
          }
          const badLinks = [...content.querySelectorAll('a[href], [src], [action], [formaction]')]
            .map(element => element.href || element.src || element.action || element.formAction || '')
            .filter(url => url && !/^(https?|mailto):/.test(url));
          const fixed = [...content.querySelectorAll('*')].filter(element => getComputedStyle(element).position === 'fixed').length;
          return {fired: window.__xssFired, badLinks, fixed, config: document.getElementById('__config').tagName,
                  search: document.getElementById('__search') && document.getElementById('__search').tagName,
                  visible: getComputedStyle(content).display !== 'none'};
        }"""
    )
    context.close()
    assert report["fired"] == [] and dialogs == [], address
    assert report["badLinks"] == [], address
    assert report["fixed"] == 0 and report["visible"], address
    assert report["config"] == "SCRIPT" and report["search"] in ("INPUT", None)
