"""Author links on thread pages and in QAPage JSON-LD: only http(s) profile URLs, escaped, marked as community links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kbgen.model import Category, Comment, Corpus, Post, Thread, linkable_url
from kbgen.site.jsonld import qa_page
from kbgen.site.render.community import CommunityMarkdown
from kbgen.site.render.documents import thread_html
from kbgen.site.structure.help_center import build_help_center

PAGE_URL = "https://help.example.com/community/billing/t/"
HOSTILE_URLS = [
    "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x", "//evil.example/u/x",
    "/u/relative", "https://", 'https://x.example/"onmouseover="alert(1)', "https://x.example/<script>", "https://x.example/a b",
    "https://x.example/\x00", "ftp://x.example/u", "mailto:a@example.com", "https://[::1/u",
]  # fmt: skip


def _thread(asker_url: str = "https://forum.example.com/u/mira", answer_url: str = "https://forum.example.com/u/sam") -> Thread:
    return Thread(
        path="community/billing/t.md", category="billing", slug="t", title="Charged twice", body="I was charged twice.", body_line=1,
        author="mira", author_url=asker_url, date="2026-02-01", votes=1, solved=True,
        comments=(Comment("ben", "2026-02-01", "Same.", "https://forum.example.com/u/ben"),),
        answers=(Post("sam", "2026-02-02", "Refunded.", votes=2, accepted=True, author_url=answer_url, comments=(Comment("ana", "2026-02-03", "Thanks."),)),),
    )  # fmt: skip


def _page(thread: Thread) -> str:
    corpus = Corpus(root=Path("."), categories={"billing": Category("billing", "Billing")}, threads=(thread,))
    return thread_html(CommunityMarkdown().thread(thread), lambda src: "/" + src, build_help_center(corpus))


def test_authors_with_a_profile_are_links_marked_nofollow_ugc_noopener() -> None:
    html = _page(_thread())
    links = re.findall(r'<a class="kb-author" href="([^"]*)" rel="([^"]*)">([^<]*)</a>', html)
    assert ("https://forum.example.com/u/mira", "nofollow ugc noopener", "mira") in links  # in the facts line and the question
    assert ("https://forum.example.com/u/sam", "nofollow ugc noopener", "sam") in links
    assert ("https://forum.example.com/u/ben", "nofollow ugc noopener", "ben") in links
    assert '<span class="kb-author">ana</span>' in html  # a comment without a profile: the name alone


def test_query_strings_are_escaped_in_the_link() -> None:
    html = _page(_thread(answer_url="https://forum.example.com/u/sam?tab=all&x=1"))
    assert '<a class="kb-author" href="https://forum.example.com/u/sam?tab=all&amp;x=1" rel="nofollow ugc noopener">sam</a>' in html


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_no_other_url_becomes_a_link(url: str) -> None:
    assert linkable_url(url) == ""
    html = _page(_thread(asker_url=url, answer_url=url))
    assert '<a class="kb-author" href="https://forum.example.com/u/ben"' in html  # the comment's own link stays
    assert html.count('class="kb-author" href=') == 1
    assert "javascript" not in html.lower() and "onmouseover" not in html


def test_qa_page_authors_carry_their_profile_url_when_it_is_linkable() -> None:
    question = qa_page(CommunityMarkdown().thread(_thread()), PAGE_URL)["mainEntity"]
    assert question["author"] == {"@type": "Person", "name": "mira", "url": "https://forum.example.com/u/mira"}
    assert question["acceptedAnswer"]["author"] == {"@type": "Person", "name": "sam", "url": "https://forum.example.com/u/sam"}
    hostile = qa_page(CommunityMarkdown().thread(_thread(asker_url="javascript:alert(1)", answer_url="")), PAGE_URL)["mainEntity"]
    assert hostile["author"] == {"@type": "Person", "name": "mira"} and hostile["acceptedAnswer"]["author"] == {"@type": "Person", "name": "sam"}
