"""Every ``kbgen check`` rule, asserted by its exact path:line:col and message."""

from __future__ import annotations

from pathlib import Path

from kbgen.check import check_tree

GOOD_ARTICLE = """\
---
title: Change your plan
questions:
  - How do I upgrade?
tags: [plans]
status: published
updated: 2026-03-01
---
Open **Settings → Plan**.
"""


def lines(root: Path) -> list[str]:
    _, problems = check_tree(root)
    return [problem.format() for problem in problems]


def test_clean_tree_has_no_problems(write_tree):
    root = write_tree({"faq/billing/change-plan.md": GOOD_ARTICLE})
    assert lines(root) == []


def test_check_reports_invalid_yaml_at_its_line(write_tree):
    root = write_tree({"faq/billing/a.md": "---\ntitle: Plans\nquestions: [a, b\ntags: []\n---\nBody\n"})
    assert lines(root) == [
        "faq/billing/a.md:4:5: error: invalid YAML: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence started on line 3); "
        "close brackets and quotes; quote values that contain ': ' or start with a special character"
    ]


def test_check_reports_unclosed_front_matter(write_tree):
    root = write_tree({"faq/billing/a.md": "---\ntitle: Plans\nBody\n"})
    assert lines(root) == [
        "faq/billing/a.md:1:1: error: front matter opened with '---' on line 1 is never closed; "
        "add a line containing only '---' after the last front-matter key"
    ]


def test_check_reports_missing_front_matter(write_tree):
    root = write_tree({"faq/billing/a.md": "Just text\n"})
    assert lines(root) == [
        "faq/billing/a.md:1:1: error: missing front matter; start the file with '---', the keys (at least 'title: ...'), then '---'"
    ]


def test_check_reports_missing_title(write_tree):
    root = write_tree({"faq/billing/a.md": "---\ntags: [x]\n---\nBody\n"})
    assert lines(root) == [
        "faq/billing/a.md:1:1: error: missing required key 'title' in FAQ article; add 'title:' (the question or task, as customers say it)"
    ]


def test_check_reports_empty_title_at_its_line(write_tree):
    root = write_tree({"faq/billing/a.md": "---\ntags: [x]\ntitle: '  '\n---\nBody\n"})
    assert lines(root) == ["faq/billing/a.md:3:1: error: 'title' is empty; write the question or task, as customers say it"]


def test_check_reports_unknown_key_with_suggestion(write_tree):
    root = write_tree({"faq/billing/a.md": GOOD_ARTICLE.replace("tags:", "tagz:")})
    assert lines(root) == ["faq/billing/a.md:5:1: error: unknown key 'tagz' in FAQ article; did you mean 'tags'?"]


def test_check_reports_wrong_types(write_tree):
    text = GOOD_ARTICLE.replace("tags: [plans]", "tags: plans\nasked: many")
    root = write_tree({"faq/billing/a.md": text})
    assert lines(root) == [
        "faq/billing/a.md:5:1: error: 'tags' must be a list, not text; write 'tags: [plans]' or one '- item' per line",
        "faq/billing/a.md:6:1: error: 'asked' must be a whole number, not text",
    ]


def test_check_reports_bad_date(write_tree):
    root = write_tree({"faq/billing/a.md": GOOD_ARTICLE.replace("2026-03-01", "2026-13-45")})
    assert lines(root) == [
        "faq/billing/a.md:7:1: error: 'updated' is not a valid date: '2026-13-45'; write it as YYYY-MM-DD, e.g. 2026-03-14"
    ]


def test_check_reports_unknown_status_with_suggestion(write_tree):
    root = write_tree({"faq/billing/a.md": GOOD_ARTICLE.replace("status: published", "status: publshed")})
    assert lines(root) == ["faq/billing/a.md:6:1: error: unknown status 'publshed'; did you mean 'published'?"]


def test_check_reports_unknown_category(write_tree):
    root = write_tree({"faq/biling/a.md": GOOD_ARTICLE})
    assert lines(root) == ["faq/biling/a.md:1:1: error: unknown category 'biling'; did you mean 'billing'?"]


def test_uncategorized_folder_holds_drafts_but_not_published_articles(write_tree):
    # kbgen mine writes a draft that fits no declared category to faq/uncategorized/; the writer moves it on publishing.
    root = write_tree({"faq/uncategorized/a.md": GOOD_ARTICLE.replace("status: published", "status: draft")})
    assert lines(root) == []
    root = write_tree({"faq/uncategorized/a.md": GOOD_ARTICLE})
    assert lines(root) == [
        "faq/uncategorized/a.md:6:1: error: a published article cannot stay in 'uncategorized'; "
        "move it to one of: faq/billing/, faq/account/ (or keep 'status: draft' until you do)"
    ]
    # Threads come from the forum's own categories: there, the folder is not special.
    root = write_tree({"community/uncategorized/a.md": "---\ntitle: Where is my invoice?\nauthor: li\ndate: 2026-03-01\n---\nI cannot find it.\n"})
    assert [line.split(": error: ")[1] for line in lines(root) if line.startswith("community/")] == ["unknown category 'uncategorized'; add 'uncategorized:' to categories.yml or move the file to one of: billing, account"]


def test_check_reports_file_outside_a_category_folder(write_tree):
    root = write_tree({"faq/a.md": GOOD_ARTICLE})
    assert lines(root) == ["faq/a.md:1:1: error: FAQ article is not in a category folder; move it to faq/<category>/a.md"]


def test_check_reports_duplicate_slugs(write_tree):
    other = GOOD_ARTICLE.replace("Change your plan", "Plan limits").replace("How do I upgrade?", "What are the limits?")
    root = write_tree({"faq/billing/plan.md": GOOD_ARTICLE, "faq/account/plan.md": other})
    assert lines(root) == [
        "faq/billing/plan.md:1:1: error: duplicate slug 'plan': faq/account/plan.md has the same file name; "
        "rename one of them; each article needs a unique file name"
    ]


def test_check_reports_same_question_on_two_articles(write_tree):
    other = GOOD_ARTICLE.replace("Change your plan", "Upgrade to Pro").replace("How do I upgrade?", "how do I UPGRADE")
    root = write_tree({"faq/billing/a.md": GOOD_ARTICLE, "faq/billing/b.md": other})
    assert lines(root) == [
        "faq/billing/b.md:4:5: error: question 'how do I UPGRADE' is also asked on faq/billing/a.md ('How do I upgrade?'); "
        "keep each customer question on the one article that answers it"
    ]


def test_check_reports_broken_link_at_line_and_column(write_tree):
    text = GOOD_ARTICLE + "\nSee [refunds](../billing/refunds.md) and [ok](https://example.com/x.md).\n"
    root = write_tree({"faq/billing/a.md": text})
    assert lines(root) == [
        "faq/billing/a.md:11:15: error: broken link to '../billing/refunds.md': no such page; link to an existing .md file, relative to this file"
    ]


def test_check_ignores_links_in_code_blocks(write_tree):
    text = GOOD_ARTICLE + "\n```\n[x](missing.md)\n```\n"
    assert lines(write_tree({"faq/billing/a.md": text})) == []


def test_check_warns_about_link_to_a_draft(write_tree):
    draft = GOOD_ARTICLE.replace("Change your plan", "New plans").replace("How do I upgrade?", "What is new?").replace("published", "draft")
    text = GOOD_ARTICLE + "\nSee [new plans](new-plans.md).\n"
    root = write_tree({"faq/billing/a.md": text, "faq/billing/new-plans.md": draft})
    assert lines(root) == [
        "faq/billing/a.md:11:17: warning: link to draft 'new-plans.md' will be broken in the published site; publish that article or remove the link"
    ]


def test_a_rejected_draft_is_checked_alone_and_nothing_may_link_or_pin_it(write_tree):
    """A rejected draft is never published: a link or a `related:` to it is an error; `unrelated:` may still name it,
    and no duplicate warning pairs it with the article it copies."""
    rejected = GOOD_ARTICLE.replace("published", "rejected")
    linking = GOOD_ARTICLE.replace("Change your plan", "Cancel your plan").replace("How do I upgrade?", "How do I stop paying?")
    linking = linking.replace("updated:", "related: [faq/billing/old.md]\nunrelated: [faq/billing/old.md]\nupdated:") + "\nSee [the old page](old.md).\n"
    root = write_tree({"faq/billing/change-plan.md": GOOD_ARTICLE, "faq/billing/old.md": rejected, "faq/billing/cancel.md": linking})
    assert lines(root) == [
        "faq/billing/cancel.md:7:11: error: 'related' names 'faq/billing/old.md', a rejected draft, which is never published; "
        "remove it, or set that draft's status to draft or published",
        "faq/billing/cancel.md:13:20: error: link to rejected draft 'old.md' will be broken: a rejected draft is never published; "
        "remove the link, or set that draft's status to draft or published",
    ]


def test_a_rejected_draft_still_needs_valid_front_matter(write_tree):
    root = write_tree({"faq/billing/old.md": GOOD_ARTICLE.replace("status: published", "status: rejectd")})
    assert lines(root) == ["faq/billing/old.md:6:1: error: unknown status 'rejectd'; did you mean 'rejected'?"]


def test_check_reports_empty_body(write_tree):
    root = write_tree({"faq/billing/a.md": GOOD_ARTICLE.replace("Open **Settings → Plan**.\n", "\n")})
    assert lines(root) == ["faq/billing/a.md:9:1: error: body is empty; write the answer in Markdown after the closing '---'"]


def test_check_reports_duplicate_key(write_tree):
    root = write_tree({"faq/billing/a.md": GOOD_ARTICLE.replace("tags: [plans]", "tags: [plans]\ntags: [x]")})
    assert lines(root) == ["faq/billing/a.md:6:1: error: key 'tags' appears twice; only the last one counts; remove one of them"]


def test_check_reports_invalid_utf8_with_line(write_tree, tmp_path):
    root = write_tree({})
    path = root / "faq/billing/a.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(GOOD_ARTICLE.encode() + b"caf\xe9\n")
    assert lines(root) == ["faq/billing/a.md:10:1: error: file is not valid UTF-8; save it with UTF-8 encoding"]


THREAD = """\
---
title: Charged twice
author: dana
date: 2026-03-14
solved: true
answers:
  - author: support
    date: 2026-03-15
    accepted: true
    body: Refunded.
  - author: tom
    date: 2026-03-15
    accepted: true
    body: Same here.
---
I was charged twice.
"""


def test_check_reports_second_accepted_answer(write_tree):
    root = write_tree({"community/billing/charged-twice.md": THREAD})
    assert lines(root) == [
        "community/billing/charged-twice.md:13:5: error: more than one answer has 'accepted: true'; "
        "keep it only on the answer that solved the problem (first one is on line 9)"
    ]


def test_check_reports_problem_inside_an_answer(write_tree):
    text = THREAD.replace("    accepted: true\n    body: Same here.", "    votes: lots\n    body: Same here.")
    root = write_tree({"community/billing/charged-twice.md": text})
    assert lines(root) == ["community/billing/charged-twice.md:13:5: error: 'votes' must be a whole number, not text"]


def test_check_warns_when_solved_thread_has_no_accepted_answer(write_tree):
    text = THREAD.replace("    accepted: true\n", "")
    assert lines(write_tree({"community/billing/charged-twice.md": text})) == [
        "community/billing/charged-twice.md:5:1: warning: thread is 'solved: true' but no answer is accepted; "
        "mark the answer that solved it with 'accepted: true'"
    ]


def test_check_reports_unknown_pinned_related_page(write_tree):
    text = GOOD_ARTICLE.replace("status: published", "status: published\nrelated:\n  - faq/billing/refunds.md")
    assert lines(write_tree({"faq/billing/a.md": text})) == [
        "faq/billing/a.md:8:5: error: 'related' names 'faq/billing/refunds.md', which is not an article or thread; "
        "use the path under the content folder, e.g. faq/billing/change-plan.md"
    ]


def test_check_reports_bad_category_file(write_tree):
    root = write_tree({"faq/billing/a.md": GOOD_ARTICLE}, categories="billing:\n  titel: Billing\n")
    assert lines(root) == [
        "categories.yml:1:1: error: missing required key 'title' in category; add 'title:' (name shown to customers)",
        "categories.yml:2:3: error: unknown key 'titel' in category; did you mean 'title'?",
    ]


def test_check_reports_missing_category_file(write_tree):
    root = write_tree({"faq/billing/a.md": GOOD_ARTICLE}, categories=None)
    assert lines(root) == [
        "categories.yml:1:1: error: categories file not found; create it with one 'slug: {title: ...}' entry per folder under faq/ and community/"
    ]
