"""Writing imported threads: stable file names, idempotent re-import, locked threads kept, nothing half-written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kbgen.community import store
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


@pytest.fixture
def into(tmp_path: Path) -> Path:
    """A community folder in a content root that declares 'billing' and 'account'."""
    (tmp_path / "categories.yml").write_text("billing:\n  title: Billing\naccount:\n  title: Account\n", encoding="utf-8")
    return tmp_path / "community"


def run(into: Path, items: list[ImportedItem], **options) -> ImportReport:
    return import_threads(iter(items), into, ImportOptions(**options))


def files(into: Path) -> dict[str, bytes]:
    """The thread files under ``into`` (not the importer's record of what it wrote)."""
    return {path.relative_to(into).as_posix(): path.read_bytes() for path in sorted(into.rglob("*")) if path.is_file() and path.name != WRITTEN_FILE}


def test_threads_get_stable_file_names_from_title_and_source_id(into: Path) -> None:
    report = run(into, [make_thread(7), make_thread(8, title="Pourquoi ma facture est-elle « en retard » ?")], category="billing")
    assert report.summary_line() == "added 2, updated 0, unchanged 0, skipped 0"
    assert list(files(into)) == ["billing/how-do-i-fix-problem-7-7.md", "billing/pourquoi-ma-facture-est-elle-en-retard-8.md"]
    assert thread_slug(make_thread(9, title="???")) == "untitled-9"


def test_reimporting_the_same_export_changes_nothing(into: Path) -> None:
    items = [make_thread(1), make_thread(2)]
    run(into, items)
    before = files(into)
    report = run(into, items)
    assert report.summary_line() == "added 0, updated 0, unchanged 2, skipped 0"
    assert files(into) == before


def test_changed_posts_are_updated_in_place_even_after_a_title_change_or_a_move(into: Path) -> None:
    run(into, [make_thread(1), make_thread(2)], category="billing")
    (into / "account").mkdir()
    (into / "billing" / "how-do-i-fix-problem-2-2.md").rename(into / "account" / "moved-by-a-writer.md")
    edited = replace(make_thread(1), title="How do I fix problem one?", votes=9)
    report = run(into, [edited, replace(make_thread(2), body="Problem 2, edited.\n")], category="billing")
    assert report.summary_line() == "added 0, updated 2, unchanged 0, skipped 0"
    assert list(files(into)) == ["account/moved-by-a-writer.md", "billing/how-do-i-fix-problem-1-1.md"]
    assert "votes: 9" in (into / "billing" / "how-do-i-fix-problem-1-1.md").read_text(encoding="utf-8")
    assert (into / "account" / "moved-by-a-writer.md").read_text(encoding="utf-8").endswith("Problem 2, edited.\n")


def test_locked_threads_are_left_exactly_as_the_writer_edited_them(into: Path) -> None:
    run(into, [make_thread(1)], category="billing")
    path = into / "billing" / "how-do-i-fix-problem-1-1.md"
    edited = path.read_text(encoding="utf-8").replace("solved: true\n", "solved: true\nlocked: true\n").replace("Problem 1.", "Problem 1, reworded by support.")
    path.write_text(edited, encoding="utf-8")
    report = run(into, [replace(make_thread(1), votes=50)], category="billing")
    assert report.summary_line() == "added 0, updated 0, unchanged 0, skipped 1 (1 locked)"
    assert path.read_text(encoding="utf-8") == edited


def test_filters_limit_and_skip_reasons_are_counted(into: Path) -> None:
    items: list[ImportedItem] = [
        make_thread(1, votes=-2), make_thread(2, solved=False), make_thread(3, answered=False),
        Skipped("4", "first post not in the export"), make_thread(5), make_thread(6), make_thread(7),
    ]  # fmt: skip
    report = run(into, items, min_score=0, solved_only=True, limit=2)
    assert report.summary_line() == (
        "added 2, updated 0, unchanged 0, skipped 4 (1 below --min-score, 1 first post not in the export, 1 not solved, 1 unanswered)"
    )
    assert len(files(into)) == 2
    assert run(into / "all", [make_thread(3, answered=False)], include_unanswered=True).added == 1


def test_a_thread_repeated_in_the_export_is_written_once(into: Path) -> None:
    report = run(into, [make_thread(1), make_thread(1)])
    assert report.summary_line() == "added 1, updated 0, unchanged 0, skipped 1 (1 repeated in the export)"


def test_forum_category_is_added_to_categories_yml_with_its_comments_and_order_kept(into: Path) -> None:
    categories = into.parent / "categories.yml"
    categories.write_text("# Our topics, in menu order.\nbilling: {title: Billing}  # invoices\naccount:\n  title: Account\n", encoding="utf-8")
    report = run(into, [replace(make_thread(1), category="Q&A"), make_thread(2), replace(make_thread(3), category="13")])
    assert sorted(files(into)) == ["example/how-do-i-fix-problem-2-2.md", "example/how-do-i-fix-problem-3-3.md", "q-a/how-do-i-fix-problem-1-1.md"]
    assert [(added.slug, added.title) for added in report.categories_added] == [("example", "Example forum"), ("q-a", "Q&A")]
    assert categories.read_text(encoding="utf-8") == (
        "# Our topics, in menu order.\nbilling: {title: Billing}  # invoices\naccount:\n  title: Account\n"
        "\n# Added by kbgen import: edit the title and description as you like.\nexample:\n  title: Example forum\n"
        "  description: Questions and answers imported from forum.example.com.\n"
        "\n# Added by kbgen import: edit the title and description as you like.\nq-a:\n  title: Q&A\n"
        "  description: Discussions from the forum category “Q&A”.\n"
    )
    assert run(into, [make_thread(4)]).categories_added == []  # declared now: added once


def test_a_named_category_one_letter_off_a_declared_one_is_refused_before_anything_is_written(into: Path) -> None:
    with pytest.raises(KbgenError, match="category 'biling' is not declared; did you mean 'billing'") as raised:
        run(into, [make_thread(1)], category="biling")
    assert "--category billing" in raised.value.hint
    with pytest.raises(KbgenError, match="did you mean 'account'"):
        run(into, [make_thread(1)], category_map=(("coffee", "acount"),))
    with pytest.raises(KbgenError, match="is not a slug"):
        run(into, [make_thread(3)], category="Not A Slug")
    assert not into.exists()
    report = run(into, [make_thread(1)], category="refunds")  # new, not a typo: declared for the writer to title
    assert [(added.slug, added.title) for added in report.categories_added] == [("refunds", "Refunds")]


def test_category_map_sends_forum_categories_and_tags_to_declared_categories(into: Path) -> None:
    threads = [replace(make_thread(1), category="13"), replace(make_thread(2), tags=("refunds", "cards")), make_thread(3)]
    report = run(into, threads, category_map=(("13", "account"), ("cards", "billing")))
    assert sorted(files(into)) == ["account/how-do-i-fix-problem-1-1.md", "billing/how-do-i-fix-problem-2-2.md", "example/how-do-i-fix-problem-3-3.md"]
    assert [added.slug for added in report.categories_added] == ["example"]


def test_bad_export_leaves_the_tree_untouched(into: Path) -> None:
    run(into, [make_thread(1)])
    before = files(into)

    def broken_export() -> Iterator[ImportedItem]:
        yield replace(make_thread(1), votes=30)
        yield make_thread(2)
        raise KbgenError("Posts.xml", "the XML ends too early", 812)

    with pytest.raises(KbgenError, match="ends too early"):
        import_threads(broken_export(), into)
    assert files(into) == before
    assert sorted(path.name for path in into.iterdir()) == [WRITTEN_FILE, "example"]  # no staging folder left behind


def test_index_reads_source_title_and_lock_without_parsing_answers(into: Path) -> None:
    run(into, [make_thread(1)])
    (indexed,) = index_threads(into).items()
    assert indexed[0] == "https://forum.example.com/t/1"
    assert (indexed[1].title, indexed[1].locked) == ("How do I fix problem 1?", False)


def test_a_failed_write_stops_the_import_and_leaves_the_tree_untouched(into: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(into, [make_thread(1)], category="billing")
    before = files(into)
    def disk_full(path: str, exist_ok: bool = False) -> None:
        raise OSError(28, "No space left on device", path)

    monkeypatch.setattr(store.os, "makedirs", disk_full)  # the writer thread makes each category's staging folder
    with pytest.raises(OSError, match="No space left"):
        run(into, [make_thread(number) for number in range(2, 200)], category="account")
    monkeypatch.undo()
    assert files(into) == before
    assert sorted(path.name for path in into.iterdir()) == [WRITTEN_FILE, "billing"]  # no staging folder left behind


def test_the_record_lists_every_imported_thread_sorted_as_json(into: Path) -> None:
    run(into, [make_thread(number) for number in (3, 1, 2)], category="billing")
    record = json.loads((into / WRITTEN_FILE).read_text(encoding="utf-8"))
    assert list(record["threads"]) == [f"https://forum.example.com/t/{number}" for number in (1, 2, 3)]
    assert all(len(digest) == 64 for digest in record["threads"].values())
