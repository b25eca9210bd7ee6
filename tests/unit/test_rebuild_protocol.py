"""The project (kbgen.project) and the rebuild protocol between the builder and the plugin (StagedBuild), in isolation.

Each test builds a tiny real site in its own folder: the cache folder is the plugin's
``cache_dir`` of that project, never a shared ``.kbgen``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

import kbgen
import kbgen.project
from kbgen.build import build_site, exact_dirty_builds, staged_build
from kbgen.cachefile import read_cached, write_cached
from kbgen.cli.project import default_cache_dir, default_content_dir
from kbgen.errors import KbgenError
from kbgen.load import CACHE_FILE, read_load_cache
from kbgen.project import Project, version_stamps
from kbgen.semantic import cached_embeddings
from kbgen.site.cache import STATE_FILE, TEXT_FILE, RebuildsStaged, StagedBuild, TextCache, load_state
from kbgen.site.plugin import KbgenPlugin

CACHE = ".cache/kb"
CONFIG = """\
site_name: Help
site_url: https://help.example/
docs_dir: content
theme:
  name: material
  font: false
plugins:
  - search
  - kbgen:
      cache_dir: {cache}
      contact: {{enabled: false}}
      search_page: false
"""
CATEGORIES = """\
billing:
  title: Plans & billing
account:
  title: Account & sign-in
"""


def article(title: str, *, tags: str = "[refunds]", updated: str = "2025-01-10", extra: str = "") -> str:
    return f"---\ntitle: {title}\nquestions: [{title}?]\ntags: {tags}\nstatus: published\nupdated: {updated}\n{extra}---\nThe answer to {title.lower()}.\n"


def make_project(root: Path, *, updated: str = "2025-01-10", cache: str = CACHE) -> Path:
    """A two-article help center with a plain page; returns its mkdocs.yml."""
    files = {
        "categories.yml": CATEGORIES,
        "faq/billing/refund.md": article("Request a refund", updated=updated, extra="related: [faq/account/close.md]\n"),
        "faq/billing/invoice.md": article("Download an invoice", tags="[invoices]", updated=updated),
        "faq/billing/card.md": article("Update your card", tags="[cards]", updated=updated),
        "faq/account/password.md": article("Reset your password", tags="[sign-in]", updated=updated),
        "faq/account/close.md": article("Close your account", tags="[sign-in]", updated=updated),
        "about.md": "# About\n\nWho we are.\n",
    }
    for relative, text in files.items():
        path = root / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(CONFIG.format(cache=cache), encoding="utf-8")
    return config


def digest_tree(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.fixture(autouse=True)
def no_build_date(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


# -- the project ------------------------------------------------------------------------------


def test_project_reads_docs_dir_and_the_plugins_cache_dir_from_mkdocs_yml(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_DOCS", "pages")
    config = tmp_path / "mkdocs.yml"
    config.write_text(textwrap.dedent("""\
        site_name: x
        docs_dir: !ENV [KB_DOCS, docs]
        markdown_extensions:
          - pymdownx.emoji:
              emoji_index: !!python/name:material.extensions.emoji.twemoji
        plugins:
          - search
          - kbgen: {cache_dir: build/cache, per_page: 5}
        """), encoding="utf-8")
    project = Project.load(config)
    assert project.root == tmp_path
    assert project.docs_dir == tmp_path / "pages"
    assert project.cache_dir == tmp_path / "build" / "cache"
    assert project.cache_path("report.html") == tmp_path / "build" / "cache" / "report.html"
    assert project.settings["per_page"] == 5


def test_project_without_mkdocs_yml_is_content_and_kbgen_beside_it(tmp_path):
    project = Project.load(tmp_path / "mkdocs.yml")
    assert (project.docs_dir, project.cache_dir, project.config_file) == (tmp_path / "content", tmp_path / ".kbgen", None)


def test_content_outside_the_project_keeps_its_cache_beside_it(tmp_path):
    project = Project.load(make_project(tmp_path / "help"))
    assert project.for_content(tmp_path / "help" / "content").cache_dir == tmp_path / "help" / CACHE
    elsewhere = tmp_path / "other" / "docs"
    assert project.for_content(elsewhere).cache_dir == tmp_path / "other" / ".kbgen"


def test_an_unreadable_mkdocs_yml_is_an_error_with_its_line(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nplugins: [search\n", encoding="utf-8")
    with pytest.raises(KbgenError) as caught:
        Project.load(config)
    assert caught.value.path == str(config) and caught.value.line == 3


def test_the_cli_uses_the_plugins_cache_dir(tmp_path, monkeypatch):
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert default_content_dir() == Path("content")
    assert default_cache_dir(Path("content")) == Path(CACHE)


def test_the_plugin_sees_the_same_project_as_the_cli(tmp_path):
    config_file = make_project(tmp_path)
    build_site(config_file)
    assert (tmp_path / CACHE / STATE_FILE).is_file()
    assert not (tmp_path / ".kbgen").exists(), "no cache outside the configured cache_dir"
    config = load_config(str(config_file))
    plugin = config.plugins["kbgen"]
    plugin.on_config(config)
    assert plugin.project.cache_dir == Project.load(config_file).cache_dir
    assert plugin.project.docs_dir.resolve() == Project.load(config_file).docs_dir.resolve()
    plugin.on_shutdown()


# -- the rebuild protocol ---------------------------------------------------------------------


def test_the_kbgen_plugin_speaks_the_rebuild_protocol_and_search_alone_does_not(tmp_path):
    config_file = make_project(tmp_path)
    assert isinstance(KbgenPlugin(), RebuildsStaged)
    config_file.write_text(CONFIG.split("  - kbgen:")[0], encoding="utf-8")
    plan = staged_build(load_config(str(config_file)), tmp_path / "site")
    assert plan == StagedBuild(tmp_path / "site")
    assert not plan.reuse and plan.commit(tmp_path / "site") is None


def test_a_first_build_plans_no_reuse(tmp_path):
    config = load_config(str(make_project(tmp_path)))
    plan = config.plugins["kbgen"].stage_build(tmp_path / "site")
    assert plan.previous_site == (tmp_path / "site").resolve()
    assert not plan.reuse


def test_a_disabled_or_non_incremental_plugin_plans_no_reuse(tmp_path):
    config_file = make_project(tmp_path)
    build_site(config_file)
    for option in ("enabled: false", "incremental: false"):
        config_file.write_text(CONFIG.format(cache=CACHE) + f"      {option}\n", encoding="utf-8")
        assert not staged_build(load_config(str(config_file)), tmp_path / "site").reuse, option


def test_a_staged_rebuild_lists_the_outputs_it_reuses_and_records_them_only_on_commit(tmp_path):
    config_file = make_project(tmp_path)
    site = build_site(config_file)
    state_file = tmp_path / CACHE / STATE_FILE
    recorded = load_state(state_file, site.resolve())
    (tmp_path / "content/faq/billing/invoice.md").write_text(article("Download an invoice", tags="[invoices]", extra="summary: Changed.\n"), encoding="utf-8")
    staging = tmp_path / "staging"
    config = load_config(str(config_file), site_dir=str(staging))
    plan = staged_build(config, site)
    assert plan.reuse and plan.fingerprints is None
    with exact_dirty_builds():
        mkdocs_build(config, dirty=plan.reuse)
    assert "faq/billing/refund/index.html" in plan.reused_outputs, "an unchanged page is reused"
    assert "faq/billing/invoice/index.html" not in plan.reused_outputs, "the edited page is rendered"
    assert (staging / "faq/billing/invoice/index.html").is_file() and not (staging / "faq/billing/refund/index.html").exists()
    assert plan.fingerprints is not None and plan.state_file == state_file
    assert load_state(state_file, site.resolve()) == recorded, "nothing is recorded before the site is in place"
    state = plan.commit(site)
    assert state is not None and load_state(state_file, site.resolve()) == state


def test_a_failed_build_commits_nothing(tmp_path):
    config_file = make_project(tmp_path)
    site = build_site(config_file)
    before = (tmp_path / CACHE / STATE_FILE).read_bytes()
    config = load_config(str(config_file), site_dir=str(tmp_path / "staging"))
    plan = staged_build(config, site)
    config.plugins["kbgen"].on_build_error(error=RuntimeError("stopped"))
    assert plan.commit(site) is None
    assert (tmp_path / CACHE / STATE_FILE).read_bytes() == before


# -- the build date ---------------------------------------------------------------------------


def sitemap_dates(site: Path) -> dict[str, str]:
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    return dict(re.findall(r"<loc>https://help\.example/([^<]*)</loc>\s*<lastmod>([^<]+)</lastmod>", text))


def test_two_projects_built_in_one_process_each_carry_their_own_content_date(tmp_path):
    first = build_site(make_project(tmp_path / "first", updated="2024-03-01"))
    assert "SOURCE_DATE_EPOCH" not in os.environ, "the build leaves the process environment as it found it"
    second = build_site(make_project(tmp_path / "second", updated="2025-07-15"))
    assert "SOURCE_DATE_EPOCH" not in os.environ
    assert sitemap_dates(first)["about/"] == "2024-03-01"
    assert sitemap_dates(second)["about/"] == "2025-07-15", "a plain page is dated from its own project's content"


def test_a_build_date_set_by_the_user_wins_and_stays_set(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    site = build_site(make_project(tmp_path, updated="2024-03-01"))
    assert sitemap_dates(site)["about/"] == "2026-01-01"
    assert os.environ["SOURCE_DATE_EPOCH"] == "1767225600"


# -- what a page is rendered from -------------------------------------------------------------

UNRELATED_PAGE = "faq/billing/card/index.html"  # shows none of the inputs below but the category's title
RENDERER_INPUTS = {
    # A related link's title: the refund page lists the account-closing article (in another category) under "Related articles".
    "related link title": ("faq/account/close.md", "title: Close your account", "title: Delete your workspace", "faq/billing/refund/index.html", "Delete your workspace"),
    # A category's title: in each of its articles' breadcrumbs.
    "category title": ("categories.yml", "title: Plans & billing", "title: Billing & plans", "faq/billing/refund/index.html", "Billing &amp; plans"),
    # A tag of another article: the tag's page lists it.
    "tag": ("faq/billing/invoice.md", "tags: [invoices]", "tags: [invoices, refunds]", "tags/refunds/index.html", "Download an invoice"),
}


@pytest.mark.parametrize("name", sorted(RENDERER_INPUTS))
def test_changing_a_renderer_input_renders_the_page_again_as_a_clean_build_would(tmp_path, name):
    relative, old, new, output, expected = RENDERER_INPUTS[name]
    config_file = make_project(tmp_path / "incremental")
    site = build_site(config_file)
    assert expected not in (site / output).read_text(encoding="utf-8")
    source = tmp_path / "incremental" / "content" / relative
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new), encoding="utf-8")
    unrelated = (site / UNRELATED_PAGE).stat()
    build_site(config_file)
    assert expected in (site / output).read_text(encoding="utf-8")
    if name != "category title":  # the category's title is in every page's menu
        assert (site / UNRELATED_PAGE).stat().st_ino == unrelated.st_ino, "a page that shows none of it is reused"
    clean = tmp_path / "clean"
    shutil.copytree(tmp_path / "incremental" / "content", clean / "content")
    (clean / "mkdocs.yml").write_text(config_file.read_text(encoding="utf-8"), encoding="utf-8")
    assert digest_tree(build_site(clean / "mkdocs.yml")) == digest_tree(site)


# -- the version stamps every cache keys on ------------------------------------------------------


@pytest.fixture
def newer_kbgen(monkeypatch):
    """Make this process look like another kbgen version, or one with another cache schema (stamps are read once per process)."""

    def upgrade(schema: int | None = None) -> None:
        monkeypatch.setattr(kbgen, "__version__", "99.0.0")
        if schema is not None:
            monkeypatch.setattr(kbgen.project, "CACHE_SCHEMA", schema)
        version_stamps.cache_clear()

    yield upgrade
    version_stamps.cache_clear()


def test_every_cache_keys_on_the_projects_version_stamps(tmp_path, newer_kbgen, caplog):
    config_file = make_project(tmp_path)
    project = Project.load(config_file)
    build_site(config_file)
    write_cached(project.cache_dir, "probe.json", "key", [1])
    assert read_cached(project.cache_dir, "probe.json", "key") == [1]
    assert read_load_cache(project.cache_path(CACHE_FILE)).files, "the content was cached"
    assert TextCache.load(project.cache_path(TEXT_FILE), project.stamps.key).entries, "so was the contact page's text"
    before = project.stamps
    newer_kbgen()
    assert project.stamps.kbgen == "99.0.0" and project.stamps.key != before.key
    assert read_cached(project.cache_dir, "probe.json", "key") is None, "related links and duplicate warnings are made again"
    assert not read_load_cache(project.cache_path(CACHE_FILE)).files, "every file is parsed again"
    assert not TextCache.load(project.cache_path(TEXT_FILE), project.stamps.key).entries
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.kbgen"):
        build_site(config_file)
    assert re.search(r"kbgen: 0 unchanged pages reused, \d+ rendered", caplog.text), "every page is rendered again"


def test_embeddings_outlive_a_kbgen_upgrade_but_not_a_new_cache_schema(tmp_path, newer_kbgen):
    from tests.unit.test_link_semantic import CountingEncoder  # noqa: PLC0415 - the semantic tests' stand-in model

    encoder = CountingEncoder()
    cached_embeddings(encoder, ["alpha"], tmp_path)
    newer_kbgen()
    cached_embeddings(encoder, ["alpha"], tmp_path)
    assert encoder.encoded == ["alpha"], "embeddings depend on the model, not on kbgen's code"
    newer_kbgen(schema=kbgen.project.CACHE_SCHEMA + 1)
    cached_embeddings(encoder, ["alpha"], tmp_path)
    assert encoder.encoded == ["alpha", "alpha"]
