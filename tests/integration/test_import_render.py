"""Imported posts read like the original: every post of the real dumps, converted and rendered, shows the same.

Each post's HTML from ../shared/data is converted to Markdown as ``kbgen import`` does, rendered
as the site renders thread posts, and compared with the original as a browser would show it
(sanitized the same way): the same words and marks in the same order, the same lists, code
blocks, quotes, tables, images and links, headings below the page's own. Then a fresh ``kbgen
init`` + import of each dump passes ``kbgen check`` and its built thread pages show no stray
backslash, double-escaped entity or Markdown syntax.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from kbgen.cli import main
from kbgen.community.html import html_to_markdown
from kbgen.community.xmlrows import iter_rows
from kbgen.site.render.community import CommunityMarkdown
from kbgen.site.sanitize import html_to_text, sanitize_community_html

SITE = "https://forum.example.com"
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
STACK_EXCHANGE_DUMPS = ("stackexchange_coffee_2015", "stackexchange_cstheory_meta_2019")
# Markdown that should never reach a reader as text (unless the original post shows it too).
RAW_MARKDOWN = ("**", "](", "```", "<br>", "\\", "&amp;", "&lt;")
STRUCTURE = ("li", "pre", "blockquote", "table", "tr", "img", "h3", "h4", "h5", "h6")


def real_posts(data: Path) -> list[tuple[str, str]]:
    """(name, HTML) of every question and answer in the real dumps."""
    posts = []
    for dump in STACK_EXCHANGE_DUMPS:
        for row in iter_rows(data / dump / "Posts.xml.gz", "posts"):
            if row.attributes.get("PostTypeId") in ("1", "2"):
                posts.append((f"{dump}:{row.attributes['Id']}", row.attributes.get("Body", "")))
    for path in sorted((data / "discourse_topic_json").glob("*.json")):
        for post in json.loads(path.read_text(encoding="utf-8"))["post_stream"]["posts"]:
            posts.append((f"{path.name}:{post['id']}", post["cooked"]))
    return posts


def as_shown(html: str) -> BeautifulSoup:
    """The original as a reader sees it, in the terms the site uses: sanitized, Discourse's furniture left out.

    Discourse draws :smile: as an image whose alt text is the code (kept as text, as on a page
    without images), adds an image caption (name, size) and the quoted author's picture. Browsers
    ignore a <br> at the end of a paragraph, and <i>/<b> look like <em>/<strong>.
    """
    soup = BeautifulSoup(sanitize_community_html(html), "html.parser")
    for element in soup.select("div.meta, div.quote-controls, img.avatar"):
        element.decompose()
    for image in soup.select("img.emoji"):
        image.replace_with(image.get("alt", ""))
    for image in soup.find_all("img"):
        if not image.get("src"):
            image.replace_with(image.get("alt", ""))
    for link in soup.find_all("a"):
        if not link.get_text(strip=True) and not link.find("img"):
            link.decompose()  # an empty link shows nothing
    return soup


def structure(soup: BeautifulSoup, heading_shift: int = 0) -> dict[str, int]:
    counts = {tag: len(soup.find_all(tag)) for tag in STRUCTURE}
    headings = [int(element.name[1]) + heading_shift for element in soup.find_all(re.compile(r"^h[1-6]$"))]
    for level in range(3, 7):
        counts[f"h{level}"] = sum(1 for found in headings if min(found, 6) == level)
    counts["a"] = len([link for link in soup.find_all("a") if link.get("href")])
    return counts


def words(html: str) -> str:
    return re.sub(r"\s+", "", html_to_text(html))


@pytest.fixture(scope="module")
def posts() -> list[tuple[str, str]]:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data sets not found at {SHARED_DATA}")
    return real_posts(SHARED_DATA)


def test_every_real_post_renders_with_the_originals_words_and_structure(posts: list[tuple[str, str]]) -> None:
    renderer = CommunityMarkdown()
    assert len(posts) > 2_000
    different = []
    for name, html in posts:
        original = as_shown(html)
        rendered_html = renderer.html(html_to_markdown(html, SITE))
        rendered = BeautifulSoup(rendered_html, "html.parser")
        levels = [int(element.name[1]) for element in original.find_all(re.compile(r"^h[1-6]$"))]
        shift = 3 - min(levels) if levels else 0
        if words(str(original)) != words(rendered_html):
            different.append((name, "words"))
        elif structure(original, shift) != structure(rendered):
            different.append((name, structure(original, shift), structure(rendered)))
        for mark in RAW_MARKDOWN:
            if html_to_text(rendered_html).count(mark) > html_to_text(str(original)).count(mark):
                different.append((name, f"shows {mark!r}"))
        if rendered_html.count("&amp;amp;") > str(original).count("&amp;amp;"):
            different.append((name, "double-escaped &"))
        if rendered.find(["h1", "h2"]):
            different.append((name, "a heading as big as the page's own"))
    assert different == []


def test_line_breaks_headings_code_quotes_tables_and_images_render_as_in_the_forum() -> None:
    html = (
        "<h1>Setup</h1><p>First line<br>second line</p><h2>Steps</h2>"
        '<ul><li>Grind<pre><code>grind --fine\n</code></pre></li></ul>'
        "<blockquote><p>quoted<br>twice</p></blockquote>"
        "<table><tr><th>beans</th><th>grams</th></tr><tr><td>arabica</td><td>18</td></tr></table>"
        '<p><img src="https://i.example.com/a.png" alt="the grinder"></p>'
    )
    rendered = CommunityMarkdown().html(html_to_markdown(html, SITE))
    assert "<h3>Setup</h3>" in rendered and "<h4>Steps</h4>" in rendered
    assert "<p>First line<br>\nsecond line</p>" in rendered
    assert "<li>Grind<pre><code>grind --fine\n</code></pre>" in re.sub(r"\s*\n\s*(?=<pre>)", "", rendered.replace("<li>\n<p>", "<li>").replace("</p>", ""))
    assert "<blockquote>\n<p>quoted<br>\ntwice</p>\n</blockquote>" in rendered
    assert "<th>beans</th>" in rendered and "<td>18</td>" in rendered
    assert '<img alt="the grinder" src="https://i.example.com/a.png" loading="lazy" referrerpolicy="no-referrer">' in rendered


def kbgen(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("forum", "dump"),
    [
        ("stackexchange", "stackexchange_coffee_2015"),
        ("stackexchange", "stackexchange_cstheory_meta_2019"),
        ("discourse", "discourse_topic_json"),
    ],
)
def test_a_fresh_project_passes_check_after_importing_each_real_dump(tmp_path: Path, shared_data: Path, forum: str, dump: str) -> None:
    project = tmp_path / "help"
    assert kbgen("init", project)[0] == 0
    code, out, err = kbgen("import", forum, shared_data / dump, "--into", project / "content" / "community")
    assert code == 0, err
    assert "added category" in out and "categories.yml" in out
    code, out, err = kbgen("check", project / "content")
    assert code == 0, out + err
    assert "0 error(s), 0 warning(s)" in out + err


def test_built_thread_pages_of_the_coffee_dump_show_no_markdown(tmp_path: Path, shared_data: Path) -> None:
    project = tmp_path / "help"
    kbgen("init", project)
    kbgen("import", "stackexchange", shared_data / "stackexchange_coffee_2015", "--into", project / "content" / "community")
    code, _, err = kbgen("build", "-f", project / "mkdocs.yml")
    assert code == 0, err
    pages = sorted((project / "site" / "community" / "coffee").glob("*/index.html"))
    assert len(pages) == 212
    originals = "".join(words(html) for name, html in real_posts(shared_data) if name.startswith("stackexchange_coffee"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        article = BeautifulSoup(html[html.index("<article") : html.index("</article>")], "html.parser")
        for post in article.select(".kb-post__body"):
            text = post.get_text(" ")
            for mark in ("**", "](", "```", "<br>", "&amp;amp;"):
                assert mark not in text, (page.parent.name, mark)
            for backslash in re.finditer(r".{0,12}\\.{0,12}", re.sub(r"\s+", "", text)):  # only where the original has one
                assert backslash.group(0) in originals, (page.parent.name, backslash.group(0))
        assert [heading.name for heading in article.find_all(["h1", "h2"])][:1] == ["h1"]
        assert not article.select(".kb-post__body h1, .kb-post__body h2")
        assert "md-tabs__item--active" in html and 'kb-breadcrumbs__item"><a href="../../">Community</a>' in html
