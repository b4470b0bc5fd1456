"""bootstrap.py, the README's first command, run for real from the Pythons a fresh machine has.

Offline: the wheels come from the distributions installed in this interpreter
(tests/installed_wheels.py), pip and uv see them only through a pip configuration file
(`no-index` + `find-links`), which is also how the bootstrap's honouring of pip's configuration
is tested. The copy of the project gets its tool pins re-solved against that wheelhouse (the
committed pins carry PyPI's hashes); the committed pins themselves are checked by
test_committed_pins_from_the_index, which needs the index and is skipped offline.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import bootstrap
from tests.cputime import cpu_seconds

ROOT = Path(__file__).resolve().parents[1]
PYENV = Path.home() / ".pyenv" / "versions"
TOOL_DISTS = sorted(bootstrap.requirement_blocks(Path(bootstrap.REQUIREMENTS).read_text()))


def _pyenv(minor: str) -> Path | None:
    found = sorted(PYENV.glob(f"{minor}.*/bin/python3"))
    return found[-1] if found else None


def _base_python() -> Path:
    """The plain interpreter under this test venv (the machine's default python3 here)."""
    name = f"python{sys.version_info.major}.{sys.version_info.minor}"
    return Path(sys.base_prefix) / "bin" / name


DEBIAN = Path("/usr/bin/python3")
STARTS = {
    "default": _base_python(),
    "externally-managed": DEBIAN,
    "python3.9": _pyenv("3.9"),
}


def _start(kind: str) -> Path:
    python = STARTS[kind]
    if python is None or not python.exists():
        pytest.skip(f"no {kind} Python on this machine")
    if kind == "externally-managed":
        stdlib = subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not (Path(stdlib) / "EXTERNALLY-MANAGED").exists():
            pytest.skip(f"{python} is not externally managed (PEP 668) here")
    return python


# --- pure parts ------------------------------------------------------------------------------


def test_committed_pins_cover_the_noxfile_script_block_and_pin_uv():
    pins = bootstrap.requirement_blocks(Path(bootstrap.REQUIREMENTS).read_text())
    wanted = bootstrap.script_dependencies((ROOT / "noxfile.py").read_text())
    assert wanted, "the noxfile's `# /// script` block lists no dependencies"
    for text in [*wanted, *bootstrap.EXTRA_TOOLS]:
        req = Requirement(text)
        name = re.sub(r"[-_.]+", "-", req.name).lower()
        assert name in pins, f"{text} is not pinned: python3 bootstrap.py --upgrade-tools"
        version, line = pins[name]
        assert req.specifier.contains(version, prereleases=True), (text, version)
        assert "--hash=sha256:" in line, f"{name} pin has no hash"
    assert pins["uv"][0] == bootstrap.pinned_uv(Path(bootstrap.REQUIREMENTS).read_text())[0]


def test_requirement_blocks_joins_continuations_and_drops_comments():
    text = (
        "# header\nuv==0.13.9 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n    # via nox\n"
        "tomli==2.5.0 ; python_full_version < '3.11' \\\n    --hash=sha256:cc\n"
        "Ruamel.Yaml==0.19.1\n"
    )
    assert bootstrap.requirement_blocks(text) == {
        "uv": ("0.13.9", "uv==0.13.9 --hash=sha256:aa --hash=sha256:bb"),
        "tomli": ("2.5.0", "tomli==2.5.0 ; python_full_version < '3.11' --hash=sha256:cc"),
        "ruamel-yaml": ("0.19.1", "Ruamel.Yaml==0.19.1"),
    }
    with pytest.raises(bootstrap.BootstrapError, match="pins no uv"):
        bootstrap.pinned_uv("nox==1\n")


def test_pipconf_loads_by_path_under_the_oldest_start_python():
    """The bootstrap imports the installer's pipconf.py under Python 3.8: it must stay 3.8-proof."""
    python = _pyenv("3.8") or _pyenv("3.9")
    if python is None:
        pytest.skip("no Python 3.8 / 3.9 here")
    code = (
        "import bootstrap, json; "
        "f, p, e, s = bootstrap.uv_index({'PIP_INDEX_URL': 'http://127.0.0.1:9/simple', "
        "'PIP_FIND_LINKS': '/w1 /w2', 'PIP_CONSTRAINT': 'c.txt', 'PIP_CONFIG_FILE': '/dev/null'}); "
        "print(json.dumps([f, p]))"
    )
    out = subprocess.run([python, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    compile_flags, pinned_flags = __import__("json").loads(out.stdout)
    assert compile_flags[:2] == ["--default-index", "http://127.0.0.1:9/simple"]
    assert ["--find-links", "/w1"] == compile_flags[2:4]
    assert "--constraints" in compile_flags and "--constraints" not in pinned_flags


# --- real runs -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory) -> Path:
    """The tool pins' distributions as installed here, repacked; and pins solved against them."""
    from tests.installed_wheels import repack

    house = tmp_path_factory.mktemp("wheelhouse")
    import importlib.metadata

    for name in TOOL_DISTS:
        try:
            importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue  # only for other platforms / Pythons (colorama, tomli, ...)
        repack(name, house)
    return house


def _uv() -> str:
    import uv

    return uv.find_uv_bin()


def _project_copy(tmp: Path, house: Path) -> Path:
    """The tracked and new files of this checkout, with pins solved against the wheelhouse."""
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    dest = tmp / "project"
    for rel in files:
        if (ROOT / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)
    wanted = bootstrap.script_dependencies((ROOT / "noxfile.py").read_text())
    (tmp / "tools.in").write_text("\n".join([*wanted, *bootstrap.EXTRA_TOOLS]) + "\n")
    solved = subprocess.run(
        [
            _uv(),
            "pip",
            "compile",
            "--quiet",
            "--generate-hashes",
            "--no-header",
            "--no-index",
            "--find-links",
            str(house),
            "--python-version",
            "3.11",
            str(tmp / "tools.in"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "UV_CACHE_DIR": str(tmp / "uvc")},
    )
    assert solved.returncode == 0, solved.stderr
    (dest / "bootstrap-requirements.txt").write_text(solved.stdout)
    return dest


def _offline_env(tmp: Path, house: Path, path: str | None = None) -> dict[str, str]:
    conf = tmp / "pip.conf"
    conf.write_text(f"[global]\nno-index = true\nfind-links = {house}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_", "VIRTUAL_ENV"))}
    env.update(
        PIP_CONFIG_FILE=str(conf),
        UV_CACHE_DIR=str(tmp / "uv-cache"),
        UV_PYTHON_DOWNLOADS="never",  # nothing from the network, not even a managed Python
    )
    if path is not None:
        env["PATH"] = path
    return env


def _site_listing(python: Path) -> list[str]:
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return sorted(os.listdir(purelib)) if os.path.isdir(purelib) else []


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(STARTS))
def test_bootstrap_runs_nox_from_each_start_python_offline(kind, wheelhouse, tmp_path):
    python = _start(kind)
    project = _project_copy(tmp_path, wheelhouse)
    env = _offline_env(tmp_path, wheelhouse)
    before = _site_listing(python)

    first = subprocess.run(
        [python, "bootstrap.py", "-l"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert first.returncode == 0, first.stderr
    phases = [line for line in first.stderr.splitlines() if line.startswith("bootstrap: ")]
    assert len(phases) == 4, first.stderr
    assert phases[0].startswith("bootstrap: uv ") and "-> .tools/uv-" in phases[0]
    assert phases[1].startswith("bootstrap: tools venv .tools/venv with Python 3.")
    assert "pinned tools" in phases[2] and "hash-checked" in phases[2]
    assert str(tmp_path / "pip.conf") in phases[2]  # pip's configuration reached uv
    assert phases[3] == "bootstrap: nox -l"
    assert "- install ->" in first.stdout  # nox listed the noxfile's sessions
    tools_python = project / ".tools" / "venv" / "bin" / "python"
    version = subprocess.run(
        [
            tools_python,
            "-c",
            "import sys, nox, rattler, uv; print(sys.version_info[:2] >= (3, 10))",
        ],
        capture_output=True,
        text=True,
    )
    assert version.stdout.strip() == "True", version.stderr
    assert not (project / ".nox").exists(), "nox fell back to its script-mode venv"
    assert _site_listing(python) == before, "the start Python's site-packages changed"

    stamp = project / ".tools" / "venv" / "bootstrap-stamp.json"
    mtime = stamp.stat().st_mtime_ns
    started = cpu_seconds()  # of bootstrap.py and the nox it runs, whatever the load
    again = subprocess.run(
        [python, "bootstrap.py", "-l"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = cpu_seconds() - started
    assert again.returncode == 0, again.stderr
    assert "bootstrap: " not in again.stderr  # the no-op: straight to nox
    assert stamp.stat().st_mtime_ns == mtime
    assert "- install ->" in again.stdout
    assert elapsed < 15  # CPU seconds; bench measures the wall time properly


@pytest.mark.slow
def test_changed_pins_resync_the_tools_venv(wheelhouse, tmp_path):
    python = _start("default")
    project = _project_copy(tmp_path, wheelhouse)
    env = _offline_env(tmp_path, wheelhouse)
    subprocess.run(
        [python, "bootstrap.py", "-l"], cwd=project, env=env, check=True, capture_output=True
    )
    pins = project / "bootstrap-requirements.txt"
    pins.write_text("# a comment changes the pins' hash\n" + pins.read_text())
    out = subprocess.run(
        [python, "bootstrap.py", "-l"], cwd=project, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stderr.splitlines() if line.startswith("bootstrap:")]
    assert len(lines) == 2 and "pinned tools" in lines[0], out.stderr  # uv and venv reused
    assert lines[1] == "bootstrap: nox -l"


@pytest.mark.slow
def test_no_python_for_the_tools_is_one_line(wheelhouse, tmp_path):
    """From Python 3.9 with nothing newer on PATH and downloads off: one line with the fix."""
    python = _start("python3.9")
    project = _project_copy(tmp_path, wheelhouse)
    lonely = tmp_path / "bin"
    lonely.mkdir()
    (lonely / "python3").symlink_to(python)
    env = _offline_env(tmp_path, wheelhouse, path=str(lonely))
    out = subprocess.run(
        [python, "bootstrap.py", "-l"], cwd=project, env=env, capture_output=True, text=True
    )
    assert out.returncode == 1
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("bootstrap: uv venv --python >=3.10 failed")
    assert "Fix: install Python 3.10 or newer" in last
    assert "Traceback" not in out.stderr


def test_python_older_than_38_reruns_itself_or_says_why(tmp_path):
    python = _pyenv("3.7") or _pyenv("3.6")
    if python is None:
        pytest.skip("no Python 3.6 / 3.7 here")
    out = subprocess.run(
        [python, str(ROOT / "bootstrap.py"), "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0 and out.stdout.startswith("usage: python3 bootstrap.py")
    assert "too old to start from: re-running with" in out.stderr
    lonely = tmp_path / "bin"
    lonely.mkdir()
    out = subprocess.run(
        [python, str(ROOT / "bootstrap.py"), "-l"],
        capture_output=True,
        text=True,
        env={"PATH": str(lonely)},
    )
    assert out.returncode == 1
    assert out.stderr.startswith("bootstrap: no Python >= 3.8 found: this is 3.")
    assert len(out.stderr.strip().splitlines()) == 1


def test_python_without_pip_is_one_line(tmp_path, wheelhouse):
    project = _project_copy(tmp_path, wheelhouse)
    bare = tmp_path / "bare"
    subprocess.run([_base_python(), "-m", "venv", "--without-pip", bare], check=True)
    out = subprocess.run(
        [bare / "bin" / "python", "bootstrap.py", "-s", "tests"],
        cwd=project,
        capture_output=True,
        text=True,
        env=_offline_env(tmp_path, wheelhouse),
    )
    assert out.returncode == 1
    assert re.match(
        r"bootstrap: no pip for .*bare/bin/python \(Python 3\.\d+\.\d+\): "
        r"cannot get uv\. Fix: ",
        out.stderr,
    )


def test_help_lists_the_options_and_runs_nothing(tmp_path):
    out = subprocess.run(
        [sys.executable, str(ROOT / "bootstrap.py"), "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert out.returncode == 0
    for option in ("--reinstall", "--upgrade-tools", "-s install verify", "-s tests"):
        assert option in out.stdout
    assert not (ROOT / ".tools" / "never").exists()


@pytest.mark.skipif(
    os.environ.get("BOOTSTRAP_ONLINE") != "1",
    reason="needs the package index: the committed pins carry PyPI's hashes (tests never use "
    "the network; run by hand with BOOTSTRAP_ONLINE=1)",
)
def test_committed_pins_from_the_index(tmp_path):
    """End to end as a user runs it: the committed pins, fetched through this machine's pip
    configuration, from the default python3."""
    dest = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", ROOT, dest], check=True)
    shutil.copy2(ROOT / "bootstrap.py", dest / "bootstrap.py")
    shutil.copy2(ROOT / "bootstrap-requirements.txt", dest / "bootstrap-requirements.txt")
    out = subprocess.run(
        [_base_python(), "bootstrap.py", "-l"],
        cwd=dest,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    assert "- install ->" in out.stdout


def test_ci_runs_exactly_the_readme_test_line():
    block = (ROOT / "README.md").read_text().split("```sh\n", 1)[1].split("```", 1)[0]
    first, second = (line.split("#", 1)[0].strip() for line in block.strip().splitlines()[:2])
    assert first == "python3 bootstrap.py -s install verify"
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line.strip()]
    assert ci[-1] == second == "python3 bootstrap.py -s tests"
