"""Runs the contact page's DOM-free scripts (theme/assets/kbgen/contact-text.js, contact-index.js) in node on a JSON request.

Test modules import it as ``from contact_js import run, requires_node`` (pytest puts ``tests/`` on the path).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ASSETS = Path(__file__).resolve().parent.parent / "theme" / "assets" / "kbgen"
requires_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")

# Request: {"stems": [...], "terms": [...], "functionWords": [...], "analyse": [...], "index": ..., "rank": [...], "search": [...]}.
RUNNER = """
const fs = require("fs");
const [textFile, indexFile] = process.argv.slice(1);
const text = require(textFile);
const { SuggestIndex } = require(indexFile);
const request = JSON.parse(fs.readFileSync(0, "utf8"));
const index = request.index ? new SuggestIndex(request.index) : null;
process.stdout.write(JSON.stringify({
  stopWords: Array.from(text.STOP_WORDS).sort(),
  stems: (request.stems || []).map(text.stem),
  terms: (request.terms || []).map(text.indexTerms),
  functionWords: (request.functionWords || []).map(text.functionWords),
  analysed: (request.analyse || []).map(text.analyse),
  ranked: (request.rank || []).map((query) => index.rank(query).map((result) => [result.page.url, result.exact])),
  shown: (request.search || []).map((query) => index.search(query, 6).map((result) => result.page.url)),
}));
"""


def run(request: dict) -> dict:
    command = ["node", "-e", RUNNER, str(ASSETS / "contact-text.js"), str(ASSETS / "contact-index.js")]
    output = subprocess.run(command, input=json.dumps(request), capture_output=True, text=True, check=True)
    return json.loads(output.stdout)
