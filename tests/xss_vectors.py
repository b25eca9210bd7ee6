"""The XSS vectors every untrusted-text test throws: tests/browser/xss_vectors.txt and ../shared/repro's extra ones.

Test modules import it as ``from xss_vectors import VECTORS`` (pytest puts ``tests/`` on the path
through its conftest.py).
"""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
VECTOR_FILES = (TESTS / "browser" / "xss_vectors.txt", TESTS.parent.parent / "shared" / "repro" / "xss_vectors_extra.txt")
VECTORS = [
    line
    for vector_file in VECTOR_FILES
    if vector_file.is_file()
    for line in vector_file.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
