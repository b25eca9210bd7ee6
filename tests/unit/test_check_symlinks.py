"""Symlinks and special files under the docs folder: ``kbgen check`` names each one and never reads it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kbgen.check import check_tree
from kbgen.errors import KbgenError
from kbgen.load import content_files, load_corpus, load_thread, read_text

ARTICLE = """\
---
title: {title}
---
The answer.
"""
THREAD = """\
---
title: Secret thread
author: eve
date: 2026-03-14
---
The question.
"""


def error_lines(problems: list[KbgenError]) -> list[str]:
    return [f"{problem.path}:{problem.line}: {problem.message}" for problem in problems if problem.is_error]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the docs folder, holding a valid article and a secret."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "leak.md").write_text(ARTICLE.format(title="Leaked article"), encoding="utf-8")
    (folder / "secret.txt").write_text("MY_CI_SECRET=hunter2\n", encoding="utf-8")
    return folder


@pytest.fixture
def site(write_tree) -> Path:
    return write_tree({"faq/billing/refunds.md": ARTICLE.format(title="Refunds")})


def test_check_reports_file_links_that_leave_the_docs_folder(site, outside):
    (site / "env.txt").symlink_to("/proc/self/environ")
    (site / "passwd.txt").symlink_to("/etc/passwd")
    (site / "faq/billing/leak.md").symlink_to(outside / "leak.md")
    corpus, problems = check_tree(site)
    assert error_lines(problems) == [
        f"env.txt:1: file is a symbolic link that leaves the docs folder (to {Path('/proc/self/environ').resolve()})",
        f"faq/billing/leak.md:1: file is a symbolic link that leaves the docs folder (to {outside / 'leak.md'})",
        "passwd.txt:1: file is a symbolic link that leaves the docs folder (to /etc/passwd)",
    ]
    assert [article.title for article in corpus.articles] == ["Refunds"]


def test_check_reports_a_folder_link_that_leaves_and_reads_nothing_in_it(site, outside):
    (site / "faq/billing/more").symlink_to(outside, target_is_directory=True)
    (site / "etc").symlink_to("/etc", target_is_directory=True)
    corpus, problems = check_tree(site)
    assert error_lines(problems) == [
        "etc:1: folder is a symbolic link that leaves the docs folder (to /etc)",
        f"faq/billing/more:1: folder is a symbolic link that leaves the docs folder (to {outside})",
    ]
    assert [article.path for article in corpus.articles] == ["faq/billing/refunds.md"]


def test_links_that_stay_inside_the_docs_folder_are_followed(site):
    (site / "faq/account").mkdir()
    (site / "faq/account/same-refunds.md").symlink_to("../billing/refunds.md")
    (site / "faq/mirror").symlink_to("billing", target_is_directory=True)
    corpus, problems = load_corpus(site)
    assert error_lines(problems) == ["faq/mirror/refunds.md:1: unknown category 'mirror'"]
    assert [article.path for article in corpus.articles] == ["faq/account/same-refunds.md", "faq/billing/refunds.md", "faq/mirror/refunds.md"]


def test_folder_link_back_to_a_parent_is_not_walked_forever(site):
    (site / "faq/billing/loop").symlink_to("..", target_is_directory=True)
    (site / "faq/billing/root").symlink_to(site, target_is_directory=True)
    assert content_files(site) == ["faq/billing/refunds.md"]
    _, problems = check_tree(site)
    assert error_lines(problems) == []


def test_dangling_and_self_links_are_reported(site):
    (site / "faq/billing/gone.md").symlink_to("nowhere.md")
    (site / "faq/billing/self.md").symlink_to("self.md")
    _, problems = check_tree(site)
    assert error_lines(problems) == [
        "faq/billing/gone.md:1: file is a symbolic link to nothing (or to itself)",
        "faq/billing/self.md:1: file is a symbolic link to nothing (or to itself)",
    ]


def test_a_named_pipe_is_reported_and_never_opened(site):
    os.mkfifo(site / "faq/billing/pipe.md")  # opening it to read would block for ever
    corpus, problems = check_tree(site)
    assert error_lines(problems) == ["faq/billing/pipe.md:1: file is not a regular file (a device, pipe or socket)"]
    assert len(corpus.articles) == 1


def test_categories_file_linked_from_outside_is_not_read(write_tree, outside):
    (outside / "categories.yml").write_text("billing:\n  title: Stolen title\n", encoding="utf-8")
    site = write_tree({}, categories=None)
    (site / "categories.yml").symlink_to(outside / "categories.yml")
    corpus, problems = load_corpus(site)
    assert corpus.categories == {}
    assert any(line.startswith("categories.yml:1: file is a symbolic link that leaves the docs folder") for line in error_lines(problems))


def test_reading_one_thread_refuses_a_link_out(write_tree, outside):
    (outside / "thread.md").write_text(THREAD, encoding="utf-8")
    site = write_tree({})
    (site / "community/billing").mkdir(parents=True)
    (site / "community/billing/secret.md").symlink_to(outside / "thread.md")
    thread, problems = load_thread(site, "community/billing/secret.md")
    assert thread is None
    assert error_lines(problems) == [f"community/billing/secret.md:1: file is a symbolic link that leaves the docs folder (to {outside / 'thread.md'})"]
    with pytest.raises(KbgenError):
        read_text(site, "community/billing/secret.md")


def test_check_cli_fails_on_the_reproduced_environment_leak(run_cli, site):
    (site / "env.txt").symlink_to("/proc/self/environ")
    result = run_cli("check", site)
    assert result.exit_code == 1
    assert f"{site.as_posix()}/env.txt:1:1: error: file is a symbolic link that leaves the docs folder" in result.stdout
    assert "MY_CI_SECRET" not in result.stdout + result.stderr
