"""The contact page's own ranking (the shipped theme/assets/kbgen/contact-index.js), run in node over a suggestion index.

``contact_rankings`` builds the suggestion index kbgen ships (kbgen.site.contact) for some pages,
runs the page's ranking (contact-index.js, with contact-text.js) on each query in one node process, and returns each query's
scores by content path: the same code and data the browser uses, without a browser.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from kbgen.model import Corpus
from kbgen.site.contact import suggestion_index_json, suggestions

# The ranking the page runs (no DOM; it requires contact-text.js beside it).
CONTACT_INDEX_JS = Path(__file__).resolve().parent.parent / "theme" / "assets" / "kbgen" / "contact-index.js"

RUNNER = """
const fs = require("fs");
const [code, indexFile, queriesFile, limit] = process.argv.slice(2);
const ranking = require(code);
const index = new ranking.SuggestIndex(JSON.parse(fs.readFileSync(indexFile, "utf8")));
const out = JSON.parse(fs.readFileSync(queriesFile, "utf8")).map(function (query) {
  const found = {};
  const results = limit === "all" ? index.rank(query) : index.search(query, Number(limit));
  // The page's order, as a score: ties and fusion are decided in contact.js, not here.
  results.forEach(function (result, position) { found[result.page.url] = results.length - position; });
  return found;
});
process.stdout.write(JSON.stringify(out));
"""


def node_available() -> bool:
    return shutil.which("node") is not None


def contact_rankings(corpus: Corpus, queries: Sequence[str], limit: int | None = None, body_terms: int = 0) -> list[dict[str, float]]:
    """For each query, the pages contact.js ranks (by content path), best first, scored by rank (n .. 1).

    With a ``limit``, the suggestions the page shows (``SuggestIndex.search``: at most ``limit``,
    none far below the best); without, every page that matches (``SuggestIndex.rank``).
    ``body_terms``: each row also carries that many telling body terms (kbgen.site.contact.suggestions).
    """
    rows = suggestions(corpus.documents(), lambda document: document.path, body_terms=body_terms)
    with tempfile.TemporaryDirectory(prefix="kbgen-contact-") as folder:
        paths = {name: Path(folder) / name for name in ("index.json", "queries.json", "runner.js")}
        paths["index.json"].write_text(suggestion_index_json(corpus.categories, rows), encoding="utf-8")
        paths["queries.json"].write_text(json.dumps(list(queries)), encoding="utf-8")
        paths["runner.js"].write_text(RUNNER, encoding="utf-8")
        command = ["node", str(paths["runner.js"]), str(CONTACT_INDEX_JS), str(paths["index.json"]), str(paths["queries.json"]), "all" if limit is None else str(limit)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output)
