"""The search index: field boosts, drafts, incremental updates, and recovery from a damaged index."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

from kbgen.index import INDEX_DIR, VERSION_FILE, SearchHit, open_index
from kbgen.load import load_corpus

ARTICLES = {
    "faq/billing/request-a-refund.md": """
        ---
        title: Request a refund for your subscription
        questions: [Can I get my money back?]
        tags: [refunds]
        ---
        Go to Settings, Billing history, and click Request refund next to the charge.
    """,
    "faq/billing/change-your-plan.md": """
        ---
        title: Change your plan
        questions: [How do I upgrade to the Growth plan?]
        ---
        Upgrades apply at once. A downgrade never gives a refund for the current month.
    """,
    "faq/account/reset-your-password.md": """
        ---
        title: Reset your password
        ---
        Click Forgot password on the sign-in page; the e-mail arrives within a minute.
    """,
    "faq/account/close-your-account.md": """
        ---
        title: Close your account
        status: draft
        ---
        Closing deletes your invoices after 30 days.
    """,
    "community/billing/charged-twice.md": """
        ---
        title: Charged twice after upgrading
        author: sam
        date: 2026-01-12
        answers:
          - author: priya
            date: 2026-01-12
            body: The second line is a pending authorisation; it disappears in a few days.
        ---
        My card shows two charges for one upgrade.
    """,
}


@pytest.fixture
def content(write_tree) -> Path:
    return write_tree(ARTICLES)


def test_title_match_ranks_above_body_match(content):
    corpus, _ = load_corpus(content)
    hits = open_index(corpus).search("refund")
    assert [hit.path for hit in hits][:2] == ["faq/billing/request-a-refund.md", "faq/billing/change-your-plan.md"]
    assert hits[0].score > hits[1].score
    assert all(isinstance(hit, SearchHit) for hit in hits)


def test_question_variants_and_stemming_find_an_article(content):
    corpus, _ = load_corpus(content)
    assert open_index(corpus).search("money back")[0].path == "faq/billing/request-a-refund.md"
    assert open_index(corpus).search("upgrading plans")[0].path == "faq/billing/change-your-plan.md"


def test_hit_carries_url_kind_and_highlighted_snippet(content):
    corpus, _ = load_corpus(content)
    hit = open_index(corpus).search("pending authorisation")[0]
    assert (hit.path, hit.kind, hit.url) == ("community/billing/charged-twice.md", "thread", "community/billing/charged-twice/")
    assert hit.title == "Charged twice after upgrading"
    # Answers are searchable; the snippet comes from the question body when the answer matched.
    assert hit.snippet


def test_snippet_marks_matched_words(content):
    corpus, _ = load_corpus(content)
    hit = open_index(corpus).search("sign-in page")[0]
    assert "**sign**" in hit.snippet and "**page**" in hit.snippet


def test_kind_filter_and_limit(content):
    corpus, _ = load_corpus(content)
    index = open_index(corpus)
    assert {hit.kind for hit in index.search("charge refund upgrade", kind="thread")} == {"thread"}
    assert {hit.kind for hit in index.search("charge refund upgrade", kind="article")} == {"article"}
    assert len(index.search("charge refund upgrade", limit=1)) == 1


def test_drafts_are_searchable_only_when_asked(content):
    corpus, _ = load_corpus(content)
    index = open_index(corpus)
    assert index.search("closing deletes") == []
    assert index.search("closing deletes", include_drafts=True)[0].path == "faq/account/close-your-account.md"


def test_query_of_only_common_words_finds_nothing(content):
    corpus, _ = load_corpus(content)
    assert open_index(corpus).search("how do I") == []


def test_second_open_reindexes_nothing(content, tmp_path):
    corpus, _ = load_corpus(content)
    first = open_index(corpus, tmp_path / ".kbgen")
    assert first.stats.rebuilt and first.stats.added == 5
    second = open_index(corpus, tmp_path / ".kbgen")
    assert (second.stats.added, second.stats.updated, second.stats.removed, second.stats.unchanged) == (0, 0, 0, 5)
    assert not second.stats.rebuilt


def test_changing_one_file_reindexes_exactly_that_document(content, tmp_path):
    corpus, _ = load_corpus(content)
    open_index(corpus, tmp_path / ".kbgen")
    page = content / "faq/account/reset-your-password.md"
    page.write_text(page.read_text(encoding="utf-8").replace("within a minute", "within a minute; check spam"), encoding="utf-8")
    corpus, _ = load_corpus(content)
    index = open_index(corpus, tmp_path / ".kbgen")
    assert (index.stats.added, index.stats.updated, index.stats.removed, index.stats.unchanged) == (0, 1, 0, 4)
    assert index.search("spam")[0].path == "faq/account/reset-your-password.md"
    assert index.document_count == 5


def test_deleted_and_new_files_are_removed_and_added(content, tmp_path, write_tree):
    corpus, _ = load_corpus(content)
    open_index(corpus, tmp_path / ".kbgen")
    (content / "faq/billing/change-your-plan.md").unlink()
    write_tree({"faq/billing/vat-number.md": "---\ntitle: Add your VAT number\n---\nSettings, Company, VAT number.\n"})
    corpus, _ = load_corpus(content)
    index = open_index(corpus, tmp_path / ".kbgen")
    assert (index.stats.added, index.stats.updated, index.stats.removed) == (1, 0, 1)
    assert "faq/billing/change-your-plan.md" not in [hit.path for hit in index.search("upgrade downgrade")]
    assert index.search("VAT")[0].path == "faq/billing/vat-number.md"


def test_corrupt_index_is_rebuilt_without_error(content, tmp_path, caplog):
    corpus, _ = load_corpus(content)
    open_index(corpus, tmp_path / ".kbgen")
    for file in (tmp_path / ".kbgen" / INDEX_DIR).iterdir():
        if file.name != VERSION_FILE:
            file.write_bytes(b"\x00garbage")
    index = open_index(corpus, tmp_path / ".kbgen")
    assert index.stats.rebuilt
    assert index.search("refund")[0].path == "faq/billing/request-a-refund.md"
    assert "rebuilding" in caplog.text
    assert not [path for path in (tmp_path / ".kbgen").iterdir() if path.name != INDEX_DIR]  # no staging left


def test_index_of_another_version_is_rebuilt(content, tmp_path):
    corpus, _ = load_corpus(content)
    open_index(corpus, tmp_path / ".kbgen")
    stamp = tmp_path / ".kbgen" / INDEX_DIR / VERSION_FILE
    stamp.write_text(json.dumps({"index_version": 0, "whoosh": "0"}), encoding="utf-8")
    index = open_index(corpus, tmp_path / ".kbgen")
    assert index.stats.rebuilt
    assert open_index(corpus, tmp_path / ".kbgen").stats.reindexed == 0


def test_unwritable_cache_falls_back_to_memory(content, tmp_path, caplog):
    corpus, _ = load_corpus(content)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    index = open_index(corpus, blocker)
    assert index.search("refund")[0].path == "faq/billing/request-a-refund.md"
    assert "indexing in memory" in caplog.text


def test_equal_scores_are_ordered_by_path(write_tree):
    content = write_tree({f"faq/billing/twin-{letter}.md": "---\ntitle: Twin page\n---\nSame words.\n" for letter in "cab"})
    corpus, _ = load_corpus(content)
    assert [hit.path for hit in open_index(corpus).search("twin")] == [f"faq/billing/twin-{letter}.md" for letter in "abc"]


@pytest.mark.parametrize("storage", ["whoosh", "kbgen"])
def test_two_in_memory_indexes_written_at_once_keep_their_files(storage, tmp_path, monkeypatch):
    # Two processes indexing at once (two `kbgen search` runs, parallel builds) used to share Whoosh's
    # scratch folder <tmp>/MAIN.tmp: the first writer to commit deleted it, and the other failed.
    from whoosh.filedb.filestore import RamStorage

    from kbgen.index import PrivateRamStorage, build_schema

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    make = RamStorage if storage == "whoosh" else PrivateRamStorage
    first, second = (make().create_index(build_schema()) for _ in range(2))
    writers = [index.writer() for index in (first, second)]
    for number, writer in enumerate(writers):
        writer.add_document(path=f"faq/page-{number}.md", kind="article", title=f"Page {number}", body="refund")
    writers[1].commit()
    if storage == "whoosh":
        with pytest.raises(FileNotFoundError):
            writers[0].commit()
        return
    writers[0].commit()
    assert [index.doc_count() for index in (first, second)] == [1, 1]
    assert list(tmp_path.iterdir()) == []  # each writer removed its own scratch folder
