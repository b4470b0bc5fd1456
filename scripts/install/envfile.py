"""environment.yml -> an EnvSpec; the same list mapped to PyPI requirements for the uv/pip path.

environment.yml is the single source of truth for what `nox -s install` puts in the environment:
conda-like backends take its conda specs as written, the uv/pip fallback takes
`pypi_requirements(spec)`, derived here through one small mapping of conda-forge names to PyPI
names. There is no second, hand-kept package list.

Parsing uses ruamel.yaml's round-trip loader: it builds only plain data (maps, lists, strings;
never arbitrary Python objects) and keeps line numbers, so every error names the file and line.
Each dependency is validated with py-rattler's MatchSpec, as conda would read it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

# conda-forge name -> PyPI name, where they differ. Names not listed are the same on both sides
# (numpy, rich, packaging, ...).
PYPI_NAMES: dict[str, str] = {
    "pytorch": "torch",  # conda-forge/pytorch-cpu-feedstock builds `pytorch` from PyPI's `torch`
    "pytorch-cpu": "torch",
    "pytorch-gpu": "torch",
    "matplotlib-base": "matplotlib",
    "py-opencv": "opencv-python",
    "expecttest": "expecttest",  # same name; torch's testing internals (verify ops) import it
}

# Conda packages with no PyPI counterpart: the interpreter itself (the uv/pip path picks one, see
# `python_specifier`), conda's own tooling, and native libraries that wheels bundle instead.
CONDA_ONLY: frozenset[str] = frozenset(
    {
        "python",
        "pip",
        "llvm-openmp",
        "libblas",
        "libcblas",
        "liblapack",
        "blas",
        "mkl",
        "nomkl",
        "libtorch",
        "cuda-version",
    }
)


class EnvFileError(Exception):
    """environment.yml cannot be used. `one_line()` is what the user sees."""

    def __init__(self, path: Path | str, line: int | None, message: str, fix: str) -> None:
        super().__init__(message)
        self.path = Path(path)
        self.line = line
        self.message = message
        self.fix = fix

    def one_line(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.message}. Fix: {self.fix}"


@dataclass(frozen=True)
class Dependency:
    """One conda dependency: the spec as written, its normalized name, its line (1-based)."""

    spec: str
    name: str
    line: int


@dataclass(frozen=True)
class EnvSpec:
    path: Path
    sha256: str
    name: str | None
    channels: tuple[str, ...]
    dependencies: tuple[Dependency, ...]
    pip: tuple[str, ...]
    platforms: tuple[str, ...]

    @property
    def conda_specs(self) -> list[str]:
        return [dep.spec for dep in self.dependencies]

    def line_of(self, package: str) -> int | None:
        """The line where `package` (conda or PyPI name) is requested, for error messages."""
        wanted = package.lower()
        for dep in self.dependencies:
            if wanted in {dep.name, PYPI_NAMES.get(dep.name, dep.name)}:
                return dep.line
        return None


def load(path: Path | str) -> EnvSpec:
    """Read and validate an environment file. Raises EnvFileError (file and line) when unusable."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise EnvFileError(
            path,
            None,
            f"cannot read it ({err.strerror})",
            "run from the project root or pass --file PATH",
        ) from None
    return parse(data, path)


def parse(data: bytes, path: Path | str = "environment.yml") -> EnvSpec:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    path = Path(path)
    yaml = YAML(typ="rt", pure=True)
    try:
        doc = yaml.load(data)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(str(err.problem or err.context or "invalid YAML").split())
        raise EnvFileError(
            path, line, f"invalid YAML: {problem}", "correct the YAML syntax on that line"
        ) from None
    except YAMLError as err:
        # e.g. ruamel's ReaderError (a NUL byte, bad UTF-8) spans two lines: keep it on one
        reason = " ".join(str(err).split())
        raise EnvFileError(
            path, None, f"invalid YAML: {reason}", "correct the YAML syntax"
        ) from None
    except (TypeError, ValueError, RecursionError, AssertionError) as err:
        # ruamel's round-trip loader fails outside YAMLError on some valid-looking documents,
        # e.g. a mapping used as a key (`? {a: [1]}`): TypeError unhashable type; a comment
        # before a block scalar indicator with a comment of its own (`# c` then `| #`) trips
        # its own `assert self._comment[1] is None` (ruamel/yaml/tokens.py, found by the
        # environment-file mutation test in tests/test_badinput.py)
        raise EnvFileError(
            path,
            None,
            f"invalid YAML: unsupported structure ({type(err).__name__}: {first_line(err)})",
            "write plain `key: value` mappings and `- item` lists",
        ) from None

    if not isinstance(doc, dict):
        raise EnvFileError(
            path,
            1,
            "expected a mapping with `channels:` and `dependencies:`",
            "start from the project's environment.yml",
        )
    channels = _string_list(doc, "channels", path, required=False)
    platforms = _string_list(doc, "platforms", path, required=False)
    _check_platforms(doc, platforms, path)
    deps, pip = _dependencies(doc, path)
    name = doc.get("name")
    return EnvSpec(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        name=str(name) if name is not None else None,
        channels=tuple(channels),
        dependencies=tuple(deps),
        pip=tuple(pip),
        platforms=tuple(platforms),
    )


def _line(container, key_or_index) -> int | None:
    """1-based line of a key (mapping) or item (sequence) from ruamel's round-trip data."""
    lc = getattr(container, "lc", None)
    if lc is None:
        return None
    try:
        pos = lc.key(key_or_index) if isinstance(key_or_index, str) else lc.item(key_or_index)
    except (KeyError, IndexError, TypeError):
        return None
    if not pos:  # ruamel answers None for a key the mapping does not have (`{}`)
        return None
    return pos[0] + 1


def _string_list(doc, key: str, path: Path, *, required: bool) -> list[str]:
    value = doc.get(key)
    if value is None:
        if required:
            raise EnvFileError(path, None, f"missing `{key}:`", f"add a `{key}:` list")
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EnvFileError(
            path,
            _line(doc, key),
            f"`{key}:` must be a list of strings",
            f"write `{key}:` as a YAML list, one `- item` per line",
        )
    return [str(v) for v in value]


def _check_platforms(doc, platforms: list[str], path: Path) -> None:
    from rattler import Subdir

    for index, name in enumerate(platforms):
        try:
            Subdir(name)
        except Exception:
            raise EnvFileError(
                path,
                _line(doc["platforms"], index),
                f"unknown platform {name!r}",
                "use conda subdir names such as osx-arm64, linux-64, win-64",
            ) from None


def match_spec(text: str):
    """Parse a conda spec as conda does, then re-check its canonical form strictly.

    Strict parsing alone refuses conda's own `name=version=build` form; lenient parsing alone
    accepts garbage such as `py torch>`. Lenient, then strict on the canonical string, gives both.
    """
    from rattler import MatchSpec

    return MatchSpec(str(MatchSpec(text, strict=False)), strict=True)


def _dependencies(doc, path: Path) -> tuple[list[Dependency], list[str]]:
    raw = doc.get("dependencies")
    if not isinstance(raw, list) or not raw:
        raise EnvFileError(
            path,
            _line(doc, "dependencies"),
            "`dependencies:` must be a non-empty list",
            "list the packages under `dependencies:`, one `- spec` per line",
        )
    deps: list[Dependency] = []
    pip: list[str] = []
    for index, item in enumerate(raw):
        line = _line(raw, index)
        if isinstance(item, dict) and set(item) == {"pip"} and isinstance(item["pip"], list):
            pip.extend(_pip_requirements(item["pip"], path, line))
            continue
        if not isinstance(item, str):
            raise EnvFileError(
                path,
                line,
                f"dependency {item!r} is not a package spec",
                "write each dependency as a string like `numpy >=1.26`",
            )
        try:
            spec = match_spec(item)
        except Exception as err:
            reason = first_line(err)
            raise EnvFileError(
                path,
                line,
                f"invalid package spec {item!r} ({reason})",
                "write it as conda reads it, e.g. `pytorch >=2.6`",
            ) from None
        if spec.name is None:
            raise EnvFileError(
                path,
                line,
                f"package spec {item!r} has no name",
                "start the spec with the package name",
            )
        deps.append(Dependency(spec=str(item).strip(), name=spec.name.normalized, line=line or 0))
    return deps, pip


def first_line(err: BaseException) -> str:
    """An exception's message as one line (packaging and rattler add caret diagrams below)."""
    lines = str(err).strip().splitlines()
    return lines[0].strip() if lines else type(err).__name__


def _pip_requirements(items: list, path: Path, line: int | None) -> list[str]:
    out = []
    for item in items:
        try:
            Requirement(str(item))
        except InvalidRequirement as err:
            raise EnvFileError(
                path,
                line,
                f"invalid pip requirement {item!r} ({first_line(err)})",
                "write it as pip reads it, e.g. `package>=1.0`",
            ) from None
        out.append(str(item))
    return out


# --- conda spec -> PyPI requirement ------------------------------------------------------------

_CONSTRAINT = re.compile(r"^(==|!=|>=|<=|~=|>|<|=)?\s*([0-9A-Za-z_.*+!-]+)$")


def conda_version_to_pep440(version: str) -> str:
    """A conda version spec ('>=2.6,<3', '2.6.*', '==1.26') as a PEP 440 specifier string.

    conda's `|` (or) has no PEP 440 equivalent: ValueError, with the spec in the message.
    """
    if "|" in version:
        raise ValueError(f"conda version spec {version!r} uses `|`, which pip cannot express")
    parts = []
    for raw in version.split(","):
        item = raw.strip()
        match = _CONSTRAINT.match(item)
        if not match:
            raise ValueError(f"conda version spec {version!r} has no PyPI equivalent")
        op, ver = match.group(1) or "", match.group(2)
        if op in ("", "=", "=="):
            # conda: `2.6` and `==2.6` are exact, `=2.6` and `2.6.*` are prefix matches
            if op == "=" and not ver.endswith("*"):
                ver += ".*"
            parts.append(f"=={ver}")
        else:
            parts.append(f"{op}{ver}")
    return ",".join(parts)


def pypi_name(conda_name: str) -> str | None:
    """The PyPI project for a conda-forge package, or None when it has no PyPI counterpart."""
    if conda_name in CONDA_ONLY or conda_name.startswith("__"):
        return None
    return PYPI_NAMES.get(conda_name, conda_name)


def pypi_requirements(spec: EnvSpec) -> list[str]:
    """The environment's packages as PyPI requirements (for uv / pip), then its `pip:` entries.

    Build strings and channel prefixes are conda-only and dropped; versions are translated.
    """
    reqs: list[str] = []
    for dep in spec.dependencies:
        name = pypi_name(dep.name)
        if name is None:
            continue
        reqs.append(_pypi_requirement(spec, dep, name))
    return [*reqs, *spec.pip]


def _pypi_requirement(spec: EnvSpec, dep: Dependency, name: str) -> str:
    return str(Requirement(f"{name}{_pep440_specifier(spec, dep, name)}"))


def _pep440_specifier(spec: EnvSpec, dep: Dependency, name: str) -> str:
    """The dependency's version as a PEP 440 specifier (in the file's order), or EnvFileError at
    its line. A spec conda accepts can still have no pip form (`0 <a`, `numpy 1.*|2.*`)."""
    version = match_spec(dep.spec).version
    try:
        specifier = conda_version_to_pep440(str(version)) if version is not None else ""
        Requirement(f"{name}{specifier}")  # packaging's InvalidRequirement is a ValueError too
    except ValueError as err:
        raise EnvFileError(
            spec.path,
            dep.line or None,
            f"{dep.spec!r} has no PyPI form ({first_line(err)})",
            "write the version as a simple range like `>=2.6,<3`",
        ) from None
    return specifier


def python_specifier(spec: EnvSpec) -> str:
    """The PEP 440 specifier of the `python` dependency ('' when unconstrained or absent).

    EnvFileError (with the line) when it has no PEP 440 form.
    """
    for dep in spec.dependencies:
        if dep.name == "python":
            return _pep440_specifier(spec, dep, "python")
    return ""
