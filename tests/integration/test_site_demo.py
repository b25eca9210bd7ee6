"""The demo help center, built once: generated pages, navigation, article and thread pages, JSON-LD, sitemap, search."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from kbgen.build import build_site
from kbgen.load import load_corpus
from kbgen.model import Article, Thread
from kbgen.site.structure.help_center import document_date, most_asked

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
SITE_URL = "https://help.brightbill.example/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(REPO_ROOT / "mkdocs.yml", site_dir=tmp_path_factory.mktemp("demo") / "site")


@pytest.fixture(scope="module")
def corpus():
    loaded, _ = load_corpus(REPO_ROOT / "content")
    return loaded


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def content(html: str) -> str:
    """The page's <article> (what kbgen renders), without header, navigation and footer."""
    return html[html.index('<article class="md-content__inner'): html.index("</article>")]


def links(html: str, url: str) -> list[str]:
    """Site-relative URLs of the links in ``html`` of the page at ``url``."""
    found = []
    for href in re.findall(r'<a [^>]*href="([^"#]*)[^"]*"', html):
        if href and not urlsplit(href).scheme:
            found.append(urlsplit(urljoin(SITE_URL + url, href)).path.lstrip("/"))
    return found


def json_ld(html: str) -> list[dict]:
    return [json.loads(body) for body in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)]


def by_type(html: str, kind: str) -> dict:
    (found,) = [data for data in json_ld(html) if data["@type"] == kind]
    return found


def test_generated_pages_exist_for_home_categories_tags_and_community(site, corpus):
    assert (site / "index.html").is_file()
    for slug in corpus.categories:
        assert "kb-listing-header" in page(site, f"faq/{slug}")
    tags = {tag for document in (*corpus.published_articles, *corpus.threads) for tag in document.tags}
    for tag in tags:
        assert (site / "tags" / tag / "index.html").is_file(), tag
    for url in ("tags", "community", "community/unanswered", "community/solved"):
        assert "kb-listing-header" in page(site, url)
    assert not list(site.rglob("categories.yml")) and not (REPO_ROOT / "content" / "index.md").exists()


def test_home_lists_most_asked_published_articles_and_category_cards(site, corpus):
    home = content(page(site, ""))
    top = re.search(r'<ol class="kb-top-questions">(.*?)</ol>', home).group(1)
    expected = [article.url for article in most_asked(corpus.published_articles)[:10]]
    assert links(top, "") == expected
    for slug in corpus.categories:
        published = sum(article.category == slug for article in corpus.published_articles)
        threads = sum(thread.category == slug for thread in corpus.threads)
        card = re.search(rf'<li class="kb-card">(?:(?!</li>).)*?href="faq/{slug}/"(?:(?!</li>).)*</li>', home, re.DOTALL).group(0)
        assert f"{published} article{'s' if published != 1 else ''} · {threads} community discussion" in card
        assert "<svg" in card, f"{slug} card has its icon"
    assert 'name="q"' in home and 'href="community/"' in home


def test_every_document_is_reachable_from_home_in_two_clicks(site, corpus):
    targets = {document.url for document in (*corpus.published_articles, *corpus.threads)}
    seen, queue = {"": 0}, deque([""])
    while queue:
        url = queue.popleft()
        if seen[url] == 2:
            continue
        for target in links(content(page(site, url)), url):
            if target not in seen and (site / target / "index.html").is_file():
                seen[target] = seen[url] + 1
                queue.append(target)
    assert targets <= set(seen)


def test_navigation_lists_sections_not_every_page(site, corpus):
    article = page(site, "faq/account/reset-your-password")
    nav = article[article.index('md-nav--primary'): article.index('data-md-type="toc"')]
    labels = [" ".join(label.split()) for label in re.findall(r'<span class="md-ellipsis">(.*?)</span>', nav, re.DOTALL)]
    assert "Help topics" in labels and "Community" in labels and "Tags" in labels
    assert {category.title.replace("&", "&amp;") for category in corpus.categories.values()} <= set(labels)
    assert not any(document.title in labels for document in (*corpus.articles, *corpus.threads))
    assert 'md-nav__item--active">\n      <a href="../" class="md-nav__link">' in nav.replace("\n      \n", "\n"), "its category is highlighted"


def test_article_page_has_breadcrumbs_variants_tags_date_and_prev_next(site, corpus):
    article = next(item for item in corpus.articles if item.path == "faq/account/reset-your-password.md")
    html = page(site, article.url)
    body = content(html)
    assert '<a href="../../../">Home</a></li><li class="kb-breadcrumbs__item"><a href="../">Account &amp; sign-in</a>' in body
    for question in article.questions:
        assert f"<li>{question.replace(chr(39), '&#x27;')}</li>" in body
    for tag in article.tags:
        assert f'href="../../../tags/{tag}/" class="kb-tag">{tag}</a>' in body
    assert '<time datetime="2026-10-02">2 Oct 2026</time>' in body
    assert 'class="md-footer__link md-footer__link--next"' in html


def test_article_pages_link_related_articles_and_discussions(site):
    pytest.importorskip("kbgen.link")
    body = content(page(site, "faq/account/reset-your-password"))
    related = body[body.index('<div class="kb-related">'):]
    assert "Community discussions" in related
    assert "community/account/password-reset-email-not-arriving/" in related
    # The article's text already links to changing the sign-in e-mail: the related list does not repeat it.
    assert "change-your-sign-in-email/" not in related


def test_thread_page_shows_accepted_answer_first_with_summary_and_comments(site, corpus):
    thread = next(item for item in corpus.threads if item.path == "community/payments/stripe-payout-not-arrived-after-7-days.md")
    body = content(page(site, thread.url))
    sections = re.findall(r'<section class="kb-post ([^"]+)" id="([^"]+)"', body)
    assert sections[0] == ("kb-question", "question") and sections[1] == ("kb-answer kb-answer--accepted", "answer-1")
    assert len(sections) == 1 + len(thread.answers)
    accepted = thread.accepted_answer
    assert body.index(accepted.author) < body.index("dtaylor_plumbing")
    assert "kb-badge--solved" in body and "✓ Accepted answer" in body and 'class="kb-summary"' in body
    assert "Money arrived this morning. Thanks all." in body
    assert "<script" not in body


def test_json_ld_validates_on_every_page(site, corpus):
    for document in (*corpus.published_articles, *corpus.threads):
        html = page(site, document.url)
        crumbs = by_type(html, "BreadcrumbList")["itemListElement"]
        assert [item["position"] for item in crumbs] == list(range(1, len(crumbs) + 1))
        assert crumbs[0]["item"] == SITE_URL and crumbs[-1]["item"] == SITE_URL + document.url
        assert all(item["name"] and item["item"].startswith(SITE_URL) for item in crumbs)
        if isinstance(document, Article):
            (question,) = by_type(html, "FAQPage")["mainEntity"]
            assert question["@type"] == "Question" and question["name"] == document.title
            assert question["acceptedAnswer"]["@type"] == "Answer" and len(question["acceptedAnswer"]["text"]) > 100
        elif document.answers:
            check_qa_page(by_type(html, "QAPage"), document)
        else:
            assert not [data for data in json_ld(html) if data["@type"] == "QAPage"]


def check_qa_page(data: dict, thread: Thread) -> None:
    """Google's QAPage requirements: Question name, answerCount and an accepted or suggested Answer with text."""
    question = data["mainEntity"]
    assert question["@type"] == "Question" and question["name"] == thread.title and question["text"]
    assert question["answerCount"] == len(thread.answers) and question["upvoteCount"] == thread.votes
    assert question["dateCreated"] == thread.date and question["author"]["name"] == thread.author
    answers = ([question["acceptedAnswer"]] if "acceptedAnswer" in question else []) + question.get("suggestedAnswer", [])
    assert len(answers) == len(thread.answers) and ("acceptedAnswer" in question) == (thread.accepted_answer is not None)
    for answer in answers:
        assert answer["@type"] == "Answer" and answer["text"] and isinstance(answer["upvoteCount"], int)
        assert answer["dateCreated"] and answer["author"]["@type"] == "Person" and answer["author"]["name"]
        assert answer["url"].startswith(SITE_URL + thread.url + "#answer-")


def test_sitemap_lists_every_page_with_lastmod_from_content(site, corpus):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ElementTree.parse(site / "sitemap.xml").getroot()
    lastmod = {entry.find("s:loc", namespace).text: entry.find("s:lastmod", namespace).text for entry in root.findall("s:url", namespace)}
    pages = {SITE_URL + path.parent.relative_to(site).as_posix().removeprefix(".") + "/" for path in site.rglob("index.html")}
    assert set(lastmod) == {url.replace(SITE_URL + "/", SITE_URL) for url in pages}
    for document in (*corpus.published_articles, *corpus.threads):
        assert lastmod[SITE_URL + document.url] == document_date(document)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) for day in lastmod.values())


def test_drafts_are_left_out_everywhere(site, corpus):
    drafts = [article for article in corpus.articles if article.is_draft]
    assert drafts, "the demo has draft articles"
    everything = "\n".join(path.read_text(encoding="utf-8") for path in site.rglob("*.html")) + (site / "sitemap.xml").read_text()
    search = (site / "search/search_index.json").read_text(encoding="utf-8")
    for draft in drafts:
        assert not (site / draft.url).exists()
        assert draft.url not in everything and draft.url not in search


def test_search_index_holds_every_variant_and_no_listing_pages(site, corpus):
    docs = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    variants = {(entry["location"].split("#")[0], entry["title"]) for entry in docs if "#kb-asked-" in entry["location"]}
    for article in corpus.published_articles:
        assert {(article.url, question.replace("&", "&amp;").replace("<", "&lt;")) for question in article.questions} <= variants
    pages = {entry["location"].split("#")[0] for entry in docs}
    assert not pages & {"", "tags/", "community/", "community/solved/", "faq/billing/"}
    assert {thread.url for thread in corpus.threads} <= pages

