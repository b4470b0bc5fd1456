"""The data of an op-coverage sweep: what the worker measured (Raw), what it means (Row), the whole
report (Coverage). Plain dataclasses that serialise themselves; no torch."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any

SWEEP_DTYPES = ("float32", "float16", "bfloat16")


class Klass(str, enum.Enum):
    """What an (op, dtype) is on this machine."""

    NATIVE = "native"  # ran on the device and matched the CPU
    KNOWN = "known"  # failed as torch's own expectations say it does here (common_mps, op_db)
    FALLBACK = "fallback"  # matched, but torch ran it on the CPU (PYTORCH_ENABLE_MPS_FALLBACK)
    UNIMPLEMENTED = "unimplemented"  # no device kernel (NotImplementedError), not in torch's list
    MISMATCH = "mismatch"  # ran, differs from the CPU beyond the tolerance
    RAISES = "raises"  # raised on the device where the CPU did not
    CRASHED = "crashed"  # killed the worker (abort, segfault) or hung past its time limit
    SKIPPED = "skipped"  # not comparable here: dtype not supported by the op, random output, ...

    def __str__(self) -> str:
        return self.value


# The row status each class gives (the report's pass/warn/fail; skipped rows count for nothing).
SEVERITY = {
    Klass.NATIVE: "pass",
    Klass.KNOWN: "warn",
    Klass.FALLBACK: "warn",
    Klass.UNIMPLEMENTED: "warn",
    Klass.MISMATCH: "fail",
    Klass.RAISES: "fail",
    Klass.CRASHED: "fail",
    Klass.SKIPPED: "skip",
}


def item_id(op: str, dtype: str) -> str:
    return f"{op}|{dtype}"


@dataclass
class Raw:
    """What the worker measured for one (op, dtype); `outcome` is one of
    match | mismatch | raises | unsupported-dtype | random | ambiguous | cpu-error | no-samples |
    crashed (set by the supervisor) | not-run (the time bound was reached first)."""

    op: str  # OpInfo full name: "nn.functional.conv2d", "div.floor_rounding"
    key: str  # name + variant_test_name: the key of torch's MPS lists ("divfloor_rounding")
    dtype: str
    outcome: str
    fallback: bool = False  # torch warned that it ran an operator on the CPU
    fallback_ops: list[str] = field(default_factory=list)
    not_implemented: bool = False  # NotImplementedError, or torch's MPS "not implemented" texts
    error: str = ""
    max_abs_err: float | None = None
    sample: int | None = None  # index of the sample that failed
    sample_summary: str = ""
    atol: float | None = None
    rtol: float | None = None
    samples: int = 0  # samples compared
    seconds: float = 0.0
    opdb_expected: str = ""  # op_db's own decorator for this device test: "xfail" / "skip"

    @property
    def id(self) -> str:
        return item_id(self.op, self.dtype)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Raw:
        known = set(cls.__dataclass_fields__)
        values = {k: v for k, v in data.items() if k in known}
        err = values.get("max_abs_err")
        if isinstance(err, str):  # the protocol writes inf / nan as text (plain JSON)
            values["max_abs_err"] = float(err)
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Row:
    """One classified (op, dtype) of the report."""

    op: str
    dtype: str
    klass: Klass
    detail: str = ""
    reference: str = ""  # where torch itself says so: common_mps list, op_db decorator, issue
    raw: Raw | None = None

    @property
    def status(self) -> str:
        return SEVERITY[self.klass]

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "op": self.op,
            "dtype": self.dtype,
            "class": self.klass.value,
            "status": self.status,
        }
        if self.detail:
            d["detail"] = self.detail
        if self.reference:
            d["reference"] = self.reference
        if self.raw is not None:
            r = self.raw
            if r.max_abs_err is not None:
                d["max_abs_err"] = r.max_abs_err
            if r.sample is not None:
                d["sample"] = r.sample
                d["sample_summary"] = r.sample_summary[:300]
            if r.error:
                d["error"] = r.error[:300]
            if r.fallback_ops:
                d["fallback_ops"] = r.fallback_ops
            d["samples"] = r.samples
            d["seconds"] = round(r.seconds, 4)
        return d


@dataclass
class Coverage:
    """A whole sweep on one machine: header facts, one row per (op, dtype), timing."""

    device: str
    dtypes: list[str]
    rows: list[Row] = field(default_factory=list)
    header: dict[str, Any] = field(default_factory=dict)  # torch, macOS, chip, python, fallback
    source: str = "op_db"  # or "hand-written" when torch's testing internals cannot be imported
    source_note: str = ""  # why the source is what it is
    expectations_note: str = ""  # where the known failures came from (or why there are none)
    dtype_notes: dict[str, str] = field(default_factory=dict)  # dtype -> why it was not swept
    seconds: float = 0.0
    worker_starts: int = 0
    budget_s: float | None = None
    budget_hit: bool = False

    def counts(self) -> dict[str, int]:
        out = {k.value: 0 for k in Klass}
        for r in self.rows:
            out[r.klass.value] += 1
        return out

    def counts_by_dtype(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for r in self.rows:
            per = out.setdefault(r.dtype, {k.value: 0 for k in Klass})
            per[r.klass.value] += 1
        return out

    def by_class(self, *klasses: Klass) -> list[Row]:
        return [r for r in self.rows if r.klass in klasses]

    @property
    def ops(self) -> int:
        return len({r.op for r in self.rows})

    @property
    def failed(self) -> list[Row]:
        return [r for r in self.rows if r.status == "fail"]

    @property
    def warned(self) -> list[Row]:
        return [r for r in self.rows if r.status == "warn"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "op-coverage",
            "schema": 1,
            "device": self.device,
            "dtypes": list(self.dtypes),
            "header": dict(self.header),
            "source": self.source,
            "source_note": self.source_note,
            "expectations_note": self.expectations_note,
            "dtype_notes": dict(self.dtype_notes),
            "seconds": round(self.seconds, 2),
            "worker_starts": self.worker_starts,
            "budget_s": self.budget_s,
            "budget_hit": self.budget_hit,
            "ops": self.ops,
            "items": len(self.rows),
            "counts": self.counts(),
            "counts_by_dtype": self.counts_by_dtype(),
            "rows": [r.to_dict() for r in self.rows],
        }
