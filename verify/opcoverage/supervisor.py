"""The parent side of the sweep: a worker runs items in a loop; an item that crashes the worker or
hangs past its time limit is recorded as `crashed` and a fresh worker resumes with the item after
it. The whole sweep is bounded (`budget_s`): items not reached are `not-run`. With `jobs` > 1 the
items are dealt round-robin to that many workers, each driven the same way from its own thread
(the comparison is CPU-bound Python: one process per core shortens the sweep, never per op).

    sweep = run_sweep(SweepOptions(device="cuda", dtypes=("float32",), budget_s=60))
    sweep.hello["facts"], sweep.raws        # what the worker found, one Raw per item in order

The parent never imports torch (the worker does). The process handling (JSON lines, own process
group, stderr to a file) is verify.runner's.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from verify.opcoverage.model import Raw
from verify.runner import MIN_START_TIMEOUT_S, PACKAGE_ROOT, _Timeout, _Worker

MAX_RESTARTS = 25  # after this many crashes the rest of the items are not run
MAX_JOBS = 8


def default_jobs(cpus: int | None = None) -> int:
    """Half the cores (the CPU reference runs alongside each worker's own threads), 1 to 8."""
    cpus = os.cpu_count() if cpus is None else cpus
    return max(1, min(MAX_JOBS, (cpus or 1) // 2))


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
    jobs: int = 1  # worker processes running items side by side
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
_CALLBACK = threading.Lock()  # on_raw is called from the shards' threads one at a time


def _argv(opts: SweepOptions, device: str) -> list[str]:
    argv = [opts.python, "-m", "verify.opcoverage.worker", "--device", device]
    argv += ["--max-samples", str(opts.max_samples), "--source", opts.source]
    if opts.jobs > 1:  # share the cores: torch's intra-op threads per worker
        argv += ["--threads", str(max(1, (os.cpu_count() or 1) // opts.jobs))]
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

    def __init__(self, opts: SweepOptions, on_raw: OnRaw | None, started: float = 0.0) -> None:
        self.opts = opts
        self.on_raw = on_raw
        self.started = started or time.monotonic()
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
            with _CALLBACK:
                self.on_raw(raw)

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None


def _raw_for(item: Mapping[str, str], outcome: str, error: str, seconds: float = 0.0) -> Raw:
    return Raw(item["op"], item["key"], item["dtype"], outcome, error=error, seconds=seconds)


class _Queue:
    """The items not yet taken, shared by the workers' threads (each takes the next one when it
    is free: slow ops do not pile up on one worker)."""

    def __init__(self, items: Sequence[dict[str, str]]) -> None:
        self._items = list(reversed(items))
        self._lock = threading.Lock()

    def take(self) -> dict[str, str] | None:
        with self._lock:
            return self._items.pop() if self._items else None

    def drain(self) -> list[dict[str, str]]:
        with self._lock:
            rest, self._items = list(reversed(self._items)), []
            return rest


def run_sweep(opts: SweepOptions, on_raw: OnRaw | None = None) -> SweepRun:
    """Run every item the worker offers; SweepError when the sweep cannot start.

    On KeyboardInterrupt every worker is killed and the interrupt re-raised."""
    first = _Run(opts, on_raw)
    runs = [first]
    try:
        hello = first.spawn(opts.device)
        problem = hello.get("device_error") or (hello.get("facts") or {}).get("torch_import_error")
        if problem or not hello.get("device"):
            first.close()
            raise SweepError(str(problem or "the worker found no device"))
        items = list(hello.get("items") or [])
        device = str(hello["device"])
        queue = _Queue(items)
        jobs = max(1, min(opts.jobs, len(items)))
        runs += [_Run(opts, on_raw, first.started) for _ in range(jobs - 1)]
        if jobs == 1:
            _drive(first, queue, device)
        else:
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                for future in [pool.submit(_drive, run, queue, device) for run in runs]:
                    future.result()
        rest = queue.drain()  # the time bound ended the sweep, or every worker gave up
        if rest:
            first.budget_hit = first.left() <= 0
            why = f"the sweep's {opts.budget_s:g} s bound" if first.budget_hit else "no worker"
            for item in rest:
                first.record(_raw_for(item, "not-run", why))
    except KeyboardInterrupt:
        for run in runs:
            if run.worker is not None:
                run.worker.kill()
                run.worker = None
        raise
    finally:
        for run in runs:
            run.close()
    order = {item["id"]: n for n, item in enumerate(items)}
    raws = sorted((r for run in runs for r in run.raws), key=lambda r: order.get(r.id, len(order)))
    return SweepRun(
        hello=hello,
        raws=raws,
        seconds=time.monotonic() - first.started,
        worker_starts=sum(run.starts for run in runs),
        budget_hit=any(run.budget_hit for run in runs),
    )


def _drive(run: _Run, queue: _Queue, device: str) -> None:
    """Take items from `queue` until it is empty, the time bound is reached or this worker
    crashed MAX_RESTARTS times; a worker that cannot start again leaves the rest to the others."""
    restarts = 0
    while run.left() > 0 and restarts < MAX_RESTARTS:
        item = queue.take()
        if item is None:
            return
        if run.worker is None:
            try:
                run.spawn(device)
            except SweepError as exc:
                run.record(_raw_for(item, "not-run", str(exc)))
                return
        assert run.worker is not None
        if not run.worker.send({"run": [item["id"]]}):
            run.worker.kill()
            run.worker = None
            run.record(_raw_for(item, "crashed", "the worker ended before the op started"))
            restarts += 1
            continue
        left = _collect(run, [item])
        if left:  # the time bound ended the sweep during this item: not the item's fault
            run.budget_hit = True
            run.record(_raw_for(item, "not-run", f"the sweep's {run.opts.budget_s:g} s bound"))
            return
        if run.worker is None:
            restarts += 1


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
