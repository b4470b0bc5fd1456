"""nn.*: a small model (Conv2d, Linear, LayerNorm, scaled_dot_product_attention) runs forward,
backward and trains on the device.

Forward outputs and gradients are compared with the same model on the CPU under a loose
tolerance (NN_TOLERANCE): convolution and attention kernels differ between devices (MPSGraph,
cuDNN with TF32 convolutions on by default) and sum in a different order. These checks ask
"does it work"; parity.* asks "is it precise".
"""

from __future__ import annotations

import copy
import math
from typing import Any

from verify import messages
from verify.checks import Context, check
from verify.checks.compare import mismatch
from verify.model import Outcome, Tier, failed, passed

NN_TOLERANCE = {"rtol": 2e-3, "atol": 2e-3}
BATCH, CLASSES = 8, 4
TRAIN_STEPS = 8


def make_model(torch: Any) -> Any:
    nn = torch.nn
    functional = torch.nn.functional

    class TinyNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3, padding=1)
            self.embed = nn.Linear(8, 32)
            self.norm = nn.LayerNorm(32)
            self.qkv = nn.Linear(32, 96)
            self.proj = nn.Linear(32, 32)
            self.head = nn.Linear(32, CLASSES)

        def forward(self, x: Any) -> Any:
            h = functional.relu(self.conv(x))  # (B, 8, H, W)
            h = h.flatten(2).transpose(1, 2)  # (B, H*W, 8): one token per pixel
            h = self.norm(self.embed(h))
            b, t, _ = h.shape
            q, k, v = self.qkv(h).view(b, t, 3, 2, 16).permute(2, 0, 3, 1, 4)  # 2 heads of 16
            attended = functional.scaled_dot_product_attention(q, k, v)
            h = h + self.proj(attended.transpose(1, 2).reshape(b, t, 32))
            return self.head(h.mean(1))

    return TinyNet()


def batch(torch: Any) -> tuple[Any, Any]:
    return torch.randn(BATCH, 3, 8, 8), torch.randint(0, CLASSES, (BATCH,))


def _pair(ctx: Context) -> tuple[Any, Any, Any, Any]:
    """(cpu model, device copy, inputs, labels), same weights."""
    model = make_model(ctx.torch)
    x, y = batch(ctx.torch)
    return model, copy.deepcopy(model).to(ctx.device), x, y


@check("nn.forward", "A small model runs forward on the device", tier=Tier.STANDARD)
def forward(ctx: Context) -> Outcome:
    torch = ctx.torch
    model, on_device, x, _ = _pair(ctx)
    with torch.no_grad():
        got = on_device(x.to(ctx.device))
        ctx.synchronize()
        expected = model(x)
    finite = bool(torch.isfinite(got).all())
    if got.device.type != ctx.device_type or not finite:
        detail = f"the output is on '{got.device}' and finite={finite}"
        cause, fix = messages.wrong_result("The forward pass", ctx.device, detail)
        return failed(cause, fix)
    found = mismatch(torch, got, expected, **NN_TOLERANCE)
    if found is not None:
        cause, fix = messages.wrong_result("The forward pass", ctx.device, found["message"])
        return failed(cause, fix, **found)
    return passed(
        "Conv2d, Linear, LayerNorm and attention match the CPU",
        parameters=sum(p.numel() for p in model.parameters()),
    )


@check("nn.backward", "Gradients flow back through the model on the device", tier=Tier.STANDARD)
def backward(ctx: Context) -> Outcome:
    torch = ctx.torch
    functional = torch.nn.functional
    model, on_device, x, y = _pair(ctx)
    functional.cross_entropy(on_device(x.to(ctx.device)), y.to(ctx.device)).backward()
    functional.cross_entropy(model(x), y).backward()
    ctx.synchronize()
    for (name, p_dev), p_cpu in zip(on_device.named_parameters(), model.parameters(), strict=True):
        grad = p_dev.grad
        if (
            grad is None
            or grad.device.type != ctx.device_type
            or not bool(torch.isfinite(grad).all())
        ):
            state = "missing" if grad is None else f"on '{grad.device}', not all finite"
            cause, fix = messages.wrong_result(
                "The backward pass", ctx.device, f"the gradient of {name} is {state}"
            )
            return failed(cause, fix, parameter=name)
        found = mismatch(torch, grad, p_cpu.grad, **NN_TOLERANCE)
        if found is not None:
            cause, fix = messages.wrong_result(
                f"The gradient of {name}", ctx.device, found["message"]
            )
            return failed(cause, fix, parameter=name, **found)
    return passed("every parameter got a finite gradient that matches the CPU")


def adam_step(
    torch: Any,
    params: list[Any],
    state: list[tuple[Any, Any]],
    step: int,
    *,
    lr: float = 1e-2,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
) -> None:
    """One Adam update (Kingma & Ba, as torch.optim.Adam computes it), written out.

    torch.optim is not used: constructing any torch.optim optimizer imports torch._dynamo
    (torch/_compile.py's disable wrapper), measured at ~1 s on CPU and 5.6 s on a CUDA host
    (where it also pulls in triton): far more than the training itself. The update below runs
    the same kind of device kernels (in-place mul/add, addcmul, sqrt, division).
    """
    beta1, beta2 = betas
    with torch.no_grad():
        for p, (m, v) in zip(params, state, strict=True):
            m.mul_(beta1).add_(p.grad, alpha=1 - beta1)
            v.mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
            m_hat = m / (1 - beta1**step)
            v_hat = v / (1 - beta2**step)
            p.sub_(lr * m_hat / (v_hat.sqrt() + eps))


@check("nn.train", "The loss falls over a few optimizer steps on the device", tier=Tier.STANDARD)
def train(ctx: Context) -> Outcome:
    torch = ctx.torch
    model = make_model(torch).to(ctx.device)
    x, y = (t.to(ctx.device) for t in batch(torch))
    params = list(model.parameters())
    state = [(torch.zeros_like(p), torch.zeros_like(p)) for p in params]
    losses = []
    for step in range(1, TRAIN_STEPS + 1):
        for p in params:
            p.grad = None
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        adam_step(torch, params, state, step)
        losses.append(float(loss.item()))
    rounded = [round(v, 4) for v in losses]
    finite = all(math.isfinite(v) for v in losses)
    if not finite or losses[-1] > 0.8 * losses[0]:
        cause, fix = messages.training_did_not_learn(
            ctx.device, rounded[0], rounded[-1], TRAIN_STEPS
        )
        return failed(cause, fix, losses=rounded)
    return passed(
        f"loss {rounded[0]} -> {rounded[-1]} over {TRAIN_STEPS} Adam steps", losses=rounded
    )
