"""Front matter in and out: the one writer of a content file's header, and the readers that only need a few keys.

``document_text`` writes any kind of content file (FAQ article, draft, thread started by hand)
from its keys in the order given, each checked against the kind's schema, in the canonical
form of ``yaml_text``; ``set_front_matter_line`` changes one key of a file in place (the miner's
``asked``). ``question_wordings`` and ``top_level_keys`` are what the miner, ``kbgen promote``
and the importers read back without loading the whole tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from kbgen.content.atomic import write_text_atomically
from kbgen.content.yaml_text import block_list, field_lines, flow_list, yaml_bool
from kbgen.errors import KbgenError
from kbgen.frontmatter import FENCE, FrontMatter, read_front_matter
from kbgen.schema import Schema

# Lists of short keywords are written on one line, ``tags: [billing, account]``; others one item a line.
FLOW_LISTS = frozenset({"tags"})
_TOP_LEVEL_KEY = re.compile(r"^(\w+):(.*)$")


def front_matter_lines(front: Mapping[str, Any], schema: Schema) -> list[str]:
    """``---``, a line (or block) per key of ``front`` in its order, ``---``. Keys must be ``schema``'s."""
    unknown = sorted(set(front) - set(schema.names()))
    if unknown:
        raise ValueError(f"not {schema.name} keys: {', '.join(unknown)}")
    lines = [FENCE]
    for name, value in front.items():
        if isinstance(value, bool):
            lines.append(f"{name}: {yaml_bool(value)}")
        elif isinstance(value, int):
            lines.append(f"{name}: {value}")
        elif isinstance(value, str):
            lines += field_lines(name, value)
        elif isinstance(value, Sequence) and not value:
            lines.append(f"{name}: []")  # an empty list shows a writer where items go
        elif isinstance(value, Sequence) and all(isinstance(item, str) for item in value):
            lines += [f"{name}: {flow_list(value)}"] if name in FLOW_LISTS else block_list(name, value)
        else:
            raise TypeError(f"{name}: cannot write {type(value).__name__} values in front matter")
    lines.append(FENCE)
    return lines


def document_text(front: Mapping[str, Any], schema: Schema, body: str) -> str:
    """The whole file: front matter from ``front`` (see ``front_matter_lines``), then ``body``."""
    return "\n".join(front_matter_lines(front, schema)) + "\n" + body


def question_wordings(data: Mapping[str, Any]) -> list[str]:
    """An article's title, then its ``questions``: every wording of the question it answers (text only)."""
    return [item for item in [data.get("title"), *(data.get("questions") or [])] if isinstance(item, str)]


def read_front_matters(root: Path, pattern: str) -> Iterator[tuple[str, str, FrontMatter]]:
    """(path inside ``root``, text, front matter) of each file ``root.glob(pattern)`` finds, in path order.

    Files are read as ``kbgen.load`` reads content (links out of ``root`` and oversized files
    refused); a file that cannot be read or parsed is skipped here, as ``kbgen check`` reports it.
    """
    from kbgen.load import read_text  # kbgen.load writes its cache with this package: import when called

    for path in sorted(Path(root).glob(pattern)):
        relative = path.relative_to(root).as_posix()
        try:
            text = read_text(Path(root), relative)
            front_matter = read_front_matter(text, relative)
        except (KbgenError, OSError):
            continue
        yield relative, text, front_matter


def top_level_keys(path: Path, names: Sequence[str]) -> dict[str, object]:
    """The one-line values of top-level ``names`` in a file's front matter, without parsing the rest.

    Imported threads hold long answers; finding a thread by its ``source`` reads only these lines.
    """
    keys: dict[str, object] = {}
    with Path(path).open(encoding="utf-8", errors="replace") as stream:
        if stream.readline().rstrip() != FENCE:
            return keys
        for line in stream:
            if line.rstrip() in (FENCE, "..."):
                break
            match = _TOP_LEVEL_KEY.match(line)
            if match and match.group(1) in names:
                try:
                    keys[match.group(1)] = yaml.safe_load(match.group(2))
                except yaml.YAMLError:
                    continue
    return keys


def set_front_matter_line(path: Path, name: str, value: str) -> bool:
    """Set the one-line top-level key ``name: value`` in a file's front matter, every other byte left alone.

    The key is replaced where it is, or added before the closing fence in the file's own newline
    style. True if the file changed. ``value`` must already be YAML text (a number, a plain word).
    """
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except OSError as error:
        raise KbgenError(str(path), f"cannot read file: {error.strerror or error}") from None
    newline = "\r\n" if "\r\n" in text.split("\n", 1)[0] + "\n" else "\n"
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        raise KbgenError(str(path), "missing front matter", hint="start the file with '---', the keys, then '---'")
    closing = next((index for index in range(1, len(lines)) if lines[index].strip() in (FENCE, "...")), None)
    if closing is None:
        raise KbgenError(str(path), "front matter opened with '---' on line 1 is never closed")
    new_line = f"{name}: {value}"
    key = re.compile(rf"{re.escape(name)}\s*:")
    for index in range(1, closing):
        if key.match(lines[index]):
            ending = lines[index][len(lines[index].rstrip("\r\n")) :]
            if lines[index].rstrip("\r\n") == new_line:
                return False
            lines[index] = new_line + ending
            break
    else:
        lines.insert(closing, new_line + newline)
    write_text_atomically(path, "".join(lines))
    return True
