"""Bring the pytorch recipes up to a torch release on PyPI.

    python -m scripts.recipes.bump [--version X] [--check] [--index-url URL] [--source-url TEMPLATE]

- Reads PyPI's JSON API for torch (scripts.recipes.pypi: timeouts, retries), picks the release's
  macOS arm64 wheels (one per CPython; free-threaded builds left out) and the upstream source
  tarball.
- Wheels: URL (on files.pythonhosted.org) and PyPI's sha256; run requirements from each wheel's
  own METADATA (PEP 658 ``<wheel>.metadata``), markers evaluated for macOS arm64 per Python;
  the minimum macOS from the wheels' platform tags (packaging).
- Source: torch has no sdist on PyPI; the release tarball with submodules is
  ``https://github.com/pytorch/pytorch/releases/download/vX/pytorch-vX.tar.gz`` (the URL
  conda-forge uses). Its sha256 is computed by streaming the download, with a progress bar.
  ``--source-url`` (or $TORCH_MPS_SOURCE_URL) changes where it is downloaded from, not the URL
  written in the recipe.
- Edits recipes/pytorch-mps and recipes/pytorch-mps-wheel (recipe.yaml, variants.yaml) with a
  ruamel.yaml round trip that keeps comments and layout; everything is fetched and checked
  first, then each file is written atomically. Any error leaves the recipes untouched.
- ``--check``: report only; exit 1 when a recipe is behind the target release.

Exit codes: 0 done / up to date, 1 behind (--check), 2 a download, API or input error (one line).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email.parser import HeaderParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from packaging.markers import UndefinedComparison, UndefinedEnvironmentName, default_environment
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from scripts.recipes.pypi import PyPIClient, PyPIError, RangeFile, add_client_options, client_from
from scripts.recipes.refresh_compat import MacWheel, mac_wheels
from verify import atomic
from verify.cliargs import OneLineParser

PROJECT = "torch"
ROOT = Path(__file__).resolve().parents[2]
RECIPES_DIR = ROOT / "recipes"
SOURCE_RECIPE = "pytorch-mps"
WHEEL_RECIPE = "pytorch-mps-wheel"
# The tarball with submodules (conda-forge/pytorch-cpu-feedstock recipe/meta.yaml).
SOURCE_URL = (
    "https://github.com/pytorch/pytorch/releases/download/v{version}/pytorch-v{version}.tar.gz"
)
SOURCE_URL_ENV = "TORCH_MPS_SOURCE_URL"
# Where the wheels are written to live in the recipes: PyPI's public file host. The path below
# /packages/ is the same on PyPI and on mirrors that rewrite the host.
FILES_HOST = "https://files.pythonhosted.org/packages/"
# PyPI project names whose conda-forge package is spelled differently.
CONDA_NAMES = {"typing-extensions": "typing_extensions"}

MAX_METADATA_BYTES = 1 << 20  # torch's METADATA is ~4 KB; a bigger one is not a wheel's
_SHA256 = re.compile(r"[0-9a-f]{64}")

EXIT_OK = 0
EXIT_BEHIND = 1
EXIT_ERROR = 2


class BumpError(Exception):
    """An input or consistency problem, as one line (exit code 2)."""

    exit_code = EXIT_ERROR


@dataclass(frozen=True)
class Wheel:
    python: str  # "3.12"
    filename: str
    url: str  # where the recipe says to fetch it (files.pythonhosted.org)
    fetch_url: str  # where this run fetched metadata from (the index's own URL)
    sha256: str
    macos_min: tuple[int, int]


@dataclass(frozen=True)
class Release:
    version: str
    wheels: tuple[Wheel, ...]

    @property
    def pythons(self) -> list[str]:
        return [w.python for w in self.wheels]

    @property
    def macos_min(self) -> str:
        """The newest of the wheels' minimum macOS: every wheel of the package installs there."""
        major, minor = max(w.macos_min for w in self.wheels)
        return f"{major}.{minor}"


@dataclass
class Update:
    """What the bump will write, computed before anything is written."""

    version: str
    macos_min: str
    source_sha256: str | None
    run_requirements: list[Any] = field(default_factory=list)
    release: Release | None = None
    license: str | None = None  # the wheels' License-Expression (None: METADATA has none)


# ---------------------------------------------------------------- YAML round trip


def yaml_rt() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long lines (URLs, test scripts)
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load_yaml(path: Path) -> Any:
    try:
        return yaml_rt().load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BumpError(f"{path} is missing") from None
    except OSError as exc:
        raise BumpError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise BumpError(f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except YAMLError as exc:
        raise BumpError(f"{path} is not valid YAML: {' '.join(str(exc).split())}") from None
    except (TypeError, ValueError, RecursionError) as exc:
        # ruamel's round-trip loader fails outside YAMLError on e.g. a mapping used as a key
        reason = " ".join(str(exc).split())
        raise BumpError(f"{path} is not valid YAML: {type(exc).__name__}: {reason}") from None


def dump_yaml(data: Any) -> str:
    buffer = io.StringIO()
    yaml_rt().dump(data, buffer)
    return buffer.getvalue()


def _quoted(value: str) -> DoubleQuotedScalarString:
    return DoubleQuotedScalarString(value)


# ---------------------------------------------------------------- PyPI side


def python_of(wheel: MacWheel) -> str | None:
    """ "3.12" for a cp312 CPython wheel; None for free-threaded (cp313t) or other interpreters."""
    tag = wheel.python_tag
    if not tag.startswith("cp") or tag.endswith("t") or not tag[2:].isdigit():
        return None
    return f"{tag[2]}.{tag[3:]}"


def public_url(url: str) -> str:
    """The files.pythonhosted.org URL of a PyPI file, from whatever host served the JSON."""
    path = urlsplit(url).path
    marker = "/packages/"
    if marker not in path:
        return url
    tail = path.rsplit(marker, 1)[1]
    return FILES_HOST + tail


def pick_release(index: Mapping[str, Any], version: str, index_url: str) -> Release:
    """The macOS arm64 CPython wheels of ``version`` from the project JSON.

    The document comes from a server: every field is checked before use, and anything unexpected
    is a one-line BumpError naming the index (never a KeyError or AttributeError).
    """
    releases = index.get("releases")
    if not isinstance(releases, Mapping):
        raise BumpError(f"malformed JSON from {index_url}: no 'releases' mapping")
    files = releases.get(version)
    if not files:
        raise BumpError(f"torch {version} is not on {index_url}")
    if not isinstance(files, list):
        raise BumpError(f"malformed JSON from {index_url}: releases[{version!r}] is not a list")
    wheels: dict[str, Wheel] = {}
    for entry in files:
        if not isinstance(entry, Mapping):
            raise BumpError(f"malformed JSON from {index_url}: a {version} file is not an object")
        if entry.get("packagetype") != "bdist_wheel" or entry.get("yanked"):
            continue
        filename = entry.get("filename")
        if not isinstance(filename, str):
            raise BumpError(f"malformed JSON from {index_url}: a {version} file has no filename")
        for tag in mac_wheels(filename):
            python = python_of(tag)
            if tag.arch != "arm64" or python is None:
                continue
            digests = entry.get("digests")
            sha = digests.get("sha256") if isinstance(digests, Mapping) else None
            if not sha:
                raise BumpError(f"{filename} has no sha256 digest in {index_url}")
            if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
                raise BumpError(f"{filename} has a malformed sha256 digest in {index_url}")
            try:
                fetch_url = urljoin(index_url, entry["url"])
            except (KeyError, TypeError, ValueError):
                raise BumpError(f"{filename} has no usable url in {index_url}") from None
            wheels[python] = Wheel(
                python, filename, public_url(fetch_url), fetch_url, sha, tag.macos_min
            )
    if not wheels:
        raise BumpError(f"torch {version} has no macOS arm64 CPython wheel on {index_url}")
    ordered = sorted(wheels.values(), key=lambda w: Version(w.python))
    return Release(version, tuple(ordered))


def latest_version(index: Mapping[str, Any], index_url: str) -> str:
    info = index.get("info")
    version = info.get("version") if isinstance(info, Mapping) else None
    if not isinstance(version, str) or not version:
        raise BumpError(f"malformed JSON from {index_url}: no info.version")
    return version


def wheel_metadata(client: PyPIClient, wheel: Wheel) -> str:
    """The wheel's METADATA: PyPI's PEP 658 ``<wheel>.metadata`` file, or, where the index has
    none (404), the METADATA member read out of the remote wheel with HTTP Range requests."""
    try:
        return client.get_text(wheel.fetch_url + ".metadata")
    except PyPIError as exc:
        if exc.status != 404:
            raise
    remote = RangeFile(client, wheel.fetch_url)
    try:
        with zipfile.ZipFile(remote) as archive:
            names = [
                n
                for n in archive.namelist()
                if n.count("/") == 1 and n.endswith(".dist-info/METADATA")
            ]
            if len(names) != 1:
                raise BumpError(
                    f"{wheel.filename} has {len(names)} .dist-info/METADATA files, expected 1"
                )
            if archive.getinfo(names[0]).file_size > MAX_METADATA_BYTES:
                raise BumpError(f"{wheel.filename}: METADATA is larger than 1 MB; not a wheel")
            return archive.read(names[0]).decode("utf-8")
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        UnicodeDecodeError,
        NotImplementedError,  # a compression method zipfile does not know
        RuntimeError,  # an encrypted member
        EOFError,
        ValueError,
        zlib.error,
    ) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise BumpError(f"cannot read METADATA from {wheel.fetch_url}: {reason}") from None


def macos_arm64_environment(python: str) -> dict[str, str]:
    """PEP 508 marker values of CPython ``python`` on macOS arm64."""
    env = default_environment()
    env.update(
        {
            "sys_platform": "darwin",
            "platform_system": "Darwin",
            "os_name": "posix",
            "platform_machine": "arm64",
            "implementation_name": "cpython",
            "platform_python_implementation": "CPython",
            "python_version": python,
            "python_full_version": f"{python}.0",
            "extra": "",
        }
    )
    return env


def conda_spec(requirement: Requirement) -> str:
    name = canonicalize_name(requirement.name)
    name = CONDA_NAMES.get(name, name)
    spec = str(requirement.specifier)
    return f"{name} {spec}" if spec else name


def requirements_for(metadata_text: str, python: str) -> list[str]:
    """conda specs for the Requires-Dist lines that apply on macOS arm64 with ``python``."""
    headers = HeaderParser().parsestr(metadata_text)
    env = macos_arm64_environment(python)
    specs = []
    for line in headers.get_all("Requires-Dist") or []:
        try:
            requirement = Requirement(line)
            applies = requirement.marker is None or requirement.marker.evaluate(env)
        except (InvalidRequirement, UndefinedComparison, UndefinedEnvironmentName) as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BumpError(f"cannot parse Requires-Dist {line!r}: {reason}") from None
        if applies:
            specs.append(conda_spec(requirement))
    return specs


def license_expression(metadata_text: str) -> str | None:
    """The PEP 639 License-Expression of a METADATA text (None when it has none)."""
    value = HeaderParser().parsestr(metadata_text).get("License-Expression")
    return " ".join(value.split()) if value and value.strip() else None


def merge_requirements(per_python: Mapping[str, list[str]]) -> list[Any]:
    """One run list for all Python variants: specs every Python needs stay plain; the rest get
    an ``if: match(python, ...)`` block (v1 recipe conditional)."""
    pythons = list(per_python)
    order: list[str] = []
    for specs in per_python.values():
        order += [s for s in specs if s not in order]
    merged: list[Any] = []
    for spec in order:
        having = [p for p in pythons if spec in per_python[p]]
        if len(having) == len(pythons):
            merged.append(spec)
        else:
            condition = " or ".join(f'match(python, "{p}.*")' for p in having)
            merged.append(CommentedMap([("if", condition), ("then", spec)]))
    return merged


# ---------------------------------------------------------------- recipe side


@dataclass
class RecipeFiles:
    """The recipe documents, loaded once, edited in memory, written at the end."""

    directory: Path
    recipe: Any
    variants: Any
    recipe_text: str
    variants_text: str

    @classmethod
    def load(cls, directory: Path) -> RecipeFiles:
        recipe_path, variants_path = directory / "recipe.yaml", directory / "variants.yaml"
        recipe, variants = load_yaml(recipe_path), load_yaml(variants_path)
        for path, doc in ((recipe_path, recipe), (variants_path, variants)):
            if not isinstance(doc, CommentedMap):
                raise BumpError(f"{path} is not a YAML mapping")
        context = recipe.get("context")
        if not isinstance(context, CommentedMap) or "version" not in context:
            raise BumpError(f"{recipe_path} has no context.version")
        return cls(
            directory,
            recipe,
            variants,
            recipe_path.read_text(encoding="utf-8"),
            variants_path.read_text(encoding="utf-8"),
        )

    @property
    def version(self) -> str:
        return str(self.recipe["context"]["version"])

    def rendered(self) -> dict[Path, str]:
        return {
            self.directory / "recipe.yaml": dump_yaml(self.recipe),
            self.directory / "variants.yaml": dump_yaml(self.variants),
        }


def check_shape(files: RecipeFiles, *, wheel: bool) -> None:
    """What the bump edits must be there, in the shape it edits, before anything is fetched:
    a recipe edited by hand fails here in one line, never half-way with a TypeError."""
    where = files.directory / "recipe.yaml"
    source = files.recipe.get("source")
    if wheel and not isinstance(source, CommentedSeq):
        raise BumpError(f"{where}: source is not a list of per-Python wheel entries")
    if not wheel and not (isinstance(source, CommentedMap) and "sha256" in source):
        raise BumpError(f"{where}: source has no sha256")
    _run_list(files.recipe, where)
    context = files.recipe.get("context")
    if not isinstance(context, CommentedMap) or "license" not in context:
        raise BumpError(f"{where}: context has no license (the about.license it feeds)")


def _run_list(recipe: CommentedMap, where: Path) -> CommentedSeq:
    requirements = recipe.get("requirements")
    run = requirements.get("run") if isinstance(requirements, CommentedMap) else None
    if not isinstance(run, CommentedSeq):
        raise BumpError(f"{where} has no requirements.run list")
    if not any(isinstance(item, str) and item.startswith("__osx") for item in run):
        raise BumpError(
            f"{where}: requirements.run has no '__osx >=...' entry to anchor the update"
        )
    return run


def replace_run_requirements(recipe: CommentedMap, specs: list[Any], where: Path) -> None:
    """Replace the wheel-derived run requirements: every entry after ``__osx ...``."""
    run = _run_list(recipe, where) if isinstance(recipe, CommentedMap) else None
    if not isinstance(run, CommentedSeq):
        raise BumpError(f"{where} has no requirements.run list")
    anchor = next(
        (i for i, item in enumerate(run) if isinstance(item, str) and item.startswith("__osx")),
        None,
    )
    if anchor is None:
        raise BumpError(
            f"{where}: requirements.run has no '__osx >=...' entry to anchor the update"
        )
    _truncate(run, anchor + 1)
    run.extend(specs)


def _truncate(seq: CommentedSeq, length: int) -> None:
    """Drop items from ``length`` on, keeping the comments attached to the items that stay
    (ruamel's item deletion loses them)."""
    kept = {i: token for i, token in seq.ca.items.items() if i < length}
    while len(seq) > length:
        seq.pop()
    seq.ca.items.clear()
    seq.ca.items.update(kept)


def set_pythons(variants: CommentedMap, pythons: Sequence[str]) -> None:
    current = variants.get("python")
    new = [_quoted(p) for p in pythons]
    if isinstance(current, CommentedSeq):
        _truncate(current, 0)
        current.extend(new)
    else:
        variants["python"] = CommentedSeq(new)


def _source_item(wheel: Wheel) -> CommentedMap:
    then = CommentedMap(
        [("url", wheel.url), ("sha256", wheel.sha256), ("file_name", wheel.filename)]
    )
    return CommentedMap([("if", f'match(python, "{wheel.python}.*")'), ("then", then)])


def update_wheel_sources(recipe: CommentedMap, release: Release, where: Path) -> None:
    """Rewrite the per-Python wheel entries in place (keeping the list's comments)."""
    sources = recipe.get("source")
    if not isinstance(sources, CommentedSeq):
        raise BumpError(f"{where}: source is not a list of per-Python wheel entries")
    by_python = {w.python: w for w in release.wheels}
    kept: list[CommentedMap] = []
    for item in sources:
        python = _python_of_condition(item.get("if", "")) if isinstance(item, Mapping) else None
        wheel = by_python.pop(python, None) if python else None
        if wheel is None or not isinstance(item.get("then"), CommentedMap):
            continue
        item["then"]["url"] = wheel.url
        item["then"]["sha256"] = wheel.sha256
        item["then"]["file_name"] = wheel.filename
        kept.append(item)
    kept += [_source_item(w) for w in by_python.values()]
    kept.sort(key=lambda item: Version(_python_of_condition(item["if"]) or "0"))
    # The blank line(s) after the list belong to its last entry in ruamel: keep them at the end.
    trailing = _pop_trailing(sources[-1]) if len(sources) else None
    _truncate(sources, 0)
    sources.extend(kept)
    if trailing is not None and len(sources):
        _set_trailing(sources[-1], trailing)


def _last_key_node(node: Any) -> tuple[Any, Any] | None:
    """The innermost (container, key) holding the last scalar of ``node``."""
    while True:
        if isinstance(node, CommentedMap) and len(node):
            key = list(node)[-1]
            if isinstance(node[key], CommentedMap | CommentedSeq) and len(node[key]):
                node = node[key]
                continue
            return node, key
        if isinstance(node, CommentedSeq) and len(node):
            index = len(node) - 1
            if isinstance(node[index], CommentedMap | CommentedSeq) and len(node[index]):
                node = node[index]
                continue
            return node, index
        return None


def _pop_trailing(node: Any) -> Any:
    """Remove and return the comment after the last scalar of ``node`` (or None)."""
    found = _last_key_node(node)
    if found is None:
        return None
    container, key = found
    slot = 2 if isinstance(container, CommentedMap) else 0
    entry = container.ca.items.get(key)
    if not entry or entry[slot] is None:
        return None
    token, entry[slot] = entry[slot], None
    return token


def _set_trailing(node: Any, token: Any) -> None:
    found = _last_key_node(node)
    if found is None:
        return
    container, key = found
    slot = 2 if isinstance(container, CommentedMap) else 0
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    entry[slot] = token


def _python_of_condition(condition: str) -> str | None:
    """'3.12' from 'match(python, "3.12.*")'."""
    text = str(condition).replace(" ", "")
    prefix = 'match(python,"'
    if text.startswith(prefix) and text.endswith('.*")'):
        return text[len(prefix) : -len('.*")')]
    return None


def apply_source_update(files: RecipeFiles, update: Update) -> None:
    context = files.recipe["context"]
    context["version"] = _quoted(update.version)
    context["macos_min"] = _quoted(update.macos_min)
    source = files.recipe.get("source")
    if not isinstance(source, Mapping) or "sha256" not in source:
        raise BumpError(f"{files.directory / 'recipe.yaml'}: source has no sha256")
    if update.source_sha256 is not None:
        source["sha256"] = update.source_sha256
    if update.license is not None:
        context["license"] = _quoted(update.license)
    if "c_stdlib_version" in files.variants:
        files.variants["c_stdlib_version"] = CommentedSeq([_quoted(update.macos_min)])
    replace_run_requirements(files.recipe, update.run_requirements, files.directory / "recipe.yaml")
    if update.release is not None:
        set_pythons(files.variants, update.release.pythons)


def apply_wheel_update(files: RecipeFiles, update: Update) -> None:
    assert update.release is not None
    context = files.recipe["context"]
    context["version"] = _quoted(update.version)
    context["macos_min"] = _quoted(update.macos_min)
    if update.license is not None:
        context["license"] = _quoted(update.license)
    update_wheel_sources(files.recipe, update.release, files.directory / "recipe.yaml")
    replace_run_requirements(files.recipe, update.run_requirements, files.directory / "recipe.yaml")
    set_pythons(files.variants, update.release.pythons)


# ---------------------------------------------------------------- orchestration


ProgressFactory = Callable[[str], Callable[[int, int | None], None]]


def rich_progress(description: str) -> Callable[[int, int | None], None]:
    """A rich progress bar (on stderr) fed with (done, total) bytes."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

    progress = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = progress.add_task(description, total=None)
    progress.start()

    def advance(done: int, total: int | None) -> None:
        progress.update(task, completed=done, total=total)
        if total is not None and done >= total:
            progress.stop()

    return advance


def no_progress(description: str) -> Callable[[int, int | None], None]:
    return lambda done, total: None


def source_download_url(version: str, template: str | None) -> str:
    try:
        return (template or SOURCE_URL).format(version=version)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        raise BumpError(
            f"--source-url {template!r} is not a URL template ({type(exc).__name__}: {exc}); "
            "write it like https://host/pytorch-v{version}.tar.gz"
        ) from None


def compute_update(
    client: PyPIClient,
    release: Release,
    source: RecipeFiles,
    *,
    source_url_template: str | None,
    progress: ProgressFactory,
    verify_wheels: bool,
) -> Update:
    """Fetch what the recipes need (wheel METADATA, source sha256) and check it."""
    per_python = {}
    licenses = {}
    for wheel in release.wheels:
        metadata = wheel_metadata(client, wheel)
        per_python[wheel.python] = requirements_for(metadata, wheel.python)
        licenses[wheel.filename] = license_expression(metadata)
    if len(set(licenses.values())) > 1:
        shown = "; ".join(f"{name}: {value}" for name, value in licenses.items())
        raise BumpError(f"the wheels of {release.version} disagree on License-Expression ({shown})")
    if verify_wheels:
        for wheel in release.wheels:
            digest, _size = client.stream_sha256(wheel.fetch_url, progress(wheel.filename))
            if digest != wheel.sha256:
                raise BumpError(
                    f"sha256 mismatch for {wheel.filename}: downloaded {digest}, PyPI lists "
                    f"{wheel.sha256}; the download is corrupt or the index is wrong"
                )
    url = source_download_url(release.version, source_url_template)
    digest, _size = client.stream_sha256(url, progress(url.rsplit("/", 1)[-1]))
    pinned = str(source.recipe["source"]["sha256"])
    if release.version == source.version and digest != pinned:
        raise BumpError(
            f"sha256 mismatch for {url}: downloaded {digest}, {SOURCE_RECIPE} pins {pinned} for "
            f"the same version; the tarball changed upstream or the download is corrupt"
        )
    return Update(
        version=release.version,
        macos_min=release.macos_min,
        source_sha256=digest,
        run_requirements=merge_requirements(per_python),
        release=release,
        license=next(iter(licenses.values()), None),
    )


def check_lines(recipes: Mapping[str, RecipeFiles], target: str) -> tuple[list[str], bool]:
    lines, behind = [], False
    for name, files in recipes.items():
        try:
            is_behind = Version(files.version) < Version(target)
        except InvalidVersion:
            raise BumpError(f"{name}: context.version {files.version!r} is not a version") from None
        behind |= is_behind
        state = (
            f"behind: {files.version} -> {target} available"
            if is_behind
            else f"{files.version}, up to date"
        )
        lines.append(f"{name}: {state}")
    return lines, behind


def run(
    args: argparse.Namespace,
    client: PyPIClient,
    progress: ProgressFactory,
    echo: Callable[[str], None] = print,
) -> int:
    recipes = {
        name: RecipeFiles.load(args.recipes_dir / name) for name in (SOURCE_RECIPE, WHEEL_RECIPE)
    }
    check_shape(recipes[SOURCE_RECIPE], wheel=False)
    check_shape(recipes[WHEEL_RECIPE], wheel=True)
    index_url = client.project_url(PROJECT)
    index = client.get_json(index_url)
    target = args.version or latest_version(index, index_url)
    if args.check:
        lines, behind = check_lines(recipes, target)
        for line in lines:
            echo(line)
        return EXIT_BEHIND if behind else EXIT_OK
    release = pick_release(index, target, index_url)
    update = compute_update(
        client,
        release,
        recipes[SOURCE_RECIPE],
        source_url_template=args.source_url,
        progress=progress,
        verify_wheels=args.verify_wheels,
    )
    apply_source_update(recipes[SOURCE_RECIPE], update)
    apply_wheel_update(recipes[WHEEL_RECIPE], update)
    originals = {}
    for files in recipes.values():
        originals[files.directory / "recipe.yaml"] = files.recipe_text
        originals[files.directory / "variants.yaml"] = files.variants_text
    outputs: dict[Path, str] = {}
    for files in recipes.values():
        outputs.update(files.rendered())
    changed = {path: text for path, text in outputs.items() if text != originals[path]}
    for path, text in changed.items():
        atomic.write_text(path, text)
    pythons = ", ".join(release.pythons)
    echo(
        f"torch {target}: {len(release.wheels)} arm64 wheels (Python {pythons}), macOS >= "
        f"{release.macos_min}, source sha256 {update.source_sha256}"
    )
    if changed:
        for path in changed:
            echo(f"updated {os.path.relpath(path)}")
    else:
        echo("recipes already up to date")
    return EXIT_OK


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = OneLineParser(
        prog="python -m scripts.recipes.bump", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--version", help="torch release to move to (default: the latest on PyPI)")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when the recipes are behind; change nothing"
    )
    add_client_options(parser)
    parser.add_argument(
        "--source-url",
        default=os.environ.get(SOURCE_URL_ENV),
        help="download the source tarball from this URL template ({version}); default: GitHub",
    )
    parser.add_argument(
        "--verify-wheels", action="store_true", help="also download each wheel and check its sha256"
    )
    parser.add_argument("--recipes-dir", type=Path, default=RECIPES_DIR, help=argparse.SUPPRESS)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, *, backoff: float = 0.5) -> int:
    args = parse_args(argv)
    client = client_from(args, backoff=backoff)
    progress = no_progress if args.no_progress or not sys.stderr.isatty() else rich_progress
    try:
        return run(args, client, progress)
    except (PyPIError, BumpError) as exc:
        print(f"bump_recipe: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:  # writing a recipe failed; each file is replaced whole or not at all
        where = f" {exc.filename}" if exc.filename else ""
        print(f"bump_recipe: cannot write{where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
