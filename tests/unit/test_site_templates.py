"""kbgen's page templates: a team's custom_dir overrides a partial or a block, broken overrides say where, text is escaped."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kbgen.errors import KbgenError
from kbgen.site.render.community import CommunityMarkdown
from kbgen.site.render.documents import article_html, thread_html
from kbgen.site.render.listings import home_html
from kbgen.site.render.parts import breadcrumbs_html, related_html
from kbgen.site.render.templates import SiteTemplates
from kbgen.site.structure.help_center import Crumb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_site_render import ARTICLE, CENTER, THREAD, Link, Related, href  # noqa: E402  (hand-built records shared with the render tests)

RELATED = Related(articles=(Link("faq/billing/plans.md", "Change <plan>"),))
KNOWN = {"faq/billing/plans.md"}


def overrides(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, body in files.items():
        path = tmp_path / "overrides" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    return tmp_path / "overrides"


def test_a_partial_in_the_custom_dir_wins_over_kbgens(tmp_path):
    custom = overrides(tmp_path, {"kbgen/partials/related.html": '<aside class="team-related">{% for key, links in groups %}{% for item in links %}{{ link(href(item.path), item.title) }}{% endfor %}{% endfor %}</aside>'})
    templates = SiteTemplates("en", [custom])
    assert related_html(RELATED, href, KNOWN, templates) == '<aside class="team-related"><a href="/faq/billing/plans">Change &lt;plan&gt;</a></aside>'
    assert templates.overridden() == ["kbgen/partials/related.html"]
    assert 'class="kb-related"' in related_html(RELATED, href, KNOWN)  # kbgen's own without the override


def test_a_page_template_can_replace_one_block_and_keep_the_others(tmp_path):
    custom = overrides(tmp_path, {"kbgen/home.html": '{% extends "kbgen/pages/home.html" %}\n{% block top_questions %}<p class="team">{{ t("home.top_questions") }}!</p>\n{% endblock %}'})
    html = home_html(CENTER, href, {}, "Help", SiteTemplates("de", [custom]))
    assert '<p class="team">Häufige Fragen!</p>' in html and "kb-top-questions" not in html
    assert "Wie können wir helfen?" in html and "Nach Thema stöbern" in html  # the blocks not overridden stay


def test_pages_are_rendered_in_the_site_language():
    templates = SiteTemplates("fr")
    article = article_html(ARTICLE, "<p>Réponse.</p>", href, CENTER, templates)
    assert 'Mis à jour le <time datetime="2026-03-04">4 mars 2026</time>' in article and "Autres formulations" in article
    thread = thread_html(CommunityMarkdown().thread(THREAD), href, CENTER, templates)
    assert "✓ Réponse acceptée" in thread and "2 réponses" in thread and "En bref" in thread and "Lire la réponse ↓" in thread
    assert "Texte de early, mira &lt;script&gt;, support, sous licence" in thread
    assert 'aria-label="Fil d’Ariane"' in breadcrumbs_html((Crumb("Accueil", "index.md"), Crumb("Page", "p.md")), href, templates)


def test_text_is_escaped_and_sanitized_community_html_is_kept(tmp_path):
    html = thread_html(CommunityMarkdown().thread(THREAD), href, CENTER, SiteTemplates())
    assert "mira &lt;script&gt;" in html and "<script>" not in html
    assert "We refunded the <strong>second</strong> charge." in html  # sanitized Markdown HTML, not escaped again
    custom = overrides(tmp_path, {"kbgen/partials/breadcrumbs.html": "{{ trail[-1].title }}|{{ trail[-1].title | safe }}"})
    assert breadcrumbs_html((Crumb("Home", "index.md"), Crumb("<b>x</b>", "p.md")), href, SiteTemplates("en", [custom])) == "&lt;b&gt;x&lt;/b&gt;|<b>x</b>"


def test_a_broken_override_is_an_error_naming_its_file_and_line(tmp_path):
    custom = overrides(tmp_path, {"kbgen/partials/related.html": "<aside>\n{% for item in groups %}\n<p>{{ item }}</p>\n"})
    with pytest.raises(KbgenError) as raised:
        related_html(RELATED, href, KNOWN, SiteTemplates("en", [custom]))
    assert raised.value.path.endswith("overrides/kbgen/partials/related.html") and raised.value.line == 3  # the end of the file, where the "for" is still open
    assert "template error" in raised.value.message


def test_an_override_using_an_unknown_name_says_which_and_where(tmp_path):
    custom = overrides(tmp_path, {"kbgen/partials/related.html": "<aside>\n{{ no_such_thing.title }}</aside>"})
    with pytest.raises(KbgenError) as raised:
        related_html(RELATED, href, KNOWN, SiteTemplates("en", [custom]))
    assert raised.value.path.endswith("related.html") and raised.value.line == 2 and "no_such_thing" in raised.value.message
