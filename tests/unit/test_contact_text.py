"""The contact page's text analysis (theme/assets/kbgen/contact-text.js, run in node): kbgen.text's words, stop words and stems."""

from __future__ import annotations

import re
from pathlib import Path

from contact_js import requires_node, run
from whoosh.lang.porter import stem

from kbgen.load import load_corpus
from kbgen.site.contact import contact_terms, suggestions, vocabulary_check, vocabulary_of
from kbgen.text import STOP_WORDS, terms

ROOT = Path(__file__).resolve().parents[2]
pytestmark = requires_node


def test_stop_words_are_those_of_the_python_side():
    assert run({})["stopWords"] == sorted(STOP_WORDS)


def test_words_stem_as_kbgen_index_stems_them():
    corpus, _ = load_corpus(ROOT / "content")
    words = sorted({word.lower() for document in corpus.documents() for word in re.findall(r"[^\W\d_]{2,}", f"{document.title} {document.body}")})
    words += ["hoping", "running", "yelling", "generalizations", "agreed", "fly", "skies", "relational", "hopeful"]
    assert len(words) > 1000
    assert run({"stems": words})["stems"] == [stem(word) for word in words]


def test_index_terms_are_kbgen_terms_plus_joined_compounds():
    texts = ["Why was I charged twice for my subscription?", "Re-send the e-mail", "Invoices aren't showing up"]
    found = run({"terms": texts})["terms"]
    assert found[0] == terms(texts[0])
    assert found[1] == [*terms(texts[1]), "resend", "email"]
    assert found[2] == terms(texts[2])


def test_query_words_leave_out_stop_words_and_flag_the_word_being_typed():
    found = run({"analyse": ["How do I get a refu", "refund please ", "Is the invoice late?", "how do I can", "refund of"]})["analysed"]
    assert found[0] == [{"word": "refu", "term": "refu", "typing": True}]
    assert found[1] == [{"word": "refund", "term": "refund", "typing": False}]
    assert found[2] == [{"word": "invoice", "term": "invoic", "typing": False}, {"word": "late", "term": "late", "typing": False}]
    # A stop word being typed may be the start of a longer word ("can" -> "cancel"): kept as a prefix, with no term;
    # one shorter than the shortest prefix matched is left out.
    assert found[3] == [{"word": "can", "term": "", "typing": True}]
    assert found[4] == [{"word": "refund", "term": "refund", "typing": False}]


def test_accents_case_and_curly_apostrophes_analyse_as_plain_words():
    found = run({"terms": ["Crédit CARD wasn’t charged", "Credit card wasn't charged"]})["terms"]
    assert found[0] == found[1] == terms("Credit card wasn't charged")


def test_function_words_are_the_stop_words_a_question_is_made_of():
    texts = ["Where are you from?", "Why was I charged twice for my subscription?", "Invoices"]
    found = run({"functionWords": texts})["functionWords"]
    assert found[0] == ["where", "are", "you", "from"]
    assert found[1] == [word for word in ("why", "was", "i", "charged", "twice", "for", "my", "subscription") if word in STOP_WORDS]
    assert found[2] == []


def test_the_index_vocabulary_is_derived_alike_in_python_and_in_the_page():
    corpus, _ = load_corpus(ROOT / "content")
    rows = suggestions(corpus.documents(), lambda document: document.path)
    texts = [text for row in rows for text in row.shown_texts()]
    texts += ["Re-send the e-mail (v2.1_beta)", "Crédit CARD wasn’t charged", "Ça coûte 12€ — naïve façade", "Straße ÆØÅ İstanbul ﬁle"]
    assert run({"terms": texts})["terms"] == [contact_terms(text) for text in texts]
    vocabulary = vocabulary_of(rows)
    assert len(vocabulary) > 300 and vocabulary == sorted(vocabulary)
    assert vocabulary_check(vocabulary) != vocabulary_check(vocabulary[1:])
