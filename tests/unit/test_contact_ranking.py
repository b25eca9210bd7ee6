"""The contact page's ranking (theme/assets/kbgen/contact-index.js, run in node): kbgen's ranking in compact form."""

from __future__ import annotations

import json

from contact_js import requires_node, run

from kbgen.model import Article, Category, Thread
from kbgen.site.contact import suggestion_index_json, suggestions, vocabulary_check, vocabulary_of

pytestmark = requires_node


def index_of(*documents: Article | Thread) -> dict:
    return json.loads(suggestion_index_json({"billing": Category("billing", "Billing")}, suggestions(documents, lambda document: document.path)))


def article(slug: str, title: str, questions: tuple[str, ...] = (), summary: str = "") -> Article:
    return Article(path=f"faq/billing/{slug}.md", category="billing", slug=slug, title=title, body="", body_line=1, questions=questions, summary=summary)


def test_a_page_whose_question_variant_is_the_query_comes_first():
    index = index_of(
        article("refund-a-customer", "Refund a customer payment", summary="Refund a charged card payment: the charge is reversed, charged twice is handled too."),
        article("refund-subscription", "Request a refund for your subscription", ("Why was I charged twice?",)),
    )
    ranked = run({"index": index, "rank": ["Why was I charged twice?", "charged twice refund"]})["ranked"]
    assert ranked[0][0] == ["faq/billing/refund-subscription.md", True]
    assert all(not exact for _, exact in ranked[1])


def test_a_question_made_of_function_words_is_found_by_them():
    index = index_of(
        article("origin", "Our company's story", ("Where are you from?",)),
        article("bot", "Talk to a person", ("Are you a bot?",)),
        article("vat", "Add VAT to your invoices"),
        article("export", "Export your data"),
        article("plans", "Change your plan"),
    )
    result = run({"index": index, "rank": ["where are you from"], "search": ["where are you from", "are you a bot"]})
    # Every word is a stop word, so the page's words (BM25F) match nothing: the question match alone finds it.
    assert result["ranked"][0][0] == ["faq/billing/origin.md", False]
    assert [shown[0] for shown in result["shown"]] == ["faq/billing/origin.md", "faq/billing/bot.md"]
    assert "faq/billing/vat.md" not in result["shown"][0], "a page sharing none of the words is not suggested"


def test_function_words_alone_never_suggest_a_page_for_a_question_about_something_else():
    """ "payroll for my staff": no page mentions payroll or staff, so "for my" alone suggests nothing."""
    index = index_of(
        article("origin", "Our company's story", ("Where are you from?",)),
        article("plans", "Change your plan", ("Can I change the plan for my team?",)),
        article("vat", "Add VAT to your invoices", ("How do I add VAT for my customers?",)),
    )
    result = run({"index": index, "rank": ["payroll for my staff", "change plan for my staff"], "search": ["payroll for my staff"]})
    assert result["ranked"][0] == [] and result["shown"][0] == []
    assert result["ranked"][1][0] == ["faq/billing/plans.md", False], "with a word the help center has, they count again"


def test_field_weights_rank_a_title_match_above_a_summary_match():
    index = index_of(
        article("vat", "Add VAT to your invoices", summary="Tax rates per country."),
        article("export", "Export your data", summary="Invoices, VAT reports and contacts as CSV."),
    )
    assert [url for url, _ in run({"index": index, "rank": ["vat"]})["ranked"][0]] == ["faq/billing/vat.md", "faq/billing/export.md"]


def test_suggestions_leave_out_pages_far_below_the_best():
    index = index_of(
        article("payout", "Your Stripe payout hasn't arrived", ("Stripe payout late",)),
        article("reminders", "Send payment reminders", summary="Reminders go out when a payment is late."),
    )
    result = run({"index": index, "rank": ["stripe payout late"], "search": ["stripe payout late"]})
    assert [url for url, _ in result["ranked"][0]] == ["faq/billing/payout.md", "faq/billing/reminders.md"]
    assert result["shown"][0] == ["faq/billing/payout.md"]


def test_the_last_word_being_typed_matches_as_a_prefix():
    index = index_of(article("refund", "Request a refund"), article("password", "Reset your password"))
    assert [url for url, _ in run({"index": index, "rank": ["refu"]})["ranked"][0]] == ["faq/billing/refund.md"]


def test_body_terms_carried_in_the_index_find_a_page_by_a_word_only_its_body_has():
    documents = (
        Article(path="faq/billing/refund.md", category="billing", slug="refund", title="Request a refund", body="Refunds of a yearly plan reach your card in 5 days.\n\nChargebacks are handled by your bank.", body_line=1),
        Article(path="faq/billing/plans.md", category="billing", slug="plans", title="Change your plan", body="Plans change at once.\n\nA yearly plan is cheaper than a monthly plan.", body_line=1),
    )
    shipped = json.loads(suggestion_index_json({"billing": Category("billing", "Billing")}, suggestions(documents, lambda document: document.path)))
    with_terms = json.loads(suggestion_index_json({"billing": Category("billing", "Billing")}, suggestions(documents, lambda document: document.path, body_terms=3)))
    assert "terms" not in shipped["pages"], "the index as built carries no body words"
    terms_of = dict(zip(with_terms["pages"]["url"], with_terms["pages"]["terms"], strict=True))
    # The words that set each body apart, as kbgen's stemmed terms, none already in the title.
    assert terms_of["faq/billing/refund.md"].split() == sorted(terms_of["faq/billing/refund.md"].split())
    assert "chargeback" in terms_of["faq/billing/refund.md"].split() and "refund" not in terms_of["faq/billing/refund.md"].split()
    assert "plan" not in terms_of["faq/billing/plans.md"].split(), "a word in the title is in the index already"
    assert run({"index": shipped, "rank": ["chargebacks"]})["ranked"] == [[]]
    assert run({"index": with_terms, "rank": ["chargebacks"]})["ranked"] == [[["faq/billing/refund.md", False]]]


def test_a_body_word_the_index_has_elsewhere_is_carried_as_its_number():
    documents = (
        Article(path="faq/billing/refund.md", category="billing", slug="refund", title="Request a refund", body="Refunds reach your card in 5 days.\n\nA refund to a closed bank account is returned. Ask your bank about it.", body_line=1),
        Article(path="faq/billing/bank.md", category="billing", slug="bank", title="Change your bank account", body="Payouts go to the new account from the next day.", body_line=1),
        Article(path="faq/billing/plans.md", category="billing", slug="plans", title="Change your plan", body="Plans change at once.", body_line=1),
    )
    index = json.loads(suggestion_index_json({"billing": Category("billing", "Billing")}, suggestions(documents, lambda document: document.path)))
    vocabulary = vocabulary_of(suggestions(documents, lambda document: document.path))
    assert index["vocabulary"] == {"terms": len(vocabulary), "check": vocabulary_check(vocabulary)}
    known = dict(zip(index["pages"]["url"], index["pages"]["known"], strict=True))
    assert [vocabulary[number] for number in known["faq/billing/refund.md"]] == ["bank"], "the refund body's word that another title has"
    assert run({"index": index, "rank": ["bank"]})["ranked"] == [[["faq/billing/bank.md", False], ["faq/billing/refund.md", False]]]
    # A vocabulary the page does not derive the same way: the numbers are not trusted.
    index["vocabulary"]["check"] += 1
    assert run({"index": index, "rank": ["bank"]})["ranked"] == [[["faq/billing/bank.md", False]]]
