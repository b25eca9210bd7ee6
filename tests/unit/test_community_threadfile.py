"""The thread writer: every file it writes loads back to the same values and is written again byte for byte."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kbgen.community.threadfile import scalar, thread_markdown
from kbgen.load import load_corpus
from kbgen.model import Comment, Post, Thread, ThreadLinks, ThreadSummary

# Pieces that YAML gives a meaning to, or cannot hold plainly.
AWKWARD = [
    "a", "b c", " ", "\n", "\n\n", "\t", ": ", " #", "#", "- x", "? ", "'", '"', "\\", "yes", "null", "~", "1",
    "1.5", "0x1F", "2020-01-01", "*", "&a", "!t", "|", ">", "%", "@", "`", "{", "}", "[", "]", ",", "é", "€",
    "😀", "\u2028", "\x85", "\ufeff", "---", "...", "    code", "\u00a0",
]  # fmt: skip  (no C0 control character: load refuses one anywhere, and importers drop them)


def test_demo_threads_are_written_back_byte_for_byte(repo_root: Path) -> None:
    corpus, problems = load_corpus(repo_root / "content")
    assert not [problem for problem in problems if problem.is_error]
    assert len(corpus.threads) >= 20
    for thread in corpus.threads:
        assert thread_markdown(thread) == (repo_root / "content" / thread.path).read_text(encoding="utf-8"), thread.path


def _write_and_load(tmp_path: Path, thread: Thread) -> tuple[str, Thread]:
    root = tmp_path / "content"
    (root / "community" / "billing").mkdir(parents=True, exist_ok=True)
    (root / "categories.yml").write_text("billing: {title: Billing}\n", encoding="utf-8")
    text = thread_markdown(thread)
    (root / "community" / "billing" / "x.md").write_text(text, encoding="utf-8")
    corpus, problems = load_corpus(root)
    assert not [problem for problem in problems if problem.is_error], (problems, text)
    return text, corpus.threads[0]


def _values(thread: Thread) -> tuple:
    answers = [(answer.author, answer.author_url, answer.date, answer.body, answer.votes, answer.accepted, answer.source_id, answer.comments) for answer in thread.answers]
    return (thread.title, thread.author, thread.author_url, thread.date, thread.tags, thread.votes, thread.solved, thread.locked, thread.source,
            thread.source_id, thread.license, thread.links, thread.comments, thread.body, answers, thread.summary or ThreadSummary())  # fmt: skip


def test_awkward_text_round_trips_through_yaml(tmp_path: Path) -> None:
    generator = random.Random(20260524)

    def text(minimum: int = 0) -> str:
        while True:
            value = "".join(generator.choice(AWKWARD) for _ in range(generator.randint(minimum, 8)))
            if value.strip() or not minimum:
                return value

    for _ in range(150):
        answers = tuple(
            Post(author=text(1), date="2020-01-02T03:04:05", body=text(1), votes=generator.randint(-3, 9), accepted=index == 0,
                 source_id=text(), author_url=text(), comments=tuple(Comment(text(1), "2020-01-01", text(1), text()) for _ in range(generator.randint(0, 2))))
            for index in range(generator.randint(0, 3))
        )  # fmt: skip
        thread = Thread(
            path="", category="billing", slug="x", title=text(1).strip() or "t", body=text(1) + "\n", body_line=1,
            tags=tuple(dict.fromkeys(tag.strip() for tag in (text(1) for _ in range(2)) if tag.strip())),
            author=text(1), author_url=text(), date="2020-01-01", votes=generator.randint(-5, 5), solved=bool(answers), answers=answers,
            source=text(), source_id=text(), license=text(), comments=(Comment(text(1), "2020-01-01T10:00:00", text(1)),),
            links=ThreadLinks(duplicates=(text(1).strip() or "d",), related=()), summary=ThreadSummary(text(), text(), text()),
        )  # fmt: skip
        written, loaded = _write_and_load(tmp_path, thread)
        assert _values(loaded) == _values(thread)
        assert thread_markdown(loaded) == written


def test_multi_line_text_is_a_literal_block_and_short_text_stays_plain() -> None:
    thread = Thread(
        path="", category="billing", slug="x", title="Charged twice: why?", body="The question.\n", body_line=1,
        author="mira", date="2026-01-05", answers=(Post("ken", "2026-01-06", "Line one.\n\n    indented code\n", votes=2),),
    )
    text = thread_markdown(thread)
    assert 'title: "Charged twice: why?"' in text
    assert "    body: |\n      Line one.\n\n          indented code\n" in text
    assert "answers:\n  - author: ken\n" in text
    assert text.endswith("---\nThe question.\n")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("plain words", "plain words"), ("yes", '"yes"'), ("123", '"123"'), ("a: b", '"a: b"'), ('say "hi"', 'say "hi"'), ('"quoted"', "'\"quoted\"'"),
     ("2026-03-14", "2026-03-14"), ("tab\there", '"tab\there"'), ("bell\x07", '"bell\\a"')],
)  # fmt: skip
def test_scalar_quotes_only_what_yaml_would_misread(value: str, expected: str) -> None:
    assert scalar(value) == expected


def test_author_links_follow_each_author_and_read_back_unchanged(tmp_path: Path) -> None:
    comment = Comment("lukas_m", "2026-03-14", "Same here.", "https://forum.example.com/u/lukas_m")
    answer = Post("priya", "2026-03-15", "Reconnect it.\n", votes=3, accepted=True, comments=(comment,), author_url="https://forum.example.com/u/priya")
    thread = Thread(
        path="", category="billing", slug="x", title="Feed stopped", body="It stopped.\n", body_line=1, author="dana.r",
        author_url="https://forum.example.com/u/dana.r", date="2026-03-14", solved=True, comments=(comment,), answers=(answer,),
    )  # fmt: skip
    written, loaded = _write_and_load(tmp_path, thread)
    assert "author: dana.r\nauthor_url: https://forum.example.com/u/dana.r\ndate: 2026-03-14\n" in written
    assert "  - author: priya\n    author_url: https://forum.example.com/u/priya\n    date: 2026-03-15\n" in written
    assert "      - author: lukas_m\n        author_url: https://forum.example.com/u/lukas_m\n" in written
    assert _values(loaded) == _values(thread) and thread_markdown(loaded) == written
    without = thread_markdown(Thread(path="", category="billing", slug="x", title="t", body="b\n", body_line=1, author="a", date="2026-01-01"))
    assert "author_url" not in without  # a key at its default is left out


def test_check_warns_of_an_author_url_the_site_will_not_link(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "community" / "billing").mkdir(parents=True)
    (root / "categories.yml").write_text("billing: {title: Billing}\n", encoding="utf-8")
    (root / "community" / "billing" / "x.md").write_text(
        "---\ntitle: T\nauthor: a\nauthor_url: javascript:alert(1)\ndate: 2026-01-01\nanswers:\n"
        "  - author: b\n    author_url: https://forum.example.com/u/b\n    date: 2026-01-02\n    body: Fine.\n"
        "    comments:\n      - {author: c, author_url: forum.example.com/u/c, date: 2026-01-02, body: Hi.}\n---\nQ\n",
        encoding="utf-8",
    )
    corpus, problems = load_corpus(root)
    warnings = [(problem.line, problem.severity) for problem in problems if "author_url" in problem.message]
    assert warnings == [(4, "warning"), (12, "warning")]  # the https one is fine; neither stops the build
    assert corpus.threads[0].author_url == "javascript:alert(1)"  # kept as written; the page shows no link
