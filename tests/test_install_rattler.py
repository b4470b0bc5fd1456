"""The conda path for real, offline: a tiny local conda channel (built with conda-package-handling,
indexed with py-rattler's indexer) and the installer's rattler backend creating a real conda
environment from it, updating it, leaving it alone when nothing changed, and failing cleanly.

The channel's `python` package is a noarch shim whose bin/python execs this test's interpreter, so
the created environment has an interpreter that runs without any download.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("rattler")
cph = pytest.importorskip("conda_package_handling.api")

from scripts.install.cli import install  # noqa: E402
from scripts.install.errors import InstallError  # noqa: E402
from scripts.install.state import STAMP_NAME, observe, read_stamp  # noqa: E402
from scripts.install.target import ROSETTA_WARNING, Target  # noqa: E402
from tests.cputime import cpu_seconds  # noqa: E402

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the python shim is a POSIX script")


def build_noarch(
    channel: Path,
    name: str,
    version: str,
    files: dict[str, tuple[str, int]],
    depends: tuple[str, ...] = (),
) -> None:
    """Write a minimal noarch conda package (.conda) into channel/noarch."""
    src = channel.parent / f"src-{name}-{version}"
    (src / "info").mkdir(parents=True)
    paths = []
    for rel, (text, mode) in files.items():
        target = src / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        target.chmod(mode)
        data = text.encode()
        paths.append(
            {
                "_path": rel,
                "path_type": "hardlink",
                "sha256": hashlib.sha256(data).hexdigest(),
                "size_in_bytes": len(data),
            }
        )
    index = {
        "name": name,
        "version": version,
        "build": "0",
        "build_number": 0,
        "depends": list(depends),
        "noarch": "generic",
        "subdir": "noarch",
        "arch": None,
        "platform": None,
        "timestamp": 1_700_000_000_000,
    }
    (src / "info/index.json").write_text(json.dumps(index))
    (src / "info/paths.json").write_text(json.dumps({"paths": paths, "paths_version": 1}))
    (src / "info/files").write_text("\n".join(files) + "\n")
    out = channel / "noarch"
    out.mkdir(parents=True, exist_ok=True)
    members = ["info/index.json", "info/paths.json", "info/files", *files]
    cph.create(str(src), members, f"{name}-{version}-0.conda", out_folder=str(out))
    shutil.rmtree(src)


def index(channel: Path) -> None:
    """Index the channel; like a real channel it gets this platform's subdir too (empty here)."""
    import rattler

    (channel / str(rattler.Subdir.current())).mkdir(parents=True, exist_ok=True)
    asyncio.run(rattler.index.index_fs(channel, write_zst=False, write_shards=False, force=True))


@pytest.fixture(scope="module")
def channel(tmp_path_factory) -> Path:
    channel = tmp_path_factory.mktemp("conda") / "channel"
    shim = f'#!/bin/sh\nexec "{sys.executable}" "$@"\n'
    build_noarch(channel, "python", "3.11.99", {"bin/python": (shim, 0o755)})
    build_noarch(
        channel,
        "tinydep",
        "1.0",
        {"share/tinydep/hello.txt": ("hello v1\n", 0o644)},
        depends=("python",),
    )
    index(channel)
    return channel


def env_file(tmp_path: Path, channel: Path, deps: list[str]) -> Path:
    path = tmp_path / "environment.yml"
    lines = [
        f"channels:\n  - {channel.as_uri()}\n",
        "dependencies:\n",
        *[f"  - {d}\n" for d in deps],
    ]
    path.write_text("".join(lines))
    return path


def run_install(tmp_path: Path, *extra: str):
    log: list[str] = []
    outcome = install(
        [
            "--backend",
            "rattler",
            "--file",
            str(tmp_path / "environment.yml"),
            "--prefix",
            str(tmp_path / "env"),
            *extra,
        ],
        out=log.append,
        available={"rattler": "py-rattler"},
        target=Target(),
        cache_dir=tmp_path / "cache",
    )
    return outcome, log


def installed(prefix: Path) -> set[str]:
    return {json.loads(p.read_text())["name"] for p in (prefix / "conda-meta").glob("*.json")}


def test_real_conda_env_from_a_local_channel_then_noop_update_force(tmp_path, channel):
    env_file(tmp_path, channel, ["python >=3.11"])
    prefix = tmp_path / "env"

    outcome, log = run_install(tmp_path)
    assert outcome.plan.action == "create"
    assert "backend: rattler (py-rattler)" in log
    assert any(line == f"environment: {prefix}" for line in log)
    # a real conda environment: conda-meta records, and its interpreter runs
    assert installed(prefix) == {"python"}
    proc = subprocess.run(
        [str(prefix / "bin/python"), "-c", "print(6 * 7)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.strip() == "42"
    stamp = json.loads((prefix / STAMP_NAME).read_text())
    assert stamp["backend"] == "rattler" and stamp["channels"] == [channel.as_uri()]
    meta_mtime = (prefix / "conda-meta").stat().st_mtime_ns

    # same file, env intact: no solve, no download. The channel's repodata is made unreadable to
    # prove nothing reads it.
    repodata = channel / "noarch/repodata.json"
    hidden = repodata.with_suffix(".hidden")
    repodata.rename(hidden)
    try:
        started = cpu_seconds()  # CPU, not wall time: a loaded machine must not fail it
        outcome, log = run_install(tmp_path)
        elapsed = cpu_seconds() - started
    finally:
        hidden.rename(repodata)
    assert outcome.plan.action == "noop" and any("up to date" in line for line in log)
    assert (prefix / "conda-meta").stat().st_mtime_ns == meta_mtime
    assert elapsed < 2.0

    # the file changed: update in place, adding the new package
    env_file(tmp_path, channel, ["python >=3.11", "tinydep"])
    outcome, _ = run_install(tmp_path)
    assert outcome.plan.action == "update"
    assert installed(prefix) == {"python", "tinydep"}
    assert (prefix / "share/tinydep/hello.txt").read_text() == "hello v1\n"

    # --force rebuilds from scratch: a stray file in the prefix is gone afterwards
    (prefix / "stray.txt").write_text("x")
    outcome, _ = run_install(tmp_path, "--force")
    assert outcome.plan.action == "rebuild" and not (prefix / "stray.txt").exists()
    assert installed(prefix) == {"python", "tinydep"}


def test_broken_interpreter_triggers_a_rebuild(tmp_path, channel):
    env_file(tmp_path, channel, ["python"])
    run_install(tmp_path)
    (tmp_path / "env/bin/python").unlink()
    outcome, _ = run_install(tmp_path)
    assert outcome.plan.action == "rebuild"
    assert (tmp_path / "env/bin/python").exists()


def test_unknown_package_fails_with_its_line_and_leaves_nothing_ready(tmp_path, channel):
    env_file(tmp_path, channel, ["python", "no-such-package >=1"])
    with pytest.raises(InstallError) as info:
        run_install(tmp_path)
    assert "package 'no-such-package' (environment.yml:5) was not found" in info.value.one_line()
    assert not (tmp_path / "env").exists()  # the failed create was removed again


def test_failed_update_keeps_the_env_unready_until_fixed(tmp_path, channel):
    env_file(tmp_path, channel, ["python"])
    run_install(tmp_path)
    env_file(tmp_path, channel, ["python", "tinydep >=5"])
    with pytest.raises(InstallError, match="tinydep"):
        run_install(tmp_path)
    state = observe(tmp_path / "env")
    assert state.stamp is None and state.updating  # never claims to be ready
    env_file(tmp_path, channel, ["python", "tinydep"])
    outcome, _ = run_install(tmp_path)
    assert outcome.plan.action == "rebuild" and read_stamp(tmp_path / "env")


def test_unreachable_channel_is_one_line(tmp_path):
    missing = tmp_path / "no-channel"
    env_file(tmp_path, missing, ["python"])
    with pytest.raises(InstallError) as info:
        run_install(tmp_path)
    assert info.value.one_line().startswith(f"cannot reach {missing.as_uri()}")
    assert not (tmp_path / "env").exists()


def test_extra_channel_is_searched_first(tmp_path, channel):
    # the file's own channel exists but is empty; only the --channel one has the packages
    empty = tmp_path / "empty-channel"
    (empty / "noarch").mkdir(parents=True)
    index(empty)
    env_file(tmp_path, empty, ["python"])
    outcome, _ = run_install(tmp_path, "--channel", channel.as_uri())
    assert outcome.plan.channels == (channel.as_uri(), empty.as_uri())
    assert installed(tmp_path / "env") == {"python"}


def serve(httpserver, channel: Path) -> str:
    """Serve the channel's files over HTTP (pytest-httpserver); anything else is a 404."""
    httpserver.no_handler_status_code = 404
    for path in channel.rglob("*"):
        if path.is_file() and ".tmp" not in path.parts:
            rel = path.relative_to(channel).as_posix()
            httpserver.expect_request(f"/channel/{rel}").respond_with_data(path.read_bytes())
    return httpserver.url_for("/channel")


def test_offline_installs_from_the_cache_of_an_http_channel(tmp_path, channel, httpserver):
    url = serve(httpserver, channel)
    env_file(tmp_path, channel, ["python"])
    (tmp_path / "environment.yml").write_text(f"channels: [{url}]\ndependencies: [python]\n")
    run_install(tmp_path)  # online: fills tmp_path/cache with repodata and the package
    assert any(req.path.endswith("repodata.json") for req, _ in httpserver.log)
    shutil.rmtree(tmp_path / "env")
    httpserver.clear()  # from here on every request would 404 and is logged
    outcome, _ = run_install(tmp_path, "--offline")
    assert outcome.plan.action == "create" and installed(tmp_path / "env") == {"python"}
    assert httpserver.log == []  # nothing was fetched
    shutil.rmtree(tmp_path / "cache")
    with pytest.raises(InstallError, match=r"--offline, and nothing is cached for http://") as info:
        run_install(tmp_path, "--offline", "--force")
    assert "without --offline" in info.value.fix


def test_forced_osx_arm64_subdir_solves_and_installs_for_that_platform(tmp_path, channel):
    """What a Rosetta shell on Apple silicon gets: the solve and the install target osx-arm64
    (here with noarch packages, which is all a Linux test can run), and the env keeps that subdir
    for later conda installs."""
    env_file(tmp_path, channel, ["python"])
    rosetta = Target("osx-arm64", True, ROSETTA_WARNING)
    log: list[str] = []
    argv = [
        "--backend",
        "rattler",
        "--file",
        str(tmp_path / "environment.yml"),
        "--prefix",
        str(tmp_path / "env"),
    ]
    outcome = install(
        argv,
        out=log.append,
        available={"rattler": "py-rattler"},
        target=rosetta,
        cache_dir=tmp_path / "cache",
    )
    assert outcome.plan.subdir == "osx-arm64"
    assert log[0] == f"WARNING: {ROSETTA_WARNING}"
    assert "subdir osx-arm64" in log[1]
    assert (tmp_path / "env/.condarc").read_text() == "subdir: osx-arm64\n"
    assert read_stamp(tmp_path / "env")["subdir"] == "osx-arm64"
    # the same env seen from a native shell (no forced subdir) is a different target: rebuilt
    again = install(
        argv,
        out=log.append,
        available={"rattler": "py-rattler"},
        target=Target(),
        cache_dir=tmp_path / "cache",
    )
    assert again.plan.action == "rebuild"
