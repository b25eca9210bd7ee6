"""On a generated 2,000-page help center, Material's search still opens the right article for any of its question variants.

The search index holds each page's title, summary and the start of its answer, and every
question variant as an entry of its own (kbgen.site.search_index): a fraction of the full text.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from test_site_search import search_and_open_first

from kbgen.build import build_site
from kbgen.load import load_corpus

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))
from bench.build_speed import KBGEN_CONFIG  # noqa: E402 - the benchmark's site settings
from bench.sitegen import generate_site  # noqa: E402 - the benchmark's realistic generated help center

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = 2000
SAMPLE = 16  # articles searched for, spread over the whole site
CONFIG = KBGEN_CONFIG.replace("  font: false\n", "  font: false\n  features: [search.suggest]\n")


@pytest.fixture(scope="module")
def large_project(tmp_path_factory) -> Path:
    root = generate_site(tmp_path_factory.mktemp("large-search") / "project", PAGES)
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    build_site(root / "mkdocs.yml", site_dir=root / "site")
    return root


@pytest.fixture(scope="module")
def large_url(large_project: Path, serve_directory: Callable[[Path], str]) -> str:
    return serve_directory(large_project / "site")


def sampled_variants(project: Path) -> list[tuple[str, str]]:
    """(question variant, article URL) for articles spread over the site, each asked another way."""
    corpus, _ = load_corpus(project / "content")
    articles = sorted(corpus.published_articles, key=lambda article: article.path)
    step = len(articles) // SAMPLE
    return [(article.questions[index % len(article.questions)], article.url) for index, article in enumerate(articles[::step][:SAMPLE])]


def test_question_variants_open_their_article_on_a_large_site(page, large_project, large_url):
    page.goto(large_url)
    misses = []
    for question, url in sampled_variants(large_project):
        opened = search_and_open_first(page, question)
        if opened != "/" + url:
            misses.append((question, url, opened))
    assert misses == []
    assert page.locator("h1#kb-title").is_visible()

