"""The parent side of the sweep: one worker runs the items in a loop; an item that crashes the
worker or hangs past its time limit is recorded as `crashed` and a fresh worker resumes with the
item after it. The whole sweep is bounded (`budget_s`): items not reached are `not-run`.

    sweep = run_sweep(SweepOptions(device="cuda", dtypes=("float32",), budget_s=60))
    sweep.hello["facts"], sweep.raws        # what the worker found, one Raw per item in order

The parent never imports torch (the worker does). The process handling (JSON lines, own process
group, stderr to a file) is verify.runner's.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from verify.opcoverage.model import Raw
from verify.runner import MIN_START_TIMEOUT_S, PACKAGE_ROOT, _Timeout, _Worker

MAX_RESTARTS = 25  # after this many crashes the rest of the items are not run


class SweepError(Exception):
    """The sweep cannot run at all (torch does not import, the device cannot be used)."""


@dataclass(frozen=True)
class SweepOptions:
    device: str = "auto"
    dtypes: Sequence[str] = ()  # () = the worker's default (float32, float16, bfloat16)
    only: Sequence[str] = ()
    max_samples: int = 4
    item_timeout_s: float = 30.0
    budget_s: float | None = None  # the whole sweep, worker starts included
    source: str = "auto"  # auto | op_db | hand-written
    load_modules: Sequence[str] = ()  # imported in the worker first (tests wrap ops with it)
    python: str = sys.executable
    env: Mapping[str, str] | None = None


@dataclass
class SweepRun:
    hello: dict[str, Any]
    raws: list[Raw] = field(default_factory=list)
    seconds: float = 0.0
    worker_starts: int = 0
    budget_hit: bool = False


OnRaw = Callable[[Raw], Any]


def _argv(opts: SweepOptions, device: str) -> list[str]:
    argv = [opts.python, "-m", "verify.opcoverage.worker", "--device", device]
    argv += ["--max-samples", str(opts.max_samples), "--source", opts.source]
    for dt in opts.dtypes:
        argv += ["--dtype", dt]
    for pattern in opts.only:
        argv += ["--only", pattern]
    for name in opts.load_modules:
        argv += ["--load-module", name]
    return argv


def _environment(opts: SweepOptions) -> dict[str, str]:
    env = dict(os.environ if opts.env is None else opts.env)
    paths = [PACKAGE_ROOT] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1] if lines else ""


class _Run:
    """One sweep: the live worker, the clock, the results so far."""

    def __init__(self, opts: SweepOptions, on_raw: OnRaw | None) -> None:
        self.opts = opts
        self.on_raw = on_raw
        self.started = time.monotonic()
        self.end = None if opts.budget_s is None else self.started + opts.budget_s
        self.worker: _Worker | None = None
        self.starts = 0
        self.raws: list[Raw] = []
        self.budget_hit = False

    def left(self) -> float:
        return float("inf") if self.end is None else self.end - time.monotonic()

    def spawn(self, device: str) -> dict[str, Any]:
        """A fresh worker and its hello; SweepError when none comes."""
        self.starts += 1
        worker = _Worker(_argv(self.opts, device), _environment(self.opts))
        limit = min(max(MIN_START_TIMEOUT_S, self.opts.item_timeout_s), max(self.left(), 1.0))
        try:
            hello = worker.receive(time.monotonic() + limit)
        except _Timeout:
            worker.kill()
            raise SweepError(f"the sweep worker did not start within {limit:g} s") from None
        if hello is None or hello.get("event") != "hello":
            how = worker.how_it_ended()
            tail = _last_line(worker.stderr_tail())
            worker.kill()
            raise SweepError(f"the sweep worker {how}" + (f": {tail}" if tail else ""))
        self.worker = worker
        return hello

    def record(self, raw: Raw) -> None:
        self.raws.append(raw)
        if self.on_raw is not None:
            self.on_raw(raw)

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None


def _raw_for(item: Mapping[str, str], outcome: str, error: str, seconds: float = 0.0) -> Raw:
    return Raw(item["op"], item["key"], item["dtype"], outcome, error=error, seconds=seconds)


def run_sweep(opts: SweepOptions, on_raw: OnRaw | None = None) -> SweepRun:
    """Run every item the worker offers; SweepError when the sweep cannot start.

    On KeyboardInterrupt the worker is killed and the interrupt re-raised."""
    run = _Run(opts, on_raw)
    try:
        hello = run.spawn(opts.device)
        problem = hello.get("device_error") or (hello.get("facts") or {}).get("torch_import_error")
        if problem or not hello.get("device"):
            run.close()
            raise SweepError(str(problem or "the worker found no device"))
        items = list(hello.get("items") or [])
        _drive(run, items, str(hello["device"]))
    except KeyboardInterrupt:
        if run.worker is not None:
            run.worker.kill()
            run.worker = None
        raise
    finally:
        run.close()
    return SweepRun(
        hello=hello,
        raws=run.raws,
        seconds=time.monotonic() - run.started,
        worker_starts=run.starts,
        budget_hit=run.budget_hit,
    )


def _drive(run: _Run, items: list[dict[str, str]], device: str) -> None:
    """Run `items` in order through as many workers as crashes need."""
    pending = list(items)
    restarts = 0
    while pending:
        if run.worker is None:
            if restarts >= MAX_RESTARTS:
                why = f"not run: the worker crashed {restarts} times"
                for item in pending:
                    run.record(_raw_for(item, "not-run", why))
                return
            if run.left() <= 0:
                break
            run.spawn(device)
        assert run.worker is not None
        if not run.worker.send({"run": [i["id"] for i in pending]}):
            run.worker.kill()
            run.worker = None
            restarts += 1
            continue
        pending = _collect(run, pending)
        if pending and run.worker is None:
            restarts += 1
        if run.left() <= 0:
            break
    if pending:
        run.budget_hit = True
        if run.worker is not None:
            run.worker.kill()
            run.worker = None
        for item in pending:
            run.record(_raw_for(item, "not-run", f"the sweep's {run.opts.budget_s:g} s bound"))


def _collect(run: _Run, pending: list[dict[str, str]]) -> list[dict[str, str]]:
    """Read results until the worker finishes, crashes, hangs or the budget ends; returns the
    items still to run (the crashed one excluded)."""
    worker = run.worker
    assert worker is not None
    by_id = {i["id"]: i for i in pending}
    done: set[str] = set()
    current: str | None = None
    begun = time.monotonic()
    mark = worker.stderr_size()

    def rest(skip: str | None = None) -> list[dict[str, str]]:
        return [i for i in pending if i["id"] not in done and i["id"] != skip]

    while True:
        limit = run.opts.item_timeout_s if current else max(run.opts.item_timeout_s, 5.0)
        deadline = min(begun + limit, time.monotonic() + max(run.left(), 0.0))
        try:
            message = worker.receive(deadline)
        except _Timeout:
            worker.kill()
            run.worker = None
            if run.left() <= 0:  # the budget ended mid-item: not the item's fault
                return rest()
            if current is not None:
                why = f"timed out after {run.opts.item_timeout_s:g} s (the worker was restarted)"
                run.record(_raw_for(by_id[current], "crashed", why, time.monotonic() - begun))
                done.add(current)
            return rest(current)
        if message is None:  # the worker died
            how = worker.how_it_ended()
            tail = _last_line(worker.stderr_tail(since=mark))
            worker.kill()
            run.worker = None
            if current is not None:
                why = f"the worker {how}" + (f": {tail}" if tail else "")
                run.record(_raw_for(by_id[current], "crashed", why, time.monotonic() - begun))
                done.add(current)
            return rest(current)
        event = message.get("event")
        if event == "start" and message.get("id") in by_id:
            current, begun, mark = message["id"], time.monotonic(), worker.stderr_size()
        elif event == "result" and message.get("id") in by_id:
            run.record(Raw.from_dict(dict(message.get("raw") or {})))
            done.add(message["id"])
            current, begun = None, time.monotonic()
        elif event == "done":
            return rest()
