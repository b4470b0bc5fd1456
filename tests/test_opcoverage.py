"""The op-coverage sweep (verify.opcoverage) with real torch on the CPU and real op_db entries.

The sweep runs in its real worker process; tests.opcov_faults wraps a few real OpInfos so that
they misbehave on the device side only (a wrong result, NotImplementedError, an abort, a hang,
the MPS fallback's warning).
The MPS expectations are the installed torch's own common_mps.py, looked up for macOS versions
given as recorded facts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("expecttest")

from verify.facts import Facts  # noqa: E402
from verify.opcoverage import classify, coverage, expectations, render  # noqa: E402
from verify.opcoverage.model import Klass, Raw  # noqa: E402
from verify.opcoverage.supervisor import SweepError, SweepOptions, run_sweep  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TORCH_DIR = os.path.dirname(torch.__file__)
FAULTY = ("sin", "cos", "tan", "sinh", "cosh", "exp", "linalg.cholesky", "as_strided.partial_views")
ITEM_TIMEOUT_S = 4.0


def host(**changes) -> Facts:
    return Facts(
        torch_version=torch.__version__, torch_location=TORCH_DIR, python_version="3.11"
    ).merged(**changes)


@pytest.fixture(scope="module")
def faulty():  # about 30 s: four worker starts (two after crashes) and one 4 s timeout
    """One CPU sweep over real ops, four of them made faulty on the device side."""
    run = run_sweep(
        SweepOptions(
            device="cpu",
            dtypes=("float32", "float16"),
            only=FAULTY,
            load_modules=("tests.opcov_faults",),
            item_timeout_s=ITEM_TIMEOUT_S,
            budget_s=240,
            jobs=2,  # two workers taking items from one queue
        )
    )
    cov = coverage.build(run, host())
    return run, cov, {(r.op, r.dtype): r for r in cov.rows}


@pytest.mark.slow
def test_every_item_is_reported_once_in_op_db_order(faulty):
    _, cov, rows = faulty
    assert len(cov.rows) == len(rows) == 2 * len(FAULTY)
    assert [r.dtype for r in cov.rows[:2]] == ["float32", "float16"]
    assert cov.source == "op_db" and not cov.budget_hit


@pytest.mark.slow
def test_a_dtype_the_op_does_not_support_is_skipped_not_run(faulty):
    _, _, rows = faulty
    row = rows[("linalg.cholesky", "float16")]
    assert row.klass is Klass.SKIPPED and row.status == "skip"
    assert "does not list float16" in row.detail and row.raw.samples == 0
    assert rows[("linalg.cholesky", "float32")].klass is Klass.NATIVE


@pytest.mark.slow
def test_a_wrapped_op_with_a_wrong_result_is_a_mismatch_with_its_largest_error(faulty):
    _, cov, rows = faulty
    row = rows[("sin", "float32")]
    assert row.klass is Klass.MISMATCH and row.status == "fail"
    assert row.raw.max_abs_err == pytest.approx(0.5, rel=1e-3)
    assert row.raw.sample == 0 and "Tensor[size=" in row.raw.sample_summary
    assert "largest error 0.5 in sample 0" in row.detail
    assert rows[("sin", "float16")].klass is Klass.NATIVE  # the fault is float32 only
    assert row in cov.failed


@pytest.mark.slow
def test_an_op_raising_not_implemented_is_unimplemented_and_a_warning(faulty):
    _, _, rows = faulty
    row = rows[("tan", "float32")]
    assert row.klass is Klass.UNIMPLEMENTED and row.status == "warn"
    assert row.detail.startswith("NotImplementedError: The operator 'aten::tan.out'")


@pytest.mark.slow
def test_an_op_that_warns_it_falls_back_to_the_cpu_is_fallback_not_native(faulty):
    _, cov, rows = faulty
    row = rows[("cosh", "float32")]
    assert row.klass is Klass.FALLBACK and row.status == "warn"
    assert row.raw.fallback_ops == ["aten::cosh.out"]
    assert row.detail == "ran on the CPU through the MPS fallback: aten::cosh.out"
    assert row not in cov.failed
    assert rows[("cosh", "float16")].klass is Klass.NATIVE  # no warning, no fallback


@pytest.mark.slow
def test_a_crash_costs_one_item_and_the_sweep_resumes_after_it(faulty):
    run, _, rows = faulty
    crashed = rows[("cos", "float32")]
    assert crashed.klass is Klass.CRASHED and crashed.status == "fail"
    assert "SIGABRT" in crashed.detail
    hung = rows[("sinh", "float32")]
    assert hung.klass is Klass.CRASHED and f"timed out after {ITEM_TIMEOUT_S:g} s" in hung.detail
    # the items right after each are run by a fresh worker
    assert rows[("cos", "float16")].klass is Klass.NATIVE
    assert rows[("sinh", "float16")].klass is Klass.NATIVE
    # two workers, and a fresh one after a crash whenever items are left for that thread
    assert 3 <= run.worker_starts <= 4
    assert rows[("exp", "float32")].klass is Klass.NATIVE


@pytest.mark.slow
def test_the_reports_list_what_is_not_native(faulty, tmp_path):
    _, cov, _ = faulty
    md = render.to_markdown(cov)
    assert "| mismatch | `sin` | float32 |" in md and "| crashed | `cos` | float32 |" in md
    assert "`exp`" not in md  # native ops are counted, not listed
    data = json.loads(render.to_json(cov))
    assert data["counts"]["crashed"] == 2 and data["counts"]["mismatch"] == 1
    assert data["header"]["torch"] == torch.__version__
    assert "torch_location" not in json.dumps(data["header"])  # no paths in the report


@pytest.mark.slow
def test_op_db_expected_failures_are_known_with_the_reference(faulty):
    _, _, rows = faulty
    row = rows[("as_strided.partial_views", "float32")]
    # op_db: DecorateInfo(unittest.expectedFailure, "TestCommon", "test_compare_cpu")
    assert row.klass is Klass.KNOWN and row.status == "warn"
    assert "TestCommon.test_compare_cpu" in row.reference and row.detail.startswith("mismatch")


@pytest.mark.slow
def test_without_op_db_the_hand_written_cases_run_and_the_row_says_so():
    run = run_sweep(
        SweepOptions(device="cpu", only=("cumsum.int64",), load_modules=("tests.opcov_no_opdb",))
    )
    cov = coverage.build(run, host())
    assert cov.source == "hand-written" and "expecttest" in cov.source_note
    assert [(r.op, r.dtype, r.klass) for r in cov.rows] == [("cumsum.int64", "int64", Klass.NATIVE)]


@pytest.mark.slow
def test_a_device_that_cannot_be_used_stops_the_sweep_with_the_reason():
    with pytest.raises(SweepError, match=r"without CUDA|is False"):
        run_sweep(SweepOptions(device="cuda", only=("sin",)))


# --- torch's MPS expectations, real common_mps.py, macOS versions from recorded facts ----------
@pytest.fixture(scope="module")
def mps_lists():
    return expectations.load(TORCH_DIR, torch.__version__)


def test_common_mps_is_read_without_running_on_a_mac(mps_lists):
    assert "UNIMPLEMENTED_XFAILLIST" in mps_lists.lists
    gated = {n: c for n, c in mps_lists.lists.items() if c is not None}
    # torch 2.13: MACOS_BEFORE_14_4_XFAILLIST applies where MACOS_VERSION < 14.4
    assert gated and all(c.op and c.value for c in gated.values())


def _macos_gated(mps_lists):
    for key, entries in mps_lists.entries.items():
        for e in entries:
            if e.condition is not None and e.condition.op == "<" and e.dtypes:
                return key, e.dtypes[0], e.condition.value
    pytest.skip("this torch's common_mps has no list gated on an older macOS")


def test_a_version_gated_failure_is_known_only_on_the_macos_it_names(mps_lists):
    key, dtype, below = _macos_gated(mps_lists)
    older = f"{int(below)}.{round(below % 1 * 10) - 1}" if below % 1 else f"{int(below) - 1}.0"
    newer = f"{int(below) + 1}.0"
    raw = Raw(key, key, dtype, "mismatch", max_abs_err=0.25, sample=0)
    for macos, klass in ((older, Klass.KNOWN), (newer, Klass.MISMATCH)):
        facts = host(macos_version=macos)
        lists, note = coverage.mps_expectations(facts)
        assert lists is not None and f"macOS {macos}" in note
        row = classify.classify(raw, "mps", lists, facts.macos_version)
        assert row.klass is klass, macos
    known = classify.classify(raw, "mps", mps_lists, older)
    assert "common_mps.py" in known.reference and f"macOS < {below:g}" in known.reference
    # the same failure on CUDA is not excused by torch's MPS lists
    assert classify.classify(raw, "cuda", mps_lists, older).klass is Klass.MISMATCH


def test_unimplemented_on_mps_is_known_on_every_macos(mps_lists):
    key, entry = next(
        (k, e)
        for k, es in mps_lists.entries.items()
        for e in es
        if e.kind == "unimplemented" and e.condition is None and e.dtypes is None
    )
    raw = Raw(key, key, "float32", "raises", not_implemented=True, error="NotImplementedError")
    for macos in ("13.5", "15.2", None):
        row = classify.classify(raw, "mps", mps_lists, macos)
        assert row.klass is Klass.KNOWN and entry.list_name in row.reference


def test_a_torch_without_common_mps_says_so():
    lists, note = coverage.mps_expectations(host(torch_location="/nonexistent/torch"))
    assert lists is None and "could not be read" in note


# --- the command ----------------------------------------------------------------------------
def _verify(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "verify", "ops", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_verify_ops_writes_json_and_markdown_and_exits_0(tmp_path):
    out, md = tmp_path / "ops.json", tmp_path / "ops.md"
    proc = _verify(
        "--device", "cpu", "--dtype", "float32", "--only", "add", "--only", "nn.functional.relu",
        "--json", str(out), "--markdown", str(md),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    assert data["kind"] == "op-coverage" and data["device"] == "cpu"
    assert data["counts"]["native"] == 2 and data["items"] == 2
    assert "torch " + torch.__version__ in proc.stdout and "native" in proc.stdout
    assert md.read_text().startswith("# Op coverage: cpu")


@pytest.mark.slow
def test_verify_ops_usage_errors_are_one_line_and_exit_2(tmp_path):
    proc = _verify("--device", "cpu", "--only", "no_such_op_anywhere")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert "matches no op" in proc.stderr
    proc = _verify("--dtype", "float64")
    assert proc.returncode == 2 and "invalid choice" in proc.stderr


def test_torch_refusals_on_mps_are_missing_kernels_not_faults():
    from tests.fault_checks import FLOAT64_TEXT
    from verify.opcoverage import engine

    cumsum = RuntimeError(
        "MPS does not support cumsum op with int64 input. Support has been added in macOS 13.3"
    )  # aten/src/ATen/native/mps/operations/UnaryOps.mm, torch 2.8.0
    for exc in (cumsum, TypeError(FLOAT64_TEXT), NotImplementedError("x")):
        assert engine.not_implemented("mps", exc), exc
    assert engine.not_implemented("cuda", NotImplementedError("x"))
    assert not engine.not_implemented("cuda", cumsum)
    assert not engine.not_implemented("mps", RuntimeError("CUDA error: illegal memory access"))
