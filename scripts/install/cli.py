"""`nox -s install`: create or update the PyTorch environment from environment.yml.

The pipeline is plain functions, each testable without running an installer; each step lives in
its own module of scripts/install/ and the imports run one way
(errors <- failures / backends <- options / target <- plan <- execute <- cli):

    options.parse_options(argv) -> Options
    envfile.load(file) -> EnvSpec
    target.detect_target(system, machine, run) -> Target        (Apple silicon: force osx-arm64)
    backends.available_backends(which, has_module) -> {name: exe}
    backends.choose_backend(requested, available) -> name
    state.observe(prefix) -> PrefixState
    state.decide(state, key, ...) -> action    "noop" | "create" | "update" | "rebuild"
    plan.make_plan(...) -> Plan                backend, prefix, specs, channels, commands
    execute.execute(plan, spec) -> None        the only step that changes anything

Backend chain (shared/DESIGN.md): an existing conda / mamba / micromamba, else py-rattler
(in-process, no conda needed), else uv, else virtualenv / venv + pip. The stamp file written last
in the environment is keyed on sha256(environment.yml) + backend + channels + subdir: a re-run with
the same key and a working interpreter does nothing.
"""

from __future__ import annotations

import platform
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from scripts.install import envfile, pipconf
from scripts.install.backends import available_backends, choose_backend
from scripts.install.errors import InstallError
from scripts.install.execute import execute, run_streaming
from scripts.install.options import DEFAULT_PREFIX, parse_options
from scripts.install.plan import Plan, make_plan
from scripts.install.state import (
    decide,
    dropped_packages,
    env_python,
    observe,
    python_runs,
    read_stamp,
)
from scripts.install.target import Target, detect_target, run_quiet

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
