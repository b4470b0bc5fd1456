"""Runs device checks in a supervised child process (verify.worker) with timeouts.

The parent never imports torch. A check that hangs past its timeout is stopped by killing the
worker's process group; a worker that dies (SIGSEGV, abort, os._exit) fails the check it was
running; either way a fresh worker on the same device runs the remaining checks. Every check asked
for ends in `Supervisor.results` exactly once, in order.

    with Supervisor("auto", timeout_s=60) as sup:
        probe = sup.probe()                      # torch facts + the resolved device
        results = sup.run(checks_for(Tier.STANDARD))
"""

from __future__ import annotations

import fnmatch
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import verify
from verify import messages
from verify.checks import BUILTIN_MODULES, Check, load
from verify.known_errors import explain
from verify.model import Fix, Result, Status, Tier

# The verify package's parent folder: the worker (`python -m verify.worker`) and check modules
# given by name (e.g. tests.fault_checks in a checkout) are found through it.
PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(verify.__file__)))
# Importing torch cold (first run after install, a slow disk) can take far longer than a check.
MIN_START_TIMEOUT_S = 120.0

OnStart = Callable[[Check], Any]
OnResult = Callable[[Result], Any]


@dataclass(frozen=True)
class TorchProbe:
    """What the worker found: torch facts (Facts field names) and the device it will exercise."""

    facts: dict[str, Any]
    device: str | None  # None when torch could not be imported
    device_error: str | None = None  # why `device` is not usable (e.g. --device mps on Linux)
    checks: tuple[str, ...] = ()  # check ids registered in the worker
    load_errors: dict[str, str] = field(default_factory=dict)  # check module -> import error

    @property
    def usable(self) -> bool:
        return self.device is not None and self.device_error is None


class _Timeout(Exception):
    pass


class _Worker:
    """One `python -m verify.worker` process, in its own process group, spoken to in JSON lines."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str]) -> None:
        self.stderr = tempfile.TemporaryFile()  # a file, not a pipe: it can never fill and block
        self.proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=dict(env),
            start_new_session=True,  # own process group: killed as a whole, spared terminal ^C
        )
        assert self.proc.stdout is not None
        self._fd = self.proc.stdout.fileno()
        os.set_blocking(self._fd, False)
        self._buffer = b""
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._fd, selectors.EVENT_READ)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def send(self, message: Mapping[str, Any]) -> bool:
        """False when the worker can no longer be written to (it died)."""
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write((json.dumps(message) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            return False
        return True

    def receive(self, deadline: float) -> dict[str, Any] | None:
        """The next protocol message; None at end of output (the worker ended); _Timeout."""
        while True:
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if isinstance(message, dict) and "event" in message:
                    return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Timeout
            if not self._selector.select(remaining):
                continue
            try:
                chunk = os.read(self._fd, 65536)
            except BlockingIOError:
                continue
            if not chunk:
                return None
            self._buffer += chunk

    def how_it_ended(self, wait_s: float = 5.0) -> str:
        try:
            code = self.proc.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            self.kill()
            return "stopped (it closed its output but did not exit)"
        if code < 0:
            try:
                return f"killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exited with status {code}"

    def stderr_size(self) -> int:
        try:
            return os.fstat(self.stderr.fileno()).st_size
        except (OSError, ValueError):
            return 0

    def stderr_tail(self, limit: int = 4000, since: int = 0) -> str:
        """The last `limit` bytes the worker wrote to stderr after offset `since`."""
        try:
            size = os.fstat(self.stderr.fileno()).st_size
            self.stderr.seek(max(since, size - limit))
            return self.stderr.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self._release()

    def close(self, wait_s: float = 5.0) -> None:
        """Ask the worker to exit; kill it if it does not."""
        if self.proc.poll() is None:
            self.send({"exit": True})
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=wait_s)
            except subprocess.TimeoutExpired:
                self.kill()
                return
        self._release()

    def _release(self) -> None:
        self._selector.close()
        for stream in (self.proc.stdin, self.proc.stdout, self.stderr):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1] if lines else ""


class Supervisor:
    """Runs checks in a worker process; survives hangs, crashes and Ctrl-C (see module doc)."""

    def __init__(
        self,
        device: str = "auto",
        *,
        modules: Sequence[str] = (),
        timeout_s: float = 60.0,
        python: str = sys.executable,
        env: Mapping[str, str] | None = None,
        gpu_name: str | None = None,
    ) -> None:
        self.requested_device = device
        self.modules = tuple(modules)
        self.timeout_s = float(timeout_s)
        self.start_timeout_s = max(self.timeout_s, MIN_START_TIMEOUT_S)
        self.python = python
        self.env = env
        self.gpu_name = gpu_name  # Facts.chip / gpu_name, passed to checks as ctx.scratch
        self.results: list[Result] = []
        self.worker_starts = 0
        self._worker: _Worker | None = None
        self._probe: TorchProbe | None = None
        self._start_error: str | None = None  # set when a fresh worker failed to come up

    # --- lifecycle ----------------------------------------------------------------------------
    def __enter__(self) -> Supervisor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    @property
    def worker_pid(self) -> int | None:
        return self._worker.pid if self._worker is not None else None

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ if self.env is None else self.env)
        paths = [PACKAGE_ROOT] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
        return env

    def _spawn(self, device: str) -> tuple[_Worker, dict[str, Any] | None, str]:
        """Start a worker and wait for its hello: (worker, hello or None, how it failed)."""
        argv = [self.python, "-m", "verify.worker", "--device", device]
        for module in self.modules:
            argv += ["--module", module]
        if self.gpu_name:
            argv += ["--gpu-name", self.gpu_name]
        self.worker_starts += 1
        worker = _Worker(argv, self._environment())
        try:
            hello = worker.receive(time.monotonic() + self.start_timeout_s)
        except _Timeout:
            worker.kill()
            return worker, None, f"no answer within {self.start_timeout_s:g} s"
        except KeyboardInterrupt:
            worker.kill()
            raise
        if hello is None or hello.get("event") != "hello":
            how = worker.how_it_ended()
            tail = _last_line(worker.stderr_tail())
            worker.kill()
            return (
                worker,
                None,
                f"python {how} while importing torch" + (f": {tail}" if tail else ""),
            )
        return worker, hello, ""

    def probe(self) -> TorchProbe:
        """Start the worker (it imports torch) and return what it found. Cached."""
        if self._probe is not None:
            return self._probe
        try:
            worker, hello, failure = self._spawn(self.requested_device)
        except OSError as exc:  # the python executable itself could not be started
            self._probe = TorchProbe({"torch_import_error": str(exc)}, None)
            return self._probe
        if hello is None:
            self._probe = TorchProbe({"torch_import_error": failure}, None)
            return self._probe
        self._probe = TorchProbe(
            facts=dict(hello.get("facts") or {}),
            device=hello.get("device"),
            device_error=hello.get("device_error"),
            checks=tuple(hello.get("checks") or ()),
            load_errors=dict(hello.get("load_errors") or {}),
        )
        if self._probe.usable:
            self._worker = worker
        else:
            worker.close()
        return self._probe

    def _ensure_worker(self) -> _Worker | None:
        """The live worker, or a fresh one on the probed device; None when none can start."""
        if self._worker is not None and self._worker.proc.poll() is None:
            return self._worker
        if self._worker is not None:
            self._worker.kill()
            self._worker = None
        if self._start_error is not None:
            return None  # a restart already failed: do not pay for it once per check
        assert self._probe is not None and self._probe.device is not None
        try:
            worker, hello, failure = self._spawn(self._probe.device)
        except OSError as exc:
            self._start_error = str(exc)
            return None
        if hello is None:
            self._start_error = failure
            return None
        problem = hello.get("device_error") or (hello.get("facts") or {}).get("torch_import_error")
        if problem or hello.get("device") is None:
            self._start_error = str(problem or "the worker found no device")
            worker.close()
            return None
        self._worker = worker
        return worker

    def _kill_worker(self) -> None:
        if self._worker is not None:
            self._worker.kill()
            self._worker = None

    # --- running ------------------------------------------------------------------------------
    def run(
        self,
        checks: Sequence[Check],
        *,
        on_start: OnStart | None = None,
        on_result: OnResult | None = None,
    ) -> list[Result]:
        """Run `checks` in order; returns their results (also appended to `self.results`).

        On KeyboardInterrupt the worker is killed, finished results stay in `self.results`, and
        the interrupt is re-raised.
        """
        done: list[Result] = []

        def record(check: Check, result: Result, started: bool) -> None:
            if not started and on_start is not None:
                on_start(check)
            self.results.append(result)
            done.append(result)
            if on_result is not None:
                on_result(result)

        try:
            probe = self.probe()
            for check in checks:
                if not probe.usable:
                    record(check, self._not_runnable(check, probe, checks[0].id), False)
                    continue
                result, started = self._run_one(check, on_start)
                record(check, result, started)
        except KeyboardInterrupt:
            self._kill_worker()
            raise
        return done

    @staticmethod
    def _not_runnable(check: Check, probe: TorchProbe, first_id: str) -> Result:
        if probe.device is None:
            reason = messages.torch_missing(str(probe.facts.get("torch_import_error") or "unknown"))
            return Result(check.id, check.title, Status.SKIP, check.required, detail=reason)
        if check.id == first_id:
            cause, fix = messages.device_unusable(probe.device, str(probe.device_error))
            return Result(
                check.id,
                check.title,
                Status.FAIL,
                check.required,
                detail=cause,
                cause=cause,
                fix=fix,
                data={"device": probe.device, "device_error": probe.device_error},
            )
        # the first check carries the failure; the rest depend on it (nox's prerequisite rule)
        reason = messages.needs_usable_device(probe.device, first_id)
        return Result(check.id, check.title, Status.SKIP, check.required, detail=reason)

    def _run_one(self, check: Check, on_start: OnStart | None) -> tuple[Result, bool]:
        """(result, whether on_start was called)."""
        assert self._probe is not None and self._probe.device is not None
        device = self._probe.device
        timeout = check.timeout_s if check.timeout_s is not None else self.timeout_s
        worker = self._ensure_worker()
        if worker is None:
            cause, fix = messages.worker_failed_to_start(str(self._start_error))
            return self._crashed(check, cause, fix, cause, elapsed=0.0), False
        begun = time.monotonic()
        stderr_mark = worker.stderr_size()  # what this check prints starts here
        deadline = begun + timeout
        started = False
        if not worker.send({"run": check.id, "module": check.module}):
            return self._died(check, worker, device, 0.0, stderr_mark), started
        while True:
            try:
                message = worker.receive(deadline)
            except _Timeout:
                self._kill_worker()
                cause, fix = messages.check_timed_out(check.id, device, timeout)
                detail = f"timed out after {timeout:g} s"
                elapsed = time.monotonic() - begun
                return self._crashed(check, cause, fix, detail, elapsed=elapsed), started
            if message is None:
                self._worker = None
                elapsed = time.monotonic() - begun
                return self._died(check, worker, device, elapsed, stderr_mark), started
            if message.get("id") != check.id:
                continue
            if message.get("event") == "start" and not started:
                started = True
                if on_start is not None:
                    on_start(check)
            elif message.get("event") == "result":
                return self._from_message(check, message), started

    def _from_message(self, check: Check, message: Mapping[str, Any]) -> Result:
        fix = Fix.from_dict(message["fix"]) if message.get("fix") else None
        return Result(
            id=check.id,
            title=check.title,
            status=Status(message.get("status", "fail")),
            required=check.required,
            duration_s=float(message.get("duration_s") or 0.0),
            detail=str(message.get("detail") or ""),
            cause=str(message.get("cause") or ""),
            fix=fix,
            data=dict(message.get("data") or {}),
            crashed=bool(message.get("crashed")),
        )

    def _died(
        self, check: Check, worker: _Worker, device: str, elapsed: float, stderr_mark: int
    ) -> Result:
        how = worker.how_it_ended()
        tail = worker.stderr_tail(since=stderr_mark)
        worker.kill()
        known = explain(tail)  # e.g. an MPS out-of-memory or Metal assertion printed before abort
        data: dict[str, Any] = {"ended": how, "stderr_tail": tail[-2000:]}
        if known is not None:
            cause, fix = known.cause, known.fix
            data["known_error"] = known.id
        else:
            cause, fix = messages.worker_died(check.id, device, how)
        return self._crashed(check, cause, fix, how, elapsed=elapsed, data=data)

    @staticmethod
    def _crashed(
        check: Check,
        cause: str,
        fix: Fix,
        detail: str,
        *,
        elapsed: float,
        data: dict[str, Any] | None = None,
    ) -> Result:
        return Result(
            check.id,
            check.title,
            Status.FAIL,
            check.required,
            duration_s=elapsed,
            detail=detail,
            cause=cause,
            fix=fix,
            data=dict(data or {}),
            crashed=True,
        )


# --- choosing checks ---------------------------------------------------------------------------
def checks_for(level: Tier | str, modules: Sequence[str] = ()) -> list[Check]:
    """The device checks of `level` (and the levels below), from the built-in and given modules,
    in run order.

    Check modules never import torch, so this is safe in the parent process.
    """
    names = tuple(BUILTIN_MODULES) + tuple(modules)
    registry = load(names)
    chosen = [c for c in registry.for_tier(Tier(level)) if c.module in names]
    # cheap tiers first, then module order, then registration order: the same order whichever
    # module happened to be imported first in this process
    return sorted(chosen, key=lambda c: (c.tier.rank, names.index(c.module), c.order))


def matches(check_id: str, pattern: str) -> bool:
    """`--only` matching: an exact id, a group ("dtypes" = "dtypes.*") or a glob ("parity.f*")."""
    return (
        check_id == pattern
        or check_id.startswith(pattern + ".")
        or (fnmatch.fnmatchcase(check_id, pattern))
    )


def only(checks: Sequence[Check], patterns: Sequence[str]) -> list[Check]:
    """The checks matching any of `patterns`, in their original order; all of them if none given."""
    if not patterns:
        return list(checks)
    return [c for c in checks if any(matches(c.id, p) for p in patterns)]
