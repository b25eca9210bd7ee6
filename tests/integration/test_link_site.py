"""Related links in the built demo site: on article and thread pages, two-way, pointing at real pages."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from kbgen.build import build_site

_RELATED_SECTION = re.compile(r'<div class="kb-related">(.*?)</div>', re.DOTALL)
_HREF = re.compile(r'href="([^"]+)"')


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory) -> Path:
    repo_root = Path(__file__).resolve().parents[2]
    return build_site(repo_root / "mkdocs.yml", site_dir=tmp_path_factory.mktemp("demo") / "site")


def related_targets(site: Path, page_url: str) -> list[str]:
    """Site-relative URLs of the related links on the page at ``page_url``."""
    html = (site / page_url / "index.html").read_text(encoding="utf-8")
    section = _RELATED_SECTION.search(html)
    if section is None:
        return []
    return [posixpath.normpath(posixpath.join(page_url, href)) + "/" for href in _HREF.findall(section.group(1))]


def test_article_and_thread_link_to_each_other(demo_site):
    article, thread = "faq/payments/stripe-payout-delayed/", "community/payments/stripe-payout-not-arrived-after-7-days/"
    assert thread in related_targets(demo_site, article)
    assert article in related_targets(demo_site, thread)


def test_every_related_link_points_at_a_built_page(demo_site):
    pages = [path.parent.relative_to(demo_site).as_posix() + "/" for path in demo_site.glob("*/*/*/index.html")]
    linked = [(page, target) for page in pages for target in related_targets(demo_site, page)]
    assert len(linked) > 50
    for page, target in linked:
        assert (demo_site / target / "index.html").is_file(), f"{page} links to missing {target}"
