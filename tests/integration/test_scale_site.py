"""A generated 2,000-page help center: every page reachable from home by the links in its HTML, every page bounded in size."""

from __future__ import annotations

import json
import re
import statistics
import sys
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from kbgen.build import build_site

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))
from bench.build_speed import KBGEN_CONFIG  # noqa: E402 - the benchmark's site settings
from bench.sitegen import generate_site  # noqa: E402 - the benchmark's realistic generated help center

pytestmark = pytest.mark.slow

PAGES = 2000
LARGEST_PAGE = 200_000  # bytes of HTML, the bound
SEARCH_WORDS = 60  # the default search_words budget
CONFIG = KBGEN_CONFIG.replace("  font: false\n", "  font: false\n  features: [navigation.tabs, navigation.footer]\n")
_HREF = re.compile(r'<a\b[^>]*\bhref="([^"]+)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = generate_site(tmp_path_factory.mktemp("scale") / "project", PAGES)
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    return build_site(root / "mkdocs.yml", site_dir=root / "site")


def clicks_from_home(site: Path) -> dict[str, int]:
    """Every page reached by following the site's own links from the home page, with the fewest clicks to it."""
    depth = {"": 0}
    queue = deque([""])
    while queue:
        url = queue.popleft()
        html = (site / url / "index.html").read_text(encoding="utf-8")
        for href in _HREF.findall(html):
            target = urlsplit(urljoin("https://site/" + url, href.replace("&amp;", "&")))
            if target.netloc != "site" or not target.path.endswith("/"):
                continue
            path = target.path.lstrip("/")
            if path not in depth and (site / path / "index.html").is_file():
                depth[path] = depth[url] + 1
                queue.append(path)
    return depth


def test_every_page_is_reachable_from_home_and_every_answer_in_a_few_clicks(site):
    depth = clicks_from_home(site)
    pages = {path.parent.relative_to(site).as_posix().removeprefix(".") for path in site.rglob("index.html")}
    pages = {page + "/" if page else "" for page in pages}
    assert pages - depth.keys() == set()
    documents = {page: clicks for page, clicks in depth.items() if re.match(r"(faq|community)/topic-\d+/(article|thread)-", page)}
    assert len(documents) == PAGES
    assert max(documents.values()) <= 4, "home › topic › (a page of the topic) › answer"


def test_no_page_grows_with_the_site(site):
    sizes = {path.relative_to(site).as_posix(): path.stat().st_size for path in site.rglob("*.html")}
    largest = max(sizes, key=sizes.get)
    assert sizes[largest] <= LARGEST_PAGE, largest
    answers = [size for path, size in sizes.items() if "/article-" in path or "/thread-" in path]
    assert statistics.median(answers) < 40_000
    assert sizes["index.html"] < 60_000, "the home page lists topics, not pages"


def test_search_data_stays_small_and_lists_every_question_variant(site):
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    assert sum("#kb-asked-" in entry["location"] for entry in docs) >= 2 * (PAGES - int(PAGES * 0.6))
    answers = [entry for entry in docs if entry["location"].startswith(("faq/", "community/"))]
    longest = max(len(re.sub(r"<[^>]+>", " ", entry["text"]).split()) for entry in answers)
    assert longest <= SEARCH_WORDS + 40, "a page's summary and the start of its answer, not its full text"
