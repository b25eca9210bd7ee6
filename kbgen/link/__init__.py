"""Related pages: for every article and thread, the articles and threads that answer the same problem.

How related two pages are is ``kbgen.rank``'s business (``RelatednessModel``: lexical, question
variant, topic and, with ``kbgen[semantic]``, embedding signals fused without tuned weights).
This package chooses from those scores: ``choice`` thresholds them (an unrelated page gets no
links rather than bad ones), orders them with stable tie-breaking, makes strong links two-way, and
applies the writer's ``related:`` (pin) and ``unrelated:`` (suppress) front matter; ``store`` keeps
the links in the cache folder; ``live`` computes them for a corpus and updates them as pages change
(``kbgen serve``); ``explain`` says why a page is listed (``kbgen related``). The records are in ``model``.
"""

from kbgen.link.choice import linked_in_text
from kbgen.link.explain import ExplainedLink, explain_related
from kbgen.link.live import LiveLinks, compute_links
from kbgen.link.model import LinkSettings, Related, RelatedLink

__all__ = ["ExplainedLink", "LinkSettings", "LiveLinks", "Related", "RelatedLink", "compute_links", "explain_related", "linked_in_text"]
