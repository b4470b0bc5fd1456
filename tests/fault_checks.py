"""Test-only device checks that misbehave on purpose, registered with the real @check decorator.

The runner tests load this module into the worker (`Supervisor(modules=["tests.fault_checks"])`)
and assert that each fault is contained: bounded time, every check reported once, the faulty one
says what happened, the others still run. Tier FULL and the "fault." prefix keep them out of
real runs (checks_for only returns checks of the modules it is given).
"""

from __future__ import annotations

import os
import resource
import signal
import time

from verify.checks import Context, check
from verify.model import Outcome, Tier, passed

HANG_TIMEOUT_S = 1.0

# Real torch messages, verbatim:
# pytorch/pytorch#130112 (torch 2.3.1, macOS 14.5): raised by aten/src/ATen/mps/MPSAllocator.mm
MPS_OOM_TEXT = (
    "MPS backend out of memory (MPS allocated: 5.50 GB, other allocations: 14.76 GB, max "
    "allowed: 20.40 GB). Tried to allocate 147.24 MB on private pool. Use "
    "PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0 to disable upper limit for memory allocations (may "
    "cause system failure)."
)
# aten/src/ATen/mps/EmptyTensor.cpp MPS_ERROR_DOUBLE_NOT_SUPPORTED, raised as a TypeError
FLOAT64_TEXT = (
    "Cannot convert a MPS Tensor to float64 dtype as the MPS framework doesn't support float64. "
    "Please use float32 instead."
)


def no_core_dump() -> None:
    """A deliberate crash must not leave a core file of a torch process in the checkout."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


@check("fault.ok", "A check that passes", tier=Tier.FULL)
def ok(ctx: Context) -> Outcome:
    total = float(ctx.torch.ones(3, device=ctx.device).sum().item())
    return passed("fine", total=total, pid=os.getpid(), scratch=dict(ctx.scratch))


@check("fault.raises", "A check that raises", tier=Tier.FULL)
def raises(ctx: Context) -> Outcome:
    raise RuntimeError("deliberate failure from tests.fault_checks")


@check("fault.hang", "A check that hangs", tier=Tier.FULL, timeout_s=HANG_TIMEOUT_S)
def hang(ctx: Context) -> Outcome:
    time.sleep(3600)
    return passed("unreachable")


@check("fault.sleep", "A check that sleeps until the run's own --timeout", tier=Tier.FULL)
def sleep(ctx: Context) -> Outcome:
    time.sleep(3600)
    return passed("unreachable")


@check("fault.segfault", "A check whose process dies of SIGSEGV", tier=Tier.FULL)
def segfault(ctx: Context) -> Outcome:
    no_core_dump()
    os.kill(os.getpid(), signal.SIGSEGV)
    time.sleep(30)  # the signal is delivered asynchronously
    return passed("unreachable")


@check("fault.exit", "A check that ends its process with os._exit", tier=Tier.FULL)
def exits(ctx: Context) -> Outcome:
    os._exit(7)


@check("fault.mps_oom", "A check that hits the MPS out-of-memory error", tier=Tier.FULL)
def mps_oom(ctx: Context) -> Outcome:
    raise RuntimeError(MPS_OOM_TEXT)


@check("fault.float64", "A check that gets torch's float64-on-MPS refusal", tier=Tier.FULL)
def float64(ctx: Context) -> Outcome:
    raise TypeError(FLOAT64_TEXT)


@check("fault.prints", "A check that writes to stdout and fd 1", tier=Tier.FULL)
def prints(ctx: Context) -> Outcome:
    print('{"event": "result", "id": "fault.prints", "status": "fail"}', flush=True)
    os.write(1, b'{"event": "result", "id": "fault.prints", "status": "fail"}\n')
    return passed("printed twice")


@check("fault.not_an_outcome", "A check that returns the wrong type", tier=Tier.FULL)
def not_an_outcome(ctx: Context) -> Outcome:
    return "done"  # type: ignore[return-value]


@check(
    "fault.stderr_then_abort", "A check that prints torch's OOM text, then aborts", tier=Tier.FULL
)
def stderr_then_abort(ctx: Context) -> Outcome:
    # native code that reports on stderr and then calls abort() (Metal's "failed assertion",
    # allocator errors in C++ without a Python exception)
    no_core_dump()
    os.write(2, (MPS_OOM_TEXT + "\n").encode())
    os.abort()
