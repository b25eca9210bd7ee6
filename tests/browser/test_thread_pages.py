"""Imported thread pages in Chromium: they read like the forum, sit under the Community tab, and say something in short.

A fresh ``kbgen init`` gets the real coffee Stack Exchange dump and the real Discourse topics
imported (no flag but the forum), then is built and served; the pages are looked at as a reader
sees them, and photographed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbgen.cli import main

pytestmark = pytest.mark.browser

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
TAMPING = "community/coffee/how-important-is-tamping-coffee-for-an-espresso-5/"  # headings, an image, an accepted answer
DISCOURSE_FOLDER = "community/criticalfallibilism/"  # quotes, emoji and images of a real Discourse topic


def kbgen(*args: object) -> None:
    result = CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)
    assert result.exit_code == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, serve_directory: Callable[[Path], str]) -> tuple[str, Path]:
    """The served site's base URL and the project folder."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data sets not found at {SHARED_DATA}")
    project = tmp_path_factory.mktemp("imported") / "help"
    kbgen("init", project)
    kbgen("import", "stackexchange", SHARED_DATA / "stackexchange_coffee_2015", "--into", project / "content" / "community")
    kbgen("import", "discourse", SHARED_DATA / "discourse_topic_json", "--into", project / "content" / "community")
    kbgen("build", "-f", project / "mkdocs.yml")
    return serve_directory(project / "site"), project


def test_a_stack_exchange_thread_reads_like_the_forum_under_the_community_tab(page, imported, screenshot_path):
    page.goto(imported[0] + TAMPING)
    assert page.locator(".md-tabs__item--active").inner_text().strip() == "Community"
    crumbs = page.locator(".kb-breadcrumbs__item").all_inner_texts()
    assert crumbs[:2] == ["Home", "Community"] and crumbs[-1].startswith("How important is tamping coffee")
    bodies = " ".join(page.locator(".kb-post__body").all_inner_texts())
    assert "\\" not in bodies and "**" not in bodies and "](" not in bodies
    assert page.locator("main h1").count() == 1
    assert page.locator(".kb-post__body h1, .kb-post__body h2").count() == 0
    assert page.locator(".kb-post__body h3").count() >= 1  # the answer's own headings, below the page's
    image = page.locator(".kb-post__body img").first
    assert (image.get_attribute("loading"), image.get_attribute("referrerpolicy")) == ("lazy", "no-referrer")
    summary = page.locator(".kb-summary")
    assert summary.is_visible()
    problem = summary.locator(".kb-summary__part dd").first.inner_text()
    first_paragraph = page.locator(".kb-question .kb-post__body p").first.inner_text()
    assert problem and problem.strip() != first_paragraph.strip()
    page.screenshot(path=screenshot_path("thread-imported-stackexchange"), full_page=False)


def test_a_discourse_thread_keeps_its_quotes_line_breaks_and_emoji(page, imported, screenshot_path):
    url, project = imported
    (thread,) = (project / "content" / DISCOURSE_FOLDER).glob("*.md")
    page.goto(f"{url}{DISCOURSE_FOLDER}{thread.stem}/")
    assert page.locator(".md-tabs__item--active").inner_text().strip() == "Community"
    assert page.locator(".kb-post__body blockquote").count() >= 1
    text = " ".join(page.locator(".kb-post__body").all_inner_texts())
    assert "\\" not in text and not re.search(r"(?m)^\s*>\s", text)
    assert page.locator(".kb-post__body img.avatar").count() == 0  # the quoted author's picture stays in the forum
    page.locator(".kb-post__body blockquote").first.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_path("thread-imported-discourse"), full_page=False)


def test_authors_link_to_their_profiles_in_the_forum(page, imported, screenshot_path):
    url, project = imported
    page.goto(url + TAMPING)
    asker = page.locator(".kb-doc-meta a.kb-author")
    assert (asker.inner_text(), asker.get_attribute("href")) == ("user8", "https://coffee.stackexchange.com/users/8")  # OwnerUserId 8, no Users.xml
    page.screenshot(path=screenshot_path("thread-author-links-top"), full_page=False)
    links = page.locator(".kb-post__meta a.kb-author, .kb-comment__meta a.kb-author")
    assert links.count() >= 3  # the question, its answers, their comments
    for index in range(links.count()):
        link = links.nth(index)
        assert re.fullmatch(r"https://coffee\.stackexchange\.com/users/-?\d+", link.get_attribute("href"))
        assert link.get_attribute("rel") == "nofollow ugc noopener"
    style = links.first.evaluate("element => getComputedStyle(element).textDecorationLine")
    assert "underline" in style  # it looks like a link, not like the plain names beside it
    page.locator(".kb-answer--accepted .kb-post__meta").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_path("thread-author-links-stackexchange"), full_page=False)
    (thread,) = (project / "content" / DISCOURSE_FOLDER).glob("*.md")
    page.goto(f"{url}{DISCOURSE_FOLDER}{thread.stem}/")
    hrefs = page.locator(".kb-post__meta a.kb-author").evaluate_all("links => links.map(link => link.href)")
    assert hrefs and all(href.startswith("https://discuss.criticalfallibilism.com/u/") for href in hrefs)
