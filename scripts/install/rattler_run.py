"""py-rattler's solve + install, run as a child process of the installer:
`python -m scripts.install.rattler_run JOB.json RESULT.json`.

Why a child: py-rattler 0.28 now and then crashes the interpreter as it exits after a failed
request (SIGSEGV / SIGABRT at finalization, seen here on 3 of 8 runs of a refused channel), which
turned the installer's exit code 1 into 139 or 134, and took nox down with it. The child writes
its result to RESULT.json and leaves through os._exit, so nothing runs after the work is done; the
parent reads the result, whatever the exit status.

It imports none of the installer's logic (only progress.py, the bars): the job is plain JSON
(RattlerJob.to_json).
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from scripts.install import progress
from verify import atomic


@dataclass(frozen=True)
class RattlerJob:
    prefix: Path
    specs: tuple[str, ...]
    channels: tuple[str, ...]
    subdir: str | None
    offline: bool
    cache_dir: Path | None
    network_timeout_s: int
    conda_lock: Path | None = None  # install this lock's records for `subdir`: no solve

    def to_json(self) -> str:
        data = asdict(self)
        data["prefix"] = str(self.prefix)
        data["cache_dir"] = str(self.cache_dir) if self.cache_dir else None
        data["conda_lock"] = str(self.conda_lock) if self.conda_lock else None
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> RattlerJob:
        data = json.loads(text)
        return cls(
            prefix=Path(data["prefix"]),
            specs=tuple(data["specs"]),
            channels=tuple(data["channels"]),
            subdir=data["subdir"],
            offline=bool(data["offline"]),
            cache_dir=Path(data["cache_dir"]) if data["cache_dir"] else None,
            network_timeout_s=int(data["network_timeout_s"]),
            conda_lock=Path(data["conda_lock"]) if data.get("conda_lock") else None,
        )


def locked_records(path: Path, subdir: str) -> list:
    """The records rattler's lock file holds for this platform ([] when none)."""
    from rattler import LockFile

    environment = LockFile.from_path(path).environment("default")
    for locked in environment.platforms() if environment else ():
        if locked.name == subdir:  # rattler wants the lock file's own platform object
            return environment.conda_repodata_records_for_platform(locked) or []
    return []


def _host_subdir() -> str:
    from rattler import Platform

    return str(Platform.current())


def sync(job: RattlerJob) -> None:
    """Solve the job's specs and install exactly the solution into its prefix."""
    import asyncio

    import rattler
    from rattler import (
        Client,
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
        PrefixRecord.from_path(p) for p in sorted((job.prefix / "conda-meta").glob("*.json"))
    ]
    specs = [MatchSpec(s) for s in job.specs]
    if job.offline:
        # "force-cache-only": whatever is cached, even stale ("use-cache-only" refuses a cache
        # entry it cannot revalidate). Shards off: py-rattler 0.28 probes the network for sharded
        # repodata before consulting the cache (both seen on this project's build box).
        source = SourceConfig(cache_action="force-cache-only", sharded_enabled=False)
    else:
        source = SourceConfig(cache_action="cache-or-fetch")
    gateway = Gateway(
        cache_dir=job.cache_dir / "repodata" if job.cache_dir else None,
        default_config=source,
        # the standard stack (3 retries, auth; proxies from HTTPS_PROXY / HTTP_PROXY) with a limit
        client=Client.default_client(timeout=job.network_timeout_s or None),
    )
    overrides = VirtualPackageOverrides()
    if job.subdir == "osx-arm64" and platform.machine() != "arm64":
        overrides.archspec = Override.string("m1")  # Rosetta reports an x86_64 microarchitecture
    virtual_packages = VirtualPackage.detect(overrides)
    platforms = [job.subdir, "noarch"] if job.subdir else None

    quiet = progress.quiet_mode()

    def say(line: str) -> None:
        print(line, flush=True)

    records_from_lock = (
        locked_records(job.conda_lock, job.subdir or _host_subdir()) if job.conda_lock else None
    )

    async def run() -> None:
        if records_from_lock:  # the lock's exact records: no repodata, no solve
            records = records_from_lock
            say(f"rattler: {len(records)} packages from {job.conda_lock.name} (no solve)")
        else:
            started = time.monotonic()
            solving = progress.solving_status(
                quiet, f"rattler: solving from {', '.join(job.channels)}"
            )
            with solving:
                records = await rattler.solve(
                    list(job.channels),
                    specs,
                    gateway=gateway,
                    platforms=platforms,
                    virtual_packages=virtual_packages,
                    locked_packages=installed,
                )
            say(f"rattler: solved {len(records)} packages in {time.monotonic() - started:.1f} s")
        await rattler.install(
            records,
            job.prefix,
            cache_dir=job.cache_dir / "pkgs" if job.cache_dir else None,
            installed_packages=installed,
            platform=Subdir(job.subdir) if job.subdir else None,
            # packages and bytes as rich bars on a terminal, one line in CI (progress.py)
            reporter=progress.reporter(say, quiet),
            # link scripts run unsandboxed; conda-forge's pytorch has none
            execute_link_scripts=False,
            # py-rattler hands this list to its FFI unchanged, which wants the inner objects
            # (the same workaround as nox/_rattler.py)
            requested_specs=[ms._match_spec for ms in specs],
        )

    asyncio.run(run())


def main(argv: list[str]) -> int:
    job_file, result_file = Path(argv[0]), Path(argv[1])
    try:
        sync(RattlerJob.from_json(job_file.read_text(encoding="utf-8")))
    except KeyboardInterrupt:
        result = {"ok": False, "error": "KeyboardInterrupt: interrupted", "interrupted": True}
    except Exception as err:  # every failure goes back to the parent as text
        result = {"ok": False, "error": f"{type(err).__name__}: {err}"}
    else:
        result = {"ok": True}
    atomic.write_text(result_file, json.dumps(result))  # the parent never reads half a result
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # no interpreter finalization: that is where py-rattler crashes
