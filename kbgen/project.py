"""The project: where mkdocs.yml, the content and the caches are, read once the same way by the CLI and the plugin.

A ``Project`` is plain data: the root (the folder of mkdocs.yml), the docs folder, the cache folder
(the kbgen plugin's ``cache_dir``, relative to the root) and the plugin's options as written. Every
cache file kbgen keeps is named here, so a cache path is always ``project.cache_path(NAME)``, and
every cache keys on the same version stamps, ``project.stamps``: kbgen's version and code, the
cache schema, and the versions of the packages the site is built with.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kbgen.errors import KbgenError
from kbgen.safepath import unsafe_files

CONFIG_FILE = "mkdocs.yml"
PLUGIN_NAME = "kbgen"
DEFAULT_CACHE_DIR = ".kbgen"  # the plugin's cache_dir default (kbgen.site.config.KbgenConfig)
DEFAULT_DOCS_DIR = "docs"  # MkDocs' docs_dir default
FALLBACK_DOCS_DIR = "content"  # without mkdocs.yml, the CLI looks for ./content
# Files and folders kept in the cache folder.
REPORT_FILE = "report.html"  # kbgen mine's report (report.json beside it)
# Bump when what kbgen keeps in its cache folder changes in a way a cache's own version does not say: every cache is dropped.
CACHE_SCHEMA = 1
# The packages a built page depends on: a new version of any renders every page again.
SITE_PACKAGES = ("mkdocs", "mkdocs-material", "pymdown-extensions", "jinja2", "markdown")
PACKAGE_ROOT = Path(__file__).resolve().parent


@dataclass(frozen=True)
class VersionStamps:
    """What every cache kbgen keeps was made by: a cache stamped otherwise is ignored and made again."""

    kbgen: str  # kbgen's version
    code: str  # kbgen's own files (code, templates, string tables: names, sizes, times): a checkout changes without a version bump
    schema: int = CACHE_SCHEMA

    @property
    def key(self) -> str:
        """One digest of the stamps, for caches that store a single key."""
        return hashlib.sha256(f"{self.kbgen}\n{self.code}\n{self.schema}".encode()).hexdigest()

    def site_packages(self) -> tuple[tuple[str, str], ...]:
        """(name, installed version) of MkDocs, Material, pymdown-extensions and the other packages pages are built with."""
        return site_package_versions()


@dataclass(frozen=True)
class Project:
    """One help-center project: mkdocs.yml's folder, its docs folder, kbgen's cache folder and the plugin's options."""

    root: Path
    docs_dir: Path
    cache_dir: Path
    config_file: Path | None = None  # None: no mkdocs.yml, the defaults apply
    settings: Mapping[str, Any] = field(default_factory=dict)  # the kbgen plugin's options as written in mkdocs.yml

    @classmethod
    def load(cls, config_file: Path | None = None) -> Project:
        """The project of ``config_file`` (default ./mkdocs.yml); without that file, ./content and ./.kbgen."""
        path = Path(config_file or CONFIG_FILE)
        if not path.is_file():
            root = path.parent
            return cls(root, root / FALLBACK_DOCS_DIR, root / DEFAULT_CACHE_DIR)
        config = read_config(path)
        settings = plugin_settings(config)
        root = path.parent
        return cls(
            root,
            root / str(config.get("docs_dir") or DEFAULT_DOCS_DIR),
            root / str(settings.get("cache_dir") or DEFAULT_CACHE_DIR),
            path,
            settings,
        )

    @classmethod
    def of_mkdocs(cls, config: Any, cache_dir: str = DEFAULT_CACHE_DIR, settings: Mapping[str, Any] | None = None) -> Project:
        """The project of a loaded MkDocs config (what the plugin sees): the same paths ``load`` gives the CLI."""
        config_file = Path(config.config_file_path) if config.config_file_path else None
        root = config_file.parent if config_file is not None else Path(".")
        return cls(root, Path(config.docs_dir), root / cache_dir, config_file, dict(settings or {}))

    def for_content(self, content_dir: Path) -> Project:
        """This project with ``content_dir`` as docs folder; content outside the root keeps its cache beside it."""
        if self.config_file is not None and content_dir.resolve().is_relative_to(self.root.resolve()):
            return replace(self, docs_dir=content_dir)
        return Project(content_dir.parent, content_dir, content_dir.parent / DEFAULT_CACHE_DIR)

    def cache_path(self, name: str) -> Path:
        """Where the cache file or folder ``name`` lives."""
        return self.cache_dir / name

    @property
    def stamps(self) -> VersionStamps:
        """The version stamps every cache of this project keys on."""
        return version_stamps()


@functools.lru_cache(maxsize=1)
def version_stamps() -> VersionStamps:
    """kbgen's version stamps, read once per process."""
    from kbgen import __version__  # noqa: PLC0415 - the package's own module, already imported

    # kbgen.__version__ rather than the installed metadata: reading metadata costs a tenth of a second at start-up.
    return VersionStamps(__version__, _code_digest(), CACHE_SCHEMA)


@functools.lru_cache(maxsize=1)
def site_package_versions() -> tuple[tuple[str, str], ...]:
    return tuple((name, installed_version(name)) for name in SITE_PACKAGES)


def installed_version(name: str) -> str:
    """The installed version of distribution ``name``; "" if it is not installed."""
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415 - only caches pay for it

    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def tree_signature(root: Path, pattern: str = "*") -> list[tuple[str, int, int]]:
    """(path, size, mtime) of every file under ``root`` matching ``pattern``, skipping hidden folders and byte code."""
    signature = []
    for directory, folders, names in os.walk(root):
        folders[:] = sorted(folder for folder in folders if not folder.startswith((".", "__pycache__")))
        for name in sorted(names):
            path = Path(directory, name)
            if path.match(pattern):
                stat = path.stat()
                signature.append((path.relative_to(root).as_posix(), stat.st_size, stat.st_mtime_ns))
    return signature


def _code_digest() -> str:
    return hashlib.sha256(repr(tree_signature(PACKAGE_ROOT)).encode("utf-8", "surrogatepass")).hexdigest()


def find_config(config_file: Path | None) -> Path:
    """The MkDocs config to build (default ./mkdocs.yml); a KbgenError if there is none."""
    path = Path(config_file or CONFIG_FILE)
    if not path.is_file():
        raise KbgenError(str(path), "MkDocs config not found", hint="run kbgen in the folder that holds mkdocs.yml, pass --config-file, or create a site with 'kbgen init'")
    return path


def read_config(path: Path) -> dict[str, Any]:
    """The top-level settings of an MkDocs config, with ``!ENV`` resolved and other tags (``!!python/name:``) as None.

    Only paths and kbgen's options are read from it; MkDocs itself validates the rest when it builds.
    """
    import yaml  # noqa: PLC0415 - only commands that read the project pay for it

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_config_loader())  # noqa: S506 - a SafeLoader subclass
    except OSError as error:
        raise KbgenError(str(path), f"cannot read the MkDocs config ({error.strerror or error})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise KbgenError(str(path), f"the MkDocs config is not valid YAML: {getattr(error, 'problem', None) or error}", line=mark.line + 1 if mark else 1) from None
    return data if isinstance(data, dict) else {}


def plugin_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """The kbgen plugin's options in ``plugins:`` (a list of names or one-key mappings, or a mapping)."""
    plugins = config.get("plugins") or []
    entries = plugins.items() if isinstance(plugins, Mapping) else ((next(iter(entry.items())) if isinstance(entry, Mapping) and entry else (entry, None)) for entry in plugins)
    for name, options in entries:
        if name == PLUGIN_NAME:
            return dict(options) if isinstance(options, Mapping) else {}
    return {}


def unsafe_content(docs_dir: Path) -> list[KbgenError]:
    """Every symlink under ``docs_dir`` that leaves it and every non-regular file, named as seen from the current folder."""
    shown = os.path.relpath(docs_dir)
    return [replace(error, path=f"{shown}/{error.path}") for error in unsafe_files(Path(docs_dir))]


@functools.lru_cache(maxsize=1)
def _config_loader() -> type:
    import yaml  # noqa: PLC0415
    import yaml_env_tag  # noqa: PLC0415 - MkDocs' own !ENV tag (a dependency of mkdocs)

    class ConfigLoader(yaml.SafeLoader):
        """MkDocs' YAML: ``!ENV`` as MkDocs reads it; any other tag stands for a value kbgen does not need."""

    ConfigLoader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)
    ConfigLoader.add_multi_constructor("", lambda _loader, _suffix, _node: None)
    ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda _loader, _suffix, _node: None)
    return ConfigLoader
