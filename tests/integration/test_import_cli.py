"""The import and promote commands as a writer uses them: summary lines, edits kept, clean errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "community"
COFFEE = FIXTURES / "stackexchange" / "coffee.stackexchange.com"


def test_import_then_edit_lock_and_reimport_keeps_the_edit(tmp_path: Path, write_tree: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    root = write_tree({}, categories="coffee:\n  title: Coffee\n")
    result = run_cli("import", "stackexchange", COFFEE, "--into", root / "community", "--category", "coffee", "--solved-only")
    assert result.exit_code == 0
    assert result.stdout == f"{root / 'community'}: added 3, updated 0, unchanged 0, skipped 2 (1 not solved, 1 unanswered)\n"
    thread = root / "community" / "coffee" / "what-is-the-process-to-reduce-bitterness-in-14.md"
    edited = thread.read_text(encoding="utf-8").replace("votes: 14\n", "votes: 14\nlocked: true\n") + "\nEdited by support.\n"
    thread.write_text(edited, encoding="utf-8")
    result = run_cli("import", "stackexchange", COFFEE, "--into", root / "community", "--category", "coffee")
    assert result.stdout.endswith("added 1, updated 0, unchanged 2, skipped 2 (1 locked, 1 unanswered)\n")
    assert thread.read_text(encoding="utf-8") == edited
    assert run_cli("check", root).exit_code == 0


def test_an_undeclared_category_is_added_to_categories_yml_and_check_passes(write_tree: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    root = write_tree({})
    result = run_cli("import", "github-discussions", FIXTURES / "github", "--into", root / "community", "--category", "integrations")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"{root / 'categories.yml'}: added category 'integrations' (Integrations); edit its title and description there"
    assert "integrations:\n  title: Integrations\n" in (root / "categories.yml").read_text(encoding="utf-8")
    assert run_cli("check", root).exit_code == 0


def test_a_category_that_looks_like_a_typo_is_refused_with_the_fix(write_tree: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    root = write_tree({}, categories="billing:\n  title: Billing\n")
    result = run_cli("import", "stackexchange", COFFEE, "--into", root / "community", "--category-map", "espresso=biling")
    assert result.exit_code == 1
    assert "error: category 'biling' is not declared; did you mean 'billing'?; import with --category billing" in result.stderr
    assert not (root / "community").exists()


def test_wrong_json_shape_is_one_clean_error_line(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    export = tmp_path / "export.json"
    export.write_text('{"users": []}\n', encoding="utf-8")
    result = run_cli("import", "discourse", export, "--into", tmp_path / "community")
    assert result.exit_code == 1
    assert result.stderr == f"{export}:1:1: error: topic: not a Discourse topic: no 'post_stream.posts' list; save the JSON of /t/<id>.json or /t/<id>/posts.json from the forum's API\n"
    assert not (tmp_path / "community").exists() or not any((tmp_path / "community").rglob("*.md"))


def test_promote_an_unsolved_thread_fails_with_its_location(write_tree: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    root = write_tree({})
    run_cli("import", "stackexchange", COFFEE, "--into", root / "community", "--category", "billing")
    result = run_cli("promote", root / "community" / "billing" / "how-fine-should-i-grind-coffee-for-drip-2.md")
    assert result.exit_code == 1
    assert "error: the thread has no accepted answer to promote; mark the answer that solved it with 'accepted: true' first" in result.stderr
