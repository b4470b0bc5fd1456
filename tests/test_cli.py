"""`python -m verify` end to end: real subprocesses, real torch on CPU, the shipped JSON schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads(resources.files("verify").joinpath("schema/report-1.json").read_text())
HOSTS = ROOT / "tests" / "data" / "hosts"


def run_verify(
    *args: str, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "verify", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


BLOCK_TORCH = "import sys; sys.modules['torch'] = None\n"


def test_package_and_help_work_without_torch():
    """`import verify`, every module the parent uses, and --help never import torch."""
    code = BLOCK_TORCH + (
        "import verify, verify.cli, verify.report, verify.facts, verify.rules, verify.compat\n"
        "import verify.runner, verify.diagnosis.envdump, verify.diagnosis.diagnose\n"
        "from verify import checks; checks.load()\n"
        "from verify.cli import main\n"
        "raise SystemExit(main(['--help']))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "--expect-mps" in proc.stdout and "exit codes" in proc.stdout


def test_preflight_runs_host_rules_only_without_torch(tmp_path):
    code = BLOCK_TORCH + (
        "from verify.cli import main\n"
        f"raise SystemExit(main(['preflight', '--json', {str(tmp_path / 'p.json')!r}]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads((tmp_path / "p.json").read_text())
    jsonschema.validate(data, SCHEMA)
    ids = [c["id"] for c in data["checks"]]
    assert ids and all(i.startswith("host.") for i in ids)
    assert {"host.os", "host.arch", "host.python"} <= set(ids)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--level", "ultra"], "invalid choice"),
        (["--timeout", "-3"], "must be more than 0"),
        (["--device", "tpu"], "invalid choice"),
        (["--bogus"], "unrecognized arguments"),
        (["--only", "no.such.check"], "matches no check"),
        (["--facts", "/nonexistent/facts.json"], "cannot read"),
        (["diagnose"], "required"),
        (["diagnose", "/nonexistent.txt"], "cannot read"),
    ],
)
def test_usage_and_input_errors_exit_2_with_one_line(args, message):
    proc = run_verify(*args)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert message in lines[0] and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "not valid JSON"),
        ('{"os": 12}', "must be a string"),
        ("[1, 2]", "must be a JSON object"),
        ('{"mps_built": "yes"}', "true, false or null"),
    ],
)
def test_bad_facts_files_exit_2_with_one_line(tmp_path, content, message):
    path = tmp_path / "facts.json"
    path.write_text(content)
    proc = run_verify("--facts", str(path))
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and message in proc.stderr


def test_list_checks_names_contract_ids_by_level():
    quick = run_verify("--list-checks").stdout
    standard = run_verify("--list-checks", "--level", "standard").stdout
    for cid in ("device.alloc", "device.compute", "device.context", "device.default"):
        assert cid in quick
    for cid in ("dtypes.float32", "nn.forward", "nn.backward", "nn.train"):
        assert cid not in quick and cid in standard
    assert "parity." in standard


def facts_files() -> list[Path]:
    return sorted(HOSTS.glob("*.json"))


@pytest.mark.parametrize("path", facts_files(), ids=lambda p: p.stem)
def test_replayed_facts_give_a_valid_report_and_matching_exit_code(path, tmp_path):
    out = tmp_path / "r.json"
    proc = run_verify(
        "--facts", str(path), "--json", str(out), "--junit-xml", str(tmp_path / "j.xml")
    )
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads(out.read_text())
    jsonschema.validate(data, SCHEMA)
    assert data["mode"] == "replayed" and data["host"]["source"] == "replayed"
    assert (proc.returncode == 0) == (data["verdict"] == "ready")
    device_rows = [c for c in data["checks"] if c["id"].startswith("device.")]
    assert device_rows and all(c["status"] == "skip" for c in device_rows)
    assert all(c["detail"] == "facts replayed" for c in device_rows)
    ET.parse(tmp_path / "j.xml")


def test_quick_tier_on_cpu_is_ready_and_reports_every_check(tmp_path):
    out = tmp_path / "r.json"
    proc = run_verify("--device", "cpu", "--json", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(out.read_text())
    jsonschema.validate(data, SCHEMA)
    assert data["device"] == "cpu" and data["verdict"] == "ready"
    statuses = {c["id"]: c["status"] for c in data["checks"]}
    for cid in ("device.alloc", "device.compute", "device.context", "device.default"):
        assert statuses[cid] == "pass"
    # Linux: MPS is not expected, its rows say so instead of failing.
    assert statuses["mps.available"] == "skip"
    assert data["host"]["torch_version"].startswith("2.")
    # the live view printed one line per check, then the verdict
    assert "PASS  device.alloc" in proc.stdout
    assert proc.stdout.rstrip().splitlines()[-1].startswith("READY")


def test_expect_mps_on_linux_fails_with_cause_and_skips_device_checks(tmp_path):
    proc = run_verify("--device", "cpu", "--expect-mps", "--json", "-")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)  # --json - keeps stdout for the JSON alone
    jsonschema.validate(data, SCHEMA)
    rows = {c["id"]: c for c in data["checks"]}
    assert rows["mps.available"]["status"] == "fail" or rows["mps.built"]["status"] == "fail"
    assert rows["device.alloc"]["status"] == "skip"
    assert rows["device.alloc"]["detail"].startswith("needs mps.")
    assert "NOT READY" in proc.stderr


def test_facts_command_prints_replayable_json(tmp_path):
    proc = run_verify("facts")
    assert proc.returncode == 0, proc.stderr
    facts = json.loads(proc.stdout)
    assert facts["os"] == "Linux" and facts["torch_version"].startswith("2.")
    assert facts["mps_built"] is False
    path = tmp_path / "facts.json"
    path.write_text(proc.stdout)
    assert run_verify("--facts", str(path)).returncode == 0


def test_a_device_asked_for_by_name_that_cannot_be_used_fails_device_select():
    proc = run_verify("--device", "cuda", "--json", "-")
    assert proc.returncode == 1
    rows = {c["id"]: c for c in json.loads(proc.stdout)["checks"]}
    assert rows["device.select"]["status"] == "fail"
    assert "cuda" in rows["device.select"]["cause"] and rows["device.select"]["fix"]
    assert rows["device.alloc"]["status"] == "skip"
    assert rows["device.alloc"]["detail"] == "needs device.select"


def test_without_torch_the_verdict_names_torch_installed_and_device_checks_wait(tmp_path):
    """torch made unimportable in the worker (as in an env without it): fail with the fix."""
    (tmp_path / "sitecustomize.py").write_text("import sys\nsys.modules['torch'] = None\n")
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}", "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "verify", "--json", "-"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    rows = {c["id"]: c for c in json.loads(proc.stdout)["checks"]}
    assert rows["torch.installed"]["status"] == "fail"
    assert "nox -s install" in rows["torch.installed"]["fix"]
    assert rows["device.alloc"]["status"] == "skip"
    assert rows["device.alloc"]["detail"] == "needs torch.installed"
