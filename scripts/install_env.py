"""`nox -s install`: create or update the PyTorch environment from environment.yml.

The pipeline is plain functions, each testable without running an installer (the installers
themselves live in scripts/installers.py, the environment on disk in scripts/envstate.py):

    parse_options(argv) -> Options
    envfile.load(file) -> EnvSpec
    detect_target(system, machine, run) -> Target        (Apple silicon: force osx-arm64)
    available_backends(which, has_module) -> {name: exe}
    choose_backend(requested, available) -> name
    observe(prefix) -> PrefixState
    decide(state, key, ...) -> action          "noop" | "create" | "update" | "rebuild"
    make_plan(...) -> Plan                     backend, prefix, specs, channels, commands
    execute(plan, spec) -> None                the only step that changes anything

Backend chain (shared/DESIGN.md): an existing conda / mamba / micromamba, else py-rattler
(in-process, no conda needed), else uv, else virtualenv / venv + pip. The stamp file written last
in the environment is keyed on sha256(environment.yml) + backend + channels + subdir: a re-run with
the same key and a working interpreter does nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scripts import envfile, pipconf
from scripts.envstate import (
    BUILDING_NAME,
    STAMP_NAME,
    decide,
    dropped_packages,
    env_python,
    observe,
    python_runs,
    read_stamp,
    stamp_key,
)
from scripts.installers import (
    BACKENDS,
    CONDA_LIKE,
    PIP_LIKE,
    InstallError,
    available_backends,
    choose_backend,
    explain_failure,
)
from verify import atomic

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = PROJECT_ROOT / "environment.yml"
DEFAULT_PREFIX = PROJECT_ROOT / ".env-mps"
DEFAULT_CHANNEL = "conda-forge"

ROSETTA_WARNING = (
    "This shell runs x86_64 under Rosetta on Apple silicon: installing osx-arm64 packages anyway, "
    "because x86_64 PyTorch has no MPS (and its macOS wheels stopped at 2.2.2). "
    "To stop seeing this, use an arm64 shell and an arm64 Miniforge or Python."
)

Runner = Callable[[Sequence[str]], "str | None"]


# --- options ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    file: Path = DEFAULT_FILE
    prefix: Path = DEFAULT_PREFIX
    channels: tuple[str, ...] = ()
    offline: bool = False
    force: bool = False
    backend: str | None = None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage dump, same exit path as other errors
        raise InstallError(f"nox -s install: {message}", "see `nox -s install -- --help`")


def parse_options(argv: Sequence[str]) -> Options:
    parser = _Parser(
        prog="nox -s install --", description="Create or update the PyTorch environment."
    )
    parser.add_argument(
        "--prefix", type=Path, default=DEFAULT_PREFIX, help="where the environment goes"
    )
    parser.add_argument(
        "--file", type=Path, default=DEFAULT_FILE, help="environment file to install"
    )
    parser.add_argument(
        "--channel",
        action="append",
        default=[],
        metavar="URL",
        help="extra conda channel, searched before conda-forge (repeatable)",
    )
    parser.add_argument("--offline", action="store_true", help="use only cached / local packages")
    parser.add_argument("--force", action="store_true", help="rebuild the environment from scratch")
    parser.add_argument(
        "--backend", choices=BACKENDS, help="use this backend instead of the first found"
    )
    args = parser.parse_args(list(argv))
    return Options(
        file=args.file.expanduser().resolve(),
        prefix=args.prefix.expanduser().resolve(),
        channels=tuple(channel_url(c) for c in args.channel),
        offline=args.offline,
        force=args.force,
        backend=args.backend,
    )


def channel_url(value: str) -> str:
    """A local channel folder (`--channel ./channel`, what `nox -s build` writes) as a file://
    URL, so it means the same whatever the working directory; URLs and names pass unchanged."""
    if "://" not in value:
        path = Path(value).expanduser()
        if path.is_dir():
            return path.resolve().as_uri()
    return value


# --- host -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Which conda subdir to force (None: the backend's own) and why."""

    subdir: str | None = None
    rosetta: bool = False
    warning: str | None = None


def run_quiet(cmd: Sequence[str]) -> str | None:
    """Default runner for host probes: stdout stripped, or None when the command fails."""
    try:
        proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def detect_target(system: str, machine: str, run: Runner) -> Target:
    """On Apple silicon always target osx-arm64, even from an x86_64 (Rosetta) shell.

    `sysctl -n hw.optional.arm64` answers 1 on Apple silicon whatever the calling process's
    architecture (platform.machine() says x86_64 under Rosetta).
    """
    if system != "Darwin":
        return Target()
    if run(["sysctl", "-n", "hw.optional.arm64"]) != "1":
        return Target()  # an Intel Mac: the backend's own subdir (osx-64) is right
    rosetta = machine != "arm64"
    return Target(subdir="osx-arm64", rosetta=rosetta, warning=ROSETTA_WARNING if rosetta else None)


# --- the plan ---------------------------------------------------------------------------------


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
    index_sources: tuple[str, ...] = ()  # pip config files / PIP_* variables handed on to uv


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
) -> Plan:
    """Everything the install will do, as data. Runs nothing."""
    warnings = [target.warning] if target.warning else []
    env: dict[str, str] = {}
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
    key = stamp_key(spec.sha256, backend, channels, subdir)
    stamp = {
        "key": key,
        "tool": "torch-mps-kit",
        "file": str(spec.path),
        "file_sha256": spec.sha256,
        "backend": backend,
        "channels": list(channels),
        "subdir": subdir,
        "specs": list(specs),
        "extra_channels": list(opts.channels),
    }
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
        index_sources=tuple(sources),
    )


# --- execution --------------------------------------------------------------------------------


def run_streaming(cmd: Sequence[str], env: Mapping[str, str]) -> tuple[int, str]:
    """Run a command, echoing its output live; return its exit code and the output's tail."""
    tail: deque[str] = deque(maxlen=60)
    try:
        proc = subprocess.Popen(
            list(cmd),
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
    except OSError as err:
        return 127, f"{cmd[0]}: {err.strerror}"
    assert proc.stdout is not None
    for line in proc.stdout:
        sys.stdout.write(line)
        tail.append(line)
    return proc.wait(), "".join(tail)


def rattler_sync(plan: Plan) -> None:
    """Solve and install the plan's specs into its prefix with py-rattler, in-process."""
    import asyncio

    import rattler
    from rattler import (
        Gateway,
        MatchSpec,
        Override,
        PrefixRecord,
        SourceConfig,
        Subdir,
        VirtualPackage,
        VirtualPackageOverrides,
    )

    installed = [
        PrefixRecord.from_path(p) for p in sorted((plan.prefix / "conda-meta").glob("*.json"))
    ]
    specs = [MatchSpec(s) for s in plan.specs]
    if plan.offline:
        # "force-cache-only": whatever is cached, even stale ("use-cache-only" refuses a cache
        # entry it cannot revalidate). Shards off: py-rattler 0.28 probes the network for sharded
        # repodata before consulting the cache (both seen on this project's build box).
        source = SourceConfig(cache_action="force-cache-only", sharded_enabled=False)
    else:
        source = SourceConfig(cache_action="cache-or-fetch")
    gateway = Gateway(
        cache_dir=plan.cache_dir / "repodata" if plan.cache_dir else None,
        default_config=source,
    )
    overrides = VirtualPackageOverrides()
    if plan.subdir == "osx-arm64" and platform.machine() != "arm64":
        overrides.archspec = Override.string("m1")  # Rosetta reports an x86_64 microarchitecture
    virtual_packages = VirtualPackage.detect(overrides)
    platforms = [plan.subdir, "noarch"] if plan.subdir else None

    async def run() -> None:
        records = await rattler.solve(
            list(plan.channels),
            specs,
            gateway=gateway,
            platforms=platforms,
            virtual_packages=virtual_packages,
            locked_packages=installed,
        )
        await rattler.install(
            records,
            plan.prefix,
            cache_dir=plan.cache_dir / "pkgs" if plan.cache_dir else None,
            installed_packages=installed,
            platform=Subdir(plan.subdir) if plan.subdir else None,
            show_progress=False,
            # link scripts run unsandboxed; conda-forge's pytorch has none
            execute_link_scripts=False,
            # py-rattler hands this list to its FFI unchanged, which wants the inner objects
            # (the same workaround as nox/_rattler.py)
            requested_specs=[ms._match_spec for ms in specs],
        )

    asyncio.run(run())


def execute(
    plan: Plan,
    spec: envfile.EnvSpec,
    *,
    run_command: Callable[[Sequence[str], Mapping[str, str]], tuple[int, str]] = run_streaming,
    sync: Callable[[Plan], None] = rattler_sync,
) -> None:
    """Carry out the plan. The stamp is removed first and written last, so an environment that
    failed half-way never claims to be ready; a failed create is removed again."""
    if plan.action == "noop":
        return
    prefix = plan.prefix
    if plan.action == "rebuild" and prefix.exists():
        shutil.rmtree(prefix)
    created = not prefix.exists() or not any(prefix.iterdir())
    (prefix / STAMP_NAME).unlink(missing_ok=True)
    if plan.action == "update":
        (prefix / BUILDING_NAME).write_text(
            "an update started and has not finished\n", encoding="utf-8"
        )
    prefix.parent.mkdir(parents=True, exist_ok=True)
    try:
        if plan.backend == "rattler":
            try:
                sync(plan)
            except Exception as err:
                raise explain_failure(f"{type(err).__name__}: {err}", plan, spec) from None
        for cmd in plan.commands:
            code, output = run_command(cmd, plan.env)
            if code != 0:
                raise explain_failure(output, plan, spec)
        if plan.subdir and plan.backend in (*CONDA_LIKE, "rattler"):
            # keep later `conda install` into this env on the forced subdir too
            atomic.write_text(prefix / ".condarc", f"subdir: {plan.subdir}\n")
        stamp = {**plan.stamp, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        atomic.write_text(prefix / STAMP_NAME, json.dumps(stamp, indent=2) + "\n")
        (prefix / BUILDING_NAME).unlink(missing_ok=True)
    except BaseException:
        if created and prefix.exists():
            shutil.rmtree(prefix, ignore_errors=True)
        raise


# --- entry point ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    plan: Plan
    seconds: float


def install(
    argv: Sequence[str],
    *,
    out: Callable[[str], None] = print,
    available: Mapping[str, str] | None = None,
    target: Target | None = None,
    pip_config: pipconf.PipIndexConfig | None = None,
    cache_dir: Path | None = None,
    run_command: Callable[[Sequence[str], Mapping[str, str]], tuple[int, str]] = run_streaming,
) -> Outcome:
    """The whole `nox -s install`, returning what it did; raises InstallError / EnvFileError."""
    started = time.monotonic()
    opts = parse_options(argv)
    spec = envfile.load(opts.file)
    available = available_backends() if available is None else available
    prior = read_stamp(opts.prefix)
    kept = not opts.backend and prior is not None and prior.get("backend") in available
    # an existing environment keeps its backend: re-running without --backend must not rebuild it
    backend = str(prior["backend"]) if kept and prior else choose_backend(opts.backend, available)
    target = (
        detect_target(platform.system(), platform.machine(), run_quiet)
        if target is None
        else target
    )
    if backend == "uv" and pip_config is None:
        pip_config = pipconf.read()
    draft = make_plan(
        opts,
        spec,
        backend=backend,
        executable=available[backend],
        target=target,
        action="noop",
        pip_config=pip_config,
        cache_dir=cache_dir,
    )
    state = observe(opts.prefix)
    action = decide(
        state,
        key=str(draft.stamp["key"]),
        backend=backend,
        subdir=draft.subdir,
        force=opts.force,
        owned=opts.prefix == DEFAULT_PREFIX,
        prefix=opts.prefix,
        python_ok=lambda: python_runs(env_python(opts.prefix, backend)),
        dropped=bool(
            prior and dropped_packages(backend, list(prior.get("specs") or ()), draft.specs)
        ),
    )
    plan = make_plan(
        opts,
        spec,
        backend=backend,
        executable=available[backend],
        target=target,
        action=action,
        pip_config=pip_config,
        cache_dir=cache_dir,
    )
    for warning in plan.warnings:
        out(f"WARNING: {warning}")
    out(
        f"backend: {backend} ({plan.executable})"
        + (f", subdir {plan.subdir}" if plan.subdir else "")
        + (", kept from the existing environment (--backend NAME to change)" if kept else "")
    )
    if plan.index_sources:
        out("pip index settings passed on to uv from: " + ", ".join(plan.index_sources))
    if action == "noop":
        out(f"{plan.prefix} is up to date with {spec.path.name} (nothing to do; --force rebuilds)")
    else:
        out(f"{action} {plan.prefix} from {spec.path.name}: {' '.join(plan.specs)}")
        execute(plan, spec, run_command=run_command)
    out(f"environment: {plan.prefix}")
    out("activate it with: " + "  ".join(plan.activate))
    return Outcome(plan=plan, seconds=time.monotonic() - started)


def remembered_argv(prefix: Path = DEFAULT_PREFIX) -> list[str]:
    """The install options an existing environment was made with (for `nox -s verify`, which
    installs first if needed and must not undo a --channel choice)."""
    argv = [] if prefix == DEFAULT_PREFIX else ["--prefix", str(prefix)]
    stamp = read_stamp(prefix)
    # the backend needs no replay: install() keeps an existing environment's backend by itself
    for channel in (stamp or {}).get("extra_channels") or ():
        argv += ["--channel", str(channel)]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    try:
        install(sys.argv[1:] if argv is None else argv)
    except (InstallError, envfile.EnvFileError) as err:
        print(f"error: {err.one_line()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "error: interrupted; the environment is not marked ready. Fix: run it again",
            file=sys.stderr,
        )
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
