"""Choosing the engine, and how ``kbgen serve --engine zensical`` brings a new stage into the served one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kbgen.engines import ENGINES, check_engine, sync_tree
from kbgen.errors import KbgenError


def test_mkdocs_is_always_available() -> None:
    assert check_engine("mkdocs") == "mkdocs"
    assert ENGINES == ("mkdocs", "zensical")


def test_an_unknown_engine_names_the_choices() -> None:
    with pytest.raises(KbgenError) as raised:
        check_engine("Zensical")  # engines are named in lower case, as on the command line
    assert raised.value.message == "unknown engine 'Zensical'" and "mkdocs, zensical" in raised.value.hint


def _write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_sync_tree_rewrites_only_what_changed_and_removes_what_went(tmp_path: Path) -> None:
    fresh, live = tmp_path / "fresh", tmp_path / "live"
    _write(live, {"index.md": "home", "faq/a.md": "old answer", "faq/gone.md": "removed since"})
    _write(fresh, {"index.md": "home", "faq/a.md": "new answer", "faq/b.md": "added"})
    unchanged = live / "index.md"
    os.utime(unchanged, ns=(1_000_000_000, 1_000_000_000))
    changed = sync_tree(fresh, live)
    assert changed == 3  # a.md rewritten, b.md added, gone.md removed
    assert sorted(path.relative_to(live).as_posix() for path in live.rglob("*") if path.is_file()) == ["faq/a.md", "faq/b.md", "index.md"]
    assert (live / "faq/a.md").read_text(encoding="utf-8") == "new answer"
    assert unchanged.stat().st_mtime_ns == 1_000_000_000  # untouched: a watching engine does not rebuild it
    assert sync_tree(fresh, live) == 0


def test_a_new_stage_renders_only_the_pages_whose_record_changed(tmp_path: Path) -> None:
    from kbgen.site.stage import StagedPages, stage_site  # noqa: PLC0415
    from tests.unit.test_rebuild_protocol import make_project  # noqa: PLC0415 - the same tiny site

    config = make_project(tmp_path / "project")
    staged_pages = StagedPages()
    first = stage_site(config, tmp_path / "first", previous=staged_pages)
    everything = staged_pages.rendered
    assert everything == len(staged_pages.pages) > 10
    second = stage_site(config, tmp_path / "second", previous=staged_pages)
    assert staged_pages.rendered == 0
    assert sync_tree(second.docs_dir, first.docs_dir) == 0, "reused pages are written exactly as rendered"
    card = tmp_path / "project/content/faq/account/password.md"
    card.write_text(card.read_text(encoding="utf-8").replace("The answer to", "Now the answer to"), encoding="utf-8")
    third = stage_site(config, tmp_path / "third", previous=staged_pages)
    assert 0 < staged_pages.rendered < everything / 2, "the edited article and the listings that show it"
    fresh = stage_site(config, tmp_path / "fresh")
    assert sync_tree(fresh.docs_dir, third.docs_dir) == 0, "the same tree as a stage from nothing"
