"""The quick and standard device checks, in-process, on the CPU with real torch."""

from __future__ import annotations

import pytest
import torch

from verify.checks import Context, Registry, dtypes, load, nn, parity
from verify.checks import device as device_checks
from verify.checks.compare import bf16_refused, mismatch, small_ints
from verify.model import Status, Tier
from verify.runner import checks_for

MODULES = (
    "verify.checks.device",
    "verify.checks.dtypes",
    "verify.checks.nn",
    "verify.checks.parity",
)


def my_checks():
    registry: Registry = load(MODULES)
    return [c for c in registry.for_tier(Tier.STANDARD) if c.module in MODULES]


def run(check_func, device="cpu"):
    torch.manual_seed(0)  # as the worker does before each check
    return check_func(Context(torch, device))


@pytest.fixture(autouse=True)
def default_device_untouched():
    before = torch.get_default_device()
    yield
    assert torch.get_default_device() == before


@pytest.mark.parametrize("check", my_checks(), ids=lambda c: c.id)
def test_every_check_passes_on_cpu(check):
    outcome = run(check.func)
    assert outcome.status is Status.PASS, (outcome.detail, outcome.data)
    assert outcome.detail


def test_ids_and_tiers_follow_the_contract():
    tiers = {c.id: c.tier for c in my_checks()}
    for quick in ("device.alloc", "device.compute", "device.context", "device.default"):
        assert tiers[quick] is Tier.QUICK
    for name in ("float32", "float16", "bfloat16", "int32", "int64", "bool", "float64"):
        assert tiers[f"dtypes.{name}"] is Tier.STANDARD
    assert {"nn.forward", "nn.backward", "nn.train"} <= set(tiers)
    assert any(i.startswith("parity.") for i in tiers)
    required = {c.id: c.required for c in my_checks()}
    assert required["dtypes.float32"] and not required["dtypes.float64"]


def test_quick_checks_come_first():
    ids = [c.id for c in checks_for("standard")]
    assert ids[:4] == ["device.alloc", "device.compute", "device.context", "device.default"]


def test_default_device_is_restored_even_when_the_check_raises():
    if torch.backends.mps.is_available():
        pytest.skip("needs a device name torch accepts but cannot allocate on")
    # set_default_device('mps') is accepted on a torch without MPS; creating a tensor then fails
    with pytest.raises((RuntimeError, NotImplementedError)):
        run(device_checks.default, "mps")
    assert str(torch.get_default_device()) == "cpu"
    assert torch.empty(0).device.type == "cpu"


def test_context_check_leaves_no_device_context_behind():
    run(device_checks.context)
    assert torch.zeros(1).device.type == "cpu"


def test_train_loss_falls_and_is_deterministic():
    first = run(nn.train)
    second = run(nn.train)
    losses = first.data["losses"]
    assert len(losses) == nn.TRAIN_STEPS and losses[-1] < 0.8 * losses[0]
    assert second.data["losses"] == losses  # torch.manual_seed per check: same numbers


def test_written_out_adam_matches_torch_optim_adam():
    # the same gradients go to both (computed gradients would drift apart: Adam turns 1e-8
    # differences in near-zero gradients into full-size steps)
    torch.manual_seed(0)
    mine = [torch.randn(5, 3), torch.randn(7)]
    theirs = [p.clone() for p in mine]
    state = [(torch.zeros_like(p), torch.zeros_like(p)) for p in mine]
    optimizer = torch.optim.Adam(theirs, lr=1e-2)
    for step in (1, 2, 3, 4):
        for a, b in zip(mine, theirs, strict=True):
            a.grad = torch.randn_like(a) * step
            b.grad = a.grad.clone()
        nn.adam_step(torch, mine, state, step)
        optimizer.step()
    for a, b in zip(mine, theirs, strict=True):
        torch.testing.assert_close(a, b)


def test_mismatch_reports_the_largest_error():
    expected = torch.zeros(10)
    actual = expected.clone()
    actual[3], actual[7] = 0.5, -2.0
    found = mismatch(torch, actual, expected)
    assert found["max_abs_error"] == 2.0 and found["at_index"] == 7
    assert found["got"] == -2.0 and found["expected"] == 0.0
    assert found["mismatched"] == 2 and "2 of 10 elements differ" in found["message"]
    assert mismatch(torch, expected + 1e-7, expected) is None  # within float32's defaults
    assert mismatch(torch, expected + 1e-7, expected, rtol=0, atol=0) is not None


def test_mismatch_uses_assert_close_default_tolerances():
    from verify.checks.compare import default_tolerance

    for dtype in (torch.float16, torch.bfloat16, torch.float32, torch.float64):
        rtol, atol = default_tolerance(dtype)
        expected = torch.full((4,), 3.0, dtype=dtype)
        inside = expected + (atol + rtol * 3.0) * 0.5
        outside = expected.double() + (atol + rtol * 3.0) * 4
        assert mismatch(torch, inside.to(dtype), expected) is None
        # torch.testing.assert_close agrees on both sides of the line
        torch.testing.assert_close(inside.to(dtype), expected)
        if outside.to(dtype).double()[0] != 3.0:
            assert mismatch(torch, outside.to(dtype), expected) is not None
            with pytest.raises(AssertionError):
                torch.testing.assert_close(outside.to(dtype), expected)
    assert default_tolerance(torch.int64) == (0.0, 0.0)
    assert mismatch(torch, torch.tensor([1, 2]), torch.tensor([1, 3]))["max_abs_error"] == 1.0
    assert mismatch(torch, torch.ones(2), torch.ones(3))["message"].startswith("got")


def test_mismatch_counts_nan_as_an_error():
    found = mismatch(torch, torch.tensor([1.0, float("nan")]), torch.tensor([1.0, 2.0]))
    assert found["max_abs_error"] == float("inf")


def test_parity_fails_with_the_largest_error_when_the_device_disagrees():
    calls = []

    def off_by_one_on_second_call(t, a):
        calls.append(a.device)
        return a + (1 if len(calls) % 2 == 0 else 0)  # the "device" run comes second

    outcome = parity.compare_cases(
        Context(torch, "cpu"),
        "add",
        lambda t, d: (small_ints(t, (3, 4), d),),
        off_by_one_on_second_call,
        ("float32",),
    )
    assert outcome.status is Status.FAIL
    assert outcome.data["max_abs_error"] == 1.0 and outcome.data["dtype"] == "float32"
    assert "add in float32" in outcome.cause and outcome.fix is not None


def test_small_ints_make_matmul_exact_in_every_float_dtype():
    # the premise of parity.matmul: with these inputs no dtype rounds, whatever the sum order
    a64 = small_ints(torch, (33, 47), torch.float64)
    b64 = small_ints(torch, (47, 29), torch.float64)
    for name in parity.FLOAT_DTYPES:
        dtype = getattr(torch, name)
        assert torch.equal((a64.to(dtype) @ b64.to(dtype)).double(), a64 @ b64)
        assert torch.equal((a64.to(dtype).T @ a64.to(dtype)).double(), a64.T @ a64)


@pytest.mark.parametrize(
    "text",
    [
        # torch >= 2.3 on macOS 13 (https://github.com/pytorch/torchchat/issues/616)
        "MPS BFloat16 is only supported on MacOS 14 or newer",
        # torch <= 2.2 (https://github.com/pytorch/pytorch/issues/141864)
        "BFloat16 is not supported on MPS",
    ],
)
def test_bf16_refusal_is_recognised_on_mps_only(text):
    assert bf16_refused(TypeError(text), Context(torch, "mps"))
    assert not bf16_refused(TypeError(text), Context(torch, "cpu"))
    assert not bf16_refused(TypeError("something else"), Context(torch, "mps"))


def test_int64_check_uses_values_beyond_32_bits():
    outputs = dtypes.exercise(torch, dtypes.sample(torch, torch.int64))
    assert int(outputs[-1].min()) > 2**32


def test_nn_model_has_the_layers_the_contract_names():
    model = nn.make_model(torch)
    kinds = {type(m).__name__ for m in model.modules()}
    assert {"Conv2d", "Linear", "LayerNorm"} <= kinds
    assert model(torch.randn(2, 3, 8, 8)).shape == (2, nn.CLASSES)
