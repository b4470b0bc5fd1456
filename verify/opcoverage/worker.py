"""The sweep worker: one process that runs (op, dtype) items in a loop.

    python -m verify.opcoverage.worker --device cuda [--dtype float32 ...] [--only PATTERN ...]
                                       [--max-samples N] [--source auto|op_db|hand-written]

Started and supervised by verify.opcoverage.supervisor (the parent never imports torch). The
protocol is verify.worker's: JSON lines on a dup of fd 1 (fd 1 itself goes to stderr, so what
torch prints cannot corrupt it). The worker says `{"event": "hello", "facts", "device",
"device_error", "source", "source_note", "items": [...], "dtype_notes"}` once; then for a request
`{"run": [item ids]}` it answers `{"event": "start", "id"}` and `{"event": "result", "id", "raw"}`
per item and `{"event": "done"}` at the end. A crash or a hang loses one item: the parent starts a
new worker for the items after it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

from verify import worker as base
from verify.opcoverage import engine
from verify.opcoverage.model import SWEEP_DTYPES, Raw, item_id

SOURCES = ("auto", "op_db", "hand-written")


def dtype_problem(torch: Any, device: str, dtype: str) -> str | None:
    """Why `dtype` cannot be used on `device` at all (e.g. bfloat16 on MPS before macOS 14)."""
    try:
        t = torch.ones(4, dtype=getattr(torch, dtype), device=device) * 2
        t.sum().item()
    except Exception as exc:  # torch's own words are the reason
        return base.describe_exception(exc)
    return None


def prepare(torch: Any, device: str) -> None:
    """Process-wide settings for the comparison (the worker is ours alone)."""
    # TORCH_WARN_ONCE (the MPS fallback warning) warns every time only with warn_always on.
    torch.set_warn_always(True)
    if device.startswith("cuda"):
        # TF32 is an intended 1e-3 precision loss, not a wrong result (cuDNN enables it by default).
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    torch.ones(8, device=device).sum().item()  # context creation before the first timed item


class OpDbSource:
    """Items from torch's op_db."""

    name = "op_db"

    def __init__(self, torch: Any, only: Sequence[str]) -> None:
        self.torch = torch
        self.ops = {engine.full_name(op): op for op in engine.select(engine.load_op_db(), only)}

    def items(self, dtypes: Sequence[str]) -> list[dict[str, str]]:
        return [
            {"id": item_id(name, dt), "op": name, "key": engine.key_of(op), "dtype": dt}
            for name, op in self.ops.items()
            for dt in dtypes
        ]

    def run(self, item: dict[str, str], device: str, max_samples: int) -> Raw:
        op = self.ops[item["op"]]
        return engine.run_item(self.torch, op, item["dtype"], device, max_samples=max_samples)


class HandWrittenSource:
    """Items from verify's hand-written cases (when op_db cannot be imported)."""

    name = "hand-written"

    def __init__(self, torch: Any, only: Sequence[str]) -> None:
        import fnmatch

        from verify.opcoverage import handwritten

        self.torch = torch
        self.hw = handwritten
        cases = list(handwritten.op_cases()) + list(handwritten.random_cases())
        self.cases = {
            c.name: c
            for c in cases
            if not only or any(c.name == p or fnmatch.fnmatchcase(c.name, p) for p in only)
        }

    def items(self, dtypes: Sequence[str]) -> list[dict[str, str]]:
        del dtypes  # each case has its own dtype
        return [
            {"id": item_id(n, self.hw.dtype_of(n)), "op": n, "key": n, "dtype": self.hw.dtype_of(n)}
            for n in self.cases
        ]

    def run(self, item: dict[str, str], device: str, max_samples: int) -> Raw:
        from verify.checks import Context

        del max_samples
        case = self.cases[item["op"]]
        ctx = Context(self.torch, device)
        started = time.perf_counter()
        if isinstance(case, self.hw.RandomCase):
            result = self.hw.run_random(ctx, case)
        else:
            with self.hw.exact_fp32(ctx):
                result = self.hw.run_case(ctx, case)
        raw = self.hw.to_raw(result)
        raw.seconds = time.perf_counter() - started
        return raw


def open_source(torch: Any, wanted: str, only: Sequence[str]) -> tuple[Any, str]:
    """(source, note): op_db unless it cannot be imported (then the hand-written cases)."""
    if wanted in ("auto", "op_db"):
        try:
            return OpDbSource(torch, only), ""
        except Exception as exc:  # ImportError (expecttest missing), a torch that moved them
            if wanted == "op_db":
                raise
            note = (
                "torch's OpInfo database could not be imported "
                f"({base.describe_exception(exc)}): ran verify's hand-written cases instead"
            )
            return HandWrittenSource(torch, only), note
    return HandWrittenSource(torch, only), "hand-written cases asked for (--source)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m verify.opcoverage.worker")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--dtype", action="append", default=[])
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--max-samples", type=int, default=4)
    parser.add_argument("--source", choices=SOURCES, default="auto")
    parser.add_argument("--threads", type=int, default=0)  # torch intra-op threads (0: torch's)
    parser.add_argument("--load-module", action="append", default=[])  # tests: wrap ops first
    args = parser.parse_args(argv)

    channel = base.open_channel()
    base.watch_parent()
    hello: dict[str, Any] = {"event": "hello", "pid": os.getpid()}
    try:
        import torch
    except Exception as exc:
        hello.update(facts={"torch_import_error": base.describe_exception(exc)}, device=None)
        base.send(channel, hello)
        return 0
    facts = base.torch_facts(torch)
    device, device_error = base.resolve_device(torch, args.device, facts)
    hello.update(facts=facts, device=device, device_error=device_error)
    if device_error:
        base.send(channel, hello)
        return 0
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    for name in args.load_module:
        __import__(name)
    prepare(torch, device)
    dtypes, dtype_notes = [], {}
    for dt in args.dtype or list(SWEEP_DTYPES):
        problem = dtype_problem(torch, device, dt)
        if problem:
            dtype_notes[dt] = problem
        else:
            dtypes.append(dt)
    try:
        source, note = open_source(torch, args.source, args.only)
    except Exception as exc:
        hello.update(device_error=f"op_db: {base.describe_exception(exc)}")
        base.send(channel, hello)
        return 0
    items = source.items(dtypes)
    by_id = {i["id"]: i for i in items}
    hello.update(source=source.name, source_note=note, items=items, dtype_notes=dtype_notes)
    base.send(channel, hello)

    for request in base.requests(sys.stdin):
        for iid in request.get("run") or ():
            item = by_id.get(iid)
            if item is None:
                continue
            base.send(channel, {"event": "start", "id": iid})
            raw = source.run(item, device, args.max_samples)
            base.send(channel, {"event": "result", "id": iid, "raw": raw.to_dict()})
        base.send(channel, {"event": "done"})
    channel.flush()
    sys.stderr.flush()
    os._exit(0)  # skip interpreter teardown (torch makes it slow)


if __name__ == "__main__":
    raise SystemExit(main())
