"""Carry out a Plan: the only part of the installer that changes anything on disk."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence

from scripts.install import envfile
from scripts.install.backends import CONDA_LIKE
from scripts.install.failures import explain_failure
from scripts.install.plan import Plan
from scripts.install.state import BUILDING_NAME, STAMP_NAME
from verify import atomic


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
                raise explain_failure(
                    f"{type(err).__name__}: {err}", plan.backend, plan.channels, spec
                ) from None
        for cmd in plan.commands:
            code, output = run_command(cmd, plan.env)
            if code != 0:
                raise explain_failure(output, plan.backend, plan.channels, spec)
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
