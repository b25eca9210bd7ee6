"""The thread summary box: quoted from the thread, the same every time, and overridable."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kbgen.community.summary import summarize_thread
from kbgen.load import load_corpus
from kbgen.model import Post, Thread, ThreadSummary


def _thread(body: str, answers: tuple[Post, ...] = (), summary: ThreadSummary | None = None) -> Thread:
    return Thread(path="community/x/y.md", category="x", slug="y", title="T", body=body, body_line=1, author="asker",
                  date="2026-01-01", answers=answers, summary=summary)  # fmt: skip


def test_summary_quotes_problem_tried_and_the_answers_central_sentence() -> None:
    thread = _thread(
        "My bank feed stopped importing on 4 August. The page says `Consent expired`.\n\n"
        "I've already reconnected twice. It works for a day, then stops again. Any idea?\n",
        answers=(
            Post("ana", "2026-01-02", "Same here.", votes=5),
            Post("support", "2026-01-03", "Thanks for the details, that helps a lot here. Banks make the consent expire every 90 days. "
                 "Turn on **reminders** in Settings → Bank feeds. Then reconnect.", votes=1, accepted=True),
        ),
    )
    summary = summarize_thread(thread)
    assert summary.problem == "My bank feed stopped importing on 4 August."  # one sentence, not the whole first paragraph
    assert summary.tried == "I've already reconnected twice."
    assert summary.solution == "Banks make the consent expire every 90 days."  # not the thank-you that opens the answer
    assert summarize_thread(thread) == summary


def test_the_problem_is_never_the_first_paragraph_or_the_title_again() -> None:
    one_paragraph = _thread("Why does my espresso taste sour every single morning?\n")
    assert summarize_thread(one_paragraph).problem == ""
    below_a_rule = _thread("* * *\n\nThis is a companion discussion topic for the original entry at the blog.\n")
    assert summarize_thread(below_a_rule).problem == ""
    titled = replace(_thread("How do I stop my espresso tasting sour?\n\nIt started last week and the shots run in ten seconds.\n"), title="How do I stop my espresso tasting sour?")
    assert summarize_thread(titled).problem == "It started last week and the shots run in ten seconds."


def test_the_solution_is_the_central_sentence_not_the_preamble() -> None:
    answer = (
        "I read everyone's answer and did some of my own research on the topic. "
        "Grind the beans finer so that the water takes longer to pass through the coffee. "
        "A finer grind gives the water more surface to extract from, so the coffee tastes less sour. "
        "Good luck with it."
    )
    thread = _thread("My pour over coffee tastes sour. What should I change about the grind?\n", answers=(Post("b", "2026-01-03", answer, votes=7),))
    assert summarize_thread(thread).solution == "A finer grind gives the water more surface to extract from, so the coffee tastes less sour."


def test_without_accepted_answer_the_best_voted_one_is_the_solution() -> None:
    low, top = "The low voted answer says something else entirely.", "The top voted answer says to descale the machine."
    thread = _thread("My machine makes weak coffee. How do I fix it?\n", answers=(Post("a", "2026-01-02", low, votes=1), Post("b", "2026-01-03", top, votes=7)))
    assert summarize_thread(thread).solution == top


def test_no_box_when_nothing_good_can_be_said() -> None:
    thread = _thread("Why does my espresso taste sour every single morning?\n", answers=(Post("a", "2026-01-02", "Guess it is the beans you buy.", votes=0),))
    assert summarize_thread(thread) == ThreadSummary()


def test_front_matter_summary_overrides_each_part_it_sets() -> None:
    thread = _thread("Long question. With details.\n", summary=ThreadSummary(problem="Written by a writer.", tried="", solution=""))
    assert summarize_thread(thread) == ThreadSummary(problem="Written by a writer.", tried="", solution="")


def test_long_parts_are_cut_at_a_word_with_an_ellipsis() -> None:
    summary = summarize_thread(_thread("A first short sentence here to start.\n\nWhy " + ("wordy " * 55).strip() + "?\n"))
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
    assert tamping.solution == (  # not the answer's opening "Let's start off with what the function of the tamp is."
        "By this logic, the tamp functions by making the coffee bed smooth, even, and robust enough to be hit with 9 bars of pressure and extract evenly."
    )
    grinder = summarize_thread(threads["48"])
    assert grinder.tried.startswith("I have tried finding decibel measurements")
    assert grinder.tried not in grinder.problem
