"""Rebuilds render only what changed: the edited page and the pages that show it, byte for byte what a clean build gives."""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from kbgen.build import build_site, exact_dirty_builds

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))
from bench.build_speed import KBGEN_CONFIG  # noqa: E402 - the benchmark's site settings
from bench.sitegen import generate_site  # noqa: E402 - the benchmark's realistic generated help center

# Outputs every build writes again: site-wide files, and pages that are not fingerprinted (the contact and search pages).
ALWAYS_WRITTEN = {"sitemap.xml", "sitemap.xml.gz", "404.html", "search/search_index.json", "assets/kbgen/suggest.json", "contact/index.html", "search/index.html"}
# The benchmark's kbgen site, with short listings (and the options a test adds).
CONFIG = KBGEN_CONFIG.replace("  font: false\n", "  font: false\n  features: [navigation.footer]\n").replace("  - kbgen\n", "  - kbgen:\n      per_page: 10\n{options}")


@pytest.fixture(autouse=True)
def fixed_build_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


def project(root: Path, pages: int = 120, options: str = "") -> Path:
    generate_site(root, pages, categories=4)
    config = root / "mkdocs.yml"
    config.write_text(CONFIG.format(options=options), encoding="utf-8")
    return config


def outputs(site: Path) -> dict[str, tuple[int, int]]:
    """Every file of the site with its inode and modification time: what a rebuild that reuses a file keeps."""
    return {path.relative_to(site).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns) for path in site.rglob("*") if path.is_file()}


def written(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    """Files the rebuild wrote (new or replaced), less the ones every build writes."""
    return {path for path, state in after.items() if before.get(path) != state} - ALWAYS_WRITTEN


def page(path: Path) -> str:
    """The output of a content file (directory URLs)."""
    return path.with_suffix("").as_posix() + "/index.html"


def articles(root: Path, category: str) -> list[Path]:
    return sorted((root / "content" / "faq" / category).glob("*.md"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_rebuild_with_nothing_changed_leaves_the_site_as_it_was(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    config = project(tmp_path)
    site = build_site(config, site_dir=tmp_path / "site")
    before = outputs(site)
    build_site(config, site_dir=tmp_path / "site")
    assert outputs(site) == before
    assert any("the site did not change" in record.getMessage() for record in caplog.records)


def test_an_edited_answer_renders_that_page_and_nothing_else(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    config = project(tmp_path, options="      related: false\n")
    site = build_site(config, site_dir=tmp_path / "site")
    before = outputs(site)
    article = articles(tmp_path, "topic-01")[2]
    article.write_text(article.read_text(encoding="utf-8") + "\nA sentence added by the writer.\n", encoding="utf-8")
    build_site(config, site_dir=tmp_path / "site")
    assert written(before, outputs(site)) == {page(article.relative_to(tmp_path / "content"))}
    assert "A sentence added by the writer." in (site / page(article.relative_to(tmp_path / "content"))).read_text(encoding="utf-8")
    assert any(re.search(r"kbgen: \d+ unchanged pages reused, 3 rendered", record.getMessage()) for record in caplog.records), "the article, the contact page and the search page"


def test_a_new_title_renders_the_page_the_pages_listing_it_and_its_neighbours(tmp_path):
    config = project(tmp_path, options="      related: false\n")
    site = build_site(config, site_dir=tmp_path / "site")
    before = outputs(site)
    article = articles(tmp_path, "topic-02")[1]
    edit(article, "title: ", "title: Retitled ")
    build_site(config, site_dir=tmp_path / "site")
    changed = written(before, outputs(site))
    html = {path: (site / path).read_text(encoding="utf-8") for path in changed}
    assert page(article.relative_to(tmp_path / "content")) in changed
    listing_it = {path for path, text in html.items() if "Retitled " in text}
    assert changed == listing_it, "every page written shows the new title (no page rendered for nothing)"
    assert any(path.startswith("faq/topic-02/") and "/article-" not in path for path in changed), "its category listing"
    assert any(path.startswith("tags/") for path in changed), "its tag listings"
    assert sum(path.startswith("faq/topic-02/article-") for path in changed) == 3, "the page and its previous and next pages"
    assert not any(path.startswith(("faq/topic-00/", "faq/topic-03/", "community/topic-00/")) for path in changed)
    for path in outputs(site).keys() - changed - ALWAYS_WRITTEN:
        if path.endswith(".html"):
            assert "Retitled " not in (site / path).read_text(encoding="utf-8"), f"{path} shows the title but was not rendered again"


def test_a_cached_rebuild_is_byte_identical_to_a_clean_build(tmp_path):
    cached, clean = tmp_path / "cached", tmp_path / "clean"
    config = project(cached)
    build_site(config, site_dir=cached / "site")
    first, second = articles(cached, "topic-00")[:2]
    first.write_text(first.read_text(encoding="utf-8") + "\nInvoices, refunds and payouts are synced every night.\n", encoding="utf-8")
    edit(second, "title: ", "title: Retitled ")
    new = cached / "content" / "faq" / "topic-03" / "article-new.md"
    new.write_text("---\ntitle: How do I pause my subscription?\nquestions: [Can I freeze my plan?]\nsummary: Pause it in Billing.\n---\nOpen Billing and choose Pause.\n", encoding="utf-8")
    sorted((cached / "content" / "community" / "topic-01").glob("*.md"))[0].unlink()
    build_site(config, site_dir=cached / "site")
    shutil.copytree(cached / "content", clean / "content")
    shutil.copy(config, clean / "mkdocs.yml")
    build_site(clean / "mkdocs.yml", site_dir=clean / "site")

    def contents(site: Path) -> dict[str, bytes]:
        return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}

    cached_files, clean_files = contents(cached / "site"), contents(clean / "site")
    assert cached_files.keys() == clean_files.keys()
    assert [path for path in clean_files if cached_files[path] != clean_files[path]] == []


def test_the_previous_site_is_never_written_to(tmp_path):
    config = project(tmp_path)
    site = build_site(config, site_dir=tmp_path / "site")
    kept = tmp_path / "kept"
    for path in site.rglob("*"):  # hard links: any write into the previous site's files would show here
        if path.is_file():
            (kept / path.relative_to(site)).parent.mkdir(parents=True, exist_ok=True)
            os.link(path, kept / path.relative_to(site))
    snapshot = {path: path.read_bytes() for path in kept.rglob("*") if path.is_file()}
    article = articles(tmp_path, "topic-03")[0]
    edit(article, "title: ", "title: Retitled ")
    build_site(config, site_dir=tmp_path / "site")
    assert {path: path.read_bytes() for path in snapshot} == snapshot


def test_an_output_changed_by_hand_is_rendered_again(tmp_path):
    config = project(tmp_path)
    site = build_site(config, site_dir=tmp_path / "site")
    target = site / page(articles(tmp_path, "topic-01")[0].relative_to(tmp_path / "content"))
    original = target.read_bytes()
    target.write_bytes(b"<html>changed by hand</html>")
    build_site(config, site_dir=tmp_path / "site")
    assert target.read_bytes() == original


def test_without_incremental_every_page_is_rendered_again(tmp_path):
    config = project(tmp_path, pages=40, options="      incremental: false\n")
    site = build_site(config, site_dir=tmp_path / "site")
    before = outputs(site)
    build_site(config, site_dir=tmp_path / "site")
    pages = [path for path in before if path.endswith(".html")]
    assert all(outputs(site)[path] != before[path] for path in pages)


def test_a_served_site_rebuilds_in_place_only_what_changed(tmp_path):
    """kbgen serve runs MkDocs' dirty rebuilds in the served folder: the plan removes what must be rendered again."""
    root_config = project(tmp_path, options="      related: false\n")
    site = tmp_path / "served"

    def config():
        return load_config(str(root_config), site_dir=str(site))

    first = config()
    first.plugins.on_startup(command="serve", dirty=True)
    try:
        with exact_dirty_builds():
            mkdocs_build(first, dirty=True)
            before = outputs(site)
            article = articles(tmp_path, "topic-00")[3]
            article.write_text(article.read_text(encoding="utf-8") + "\nEdited while serving.\n", encoding="utf-8")
            mkdocs_build(config(), dirty=True)
    finally:
        first.plugins.on_shutdown()
    assert written(before, outputs(site)) == {page(article.relative_to(tmp_path / "content"))}
    assert "Edited while serving." in (site / page(article.relative_to(tmp_path / "content"))).read_text(encoding="utf-8")
    assert not (tmp_path / ".kbgen" / "build-state.json").exists(), "a served site's state is not saved"
