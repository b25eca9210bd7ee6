"""The content-file format's one owner: slugify, the atomic write, the front-matter writer and light readers."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kbgen.content import (
    atomic_writer,
    document_text,
    question_wordings,
    read_front_matters,
    set_front_matter_line,
    slugify,
    top_level_keys,
    write_text_atomically,
)
from kbgen.errors import KbgenError
from kbgen.frontmatter import read_front_matter
from kbgen.schema import ARTICLE, THREAD, validate


def test_slugify_keeps_ascii_words_and_drops_accents() -> None:
    assert slugify("Can I pay in € to Zürich?") == "can-i-pay-in-to-zurich"
    assert slugify("???") == "untitled"
    assert slugify("???", fallback="question") == "question"


def test_slugify_limits_words_and_length_at_a_word() -> None:
    assert slugify("one two three four five", max_words=4) == "one-two-three-four"
    cut = slugify("alpha " * 30, max_words=None, max_length=20)
    assert cut == "alpha-alpha-alpha"
    assert len(cut) <= 20


def test_slugify_keeps_unicode_for_tag_pages() -> None:
    assert slugify("Ünïcode & more", max_words=None, keep_unicode=True, fallback="") == "ünïcode-more"
    assert slugify("_snake_case_ tag", max_words=None, keep_unicode=True) == "snake_case_-tag"


def test_write_text_atomically_replaces_whole_file_with_default_permissions(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "file.md"
    write_text_atomically(target, "one\r\ntwo\n")
    write_text_atomically(target, "three\r\n")
    assert target.read_bytes() == b"three\r\n"  # newlines as given
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert [path.name for path in target.parent.iterdir()] == ["file.md"]


def test_atomic_writer_leaves_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "cache.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_writer(target, binary=True) as stream:
        stream.write(b"half")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"old"
    assert [path.name for path in tmp_path.iterdir()] == ["cache.bin"]


def test_document_text_writes_an_article_that_loads_back_to_its_values() -> None:
    front = {"title": "Why: is it \"slow\"?", "questions": ["How do I speed it up?", "- odd"], "tags": ["speed", "a,b"], "asked": 3, "status": "draft", "updated": "2024-05-01", "summary": "Two\nlines."}
    text = document_text(front, ARTICLE, "Body.\n")
    assert text.startswith("---\ntitle: 'Why: is it \"slow\"?'\nquestions:\n  - How do I speed it up?\n")
    assert "\ntags: [speed, \"a,b\"]\n" in text
    parsed = read_front_matter(text, "faq/x.md")
    assert parsed.data == front
    assert parsed.body == "Body.\n"
    _, problems = validate(parsed.data, ARTICLE, "faq/x.md", parsed.location)
    assert problems == []


def test_document_text_writes_empty_lists_and_booleans_for_a_thread() -> None:
    front = {"title": "Invoice is blank", "author": "ana", "date": "2024-01-02", "votes": 0, "solved": False, "answers": []}
    text = document_text(front, THREAD, "Describe it.\n")
    assert text == "---\ntitle: Invoice is blank\nauthor: ana\ndate: 2024-01-02\nvotes: 0\nsolved: false\nanswers: []\n---\nDescribe it.\n"


def test_document_text_refuses_keys_outside_the_schema() -> None:
    with pytest.raises(ValueError, match="not FAQ article keys: titel"):
        document_text({"titel": "Typo"}, ARTICLE, "")


def test_question_wordings_are_the_title_then_the_questions_text_only() -> None:
    assert question_wordings({"title": "A?", "questions": ["B?", 3, None]}) == ["A?", "B?"]
    assert question_wordings({"questions": None}) == []


def test_top_level_keys_reads_only_the_named_one_line_keys(tmp_path: Path) -> None:
    path = tmp_path / "thread.md"
    path.write_text("---\ntitle: Hello\nsource: https://x.test/t/1\nlocked: true\nanswers:\n  - source: nested\n---\nsource: body\n", encoding="utf-8")
    assert top_level_keys(path, ("source", "locked", "title")) == {"title": "Hello", "source": "https://x.test/t/1", "locked": True}
    assert top_level_keys(path, ("title",)) == {"title": "Hello"}
    (tmp_path / "plain.md").write_text("no front matter\n", encoding="utf-8")
    assert top_level_keys(tmp_path / "plain.md", ("title",)) == {}


def test_set_front_matter_line_changes_one_key_and_keeps_every_other_byte(tmp_path: Path) -> None:
    path = tmp_path / "faq.md"
    path.write_bytes(b"---\r\ntitle: 'Keep: me'\r\nasked: 2\r\n---\r\nBody\r\n")
    assert set_front_matter_line(path, "asked", "7") is True
    assert path.read_bytes() == b"---\r\ntitle: 'Keep: me'\r\nasked: 7\r\n---\r\nBody\r\n"
    assert set_front_matter_line(path, "asked", "7") is False
    assert set_front_matter_line(path, "status", "draft") is True
    assert path.read_bytes() == b"---\r\ntitle: 'Keep: me'\r\nasked: 7\r\nstatus: draft\r\n---\r\nBody\r\n"


def test_set_front_matter_line_names_the_file_without_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "plain.md"
    path.write_text("Just text\n", encoding="utf-8")
    with pytest.raises(KbgenError, match="missing front matter") as raised:
        set_front_matter_line(path, "asked", "1")
    assert raised.value.path == str(path)


def test_read_front_matters_reads_as_load_does_and_skips_what_check_reports(tmp_path: Path) -> None:
    (tmp_path / "faq" / "billing").mkdir(parents=True)
    (tmp_path / "faq" / "billing" / "b.md").write_text("\ufeff---\ntitle: B?\n---\nBody\n", encoding="utf-8")
    (tmp_path / "faq" / "billing" / "a.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.md"
    outside.write_text("---\ntitle: Secret\n---\n", encoding="utf-8")
    (tmp_path / "faq" / "billing" / "c.md").symlink_to(outside)
    found = list(read_front_matters(tmp_path, "faq/*/*.md"))
    assert [(relative, front.data) for relative, _, front in found] == [("faq/billing/b.md", {"title": "B?"})]
    assert found[0][1] == "---\ntitle: B?\n---\nBody\n"  # the byte order mark dropped
