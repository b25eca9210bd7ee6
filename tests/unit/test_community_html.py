"""Imported forum HTML becomes clean Markdown in which nothing can run."""

from __future__ import annotations

import markdown
import pytest
from bs4 import BeautifulSoup

from kbgen.community.html import html_to_markdown, markdown_to_markdown, plain_to_markdown

SITE = "https://coffee.stackexchange.com"

XSS_VECTORS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">click</a>',
    '<iframe src="https://evil.example/"></iframe>',
    "<style>body { display: none }</style>",
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    '<p onclick="alert(1)" style="color:red">text</p>',
    "<object data='x.swf'></object><embed src='x.swf'>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "[x](javascript:alert(1))",
    "{: onclick=alert(1) }",
    "&lt;img src=x onerror=alert(1)&gt;",
    '<div markdown="1">&lt;b onmouseover=alert(1)&gt;hover&lt;/b&gt;</div>',
]


def _rendered(markdown_text: str) -> str:
    """HTML as the site's Markdown (with attr_list and md_in_html, as in mkdocs.yml) renders it."""
    return markdown.markdown(markdown_text, extensions=["attr_list", "md_in_html", "tables", "fenced_code"])


def _active_parts(html: str) -> list[str]:
    """Elements, attributes and URLs in rendered HTML that could run code or restyle the page."""
    found = []
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        if element.name in ("script", "style", "iframe", "svg", "object", "embed", "math", "form"):
            found.append(element.name)
        for name, value in element.attrs.items():
            if name.startswith("on") or name == "style":
                found.append(f"{element.name}[{name}]")
            if name in ("href", "src") and not str(value).startswith(("https://", "http://", "mailto:")):
                found.append(f"{element.name}[{name}={value}]")
    return found


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vectors_in_a_body_become_inert_text(vector: str) -> None:
    html = _rendered(html_to_markdown(f"<p>before</p>{vector}<p>after</p>", SITE))
    assert _active_parts(html) == []
    assert "before" in html and "after" in html


def test_text_that_looked_like_markup_is_shown_not_run() -> None:
    markdown_text = html_to_markdown("<p>Type &lt;b&gt; and [x](javascript:alert(1)) or {: .big }</p>", SITE)
    assert _rendered(markdown_text) == "<p>Type &lt;b&gt; and [x](javascript:alert(1)) or {: .big }</p>"


def test_code_blocks_keep_language_and_content_and_cannot_be_closed_from_inside() -> None:
    html = '<pre class="lang-py prettyprint-override"><code>if a &lt; b:\n    print("```")\n\n\n\nend()\n</code></pre>'
    assert html_to_markdown(html, SITE) == '````py\nif a < b:\n    print("```")\n\n\n\nend()\n````\n'


def test_links_lists_and_headings_are_kept_with_headings_below_the_page_title() -> None:
    html = '<h2>Steps</h2><ol><li>Grind <a href="/questions/12">finer</a></li><li>Tamp <em>evenly</em></li></ol><ul><li><code>30 lbs</code></li></ul>'
    assert html_to_markdown(html, SITE) == (
        "### Steps\n\n1. Grind [finer](https://coffee.stackexchange.com/questions/12)\n2. Tamp *evenly*\n\n- `30 lbs`\n"
    )


def test_urls_that_could_break_out_of_markdown_are_encoded() -> None:
    assert html_to_markdown('<a href="https://example.com/a (b)">x</a>', SITE) == "[x](https://example.com/a%20%28b%29)\n"


def test_control_characters_and_extra_blank_lines_are_removed() -> None:
    assert html_to_markdown("<p>a\x00b\x1b[31m</p><p></p><p></p><p>c\u2028d</p>", SITE) == "ab\\[31m\n\ncd\n"


def test_markdown_with_raw_html_is_sanitized_too() -> None:
    text = "Hi <script>alert(1)</script> **there**\n\n```js\nlet a = 1 < 2;\n```\n"
    assert markdown_to_markdown(text, SITE) == "Hi **there**\n\n```js\nlet a = 1 < 2;\n```\n"


def test_stack_exchange_comment_shows_tags_as_text_and_keeps_code_spans() -> None:
    comment = plain_to_markdown("Use `<br>` here, not <b>bold</b> [docs](http://a.example) [bad](javascript:alert(1))", SITE)
    assert comment == "Use `<br>` here, not &lt;b>bold&lt;/b> [docs](http://a.example) bad\n"


def test_the_active_part_finder_catches_what_the_converter_removes() -> None:
    raw = '<a href="javascript:alert(1)" onclick="x()">a</a><script>1</script><img src="data:x">'
    assert _active_parts(raw) == ["a[href=javascript:alert(1)]", "a[onclick]", "script", "img[src=data:x]"]
