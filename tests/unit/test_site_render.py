"""Page HTML from records: article and thread pages, related links, breadcrumbs, pagination, listings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kbgen.model import Article, Category, Comment, Corpus, Post, Thread, ThreadSummary
from kbgen.site.render.community import CommunityMarkdown
from kbgen.site.render.documents import article_html, license_url, thread_html
from kbgen.site.render.html import human_date
from kbgen.site.render.listings import category_html, community_html, home_html
from kbgen.site.render.parts import breadcrumbs_html, pagination_html, related_html
from kbgen.site.structure.help_center import Crumb, build_help_center
from kbgen.site.structure.listing import paginate


def href(src_uri: str) -> str:
    return "/" + src_uri.removesuffix("index.md").removesuffix(".md")


@dataclass(frozen=True)
class Link:  # the shape of kbgen.link.RelatedLink, built by hand
    path: str
    title: str
    url: str = ""
    kind: str = "article"
    score: float = 1.0


@dataclass(frozen=True)
class Related:  # the shape of kbgen.link.Related
    articles: tuple[Link, ...] = ()
    threads: tuple[Link, ...] = ()


ARTICLE = Article(
    path="faq/billing/refund.md", category="billing", slug="refund", title="Request a <refund>", body="", body_line=1,
    tags=("refunds", "billing"), questions=("Can I get my money back?", "I was charged twice"), asked=40,
    updated="2026-03-04", summary="Yearly plans: refunded within 14 days.",
)
THREAD = Thread(
    path="community/billing/charged-twice.md", category="billing", slug="charged-twice", title="Charged twice?", body="I was **charged** twice.",
    body_line=1, tags=("refunds",), author="mira <script>", date="2026-02-01", votes=4, solved=True,
    comments=(Comment("ben", "2026-02-01", "Same here."),),
    answers=(
        Post(author="early", date="2026-02-01", body="Wait a day.", votes=7),
        Post(author="support", date="2026-02-02", body="We refunded the **second** charge.", votes=2, accepted=True,
             comments=(Comment("mira", "2026-02-03", "Thanks!"),)),
    ),
    source="https://forum.example.com/t/42", license="CC BY-SA 4.0",
    summary=ThreadSummary(problem="Charged twice for one plan.", solution="Support refunded it."),
)
CORPUS = Corpus(root=Path("."), categories={"billing": Category("billing", "Plans & billing", "Your plan.")}, articles=(ARTICLE,), threads=(THREAD,))
CENTER = build_help_center(CORPUS)


def test_article_page_shows_title_facts_summary_variants_then_answer():
    html = article_html(ARTICLE, "<p>The answer.</p>", href, CENTER)
    assert '<h1 id="kb-title">Request a &lt;refund&gt;</h1>' in html
    assert 'Updated <time datetime="2026-03-04">4 Mar 2026</time>' in html
    assert '<a href="/tags/refunds/" class="kb-tag">refunds</a>' in html
    assert '<p class="kb-lead">Yearly plans: refunded within 14 days.</p>' in html
    variants = html.index("Also asked as")
    assert html.index("<li>Can I get my money back?</li>") > variants and html.index("The answer.") > variants


def test_thread_page_puts_the_accepted_answer_first_and_marks_it():
    html = thread_html(CommunityMarkdown().thread(THREAD), href, CENTER)
    anchors = re.findall(r'<section class="kb-post ([^"]+)" id="([^"]+)"', html)
    assert anchors == [("kb-question", "question"), ("kb-answer kb-answer--accepted", "answer-1"), ("kb-answer", "answer-2")]
    assert html.index("We refunded the <strong>second</strong> charge.") < html.index("Wait a day.")
    assert html.count("✓ Accepted answer") == 1 and "kb-badge--solved" in html
    assert "mira &lt;script&gt;" in html and "<script>" not in html
    assert '<span class="kb-post__score">2</span>' in html and "Same here." in html and "Thanks!" in html


def test_thread_summary_box_links_to_the_answer_and_attribution_names_source_and_license():
    html = thread_html(CommunityMarkdown().thread(THREAD), href, CENTER)
    assert '<h2 class="kb-summary__title" id="kb-summary-title">In short</h2>' in html
    assert "Charged twice for one plan." in html and '<a class="kb-summary__jump" href="#answer-1">' in html
    assert 'href="https://forum.example.com/t/42"' in html
    assert '<a href="https://creativecommons.org/licenses/by-sa/4.0/" rel="license noopener">CC BY-SA 4.0</a>' in html
    assert "Text by early, mira &lt;script&gt;, support" in html


def test_unanswered_thread_says_so_and_has_no_attribution_when_written_here():
    html = thread_html(CommunityMarkdown().thread(Thread(path="community/billing/q.md", category="billing", slug="q", title="Q", body="Help?", body_line=1, author="a", date="2026-01-01")), href, CENTER)
    assert "No answers yet." in html and "0 answers" in html and "kb-attribution" not in html


def test_license_url_knows_creative_commons_names():
    assert license_url("CC BY-SA 3.0") == "https://creativecommons.org/licenses/by-sa/3.0/"
    assert license_url("cc-by 4.0") == "https://creativecommons.org/licenses/by/4.0/"
    assert license_url("MIT") == ""


def test_related_renders_hand_built_records_and_skips_pages_not_built():
    related = Related(
        articles=(Link("faq/billing/plans.md", "Change <plan>"), Link("faq/billing/draft.md", "Not built")),
        threads=(Link("community/billing/t.md", "A thread", kind="thread"),),
    )
    html = related_html(related, href, {"faq/billing/plans.md", "community/billing/t.md"})
    assert '<h2 class="kb-related__title" id="kb-related-articles">Related articles</h2>' in html
    assert '<a href="/faq/billing/plans">Change &lt;plan&gt;</a>' in html and "Not built" not in html
    assert "Community discussions" in html and '<a href="/community/billing/t">A thread</a>' in html
    assert related_html(Related(), href, set()) == "" and related_html(None, href, set()) == ""


def test_breadcrumbs_link_all_but_the_current_page():
    html = breadcrumbs_html((Crumb("Home", "index.md"), Crumb("A & B", "faq/a/index.md"), Crumb("Page <1>", "faq/a/p.md")), href)
    assert '<nav class="kb-breadcrumbs" aria-label="Breadcrumb">' in html
    assert '<a href="/faq/a/">A &amp; B</a>' in html and '<li class="kb-breadcrumbs__item" aria-current="page">Page &lt;1&gt;</li>' in html
    assert breadcrumbs_html((Crumb("Home", "index.md"),), href) == ""


def test_pagination_shows_a_bounded_window_of_pages():
    pages = paginate("faq/billing", list(range(1000)), 10)
    html = pagination_html(pages[49], href)
    numbers = re.findall(r'aria-label="Page (\d+)"', html)
    assert numbers == ["1", "48", "49", "51", "52", "100"]
    assert '<span class="kb-pagination__current" aria-current="page">50</span>' in html
    assert 'rel="prev"' in html and 'href="/faq/billing/page/49/"' in html and 'rel="next"' in html
    assert pagination_html(paginate("x", [1], 10)[0], href) == ""


def test_home_has_search_top_questions_category_cards_and_community():
    html = home_html(CENTER, href, {"billing": "<svg></svg>"}, "Help & Co")
    assert '<form class="kb-hero__search" role="search"' in html and 'name="q"' in html and "Search Help &amp; Co" in html
    assert '<ol class="kb-top-questions"><li><a href="/faq/billing/refund">Request a &lt;refund&gt;</a></li></ol>' in html
    assert '<span class="kb-card__icon" aria-hidden="true"><svg></svg></span>' in html
    assert "1 article · 1 community discussion" in html
    assert 'href="/community/"' in html


def test_category_page_groups_articles_then_discussions():
    html = category_html(CENTER.pages["faq/billing/index.md"], href, CENTER, {})
    assert html.index('<h2 id="articles">Articles</h2>') < html.index('<h2 id="community">Community discussions</h2>')
    assert "Yearly plans: refunded within 14 days." in html and "2 answers · 4 votes" in html


def test_community_page_has_static_filters_with_counts():
    html = community_html(CENTER.pages["community/solved/index.md"], href, CENTER)
    assert '<a class="kb-filter kb-filter--current" href="/community/solved/" aria-current="page">Solved (1)</a>' in html
    assert '<a href="/community/unanswered/" class="kb-filter">Unanswered (0)</a>' in html


def test_human_date_reads_dates_and_date_times():
    assert human_date("2026-10-02") == "2 Oct 2026"
    assert human_date("2026-07-14T09:30:00+02:00") == "14 Jul 2026"
    assert human_date("someday") == "someday"
