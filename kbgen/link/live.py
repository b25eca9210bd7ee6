"""Related links of a whole corpus (``compute_links``) and kept up to date while pages change (``LiveLinks``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from kbgen.index import content_hash
from kbgen.link.choice import LinkContext, by_score, candidates_kept, ranked_candidates
from kbgen.link.model import LinkSettings, Related
from kbgen.link.store import links_key, read_links, write_links
from kbgen.model import Corpus, Document
from kbgen.rank import ranking_model

log = logging.getLogger(__name__)


def compute_links(corpus: Corpus, cache_dir: Path | None = None, **settings: object) -> dict[str, Related]:
    """Related articles and threads of every article and thread, keyed by content path."""
    options = replace(LinkSettings(), **settings)  # type: ignore[arg-type]
    documents = sorted(corpus.documents(), key=lambda document: document.path)
    if not documents:
        return {}
    key = links_key(corpus, documents, options)
    cached = read_links(cache_dir, key)
    if cached is not None:
        log.debug("related links unchanged since the last build: read from %s", cache_dir)
        return cached
    return LiveLinks(corpus, cache_dir, **settings).links


class LiveLinks:
    """Related links kept up to date while pages change (``kbgen serve``), without learning the corpus again per edit.

    Built like ``compute_links`` (and saved to its cache); ``update`` then scores only the pages
    that changed against the others, with the model learnt at the start (``RelatednessModel.update``),
    and chooses again the links of the pages whose candidates, owed links or linked pages changed.
    A change to many pages is learnt afresh.
    """

    def __init__(self, corpus: Corpus, cache_dir: Path | None = None, **settings: object) -> None:
        self.options = replace(LinkSettings(), **settings)  # type: ignore[arg-type]
        self.cache_dir = cache_dir
        self._learn(corpus)

    def _learn(self, corpus: Corpus) -> None:
        documents = sorted(corpus.documents(), key=lambda document: document.path)
        self.hashes = {document.path: content_hash(document, corpus) for document in documents}
        self.model = ranking_model(self.options, self.cache_dir).fit(documents) if documents else None
        self.candidates = dict(ranked_candidates(self.model, documents, self.options)) if self.model is not None else {}
        self.context = LinkContext.of(documents, self.candidates, self.options)
        self.links = {document.path: self.context.choose(document, self.candidates) for document in documents}
        log.debug("related links computed for %d pages", len(self.links))
        write_links(self.cache_dir, links_key(corpus, documents, self.options), self.links)

    def update(self, corpus: Corpus, hashes: Mapping[str, str] | None = None) -> dict[str, Related]:
        """The links of ``corpus``, a later state of the corpus this was built from (``hashes``: its ``content_hash`` by path, if known)."""
        documents = sorted(corpus.documents(), key=lambda document: document.path)
        hashes = hashes if hashes is not None else {document.path: content_hash(document, corpus) for document in documents}
        changed = [document for document in documents if self.hashes.get(document.path) != hashes[document.path]]
        removed = [path for path in self.hashes if path not in hashes]
        if not changed and not removed:
            return self.links
        if self.model is None or len(changed) + len(removed) > max(20, len(documents) // 20):
            self._learn(corpus)
            return self.links
        self.model.update(changed, removed)
        self.hashes = dict(hashes)
        gone = set(removed) | {document.path for document in changed}
        recheck = self._rescore(changed, set(removed))
        context = LinkContext.of(documents, self.candidates, self.options)
        recheck |= context.differences(self.context)
        # Pages that list a changed page show its title: choose again too.
        recheck |= {path for path, related in self.links.items() if any(link.path in gone for link in (*related.articles, *related.threads))}
        self.context = context
        self.links = {path: related for path, related in self.links.items() if path in context.by_path}
        for path in sorted(recheck & context.by_path.keys()):
            self.links[path] = context.choose(context.by_path[path], self.candidates)
        return self.links

    def _rescore(self, changed: Sequence[Document], removed: set[str]) -> set[str]:
        """New candidates of the changed pages; the changed pages' place in every other page's candidates.

        Returns the pages whose candidates changed.
        """
        model, options = self.model, self.options
        assert model is not None
        keep = candidates_kept(options)
        gone = removed | {document.path for document in changed}
        touched = set()
        for path in list(self.candidates):
            if path in removed:
                del self.candidates[path]
            elif any(candidate in gone for _, candidate in self.candidates[path]):
                self.candidates[path] = [(score, candidate) for score, candidate in self.candidates[path] if candidate not in gone]
                touched.add(path)
        rows = model.scores([model.position_[document.path] for document in changed]) if changed else []
        changed_paths = {document.path for document in changed}
        for document, row in zip(changed, rows, strict=True):
            row[model.position_[document.path]] = -1.0
            above = np.flatnonzero(row >= options.threshold_for(model))
            found = [(float(row[index]), model.paths_[index]) for index in above]
            self.candidates[document.path] = sorted(found, key=by_score)[:keep]
            for score, other in found:
                if other not in changed_paths:  # scores are symmetric: the other page gains this one
                    self.candidates[other].append((score, document.path))
                    touched.add(other)
        for path in touched:
            self.candidates[path] = sorted(self.candidates[path], key=by_score)[:keep]
        return touched | changed_paths
