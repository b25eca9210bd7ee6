"""Coverage: a group is answered only by a published article asked the same way, with the pair to show for it."""

from __future__ import annotations

from kbgen.load import load_corpus
from kbgen.mine.match import ArticleMatcher
from kbgen.mine.records import QuestionGroup
from kbgen.model import UNCATEGORIZED

ACCOUNT = """\
---
title: Create your account
questions:
  - How do I sign up?
  - How do I open a Brightbill account?
status: published
---
Sign up with your work e-mail. Where do you work? Tell us in the company step.
"""
DRAFT = """\
---
title: Where do you work?
status: draft
---
_Answer._
"""


def _matcher(write_tree) -> ArticleMatcher:
    content = write_tree({"faq/billing/create-your-account.md": ACCOUNT, "faq/account/where-do-you-work.md": DRAFT})
    corpus, problems = load_corpus(content)
    assert not [problem for problem in problems if problem.is_error], problems
    return ArticleMatcher(corpus, None)


def test_words_in_an_answer_do_not_make_a_group_covered(write_tree) -> None:
    group = QuestionGroup(0, "Where do you work?", ("What company do you work for?", "where do you work"), asked=3)
    matched = _matcher(write_tree).match([group])[0]
    assert not matched.covered  # the body says "Where do you work?" and a draft is titled so: neither answers it
    assert matched.match is not None and matched.match.path == "faq/billing/create-your-account.md"


def test_a_covered_group_names_the_article_and_the_pair_of_questions_behind_it(write_tree) -> None:
    group = QuestionGroup(1, "How do I sign up?", ("how can I sign up", "How do I open an account?"), asked=5)
    matcher = _matcher(write_tree)
    first, again = matcher.match([group])[0], matcher.match([group])[0]
    assert first.covered and first == again
    assert first.match.path == "faq/billing/create-your-account.md" and first.category == "billing"
    assert (first.match.question, first.match.variant) == ("How do I sign up?", "How do I sign up?")
    assert first.match.similarity >= matcher.threshold


SIGN_UP_AGAIN = """\
---
title: Sign up for the newsletter
questions:
  - How do I sign up?
status: published
---
Tick the newsletter box.
"""


def test_a_group_as_close_to_two_articles_is_covered_by_neither(write_tree) -> None:
    content = write_tree({"faq/billing/create-your-account.md": ACCOUNT, "faq/news/sign-up-for-the-newsletter.md": SIGN_UP_AGAIN})
    corpus, _ = load_corpus(content)
    matcher = ArticleMatcher(corpus, None)
    matched = matcher.match([QuestionGroup(1, "How do I sign up?", ("how do I sign up",), asked=2)])[0]
    assert matched.match is not None and matched.match.margin < matcher.margin and matched.match.runner_up
    assert not matched.covered


def test_every_kept_wording_votes_as_often_as_it_was_asked(write_tree) -> None:
    matcher = _matcher(write_tree)
    wordings = (("How do I open a Brightbill account?", 9), ("where do you work", 1))
    heavy = QuestionGroup(2, "where do you work", (), asked=10, wordings=wordings)
    light = QuestionGroup(3, "where do you work", (), asked=10, wordings=((wordings[0][0], 1), (wordings[1][0], 9)))
    heavy_match, light_match = matcher.match([heavy, light])
    assert heavy_match.covered and heavy_match.match.variant == "How do I open a Brightbill account?"
    assert not light_match.covered and light_match.match.similarity < heavy_match.match.similarity


SHOPPING_LIST = """\
---
title: What is on my shopping list?
questions:
  - Can you read me my shopping list?
  - Tell me what's on my shopping list
status: published
---
Say "read my shopping list".
"""


def test_an_article_covers_the_group_it_answers_best_not_that_groups_sibling(write_tree) -> None:
    corpus, _ = load_corpus(write_tree({"faq/lists/what-is-on-my-shopping-list.md": SHOPPING_LIST}))
    asked = QuestionGroup(0, "What's on my shopping list?", ("read me my shopping list", "tell me my shopping list"), asked=6)
    sibling = QuestionGroup(1, "Add eggs to my shopping list", ("put milk on my shopping list", "add bread to the shopping list"), asked=6)
    matcher = ArticleMatcher(corpus, None, threshold=0.0, margin=0.0)  # only the mutual-nearest test decides here
    first, second = matcher.match([asked, sibling])
    assert first.covered and first.match.closer_group == ""
    assert second.match is not None and second.match.path == first.match.path
    assert not second.covered and second.match.closer_group == "What's on my shopping list?"


def test_a_group_goes_to_the_category_whose_words_most_of_its_questions_use(write_tree) -> None:
    matcher = _matcher(write_tree)  # billing: "Plans & billing", its account article; account: "Account & sign-in"
    plans = QuestionGroup(2, "Which plan am I on?", ("how do I change my plan", "can I switch plans"), asked=3)
    assert matcher.match([plans])[0].category == "billing"
    # Only one of three wordings uses a word of any category: no category fits, and the draft says so.
    mixed = QuestionGroup(3, "Is there a dark mode?", ("night theme please", "dark plan colours"), asked=3)
    assert matcher.match([mixed])[0].category == UNCATEGORIZED


def test_drafts_do_not_pull_a_group_into_their_category(write_tree) -> None:
    # The account folder holds a draft titled exactly like the group; one mining run's choice must not steer the next.
    group = QuestionGroup(0, "Where do you work?", ("What company do you work for?", "where do you work"), asked=3)
    assert _matcher(write_tree).match([group])[0].category == UNCATEGORIZED
