"""Promoting a solved thread to an FAQ draft that passes kbgen check."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbgen.check import check_tree
from kbgen.community.promote import promote_thread, title_variants
from kbgen.community.records import unplaced_thread
from kbgen.community.store import ImportOptions, import_threads
from kbgen.errors import KbgenError
from kbgen.model import Post, ThreadLinks

CATEGORIES = "billing:\n  title: Plans & billing\naccount:\n  title: Account\n"


def imported_tree(tmp_path: Path) -> Path:
    """A content tree with one solved thread and the thread the forum marked as its duplicate."""
    root = tmp_path / "content"
    root.mkdir()
    (root / "categories.yml").write_text(CATEGORIES, encoding="utf-8")
    solved = unplaced_thread(
        title="How do I add my VAT number to invoices (EU)?", body="My accountant needs it.\n", author="mira", date="2026-02-01",
        tags=("vat", "invoices"), votes=4, solved=True, source="https://forum.example.com/q/10", source_id="10", license="CC BY-SA 4.0",
        answers=(Post("ken", "2026-02-02T09:00:00", "Go to **Settings → Billing details** and fill in *VAT number*. It shows on the next invoice.\n", votes=6, accepted=True),),
        links=ThreadLinks(duplicates=("https://forum.example.com/q/11", "https://forum.example.com/q/99")),
    )  # fmt: skip
    duplicate = unplaced_thread(
        title="Where do I enter our VAT ID?", body="Can't find it.\n", author="leo", date="2026-02-03",
        answers=(Post("ken", "2026-02-03", "See the other thread.\n"),), source="https://forum.example.com/q/11", source_id="11",
    )  # fmt: skip
    import_threads(iter([solved, duplicate]), root / "community", ImportOptions(category="billing"))
    return root


def test_solved_thread_becomes_a_draft_that_passes_check(tmp_path: Path) -> None:
    root = imported_tree(tmp_path)
    article = promote_thread(root / "community" / "billing" / "how-do-i-add-my-vat-number-to-10.md")
    assert article == root / "faq" / "billing" / "how-do-i-add-my-vat-number-to.md"
    assert article.read_text(encoding="utf-8") == (
        "---\n"
        "title: How do I add my VAT number to invoices (EU)?\n"
        "questions:\n"
        "  - How can I add my VAT number to invoices (EU)?\n"
        "  - How to add my VAT number to invoices (EU)\n"
        "  - How can I add my VAT number to invoices?\n"
        "  - How to add my VAT number to invoices\n"
        "  - How do I add my VAT number to invoices?\n"
        "  - Where do I enter our VAT ID?\n"
        "tags: [vat, invoices]\n"
        "status: draft\n"
        "updated: 2026-02-02\n"
        "summary: Go to Settings → Billing details and fill in VAT number.\n"
        "---\n"
        "Go to **Settings → Billing details** and fill in *VAT number*. It shows on the next invoice.\n\n"
        "---\n\n"
        "*Answer by ken in the community thread [How do I add my VAT number to invoices (EU)?]"
        "(../../community/billing/how-do-i-add-my-vat-number-to-10.md), originally posted at "
        "<https://forum.example.com/q/10>, licensed CC BY-SA 4.0.*\n"
    )
    corpus, problems = check_tree(root)
    assert problems == []
    assert [article.status for article in corpus.articles] == ["draft"]


def test_category_can_be_chosen_and_must_exist(tmp_path: Path) -> None:
    root = imported_tree(tmp_path)
    thread = root / "community" / "billing" / "how-do-i-add-my-vat-number-to-10.md"
    with pytest.raises(KbgenError, match="unknown category 'acount'") as raised:
        promote_thread(thread, "acount")
    assert raised.value.hint == "did you mean 'account'?"
    assert promote_thread(thread, "account").parent.name == "account"
    with pytest.raises(KbgenError, match="already exists"):
        promote_thread(thread)


def test_unsolved_thread_cannot_be_promoted(tmp_path: Path) -> None:
    root = imported_tree(tmp_path)
    with pytest.raises(KbgenError, match="no accepted answer"):
        promote_thread(root / "community" / "billing" / "where-do-i-enter-our-vat-id-11.md")


def test_a_question_already_answered_by_an_article_is_refused(tmp_path: Path) -> None:
    root = imported_tree(tmp_path)
    (root / "faq" / "account").mkdir(parents=True)
    (root / "faq" / "account" / "vat.md").write_text("---\ntitle: VAT\nquestions: [How do I add my VAT number to invoices (EU)]\n---\nAnswer.\n", encoding="utf-8")
    with pytest.raises(KbgenError, match="already answered by faq/account/vat.md"):
        promote_thread(root / "community" / "billing" / "how-do-i-add-my-vat-number-to-10.md")


def test_a_file_outside_community_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("---\ntitle: x\n---\nx\n", encoding="utf-8")
    with pytest.raises(KbgenError, match="not a community thread file"):
        promote_thread(path)


def test_title_variants() -> None:
    assert title_variants("Can I pay by card?") == ["Is it possible to pay by card?"]
    assert title_variants("Is there a way to merge two accounts?") == ["Can I merge two accounts?", "How do I merge two accounts?"]
    assert title_variants("Refund failed (Stripe)") == ["Refund failed"]
    assert title_variants("Webhook signature never matches") == []
