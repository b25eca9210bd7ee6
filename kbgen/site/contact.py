"""The contact page: a generated ``contact.md`` that suggests answers while the customer types, then
prepares their request to support; and the compact suggestion index its script ranks in the browser.

The index (``assets/kbgen/suggest.json``) holds, per published article and thread, only what
ranking and a suggestion card need: kind, category, URL, title, question variants, a short summary,
tags, popularity and solved state. It is laid out by column (``pages`` maps each of ``INDEX_FIELDS``
to one array, a value per page): field names are written once, not 5,000 times, and like values sit
together, which gzip compresses better than rows that interleave URLs, titles and numbers (a third
smaller at 5,000 pages, bench/contact_speed.py). No page bodies, so it stays small at any size: of
a page's body and answers only its ``VOCABULARY_TERMS`` most telling words that the index already
has elsewhere, written as numbers into the index's own vocabulary (``vocabulary_of``: the sorted
terms of every title, variant, summary and tags, which contact-index.js derives the same way).
"""

from __future__ import annotations

import json
import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from html import escape
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from whoosh.lang.porter import stem

from kbgen.community.summary import summarize_thread
from kbgen.community.text import plain_text, sentences, shorten
from kbgen.index import document_fields
from kbgen.model import Article, Category, Corpus, Document, SupportField, Thread
from kbgen.site.i18n import Translations
from kbgen.site.render.templates import default_templates
from kbgen.text import STOP_WORDS, terms

log = logging.getLogger(__name__)

CONTACT_PAGE = "contact.md"
SUGGEST_INDEX = "assets/kbgen/suggest.json"
INDEX_VERSION = 2  # 2: by column (1 was a list of rows)
INDEX_FIELDS = ("kind", "category", "url", "title", "questions", "summary", "tags", "popularity", "solved", "known")
TERMS_FIELD = "terms"  # added after INDEX_FIELDS when pages carry body terms (``suggestions(body_terms=)``)
SUMMARY_LIMIT = 180  # characters: one or two lines on a suggestion card
# Body terms per page from the index's own vocabulary (``known``). Chosen on SemEval-2016 dev (1: MAP 71.91 -> 72.59;
# 2, 3, 6: 72.47, 72.35, 72.23), confirmed on cstheory (recall@5 15.39 -> 15.89).
VOCABULARY_TERMS = 1
# Where a page's most telling words not shown on its card come from, when the index carries some.
BODY_FIELDS = ("body", "answers")
TARGET_KINDS = ("mailto", "post", "clipboard")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
_MARKDOWN_PUNCTUATION = re.compile(r"[\\`*_{}\[\]<>#+!|~]")


@dataclass(frozen=True)
class ContactTarget:
    """Where a prepared request goes: ``mailto`` (address may be empty), ``post`` (URL) or ``clipboard``."""

    kind: str
    address: str = ""
    encoding: str = "json"  # how a POST target receives it: "json" or "form"

    @classmethod
    def parse(cls, value: str, encoding: str = "json") -> ContactTarget:
        """Read a target as written in mkdocs.yml. Raises ValueError saying what is accepted."""
        value = value.strip()
        if value == "clipboard":
            return cls("clipboard")
        if value.lower().startswith("mailto:"):
            return cls("mailto", value[len("mailto:") :].strip())
        if is_endpoint(value):
            return cls("post", value, encoding)
        raise ValueError(
            f"contact target {value!r} is not one of: 'mailto:support@example.com', an https:// form endpoint "
            "(requests are POSTed to it; http:// only for localhost) or 'clipboard'"
        )


def is_endpoint(value: str) -> bool:
    """Whether ``value`` is a URL the site may POST to: https://, or http:// on this machine."""
    parts = urlsplit(value)
    return bool(parts.netloc) and (parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOCAL_HOSTS))


@dataclass(frozen=True)
class FeedbackTarget:
    """Where the site's events go (kbgen.events): ``off``, ``post`` (an endpoint URL) or ``analytics`` (dataLayer)."""

    kind: str
    address: str = ""

    @classmethod
    def parse(cls, value: str) -> FeedbackTarget:
        """Read ``feedback: target:`` as written in mkdocs.yml. Raises ValueError saying what is accepted."""
        value = value.strip()
        if not value:
            return cls("off")
        if value == "analytics":
            return cls("analytics")
        if is_endpoint(value):
            return cls("post", value)
        raise ValueError(
            f"feedback target {value!r} is not one of: '' (off), an https:// endpoint that receives each event as a JSON POST "
            "(http:// only for localhost, e.g. 'kbgen collect') or 'analytics' (Material's Google Analytics integration)"
        )

    def describe(self) -> str:
        """What the build says about it."""
        if self.kind == "off":
            return "feedback is off: no votes, failed searches or answered questions are recorded (set feedback: target: to turn it on)"
        where = urlsplit(self.address).netloc if self.kind == "post" else "the page's analytics (window.dataLayer)"
        return f"votes, failed searches and answered questions are sent to {where}"


@dataclass(frozen=True)
class Suggestion:
    """One row of the suggestion index: a published article or thread as the contact page shows it."""

    kind: str  # "article" | "thread"
    category: str
    url: str  # relative to the site root
    title: str
    questions: tuple[str, ...]
    summary: str
    tags: tuple[str, ...]
    popularity: int  # an article's asked count, a thread's votes
    solved: bool
    terms: tuple[str, ...] = ()  # the body's most telling stemmed terms that title, variants, summary and tags lack
    known: tuple[str, ...] = ()  # the same, only of terms the index's vocabulary has (written as their numbers)

    def shown_texts(self) -> tuple[str, ...]:
        """The texts of the row the page's script analyses into the index's vocabulary (``vocabulary_of``)."""
        return (self.title, *self.questions, self.summary, " ".join(self.tags))

    def row(self, category_numbers: dict[str, int], term_numbers: dict[str, int], with_terms: bool = False) -> list[Any]:
        """The page's values in the order of ``INDEX_FIELDS`` (then ``TERMS_FIELD`` ``with_terms``)."""
        row = [
            self.kind, category_numbers.get(self.category, -1), self.url, self.title, list(self.questions),
            self.summary, list(self.tags), self.popularity, int(self.solved), [term_numbers[term] for term in self.known],
        ]
        return [*row, " ".join(self.terms)] if with_terms else row


def document_summary(document: Document) -> str:
    """What a suggestion card says under the title: the written summary, else the problem or first sentence."""
    if isinstance(document, Article) and document.summary:
        text = document.summary
    elif isinstance(document, Thread):
        text = summarize_thread(document).problem
    else:
        text = " ".join(sentences(document.body)[:1])
    return shorten(" ".join(plain_text(text).split()), SUMMARY_LIMIT)


def suggestions(
    documents: Iterable[Document], url_of: Callable[[Document], str | None], summary_of: Callable[[Document], str] = document_summary,
    body_terms: int = 0, vocabulary_terms: int = VOCABULARY_TERMS,
) -> list[Suggestion]:
    """Index rows for ``documents`` that have a page (``url_of`` gives None for pages not built, e.g. drafts).

    ``vocabulary_terms``: how many of each page's most telling body and answer terms that the
    index's vocabulary has (``vocabulary_of``) a row carries for ranking, as numbers (``known``).
    ``body_terms``: how many of any body terms (``telling_terms``, in the vocabulary or not) it
    also carries as text, for benchmarks (bench/related_semeval.py prints MAP against bytes). 0 as
    built: unrestricted terms helped SemEval-2016 less and cost more bytes (3: 71.9 -> 72.3 MAP,
    +20 % gzip), and the index must not grow.
    """
    built = [(document, url) for document in documents if (url := url_of(document)) is not None]
    shown_terms: list[set[str]] = [set() for _ in built]
    body_counts: list[Counter[str]] = [Counter() for _ in built]
    if body_terms or vocabulary_terms:
        fields = [document_fields(document) for document, _ in built]
        shown_terms = [{*_terms(str(text["title"]), str(text["questions"]), str(text["tags"]).replace(",", " "))} for text in fields]
        body_counts = [Counter(_terms(*(str(text[name]) for name in BODY_FIELDS))) for text in fields]
    frequency = Counter(term for counts in body_counts for term in counts)
    summaries = [summary_of(document) for document, _ in built]
    shown_terms = [shown | set(_terms(summary)) for shown, summary in zip(shown_terms, summaries, strict=True)]
    rows: list[Suggestion] = []
    for (document, url), shown, body, summary in zip(built, shown_terms, body_counts, summaries, strict=True):
        is_article = isinstance(document, Article)
        rows.append(
            Suggestion(
                kind="article" if is_article else "thread",
                category=document.category,
                url=url,
                title=document.title,
                questions=document.questions if isinstance(document, Article) else (),
                summary=summary,
                tags=document.tags,
                popularity=document.asked if isinstance(document, Article) else getattr(document, "votes", 0),
                solved=isinstance(document, Thread) and document.solved,
                terms=telling_terms(body, shown, frequency, len(built), body_terms) if body_terms else (),
            )
        )
    if vocabulary_terms:
        vocabulary = set(vocabulary_of(rows))
        for number, (row, body) in enumerate(zip(rows, body_counts, strict=True)):
            # What the row shows, in the script's own analysis: no term it has already is numbered.
            known = Counter({term: count for term, count in body.items() if term in vocabulary})
            shown = set(contact_terms(*row.shown_texts()))
            rows[number] = replace(row, known=telling_terms(known, shown, frequency, len(built), vocabulary_terms))
    return sorted(rows, key=lambda row: row.url)


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return stem(word)


_JS_WORD = re.compile(r"\w+(?:\.?\w+)*")
_JS_COMPOUND = re.compile(r"[^\W_]+(?:-[^\W_]+)+")


def contact_terms(*texts: str) -> list[str]:
    """The index terms of ``texts`` exactly as contact-text.js's ``indexTerms`` gives them (kbgen's terms, and
    "e-mail" also as "email"): the script derives the index's vocabulary so (tests/unit/test_contact_text.py)."""
    found: list[str] = []
    for text in texts:
        normal = "".join(character for character in unicodedata.normalize("NFD", text.lower()) if not "\u0300" <= character <= "\u036f")
        normal = normal.replace("\u2019", "'")
        words = [word for word in _JS_WORD.findall(normal) if len(word) > 1]
        words += [compound.replace("-", "") for compound in _JS_COMPOUND.findall(normal)]
        found += [_stem(word) for word in words if word not in STOP_WORDS]
    return found


def _utf16_order(term: str) -> bytes:
    return term.encode("utf-16-be")  # JavaScript sorts strings by UTF-16 code unit


def vocabulary_of(rows: Iterable[Suggestion]) -> list[str]:
    """The index's vocabulary: every term of every row's title, variants, summary and tags, in the script's order."""
    return sorted({term for row in rows for term in contact_terms(*row.shown_texts())}, key=_utf16_order)


def vocabulary_check(vocabulary: list[str]) -> int:
    """FNV-1a (32 bits) of the vocabulary's UTF-16 code units, a term a line: the script uses the numbers only if its own
    vocabulary gives the same (one word analysed differently would shift every number after it)."""
    check = 0x811C9DC5
    data = "\n".join(vocabulary).encode("utf-16-le")
    for position in range(0, len(data), 2):
        check = ((check ^ (data[position] | data[position + 1] << 8)) * 0x01000193) & 0xFFFFFFFF
    return check


def _terms(*texts: str) -> list[str]:
    """kbgen's index terms of ``texts`` with accents removed, as contact.js analyses text."""
    text = unicodedata.normalize("NFD", "\n".join(texts))
    return terms("".join(character for character in text if not unicodedata.combining(character)))


def telling_terms(body: Counter[str], shown: set[str], frequency: Counter[str], pages: int, limit: int) -> tuple[str, ...]:
    """The ``limit`` body terms of highest TF-IDF that the page's shown text lacks, alphabetically.

    TF-IDF picks the words that set this page apart (a word on every page tells nothing); words
    already in the title, variants, summary or tags are in the index anyway.
    """
    weights = {term: (1 + math.log(count)) * math.log(pages / frequency[term]) for term, count in body.items() if term not in shown}
    best = sorted(weights, key=lambda term: (-weights[term], term))[:limit]
    return tuple(sorted(term for term in best if weights[term] > 0))


def suggestion_index_json(categories: dict[str, Category], rows: list[Suggestion]) -> str:
    """The index as compact, deterministic JSON (see the module docstring for its layout)."""
    numbers = {slug: number for number, slug in enumerate(categories)}
    with_terms = any(row.terms for row in rows)
    fields = [*INDEX_FIELDS, TERMS_FIELD] if with_terms else list(INDEX_FIELDS)
    vocabulary = vocabulary_of(rows)
    term_numbers = {term: number for number, term in enumerate(vocabulary)}
    values = [row.row(numbers, term_numbers, with_terms) for row in rows]
    data = {
        "version": INDEX_VERSION,
        "vocabulary": {"terms": len(vocabulary), "check": vocabulary_check(vocabulary)},
        "categories": [{"slug": slug, "title": category.title} for slug, category in categories.items()],
        "pages": {field: [row[position] for row in values] for position, field in enumerate(fields)},
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _attributes(**values: str | bool) -> str:
    """HTML attributes from keyword arguments: ``aria_label`` is written ``aria-label``; True is a bare flag."""
    parts = []
    for name, value in values.items():
        name = name.rstrip("_").replace("_", "-")
        if value is True:
            parts.append(name)
        elif value is not False:
            parts.append(f'{name}="{escape(value, quote=True)}"')
    return " ".join(parts)


def _field_label(text: str, control_id: str, required: bool, translations: Translations) -> str:
    marker = (
        f' <span class="kb-field__required">{translations.text("contact.required")}</span>' if required
        else f' <span class="kb-field__optional">{translations.text("contact.optional")}</span>'
    )
    return f'<label class="kb-field__label" for="{control_id}">{escape(text)}{marker}</label>'


def _field(control_id: str, label: str, control: str, *, required: bool, translations: Translations, hint: str = "") -> str:
    """A labelled control with room for its hint and its validation message (filled in by contact.js)."""
    hint_html = f'<p class="kb-field__hint" id="{control_id}-hint">{escape(hint)}</p>' if hint else ""
    return (
        f'<div class="kb-field">{_field_label(label, control_id, required, translations)}{hint_html}{control}'
        f'<p class="kb-field__error" id="{control_id}-error" hidden></p></div>'
    )


def _support_control(control_id: str, field: SupportField, translations: Translations) -> str:
    common = {"id": control_id, "name": field.id, "data_field": field.id, "data_label": field.label, "required": field.required}
    if field.type == "select":
        options = f'<option value="">{translations.text("contact.choose")}</option>' + "".join(f'<option value="{escape(option)}">{escape(option)}</option>' for option in field.options)
        return f"<select {_attributes(**common)}>{options}</select>"
    if field.type == "textarea":
        return f'<textarea {_attributes(**common)} rows="3"></textarea>'
    autocomplete = "email" if field.type == "email" else "off"
    return f'<input {_attributes(type=field.type, autocomplete=autocomplete, **common)}>'


def _category_fieldset(category: Category, translations: Translations) -> str:
    """The fields support needs for one category; hidden and disabled until that category is chosen."""
    inner = ""
    if category.support_include:
        inner += f'<p class="kb-contact__include">{translations.text("contact.have_ready", include=category.support_include)}</p>'
    for field in category.support_fields:
        control_id = f"kb-field-{category.slug}-{field.id}"
        inner += _field(control_id, field.label, _support_control(control_id, field, translations), required=field.required, translations=translations)
    return (
        f'<fieldset class="kb-contact__category" data-category="{escape(category.slug)}" hidden disabled>'
        f"<legend>{translations.text('contact.category_details', category=category.title)}</legend>{inner}</fieldset>"
    )


def _target_attributes(target: ContactTarget, site_url: str) -> str:
    return _attributes(
        id="kb-contact", class_="kb-contact", data_target_kind=target.kind, data_target=target.address,
        data_encoding=target.encoding, data_site_url=site_url,
    )


def _send_explanation(target: ContactTarget, translations: Translations) -> Markup:
    if target.kind == "mailto":
        return translations.text("contact.send_mailto_to", address=target.address) if target.address else translations.text("contact.send_mailto")
    if target.kind == "post":
        return translations.text("contact.send_post", host=urlsplit(target.address).hostname or "")
    return translations.text("contact.send_clipboard")


def contact_markdown(
    categories: dict[str, Category], target: ContactTarget, *, site_url: str = "", records_searches: bool = False, search_url: str = "",
    translations: Translations | None = None,
) -> str:
    """The page: a problem box with live suggestions, the request form, its review step and a thank-you.

    contact.js brings it to life; without JavaScript the noscript line still tells customers where to write.
    """
    tr = translations or default_templates().translations  # the build's language
    t = tr.text
    category_options = "".join(f'<option value="{escape(slug)}">{escape(category.title)}</option>' for slug, category in categories.items())
    fieldsets = "".join(_category_fieldset(category, tr) for category in categories.values())
    if target.kind == "mailto" and target.address:
        fallback = t("contact.noscript_mail", address=Markup(f'<a href="mailto:{escape(target.address)}">{escape(target.address)}</a>'))
    else:
        fallback = t("contact.noscript_other")
    email_field = ""
    if target.kind == "post":
        email_field = _field(
            "kb-email", tr.plain("contact.email"), '<input id="kb-email" name="email" type="email" autocomplete="email" required aria-describedby="kb-email-hint">',
            required=True, hint=tr.plain("contact.email_hint"), translations=tr,
        )
    html = f"""\
<div {_target_attributes(target, site_url)}>
<noscript><p>{t("contact.noscript", fallback=fallback)}</p></noscript>
<form id="kb-contact-form" class="kb-contact__form" novalidate>
<section class="kb-contact__step" id="kb-step-describe" aria-labelledby="kb-step-describe-title">
<h2 id="kb-step-describe-title">{t("contact.describe_title")}</h2>
{_field("kb-problem", tr.plain("contact.problem"), '<textarea id="kb-problem" name="problem" rows="2" required autocomplete="off" spellcheck="true" aria-describedby="kb-problem-hint" aria-controls="kb-suggestions"></textarea>', required=True, hint=tr.plain("contact.hint_recorded" if records_searches else "contact.hint_private"), translations=tr)}
<p class="kb-contact__status" id="kb-suggestions-status" role="status" aria-live="polite"></p>
{_search_all(search_url, tr)}
<ol class="kb-suggestions" id="kb-suggestions" aria-label="{t("contact.suggestions")}"></ol>
<div class="kb-contact__feedback" id="kb-feedback" hidden>
<p class="kb-contact__question" id="kb-feedback-question">{t("contact.answered_question")}</p>
<button type="button" class="md-button md-button--primary" id="kb-answered-yes">{t("contact.answered_yes")}</button>
<button type="button" class="md-button" id="kb-answered-no">{t("contact.answered_no")}</button>
</div>
</section>
<section class="kb-contact__step" id="kb-step-details" aria-labelledby="kb-step-details-title" hidden>
<h2 id="kb-step-details-title" tabindex="-1">{t("contact.details_title")}</h2>
<div class="kb-contact__errors" id="kb-errors" tabindex="-1" hidden></div>
{_field("kb-category", tr.plain("contact.topic"), f'<select id="kb-category" name="category" required><option value="">{t("contact.choose_topic")}</option>{category_options}</select>', required=True, translations=tr)}
{fieldsets}
<fieldset class="kb-contact__read" id="kb-read">
<legend>{t("contact.read_title")}</legend>
<p class="kb-field__hint" id="kb-opened-empty">{t("contact.read_none")}</p>
<ul class="kb-contact__checklist" id="kb-opened"></ul>
<div class="kb-contact__consent" id="kb-history-consent" hidden>
<input type="checkbox" id="kb-consent-history" name="consent_history">
<label for="kb-consent-history">{t("contact.history_consent", count=Markup(f'<span id="kb-history-count">{t("contact.history_pages")}</span>'))}</label>
<p class="kb-field__hint">{t("contact.history_hint")}</p>
<details class="kb-contact__history"><summary>{t("contact.history_which")}</summary><ul id="kb-history"></ul></details>
</div>
</fieldset>
{_field("kb-tried", tr.plain("contact.tried"), '<textarea id="kb-tried" name="tried" rows="3" aria-describedby="kb-tried-hint"></textarea>', required=False, hint=tr.plain("contact.tried_hint"), translations=tr)}
{_field("kb-description", tr.plain("contact.description"), '<textarea id="kb-description" name="description" rows="5" required aria-describedby="kb-description-hint"></textarea>', required=True, hint=tr.plain("contact.description_hint"), translations=tr)}
{email_field}
<div class="kb-contact__consent">
<input type="checkbox" id="kb-consent-environment" name="consent_environment" aria-describedby="kb-environment">
<label for="kb-consent-environment">{t("contact.environment")}</label>
<p class="kb-field__hint" id="kb-environment"></p>
</div>
<button type="submit" class="md-button md-button--primary" id="kb-review">{t("contact.review")}</button>
</section>
</form>
<section class="kb-contact__step" id="kb-step-review" aria-labelledby="kb-step-review-title" hidden>
<h2 id="kb-step-review-title" tabindex="-1">{t("contact.review_title")}</h2>
<p>{t("contact.not_sent")} {_send_explanation(target, tr)}</p>
<pre class="kb-contact__summary" id="kb-summary" tabindex="0" aria-label="{t("contact.summary")}"></pre>
<div class="kb-contact__actions">
<a class="md-button md-button--primary" id="kb-send-mail" hidden>{t("contact.send_mail")}</a>
<button type="button" class="md-button md-button--primary" id="kb-send" hidden>{t("contact.send")}</button>
<button type="button" class="md-button" id="kb-copy">{t("contact.copy")}</button>
<button type="button" class="md-button" id="kb-edit">{t("contact.edit")}</button>
</div>
<p class="kb-contact__status" id="kb-send-status" role="status" aria-live="polite"></p>
</section>
<section class="kb-contact__step" id="kb-step-thanks" aria-labelledby="kb-step-thanks-title" hidden>
<h2 id="kb-step-thanks-title" tabindex="-1"></h2>
<p id="kb-thanks-text"></p>
<button type="button" class="md-button" id="kb-start-over">{t("contact.start_over")}</button>
</section>
</div>"""
    title = tr.plain("contact.title")
    front_matter = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nkbgen_page: contact\n---\n"
    return f"{front_matter}# {markdown_text(title)}\n\n{markdown_text(tr.plain('contact.lead'))}\n\n{html}\n"


def markdown_text(text: str) -> str:
    """One of kbgen's strings as a line of Markdown: HTML escaped, Markdown's punctuation taken literally."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", escape(text, quote=False))


def _search_all(search_url: str, translations: Translations) -> str:
    """A link to the search results page, shown by loop.js when nothing matched the problem typed."""
    if not search_url:
        return ""
    query = Markup('<span id="kb-search-all-query"></span>')
    return (
        f'<p class="kb-contact__search-all" id="kb-search-all" hidden><a id="kb-search-all-link" href="{escape(search_url, quote=True)}">'
        f'{translations.text("contact.search_all", query=query)}</a></p>'
    )


def _url_of(files: Files) -> Callable[[Document], str | None]:
    urls = {file.src_uri: file.url for file in files}  # one table: Files normalises every path it is asked for

    def url_of(document: Document) -> str | None:
        return urls.get(document.path)

    return url_of


def add_contact_files(
    files: Files, corpus: Corpus, config: MkDocsConfig, contact: Any, summary_of: Callable[[Document], str] = document_summary,
    *, records_searches: bool = False, search_url: str = "", translations: Translations | None = None,
) -> None:
    """Add the generated contact page (unless the site has its own ``contact.md``) and its suggestion index.

    ``contact`` is the plugin's ``contact:`` config block (enabled, target, encoding). Call this after
    drafts were removed from ``files``: only pages that are built are suggested.
    """
    if not contact.enabled:
        return
    rows = suggestions(corpus.documents(), _url_of(files), summary_of)
    files.append(File.generated(config, SUGGEST_INDEX, content=suggestion_index_json(corpus.categories, rows)))
    if files.get_file_from_path(CONTACT_PAGE) is not None:
        log.info("kbgen: %s exists in the docs folder; the generated contact page is not added", CONTACT_PAGE)
        return
    target = ContactTarget.parse(contact.target, contact.encoding)
    markdown = contact_markdown(
        corpus.categories, target, site_url=config.site_url or "", records_searches=records_searches, search_url=search_url, translations=translations,
    )
    files.append(File.generated(config, CONTACT_PAGE, content=markdown))
