"""device.*: the quick tier. Real work on the device, read back and compared; is_available()
alone is not trusted (it is True on machines where the first real allocation still fails).
"""

from __future__ import annotations

from typing import Any

from verify import messages
from verify.checks import Context, check
from verify.checks.compare import mismatch
from verify.model import Outcome, Tier, failed, passed

ALLOC_ELEMENTS = 1 << 20  # 4 MiB of float32: a real buffer, not a cached scalar


@check("device.alloc", "Allocate memory on the device and read it back", tier=Tier.QUICK)
def alloc(ctx: Context) -> Outcome:
    torch = ctx.torch
    x = torch.arange(ALLOC_ELEMENTS, dtype=torch.float32, device=ctx.device)
    ctx.synchronize()
    if x.device.type != ctx.device_type:
        cause, fix = messages.wrong_result("Allocating", ctx.device, f"it landed on '{x.device}'")
        return failed(cause, fix)
    found = mismatch(torch, x, torch.arange(ALLOC_ELEMENTS, dtype=torch.float32), rtol=0, atol=0)
    if found is not None:
        cause, fix = messages.wrong_result(
            "Reading back an allocation", ctx.device, found["message"]
        )
        return failed(cause, fix, **found)
    mib = ALLOC_ELEMENTS * 4 / 2**20
    return passed(
        f"allocated {mib:g} MiB on '{x.device}' and read it back", bytes=ALLOC_ELEMENTS * 4
    )


@check("device.compute", "Compute on the device; the result matches the CPU", tier=Tier.QUICK)
def compute(ctx: Context) -> Outcome:
    torch = ctx.torch
    # integer-valued inputs: every partial sum is exact, so the device must match bit for bit
    a = torch.randint(-8, 9, (128, 128)).float()
    b = torch.randint(-8, 9, (128, 128)).float()

    def work(x: Any, y: Any) -> Any:
        return (x @ y).relu().sum(0)

    got = work(a.to(ctx.device), b.to(ctx.device))
    ctx.synchronize()
    found = mismatch(torch, got, work(a, b), rtol=0, atol=0)
    if found is not None:
        cause, fix = messages.wrong_result("A matrix multiply", ctx.device, found["message"])
        return failed(cause, fix, **found)
    return passed(f"128x128 matmul on '{got.device}' matches the CPU exactly")


@check("device.context", "`with torch.device(...)` puts new tensors on the device", tier=Tier.QUICK)
def context(ctx: Context) -> Outcome:
    torch = ctx.torch
    before = torch.empty(0).device
    with torch.device(ctx.device):  # a context manager since torch 2.0
        made = [torch.zeros(4), torch.ones(2, 2) + 1, torch.randn(3), torch.arange(5)]
    after = torch.empty(0).device
    wrong = [str(t.device) for t in made if t.device.type != ctx.device_type]
    if wrong:
        cause, fix = messages.wrong_result(
            f"Creating tensors inside `with torch.device('{ctx.device}')`",
            ctx.device,
            f"they landed on {', '.join(wrong)}",
        )
        return failed(cause, fix)
    if after != before:
        cause, fix = messages.default_device_not_restored(str(before), str(after))
        return failed(cause, fix)
    total = float(made[1].sum().item())  # the tensors made there are usable too
    if total != 8.0:
        cause, fix = messages.wrong_result("ones(2, 2) + 1", ctx.device, f"summed to {total}")
        return failed(cause, fix)
    return passed(f"tensors created in the context landed on '{made[0].device}'")


def default_device(torch: Any) -> Any:
    """The current default device (torch.get_default_device() is torch 2.3+)."""
    getter = getattr(torch, "get_default_device", None)
    return getter() if getter is not None else torch.empty(0).device


@check("device.default", "torch.set_default_device works and is undone", tier=Tier.QUICK)
def default(ctx: Context) -> Outcome:
    torch = ctx.torch
    before = default_device(torch)
    try:
        torch.set_default_device(ctx.device)
        made = torch.ones(3)
        landed = made.device
        total = float(made.sum().item())
    finally:
        # ALWAYS restored, even when the lines above raise: the worker runs more checks after
        # this one and a leaked default device would move their CPU references to the device.
        torch.set_default_device(None if before.type == "cpu" else before)
    after = default_device(torch)
    fresh = torch.empty(0).device
    if after != before or fresh != before:
        cause, fix = messages.default_device_not_restored(str(before), f"{after} / {fresh}")
        return failed(cause, fix)
    if landed.type != ctx.device_type or total != 3.0:
        cause, fix = messages.wrong_result(
            f"torch.set_default_device('{ctx.device}')",
            ctx.device,
            f"ones(3) landed on '{landed}' and summed to {total}",
        )
        return failed(cause, fix)
    return passed(f"new tensors went to '{landed}'; the default is back to '{after}'")
