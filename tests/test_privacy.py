"""No personal data in reports: the home folder (whose name is the login) is written "~".

The CLI runs for real under a HOME named after a fake user, from a Python that lives in that home
(a venv there, with the dev venv's packages on its path so torch imports), the way a Miniforge
user's /Users/<name>/miniforge3/bin/python does.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from verify.privacy import home_folders, scrub

ROOT = Path(__file__).resolve().parent.parent
USER = "zqxuserpriv"  # a login name that occurs nowhere else
SCHEMA = json.loads(resources.files("verify").joinpath("schema/report-1.json").read_text())


def test_scrub_writes_the_home_folder_as_tilde_and_nothing_else():
    home = "/Users/al"
    data = {
        "exe": "/Users/al/miniforge3/bin/python",
        "list": ["/Users/al", "dlopen(/Users/al/x.dylib): no", "/Users/alice/y", "/Users/al.bak"],
        "n": 3,
        "flag": None,
    }
    assert scrub(data, home) == {
        "exe": "~/miniforge3/bin/python",
        "list": ["~", "dlopen(~/x.dylib): no", "/Users/alice/y", "/Users/al.bak"],
        "n": 3,
        "flag": None,
    }
    assert scrub("/x/y", "/") == "/x/y"  # no usable home: nothing replaced
    assert home_folders("/") == ()


@pytest.fixture(scope="module")
def fake_home(tmp_path_factory):
    """(home, env): HOME=<tmp>/Users/<USER>, a venv in it that sees the dev venv's packages."""
    home = tmp_path_factory.mktemp("privacy") / "Users" / USER
    venv = home / "miniforge3"
    home.mkdir(parents=True)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    # the dev venv's site-packages (torch, rich, ...) and this checkout, through a .pth file
    lib = next((venv / "lib").glob("python3*")) / "site-packages"
    lib.joinpath("devenv.pth").write_text(
        "\n".join([*site.getsitepackages(), str(ROOT)]) + "\n", encoding="utf-8"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "CONDA_PREFIX", "PYTHONPATH", "PYTHONHOME")
    }
    env.update(
        HOME=str(home),
        USER=USER,
        LOGNAME=USER,
        VIRTUAL_ENV=str(venv),
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
    )
    return home, venv / "bin" / "python", env


def _run(python: Path, args: list[str], home: Path, env: dict[str, str]):
    work = home / "project"
    work.mkdir(exist_ok=True)
    return subprocess.run(
        [str(python), "-m", "verify", *args],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_reports_facts_junit_and_fleet_carry_no_user_name(fake_home):
    home, python, env = fake_home
    reports = home / "reports"
    junit = home / "junit.xml"
    run = _run(
        python,
        ["--level", "quick", "--device", "cpu", "--json", "-", "--junit-xml", str(junit)],
        home,
        env,
    )
    assert run.returncode in (0, 1), run.stderr
    report = json.loads(run.stdout)
    jsonschema.validate(report, SCHEMA)
    # the interpreter really is under the fake home, and is written from "~"
    assert report["host"]["python_executable"] == "~/miniforge3/bin/python"
    assert report["host"]["env"]["VIRTUAL_ENV"] == "~/miniforge3"
    assert report["host"]["torch_version"], report["host"]  # torch imported from that Python
    reports.mkdir()
    (reports / "mac.json").write_text(run.stdout, encoding="utf-8")
    (reports / "broken.json").write_text("{not json", encoding="utf-8")  # named by its path

    facts = _run(python, ["facts"], home, env)
    assert facts.returncode == 0, facts.stderr
    assert json.loads(facts.stdout)["python_executable"] == "~/miniforge3/bin/python"

    fleet = _run(python, ["fleet", str(reports), "--json", "-"], home, env)
    assert fleet.returncode == 2, fleet.stderr  # the unreadable input
    assert "~/reports/broken.json" in fleet.stderr
    json.loads(fleet.stdout)

    texts = {
        "report stdout": run.stdout,
        "report console": run.stderr,
        "junit": junit.read_text(encoding="utf-8"),
        "facts": facts.stdout + facts.stderr,
        "fleet": fleet.stdout + fleet.stderr,
    }
    for name, text in texts.items():
        assert USER not in text, f"{name} names the user:\n{text}"


# diagnose quotes other people's pastes: their login, their Mac's name and its serial are masked
# in every line it quotes (verify.diagnosis.paste.clues.quote), in the console and in the JSON
PASTED_NAMES = {
    # a zsh prompt on "Romans-MacBook-Pro.local" (lllyasviel/Fooocus#3236)
    "fooocus-3236-docker-gpus-all-on-m3-max-macbook": (("Romans",), "...-MacBook-Pro.local"),
    # fish's "awinn@Adams-Mac-mini ~/Downloads>" (Homebrew/homebrew-core#67713)
    "homebrew-core-67713-m1-rosetta-python-crash-report-code-type": (("awinn", "Adams"), None),
}


@pytest.mark.parametrize("name", sorted(PASTED_NAMES))
def test_diagnose_masks_the_login_and_the_macs_name_of_a_paste(name, tmp_path):
    import corpus

    case = corpus.load(corpus.CORPUS_DIR / f"{name}.txt")
    paste = tmp_path / "paste.txt"
    paste.write_text(case.text, encoding="utf-8")  # the user's text, without our header
    words, kept = PASTED_NAMES[name]
    assert all(word in case.text for word in words)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "verify",
            "diagnose",
            str(paste),
            "--json",
            str(tmp_path / "r.json"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    report = (tmp_path / "r.json").read_text(encoding="utf-8")
    evidence = [line for c in json.loads(report)["checks"] for line in c.get("evidence", [])]
    if kept:  # the kind of Mac stays readable where a row rests on that line
        assert any(kept in line for line in evidence), evidence
    for word in words:
        assert word not in run.stdout + run.stderr + report, word


def test_a_quoted_line_keeps_what_is_no_ones():
    from verify.diagnosis.paste.clues import quote

    assert quote("brew install python@3.11") == "brew install python@3.11"  # no address
    assert quote("root@3f2a:/app# python x.py") == "root@...:/app# python x.py"
    assert quote("      Serial Number (system): C02XK1ABCDEF") == "Serial Number (system): ..."
    assert quote("Darwin Jos-iMac.local 22.1.0") == "Darwin ...-iMac.local 22.1.0"
