"""Lock files for real, offline: `nox -s lock` over a local conda channel (py-rattler solves and
writes conda.lock) and local wheels (uv compiles the PyPI side with hashes), then `nox -s install`
installing exactly the lock on two prefixes with each backend, stale and --no-lock, the no-op,
and an unreachable channel (the conda side says why, the PyPI side is still locked)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("rattler")

from scripts.install import envfile, lock, pipconf
from scripts.install.cli import install, lock_environment
from scripts.install.errors import InstallError
from scripts.install.target import Target
from tests.cputime import cpu_seconds
from tests.test_install_rattler import build_noarch, index
from tests.test_install_uv import write_wheel


def _uv() -> str | None:
    try:
        import uv  # the uv wheel (nox[uv]); its binary need not be on PATH

        return uv.find_uv_bin()
    except (ImportError, FileNotFoundError):
        return shutil.which("uv")


UV = _uv()
pytestmark = [
    pytest.mark.skipif(UV is None, reason="uv not installed"),
    pytest.mark.skipif(sys.platform == "win32", reason="the python shim is a POSIX script"),
]
PY = f"{sys.version_info.major}.{sys.version_info.minor}"


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> tuple[Path, Path]:
    """A conda channel (python shim + tinydep, noarch; both fleet subdirs indexed) and a
    find-links folder with the PyPI side's wheels."""
    root = tmp_path_factory.mktemp("sources")
    channel = root / "channel"
    shim = f'#!/bin/sh\nexec "{sys.executable}" "$@"\n'
    build_noarch(channel, "python", f"{PY}.99", {"bin/python": (shim, 0o755)})
    build_noarch(
        channel, "tinydep", "1.0", {"share/tinydep/hello.txt": ("hello\n", 0o644)}, ("python",)
    )
    build_noarch(
        channel, "tinydep", "2.0", {"share/tinydep/hello.txt": ("hello 2\n", 0o644)}, ("python",)
    )
    for subdir in lock.FLEET_PLATFORMS:
        (channel / subdir).mkdir(parents=True, exist_ok=True)
    index(channel)
    wheels = root / "wheels"
    write_wheel(wheels, "tinydep", "1.0", "VERSION = 1\n")
    write_wheel(wheels, "tinydep", "2.0", "VERSION = 2\n")
    return channel, wheels


@pytest.fixture(autouse=True)
def _uv_offline(monkeypatch, tmp_path):
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "uv-cache"))
    monkeypatch.setenv("UV_NO_CONFIG", "1")
    monkeypatch.setenv("UV_PYTHON_DOWNLOADS", "never")


def project(tmp_path: Path, channel: Path, deps=("tinydep",)) -> Path:
    env = tmp_path / "environment.yml"
    body = "".join(f"  - {d}\n" for d in (f"python >={PY}", *deps))
    env.write_text(f"channels:\n  - {channel.as_uri()}\ndependencies:\n{body}")
    return env


def cfg(wheels: Path) -> pipconf.PipIndexConfig:
    return pipconf.read(env={"PIP_FIND_LINKS": str(wheels), "PIP_NO_INDEX": "1"}, files=[])


AVAILABLE = {"rattler": "py-rattler", "uv": UV or "uv"}


def make_lock(env: Path, wheels: Path, tmp_path: Path, **kw) -> list[str]:
    lines: list[str] = []
    lock_environment(
        ["--file", str(env), *kw.pop("argv", [])],
        out=lines.append,
        available=kw.pop("available", AVAILABLE),
        pip_config=cfg(wheels),
        target=Target(),
        cache_dir=tmp_path / "cache",
    )
    return lines


def run_install(env: Path, prefix: Path, wheels: Path, tmp_path: Path, *extra: str):
    log: list[str] = []
    outcome = install(
        ["--file", str(env), "--prefix", str(prefix), *extra],
        out=log.append,
        available=AVAILABLE,
        target=Target(),
        pip_config=cfg(wheels),
        cache_dir=tmp_path / "cache",
    )
    return outcome, log


def conda_listing(prefix: Path) -> bytes:
    """The installed conda packages with what identifies each exactly, as bytes."""
    rows = []
    for meta in sorted((prefix / "conda-meta").glob("*.json")):
        record = json.loads(meta.read_text())
        rows.append({k: record.get(k) for k in ("name", "version", "build", "url", "sha256")})
    return json.dumps(rows, sort_keys=True).encode()


def pypi_listing(prefix: Path) -> bytes:
    return subprocess.run(
        [UV, "pip", "freeze", "--python", str(prefix / "bin" / "python")],
        capture_output=True,
        check=True,
    ).stdout


def test_lock_records_both_sides_with_urls_and_hashes_and_no_local_paths(tmp_path, sources):
    channel, wheels = sources
    env = project(tmp_path, channel)
    lines = make_lock(env, wheels, tmp_path)
    folder = tmp_path / "environment.lock"
    manifest = json.loads((folder / "lock.json").read_text())
    spec_sha = __import__("hashlib").sha256(env.read_bytes()).hexdigest()
    assert manifest["environment_sha256"] == spec_sha
    assert manifest["platforms"] == ["osx-arm64", "linux-64"]  # the host (linux-64) is one
    assert set(manifest["conda"].values()) == {"locked"}
    assert set(manifest["pypi"].values()) == {"locked"}
    assert lines[0] == "conda side locked for osx-arm64, linux-64 (conda.lock)"

    # conda side: rattler's own lock format, read back by rattler, URL + sha256 per package
    for subdir in ("osx-arm64", "linux-64"):
        records = lock.load_conda_records(folder / "conda.lock", subdir)
        assert sorted(r.name.normalized for r in records) == ["python", "tinydep"]
        for record in records:
            assert record.url.startswith(channel.as_uri()) and len(record.sha256.hex()) == 64
        assert {str(r.version) for r in records if r.name.normalized == "tinydep"} == {"2.0"}

    # PyPI side: uv's pins with the wheel's sha256, and nothing naming this machine's folders
    for subdir in ("osx-arm64", "linux-64"):
        text = (folder / f"pypi-{subdir}.txt").read_text()
        wheel = (wheels / "tinydep-2.0-py3-none-any.whl").read_bytes()
        assert "tinydep==2.0" in text
        assert f"--hash=sha256:{__import__('hashlib').sha256(wheel).hexdigest()}" in text
        assert str(wheels) not in text and str(tmp_path) not in text


def test_two_installs_from_one_lock_are_byte_identical_and_need_no_solve(tmp_path, sources):
    channel, wheels = sources
    env = project(tmp_path, channel)
    make_lock(env, wheels, tmp_path)
    # the lock says tinydep 2.0; a newer-looking file would make a solve pick differently, so
    # pin the proof: hide the channel's repodata - installing from the lock never reads it
    hidden = []
    for repodata in channel.glob("*/repodata.json"):
        repodata.rename(repodata.with_suffix(".hidden"))
        hidden.append(repodata)
    try:
        first, log = run_install(env, tmp_path / "a", wheels, tmp_path)
        run_install(env, tmp_path / "b", wheels, tmp_path)
    finally:
        for repodata in hidden:
            repodata.with_suffix(".hidden").rename(repodata)
    assert first.plan.backend == "rattler" and first.plan.action == "create"
    assert log[0] == "lock: conda.lock for linux-64 with py-rattler"
    assert conda_listing(tmp_path / "a") == conda_listing(tmp_path / "b")
    assert b'"tinydep"' in conda_listing(tmp_path / "a") and b'"2.0"' in conda_listing(
        tmp_path / "a"
    )

    # the PyPI side of the same lock, with uv, on two more prefixes
    uv_a, log = run_install(env, tmp_path / "c", wheels, tmp_path, "--backend", "uv")
    run_install(env, tmp_path / "d", wheels, tmp_path, "--backend", "uv")
    assert uv_a.plan.backend == "uv" and log[0] == "lock: pypi-linux-64.txt with uv"
    assert pypi_listing(tmp_path / "c") == pypi_listing(tmp_path / "d") == b"tinydep==2.0\n"


def test_noop_rerun_from_the_lock_stays_under_a_second(tmp_path, sources):
    channel, wheels = sources
    env = project(tmp_path, channel)
    make_lock(env, wheels, tmp_path)
    run_install(env, tmp_path / "env", wheels, tmp_path, "--backend", "uv")
    started = cpu_seconds()  # CPU, not wall time: a loaded machine must not fail it
    again, log = run_install(env, tmp_path / "env", wheels, tmp_path, "--backend", "uv")
    assert again.plan.action == "noop" and any("up to date" in line for line in log)
    assert cpu_seconds() - started < 1.0
    # a re-lock that changes the pins is an update of the same environment
    (wheels / "tinydep-2.0-py3-none-any.whl").rename(tmp_path / "away.whl")
    try:
        make_lock(env, wheels, tmp_path)
        updated, _ = run_install(env, tmp_path / "env", wheels, tmp_path, "--backend", "uv")
    finally:
        (tmp_path / "away.whl").rename(wheels / "tinydep-2.0-py3-none-any.whl")
    assert updated.plan.action == "update"
    assert pypi_listing(tmp_path / "env") == b"tinydep==1.0\n"


def test_stale_lock_is_one_line_and_no_lock_ignores_it(tmp_path, sources):
    channel, wheels = sources
    env = project(tmp_path, channel)
    make_lock(env, wheels, tmp_path)
    project(tmp_path, channel, deps=("tinydep <2",))
    with pytest.raises(InstallError) as info:
        run_install(env, tmp_path / "env", wheels, tmp_path)
    assert info.value.one_line() == (
        "lock is stale (environment.yml changed): run nox -s lock. "
        "Fix: nox -s lock, or -- --no-lock to install environment.yml without it"
    )
    assert not (tmp_path / "env").exists()
    outcome, log = run_install(env, tmp_path / "env", wheels, tmp_path, "--no-lock")
    assert outcome.plan.action == "create" and not any(line.startswith("lock:") for line in log)
    assert b'"1.0"' in conda_listing(tmp_path / "env")  # solved from the file: tinydep <2
    assert json.loads((tmp_path / "env/torch-mps-kit-install.json").read_text())["no_lock"]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_channel_locks_the_pypi_side_and_says_why_once(tmp_path, sources):
    _, wheels = sources
    env = tmp_path / "environment.yml"
    env.write_text(
        f"channels:\n  - http://127.0.0.1:{_closed_port()}/conda-forge\n"
        f"dependencies:\n  - python >={PY}\n  - tinydep\n"
    )
    lines = make_lock(env, wheels, tmp_path)
    conda_lines = [line for line in lines if line.startswith("conda side")]
    assert len(conda_lines) == 1
    assert conda_lines[0].startswith("conda side not locked for osx-arm64, linux-64: ")
    assert "127.0.0.1" in conda_lines[0]
    assert "PyPI side locked for linux-64: 1 packages (pypi-linux-64.txt)" in lines
    assert not (tmp_path / "environment.lock/conda.lock").exists()

    # install: the lock's PyPI side, with uv, saying in one line why not the conda side
    outcome, log = run_install(env, tmp_path / "env", wheels, tmp_path)
    assert outcome.plan.backend == "uv"
    assert log[0].startswith("lock: pypi-linux-64.txt with uv (conda side not locked: ")
    assert pypi_listing(tmp_path / "env") == b"tinydep==2.0\n"
    # pinning a conda backend to this lock is one error naming why
    with pytest.raises(InstallError, match="the lock has no conda side for linux-64"):
        run_install(env, tmp_path / "env2", wheels, tmp_path, "--backend", "rattler")


def test_lock_options_are_one_line_errors(tmp_path, sources):
    _, wheels = sources
    with pytest.raises(InstallError, match=r"^nox -s lock: unrecognized arguments: --bogus"):
        make_lock(tmp_path / "environment.yml", wheels, tmp_path, argv=["--bogus"])


def test_status_reads_only_the_manifest(tmp_path):
    env = tmp_path / "environment.yml"
    env.write_text("dependencies: [python]\n")
    assert lock.status(env, "abc").state == "absent"
    folder = lock.lock_dir(env)
    folder.mkdir()
    manifest = lock.Manifest(
        "abc", ("linux-64",), "3.11", {"linux-64": "x"}, {"linux-64": "locked"}
    )
    (folder / "lock.json").write_text(manifest.to_json())
    assert lock.status(env, "abc").fresh
    assert lock.status(env, "def").state == "stale"
    assert lock.status(env, "abc", ignore=True).state == "ignored"
    assert lock.status(env, "abc").pypi_file("linux-64") == folder / "pypi-linux-64.txt"
    assert lock.status(env, "abc").pypi_file("osx-arm64") is None
    (folder / "lock.json").write_text("{not json")
    assert lock.status(env, "abc").state == "absent"


def test_the_committed_lock_matches_the_committed_environment_yml():
    """The README's first command installs environment.lock/: a change to environment.yml
    without `nox -s lock` would stop every fresh install with "lock is stale"."""
    root = Path(__file__).resolve().parents[1]
    spec = envfile.load(root / "environment.yml")
    state = lock.status(root / "environment.yml", spec.sha256)
    assert state.fresh, "environment.yml changed: run nox -s lock (docs/install.md)"
    for subdir in ("osx-arm64", "linux-64"):
        assert state.pypi_file(subdir) is not None or state.conda_locked(subdir)
