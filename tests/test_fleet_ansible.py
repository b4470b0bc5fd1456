"""fleet/onboard.yml for real: ansible-playbook against this machine through the local
connection, two inventory hosts on two prefixes, the installer's uv backend offline from this
machine's own wheel sources (pip's find-links, as tests/test_install_uv.py does), real torch.

Asserts: --check on fresh hosts changes nothing and says what it would do; the run installs both
environments, verifies them, fetches both reports and `verify fleet` counts them; a second run
and a second --check change nothing (idempotent).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.utils import parse_wheel_filename

from scripts.install import pipconf

ROOT = Path(__file__).resolve().parent.parent
PLAYBOOK = ROOT / "fleet" / "onboard.yml"
HOSTS = ("alpha", "beta")


def tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name  # the venv running the tests first
    return str(beside) if beside.exists() else shutil.which(name)


ANSIBLE = tool("ansible-playbook")
LOCAL_WHEELS = ROOT / "tests" / "data" / "wheels"  # see its README.md


def local_torch_wheel() -> Path | None:
    """A torch wheel for this Python in one of pip's find-links folders, or None."""
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    for link in pipconf.read().find_links:
        folder = Path(link.removeprefix("file://"))
        for wheel in sorted(folder.glob("torch-*.whl")) if folder.is_dir() else ():
            if any(t.interpreter == tag for t in parse_wheel_filename(wheel.name)[3]):
                return wheel
    return None


WHEEL = local_torch_wheel()
LINT = tool("ansible-lint")
needs_ansible = pytest.mark.skipif(
    ANSIBLE is None, reason="ansible-core (ansible-playbook) not installed"
)
needs_uv_git_and_a_local_torch = pytest.mark.skipif(
    tool("uv") is None or shutil.which("git") is None or WHEEL is None,
    reason="needs uv, git and a torch wheel for this Python in pip's find-links",
)


@needs_ansible
def test_syntax_check(tmp_path):
    proc = subprocess.run(
        [ANSIBLE, "--syntax-check", "-i", str(ROOT / "fleet/inventory.example.yml"), str(PLAYBOOK)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "ANSIBLE_HOME": str(tmp_path), "ANSIBLE_LOCAL_TEMP": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.skipif(LINT is None, reason="ansible-lint not installed (pip install ansible-lint)")
def test_ansible_lint_production_profile(tmp_path):
    proc = subprocess.run(
        [
            LINT,
            "--offline",
            "--nocolor",
            "--profile",
            "production",
            str(PLAYBOOK),
            str(ROOT / "fleet/roles/kit"),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=600,
        env={**os.environ, "ANSIBLE_HOME": str(tmp_path / "ansible-home")},
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "Profile 'production' was required, and it passed" in proc.stdout + proc.stderr


def kit_repo(tmp_path: Path) -> Path:
    """A git repository of this working tree as it is (tracked and new files, not ignored ones),
    the kit_repo the playbook clones on each host."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    repo = tmp_path / "kit.git"
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "kit"], cwd=repo, check=True)
    return repo


def inventory(tmp_path: Path, repo: Path) -> Path:
    constraint = tmp_path / "constraints.txt"
    version = parse_wheel_filename(WHEEL.name)[1].public
    constraint.write_text(f"torch=={version}\n")  # this machine's local torch, nothing newer
    hosts = {
        name: {"ansible_connection": "local", "kit_home": str(tmp_path / "hosts" / name)}
        for name in HOSTS
    }
    data = {
        "all": {
            "hosts": hosts,
            "vars": {
                "ansible_python_interpreter": sys.executable,
                "kit_repo": str(repo),
                "kit_install_nox": False,
                "kit_nox_argv": [sys.executable, "-m", "nox"],
                # --no-lock: the committed lock pins PyPI files this box's local sources lack
                "kit_install_args": ["--backend", "uv", "--offline", "--no-lock"],
                "kit_environment": {
                    "PIP_CONSTRAINT": str(constraint),
                    # + expecttest (environment.yml), which the box's sources lack
                    "PIP_FIND_LINKS": " ".join([*pipconf.read().find_links, str(LOCAL_WHEELS)]),
                    # a uv cache of its own, as tests/test_install_uv.py: offline, uv would
                    # otherwise pick a PyPI file from index pages cached by an earlier online
                    # run (nox -s lock) and fail to download it
                    "UV_CACHE_DIR": str(tmp_path / "uv-cache"),
                },
                "kit_level": "quick",
                "kit_device": "cpu",
                "kit_reports_dir": str(tmp_path / "reports"),
                "kit_summary_python": sys.executable,
            },
        }
    }
    path = tmp_path / "inventory.json"  # JSON is YAML: the yaml inventory plugin reads it
    path.write_text(json.dumps(data))
    return path


def play(tmp_path: Path, inv: Path, *extra: str) -> tuple[subprocess.CompletedProcess, dict]:
    env = {
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        "HOME": str(Path.home()),
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
        "ANSIBLE_REMOTE_TEMP": str(tmp_path / "ansible-remote-tmp"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_DEPRECATION_WARNINGS": "0",
        "LANG": "C.UTF-8",
    }
    proc = subprocess.run(
        [ANSIBLE, "-i", str(inv), str(PLAYBOOK), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=900,
    )
    recap = {
        m.group(1): {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(2))}
        for m in re.finditer(r"^(\S+)\s+: (ok=.*)$", proc.stdout, flags=re.M)
    }
    return proc, recap


@pytest.mark.slow
@needs_ansible
@needs_uv_git_and_a_local_torch
def test_onboard_two_hosts_for_real_then_nothing_changes(tmp_path):
    inv = inventory(tmp_path, kit_repo(tmp_path))
    reports = tmp_path / "reports"

    checked, recap = play(tmp_path, inv, "--check")
    assert checked.returncode == 0, checked.stdout[-3000:] + checked.stderr[-2000:]
    for host in HOSTS:
        assert recap[host]["failed"] == 0 and recap[host]["changed"] >= 2, recap
        assert not (tmp_path / "hosts" / host / "src").exists()  # check mode changed nothing
    assert "check mode: would run nox -s install" in checked.stdout
    assert not reports.exists()

    first, recap = play(tmp_path, inv)
    assert first.returncode == 0, first.stdout[-5000:] + first.stderr[-2000:]
    for host in HOSTS:
        assert recap[host]["failed"] == 0 and recap[host]["changed"] >= 3, recap
        report = json.loads((reports / f"{host}.json").read_text())
        assert report["schema"] == 1 and report["device"] == "cpu"
        assert report["verdict"] == "ready", [c for c in report["checks"] if c["status"] == "fail"]
        prefix = tmp_path / "hosts" / host / "env"
        assert report["host"]["python_executable"].startswith(str(prefix))
        assert report["host"]["torch_version"].startswith(
            parse_wheel_filename(WHEEL.name)[1].public
        )
    first_created = json.loads((reports / "alpha.json").read_text())["created"]
    summary = json.loads((reports / "fleet.json").read_text())
    assert summary["counts"]["environments"] == 2 and summary["counts"]["ready"] == 2
    assert summary["counts"]["machines"] == 1  # one machine (one host.id), two environments
    assert sorted(m["name"] for m in summary["machines"]) == list(HOSTS)
    assert "FLEET READY all 2 ready (2 environments on 1 machines)" in first.stdout
    assert (reports / "fleet.md").exists() and (reports / "fleet.html").exists()

    second, recap = play(tmp_path, inv)
    assert second.returncode == 0, second.stdout[-3000:]
    for host in HOSTS:
        assert recap[host]["changed"] == 0 and recap[host]["failed"] == 0, recap
    # verify ran again and its new report came back
    assert json.loads((reports / "alpha.json").read_text())["created"] >= first_created

    rechecked, recap = play(tmp_path, inv, "--check")
    assert rechecked.returncode == 0
    for host in HOSTS:
        assert recap[host]["changed"] == 0, recap
