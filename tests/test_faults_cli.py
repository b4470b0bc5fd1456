"""Faults through the whole command: nothing lost, the JSON validates, the exit code is right.

The faulty checks come from tests/fault_checks.py, registered with the real @check decorator and
loaded with the CLI's own `--checks-module` option (no internals edited).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import jsonschema

from tests.cputime import cpu_seconds
from tests.interrupt import sigint_as_typed

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads(resources.files("verify").joinpath("schema/report-1.json").read_text())
FAULTS = [
    "fault.ok",
    "fault.raises",
    "fault.hang",
    "fault.segfault",
    "fault.exit",
    "fault.mps_oom",
    "fault.float64",
]


def verify_argv(*args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "verify",
        "--device",
        "cpu",
        "--level",
        "full",
        "--checks-module",
        "tests.fault_checks",
        *args,
    ]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "200"}


def test_every_fault_is_contained_and_reported(tmp_path):
    only = [a for f in FAULTS for a in ("--only", f)]
    report, junit = tmp_path / "r.json", tmp_path / "j.xml"
    started = cpu_seconds()  # CPU, not wall time: other processes' load does not count
    proc = subprocess.run(
        verify_argv(*only, "--json", str(report), "--junit-xml", str(junit)),
        cwd=ROOT,
        env=env(),
        capture_output=True,
        text=True,
        timeout=180,
    )
    elapsed = cpu_seconds() - started
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout
    data = json.loads(report.read_text())
    jsonschema.validate(data, SCHEMA)
    rows = {c["id"]: c for c in data["checks"]}
    assert [c["id"] for c in data["checks"] if c["id"].startswith("fault.")] == FAULTS
    assert rows["fault.ok"]["status"] == "pass"
    assert (
        rows["fault.raises"]["crashed"] and "deliberate failure" in rows["fault.raises"]["detail"]
    )
    assert "timed out" in rows["fault.hang"]["detail"]
    assert "SIGSEGV" in rows["fault.segfault"]["detail"]
    assert "PYTORCH_MPS_HIGH_WATERMARK_RATIO" in rows["fault.mps_oom"]["fix"]
    assert "float32" in rows["fault.float64"]["fix"]
    assert "status" in rows["fault.exit"]["detail"]
    for fid in FAULTS[1:]:
        assert rows[fid]["status"] == "fail" and rows[fid]["cause"] and rows[fid]["fix"]
    # three fresh workers (after hang, segfault, exit) each import torch: bounded all the same
    assert elapsed < 90  # CPU seconds; the hang sleeps, it uses none
    errors = [
        c.get("name") for c in ET.parse(junit).iter("testcase") if c.find("error") is not None
    ]
    assert "fault.segfault" in errors and "fault.hang" in errors


def test_ctrl_c_keeps_the_report_marks_it_interrupted_and_exits_130(tmp_path):
    report = tmp_path / "r.json"
    proc = subprocess.Popen(
        verify_argv(
            "--only",
            "fault.ok",
            "--only",
            "fault.sleep",
            "--only",
            "fault.mps_oom",
            "--timeout",
            "120",
            "--json",
            str(report),
        ),
        cwd=ROOT,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=sigint_as_typed,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    seen = ""
    while time.monotonic() < deadline and "fault.ok" not in seen:
        seen += proc.stdout.readline()
    assert "PASS  fault.ok" in seen
    time.sleep(0.5)  # fault.sleep is running now
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "INTERRUPTED" in out and "Traceback" not in err
    data = json.loads(report.read_text())
    jsonschema.validate(data, SCHEMA)
    assert data["interrupted"] is True and data["verdict"] == "not-ready"
    rows = {c["id"]: c for c in data["checks"]}
    assert rows["fault.ok"]["status"] == "pass"
    # nothing is missing: what did not get to run is listed as skipped, with the reason
    later = rows["fault.mps_oom"]
    assert later["status"] == "skip" and "interrupted" in later["detail"]
    assert rows["fault.sleep"]["status"] == "skip"
