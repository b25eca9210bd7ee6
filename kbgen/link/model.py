"""What related-link choice works with: the links listed on a page and the settings that choose them."""

from __future__ import annotations

from dataclasses import dataclass

from kbgen.rank import RankSettings, RelatednessModel


@dataclass(frozen=True)
class RelatedLink:
    path: str
    title: str
    url: str
    kind: str  # "article" | "thread"
    score: float


@dataclass(frozen=True)
class Related:
    articles: tuple[RelatedLink, ...] = ()
    threads: tuple[RelatedLink, ...] = ()


@dataclass(frozen=True)
class LinkSettings(RankSettings):
    """How related pages are scored (``RankSettings``) and chosen (``compute_links(**settings)`` overrides any of them)."""

    max_articles: int = 5  # related articles listed per page
    max_threads: int = 5  # community discussions listed per page
    # Minimum relatedness (0..1) for a link that no writer pinned: where a logistic calibration of the scores
    # on SemEval-2016 dev's labelled pairs says a link is as likely relevant as not (0.269; 80-83 % of the
    # links then listed are relevant). bench/related_semeval.py prints the calibration and the precision.
    threshold: float = 0.27
    # The same calibration with the semantic extra, whose scores (words and meaning half each) run lower:
    # P(relevant) = 0.5 at 0.234; about 90 % of the links then listed on SemEval-2016 dev are relevant.
    # It replaces ``threshold`` whenever embeddings are in use (``threshold_for``).
    semantic_threshold: float = 0.23
    reciprocal_rank: int = 2  # a page in another page's top N links back to it, listed after its own best (up to the limit again)
    include_drafts: bool = False  # drafts are never linked to on the public site

    def threshold_for(self, model: RelatednessModel) -> float:
        """The minimum score of a link for pages scored by ``model``: with embeddings in use, ``semantic_threshold``."""
        return self.semantic_threshold if "semantic" in model.signals_ else self.threshold
