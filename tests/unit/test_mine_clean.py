"""Cleaning logged questions: the customer's question kept, conversation noise and personal data removed."""

from __future__ import annotations

import pytest

from kbgen.mine.clean import clean_question, display_question, question_key


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Contact me at anna.kowalski@example.com please", "Contact me at [email] please"),
        ("Call +44 20 7946 0958 or (555) 123-4567", "Call [phone] or [phone]"),
        ("My card 4111 1111 1111 1111 was declined", "My card [card] was declined"),
        ("card 4111-1111-1111-1111 again", "card [card] again"),
        ("Where is order #884512?", "Where is order [number]?"),
        ("Ticket 77812 is still open", "Ticket [number] is still open"),
        ("invoice INV-0042 has the wrong date", "invoice [number] has the wrong date"),
        ("my account id is A1B2C3D4E5F6 and ref AB-99812", "my account [number] and ref [number]"),
        ("Pay to IBAN DE89 3704 0044 0532 0130 00 today", "Pay to IBAN [number] today"),
        ("link https://pay.example.com/r?token=abc123 fails", "link [link] fails"),
        ("reset https://app.example.com/reset/8f3b2c9d7e6a5f4b3c2d1e0f9a8b7c6d now", "reset [link] now"),
        ("see https://example.com/help/vat for VAT", "see https://example.com/help/vat for VAT"),
        ("my bank feed stopped on 2026-03-30", "my bank feed stopped on 2026-03-30"),
        ("the app costs 12 euros a month", "the app costs 12 euros a month"),
    ],
)
def test_personal_data_is_masked(raw: str, cleaned: str) -> None:
    assert clean_question(raw) == cleaned


def test_greeting_sign_off_and_signature_are_stripped() -> None:
    raw = "Hi team,\n\nHow do I reset my password?\n\nThanks,\nAnna Kowalski\nKowalski Design Ltd | +44 20 7946 0958"
    assert clean_question(raw) == "How do I reset my password?"
    assert clean_question("how do i set up 2fa\n-- \nJohn Doe\nCEO, Acme") == "how do i set up 2fa"
    assert clean_question("Hey there, how do I delete a client?") == "how do I delete a client?"
    assert clean_question("Good morning Support,\nwhere is my invoice?\nSent from my iPhone") == "where is my invoice?"


def test_quoted_replies_are_removed() -> None:
    raw = "Why was I charged twice?\n\nOn Mon, 3 Jun 2024 at 10:02, Brightbill <help@brightbill.example> wrote:\n> Hello Anna\n> Your card ending 1234"
    assert clean_question(raw) == "Why was I charged twice?"
    assert clean_question("> quoted line\nmy real question?") == "my real question?"
    assert clean_question("Still broken\n-----Original Message-----\nFrom: someone@example.com") == "Still broken"


def test_thanks_inside_the_question_is_kept() -> None:
    assert clean_question("Thanks for the quick reply, how do I add VAT?") == "Thanks for the quick reply, how do I add VAT?"


def test_html_ticket_bodies_become_plain_text() -> None:
    assert clean_question("<p>Hi,</p><p>How can I export &amp; download invoices?</p><p>Regards,<br>Tom</p>") == "How can I export & download invoices?"


def test_a_message_with_only_pleasantries_leaves_nothing_or_little() -> None:
    assert clean_question("Hello,\n\n") == ""
    assert clean_question("   ") == ""


def test_question_key_ignores_case_spacing_and_punctuation() -> None:
    assert question_key("How do I reset my password?") == question_key("how do i  reset my password")
    assert question_key("Call [phone] now") == "call [phone] now"


def test_display_question_prefers_the_asking_sentence_of_a_long_message() -> None:
    long = "I have been using Brightbill for years and love it. " * 3 + "How do I move my invoices to a new company? " + "More details follow here. " * 5
    assert display_question(long) == "How do I move my invoices to a new company?"
    assert display_question("short one") == "Short one"
