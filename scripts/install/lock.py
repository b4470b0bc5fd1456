"""Lock files for fleets: `nox -s lock` solves environment.yml per platform, `nox -s install` then
installs exactly that.

Next to environment.yml, the folder `environment.lock/` holds:

    conda.lock           py-rattler's LockFile (the rattler-lock format pixi.lock uses): every
                         conda package per platform with its URL, sha256 and md5
    pypi-PLATFORM.txt    `uv pip compile --generate-hashes` of the same file's PyPI names for that
                         platform: every package pinned `==` with the sha256 of its files
    lock.json            written last: sha256 of environment.yml, the platforms, the Python of the
                         PyPI side, and per side and platform "locked" or why it is not

No solver or lock writer of our own: rattler solves and writes conda.lock, uv solves and writes the
PyPI files. A lock is fresh while lock.json's sha256 matches environment.yml; checking that reads
one small file. The PyPI side records names, versions and hashes, never where a file was found: the
same pins install from PyPI, a mirror or a find-links folder that holds a file with one of those
hashes (docs/install.md, "Lock files").
"""

from __future__ import annotations

import hashlib
import json
import os
import platform as host_platform
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scripts.install import envfile, pipconf
from scripts.install.errors import InstallError
from verify import atomic

MANIFEST = "lock.json"
CONDA_LOCK = "conda.lock"
FLEET_PLATFORMS = ("osx-arm64", "linux-64")
ENVIRONMENT = "default"  # the environment name pixi and rattler use for a single environment
LOCKED = "locked"
STALE = "lock is stale (environment.yml changed): run nox -s lock"

MACOS_TARGET = "14.0"  # the oldest macOS the lock assumes: torch >= 2.9's MPS needs 14 (compat.py)
# conda subdir -> uv's --python-platform (manylinux_2_28: what torch's Linux wheels need)
UV_PLATFORMS = {
    "osx-arm64": "aarch64-apple-darwin",
    "osx-64": "x86_64-apple-darwin",
    "linux-64": "x86_64-manylinux_2_28",
    "linux-aarch64": "aarch64-manylinux_2_28",
    "win-64": "x86_64-pc-windows-msvc",
}

# What a machine of each platform offers the conda solver (rattler only detects the host's own):
# conda-forge's pytorch picks its CPU build without `__cuda`, and its osx-arm64 build needs a
# recent `__osx`. These are the oldest the lock should assume, not this machine's.
VIRTUAL_PACKAGES = {  # (name, version, build string)
    "osx-arm64": (("__unix", "0", "0"), ("__osx", MACOS_TARGET, "0"), ("__archspec", "1", "m1")),
    "osx-64": (("__unix", "0", "0"), ("__osx", "13.0", "0"), ("__archspec", "1", "x86_64")),
    "linux-64": (("__unix", "0", "0"), ("__linux", "5.10", "0"), ("__glibc", "2.28", "0"),
                 ("__archspec", "1", "x86_64")),
    "linux-aarch64": (("__unix", "0", "0"), ("__linux", "5.10", "0"), ("__glibc", "2.28", "0"),
                      ("__archspec", "1", "aarch64")),
    "win-64": (("__win", "0", "0"), ("__archspec", "1", "x86_64")),
}  # fmt: skip


@dataclass(frozen=True)
class Manifest:
    environment_sha256: str
    platforms: tuple[str, ...]
    python: str  # the PyPI side's Python (major.minor)
    conda: Mapping[str, str] = field(default_factory=dict)  # platform -> "locked" or why not
    pypi: Mapping[str, str] = field(default_factory=dict)
    created: str = ""

    def to_json(self) -> str:
        data = {
            "schema": 1,
            "environment_sha256": self.environment_sha256,
            "platforms": list(self.platforms),
            "python": self.python,
            "conda": dict(self.conda),
            "pypi": dict(self.pypi),
            "created": self.created,
        }
        return json.dumps(data, indent=2) + "\n"


@dataclass(frozen=True)
class LockStatus:
    state: str  # "absent" | "fresh" | "stale" | "ignored"
    directory: Path
    manifest: Manifest | None = None

    @property
    def fresh(self) -> bool:
        return self.state == "fresh"

    def conda_locked(self, subdir: str) -> bool:
        return bool(self.manifest) and self.manifest.conda.get(subdir) == LOCKED  # type: ignore[union-attr]

    def pypi_file(self, subdir: str) -> Path | None:
        if self.manifest and self.manifest.pypi.get(subdir) == LOCKED:
            return self.directory / f"pypi-{subdir}.txt"
        return None


def lock_dir(env_file: Path) -> Path:
    """environment.yml -> environment.lock/ beside it."""
    return env_file.with_name(f"{env_file.stem}.lock")


def read_manifest(directory: Path) -> Manifest | None:
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        return Manifest(
            environment_sha256=str(data["environment_sha256"]),
            platforms=tuple(data["platforms"]),
            python=str(data["python"]),
            conda=dict(data.get("conda") or {}),
            pypi=dict(data.get("pypi") or {}),
            created=str(data.get("created", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def status(env_file: Path, file_sha256: str, *, ignore: bool = False) -> LockStatus:
    """Is there a lock for this file, and does it match it? Reads lock.json only."""
    directory = lock_dir(env_file)
    if ignore:
        return LockStatus("ignored", directory)
    manifest = read_manifest(directory)
    if manifest is None:
        return LockStatus("absent", directory)
    state = "fresh" if manifest.environment_sha256 == file_sha256 else "stale"
    return LockStatus(state, directory, manifest)


def stamp_material(file_sha256: str, lock: LockStatus, subdir: str) -> str:
    """What an environment installed from the lock is keyed on: environment.yml and the locked
    files for this platform (a re-lock is an update, an unchanged lock a no-op)."""
    digest = hashlib.sha256(file_sha256.encode())
    for name in (CONDA_LOCK, f"pypi-{subdir}.txt"):
        path = lock.directory / name
        if path.is_file():
            digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


HOST_SUBDIRS = {
    ("Darwin", "arm64"): "osx-arm64",
    ("Darwin", "x86_64"): "osx-64",
    ("Linux", "x86_64"): "linux-64",
    ("Linux", "aarch64"): "linux-aarch64",
    ("Windows", "AMD64"): "win-64",
}


def host_subdir(
    system: str | None = None, machine: str | None = None
) -> str:  # Rosetta: the caller's Target already says osx-arm64
    system = system or host_platform.system()
    machine = machine or host_platform.machine()
    return HOST_SUBDIRS.get((system, machine), f"{system.lower()}-{machine}")


def choose_backend(
    lock: LockStatus, subdir: str, requested: str | None, available: Mapping[str, str]
) -> tuple[str, str]:
    """Which backend installs the lock here, and the one line that says so.

    The conda side goes in with py-rattler (exactly the records; conda / mamba would solve
    again), the PyPI side with uv, else virtualenv / venv + pip. `--backend` pins a side."""
    manifest = lock.manifest
    assert manifest is not None
    conda_ok = lock.conda_locked(subdir) and "rattler" in available
    pypi_ok = lock.pypi_file(subdir) is not None
    conda_why = manifest.conda.get(
        subdir, f"{subdir} is not one of {', '.join(manifest.platforms)}"
    )
    pypi_why = manifest.pypi.get(subdir, f"{subdir} is not one of {', '.join(manifest.platforms)}")
    fix = "nox -s lock (with the channels / indexes reachable), or -- --no-lock"
    conda_side = ("conda", "mamba", "micromamba", "rattler")
    if requested in conda_side or (requested is None and conda_ok):
        if not lock.conda_locked(subdir):
            raise InstallError(f"the lock has no conda side for {subdir} ({conda_why})", fix)
        if "rattler" not in available:
            raise InstallError(
                "installing the lock's conda side needs py-rattler", 'pip install "nox[rattler]"'
            )
        note = "" if requested in (None, "rattler") else f" (not {requested}: it would solve again)"
        return "rattler", f"lock: {CONDA_LOCK} for {subdir} with py-rattler{note}"
    if not pypi_ok:
        raise InstallError(
            f"the lock has nothing to install for {subdir}: conda side {conda_why}; "
            f"PyPI side {pypi_why}",
            fix,
        )
    for backend in [requested] if requested else ["uv", "virtualenv", "venv"]:
        if backend in available:
            why = (
                ""
                if requested or lock.conda_locked(subdir)
                else f" (conda side not locked: {conda_why})"
            )
            return backend, f"lock: pypi-{subdir}.txt with {backend}{why}"
    raise InstallError(
        f"backend {requested or 'uv'} is not available to install the lock", 'pip install "nox[uv]"'
    )


def target_platforms(host: str, extra: Sequence[str] = ()) -> tuple[str, ...]:
    out: list[str] = []
    for subdir in (*FLEET_PLATFORMS, host, *extra):
        if subdir not in out:
            out.append(subdir)
    return tuple(out)


def lock_python(spec: envfile.EnvSpec, interpreter_version: str) -> str:
    """The PyPI side's Python: this one's major.minor when the file allows it, else the oldest
    3.x (x >= 10) it allows."""
    from packaging.specifiers import SpecifierSet

    wanted = SpecifierSet(envfile.python_specifier(spec) or "")
    mine = ".".join(interpreter_version.split(".")[:2])
    if wanted.contains(f"{mine}.0", prereleases=True) or wanted.contains(interpreter_version):
        return mine
    for minor in range(10, 20):
        if wanted.contains(f"3.{minor}.0", prereleases=True):
            return f"3.{minor}"
    raise InstallError(
        f"no Python 3.10+ satisfies `python {wanted}` in {spec.path.name}",
        "correct the python line of the environment file",
    )


# --- the conda side: py-rattler -----------------------------------------------------------------


def solve_conda(
    specs: Sequence[str],
    channels: Sequence[str],
    platforms: Sequence[str],
    *,
    cache_dir: Path | None = None,
) -> tuple[object | None, dict[str, str]]:
    """rattler's LockFile for the platforms it could solve, and per platform "locked" or why not
    (one line: an unreachable channel stops every platform at once)."""
    import asyncio

    from rattler import (
        BuildString,
        Gateway,
        GenericVirtualPackage,
        LockFile,
        LockPlatform,
        PackageName,
        SourceConfig,
        Version,
        solve,
    )

    gateway = Gateway(
        cache_dir=cache_dir / "repodata" if cache_dir else None,
        default_config=SourceConfig(cache_action="cache-or-fetch"),
    )

    def virtual(subdir: str) -> list:
        return [
            GenericVirtualPackage(PackageName(name), Version(version), BuildString(build))
            for name, version, build in VIRTUAL_PACKAGES.get(subdir, ())
        ]

    async def one(subdir: str) -> list:
        return await solve(
            list(channels),
            list(specs),
            gateway=gateway,
            platforms=[subdir, "noarch"],
            virtual_packages=virtual(subdir),
        )

    solved: dict[str, list] = {}
    why: dict[str, str] = {}
    for subdir in platforms:
        try:
            solved[subdir] = asyncio.run(one(subdir))
            why[subdir] = LOCKED
        except Exception as err:  # rattler raises its own exception types per failure
            why[subdir] = f"{type(err).__name__}: {envfile.first_line(err)}"
    if not solved:
        return None, why
    lock = LockFile([LockPlatform(p) for p in solved])
    lock.set_channels(ENVIRONMENT, [_lock_channel(c) for c in channels])
    for subdir, records in solved.items():
        for record in records:
            lock.add_conda_package(ENVIRONMENT, LockPlatform(subdir), record)
    return lock, why


def _lock_channel(url: str):
    from rattler import LockChannel

    return LockChannel(url)


def load_conda_records(path: Path, subdir: str) -> list:
    """The locked conda records for this platform (RepoDataRecord, ready for rattler.install)."""
    from rattler import LockFile

    environment = LockFile.from_path(path).environment(ENVIRONMENT)
    records = None
    for platform in environment.platforms() if environment else ():
        if platform.name == subdir:  # rattler wants the lock file's own platform object
            records = environment.conda_repodata_records_for_platform(platform)
    if not records:
        raise InstallError(
            f"{path} has no packages for {subdir}",
            "run nox -s lock (or -- --no-lock to solve environment.yml instead)",
        )
    return records


# --- the PyPI side: uv --------------------------------------------------------------------------


Runner = Callable[[Sequence[str], Mapping[str, str]], "tuple[int, str]"]


def run_captured(cmd: Sequence[str], env: Mapping[str, str]) -> tuple[int, str]:
    proc = subprocess.run(
        list(cmd), capture_output=True, text=True, env={**os.environ, **env}, check=False
    )
    return proc.returncode, proc.stdout if proc.returncode == 0 else proc.stderr


def compile_pypi(
    uv: str,
    requirements_in: Path,
    subdir: str,
    python: str,
    cfg: pipconf.PipIndexConfig,
    *,
    run: Runner = run_captured,
) -> tuple[str | None, str]:
    """(uv's requirements text with hashes, or None; "locked" or why not) for one platform."""
    uv_platform = UV_PLATFORMS.get(subdir)
    if uv_platform is None:
        return None, f"uv has no target for {subdir}"
    cmd = [
        uv, "pip", "compile", str(requirements_in), "--quiet", "--generate-hashes", "--no-header",
        # no "# via" lines: they would name local constraint / requirement files
        "--no-annotate",
        "--python-platform", uv_platform, "--python-version", python, *pipconf.uv_args(cfg),
    ]  # fmt: skip
    env = {**pipconf.uv_env(cfg), "UV_NO_PROGRESS": "1"}
    if subdir.startswith("osx-"):  # uv's macOS target; torch's arm64 wheels are macosx_14_0
        env["MACOSX_DEPLOYMENT_TARGET"] = MACOS_TARGET
    code, output = run(cmd, env)
    if code != 0:
        lines = [line for line in output.splitlines() if line.strip()]
        return None, "uv: " + (" ".join(lines[:3]) if lines else f"exit {code}")
    return output, LOCKED


# --- writing and reading the lock -----------------------------------------------------------------


@dataclass(frozen=True)
class LockResult:
    directory: Path
    manifest: Manifest
    lines: tuple[str, ...]  # one per side and platform, for the user


def create(
    spec: envfile.EnvSpec,
    *,
    channels: Sequence[str],
    uv: str | None,
    cfg: pipconf.PipIndexConfig,
    host: str,
    interpreter_version: str = host_platform.python_version(),
    platforms: Sequence[str] | None = None,
    cache_dir: Path | None = None,
    run: Runner = run_captured,
    conda_solver: Callable[..., tuple[object | None, dict[str, str]]] = solve_conda,
) -> LockResult:
    """`nox -s lock`: both sides for every platform; what cannot be locked says why, once."""
    platforms = tuple(platforms or target_platforms(host))
    directory = lock_dir(spec.path)
    python = lock_python(spec, interpreter_version)
    lock, conda_why = conda_solver(spec.conda_specs, channels, platforms, cache_dir=cache_dir)
    pypi_why: dict[str, str] = {}
    texts: dict[str, str] = {}
    directory.mkdir(exist_ok=True)
    requirements_in = directory / ".requirements.in"
    atomic.write_text(requirements_in, "\n".join(envfile.pypi_requirements(spec)) + "\n")
    try:
        for subdir in platforms:
            if uv is None:
                pypi_why[subdir] = "no uv (pip install uv, or nox[uv])"
                continue
            text, pypi_why[subdir] = compile_pypi(uv, requirements_in, subdir, python, cfg, run=run)
            if text is not None:
                texts[subdir] = text
    finally:
        requirements_in.unlink(missing_ok=True)
    if lock is None and not texts:
        reasons = "; ".join(sorted({*conda_why.values(), *pypi_why.values()}))
        raise InstallError(f"nothing could be locked: {reasons}", "check the network / indexes")
    (directory / MANIFEST).unlink(missing_ok=True)  # no half-written lock ever looks fresh
    if lock is not None:
        tmp = directory / f".{CONDA_LOCK}.tmp"
        lock.to_path(tmp)  # type: ignore[attr-defined]
        os.replace(tmp, directory / CONDA_LOCK)
    else:
        (directory / CONDA_LOCK).unlink(missing_ok=True)
    header = f"# environment.yml sha256 {spec.sha256}; Python {python}; regenerate: nox -s lock\n"
    for subdir in platforms:
        path = directory / f"pypi-{subdir}.txt"
        if subdir in texts:
            atomic.write_text(path, header + texts[subdir])
        else:
            path.unlink(missing_ok=True)
    manifest = Manifest(
        environment_sha256=spec.sha256,
        platforms=platforms,
        python=python,
        conda=conda_why,
        pypi=pypi_why,
        created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )
    atomic.write_text(directory / MANIFEST, manifest.to_json())
    return LockResult(directory, manifest, tuple(summary(manifest, texts)))


def summary(manifest: Manifest, texts: Mapping[str, str]) -> list[str]:
    lines = []
    conda_reasons = {w for w in manifest.conda.values() if w != LOCKED}
    locked = [p for p in manifest.platforms if manifest.conda.get(p) == LOCKED]
    if locked:
        lines.append(f"conda side locked for {', '.join(locked)} ({CONDA_LOCK})")
    if conda_reasons:  # one line: an unreachable channel fails every platform alike
        missing = [p for p in manifest.platforms if manifest.conda.get(p) != LOCKED]
        first = manifest.conda[missing[0]]
        more = f" (and {len(conda_reasons) - 1} other reasons)" if len(conda_reasons) > 1 else ""
        lines.append(f"conda side not locked for {', '.join(missing)}: {first}{more}")
    for subdir in manifest.platforms:
        why = manifest.pypi.get(subdir)
        if why == LOCKED:
            count = sum(1 for line in texts[subdir].splitlines() if "==" in line)
            lines.append(f"PyPI side locked for {subdir}: {count} packages (pypi-{subdir}.txt)")
        else:
            lines.append(f"PyPI side not locked for {subdir}: {why}")
    return lines
