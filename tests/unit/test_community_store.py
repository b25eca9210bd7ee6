"""Writing imported threads: stable file names, idempotent re-import, locked threads kept, nothing half-written."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kbgen.community.records import ImportedItem, Skipped, unplaced_thread
from kbgen.community.store import WRITTEN_FILE, ImportOptions, ImportReport, import_threads, index_threads, thread_slug
from kbgen.errors import KbgenError
from kbgen.model import Post, Thread


def make_thread(number: int, *, votes: int = 1, solved: bool = True, answered: bool = True, title: str = "") -> Thread:
    answers = (Post("ken", "2026-01-02", f"Answer {number}.\n", votes=2, accepted=solved, source_id=f"{number}0"),) if answered else ()
    return unplaced_thread(
        title=title or f"How do I fix problem {number}?", body=f"Problem {number}.\n", author="mira", date="2026-01-01",
        votes=votes, solved=solved and answered, answers=answers, source=f"https://forum.example.com/t/{number}", source_id=str(number),
    )  # fmt: skip


def run(into: Path, items: list[ImportedItem], **options) -> ImportReport:
    return import_threads(iter(items), into, ImportOptions(**options))


def files(into: Path) -> dict[str, bytes]:
    """The thread files under ``into`` (not the importer's record of what it wrote)."""
    return {path.relative_to(into).as_posix(): path.read_bytes() for path in sorted(into.rglob("*")) if path.is_file() and path.name != WRITTEN_FILE}


def test_threads_get_stable_file_names_from_title_and_source_id(tmp_path: Path) -> None:
    report = run(tmp_path, [make_thread(7), make_thread(8, title="Pourquoi ma facture est-elle « en retard » ?")], category="billing")
    assert report.summary_line() == "added 2, updated 0, unchanged 0, skipped 0"
    assert list(files(tmp_path)) == ["billing/how-do-i-fix-problem-7-7.md", "billing/pourquoi-ma-facture-est-elle-en-retard-8.md"]
    assert thread_slug(make_thread(9, title="???")) == "untitled-9"


def test_reimporting_the_same_export_changes_nothing(tmp_path: Path) -> None:
    items = [make_thread(1), make_thread(2)]
    run(tmp_path, items)
    before = files(tmp_path)
    report = run(tmp_path, items)
    assert report.summary_line() == "added 0, updated 0, unchanged 2, skipped 0"
    assert files(tmp_path) == before


def test_changed_posts_are_updated_in_place_even_after_a_title_change_or_a_move(tmp_path: Path) -> None:
    run(tmp_path, [make_thread(1), make_thread(2)], category="billing")
    (tmp_path / "account").mkdir()
    (tmp_path / "billing" / "how-do-i-fix-problem-2-2.md").rename(tmp_path / "account" / "moved-by-a-writer.md")
    edited = replace(make_thread(1), title="How do I fix problem one?", votes=9)
    report = run(tmp_path, [edited, replace(make_thread(2), body="Problem 2, edited.\n")], category="billing")
    assert report.summary_line() == "added 0, updated 2, unchanged 0, skipped 0"
    assert list(files(tmp_path)) == ["account/moved-by-a-writer.md", "billing/how-do-i-fix-problem-1-1.md"]
    assert "votes: 9" in (tmp_path / "billing" / "how-do-i-fix-problem-1-1.md").read_text(encoding="utf-8")
    assert (tmp_path / "account" / "moved-by-a-writer.md").read_text(encoding="utf-8").endswith("Problem 2, edited.\n")


def test_locked_threads_are_left_exactly_as_the_writer_edited_them(tmp_path: Path) -> None:
    run(tmp_path, [make_thread(1)], category="billing")
    path = tmp_path / "billing" / "how-do-i-fix-problem-1-1.md"
    edited = path.read_text(encoding="utf-8").replace("solved: true\n", "solved: true\nlocked: true\n").replace("Problem 1.", "Problem 1, reworded by support.")
    path.write_text(edited, encoding="utf-8")
    report = run(tmp_path, [replace(make_thread(1), votes=50)], category="billing")
    assert report.summary_line() == "added 0, updated 0, unchanged 0, skipped 1 (1 locked)"
    assert path.read_text(encoding="utf-8") == edited


def test_filters_limit_and_skip_reasons_are_counted(tmp_path: Path) -> None:
    items: list[ImportedItem] = [
        make_thread(1, votes=-2), make_thread(2, solved=False), make_thread(3, answered=False),
        Skipped("4", "first post not in the export"), make_thread(5), make_thread(6), make_thread(7),
    ]  # fmt: skip
    report = run(tmp_path, items, min_score=0, solved_only=True, limit=2)
    assert report.summary_line() == (
        "added 2, updated 0, unchanged 0, skipped 4 (1 below --min-score, 1 first post not in the export, 1 not solved, 1 unanswered)"
    )
    assert len(files(tmp_path)) == 2
    assert run(tmp_path / "all", [make_thread(3, answered=False)], include_unanswered=True).added == 1


def test_a_thread_repeated_in_the_export_is_written_once(tmp_path: Path) -> None:
    report = run(tmp_path, [make_thread(1), make_thread(1)])
    assert report.summary_line() == "added 1, updated 0, unchanged 0, skipped 1 (1 repeated in the export)"


def test_forum_category_is_used_unless_one_is_given_and_unknown_ones_are_warned(tmp_path: Path) -> None:
    (tmp_path / "categories.yml").write_text("billing: {title: Billing}\n", encoding="utf-8")
    into = tmp_path / "community"
    report = run(into, [replace(make_thread(1), category="Q&A"), make_thread(2)])
    assert sorted(files(into)) == ["general/how-do-i-fix-problem-2-2.md", "q-a/how-do-i-fix-problem-1-1.md"]
    assert report.warnings == [
        f"category 'general' is not in {tmp_path / 'categories.yml'}: add it there, or import with --category",
        f"category 'q-a' is not in {tmp_path / 'categories.yml'}: add it there, or import with --category",
    ]
    with pytest.raises(KbgenError, match="is not a slug"):
        run(into, [make_thread(3)], category="Not A Slug")


def test_bad_export_leaves_the_tree_untouched(tmp_path: Path) -> None:
    run(tmp_path, [make_thread(1)])
    before = files(tmp_path)

    def broken_export() -> Iterator[ImportedItem]:
        yield replace(make_thread(1), votes=30)
        yield make_thread(2)
        raise KbgenError("Posts.xml", "the XML ends too early", 812)

    with pytest.raises(KbgenError, match="ends too early"):
        import_threads(broken_export(), tmp_path)
    assert files(tmp_path) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == [WRITTEN_FILE, "general"]  # no staging folder left behind


def test_index_reads_source_title_and_lock_without_parsing_answers(tmp_path: Path) -> None:
    run(tmp_path, [make_thread(1)])
    (indexed,) = index_threads(tmp_path).items()
    assert indexed[0] == "https://forum.example.com/t/1"
    assert (indexed[1].title, indexed[1].locked) == ("How do I fix problem 1?", False)
