"""Draft files: rendered from a group, fingerprinted, regenerated only while nobody edited them."""

from __future__ import annotations

from pathlib import Path

from kbgen.frontmatter import read_front_matter
from kbgen.mine.drafts import draft_slug, is_generated, render_draft, site_tags, update_asked
from kbgen.mine.match import RelatedThread
from kbgen.mine.rank import as_title
from kbgen.mine.records import QuestionGroup
from kbgen.schema import ARTICLE, validate

GROUP = QuestionGroup(
    group_id=4,
    title="Is there a dark mode?",
    questions=("Does the app have a dark mode", "How do I turn on dark mode"),
    asked=6,
    keywords=("dark", "mode", "app", "turn"),
    category="mobile",
)


def test_a_draft_is_a_valid_article_with_status_draft_and_an_answer_skeleton() -> None:
    threads = [RelatedThread("Dark theme on Android?", "/community/mobile/dark-theme/", "community/mobile/dark-theme.md")]
    text = render_draft(GROUP, threads, tags=site_tags(["dark-mode", "mobile", "invoices"], GROUP))
    front = read_front_matter(text, "draft.md")
    clean, problems = validate(front.data, ARTICLE, "draft.md", front.location)
    assert problems == []
    assert clean["title"] == "Is there a dark mode?" and clean["status"] == "draft" and clean["asked"] == 6
    assert clean["questions"] == ("Does the app have a dark mode", "How do I turn on dark mode")
    assert clean["tags"] == ("dark-mode",)  # only the site's own tags, never words of the questions
    assert "## If that didn't help" in front.body
    assert "> Asked 6 times." in front.body
    assert "- [Dark theme on Android?](../../community/mobile/dark-theme.md)" in front.body
    assert is_generated(text)


def test_a_title_is_a_clean_sentence_case_question() -> None:
    others = ["When does my American Airlines flight land"]
    assert as_title("what's the status of my american airlines flight", others) == "What's the status of my American Airlines flight?"
    assert as_title("I need you to cancel my reservation for 5 at red robin") == "Can you cancel my reservation for 5 at red robin?"
    assert as_title("i want to change my pin please") == "How do I change my pin?"
    assert as_title("where is order [number]") == "Where is order?"
    assert as_title("my card was declined") == "My card was declined: what can I do?"


def test_two_drafts_check_would_call_copies_are_told_apart_not_merged(write_tree) -> None:
    """Grouping kept the assistant's name and the customer's apart; check's question-only test calls them copies."""
    from kbgen.check import check_tree
    from kbgen.load import load_corpus
    from kbgen.mine.drafts import DraftWriter
    from kbgen.mine.match import ArticleMatcher

    published = ["How do I reset my password?", "Is there a dark mode?", "How do I export my data?", "Where is my invoice?"]
    content = write_tree({f"faq/help/article-{number}.md": f"---\ntitle: {title}\nstatus: published\n---\nText.\n" for number, title in enumerate(published)})
    assistant = QuestionGroup(0, "What is your name?", ("What's your name", "Tell me what your name is", "May i have your name"), asked=36)
    customer = QuestionGroup(1, "What is my name?", ("What name do you have for me", "Tell me my name", "Do you know my name"), asked=35)
    corpus, _ = load_corpus(content)
    matcher = ArticleMatcher(corpus, None)
    written = DraftWriter(content, content / "faq", matcher).write(matcher.match([assistant, customer]))
    assert [(group.asked, group.draft_state) for group in written] == [(36, "created"), (35, "created")]
    first, second = (group.draft_path for group in written)
    texts = [(content / path).read_text(encoding="utf-8") for path in (first, second)]
    assert [read_front_matter(text, path).data["unrelated"] for text, path in zip(texts, (first, second), strict=True)] == [[second], [first]]
    assert f"Not the same question as [What is my name?](../../{second}), kbgen mine judged: customers ask it apart from" in texts[0]
    assert "(36 and 35 questions)" in texts[0] and "(35 and 36 questions)" in texts[1]
    _, problems = check_tree(content)
    assert [str(problem) for problem in problems if problem.path in (first, second)] == []

    again = DraftWriter(content, content / "faq", matcher).write(matcher.match([assistant, customer]))
    assert [group.draft_state for group in again] == ["unchanged", "unchanged"]
    assert [(content / path).read_text(encoding="utf-8") for path in (first, second)] == texts


def test_the_fingerprint_ignores_asked_but_notices_any_other_edit() -> None:
    text = render_draft(GROUP)
    assert is_generated(text.replace("asked: 6", "asked: 60"))
    assert not is_generated(text.replace("_Next step._", "Open **Settings → Appearance**."))
    assert not is_generated(text.replace("title: Is there a dark mode?", "title: Use dark mode"))
    assert not is_generated("---\ntitle: Hand written\n---\nBody\n")


def test_update_asked_changes_only_that_line(tmp_path: Path) -> None:
    article = tmp_path / "article.md"
    original = "---\r\ntitle: Reset your password\r\nasked: 12\r\ntags: [login]\r\n---\r\nBody with asked: 3 inside.\r\n"
    article.write_bytes(original.encode("utf-8"))
    assert update_asked(article, 40)
    assert article.read_bytes() == original.replace("asked: 12", "asked: 40").encode("utf-8")
    assert not update_asked(article, 40)
    plain = tmp_path / "plain.md"
    plain.write_text("---\ntitle: No volume yet\n---\nBody\n", encoding="utf-8")
    assert update_asked(plain, 7)
    assert plain.read_text(encoding="utf-8") == "---\ntitle: No volume yet\nasked: 7\n---\nBody\n"


def test_slugify_makes_short_ascii_file_names() -> None:
    assert draft_slug("Can I pay in € to Zürich?") == "can-i-pay-in-to-zurich"
    assert len(draft_slug("word " * 40)) <= 60
    assert draft_slug("???") == "question"


VACATION_STATUS = """\
---
title: Has my vacation request been approved?
questions:
  - Was my vacation request approved yet?
  - What is the status of my vacation request?
status: published
---
Open **Time off → Requests**.
"""


def test_a_draft_told_apart_from_a_close_article_says_why_and_check_accepts_it(write_tree) -> None:
    from kbgen.check import check_tree
    from kbgen.load import load_corpus
    from kbgen.mine.drafts import DraftWriter
    from kbgen.mine.match import ArticleMatcher

    others = ["How do I reset my password?", "Is there a dark mode?", "How do I export my data?", "Can I change my e-mail address?", "Where is my invoice?"]
    others += ["How do I delete my account?", "Which browsers are supported?", "How do I add a teammate?", "Can I pay by bank transfer?", "Why was my card declined?"]
    tree = {f"faq/help/article-{number}.md": f"---\ntitle: {title}\nstatus: published\n---\nText.\n" for number, title in enumerate(others)}
    content = write_tree({"faq/time-off/vacation-request-status.md": VACATION_STATUS, **tree})
    corpus, _ = load_corpus(content)
    asked = QuestionGroup(0, "Has my vacation request been approved?", ("was my vacation request approved", "status of my vacation request"), asked=9)
    sibling = QuestionGroup(1, "My vacation request", ("vacation request", "my vacation request please"), asked=7)
    matcher = ArticleMatcher(corpus, None)
    matched = matcher.match([asked, sibling])
    assert matched[0].covered and not matched[1].covered and matched[1].match.closer_group == asked.title
    written = DraftWriter(content, content / "faq", matcher).write(matched)
    draft = next(group for group in written if group.draft_path)
    text = (content / draft.draft_path).read_text(encoding="utf-8")
    _, problems = check_tree(content)
    assert not [problem for problem in problems if problem.path == draft.draft_path], problems
    # Check would call the two likely duplicates: the draft lists the article as unrelated and says why.
    front = read_front_matter(text, draft.draft_path).data
    assert front["unrelated"] == ["faq/time-off/vacation-request-status.md"]
    assert "Not the same question as [Has my vacation request been approved?](../../faq/time-off/vacation-request-status.md)" in text
    assert "“Has my vacation request been approved?”" in text
    again = DraftWriter(content, content / "faq", matcher).write(matcher.match([asked, sibling]))
    assert [group.draft_state for group in again if group.draft_path] == ["unchanged"]
    assert (content / draft.draft_path).read_text(encoding="utf-8") == text
