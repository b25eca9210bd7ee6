"""schema.org JSON-LD: FAQPage, QAPage and BreadcrumbList with the properties Google documents, safely embedded."""

from __future__ import annotations

import json
import re

from kbgen.model import Article, Post, Thread
from kbgen.site.jsonld import breadcrumb_list, faq_page, qa_page, script_tags
from kbgen.site.render.community import CommunityMarkdown
from kbgen.site.structure.help_center import Crumb

PAGE_URL = "https://help.example.com/faq/billing/refund/"


def scripts(html: str) -> list[dict]:
    return [json.loads(body) for body in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)]


def test_faq_page_has_one_question_with_its_accepted_answer():
    article = Article(path="faq/billing/refund.md", category="billing", slug="refund", title="Request a refund", body="", body_line=1)
    data = faq_page(article, '<p>Go to <a href="../plans/">plans</a>.</p><script>x()</script>', PAGE_URL)
    assert data["@context"] == "https://schema.org" and data["@type"] == "FAQPage"
    (question,) = data["mainEntity"]
    assert question == {
        "@type": "Question",
        "name": "Request a refund",
        "acceptedAnswer": {"@type": "Answer", "text": '<p>Go to <a href="https://help.example.com/faq/billing/plans/">plans</a>.</p>'},
    }


def test_qa_page_has_question_accepted_and_suggested_answers():
    thread = Thread(
        path="community/billing/t.md", category="billing", slug="t", title="Charged twice", body="I was **charged** twice.", body_line=1,
        author="mira", date="2026-02-01", votes=4, solved=True,
        answers=(Post("early", "2026-02-01", "Wait.", votes=7), Post("support", "2026-02-02", "Refunded.", votes=2, accepted=True)),
    )
    data = qa_page(CommunityMarkdown().thread(thread), "https://help.example.com/community/billing/t/")
    assert data["@type"] == "QAPage"
    question = data["mainEntity"]
    assert (question["@type"], question["name"], question["text"]) == ("Question", "Charged twice", "I was charged twice.")
    assert (question["answerCount"], question["upvoteCount"], question["dateCreated"]) == (2, 4, "2026-02-01")
    assert question["author"] == {"@type": "Person", "name": "mira"}
    accepted = question["acceptedAnswer"]
    assert accepted == {
        "@type": "Answer", "text": "Refunded.", "upvoteCount": 2, "dateCreated": "2026-02-02", "datePublished": "2026-02-02",
        "author": {"@type": "Person", "name": "support"}, "url": "https://help.example.com/community/billing/t/#answer-1",
    }
    (suggested,) = question["suggestedAnswer"]
    assert (suggested["text"], suggested["url"].rsplit("#", 1)[1]) == ("Wait.", "answer-2")


def test_thread_without_answers_gets_no_qa_page():
    thread = Thread(path="community/billing/t.md", category="billing", slug="t", title="Q", body="Help?", body_line=1, author="a", date="2026-01-01")
    assert qa_page(CommunityMarkdown().thread(thread), PAGE_URL) is None


def test_breadcrumb_list_numbers_items_from_one_with_absolute_urls():
    trail = (Crumb("Home", "index.md"), Crumb("Billing", "faq/billing/index.md"), Crumb("Refund", "faq/billing/refund.md"))
    data = breadcrumb_list(trail, lambda src_uri: "https://help.example.com/" + src_uri.removesuffix("index.md").removesuffix(".md"))
    assert data["@type"] == "BreadcrumbList"
    assert [(item["position"], item["name"], item["item"]) for item in data["itemListElement"]] == [
        (1, "Home", "https://help.example.com/"), (2, "Billing", "https://help.example.com/faq/billing/"), (3, "Refund", "https://help.example.com/faq/billing/refund"),
    ]
    assert breadcrumb_list(trail[:1], str) is None


def test_script_tags_cannot_be_closed_by_content():
    html = script_tags({"name": "</script><script>alert(1)</script> & <!-- \u2028"}, None)
    assert html.count("<script") == 1 and html.count("</script>") == 1
    assert scripts(html) == [{"name": "</script><script>alert(1)</script> & <!-- \u2028"}]
