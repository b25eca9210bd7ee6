"""Each page kbgen makes is rendered from one input record, and its fingerprint is the hash of that record (kbgen.site.page_input).

The records are made here without MkDocs, from a small corpus, as the plugin makes them; the
last tests run the plugin's events on a tiny real site and look at the records it kept.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from kbgen.index import content_hash
from kbgen.model import Article, Category, Corpus, Thread
from kbgen.site.page_input import (
    FINGERPRINTED_AS,
    DocumentPageInput,
    GeneratedPageInput,
    MissingPageInput,
    PageFacts,
    PageInputs,
    RelatedPage,
    input_fingerprint,
    plain_data_problems,
)
from kbgen.site.page_render import article_page, generated_page, thread_page
from kbgen.site.render.community import CommunityMarkdown
from kbgen.site.structure.help_center import build_help_center

REPO_ROOT = Path(__file__).resolve().parents[2]

REFUND = Article("faq/billing/refund.md", "billing", "refund", "Request a refund", "See [the invoice](invoice.md).", 6,
                 tags=("refunds", "money"), questions=("Can I get my money back?",), updated="2025-01-10", summary="How refunds work.")
INVOICE = Article("faq/billing/invoice.md", "billing", "invoice", "Download an invoice", "From the billing page.", 6, tags=("money",), updated="2025-01-09")
THREAD = Thread("community/billing/charged-twice.md", "billing", "charged-twice", "Charged twice", "It happened *twice*.", 8,
                tags=("refunds",), author="ana", date="2025-01-08", votes=3)
CORPUS = Corpus(Path("content"), {"billing": Category("billing", "Plans & billing")}, (REFUND, INVOICE), (THREAD,))


class Related:
    """kbgen.link's Related, as the plugin gets it."""

    def __init__(self, articles: tuple[RelatedPage, ...] = (), threads: tuple[RelatedPage, ...] = ()) -> None:
        self.articles, self.threads = articles, threads


def url_of(src_uri: str) -> str | None:
    return None if src_uri.startswith("missing/") else src_uri.removesuffix(".md").removesuffix("index") + ("/" if not src_uri.endswith("index.md") else "")


def make_inputs(**changes: Any) -> PageInputs:
    help_center = build_help_center(CORPUS)
    related = {REFUND.path: Related((RelatedPage(INVOICE.path, INVOICE.title), RelatedPage("missing/gone.md", "Gone")), (RelatedPage(THREAD.path, THREAD.title),))}
    options = {"help_center": help_center, "site": "site-digest", "site_url": "https://help.example/", "url_of": url_of, "related": related, "page_endings": True}
    return PageInputs(**{**options, **changes})


def facts(src_uri: str, title: str) -> PageFacts:
    return PageFacts(src_uri, url_of(src_uri) or "", title, "2025-01-10", (("Previous", "faq/billing/invoice/"), None))


def article_input(inputs: PageInputs | None = None, article: Article = REFUND) -> DocumentPageInput:
    inputs = inputs or make_inputs()
    links = [("invoice.md", INVOICE.path)]
    return inputs.document(article, facts(article.path, article.title), content_hash(article, CORPUS), links, "faq/billing/index.md")


def generated_input() -> GeneratedPageInput:
    inputs = make_inputs()
    page = inputs.help_center.pages["faq/billing/index.md"]
    return inputs.generated(page, facts(page.src_uri, page.title), "<p>the listing</p>", {"title": page.title, "hide": ["toc"]}, "faq/billing/index.md")


def changed(value: Any) -> Any:
    """A different value of the same shape."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, str):
        return value + "·"
    if value is None:
        return "set"
    if isinstance(value, tuple):
        return (*value, value[-1]) if value else ("added",)
    if dataclasses.is_dataclass(value):
        first = dataclasses.fields(value)[0]
        return dataclasses.replace(value, **{first.name: changed(getattr(value, first.name))})
    raise AssertionError(f"no change for {value!r}")


def every_field(record: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """(dotted name, record with only that field changed) for each field of the record and of its nested records."""
    variants = []
    for item in dataclasses.fields(record):
        value = getattr(record, item.name)
        if FINGERPRINTED_AS in item.metadata:
            continue
        variants.append((prefix + item.name, dataclasses.replace(record, **{item.name: changed(value)})))
        if dataclasses.is_dataclass(value):
            variants += [(name, dataclasses.replace(record, **{item.name: nested})) for name, nested in every_field(value, f"{prefix}{item.name}.")]
    return variants


@pytest.mark.parametrize("make", [article_input, generated_input], ids=["document", "generated"])
def test_changing_any_field_of_a_page_input_changes_its_fingerprint(make):
    record = make()
    fingerprint = input_fingerprint(record)
    assert input_fingerprint(make()) == fingerprint, "equal records, equal fingerprints"
    variants = every_field(record)
    assert len(variants) > 10
    unchanged = [name for name, variant in variants if input_fingerprint(variant) == fingerprint]
    assert unchanged == []


def test_the_document_is_fingerprinted_through_its_content_hash():
    covered = {item.name: item.metadata[FINGERPRINTED_AS] for item in dataclasses.fields(DocumentPageInput) if FINGERPRINTED_AS in item.metadata}
    assert covered == {"document": "content_hash"}
    assert "content_hash" in {item.name for item in dataclasses.fields(DocumentPageInput)}
    edited = dataclasses.replace(REFUND, body=REFUND.body + " Within 30 days.")
    assert input_fingerprint(article_input(article=edited)) != input_fingerprint(article_input()), "a body edit changes the content hash"


def test_a_field_added_to_a_record_is_in_the_fingerprint_without_being_listed_anywhere():
    @dataclasses.dataclass(frozen=True)
    class WithLanguage(DocumentPageInput):
        language: str = "en"

    base = article_input()
    english = WithLanguage(**{item.name: getattr(base, item.name) for item in dataclasses.fields(base)})
    french = dataclasses.replace(english, language="fr")
    assert input_fingerprint(english) != input_fingerprint(french)


def test_a_related_pages_title_is_in_the_record_of_the_page_that_links_to_it():
    before = article_input()
    retitled = {REFUND.path: Related((RelatedPage(INVOICE.path, "Get your invoices"),))}
    after = article_input(make_inputs(related=retitled))
    assert [link.title for link in after.related.articles] == ["Get your invoices"]
    assert input_fingerprint(after) != input_fingerprint(before)


def test_a_record_holds_only_links_to_pages_in_the_site():
    record = article_input()
    assert [link.path for link in record.related.articles] == [INVOICE.path], "the related page that is not in the site is left out"
    assert record.link_targets == (("invoice.md", "faq/billing/invoice/"),)
    assert {src_uri for src_uri, _ in record.frame.urls} >= {REFUND.path, INVOICE.path, THREAD.path, "index.md", "faq/billing/index.md"}


def test_pages_render_from_their_record_alone():
    article = article_page(article_input(), '<p>See <a href="../invoice/">the invoice</a>.</p>')
    assert "Request a refund" in article.content and "Can I get my money back?" in article.content
    assert 'href="../invoice/"' in article.extras.after and "Download an invoice" in article.extras.after
    assert "https://help.example/faq/billing/refund/" in article.extras.head
    assert article.extras.ending is not None and article.extras.ending.url == "faq/billing/refund/"
    thread_record = make_inputs().document(THREAD, facts(THREAD.path, THREAD.title), content_hash(THREAD, CORPUS), (), "community/index.md")
    thread = thread_page(thread_record, CommunityMarkdown())
    assert "<em>twice</em>" in thread.content and thread.description == "It happened twice."
    listing = generated_page(generated_input())
    assert listing.content == "<p>the listing</p>" and "Plans &amp; billing" in listing.extras.before


def test_a_renderer_cannot_reach_past_its_record():
    record = article_input()
    with pytest.raises(MissingPageInput, match="faq/account/close.md"):
        record.frame.href("faq/account/close.md")
    with pytest.raises(MissingPageInput, match="other-tag"):
        record.tags.tag_uri("other-tag")
    # A record whose tag page is missing from its URLs (an input left out) stops the render instead of linking wrongly.
    without_tag_pages = dataclasses.replace(record, frame=dataclasses.replace(record.frame, urls=tuple(entry for entry in record.frame.urls if not entry[0].startswith("tags/"))))
    with pytest.raises(MissingPageInput, match="tags/"):
        article_page(without_tag_pages, "<p>answer</p>")


def test_the_fingerprint_is_the_same_in_another_process():
    script = "from tests.unit.test_page_input import article_input, input_fingerprint; print(input_fingerprint(article_input()))"
    digests = {
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO_ROOT, env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
        for seed in ("1", "2")
    }
    assert digests == {input_fingerprint(article_input())}


def test_records_are_plain_data_whose_repr_every_process_writes_alike():
    assert plain_data_problems(article_input()) == plain_data_problems(generated_input()) == []
    assert plain_data_problems(dataclasses.replace(article_input(), trail=(object(),))) == ["record.trail[0]: object is not plain data"]


# -- the plugin keeps the records it renders from ----------------------------------------------


def test_the_plugin_renders_each_page_from_the_record_it_fingerprinted(tmp_path):
    from tests.unit.test_rebuild_protocol import make_project  # noqa: PLC0415 - the same tiny site

    config = load_config(str(make_project(tmp_path)), site_dir=str(tmp_path / "site"))
    mkdocs_build(config)
    plugin = config.plugins["kbgen"]
    records = plugin.rebuild.inputs
    assert {"faq/billing/refund.md", "faq/billing/index.md", "index.md", "tags/refunds/index.md"} <= set(records)
    assert "about.md" not in records, "a plain page is MkDocs' own"
    refund = records["faq/billing/refund.md"]
    assert [link.path for link in refund.related.articles][:1] == ["faq/account/close.md"], "the pinned related article"
    assert plugin.rebuild.fingerprints["faq/billing/refund/index.html"] == input_fingerprint(refund)
    assert [problem for record in records.values() for problem in plain_data_problems(record)] == []
    category = records["faq/billing/index.md"]
    page = (tmp_path / "site" / "faq/billing/index.html").read_text(encoding="utf-8")
    assert generated_page(category).content in page, "the page is its record rendered, outside any MkDocs event"
    plugin.on_shutdown()


# -- the site stage makes the same records, its content linked from the source folder ---------


def test_content_links_start_from_the_source_folder_when_the_engine_resolves_them_there():
    on_mkdocs, staged = article_input(), article_input(make_inputs(links_from_source=True))
    assert (on_mkdocs.frame.content_base, staged.frame.content_base) == ("faq/billing/refund/", "faq/billing/")
    assert staged.frame.content_href("tags/refunds/index.md") == "../../tags/refunds/"
    assert staged.frame.href("tags/refunds/index.md") == on_mkdocs.frame.href("tags/refunds/index.md") == "../../../tags/refunds/"
    mkdocs_page, staged_page = article_page(on_mkdocs, "<p>answer</p>"), article_page(staged, "<p>answer</p>")
    assert 'href="../../tags/refunds/"' in staged_page.content and 'href="../../../tags/refunds/"' in mkdocs_page.content
    assert staged_page.extras == mkdocs_page.extras, "breadcrumbs and related links are printed by the theme, from the page's URL"
    assert input_fingerprint(staged) != input_fingerprint(on_mkdocs)


def test_an_engine_that_renders_the_answer_gets_a_placeholder_in_the_content_and_the_answer_in_json_ld():
    page = article_page(article_input(), "<p>Refunds take <em>five</em> days.</p>", answer_placeholder="<!--answer-->")
    assert "<!--answer-->" in page.content and "five" not in page.content
    assert "Refunds take" in page.extras.head


def test_the_site_stage_writes_each_page_as_its_record_rendered(tmp_path):
    from kbgen.site.stage import stage_site  # noqa: PLC0415
    from tests.unit.test_rebuild_protocol import make_project  # noqa: PLC0415 - the same tiny site

    staged = stage_site(make_project(tmp_path), tmp_path / "stage")
    article = (staged.docs_dir / "faq/billing/refund.md").read_text(encoding="utf-8")
    listing = (staged.docs_dir / "faq/billing/index.md").read_text(encoding="utf-8")
    assert 'href="../../tags/refunds/"' in article, "the content links from the page's source folder (faq/billing/)"
    assert 'href="../../../tags/refunds/"' not in article.split("---\n", 2)[2]
    assert "The answer to request a refund." in article, "the answer stays Markdown for the engine"
    assert "FAQPage" in article and "Close your account" in article, "JSON-LD and the pinned related article, in front matter"
    assert "kb-breadcrumbs" in listing and "search:\n  exclude: true" in listing
