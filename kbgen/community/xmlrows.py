"""Stream the ``<row …/>`` records of a Stack Exchange data-dump file, safely and in constant memory.

defusedxml's parser refuses DTDs, entity declarations and external references (no "billion
laughs"), and no tree is built: a parser target hands over each row's attributes with the line
it starts on, so errors can name it. ``.xml.gz`` files are read through gzip as they stream.
"""

from __future__ import annotations

import gzip
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from kbgen.errors import KbgenError

CHUNK_SIZE = 1 << 16


@dataclass(frozen=True)
class Row:
    line: int
    attributes: dict[str, str]


class _RowTarget:
    """Parser target that keeps nothing but the rows not yet handed out."""

    def __init__(self, root_tag: str) -> None:
        self.root_tag = root_tag
        self.pending: deque[Row] = deque()
        self.parser: DefusedXMLParser | None = None
        self.depth = 0
        self.root_seen = ""

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth == 1:
            self.root_seen = tag
        elif self.depth == 2 and tag == "row":
            assert self.parser is not None
            self.pending.append(Row(self.parser.parser.CurrentLineNumber, dict(attributes)))

    def end(self, tag: str) -> None:
        self.depth -= 1

    def data(self, text: str) -> None:
        pass

    def close(self) -> None:
        return None


def open_dump_file(path: Path):
    """A binary stream of ``path``, decompressed when it ends in ``.gz``."""
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")


def iter_rows(path: Path, root_tag: str) -> Iterator[Row]:
    """Every ``<row>`` under the ``<root_tag>`` root of ``path``, in file order."""
    target = _RowTarget(root_tag)
    parser = DefusedXMLParser(target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    target.parser = parser
    name = str(path)
    try:
        with open_dump_file(path) as stream:
            while chunk := stream.read(CHUNK_SIZE):
                parser.feed(chunk)
                if target.root_seen and target.root_seen != root_tag:
                    raise KbgenError(name, f"expected a <{root_tag}> file, found <{target.root_seen}>", 1, hint=f"pass the data dump's {root_tag.capitalize()}.xml here")
                while target.pending:
                    yield target.pending.popleft()
            parser.close()
    except ParseError as error:
        line, column = error.position
        message = str(error).split(":", 1)[0]
        if message in ("no element found", "unclosed token"):
            raise KbgenError(name, f"the XML ends too early ({message})", line, column + 1, "the file looks truncated: copy or extract it again") from None
        raise KbgenError(name, f"the XML is not well-formed: {message}", line, column + 1) from None
    except DefusedXmlException as error:
        raise KbgenError(name, f"refused: the XML declares a DTD or entities ({error})", _line_of(parser), hint="entity expansion can exhaust memory (an 'XML bomb'); real data dumps declare none") from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise KbgenError(name, f"the compressed file is damaged or truncated ({error})", hint="download or copy it again") from None
    except OSError as error:
        raise KbgenError(name, f"cannot read file: {error.strerror or error}") from None
    while target.pending:
        yield target.pending.popleft()


def _line_of(parser: DefusedXMLParser) -> int:
    try:
        return parser.parser.CurrentLineNumber
    except AttributeError:
        return 1
