"""Split a Markdown file into YAML front matter and body, keeping the line of every key.

YAML dates are kept as the strings the writer typed (validated later by the schema), so a bad
date is a located error instead of a crash, and files round-trip without reformatting. This module
also holds the input limits of a content file; each one turns a hostile file (an alias bomb,
thousands of nested brackets, invisible control characters) into a located error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from kbgen.errors import KbgenError

Location = tuple[int, int]
KeyPath = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves timestamps as strings; its error messages are the ones we print."""


class _FastLoader(getattr(yaml, "CSafeLoader", _Loader)):  # type: ignore[misc]
    """libyaml's parser when PyYAML has it (several times faster); same data and marks."""


_Loader.yaml_implicit_resolvers = _FastLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

FENCE = "---"
_INTEGER_TAG = "tag:yaml.org,2002:int"
BYTE_ORDER_MARK = "\ufeff"

# Input limits of one content file (Markdown with front matter, or categories.yml). The largest
# real content is far below each: a demo article is under 3 KB, and forum posts are capped near
# 30,000 characters by Stack Exchange and Discourse.
MAX_FILE_BYTES = 1_000_000
"""A content file, body included, may be at most 1 MB: about 150,000 words, many times any help
article or imported thread. Larger files are refused before they are parsed or indexed."""
MAX_VALUE_CHARACTERS = 100_000
"""One front-matter value (a title, a summary, one answer's body) may be at most 100,000 characters:
three times the longest post a forum accepts. Values are copied into pages, search and JSON-LD."""
MAX_NUMBER_DIGITS = 100
"""A front-matter number (``votes``, ``asked``) may have at most 100 digits; longer ones are no count
and would take quadratic time to convert (Python refuses more than 4,300 digits)."""
MAX_NESTING_DEPTH = 20
"""Front matter may nest at most 20 levels of lists and mappings; the deepest in the format is 5
(``answers`` → answer → ``comments`` → comment → key). Deeper YAML is refused before it is built."""
# Characters that no content file may hold, raw or as a YAML escape: C0 controls other than tab,
# line feed and carriage return, DEL, and lone surrogates (from an escape such as "\uD800"; they
# cannot be written as UTF-8, so the build would die on them).
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# What YAML itself refuses to read besides those: C1 controls (but NEL) and the two non-characters.
YAML_UNREADABLE_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class FrontMatter:
    """Parsed front matter: the data, where each key sits, and the body that follows."""

    data: dict[str, Any]
    body: str
    body_line: int
    locations: dict[KeyPath, Location] = field(default_factory=dict)
    duplicate_keys: tuple[tuple[KeyPath, Location], ...] = ()

    def location(self, *key_path: str | int) -> Location:
        """Line and column of the deepest known key along ``key_path`` (1-based), else line 1."""
        path: KeyPath = tuple(key_path)
        while path:
            if path in self.locations:
                return self.locations[path]
            path = path[:-1]
        return (1, 1)


def split_front_matter(text: str, path: str) -> tuple[str | None, str, int]:
    """Return (yaml_text or None, body, first line of body). Raises on an unclosed fence.

    A UTF-8 byte order mark before the fence (some Windows editors add one) is ignored, as MkDocs does.
    """
    lines = text.removeprefix(BYTE_ORDER_MARK).splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != FENCE:
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n").rstrip() in (FENCE, "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    raise KbgenError(
        path,
        "front matter opened with '---' on line 1 is never closed",
        hint="add a line containing only '---' after the last front-matter key",
    )


def check_characters(text: str, path: str, first_line: int = 1, forbidden: re.Pattern[str] = FORBIDDEN_CHARACTERS) -> None:
    """Raise a located KbgenError at the first ``forbidden`` character of ``text`` (which starts on ``first_line``)."""
    found = forbidden.search(text)
    if found is None:
        return
    offset = found.start()
    line_start = text.rfind("\n", 0, offset) + 1
    raise KbgenError(
        path,
        f"{_describe(found.group())} is not allowed in a content file",
        first_line + text.count("\n", 0, offset),
        offset - line_start + 1,
        "delete it: it is invisible in most editors (search for it with your editor's regular expressions)",
    )


def _describe(character: str) -> str:
    code = ord(character)
    if 0xD800 <= code <= 0xDFFF:
        return f"lone surrogate U+{code:04X} (half of a UTF-16 pair)"
    if code in (0xFFFE, 0xFFFF):
        return f"non-character U+{code:04X}"
    return f"control character U+{code:04X}"


def parse_yaml(text: str, path: str, first_line: int = 1) -> tuple[Any, dict[KeyPath, Location], list]:
    """Parse one YAML document; return (data, key locations, duplicate keys). Lines are absolute.

    The text is held to the input limits (characters, nesting, anchors and aliases, value size)
    before any value is built, so no input makes parsing slow or crash.
    """
    check_characters(text, path, first_line, YAML_UNREADABLE_CHARACTERS)
    try:
        loader, node = _compose(_FastLoader, text, path, first_line)
    except KbgenError:
        # Report with the pure-Python parser, whose messages are clearer and do not depend on libyaml;
        # it composes recursively, so its events are read for their nesting depth first.
        _check_event_depth(text, path, first_line)
        loader, node = _compose(_Loader, text, path, first_line)
    try:
        locations, duplicates = _inspect_nodes(node, path, first_line, may_alias="&" in text)
        data = loader.construct_document(node) if node is not None else None
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: an integer of more than 4,300 digits
        raise _yaml_problem(exc, path, first_line) from None
    finally:
        loader.dispose()
    return data, locations, duplicates


def _compose(loader_class: type, text: str, path: str, first_line: int) -> tuple[Any, yaml.Node | None]:
    """The loader and the document's node graph, whose values are not built yet."""
    try:
        loader = loader_class(text)
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc, path, first_line) from None
    try:
        return loader, loader.get_single_node()
    except yaml.YAMLError as exc:
        loader.dispose()
        raise _yaml_problem(exc, path, first_line) from None


def _yaml_problem(exc: Exception, path: str, first_line: int) -> KbgenError:
    if not isinstance(exc, yaml.MarkedYAMLError):
        return KbgenError(path, f"invalid YAML: {exc}", first_line)
    mark = exc.problem_mark or exc.context_mark
    line = first_line + (mark.line if mark else 0)
    column = (mark.column + 1) if mark else 1
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    if exc.context and exc.context_mark and mark is not exc.context_mark and exc.context_mark.line != mark.line:
        problem += f" ({exc.context} started on line {first_line + exc.context_mark.line})"
    return KbgenError(
        path,
        f"invalid YAML: {problem}",
        line,
        column,
        hint="close brackets and quotes; quote values that contain ': ' or start with a special character",
    )


def _check_event_depth(text: str, path: str, first_line: int) -> None:
    """Read ``text``'s YAML events (no nodes are built) and raise where they nest too deep."""
    try:
        loader = _Loader(text)
    except yaml.YAMLError:  # a character YAML refuses (e.g. U+0080): reported by the full parse that follows
        return
    depth = 0
    try:
        while (event := loader.get_event()) is not None and not isinstance(event, yaml.StreamEndEvent):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING_DEPTH:
                    raise _too_deep(path, first_line + event.start_mark.line, event.start_mark.column + 1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass  # reported by the full parse that follows
    finally:
        loader.dispose()


def _too_deep(path: str, line: int, column: int) -> KbgenError:
    return KbgenError(path, _TOO_DEEP, line, column, _TOO_DEEP_HINT)


def _inspect_nodes(
    root: yaml.Node | None, path: str, first_line: int, may_alias: bool = True
) -> tuple[dict[KeyPath, Location], list[tuple[KeyPath, Location]]]:
    """Check the composed nodes against the limits before any value is built; return where each key sits.

    Walks with an explicit stack, so depth costs no recursion. An alias makes two places share one
    node, which is how a few lines expand to billions of values (and how an alias refers to itself),
    so any node met twice is refused; without an anchor (``may_alias`` false) no node can be.
    """
    locations: dict[KeyPath, Location] = {}
    duplicates: list[tuple[KeyPath, Location]] = []
    seen: set[int] = set()
    # Collections still to walk: (node, its key path or None when its keys are not located, depth).
    stack: list[tuple[yaml.Node, KeyPath | None, int]] = []
    if root is not None:
        _check_scalar(root, path, first_line) if type(root) is yaml.ScalarNode else stack.append((root, (), 1))
    while stack:
        node, prefix, depth = stack.pop()
        if depth > MAX_NESTING_DEPTH:
            raise _at(node, path, first_line, _TOO_DEEP, _TOO_DEEP_HINT)
        children: list[tuple[yaml.Node, KeyPath | None]] = []
        if type(node) is yaml.MappingNode:
            for key_node, value_node in node.value:
                key_path = None
                if prefix is not None and type(key_node) is yaml.ScalarNode:
                    key_path = (*prefix, key_node.value)
                    where = (first_line + key_node.start_mark.line, key_node.start_mark.column + 1)
                    if key_path in locations:
                        duplicates.append((key_path, where))
                    else:
                        locations[key_path] = where
                children += ((key_node, None), (value_node, key_path))
        else:
            for index, item in enumerate(node.value):
                key_path = None
                if prefix is not None:
                    key_path = (*prefix, index)
                    locations[key_path] = (first_line + item.start_mark.line, item.start_mark.column + 1)
                children.append((item, key_path))
        collections = []
        for child, key_path in children:
            if may_alias:
                if id(child) in seen:
                    raise _at(child, path, first_line, _ALIAS, _ALIAS_HINT)
                seen.add(id(child))
            if type(child) is not yaml.ScalarNode:
                collections.append((child, key_path, depth + 1))
            elif child.style == '"' or len(child.value) > MAX_NUMBER_DIGITS:
                _check_scalar(child, path, first_line)
        stack.extend(reversed(collections))  # depth first, in document order, as keys are located
    return locations, duplicates


_ALIAS = "YAML anchors and aliases ('&name', '*name') are not allowed in front matter"
_ALIAS_HINT = "write the value out in full at each place it is needed"
_TOO_DEEP = f"YAML nests lists and mappings more than {MAX_NESTING_DEPTH} levels deep"
_TOO_DEEP_HINT = "front matter needs a few levels at most (answers, then comments); flatten the structure"


def _check_scalar(node: yaml.ScalarNode, path: str, first_line: int) -> None:
    value = node.value
    if len(value) > MAX_VALUE_CHARACTERS:
        raise _at(node, path, first_line, f"value is {len(value):,} characters long; at most {MAX_VALUE_CHARACTERS:,} are allowed", "shorten it, or move long text into the Markdown body")
    if len(value) > MAX_NUMBER_DIGITS and node.tag == _INTEGER_TAG:
        raise _at(node, path, first_line, f"number has {len(value):,} digits; at most {MAX_NUMBER_DIGITS} are allowed", "quote it if it is text, not a count")
    if node.style == '"':  # only double-quoted values have escapes such as "\0" or "\uD800"
        found = FORBIDDEN_CHARACTERS.search(value)
        if found is not None:
            surrogate = 0xD800 <= ord(found.group()) <= 0xDFFF
            raise _at(
                node,
                path,
                first_line,
                f"a YAML escape gives {_describe(found.group())}, which cannot be published",
                "write a character beyond U+FFFF as one '\\U0001F600' escape, not as a pair of '\\u' escapes" if surrogate else "remove the escape",
            )


def _at(node: yaml.Node, path: str, first_line: int, message: str, hint: str) -> KbgenError:
    return KbgenError(path, message, first_line + node.start_mark.line, node.start_mark.column + 1, hint)


def read_front_matter(text: str, path: str) -> FrontMatter:
    """Parse a Markdown document's front matter. Raises KbgenError with the place of the problem."""
    yaml_text, body, body_line = split_front_matter(text, path)
    if yaml_text is None:
        raise KbgenError(
            path,
            "missing front matter",
            hint="start the file with '---', the keys (at least 'title: ...'), then '---'",
        )
    data, locations, duplicates = parse_yaml(yaml_text, path, first_line=2)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise KbgenError(path, "front matter must be a mapping of 'key: value' lines", 2)
    return FrontMatter(data, body, body_line, locations, tuple(duplicates))
