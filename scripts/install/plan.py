"""Everything an install will do, as data (Plan); makes nothing, runs nothing."""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from scripts.install import envfile, lock, pipconf, torchwheel
from scripts.install.backends import CONDA_LIKE, PIP_LIKE
from scripts.install.errors import InstallError
from scripts.install.options import DEFAULT_CHANNEL, Options
from scripts.install.state import env_python, stamp_key
from scripts.install.target import Target

REPODATA_TIMEOUT_S = 120


@dataclass(frozen=True)
class Plan:
    backend: str
    executable: str
    action: str
    prefix: Path
    specs: tuple[str, ...]  # conda specs, or PyPI requirements on the uv / pip path
    channels: tuple[str, ...]  # conda channels (empty on the uv / pip path)
    subdir: str | None
    offline: bool
    # subprocess argv lists, run in order (the rattler backend runs in-process instead)
    commands: tuple[tuple[str, ...], ...]
    env: Mapping[str, str] = field(default_factory=dict)
    stamp: Mapping[str, object] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    activate: tuple[str, ...] = ()
    cache_dir: Path | None = None  # rattler's cache (None: rattler's default)
    # py-rattler's limit on one repodata request (its retries come on top); without one, a channel
    # behind a firewall that drops packets hangs the install instead of falling through
    network_timeout_s: int = 0
    index_sources: tuple[str, ...] = ()  # pip config files / PIP_* variables handed on to uv
    conda_lock: Path | None = None  # rattler: install this lock's records for `subdir`, no solve


def conda_channels(spec: envfile.EnvSpec, extra: Sequence[str]) -> tuple[str, ...]:
    """--channel URLs first, then the file's channels (else conda-forge); no `nodefaults`."""
    file_channels = [c for c in spec.channels if c != "nodefaults"] or [DEFAULT_CHANNEL]
    seen: list[str] = []
    for channel in [*extra, *file_channels]:
        if channel not in seen:
            seen.append(channel)
    return tuple(seen)


def python_request(
    spec: envfile.EnvSpec, target: Target, backend: str, interpreter: str, interpreter_version: str
) -> str:
    """Which interpreter a uv / virtualenv / venv environment is built on."""
    from packaging.specifiers import SpecifierSet

    wanted = envfile.python_specifier(spec)
    if target.rosetta:
        if backend != "uv":
            raise InstallError(
                "this Python is x86_64 (Rosetta) and cannot run arm64 PyTorch with MPS",
                "use an arm64 Python (python.org installer or `uv python install`), "
                "or `nox -s install -- --backend uv` or --backend rattler",
            )
        major_minor = ".".join(interpreter_version.split(".")[:2])
        return f"cpython-{major_minor}-macos-aarch64-none"
    if not wanted or SpecifierSet(wanted).contains(interpreter_version, prereleases=True):
        return interpreter
    if backend == "uv":
        return wanted  # uv finds (or downloads) a matching interpreter
    raise InstallError(
        f"Python {interpreter_version} does not satisfy `python {wanted}` in {spec.path.name}",
        f"run nox with a Python matching {wanted}, or use --backend uv",
    )


def torch_choice(
    reqs: tuple[str, ...],
    cfg: pipconf.PipIndexConfig,
    target: Target,
    *,
    python: str,
    interpreter: str,
    interpreter_version: str,
    spec: envfile.EnvSpec,
) -> tuple[tuple[str, ...], str, str | None]:
    """On Linux without an NVIDIA GPU: pin torch to a local CPU build from pip's find-links when
    one fits (on an interpreter that has one), else say that PyPI's CUDA build is coming.
    Returns the requirements, the interpreter and the line to show (torchwheel.py says why)."""
    if not target.linux_without_nvidia or not torchwheel.requires_torch(reqs):
        return reqs, python, None
    from packaging.specifiers import SpecifierSet

    specifiers = torchwheel.torch_constraints(reqs, cfg.constraints)
    wheels = torchwheel.local_cpu_wheels(cfg.find_links)
    current = tuple(int(x) for x in interpreter_version.split(".")[:2])
    version = (current[0], current[1])
    if python == interpreter:
        wanted = SpecifierSet(envfile.python_specifier(spec))
        better = torchwheel.python_for_wheels(
            wheels, specifiers, version, lambda v: wanted.contains(f"{v}.0", prereleases=True)
        )
        if better:
            python, version = better, torchwheel.version_in_name(better) or version
    chosen = torchwheel.choose(wheels, specifiers, torchwheel.interpreter_tags(version))
    if chosen:
        return (
            (*reqs, chosen.pin),
            python,
            f"no NVIDIA GPU here: torch is the local CPU build {chosen.pin} "
            f"({chosen.path.parent}, Python {version[0]}.{version[1]}), not PyPI's CUDA build "
            "(several GB); to choose another, pin torch in environment.yml or pip's constraints",
        )
    if target.machine not in ("x86_64", "AMD64", "amd64"):
        return reqs, python, None
    return (
        reqs,
        python,
        "no NVIDIA GPU here, and no CPU build of torch in pip's find-links: PyPI's torch for "
        "Linux is the CUDA build (several GB of nvidia-* wheels); for the CPU build make "
        "https://download.pytorch.org/whl/cpu pip's index-url (PyPI as extra-index-url)",
    )


def _conda_commands(
    exe: str,
    *,
    action: str,
    prefix: Path,
    specs: Sequence[str],
    channels: Sequence[str],
    offline: bool,
) -> list[tuple[str, ...]]:
    verb = "install" if action == "update" else "create"
    cmd = [exe, verb, "--yes", "--prefix", str(prefix), "--override-channels"]
    for channel in channels:
        cmd += ["--channel", channel]
    if offline:
        cmd.append("--offline")
    return [(*cmd, *specs)]


def _pip_commands(
    backend: str,
    exe: str,
    *,
    action: str,
    prefix: Path,
    reqs: Sequence[str],
    python: str,
    index_args: Sequence[str],
    offline: bool,
) -> list[tuple[str, ...]]:
    py = str(env_python(prefix, backend))
    commands: list[tuple[str, ...]] = []
    if action != "update":
        if backend == "uv":
            commands.append(
                (exe, "venv", str(prefix), "--python", python, *(["--offline"] if offline else []))
            )
        else:
            commands.append((python, "-m", backend, str(prefix)))
    if not reqs:  # a file listing only python: the venv is the whole environment
        return commands
    if backend == "uv":
        commands.append(
            (
                exe,
                "pip",
                "install",
                "--python",
                py,
                # like pip and conda: byte-code compiled at install time, so the first
                # `python -m verify` does not pay for compiling torch's modules
                "--compile-bytecode",
                *index_args,
                *(["--offline"] if offline else []),
                *reqs,
            )
        )
    else:  # pip reads its own configuration
        commands.append((py, "-m", "pip", "install", *(["--no-index"] if offline else []), *reqs))
    return commands


def _stamp(
    spec: envfile.EnvSpec,
    key: str,
    backend: str,
    opts: Options,
    *,
    channels: Sequence[str] = (),
    subdir: str | None = None,
    specs: Sequence[str] = (),
    lock_path: Path | None = None,
    no_lock: bool,
) -> dict:
    """What the environment records about how it was made (scripts.install.state reads it)."""
    return {
        "key": key,
        "tool": "torch-mps-kit",
        "file": str(spec.path),
        "file_sha256": spec.sha256,
        "backend": backend,
        "channels": list(channels),
        "subdir": subdir,
        "specs": list(specs),
        "extra_channels": list(opts.channels),
        "lock": str(lock_path) if lock_path else None,
        "no_lock": no_lock,
    }


def activation_hints(backend: str, prefix: Path) -> tuple[str, ...]:
    if backend in CONDA_LIKE:
        tool = "micromamba" if backend == "micromamba" else "conda"
        return (f"{tool} activate {prefix}",)
    if backend == "rattler":
        return (
            f'export PATH="{prefix / "bin"}:$PATH"',
            f"(or, with conda / micromamba installed: conda activate {prefix})",
        )
    if os.name == "nt":
        return (str(prefix / "Scripts" / "activate"),)
    return (f"source {prefix / 'bin' / 'activate'}",)


def make_plan(
    opts: Options,
    spec: envfile.EnvSpec,
    *,
    backend: str,
    executable: str,
    target: Target,
    action: str,
    interpreter: str = sys.executable,
    interpreter_version: str | None = None,
    pip_config: pipconf.PipIndexConfig | None = None,
    cache_dir: Path | None = None,
    network_timeout_s: int = REPODATA_TIMEOUT_S,
    locked: lock.LockStatus | None = None,
) -> Plan:
    """Everything the install will do, as data. Runs nothing. With a fresh lock, its files for
    this platform replace the solve (`locked`: see lock.choose_backend)."""
    warnings = [target.warning] if target.warning else []
    env: dict[str, str] = {}
    locked = locked if locked is not None and locked.fresh else None
    lock_subdir = target.subdir or lock.host_subdir()
    if locked is not None and backend in PIP_LIKE:
        return _locked_pip_plan(
            opts, spec, locked, lock_subdir, backend=backend, executable=executable,
            target=target, action=action, pip_config=pip_config,
        )  # fmt: skip
    if backend in PIP_LIKE:
        channels: tuple[str, ...] = ()
        specs = tuple(envfile.pypi_requirements(spec))
        if opts.channels:
            warnings.append(
                "--channel applies to conda backends only; the uv / pip path ignores it"
            )
        python = python_request(
            spec, target, backend, interpreter, interpreter_version or platform.python_version()
        )
        cfg = pip_config or pipconf.PipIndexConfig()
        specs, python, note = torch_choice(
            specs,
            cfg,
            target,
            python=python,
            interpreter=interpreter,
            interpreter_version=interpreter_version or platform.python_version(),
            spec=spec,
        )
        warnings += [note] if note else []
        index_args = pipconf.uv_args(cfg) if backend == "uv" else []
        if backend == "uv":
            warnings += [
                f"pip configuration {problem}; uv gets none of its settings (pip refuses the "
                "file too): fix it, or set PIP_CONFIG_FILE=/dev/null to ignore pip's files"
                for problem in cfg.unreadable
            ]
        if backend == "uv":
            env.update(pipconf.uv_env(cfg))
        commands = []
        if action != "noop":
            commands = _pip_commands(
                backend,
                executable,
                action=action,
                prefix=opts.prefix,
                reqs=specs,
                python=python,
                index_args=index_args,
                offline=opts.offline,
            )
        subdir = None
        sources = cfg.sources if backend == "uv" else ()
    else:
        channels = conda_channels(spec, opts.channels)
        specs = tuple(spec.conda_specs)
        subdir = target.subdir
        sources = ()
        commands = []
        if backend in CONDA_LIKE:
            if subdir:
                env["CONDA_SUBDIR"] = subdir  # read by conda, mamba and micromamba alike
            if action != "noop":
                commands = _conda_commands(
                    executable,
                    action=action,
                    prefix=opts.prefix,
                    specs=specs,
                    channels=channels,
                    offline=opts.offline,
                )
        if spec.pip and action != "noop":
            commands.append(
                (str(env_python(opts.prefix, backend)), "-m", "pip", "install", *spec.pip)
            )
    conda_lock = None
    file_key = spec.sha256
    if locked is not None and backend == "rattler":
        conda_lock = locked.directory / lock.CONDA_LOCK
        file_key = lock.stamp_material(spec.sha256, locked, lock_subdir)
    stamp = _stamp(
        spec,
        stamp_key(file_key, backend, channels, subdir),
        backend,
        opts,
        channels=channels,
        subdir=subdir,
        specs=specs,
        lock_path=conda_lock,
        no_lock=opts.no_lock,
    )
    return Plan(
        backend=backend,
        executable=executable,
        action=action,
        prefix=opts.prefix,
        specs=specs,
        channels=channels,
        subdir=subdir,
        offline=opts.offline,
        commands=tuple(commands),
        env=env,
        stamp=stamp,
        warnings=tuple(warnings),
        activate=activation_hints(backend, opts.prefix),
        cache_dir=cache_dir,
        network_timeout_s=network_timeout_s,
        index_sources=tuple(sources),
        conda_lock=conda_lock,
    )


def _locked_pip_plan(
    opts: Options,
    spec: envfile.EnvSpec,
    locked: lock.LockStatus,
    subdir: str,
    *,
    backend: str,
    executable: str,
    target: Target,
    action: str,
    pip_config: pipconf.PipIndexConfig | None,
) -> Plan:
    """uv / pip installing exactly the lock's PyPI file for this platform: `uv pip sync
    --require-hashes` (removes whatever the lock does not list), on the lock's Python."""
    pinned = locked.pypi_file(subdir)
    assert pinned is not None and locked.manifest is not None  # lock.choose_backend checked
    python = locked.manifest.python
    cfg = pip_config or pipconf.PipIndexConfig()
    env: dict[str, str] = dict(pipconf.uv_env(cfg)) if backend == "uv" else {}
    py = str(env_python(opts.prefix, backend))
    commands: list[tuple[str, ...]] = []
    if action not in ("noop", "update"):
        if backend == "uv":
            request = (
                f"cpython-{python}-macos-aarch64-none" if target.rosetta else python
            )  # same rule as python_request: an arm64 interpreter under Rosetta
            commands.append((executable, "venv", str(opts.prefix), "--python", request))
        else:
            commands.append((sys.executable, "-m", backend, str(opts.prefix)))
    if action != "noop":
        if backend == "uv":
            # exact hashed pins: pip's constraint files are left out (uv refuses unpinned
            # constraints with --require-hashes, and the pins were solved with them)
            index_args = pipconf.uv_args(replace(cfg, constraints=()))
            commands.append(
                (executable, "pip", "sync", "--python", py, "--require-hashes",
                 "--compile-bytecode", *index_args, *(["--offline"] if opts.offline else []),
                 str(pinned))
            )  # fmt: skip
        else:  # pip reads its own configuration
            commands.append(
                (py, "-m", "pip", "install", "--require-hashes", "--no-deps",
                 *(["--no-index"] if opts.offline else []), "-r", str(pinned))
            )  # fmt: skip
    key = stamp_key(lock.stamp_material(spec.sha256, locked, subdir), backend, (), None)
    stamp = _stamp(spec, key, backend, opts, lock_path=pinned, no_lock=False)
    return Plan(
        backend=backend,
        executable=executable,
        action=action,
        prefix=opts.prefix,
        specs=(f"{pinned.name} (locked)",),
        channels=(),
        subdir=None,
        offline=opts.offline,
        commands=tuple(commands),
        env=env,
        stamp=stamp,
        warnings=tuple([target.warning] if target.warning else ()),
        activate=activation_hints(backend, opts.prefix),
        index_sources=tuple(cfg.sources if backend == "uv" else ()),
    )
