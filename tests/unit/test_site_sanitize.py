"""Community HTML is sanitized: the XSS vector list leaves no script, handler, javascript: URL, style or frame."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kbgen.site.render.community import CommunityMarkdown
from kbgen.site.sanitize import html_to_text, rich_result_html, sanitize_community_html, sanitize_html

VECTORS_FILE = Path(__file__).resolve().parent.parent / "browser" / "xss_vectors.txt"
VECTORS = [line for line in VECTORS_FILE.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
FORBIDDEN_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "base", "link", "meta", "form", "input", "button",
    "select", "textarea", "svg", "math", "template", "noscript", "video", "audio", "source", "marquee", "isindex", "keygen",
}
SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


def elements(fragment: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    return parser.elements


def dangers(fragment: str, allow_ids: bool = False) -> list[str]:
    """Everything in ``fragment`` that could run code, load a frame or restyle the page."""
    found = []
    for tag, attributes in elements(fragment):
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}>")
        for name, value in attributes.items():
            # What a browser does to a URL before reading its scheme: trim, drop tabs and newlines.
            url = re.sub(r"[\t\n\r]", "", value.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08 \x0b\x0c\x0e\x0f")).lower()
            scheme = _SCHEME.match(url)
            if name.startswith("on") or name in {"style", "formaction", "background", "dynsrc", "lowsrc", "target"}:
                found.append(f"{tag}[{name}]")
            elif name in {"href", "src", "action", "data"} and scheme and scheme.group(1) not in SAFE_SCHEMES:
                found.append(f"{tag}[{name}={value}]")
            elif name == "id" and not allow_ids:
                found.append(f"{tag}[id={value}]")
            elif name == "class" and any(token.startswith(("md-", "kb-")) for token in value.split()):
                found.append(f"{tag}[class={value}]")
    return found


@pytest.mark.parametrize("vector", VECTORS)
def test_community_policy_removes_every_vector(vector):
    assert dangers(sanitize_community_html(vector)) == []


@pytest.mark.parametrize("vector", VECTORS)
def test_rendered_markdown_of_a_post_is_safe(vector):
    assert dangers(CommunityMarkdown().html(f"Before.\n\n{vector}\n\nAfter [a link](https://example.com/x).")) == []


def test_markdown_of_a_post_keeps_its_formatting():
    html = CommunityMarkdown().html("Try **this**:\n\n1. open [Settings](https://example.com/s)\n2. run `sync`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<strong>this</strong>" in html and "<ol>" in html and "<code>sync</code>" in html and "<table>" in html
    assert '<a href="https://example.com/s" rel="nofollow noopener noreferrer ugc">Settings</a>' in html


def test_page_policy_keeps_kbgen_structure_but_not_code():
    page = (
        '<section class="kb-post" id="answer-1" aria-label="Answer by x"><p data-search-exclude="1">'
        '<time datetime="2026-01-01">1 Jan</time> <a href="../x/" rel="license">x</a></p></section>'
        '<img src=x onerror="alert(1)"><script>alert(1)</script><iframe src="https://example.com"></iframe>'
    )
    cleaned = sanitize_html(page)
    assert '<section class="kb-post" id="answer-1" aria-label="Answer by x">' in cleaned
    assert '<time datetime="2026-01-01">' in cleaned and 'rel="license"' in cleaned and 'data-search-exclude="1"' in cleaned
    assert dangers(cleaned, allow_ids=True) == ["section[class=kb-post]"]


def test_posts_keep_formatting_links_and_images_but_links_are_nofollow():
    html = sanitize_community_html('<p class="highlight md-overlay">See <a href="https://example.com/">this</a> <img src="https://example.com/a.png" alt="shot"></p>')
    assert html.startswith('<p class="highlight">')
    assert 'rel="nofollow noopener noreferrer ugc"' in html
    assert 'referrerpolicy="no-referrer"' in html and 'alt="shot"' in html


def test_text_of_html_keeps_words_apart_and_drops_scripts():
    assert html_to_text("<p>Fix the <em>bank</em> feed.</p><p>Then&nbsp;retry &amp; wait.</p><script>x()</script>") == "Fix the bank feed. Then retry & wait."


def test_rich_result_html_keeps_the_subset_search_engines_read():
    html = rich_result_html('<h2 id="a">Step<a class="headerlink" href="#a">¶</a></h2><div class="admonition"><p>Use <code>x</code> <a href="../y/" title="t">y</a></p></div>')
    assert html == '<h2>Step</h2><div><p>Use x <a href="../y/">y</a></p></div>'
