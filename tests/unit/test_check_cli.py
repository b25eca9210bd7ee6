"""``kbgen check`` as CI runs it: exit status, file:line lines, GitHub annotations."""

from __future__ import annotations

from pathlib import Path

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "broken_site"


def test_check_broken_fixture_prints_expected_lines_and_fails(run_cli):
    result = run_cli("check", FIXTURE / "content")
    expected = (FIXTURE / "expected_check.txt").read_text(encoding="utf-8").splitlines()
    prefix = f"{(FIXTURE / 'content').as_posix()}/"
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [prefix + line for line in expected]
    assert "13 error(s), 0 warning(s)" in result.stderr


def test_check_github_format_prints_annotations(run_cli):
    result = run_cli("check", FIXTURE / "content", "--format", "github")
    first = result.stdout.splitlines()[0]
    assert result.exit_code == 1
    assert first == (
        f"::error file={(FIXTURE / 'content').as_posix()}/community/billing/charged-twice.md,line=5,col=1::"
        "'solved' must be true or false, not text"
    )


def test_check_demo_content_is_clean(run_cli, repo_root):
    result = run_cli("check", repo_root / "content", "--strict")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""


def test_check_missing_directory_is_a_clear_error(run_cli, tmp_path):
    result = run_cli("check", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "content directory not found" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_check_strict_fails_on_warnings(run_cli, write_tree):
    article = "---\ntitle: A\nstatus: published\n---\nSee [b](b.md).\n"
    draft = "---\ntitle: B\nstatus: draft\n---\nSoon.\n"
    root = write_tree({"faq/billing/a.md": article, "faq/billing/b.md": draft})
    assert run_cli("check", root).exit_code == 0
    assert run_cli("check", root, "--strict").exit_code == 1
