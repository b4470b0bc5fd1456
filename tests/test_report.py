"""The report model and its renderers: schema 1, JUnit XML, the console view, atomic writes."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from importlib import resources

import jsonschema
import pytest
from rich.console import Console

from verify.atomic import write_text as write_atomic
from verify.facts import Facts
from verify.model import Fix, Result, Status, failed, passed, skipped, warned
from verify.report import Report, render_console, to_junit

SCHEMA = json.loads(resources.files("verify").joinpath("schema/report-1.json").read_text())
FIX = Fix("Do the thing.", ("nox -s install",), "https://example.org/help")


def sample_report(**kw) -> Report:
    checks = [
        Result.from_outcome("host.os", "Operating system", passed("macOS 14.5")),
        Result.from_outcome("mps.available", "MPS available", failed("No Metal device.", FIX)),
        Result.from_outcome("perf.copy", "Copy bandwidth", warned("Slow.", FIX), required=False),
        Result.from_outcome("nn.train", "Training", skipped("needs mps.available")),
        Result.from_outcome(
            "device.alloc", "Allocate", failed("Crashed.", FIX, "killed by SIGSEGV"), crashed=True
        ),
    ]
    base = dict(
        host=Facts(os="Darwin", macos_version="14.5"), device="mps", level="quick", checks=checks
    )
    base.update(kw)
    return Report(**base)


def test_json_report_validates_against_the_shipped_schema():
    data = json.loads(sample_report().to_json())
    jsonschema.validate(data, SCHEMA)
    assert data["verdict"] == "not-ready"
    assert data["summary"] == {"pass": 1, "fail": 2, "warn": 1, "skip": 1}
    failing = {c["id"]: c for c in data["checks"]}["mps.available"]
    assert failing["cause"] == "No Metal device."
    assert "nox -s install" in failing["fix"] and failing["fix_commands"] == ["nox -s install"]


def test_schema_rejects_a_fail_without_cause_or_fix():
    data = json.loads(sample_report().to_json())
    data["checks"][1]["cause"] = ""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_outcome_refuses_fail_or_warn_without_cause_and_fix():
    with pytest.raises(ValueError):
        failed("", FIX)
    with pytest.raises(ValueError):
        warned("slow", None)  # type: ignore[arg-type]


def test_verdict_ready_when_only_optional_checks_fail_and_interrupt_is_not_ready():
    ok = Report(
        Facts(),
        "cpu",
        "quick",
        [
            Result.from_outcome("device.alloc", "a", passed()),
            Result.from_outcome("perf.matmul", "p", failed("slow", FIX), required=False),
        ],
    )
    assert ok.verdict == "ready"
    ok.interrupted = True
    assert ok.verdict == "not-ready"


def test_result_round_trips_through_its_dict():
    r = sample_report().checks[1]
    back = Result.from_dict(r.to_dict())
    assert (back.id, back.status, back.cause, back.required) == (
        r.id,
        Status.FAIL,
        r.cause,
        True,
    )
    assert back.fix is not None and back.fix.commands == ("nox -s install",)


def test_junit_maps_fail_crash_skip_like_pytest():
    root = ET.fromstring(to_junit(sample_report()))
    assert root.tag == "testsuite"
    assert root.get("tests") == "5" and root.get("failures") == "1" and root.get("errors") == "1"
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert cases["mps.available"].find("failure") is not None
    assert cases["device.alloc"].find("error") is not None
    assert cases["nn.train"].find("skipped") is not None
    assert cases["host.os"].find("failure") is None
    props = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert props["macos_version"] == "14.5" and props["verdict"] == "not-ready"


def test_console_view_names_cause_fix_commands_and_verdict_without_colour():
    buf = io.StringIO()
    render_console(sample_report(), Console(file=buf, no_color=True, width=200))
    out = buf.getvalue()
    assert "FAIL  mps.available" in out
    assert "cause: No Metal device." in out
    assert "$ nox -s install" in out
    assert "CRASH device.alloc" in out
    assert out.rstrip().splitlines()[-1].startswith("NOT READY")
    assert "\x1b[" not in out


def test_console_quiet_prints_only_the_verdict_line():
    buf = io.StringIO()
    render_console(sample_report(checks=[]), Console(file=buf, width=200), quiet=True)
    assert buf.getvalue().strip().startswith("READY")


def test_write_atomic_replaces_whole_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "sub" / "report.json"
    write_atomic(target, "first")
    write_atomic(target, "second")
    assert target.read_text() == "second"
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]


def test_write_atomic_keeps_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    write_atomic(target, "old")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", disk_full)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
