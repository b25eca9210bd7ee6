"""The contact page and its suggestion index, from a real ``mkdocs build`` of small sites."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kbgen.site.contact import INDEX_FIELDS, ContactTarget

CATEGORIES = """\
billing:
  title: Plans & billing
  description: Your subscription.
  support:
    include: The BB- invoice number.
    fields:
      - id: invoice_number
        label: Invoice number <BB-…>
        required: true
      - id: provider
        label: Payment provider
        type: select
        options: [Stripe, PayPal]
account:
  title: Account & sign-in
"""

FILES = {
    "faq/billing/request-a-refund.md": """
        ---
        title: Request a refund for your subscription
        questions:
          - Can I get my money back?
          - I was charged twice this month
        tags: [refunds]
        asked: 120
        summary: Yearly plans are refunded in full within 14 days.
        ---
        The whole answer body, which must not be in the index: SECRET-BODY-WORDS.
        """,
    "faq/billing/coming-soon.md": """
        ---
        title: A draft about invoices
        status: draft
        ---
        Not ready.
        """,
    "community/account/locked-out.md": """
        ---
        title: Locked out after changing my phone
        author: sam
        date: 2026-02-01
        tags: [two-step]
        votes: 7
        solved: true
        answers:
          - author: support
            date: 2026-02-02
            accepted: true
            body: Use a backup code. ANSWER-BODY-WORDS
        ---
        I got a new phone and **now** the two-step code is refused. I tried twice.
        """,
}


@pytest.fixture
def write_project(write_tree, tmp_path):
    """Write a small project with the given ``contact:`` block; returns its mkdocs.yml."""

    def write(contact: str = "", files: dict[str, str] | None = None) -> Path:
        write_tree({**FILES, **(files or {})}, categories=CATEGORIES)
        plugin = "  - kbgen\n" if not contact else "  - kbgen:\n      contact:\n" + "".join(f"        {line}\n" for line in contact.splitlines())
        config = tmp_path / "mkdocs.yml"
        config.write_text(
            f"site_name: Test help\nsite_url: https://help.example.com/\ndocs_dir: content\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n{plugin}",
            encoding="utf-8",
        )
        return config

    return write


@pytest.fixture
def build_site(write_project, run_cli):
    """Build a small site with the given ``contact:`` block; returns the site folder."""

    def build(contact: str = "", files: dict[str, str] | None = None) -> Path:
        config = write_project(contact, files)
        result = run_cli("build", "-f", config)
        assert result.exit_code == 0, result.stderr
        return config.parent / "site"

    return build


def read_index(site: Path) -> list[dict]:
    data = json.loads((site / "assets/kbgen/suggest.json").read_text(encoding="utf-8"))
    assert list(data["pages"]) == list(INDEX_FIELDS), "one column per field, in order"
    titles = [category["title"] for category in data["categories"]]
    rows = zip(*data["pages"].values(), strict=True)
    return [dict(zip(INDEX_FIELDS, row, strict=True)) | {"category_title": titles[row[1]]} for row in rows]


def test_suggestion_index_lists_published_pages_without_bodies(build_site):
    site = build_site()
    pages = read_index(site)
    assert [page["url"] for page in pages] == ["community/account/locked-out/", "faq/billing/request-a-refund/"]
    thread, article = pages
    assert article["kind"] == "article" and article["category_title"] == "Plans & billing"
    assert article["questions"] == ["Can I get my money back?", "I was charged twice this month"]
    assert article["summary"] == "Yearly plans are refunded in full within 14 days."
    assert (article["tags"], article["popularity"], article["solved"]) == (["refunds"], 120, 0)
    assert thread["kind"] == "thread" and thread["solved"] == 1 and thread["popularity"] == 7
    assert thread["summary"].startswith("I got a new phone and now the two-step code is refused.")
    raw = (site / "assets/kbgen/suggest.json").read_text(encoding="utf-8")
    assert "SECRET-BODY-WORDS" not in raw and "ANSWER-BODY-WORDS" not in raw
    assert "draft" not in raw.lower()
    for page in pages:
        assert (site / page["url"] / "index.html").is_file(), "every suggestion links to a built page"


def test_contact_page_has_category_fields_and_default_mailto_target(build_site):
    site = build_site()
    html = (site / "contact/index.html").read_text(encoding="utf-8")
    assert 'data-target-kind="mailto"' in html and 'data-target=""' in html
    assert '<option value="billing">Plans &amp; billing</option>' in html
    assert 'data-category="billing" hidden disabled' in html
    assert 'for="kb-field-billing-invoice_number">Invoice number &lt;BB-…&gt; <span class="kb-field__required">(required)</span>' in html
    assert 'id="kb-field-billing-invoice_number" name="invoice_number" data-field="invoice_number"' in html
    assert '<option value="PayPal">PayPal</option>' in html
    assert "Please have ready: The BB- invoice number." in html
    assert 'id="kb-email"' not in html, "a mail app already knows the customer's address"
    assert "assets/kbgen/contact.js" in html and "assets/kbgen/contact.css" in html
    article = (site / "faq/billing/request-a-refund/index.html").read_text(encoding="utf-8")
    assert "assets/kbgen/contact-history.js" in article and "assets/kbgen/contact.js" not in article


def test_post_target_asks_for_a_reply_address(build_site):
    html = (build_site("target: https://desk.example.com/api/tickets\nencoding: form") / "contact/index.html").read_text(encoding="utf-8")
    assert 'data-target-kind="post" data-target="https://desk.example.com/api/tickets" data-encoding="form"' in html
    assert '<input id="kb-email" name="email" type="email" autocomplete="email" required' in html


def test_clipboard_target_and_site_url(build_site):
    html = (build_site("target: clipboard") / "contact/index.html").read_text(encoding="utf-8")
    assert 'data-target-kind="clipboard"' in html and 'data-site-url="https://help.example.com/"' in html


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("ftp://desk.example.com/", "is not one of: 'mailto:support@example.com', an https:// form endpoint"),
        ("http://desk.example.com/tickets", "http:// only for localhost"),
    ],
)
def test_bad_target_is_a_clear_config_error(write_project, run_cli, target, expected):
    result = run_cli("build", "-f", write_project(f"target: {target}"))
    assert result.exit_code == 1
    assert "contact" in result.stderr and expected in result.stderr
    assert "Traceback" not in result.stderr


def test_site_page_named_contact_wins_and_disabled_contact_adds_nothing(build_site, tmp_path):
    site = build_site(files={"contact.md": "# Write to us\n\nCall 555-0100.\n"})
    assert "Call 555-0100" in (site / "contact/index.html").read_text(encoding="utf-8")
    assert (site / "assets/kbgen/suggest.json").is_file()
    site = build_site("enabled: false", files={"contact.md": "# Write to us\n"})
    assert not (site / "assets/kbgen/suggest.json").exists()


def test_build_with_contact_page_is_reproducible(build_site):
    first = (build_site() / "assets/kbgen/suggest.json").read_bytes()
    second = (build_site() / "assets/kbgen/suggest.json").read_bytes()
    assert first == second


@pytest.mark.parametrize(
    ("written", "kind", "address"),
    [
        ("mailto:help@example.com", "mailto", "help@example.com"),
        ("mailto:", "mailto", ""),
        ("clipboard", "clipboard", ""),
        ("https://desk.example.com/t", "post", "https://desk.example.com/t"),
        ("http://127.0.0.1:8123/t", "post", "http://127.0.0.1:8123/t"),
    ],
)
def test_contact_target_kinds(written, kind, address):
    target = ContactTarget.parse(written)
    assert (target.kind, target.address) == (kind, address)
