"""kbgen's page parts as Jinja templates a team can override, rendered by kbgen itself in the site's language.

The templates live in the shipped theme under ``kbgen/`` (``theme/kbgen/`` in a checkout). A
template of the same name in the team's ``theme.custom_dir`` wins (``overrides/kbgen/partials/related.html``),
and a page template can be replaced block by block: ``overrides/kbgen/home.html`` containing
``{% extends "kbgen/pages/home.html" %}`` and the blocks it changes. kbgen renders them with its own
Jinja environment, so the HTML is the same whichever engine builds the site. Autoescape is on:
text from content is escaped; HTML that arrives as ``Markup`` (a Markdown page's body, community
text after ``kbgen.site.sanitize``, theme icons) is printed as it is.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)
from markupsafe import Markup

from kbgen.errors import KbgenError
from kbgen.model import Article, Document, Thread
from kbgen.site.i18n import DEFAULT_LANGUAGE, Translations, escape_value
from kbgen.site.render.html import Href, link, text
from kbgen.site.structure.help_center import SiteTitles, last_activity
from kbgen.site.theme import theme_dir

TEMPLATE_FOLDER = "kbgen"  # kbgen's templates are "kbgen/..." in the theme and in a team's custom_dir


class SiteTemplates:
    """The template environment and the translations of one build: the team's custom_dir first, then kbgen's theme."""

    def __init__(self, language: str = DEFAULT_LANGUAGE, custom_dirs: Iterable[str | Path] = ()) -> None:
        self.translations = Translations(language)
        self.custom_dirs = tuple(str(Path(directory).resolve()) for directory in custom_dirs)
        loaders = [FileSystemLoader(directory) for directory in self.custom_dirs]
        self.environment = Environment(
            loader=ChoiceLoader([*loaders, FileSystemLoader(str(theme_dir()))]),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=StrictUndefined,
            auto_reload=False,  # one build renders with the templates it started with
            finalize=escape_value,  # text escaped as kbgen always did (html.escape: ' is &#x27;), Markup kept
        )
        translations = self.translations
        # The small pieces (a link, a date, a badge) are Python, not macros: a listing prints thousands of them.
        self.environment.globals.update(
            t=translations.text, tn=translations.plural, is_article=_is_article, last_activity=last_activity,
            link=_link, badge=_badge, author=_author, time=self.time_element, tags=_tags, facts=_facts, thread_status=self.thread_status,
            entry_facts=self.entry_facts,
        )
        self._entry_facts: dict[tuple[int, bool], tuple[Document, Markup]] = {}
        self.environment.filters["kb_date"] = translations.date
        self.environment.tests["article"] = _is_article
        self.titles = SiteTitles.of(translations.plain)  # the generated pages' titles (kbgen.site.structure)

    @classmethod
    def of_theme(cls, theme: Any) -> SiteTemplates:
        """The templates of a site from its MkDocs theme config: ``language`` and ``custom_dir``, read as Material reads them."""
        language = str(theme.get("language") or DEFAULT_LANGUAGE) if hasattr(theme, "get") else DEFAULT_LANGUAGE
        custom_dir = getattr(theme, "custom_dir", None) or (theme.get("custom_dir") if hasattr(theme, "get") else None)
        directories = [custom_dir] if custom_dir and os.path.isdir(custom_dir) else []
        return cls(language, directories)

    def time_element(self, value: str) -> Markup:
        """``<time datetime="2026-10-02">2 Oct 2026</time>``, the date written for the site's language."""
        return Markup(f'<time datetime="{text(value[:10])}">{text(self.translations.date(value))}</time>')

    def thread_status(self, thread: Thread) -> Markup:
        """The thread's badge: solved, unanswered or open."""
        if thread.solved:
            return _badge(self.translations.text("thread.solved"), "solved")
        return _badge(self.translations.text("thread.unanswered" if not thread.answers else "thread.open"), "open")

    def entry_facts(self, document: Document, help_center: Any, show_category: bool) -> Markup:
        """A listing entry's line of facts: "Draft · Category · Updated 2 Oct 2026", "Solved · Category · 3 answers · 5 votes · Active …"."""
        key = (id(document), show_category)
        known = self._entry_facts.get(key)
        if known is not None and known[0] is document:
            return known[1]
        translations = self.translations
        facts: list[Markup] = []
        if show_category:
            listing = help_center.category(document.category)
            if listing is not None:
                facts.append(escape_value(listing.category.title))
        if isinstance(document, Article):
            if document.is_draft:
                facts.insert(0, _badge(translations.text("article.draft"), "draft"))
            if document.updated:
                facts.append(translations.text("listing.updated", date=self.time_element(document.updated)))
        else:
            assert isinstance(document, Thread)
            facts.insert(0, self.thread_status(document))
            facts.append(translations.plural("count.answer", len(document.answers)))
            facts.append(translations.plural("count.vote", document.votes))
            facts.append(translations.text("listing.active", date=self.time_element(last_activity(document))))
        line = Markup(" · ".join(facts))
        self._entry_facts[key] = (document, line)
        return line

    @property
    def language(self) -> str:
        return self.translations.language

    def overridden(self) -> list[str]:
        """The kbgen templates the team's custom_dir replaces (for the build log), sorted."""
        found = set()
        for directory in self.custom_dirs:
            root = Path(directory) / TEMPLATE_FOLDER
            found.update(path.relative_to(directory).as_posix() for path in root.rglob("*.html") if path.is_file())
        return sorted(found)

    def render(self, name: str, **context: Any) -> str:
        """The HTML of template ``name`` ("kbgen/home.html"); a broken override is a KbgenError naming its file and line."""
        try:
            return self.environment.get_template(name).render(**context).rstrip("\n")  # a part, not a file: no final newline
        except TemplateSyntaxError as error:
            raise KbgenError(_shown(error.filename or name), f"template error: {error.message}", error.lineno or 1,
                             hint="fix the template, or delete it to use kbgen's own") from None
        except TemplateNotFound as error:
            raise KbgenError(name, f"template not found: {error.name}", hint=f"kbgen's templates are under {theme_dir() / TEMPLATE_FOLDER}") from None
        except TemplateError as error:
            filename, line = _template_place(error, name)
            raise KbgenError(_shown(filename), f"template error: {error}", line, hint="fix the template, or delete it to use kbgen's own") from None


def _is_article(value: object) -> bool:
    return isinstance(value, Article)


def _link(url: str, label: object, css_class: str = "", **attributes: str) -> Markup:
    """An <a>; ``label`` is escaped unless it is Markup; ``aria_label`` is written ``aria-label``."""
    return Markup(link(url, label, css_class, **attributes))


def _badge(label: object, variant: str = "") -> Markup:
    modifier = f" kb-badge--{variant}" if variant else ""
    return Markup(f'<span class="kb-badge{modifier}">{escape_value(label)}</span>')


def _tags(names: Iterable[str], help_center: Any, href: Href) -> Markup:
    """Tag chips, each linked to its tag page when there is one (``help_center``: anything with ``tag_uri(tag)``)."""
    chips = []
    for name in names:
        target = help_center.tag_uri(name)
        chips.append(link(href(target), name, "kb-tag") if target else f'<span class="kb-tag">{text(name)}</span>')
    return Markup(f'<span class="kb-tags">{"".join(chips)}</span>') if chips else Markup("")


def _facts(parts: Iterable[object]) -> Markup:
    """A document's line of facts ("Updated 2 Oct 2026 · tags"); empty parts are left out, no line when none is left."""
    shown = [escape_value(part) for part in parts if part]
    return Markup(f'<p class="kb-doc-meta" data-search-exclude="1">{" · ".join(shown)}</p>') if shown else Markup("")


def _author(name: str, profile_url: str) -> Markup:
    """The author's name, linked to their profile in the source forum when there is one (a vetted http(s) URL)."""
    if not profile_url:
        return Markup(f'<span class="kb-author">{text(name)}</span>')
    # Community links: not endorsed (nofollow ugc), and the forum's page gets no handle on this one (noopener).
    return Markup(f'<a class="kb-author" href="{text(profile_url)}" rel="nofollow ugc noopener">{text(name)}</a>')


def _template_place(error: BaseException, name: str) -> tuple[str, int]:
    """The template file and line a render error happened in (Jinja rewrites its frames to point at templates)."""
    traceback = error.__traceback__
    place = (name, 1)
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.endswith(".html"):
            place = (filename, traceback.tb_lineno)
        traceback = traceback.tb_next
    return place


def _shown(filename: str) -> str:
    """A template's path as the build prints it: relative to the working folder when it is inside it."""
    try:
        relative = os.path.relpath(filename)
    except ValueError:
        return filename
    return filename if relative.startswith("..") else relative


_active: SiteTemplates | None = None


def activate(templates: SiteTemplates | None) -> None:
    """Make ``templates`` the build's: what every renderer uses when its caller passes none.

    The plugin (and the site stage) call it once per build, so pages rendered through modules that do
    not pass templates along still come out in the site's language and with the team's overrides.
    A process builds one site at a time; the plugin sets ``None`` again when the build ends (kbgen's
    own templates in English), so nothing of one build's language leaks into the next.
    """
    global _active
    _active = templates


@contextmanager
def activated(templates: SiteTemplates) -> Iterator[SiteTemplates]:
    """``templates`` are the build's inside the ``with`` block (a stage that renders a whole site in one call)."""
    previous = _active
    activate(templates)
    try:
        yield templates
    finally:
        activate(previous)


def default_templates() -> SiteTemplates:
    """The build's templates (``activate``), else kbgen's own in English."""
    return _active if _active is not None else _english()


@cache
def _english() -> SiteTemplates:
    return SiteTemplates()


def safe(html: str) -> Markup:
    """HTML kbgen made or sanitized, marked so the templates print it as it is."""
    return Markup(html)

