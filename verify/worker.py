"""The worker process: imports torch, reports what it found, runs device checks on request.

    python -m verify.worker --device auto|mps|cuda|cpu [--module M ...]

Started and supervised by verify.runner (the parent never imports torch). The protocol is JSON
lines: requests `{"run": "check.id", "module": "pkg.mod"}` / `{"exit": true}` on stdin; answers
`{"event": "hello", ...}` once, then `{"event": "start", "id"}` and `{"event": "result", ...}`
per check. The protocol channel is a dup of fd 1 taken at start-up; fd 1 itself is pointed at
fd 2, so whatever torch or a check prints cannot corrupt the channel.

Facts about torch are probed here (verify.facts probes the host without torch).
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TextIO

from verify import messages
from verify.checks import BUILTIN_MODULES, REGISTRY, Context, Registry, load
from verify.facts import conda_record
from verify.known_errors import explain
from verify.model import Outcome, failed, passed

PROTOCOL = 1
MAX_ERROR_CHARS = 600


# --- the protocol channel ----------------------------------------------------------------------
def open_channel() -> TextIO:
    """Keep fd 1 for the protocol (as a new fd) and send everything else written to fd 1 to fd 2."""
    sys.stdout.flush()
    channel_fd = os.dup(1)
    os.dup2(2, 1)
    return os.fdopen(channel_fd, "w", encoding="utf-8", buffering=1)


def jsonable(value: Any) -> Any:
    """Plain JSON (no NaN/Infinity, no tensors): what the report writers can always serialise."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    try:  # numbers from torch/numpy: 0-d tensors, numpy scalars
        return jsonable(value.item())
    except Exception:  # anything else is shown as text
        return str(value)


def send(channel: TextIO, message: dict[str, Any]) -> None:
    channel.write(json.dumps(jsonable(message)) + "\n")
    channel.flush()


def requests(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """The supervisor's requests, one JSON object a line, until {"exit": true} or a line that is
    not an object; lines that are not JSON are skipped."""
    for line in lines:
        try:
            request = json.loads(line)
        except ValueError:
            continue
        if not isinstance(request, dict) or request.get("exit"):
            return
        yield request


def first_line(text: str, limit: int = MAX_ERROR_CHARS) -> str:
    line = next((ln.strip() for ln in str(text).splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 3] + "..."


def describe_exception(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {first_line(str(exc))}".rstrip(": ")


# --- torch facts -------------------------------------------------------------------------------
def conda_channel(prefix: str, package: str = "pytorch") -> str | None:
    """The channel a conda package came from, from <prefix>/conda-meta/<package>-*.json."""
    record = conda_record(prefix, package)
    if record is None:
        return None
    channel = str(record.get("channel") or "").rstrip("/")
    if not channel:
        return "conda"
    # "https://conda.anaconda.org/conda-forge/osx-arm64", "pkgs/main/osx-arm64", "conda-forge"
    parts = channel.split("/")
    platform = parts[-1].split("-", 1)[0]
    if parts[-1] in (record.get("subdir"), "noarch") or platform in ("osx", "linux", "win"):
        parts = parts[:-1]
    if parts[-2:] == ["pkgs", "main"]:
        return "defaults"
    return parts[-1] if parts else "conda"


def torch_source(prefix: str | None = None) -> str | None:
    """Where torch came from: a conda channel, "pypi" (installed from an index) or "local"."""
    from importlib import metadata

    prefix = sys.prefix if prefix is None else prefix
    installer = direct_url = None
    try:
        dist = metadata.distribution("torch")
        installer = (dist.read_text("INSTALLER") or "").strip().lower() or None
        direct_url = dist.read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        pass
    if installer in (None, "conda"):
        channel = conda_channel(prefix)
        if channel:
            return channel
    if direct_url:
        try:
            url = str(json.loads(direct_url).get("url", ""))
        except ValueError:
            url = ""
        if url.startswith("file:") or not url:
            return "local"
        return url.split("/")[2] if "://" in url else "local"
    if installer:
        return "pypi"
    return None


def mps_facts(torch: Any) -> dict[str, Any]:
    """mps_built, mps_available and, when built but unavailable, torch's own words for why."""
    mps = getattr(getattr(torch, "backends", None), "mps", None)
    if mps is None:  # torch < 1.12 has no MPS at all
        return {"mps_built": False, "mps_available": False}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        built = bool(mps.is_built())
        # aten/src/ATen/mps/MPSDevice.mm warns "Skipping device ... that does not support Metal
        # 2.0" (virtual machines) while looking for a device; catch it as the reason.
        available = bool(mps.is_available())
    reason = None
    if built and not available:
        reasons = [first_line(str(w.message)) for w in caught]
        try:  # torch says why on first use, e.g. "The MPS backend is supported on MacOS 14.0+."
            torch.empty(1, device="mps")
        except Exception as exc:  # the message is the fact we want
            reasons.append(first_line(str(exc)))
        reason = "; ".join(dict.fromkeys(r for r in reasons if r)) or None
    return {"mps_built": built, "mps_available": available, "mps_unavailable_reason": reason}


def torch_facts(torch: Any) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "torch_version": str(torch.__version__),
        "torch_location": os.path.dirname(os.path.abspath(torch.__file__)),
    }
    try:
        facts["torch_source"] = torch_source()
    except Exception:  # a broken dist-info must not stop the probe
        facts["torch_source"] = None
    facts.update(mps_facts(torch))
    cuda_version = getattr(getattr(torch, "version", None), "cuda", None)
    facts["cuda_version"] = str(cuda_version) if cuda_version else None
    try:
        facts["cuda_available"] = bool(torch.cuda.is_available())
    except Exception:
        facts["cuda_available"] = False
    gpu_name = None
    try:
        if facts["cuda_available"]:
            gpu_name = str(torch.cuda.get_device_name(0))
        elif facts["mps_available"] and hasattr(torch.backends.mps, "get_name"):
            gpu_name = str(torch.backends.mps.get_name())
    except Exception:
        gpu_name = None
    facts["gpu_name"] = gpu_name
    return facts


def resolve_device(torch: Any, requested: str, facts: dict[str, Any]) -> tuple[str, str | None]:
    """(device, why it is not usable or None). "auto" = mps, then cuda, then cpu."""
    if requested == "auto":
        if facts.get("mps_available"):
            return "mps", None
        if facts.get("cuda_available"):
            return "cuda", None
        return "cpu", None
    try:
        device = torch.device(requested)
    except Exception as exc:
        return requested, describe_exception(exc)
    name = str(device)
    if device.type == "mps" and not facts.get("mps_available"):
        if not facts.get("mps_built"):
            return name, "this PyTorch was built without MPS (torch.backends.mps.is_built() False)"
        reason = facts.get("mps_unavailable_reason")
        return name, reason or "torch.backends.mps.is_available() is False"
    if device.type == "cuda":
        if not facts.get("cuda_available"):
            if not facts.get("cuda_version"):
                return name, "this PyTorch was built without CUDA (torch.version.cuda is None)"
            return name, "torch.cuda.is_available() is False (no NVIDIA GPU or driver found)"
        count = torch.cuda.device_count()
        if device.index is not None and device.index >= count:
            return name, f"there are {count} CUDA device(s), so index {device.index} does not exist"
    try:
        torch.empty(1, device=device)
    except Exception as exc:
        return name, describe_exception(exc)
    return name, None


# --- running checks ----------------------------------------------------------------------------
def outcome_from_exception(exc: BaseException, check_id: str, device: str) -> tuple[Outcome, bool]:
    """(Outcome, crashed) for an exception a check raised."""
    error = describe_exception(exc)
    known = explain(str(exc))
    if known is not None and known.expected_on_mps and device.split(":", 1)[0] == "mps":
        # float64 on MPS: torch refusing it is the documented behaviour, not a fault.
        return passed(f"torch refused it as expected ({error})", expected_error=known.id), False
    tb = traceback.format_exception(type(exc), exc, exc.__traceback__)
    data = {"error": error, "traceback": "".join(tb)[-2000:]}
    if known is not None:
        return failed(known.cause, known.fix, detail=error, known_error=known.id, **data), True
    cause, fix = messages.check_raised(check_id, device, error)
    return failed(cause, fix, detail=error, **data), True


def run_check(
    registry: Registry,
    torch: Any,
    device: str,
    check_id: str,
    *,
    module: str | None,
    channel: TextIO,
    scratch: dict[str, Any] | None = None,
) -> None:
    found = registry.checks.get(check_id)
    load_error = None
    if found is None and module:
        try:
            importlib.import_module(module)
        except Exception as exc:
            load_error = describe_exception(exc)
        found = registry.checks.get(check_id)
    send(channel, {"event": "start", "id": check_id})
    started = time.perf_counter()
    crashed = False
    if found is None:
        error = load_error or f"no check with id {check_id!r} is registered in the worker"
        cause, fix = messages.check_raised(check_id, device, error)
        outcome, crashed = failed(cause, fix, detail=error), True
    else:
        torch.manual_seed(0)  # every check starts from the same random state
        try:
            outcome = found.func(Context(torch, device, dict(scratch or {})))
            if not isinstance(outcome, Outcome):
                error = f"the check returned {type(outcome).__name__}, not an Outcome"
                cause, fix = messages.check_raised(check_id, device, error)
                outcome, crashed = failed(cause, fix, detail=error), True
        except Exception as exc:  # any failure becomes a result
            outcome, crashed = outcome_from_exception(exc, check_id, device)
    send(
        channel,
        {
            "event": "result",
            "id": check_id,
            "status": outcome.status.value,
            "detail": outcome.detail,
            "cause": outcome.cause,
            "fix": outcome.fix.to_dict() if outcome.fix else None,
            "data": outcome.data,
            "duration_s": time.perf_counter() - started,
            "crashed": crashed,
        },
    )


def load_modules(names: Sequence[str]) -> tuple[Registry, dict[str, str]]:
    """Import check modules one by one; a module that fails is reported, not fatal."""
    errors = {}
    for name in names:
        try:
            load([name])
        except Exception as exc:
            errors[name] = describe_exception(exc)
    return REGISTRY, errors


def watch_parent() -> None:
    """Exit when the supervising process goes away (a hung check must not outlive it)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(3)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m verify.worker")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--module", action="append", default=[])
    # the chip name from the host facts (Facts.chip, e.g. "Apple M2 Pro"): perf.* keys peaks on it
    parser.add_argument("--gpu-name", default=None)
    args = parser.parse_args(argv)

    channel = open_channel()
    watch_parent()
    hello: dict[str, Any] = {"event": "hello", "protocol": PROTOCOL, "pid": os.getpid()}
    try:
        import torch
    except Exception as exc:  # ImportError, OSError (missing dylib), ...
        hello.update(facts={"torch_import_error": describe_exception(exc)}, device=None)
        send(channel, hello)
        return 0
    facts = torch_facts(torch)
    device, device_error = resolve_device(torch, args.device, facts)

    registry, load_errors = load_modules(list(BUILTIN_MODULES) + list(args.module))
    hello.update(
        facts=facts,
        device=device,
        device_error=device_error,
        load_errors=load_errors,
        checks=sorted(registry.checks),
    )
    send(channel, hello)

    for request in requests(sys.stdin):
        if "run" in request:
            run_check(
                registry,
                torch,
                device,
                str(request["run"]),
                module=request.get("module"),
                scratch={"gpu_name": args.gpu_name or facts.get("gpu_name")},
                channel=channel,
            )
    channel.flush()
    sys.stderr.flush()
    # skip interpreter teardown: with torch loaded it takes ~0.5 s and there is nothing to save
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
