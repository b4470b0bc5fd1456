"""verify.runner and verify.worker: real subprocesses, and the worker's helpers in-process."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import venv
from pathlib import Path

import pytest
import torch

from tests.cputime import cpu_seconds
from tests.interrupt import sigint_as_typed
from verify import worker
from verify.checks import BUILTIN_MODULES
from verify.facts import Facts
from verify.model import Status, Tier
from verify.runner import PACKAGE_ROOT, Supervisor, checks_for, matches, only

REPO = Path(__file__).resolve().parents[1]
MY_MODULES = (
    "verify.checks.device",
    "verify.checks.dtypes",
    "verify.checks.nn",
    "verify.checks.parity",
)


# --- choosing checks (no subprocess) -----------------------------------------------------------
def test_checks_for_tiers_include_the_lower_ones():
    quick = [c.id for c in checks_for(Tier.QUICK)]
    standard = [c.id for c in checks_for("standard")]
    assert quick == ["device.alloc", "device.compute", "device.context", "device.default"]
    assert standard[:4] == quick
    for group in ("dtypes.float64", "dtypes.bfloat16", "nn.train", "parity.matmul"):
        assert group in standard
    assert not any(i.startswith("fault.") for i in standard)


def test_checks_for_keeps_test_modules_out_unless_asked():
    checks_for("full", ["tests.fault_checks"])  # registers the fault checks in this process
    assert not any(c.id.startswith("fault.") for c in checks_for("full"))
    assert any(c.id == "fault.hang" for c in checks_for("full", ["tests.fault_checks"]))


def test_only_matches_ids_groups_and_globs():
    checks = checks_for("standard")
    assert [c.id for c in only(checks, ["device.alloc"])] == ["device.alloc"]
    assert {c.id for c in only(checks, ["nn"])} == {"nn.forward", "nn.backward", "nn.train"}
    assert [c.id for c in only(checks, ["dtypes.float*"])] == [
        "dtypes.float32",
        "dtypes.float16",
        "dtypes.float64",
    ]
    assert only(checks, []) == checks
    assert not matches("dtypes.float32", "dtypes.float")  # a group must end at a dot


# --- worker helpers (in-process) -------------------------------------------------------------
def test_float64_refusal_is_a_pass_on_mps_and_a_fail_elsewhere():
    exc = TypeError(
        "Cannot convert a MPS Tensor to float64 dtype as the MPS framework doesn't support "
        "float64. Please use float32 instead."
    )
    outcome, crashed = worker.outcome_from_exception(exc, "dtypes.float64", "mps")
    assert outcome.status is Status.PASS and not crashed
    assert "refused it as expected" in outcome.detail
    outcome, crashed = worker.outcome_from_exception(exc, "dtypes.float64", "cpu")
    assert outcome.status is Status.FAIL and crashed
    assert outcome.data["known_error"] == "mps.float64"


def test_unknown_exception_gets_a_generic_cause_and_fix():
    outcome, crashed = worker.outcome_from_exception(ValueError("boom\nmore"), "x.y", "cuda")
    assert crashed and outcome.detail == "ValueError: boom"
    assert "x.y" in outcome.cause and "--only x.y --device cuda" in outcome.fix.render()


def test_jsonable_never_emits_nan_or_tensors():
    data = worker.jsonable({"a": float("nan"), "b": torch.tensor(2.5), "c": (1, float("inf"))})
    assert data == {"a": "nan", "b": 2.5, "c": [1, "inf"]}
    json.dumps(data, allow_nan=False)


def test_conda_channel_from_conda_meta(tmp_path):
    meta = tmp_path / "conda-meta"
    meta.mkdir()
    # the shape conda writes: conda-meta/<name>-<version>-<build>.json with a channel URL
    (meta / "pytorch-2.5.1-cpu_generic_py311.json").write_text(
        json.dumps(
            {
                "name": "pytorch",
                "version": "2.5.1",
                "subdir": "osx-arm64",
                "channel": "https://conda.anaconda.org/conda-forge/osx-arm64",
            }
        )
    )
    (meta / "pytorch-cpu-2.5.1-h0.json").write_text(
        json.dumps({"name": "pytorch-cpu", "channel": "https://conda.anaconda.org/other/osx-arm64"})
    )
    assert worker.conda_channel(str(tmp_path)) == "conda-forge"
    (meta / "pytorch-2.5.1-cpu_generic_py311.json").write_text(
        json.dumps({"name": "pytorch", "subdir": "osx-64", "channel": "pkgs/main/osx-64"})
    )
    assert worker.conda_channel(str(tmp_path)) == "defaults"
    assert worker.conda_channel(str(tmp_path / "nowhere")) is None


def test_torch_facts_of_this_torch():
    facts = worker.torch_facts(torch)
    assert facts["torch_version"] == torch.__version__
    assert facts["torch_location"] == os.path.dirname(torch.__file__)
    assert facts["mps_built"] is torch.backends.mps.is_built()
    assert facts["cuda_available"] is torch.cuda.is_available()
    # installed with pip from a wheel here, not from conda
    assert facts["torch_source"] in ("pypi", "local")
    assert worker.resolve_device(torch, "auto", facts) == (
        ("mps", None)
        if facts["mps_available"]
        else ("cuda", None)
        if facts["cuda_available"]
        else ("cpu", None)
    )
    _, error = worker.resolve_device(torch, "nonsense", facts)
    assert error and "nonsense" in error


# --- the supervised worker ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def standard_cpu():
    checks = checks_for("standard")
    begin = cpu_seconds()  # CPU of the worker (waited for on exit), not wall time
    with Supervisor("cpu", timeout_s=60) as sup:
        probe = sup.probe()
        results = sup.run(checks)
        starts = sup.worker_starts
    return probe, checks, results, starts, cpu_seconds() - begin


@pytest.mark.slow
def test_probe_reports_torch_facts(standard_cpu):
    probe = standard_cpu[0]
    assert probe.device == "cpu" and probe.usable
    assert probe.facts["torch_version"] == torch.__version__
    assert probe.facts["torch_location"] == os.path.dirname(torch.__file__)
    assert probe.facts["mps_built"] is torch.backends.mps.is_built()
    assert set(MY_MODULES) <= set(BUILTIN_MODULES)
    assert "device.alloc" in probe.checks and not probe.load_errors


@pytest.mark.slow
def test_probe_facts_are_facts_fields(standard_cpu):
    # the CLI merges them into the host record: Facts.merged(**probe.facts)
    facts = standard_cpu[0].facts
    assert set(facts) <= {f.name for f in dataclasses.fields(Facts)}
    merged = Facts().merged(**facts)
    assert merged.torch_probed and merged.torch_version == torch.__version__


@pytest.mark.slow
def test_standard_tier_passes_on_cpu_in_one_worker(standard_cpu):
    _, checks, results, starts, elapsed = standard_cpu
    assert [r.id for r in results] == [c.id for c in checks]
    failures = [(r.id, r.detail) for r in results if r.status is not Status.PASS]
    assert failures == []
    assert starts == 1
    assert elapsed < 15 * torch.get_num_threads()  # 15 s of wall time on each of torch's threads


@pytest.mark.slow
def test_unusable_device_is_reported_not_crashed():
    if torch.backends.mps.is_available():
        pytest.skip("MPS works here")
    checks = checks_for("quick")
    with Supervisor("mps", timeout_s=30) as sup:
        probe = sup.probe()
        results = sup.run(checks)
    assert probe.device == "mps" and not probe.usable
    if not torch.backends.mps.is_built():
        assert "built without MPS" in probe.device_error
    first, rest = results[0], results[1:]
    assert first.status is Status.FAIL and not first.crashed
    assert "'mps' is not usable" in first.cause and first.fix is not None
    assert [r.status for r in rest] == [Status.SKIP] * len(rest)
    assert all("device.alloc" in r.detail for r in rest)


@pytest.mark.slow
def test_torch_that_cannot_be_imported(tmp_path):
    # a real interpreter without torch (a fresh venv), the verify package found via PYTHONPATH
    venv.create(tmp_path / "env", with_pip=False)
    python = str(tmp_path / "env" / "bin" / "python")
    with Supervisor("auto", python=python, timeout_s=30) as sup:
        probe = sup.probe()
        results = sup.run(checks_for("quick"))
    assert probe.device is None and not probe.usable
    assert "No module named 'torch'" in probe.facts["torch_import_error"]
    assert [r.status for r in results] == [Status.SKIP] * 4
    assert "needs PyTorch" in results[0].detail


@pytest.mark.slow
def test_sigint_kills_the_worker_and_keeps_results(tmp_path):
    script = textwrap.dedent("""
        import dataclasses, json, sys
        from verify.runner import Supervisor, checks_for
        checks = {c.id: c for c in checks_for("full", ["tests.fault_checks"])}
        # without its own 1 s timeout the hang lasts until the 60 s run timeout: only ^C ends it
        hang = dataclasses.replace(checks["fault.hang"], timeout_s=None)
        sup = Supervisor("cpu", modules=["tests.fault_checks"], timeout_s=60)
        def started(check):
            print(json.dumps({"started": check.id, "worker": sup.worker_pid}), flush=True)
        try:
            sup.run([checks["fault.ok"], hang, checks["fault.ok"]], on_start=started)
        except KeyboardInterrupt:
            print(json.dumps({"interrupted": [r.id for r in sup.results],
                              "statuses": [r.status.value for r in sup.results],
                              "worker": sup.worker_pid}), flush=True)
            sys.exit(130)
    """)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=str(tmp_path),
        preexec_fn=sigint_as_typed,
    )
    lines = []
    deadline = time.monotonic() + 30
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        lines.append(json.loads(line))
        if lines[-1].get("started") == "fault.hang":
            break
    hang_worker = lines[-1]["worker"]
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=20)
    final = json.loads(out.strip().splitlines()[-1])
    assert proc.returncode == 130
    assert final["interrupted"] == ["fault.ok"] and final["statuses"] == ["pass"]
    assert final["worker"] is None
    with pytest.raises(ProcessLookupError):
        os.kill(hang_worker, 0)  # the worker was killed and reaped, not left hanging


def test_package_root_is_the_checkout():
    assert Path(PACKAGE_ROOT) == REPO
