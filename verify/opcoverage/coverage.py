"""A sweep's Raws + the host facts -> the classified Coverage (header, expectations, rows)."""

from __future__ import annotations

from typing import Any

from verify.facts import Facts
from verify.opcoverage import expectations as expect
from verify.opcoverage.classify import classify
from verify.opcoverage.model import Coverage
from verify.opcoverage.supervisor import SweepRun

FALLBACK_ENV = "PYTORCH_ENABLE_MPS_FALLBACK"


def header(host: Facts, device: str) -> dict[str, Any]:
    """What the report says about the machine: versions and chip, no paths or names."""
    return {
        "device": device,
        "torch": host.torch_version,
        "torch_source": host.torch_source,
        "os": host.os,
        "macos": host.macos_version,
        "machine": host.machine,
        "chip": host.chip,
        "gpu": host.gpu_name,
        "cuda": host.cuda_version,
        "python": host.python_version,
        FALLBACK_ENV: host.env.get(FALLBACK_ENV),
    }


def mps_expectations(host: Facts) -> tuple[expect.MpsExpectations | None, str]:
    """torch's common_mps lists for this torch, and a note saying what they are (or why none)."""
    try:
        found = expect.load(host.torch_location, host.torch_version)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        return None, (
            f"torch's MPS expectations (common_mps.py) could not be read ({reason}): "
            "known failures come from op_db's own decorators only"
        )
    keys = len(found.entries)
    gated = [f"{name} ({c.describe()})" for name, c in found.lists.items() if c is not None]
    macos = host.macos_version or "unknown"
    note = (
        f"known failures: torch {host.torch_version} common_mps.py ({keys} op keys in "
        f"{len(found.lists)} lists; macOS {macos}"
    )
    note += f"; version-gated: {', '.join(gated)})" if gated else ")"
    return found, note + " and op_db's own decorators"


def build(run: SweepRun, host: Facts, *, budget_s: float | None = None) -> Coverage:
    """Classify every Raw of `run` for the device the worker used."""
    hello = run.hello
    device = str(hello.get("device") or "none")
    device_type = device.split(":", 1)[0]
    host = host.merged(**dict(hello.get("facts") or {}))
    mps, note = (None, "")
    if device_type == "mps":
        mps, note = mps_expectations(host)
    else:
        note = (
            "known failures: op_db's own expected-failure decorators for "
            "TestCommon.test_compare_cpu (torch's MPS lists apply to MPS only)"
        )
    dtypes = sorted({str(i["dtype"]) for i in hello.get("items") or []}, key=_dtype_order)
    coverage = Coverage(
        device=device,
        dtypes=dtypes,
        header=header(host, device),
        source=str(hello.get("source") or "op_db"),
        source_note=str(hello.get("source_note") or ""),
        expectations_note=note,
        dtype_notes=dict(hello.get("dtype_notes") or {}),
        seconds=run.seconds,
        worker_starts=run.worker_starts,
        budget_s=budget_s,
        budget_hit=run.budget_hit,
    )
    coverage.rows = [classify(r, device_type, mps, host.macos_version) for r in run.raws]
    return coverage


def _dtype_order(name: str) -> tuple[int, str]:
    order = ("float32", "float16", "bfloat16")
    return (order.index(name) if name in order else len(order), name)
