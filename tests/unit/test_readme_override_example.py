"""The README's template-override example is the fixture the language tests build, word for word."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "overrides"
EXAMPLE = re.compile(r"```jinja\n\{# overrides/(?P<path>\S+) #\}\n(?P<body>.*?)```", re.S)


def _without_comments(text: str) -> str:
    return re.sub(r"\{#-?.*?-?#\}\n?", "", text, flags=re.S).strip()


def test_readme_override_examples_are_the_tested_fixture():
    examples = {match["path"]: match["body"] for match in EXAMPLE.finditer((REPO / "README.md").read_text(encoding="utf-8"))}
    assert set(examples) == {"kbgen/home.html", "kbgen/partials/related.html"}
    for path, body in examples.items():
        assert _without_comments(body) == _without_comments((FIXTURE / path).read_text(encoding="utf-8")), path
