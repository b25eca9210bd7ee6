"""The thread summary box: quoted from the thread, the same every time, and overridable."""

from __future__ import annotations

from pathlib import Path

from kbgen.community.summary import summarize_thread
from kbgen.load import load_corpus
from kbgen.model import Post, Thread, ThreadSummary


def _thread(body: str, answers: tuple[Post, ...] = (), summary: ThreadSummary | None = None) -> Thread:
    return Thread(path="community/x/y.md", category="x", slug="y", title="T", body=body, body_line=1, author="asker",
                  date="2026-01-01", answers=answers, summary=summary)  # fmt: skip


def test_summary_quotes_problem_tried_and_accepted_answer() -> None:
    thread = _thread(
        "My bank feed stopped importing on 4 August. The page says `Consent expired`.\n\n"
        "I've already reconnected twice. It works for a day, then stops again. Any idea?\n",
        answers=(
            Post("ana", "2026-01-02", "Same here.", votes=5),
            Post("support", "2026-01-03", "Banks make consent expire every 90 days. Turn on **reminders** in Settings → Bank feeds. Then reconnect.", votes=1, accepted=True),
        ),
    )
    summary = summarize_thread(thread)
    assert summary.problem == "My bank feed stopped importing on 4 August. The page says Consent expired."
    assert summary.tried == "I've already reconnected twice."
    assert summary.solution == "Banks make consent expire every 90 days. Turn on reminders in Settings → Bank feeds."
    assert summarize_thread(thread) == summary


def test_without_accepted_answer_the_best_voted_one_is_the_solution() -> None:
    thread = _thread("Question here.\n", answers=(Post("a", "2026-01-02", "Low one.", votes=1), Post("b", "2026-01-03", "Top one. More.", votes=7)))
    assert summarize_thread(thread).solution == "Top one. More."


def test_no_solution_when_no_answer_has_a_positive_score() -> None:
    thread = _thread("Question here.\n", answers=(Post("a", "2026-01-02", "Guess.", votes=0),))
    assert summarize_thread(thread) == ThreadSummary(problem="Question here.", tried="", solution="")


def test_front_matter_summary_overrides_each_part_it_sets() -> None:
    thread = _thread("Long question. With details.\n", summary=ThreadSummary(problem="Written by a writer.", tried="", solution=""))
    assert summarize_thread(thread) == ThreadSummary(problem="Written by a writer.", tried="", solution="")


def test_long_parts_are_cut_at_a_word_with_an_ellipsis() -> None:
    summary = summarize_thread(_thread(("word " * 200).strip() + ".\n"))
    assert len(summary.problem) <= 320 and summary.problem.endswith("…") and " wor…" not in summary.problem


def test_every_demo_thread_gets_a_problem_and_solved_ones_a_solution(repo_root: Path) -> None:
    corpus, _ = load_corpus(repo_root / "content")
    for thread in corpus.threads:
        summary = summarize_thread(thread)
        assert summary.problem, thread.path
        if thread.solved:
            assert summary.solution, thread.path
    android = next(thread for thread in corpus.threads if thread.slug == "android-15-app-crashes-on-launch")
    assert summarize_thread(android).tried == "I've restarted the phone and reinstalled the app twice."


def test_imported_thread_summary_uses_asker_comments_and_skips_headings_and_images() -> None:
    from kbgen.community.stackexchange import read_stackexchange

    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "community" / "stackexchange" / "coffee.stackexchange.com"
    threads = {thread.source_id: thread for thread in read_stackexchange(fixture)}
    tamping = summarize_thread(threads["5"])
    assert tamping.tried == "I tried tamping harder and the shot ran slower, so it does something."  # the asker's comment
    assert tamping.solution == (
        "Let's start off with what the function of the tamp is. "
        "The tamp is cylindrical in shape and is ideally just snug enough to fit into the portafilter smoothly."
    )
    grinder = summarize_thread(threads["48"])
    assert grinder.tried.startswith("I have tried finding decibel measurements")
    assert grinder.tried not in grinder.problem
