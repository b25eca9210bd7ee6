"""Hostile content files: each is a located ``kbgen check`` error, never a hang, a traceback or a dead build.

The files of ``../shared/repro/front-matter/`` are checked as they are; the limits are also tested
at their edges on small generated files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kbgen.check import check_tree, iter_links
from kbgen.errors import KbgenError
from kbgen.frontmatter import (
    MAX_FILE_BYTES,
    MAX_NESTING_DEPTH,
    MAX_NUMBER_DIGITS,
    MAX_VALUE_CHARACTERS,
    parse_yaml,
    read_front_matter,
)
from kbgen.load import load_corpus
from kbgen.text import plain_text

REPRO = Path(__file__).resolve().parents[2].parent / "shared" / "repro" / "front-matter"
ARTICLE = "faq/billing/fuzz.md"


def errors_of(root: Path) -> list[KbgenError]:
    _, problems = check_tree(root)
    return [problem for problem in problems if problem.is_error]


def only_error(root: Path) -> KbgenError:
    (error,) = errors_of(root)
    return error


def article(front_matter: str, body: str = "The answer.\n", title: str = "Fuzz") -> str:
    return f"---\ntitle: {title}\n{front_matter}---\n{body}"


@pytest.fixture
def repro_tree(write_tree, tmp_path):
    """A content tree holding one file of the reproductions, byte for byte, as ``faq/billing/fuzz.md``."""
    if not REPRO.is_dir():
        pytest.skip(f"reproductions not found at {REPRO} (clone the project beside shared/)")

    def tree(name: str) -> Path:
        root = write_tree({})
        (root / ARTICLE).parent.mkdir(parents=True)
        (root / ARTICLE).write_bytes((REPRO / name).read_bytes())
        return root

    return tree


@pytest.mark.parametrize(
    ("name", "line", "column", "message"),
    [
        ("billion-laughs.md", 2, 8, "YAML anchors and aliases ('&name', '*name') are not allowed in front matter"),
        ("recursive-alias.md", 2, 8, "YAML anchors and aliases ('&name', '*name') are not allowed in front matter"),
        ("deep-list.md", 2, 27, f"YAML nests lists and mappings more than {MAX_NESTING_DEPTH} levels deep"),
        ("nul-in-front-matter.md", 2, 9, "control character U+0000 is not allowed in a content file"),
        ("lone-surrogate-escape.md", 3, 10, "a YAML escape gives lone surrogate U+D800 (half of a UTF-16 pair), which cannot be published"),
        ("huge-lt-body.md", 1, 1, f"file is larger than {MAX_FILE_BYTES:,} bytes"),
    ],
)
def test_check_reports_each_reproduced_front_matter_attack_at_its_place(repro_tree, name, line, column, message):
    error = only_error(repro_tree(name))
    assert (error.path, error.line, error.column, error.message) == (ARTICLE, line, column, message)
    assert error.hint


def test_check_of_huge_bodies_of_markup_characters_stays_clean(write_tree):
    half_megabyte = 500_000
    files = {
        f"faq/billing/body-{index}.md": article("", pattern * (half_megabyte // len(pattern)) + "\nEnd.\n", f"Body {index}")
        for index, pattern in enumerate(["<", "[", "\n", " \n", "[a](b", "![", "|", "# #", "!!! a\n", "[a](b '"])
    }
    assert errors_of(write_tree(files)) == []


def test_plain_text_and_links_of_pathological_markdown_keep_their_meaning():
    assert plain_text("<" * 200_000 + "<b>bold</b>") == "<" * 200_000 + " bold"
    assert plain_text("[" * 200_000 + "text](https://example.com)") == "[" * 199_999 + "text"
    assert plain_text("\n" * 200_000 + "| a |\n|---|\n!!! note \"Careful\"") == "a Careful"
    assert list(iter_links("[a](b" * 50_000 + " [x](page.md)", 1)) == [("page.md", 1, 250_006)]


def test_front_matter_after_a_byte_order_mark_is_read(write_tree):
    root = write_tree({})
    (root / ARTICLE).parent.mkdir(parents=True)
    (root / ARTICLE).write_text("\ufeff" + article("tags: [a]\n"), encoding="utf-8")
    corpus, problems = load_corpus(root)
    assert problems == []
    (loaded,) = corpus.articles
    assert (loaded.title, loaded.tags, loaded.body, loaded.body_line) == ("Fuzz", ("a",), "The answer.\n", 5)


def test_plain_page_title_skips_closing_hashes_of_its_heading(write_tree):
    corpus, _ = load_corpus(write_tree({"about.md": "# About us ##  \n\nText.\n", "hash.md": "# ###\n"}))
    assert {page.path: page.title for page in corpus.pages} == {"about.md": "About us", "hash.md": "#"}


def test_any_alias_is_refused_even_a_harmless_one(write_tree):
    error = only_error(write_tree({ARTICLE: article("summary: &short Short.\nquestions:\n  - *short\n")}))
    assert (error.line, error.column) == (3, 10)
    assert "anchors and aliases" in error.message


def test_alias_in_categories_file_is_located_there(write_tree):
    root = write_tree({}, categories="billing: &b\n  title: Billing\naccount: *b\n")
    error = only_error(root)
    assert (error.path, error.line, error.column) == ("categories.yml", 1, 10)


def test_nesting_is_allowed_up_to_the_limit_and_located_past_it():
    def nested(depth: int) -> str:
        return "key: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n"

    data, _, _ = parse_yaml(nested(MAX_NESTING_DEPTH), "x.yml")
    assert "key" in data
    with pytest.raises(KbgenError) as caught:
        parse_yaml(nested(MAX_NESTING_DEPTH + 1), "x.yml", first_line=2)
    assert (caught.value.line, caught.value.column) == (2, 5 + MAX_NESTING_DEPTH)


def test_nesting_in_block_style_is_limited_too():
    text = "".join("  " * level + f"k{level}:\n" for level in range(MAX_NESTING_DEPTH + 5))
    with pytest.raises(KbgenError) as caught:
        parse_yaml(text, "x.yml")
    assert caught.value.line == MAX_NESTING_DEPTH + 1
    assert "levels deep" in caught.value.message


def test_value_size_is_allowed_up_to_the_limit_and_refused_past_it(write_tree):
    at_limit = write_tree({ARTICLE: article(f"summary: {'a' * MAX_VALUE_CHARACTERS}\n")})
    assert errors_of(at_limit) == []
    past_limit = write_tree({ARTICLE: article(f"summary: {'a' * (MAX_VALUE_CHARACTERS + 1)}\n")})
    error = only_error(past_limit)
    assert (error.line, error.column, error.message) == (3, 10, f"value is {MAX_VALUE_CHARACTERS + 1:,} characters long; at most {MAX_VALUE_CHARACTERS:,} are allowed")


def test_file_size_is_allowed_up_to_the_limit(write_tree):
    head = article("", "")
    root = write_tree({ARTICLE: head + "a" * (MAX_FILE_BYTES - len(head))})
    assert errors_of(root) == []
    (root / ARTICLE).write_text(head + "a" * (MAX_FILE_BYTES - len(head) + 1), encoding="utf-8")
    assert only_error(root).message == f"file is larger than {MAX_FILE_BYTES:,} bytes"


def test_number_with_too_many_digits_is_located(write_tree):
    error = only_error(write_tree({ARTICLE: article(f"asked: {'9' * 5000}\n")}))
    assert (error.line, error.column, error.message) == (3, 8, f"number has 5,000 digits; at most {MAX_NUMBER_DIGITS} are allowed")


@pytest.mark.parametrize(
    ("escape", "message"),
    [
        ("\\0", "a YAML escape gives control character U+0000, which cannot be published"),
        ("\\x1b", "a YAML escape gives control character U+001B, which cannot be published"),
        ("\\uDE00", "a YAML escape gives lone surrogate U+DE00 (half of a UTF-16 pair), which cannot be published"),
        ("\\uD83D\\uDE00", "a YAML escape gives lone surrogate U+D83D (half of a UTF-16 pair), which cannot be published"),
    ],
)
def test_escapes_that_cannot_be_published_are_located(write_tree, escape, message):
    error = only_error(write_tree({ARTICLE: article(f'summary: "Before {escape} after"\n')}))
    assert (error.line, error.column, error.message) == (3, 10, message)


def test_escapes_that_can_be_published_pass(write_tree):
    corpus, problems = load_corpus(write_tree({ARTICLE: article('summary: "Tab\\tsmile \\U0001F600 caf\\u00e9"\n')}))
    assert problems == []
    assert corpus.articles[0].summary == "Tab\tsmile \U0001f600 café"


@pytest.mark.parametrize("character", ["\x01", "\x0b", "\x0c", "\x1f", "\x7f"])
def test_control_character_in_a_body_is_located(write_tree, character):
    error = only_error(write_tree({ARTICLE: article("", f"First line.\nSecond {character} line.\n")}))
    assert (error.line, error.column) == (5, 8)
    assert error.message == f"control character U+{ord(character):04X} is not allowed in a content file"


def test_control_character_in_a_plain_page_is_located(write_tree):
    error = only_error(write_tree({"about.md": "# About\n\nA\x00B\n"}))
    assert (error.path, error.line, error.column) == ("about.md", 3, 2)


def test_tabs_and_windows_line_ends_are_ordinary_text(write_tree):
    root = write_tree({})
    (root / ARTICLE).parent.mkdir(parents=True)
    (root / ARTICLE).write_bytes(article("", "Step\t1.\r\nStep\t2.\r\n").replace("\n", "\r\n").encode())
    assert errors_of(root) == []


def test_read_front_matter_of_hostile_text_raises_only_located_errors():
    hostile = [
        "---\ntitle: [a\x00\n---\n",
        "---\n" + "- " * 3000 + "x\n---\n",
        "---\ntitle: " + "{a: " * 3000 + "}" * 3000 + "\n---\n",
        "---\n? [a, b]\n: 1\n---\n",
        "---\ntitle: !!python/object:os.system x\n---\n",
        "---\ntitle: *missing\n---\n",
    ]
    for text in hostile:
        with pytest.raises(KbgenError) as caught:
            read_front_matter(text, "x.md")
        assert caught.value.line >= 2, text[:40]
