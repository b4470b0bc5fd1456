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

import argparse
import platform
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from scripts.install import envfile, lock, pipconf
from scripts.install.backends import PIP_LIKE, available_backends, backend_chain
from scripts.install.errors import InstallError
from scripts.install.execute import execute, run_streaming
from scripts.install.failures import FALLS_THROUGH
from scripts.install.options import (
    DEFAULT_FILE,
    DEFAULT_PREFIX,
    Options,
    channel_url,
    parse_options,
)
from scripts.install.plan import REPODATA_TIMEOUT_S, Plan, conda_channels, make_plan
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
    network_timeout_s: int = REPODATA_TIMEOUT_S,
) -> Outcome:
    """The whole `nox -s install`, returning what it did; raises InstallError / EnvFileError.

    Backends are tried along the chain (backends.backend_chain): one that cannot reach its source
    or cannot solve there hands over to the next with one line saying why, and the environment's
    stamp records it (`fell_through`), so later runs start at the backend that worked. An existing
    environment keeps its backend; --backend pins one (its failure is the error)."""
    started = time.monotonic()
    opts = parse_options(argv)
    spec = envfile.load(opts.file)
    locked = lock.status(opts.file, spec.sha256, ignore=opts.no_lock)
    if locked.state == "stale":
        raise InstallError(
            lock.STALE, "nox -s lock, or -- --no-lock to install environment.yml without it"
        )
    available = available_backends() if available is None else available
    prior = read_stamp(opts.prefix)
    target = (
        detect_target(platform.system(), platform.machine(), run_quiet)
        if target is None
        else target
    )
    if locked.fresh:  # the lock picks the backend (the side it locked here): exact, no chain
        subdir = target.subdir or lock.host_subdir()
        backend, lock_line = lock.choose_backend(locked, subdir, opts.backend, available)
        out(lock_line)
        kept, chain = None, [backend]
    else:
        # an existing environment keeps its backend: a re-run without --backend must not rebuild
        kept = None if opts.backend or prior is None else str(prior.get("backend"))
        kept = kept if kept in available else None
        chain = backend_chain(opts.backend, available, kept)
    # why the backends before `kept` were skipped when the environment was made: carried along
    fell_through: list[dict] = list((prior or {}).get("fell_through") or ()) if kept else []
    failed: list[str] = []
    for number, backend in enumerate(chain):
        if backend in PIP_LIKE and pip_config is None:
            pip_config = pipconf.read()
        try:
            plan = _install_with(
                backend,
                opts,
                spec,
                out=out,
                executable=available[backend],
                target=target,
                kept=backend == kept,
                prior=prior,
                fell_through=fell_through,
                pip_config=pip_config,
                cache_dir=cache_dir,
                run_command=run_command,
                network_timeout_s=network_timeout_s,
                locked=locked,
            )
        except InstallError as err:
            if opts.backend or err.kind not in FALLS_THROUGH:
                raise
            failed.append(f"{backend}: {err.message}")
            if number + 1 == len(chain):
                raise InstallError(
                    "no backend could install: " + "; ".join(failed), err.fix, kind=err.kind
                ) from None
            out(f"{backend} failed: {err.message}; using {chain[number + 1]} instead")
            fell_through.append(
                {
                    "backend": backend,
                    "kind": err.kind,
                    "reason": err.message,
                    "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                }
            )
            prior = read_stamp(opts.prefix)  # what the failed attempt left (it removes the stamp)
            continue
        return Outcome(plan=plan, seconds=time.monotonic() - started)
    raise AssertionError("backend_chain returned no backend")  # pragma: no cover


def _install_with(
    backend: str,
    opts: Options,
    spec: envfile.EnvSpec,
    *,
    out: Callable[[str], None],
    executable: str,
    target: Target,
    kept: bool,
    prior: dict | None,
    fell_through: list[dict],
    pip_config: pipconf.PipIndexConfig | None,
    cache_dir: Path | None,
    run_command: Callable[[Sequence[str], Mapping[str, str]], tuple[int, str]],
    network_timeout_s: int,
    locked: lock.LockStatus,
) -> Plan:
    """One backend's try: decide what to do with the prefix, plan it, carry it out."""

    def plan_for(action: str) -> Plan:
        return make_plan(
            opts,
            spec,
            backend=backend,
            executable=executable,
            target=target,
            action=action,
            pip_config=pip_config,
            cache_dir=cache_dir,
            network_timeout_s=network_timeout_s,
            locked=locked,
        )

    draft = plan_for("noop")
    action = decide(
        observe(opts.prefix),
        key=str(draft.stamp["key"]),
        backend=backend,
        subdir=draft.subdir,
        force=opts.force,
        owned=opts.prefix == DEFAULT_PREFIX,
        prefix=opts.prefix,
        python_ok=lambda: python_runs(env_python(opts.prefix, backend)),
        dropped=bool(  # a lock is installed exactly (uv pip sync / rattler remove the rest)
            not locked.fresh
            and prior
            and dropped_packages(backend, list(prior.get("specs") or ()), draft.specs)
        ),
    )
    plan = plan_for(action)
    plan = replace(plan, stamp={**plan.stamp, "fell_through": list(fell_through)})
    for warning in plan.warnings:
        out(f"WARNING: {warning}")
    skipped = ", ".join(f"{f['backend']} ({f['reason']})" for f in fell_through)
    out(
        f"backend: {backend} ({plan.executable})"
        + (f", subdir {plan.subdir}" if plan.subdir else "")
        + (", kept from the existing environment (--backend NAME to change)" if kept else "")
        + (f"; skipped: {skipped}" if skipped and kept else "")
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
    return plan


def argv_for_verify(given: Sequence[str] = ()) -> list[str]:
    """The installer options `nox -s verify` installs with: those given after `--`, plus the
    extra channels the environment was made with unless --channel is given (verify must not undo
    a --channel choice). The backend needs no replay: install() keeps the environment's own."""
    argv = list(given)
    opts = parse_options(argv)
    stamp = read_stamp(opts.prefix) or {}
    if not opts.channels:
        for channel in stamp.get("extra_channels") or ():
            argv += ["--channel", str(channel)]
    if stamp.get("no_lock") and not opts.no_lock:  # made with --no-lock: keep ignoring the lock
        argv.append("--no-lock")
    return argv


def remembered_argv(prefix: Path = DEFAULT_PREFIX) -> list[str]:
    """The install options an existing environment was made with."""
    return argv_for_verify([] if prefix == DEFAULT_PREFIX else ["--prefix", str(prefix)])


def lock_environment(
    argv: Sequence[str],
    *,
    out: Callable[[str], None] = print,
    available: Mapping[str, str] | None = None,
    pip_config: pipconf.PipIndexConfig | None = None,
    target: Target | None = None,
    cache_dir: Path | None = None,
) -> lock.LockResult:
    """`nox -s lock`: environment.yml solved for osx-arm64, linux-64 and this host into
    environment.lock/ (conda side: py-rattler; PyPI side: uv)."""
    parser = _LockParser(prog="nox -s lock --", description=lock.__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="environment file")
    parser.add_argument(
        "--channel",
        action="append",
        default=[],
        metavar="URL",
        help="extra conda channel, searched before the file's (repeatable)",
    )
    parser.add_argument(
        "--platform",
        action="append",
        default=[],
        metavar="SUBDIR",
        help="another conda platform to lock, e.g. linux-aarch64 (repeatable)",
    )
    args = parser.parse_args(list(argv))  # fmt: skip
    spec = envfile.load(args.file.expanduser().resolve())
    available = available_backends() if available is None else available
    target = (
        detect_target(platform.system(), platform.machine(), run_quiet)
        if target is None
        else target
    )
    host = target.subdir or lock.host_subdir()
    result = lock.create(
        spec,
        channels=conda_channels(spec, [channel_url(c) for c in args.channel]),
        uv=available.get("uv"),
        cfg=pipconf.read() if pip_config is None else pip_config,
        host=host,
        platforms=lock.target_platforms(host, args.platform),
        cache_dir=cache_dir,
    )
    for line in result.lines:
        out(line)
    out(f"lock: {result.directory} (nox -s install installs exactly it; -- --no-lock ignores it)")
    return result


class _LockParser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage dump
        raise InstallError(f"nox -s lock: {message}", "see `nox -s lock -- --help`")


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
