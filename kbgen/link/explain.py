"""``kbgen related``: the pages related to one page, with each signal's score and why each is listed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from kbgen.errors import KbgenError
from kbgen.link.choice import linked_in_text, pinned_pages
from kbgen.link.live import compute_links
from kbgen.link.model import LinkSettings
from kbgen.model import Corpus
from kbgen.rank import ranking_model


@dataclass(frozen=True)
class ExplainedLink:
    """One page related to another, with why: each signal's score and how it got on the list."""

    path: str
    title: str
    url: str
    kind: str
    score: float
    signals: dict[str, float]
    reason: str  # "pinned" | "links back" | "ranked" | and with show_all: "below threshold" | "linked in text" | "not listed"


def explain_related(corpus: Corpus, path: str, cache_dir: Path | None = None, *, show_all: bool = False, limit: int = 10, **settings: object) -> list[ExplainedLink]:
    """The pages related to ``path`` as the site lists them (``show_all``: every page, best first, ignoring the threshold)."""
    options = replace(LinkSettings(), **settings)  # type: ignore[arg-type]
    documents = sorted(corpus.documents(), key=lambda document: document.path)
    by_path = {document.path: document for document in documents}
    if path not in by_path:
        raise KbgenError(path, "no such article or thread", hint="give the page's path inside the content folder, e.g. faq/billing/request-a-refund.md")
    model = ranking_model(options, cache_dir).fit(documents)
    row = model.position_[path]
    threshold = options.threshold_for(model)
    signals = {name: scores[0] for name, scores in model.signal_scores([row]).items()}
    fused = model.scores([row])[0]
    related = compute_links(corpus, cache_dir, **settings)[path]
    listed = [link.path for link in (*related.articles, *related.threads)]
    pins = pinned_pages(documents)[path]
    in_text = linked_in_text(by_path[path])

    def reason(other: str) -> str:
        if other in listed:
            return "pinned" if other in pins else ("ranked" if fused[model.position_[other]] >= threshold and other not in in_text else "links back")
        if other in in_text:
            return "linked in text"
        return "below threshold" if fused[model.position_[other]] < threshold else "not listed"

    if show_all:
        order = [model.paths_[index] for index in np.lexsort((np.arange(len(fused)), -fused)) if model.paths_[index] != path][:limit]
    else:
        order = listed[:limit]
    return [
        ExplainedLink(
            other, by_path[other].title, by_path[other].url, by_path[other].kind, round(float(fused[model.position_[other]]), 4),
            {name: round(float(values[model.position_[other]]), 4) for name, values in signals.items()}, reason(other),
        )
        for other in order
    ]
