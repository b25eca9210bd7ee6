from __future__ import annotations

from mkdocs.config.base import Config
from mkdocs.config.config_options import Choice, SubConfig, Type

from kbgen.project import DEFAULT_CACHE_DIR

DRAFTS_ENV = "KBGEN_DRAFTS"  # "1": include drafts, as ``drafts: true`` does (kbgen serve --drafts, which rebuilds see)


class ContactConfig(Config):
    """The ``contact:`` block: the generated contact page (kbgen.site.contact)."""

    # Add the contact page and its suggestion index.
    enabled = Type(bool, default=True)
    # Where a prepared request goes: "mailto:support@example.com", an https:// form endpoint, or "clipboard".
    target = Type(str, default="mailto:")
    # How a form endpoint receives the request: "json" or "form".
    encoding = Choice(("json", "form"), default="json")


class FeedbackConfig(Config):
    """The ``feedback:`` block: votes, failed searches and answered questions sent back to the team (kbgen.events)."""

    # Where events go: "" (off: nothing is sent, no vote buttons), an https:// endpoint each event is POSTed to
    # as JSON (http:// only for localhost, e.g. kbgen collect), or "analytics" (Material's Google Analytics integration).
    target = Type(str, default="")
    # Ask "Was this helpful?" at the end of articles and threads.
    votes = Type(bool, default=True)
    # Record searches that found nothing and suggestions that ended the contact flow.
    searches = Type(bool, default=True)


class KbgenConfig(Config):
    """Options of the ``kbgen`` plugin in mkdocs.yml."""

    # Turn the plugin off without removing it from mkdocs.yml.
    enabled = Type(bool, default=True)
    # Include draft articles (kbgen serve --drafts sets KBGEN_DRAFTS=1 for the same effect).
    drafts = Type(bool, default=False)
    # Entries per page of category, tag and community listings (longer listings get more pages).
    per_page = Type(int, default=50)
    # How many of the most asked articles the home page lists.
    top_questions = Type(int, default=10)
    # Add "Related articles" and "Community discussions" to article and thread pages (kbgen.link).
    related = Type(bool, default=True)
    # Folder for caches (parsed content, search index, build state, reports), relative to mkdocs.yml.
    cache_dir = Type(str, default=DEFAULT_CACHE_DIR)
    # Search ranks articles this many times higher than threads that match as well.
    article_search_boost = Type((int, float), default=2)
    # Weight of an article's question variants in search: each is indexed as a title of its own.
    variant_search_boost = Type((int, float), default=5)
    # Words of each article's answer (of a thread's question and best answer) in the site search, after
    # its title, question variants and summary: 0 for none, -1 for the whole text.
    search_words = Type(int, default=60)
    # Rebuild only the pages whose content, links, neighbours or settings changed (state kept in cache_dir).
    incremental = Type(bool, default=True)
    # The contact page: suggestions while the customer types, then a prepared request.
    contact = SubConfig(ContactConfig)
    # A search results page at search/?q=, with the ranking of the header search, which opens it on Enter.
    search_page = Type(bool, default=True)
    # "Still need help?" at the end of every article and thread: a link to the contact page that says what was read.
    still_need_help = Type(bool, default=True)
    # What the site sends back to the team: see FeedbackConfig; off until a target is set.
    feedback = SubConfig(FeedbackConfig)
