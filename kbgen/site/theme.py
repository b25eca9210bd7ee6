"""Where kbgen's Material overrides live (inside the wheel, or at the top of a checkout), and theme icons."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

_PACKAGED = Path(__file__).resolve().parent.parent / "theme"
_CHECKOUT = Path(__file__).resolve().parent.parent.parent / "theme"
_ICON_NAME = re.compile(r"[a-z0-9][a-z0-9-]*(?:/[a-z0-9][a-z0-9-]*)+")


def theme_dir() -> Path:
    return _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT


def icon_svg(name: str, theme_dirs: Iterable[str | Path]) -> str:
    """The inline SVG of a theme icon such as "material/cash-multiple" (Material's .icons), "" if unknown."""
    if not _ICON_NAME.fullmatch(name):
        return ""
    for directory in theme_dirs:
        path = Path(directory) / ".icons" / f"{name}.svg"
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
    return ""
