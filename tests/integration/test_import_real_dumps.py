"""kbgen import on the real exports in ../shared/data: check-clean threads, byte-exact round trip, idempotent re-import."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbgen.check import check_tree
from kbgen.cli import main
from kbgen.community.threadfile import thread_markdown
from kbgen.load import load_corpus

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "community"
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
CATEGORIES = "general:\n  title: General\ncoffee:\n  title: Coffee\nq-a:\n  title: Q&A\nideas:\n  title: Ideas\nannouncements:\n  title: News\n"


def kbgen(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def import_everything(into: Path, data: Path) -> list[str]:
    """Every real export and fixture, through the CLI; returns the summary lines."""
    runs = [
        ("stackexchange", data / "stackexchange_cstheory_meta_2019", "--include-unanswered"),
        ("stackexchange", data / "stackexchange_coffee_2015" / "Posts.xml.gz", "--category", "coffee", "--include-unanswered"),
        ("discourse", data / "discourse_topic_json"),
        ("github-discussions", FIXTURES / "github"),
    ]
    lines = []
    for forum, source, *options in runs:
        code, out, err = kbgen("import", forum, source, "--into", into, *options)
        assert code == 0, err
        lines.append(out.strip().splitlines()[-1].split(": ", 1)[1])
    return lines


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data sets not found at {SHARED_DATA}")
    root = tmp_path_factory.mktemp("site") / "content"
    root.mkdir()
    (root / "categories.yml").write_text(CATEGORIES, encoding="utf-8")
    return root, import_everything(root / "community", SHARED_DATA)


def test_every_export_is_imported_with_a_summary_line(imported: tuple[Path, list[str]]) -> None:
    _, lines = imported
    assert lines == [
        "added 589, updated 0, unchanged 0, skipped 0",
        "added 225, updated 0, unchanged 0, skipped 0",
        "added 1, updated 0, unchanged 0, skipped 1 (1 first post not in the export)",
        "added 2, updated 0, unchanged 0, skipped 1 (1 unanswered)",
    ]


def test_imported_threads_pass_check(imported: tuple[Path, list[str]]) -> None:
    root, _ = imported
    corpus, problems = check_tree(root)
    assert problems == []
    assert len(corpus.threads) == 589 + 225 + 1 + 2


def test_import_load_write_gives_the_same_bytes_for_every_thread(imported: tuple[Path, list[str]]) -> None:
    root, _ = imported
    corpus, _ = load_corpus(root)
    for thread in corpus.threads:
        assert thread_markdown(thread) == (root / thread.path).read_text(encoding="utf-8"), thread.path


def test_loaded_threads_keep_accepted_answer_scores_and_attribution(imported: tuple[Path, list[str]]) -> None:
    root, _ = imported
    corpus, _ = load_corpus(root)
    by_source = {thread.source: thread for thread in corpus.threads}
    first = by_source["https://cstheory.meta.stackexchange.com/questions/1"]
    assert first.solved and first.answers_best_first[0].source_id == "100" and first.answers_best_first[0].votes == 48
    assert first.license == "CC BY-SA 3.0" and first.author == "user80"
    assert first.links.duplicates == ("https://cstheory.meta.stackexchange.com/questions/463",)
    solved = [thread for thread in corpus.threads if thread.source.startswith("https://cstheory") and thread.solved]
    assert len(solved) == 206
    recent = [thread for thread in corpus.threads if thread.date >= "2018-05-02" and thread.source.startswith("https://cstheory")]
    assert recent and all(thread.license == "CC BY-SA 4.0" for thread in recent)
    coffee = by_source["https://coffee.stackexchange.com/questions/14"]
    assert coffee.category == "coffee" and coffee.accepted_answer.source_id == "46"


def test_reimport_changes_nothing_and_counts_unchanged(imported: tuple[Path, list[str]], tmp_path: Path) -> None:
    root, _ = imported
    before = {path: path.read_bytes() for path in root.rglob("*.md")}
    lines = import_everything(root / "community", SHARED_DATA)
    assert lines == [
        "added 0, updated 0, unchanged 589, skipped 0",
        "added 0, updated 0, unchanged 225, skipped 0",
        "added 0, updated 0, unchanged 1, skipped 1 (1 first post not in the export)",
        "added 0, updated 0, unchanged 2, skipped 1 (1 unanswered)",
    ]
    assert {path: path.read_bytes() for path in root.rglob("*.md")} == before


def test_promoted_imported_thread_passes_check(imported: tuple[Path, list[str]], tmp_path: Path) -> None:
    source_root, _ = imported
    root = tmp_path / "content"
    thread = next(path for path in sorted((source_root / "community" / "q-a").glob("*.md")))
    (root / "community" / "q-a").mkdir(parents=True)
    (root / "categories.yml").write_text(CATEGORIES, encoding="utf-8")
    (root / "community" / "q-a" / thread.name).write_bytes(thread.read_bytes())
    code, out, err = kbgen("promote", root / "community" / "q-a" / thread.name)
    assert code == 0, err
    assert "faq/q-a/how-do-i-retry-a-webhook-delivery-that.md (draft)" in out
    _, problems = check_tree(root)
    assert problems == []


def test_bad_dump_fails_with_file_and_line_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "cut.stackexchange.com"
    folder.mkdir()
    text = (FIXTURES / "stackexchange" / "coffee.stackexchange.com" / "Posts.xml").read_bytes()
    (folder / "Posts.xml.gz").write_bytes(gzip.compress(text[:9000]))
    into = tmp_path / "content" / "community"
    code, out, err = kbgen("import", "stackexchange", folder, "--into", into)
    assert code == 1 and out == ""
    line = text[:9000].count(b"\n") + 1
    assert err.startswith(f"{folder / 'Posts.xml.gz'}:{line}:") and "the XML ends too early" in err
    assert [path for path in into.rglob("*") if path.is_file()] == []


def test_demo_content_loads_and_checks_clean(repo_root: Path) -> None:
    corpus, problems = check_tree(repo_root / "content")
    assert [problem for problem in problems if problem.is_error] == []
    assert len(corpus.threads) >= 20
