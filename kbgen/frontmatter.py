"""Split a Markdown file into YAML front matter and body, keeping the line of every key.

YAML dates are kept as the strings the writer typed (validated later by the schema), so a bad
date is a located error instead of a crash, and files round-trip without reformatting.
"""

from __future__ import annotations

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
    """Return (yaml_text or None, body, first line of body). Raises on an unclosed fence."""
    lines = text.splitlines(keepends=True)
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


def parse_yaml(text: str, path: str, first_line: int = 1) -> tuple[Any, dict[KeyPath, Location], list]:
    """Parse one YAML document; return (data, key locations, duplicate keys). Lines are absolute."""
    try:
        return _parse_yaml(_FastLoader, text, path, first_line)
    except KbgenError:
        # Report with the pure-Python parser, whose messages are clearer and do not depend on libyaml.
        return _parse_yaml(_Loader, text, path, first_line)


def _parse_yaml(loader_class: type, text: str, path: str, first_line: int) -> tuple[Any, dict[KeyPath, Location], list]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        column = (mark.column + 1) if mark else 1
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        if exc.context and exc.context_mark and mark is not exc.context_mark and exc.context_mark.line != mark.line:
            problem += f" ({exc.context} started on line {first_line + exc.context_mark.line})"
        raise KbgenError(
            path,
            f"invalid YAML: {problem}",
            line,
            column,
            hint="close brackets and quotes; quote values that contain ': ' or start with a special character",
        ) from None
    except yaml.YAMLError as exc:
        raise KbgenError(path, f"invalid YAML: {exc}", first_line) from None
    finally:
        loader.dispose()
    locations: dict[KeyPath, Location] = {}
    duplicates: list[tuple[KeyPath, Location]] = []
    if node is not None:
        _record_locations(node, (), first_line, locations, duplicates)
    return data, locations, duplicates


def _record_locations(
    node: yaml.Node,
    prefix: KeyPath,
    first_line: int,
    locations: dict[KeyPath, Location],
    duplicates: list[tuple[KeyPath, Location]],
) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key_path = (*prefix, key_node.value)
            where = (first_line + key_node.start_mark.line, key_node.start_mark.column + 1)
            if key_path in locations:
                duplicates.append((key_path, where))
            else:
                locations[key_path] = where
            _record_locations(value_node, key_path, first_line, locations, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            key_path = (*prefix, index)
            locations[key_path] = (first_line + item.start_mark.line, item.start_mark.column + 1)
            _record_locations(item, key_path, first_line, locations, duplicates)


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
