"""The content-file format in one place: how articles, threads and drafts are named, written and read.

- ``slug``: the one ``slugify`` (file names, category folders, tag pages).
- ``atomic``: the one atomic write (beside the target, then renamed).
- ``yaml_text``: front-matter values as canonical YAML text.
- ``document``: the one front-matter writer (keys checked against ``kbgen.schema``) and the
  light readers (``read_front_matters`` reads a folder's files as ``kbgen.load`` does); the
  full parser with located errors and input limits is ``kbgen.frontmatter``.
"""

from kbgen.content.atomic import atomic_writer, write_text_atomically
from kbgen.content.document import (
    document_text,
    front_matter_lines,
    question_wordings,
    read_front_matters,
    set_front_matter_line,
    top_level_keys,
)
from kbgen.content.slug import slugify

__all__ = ["atomic_writer", "document_text", "front_matter_lines", "question_wordings", "read_front_matters", "set_front_matter_line", "slugify", "top_level_keys", "write_text_atomically"]
