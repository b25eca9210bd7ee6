"""``kbgen check --changed [REF]``: the problems of the files git sees as changed, and of the pages that link to them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kbgen.changed import changed_content, check_changed
from kbgen.check import check_tree

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="kbgen check --changed asks git what changed; git is not installed")

GOOD = "---\ntitle: {title}\nstatus: published\n---\n{body}\n"
BAD_STATUS = "---\ntitle: Broken\nstatus: wrong\n---\nAnswer.\n"


def git(repo: Path, *arguments: str) -> str:
    command = ["git", "-C", str(repo), "-c", "user.name=Writer", "-c", "user.email=writer@example.com", "-c", "commit.gpgsign=false", *arguments]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path, write_tree, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A committed project: mkdocs.yml and content/ with an article that another links to, and an old error."""
    write_tree(
        {
            "faq/billing/refunds.md": GOOD.format(title="Refunds", body="Ask within 30 days."),
            "faq/billing/invoices.md": GOOD.format(title="Invoices", body="See [refunds](refunds.md)."),
            "faq/account/login.md": GOOD.format(title="Log in", body="Read [how refunds work](../billing/refunds.md#when)."),
            "faq/account/old-error.md": BAD_STATUS,
        }
    )
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\ndocs_dir: content\n", encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "start")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def files(result) -> list[str]:
    return sorted({line.split(":")[0] for line in result.stdout.splitlines()})


def reported(result) -> list[str]:
    return [line.split(": ", 2)[0] + ": " + line.split(": ", 2)[2].split(";")[0] for line in result.stdout.splitlines()]


def test_changed_reports_the_error_of_an_edited_file_only(run_cli, repo):
    (repo / "content/faq/billing/refunds.md").write_text(BAD_STATUS.replace("Broken", "Refunds"), encoding="utf-8")
    result = run_cli("check", "--changed")
    assert result.exit_code == 1
    assert reported(result) == ["content/faq/billing/refunds.md:3:1: unknown status 'wrong'"]
    assert "1 changed file(s) since HEAD and 2 file(s) linking to them checked; 1 error(s)" in result.stderr
    assert "old-error.md" in run_cli("check").stdout  # the full check still sees the old error


def test_nothing_changed_is_clean_even_with_old_errors(run_cli, repo):
    result = run_cli("check", "--changed")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""
    assert "0 changed file(s)" in result.stderr


def test_deleted_page_shows_the_broken_links_of_the_pages_linking_to_it(run_cli, repo):
    (repo / "content/faq/billing/refunds.md").unlink()
    result = run_cli("check", "--changed")
    assert result.exit_code == 1
    assert reported(result) == [
        "content/faq/account/login.md:5:25: broken link to '../billing/refunds.md#when': no such page",
        "content/faq/billing/invoices.md:5:15: broken link to 'refunds.md': no such page",
    ]


def test_renamed_page_shows_the_broken_links_of_its_linkers(run_cli, repo):
    git(repo, "mv", "content/faq/billing/refunds.md", "content/faq/billing/money-back.md")
    result = run_cli("check", "--changed")
    assert result.exit_code == 1
    assert files(result) == ["content/faq/account/login.md", "content/faq/billing/invoices.md"]


def test_staged_and_untracked_files_count_as_changed(run_cli, repo):
    (repo / "content/faq/billing/new.md").write_text(BAD_STATUS, encoding="utf-8")
    (repo / "content/faq/account/staged.md").write_text("---\ntitle: Staged\nstatus: published\n---\nSee [x](nowhere.md).\n", encoding="utf-8")
    git(repo, "add", "content/faq/account/staged.md")
    result = run_cli("check", "--changed")
    assert files(result) == ["content/faq/account/staged.md", "content/faq/billing/new.md"]


def test_a_new_file_that_duplicates_an_old_slug_reports_the_old_file_naming_it(run_cli, repo):
    (repo / "content/faq/account/refunds.md").write_text(GOOD.format(title="Refunds for accounts", body="Other."), encoding="utf-8")
    result = run_cli("check", "--changed")
    assert "content/faq/billing/refunds.md:1:1: error: duplicate slug 'refunds': faq/account/refunds.md has the same file name" in result.stdout


def test_changed_since_a_ref_includes_commits_on_the_branch(run_cli, repo):
    git(repo, "checkout", "-q", "-b", "topic")
    (repo / "content/faq/billing/invoices.md").write_text(BAD_STATUS, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "break invoices")
    assert run_cli("check", "--changed").exit_code == 0  # nothing uncommitted
    result = run_cli("check", "--changed", "main")
    assert result.exit_code == 1
    assert files(result) == ["content/faq/billing/invoices.md"]
    assert "since main" in result.stderr


def test_a_changed_categories_file_checks_everything(run_cli, repo):
    categories = repo / "content/categories.yml"
    categories.write_text(categories.read_text(encoding="utf-8") + "extra:\n  title: Extra\n", encoding="utf-8")
    result = run_cli("check", "--changed")
    assert "every file checked (categories.yml changed)" in result.stderr
    assert "old-error.md" in result.stdout


def test_changed_problems_are_the_full_checks_problems_of_those_files(repo):
    (repo / "content/faq/billing/refunds.md").unlink()
    (repo / "content/faq/account/old-error.md").write_text(BAD_STATUS + "[a](gone.md)\n", encoding="utf-8")
    changed = changed_content(repo / "content")
    narrowed = check_changed(repo / "content", changed, cache_dir=repo / ".kbgen")
    _, everything = check_tree(repo / "content")
    assert set(narrowed.problems) <= set(everything)
    assert {problem.path for problem in narrowed.problems} == {"faq/account/old-error.md", "faq/account/login.md", "faq/billing/invoices.md"}


def test_an_edit_after_a_cached_run_is_parsed_again(run_cli, repo):
    assert run_cli("check", "--changed").exit_code == 0
    assert (repo / ".kbgen/parsed-content.pickle").is_file()
    (repo / "content/faq/billing/refunds.md").write_text(BAD_STATUS, encoding="utf-8")
    assert run_cli("check", "--changed").exit_code == 1


def test_content_folder_below_the_repository_root_maps_git_paths(run_cli, repo, tmp_path):
    (repo / "content/faq/billing/refunds.md").write_text(BAD_STATUS, encoding="utf-8")
    result = run_cli("check", repo / "content", "--changed")
    assert files(result) == [f"{repo / 'content'}/faq/billing/refunds.md"]


def test_changed_outside_git_is_a_usage_error(run_cli, write_tree, tmp_path, monkeypatch):
    root = write_tree({})
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", root, "--changed")
    assert result.exit_code == 2
    assert "not in a git repository" in result.output


def test_unknown_revision_is_a_usage_error_with_a_hint(run_cli, repo):
    result = run_cli("check", "--changed", "no-such-branch")
    assert result.exit_code == 2
    assert "unknown git revision 'no-such-branch'" in result.output
    assert "a content folder goes before --changed" in result.output


def test_repository_without_commits_checks_everything(run_cli, write_tree, tmp_path, monkeypatch):
    write_tree({"faq/billing/bad.md": BAD_STATUS})
    git(tmp_path, "init", "-q")
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "--changed")
    assert result.exit_code == 1
    assert "every file checked (the repository has no commit yet)" in result.stderr
