"""ops.sweep with real torch on the CPU: the hand-written cases (what op_db cannot give) and how
the check judges them (tests/test_opcoverage.py covers the op_db sweep itself)."""

from __future__ import annotations

import json
import warnings

import pytest

torch = pytest.importorskip("torch")

from verify.checks import Context, load  # noqa: E402
from verify.checks import ops as check  # noqa: E402
from verify.model import Result, Status, Tier  # noqa: E402
from verify.opcoverage import handwritten as ops  # noqa: E402

# torch's own texts (aten/src/ATen/mps/MPSFallback.mm), as users reported them in
# https://github.com/pytorch/pytorch/issues/77764
NOT_IMPLEMENTED = (
    "The operator 'aten::upsample_bicubic2d.out' is not currently implemented for the MPS device. "
    "If you want this op to be added in priority during the prototype phase of this feature, "
    "please comment on https://github.com/pytorch/pytorch/issues/77764. As a temporary fix, you "
    "can set the environment variable `PYTORCH_ENABLE_MPS_FALLBACK=1` to use the CPU as a "
    "fallback for this op. WARNING: this will be slower than running natively on MPS."
)
FALLBACK_WARNING = (
    "The operator 'aten::upsample_bicubic2d.out' is not currently supported on the MPS backend "
    "and will fall back to run on the CPU. This may have performance implications."
)


def judge(ctx, s):
    """The check's verdict on hand-written results alone (op_db not swept)."""
    return check.judge(ctx, s, None, "")


def _case(name, fn, ref=None):
    return ops.OpCase(name, "test", lambda t, g: (torch.randn(5, 7, generator=g),), fn, ref=ref)


def test_the_hand_written_cases_are_what_op_db_lacks_and_pass_on_cpu():
    ctx = Context(torch, "cpu")
    s = ops.sweep(ctx)
    names = [r.op for r in s.results]
    assert len(set(names)) == len(names)
    # random ops (statistics), integer dtypes, in-place running statistics, causal attention
    assert {"randn", "dropout", "multinomial", "cumsum.int64", "batch_norm.train"} <= set(names)
    # nothing op_db's float sweep already compares with the CPU
    assert not {"add", "mm", "conv2d", "softmax", "layer_norm", "gather"} & set(names)
    assert all(r.status == "pass" for r in s.results), [r.to_dict() for r in s.results]
    assert {ops.dtype_of(n) for n in names} >= {"int64", "int32", "float32"}
    assert ops.to_raw(s.results[0]).outcome == "match"
    outcome = judge(ctx, s)
    assert outcome.status is Status.PASS
    json.dumps(Result.from_outcome("ops.sweep", "t", outcome).to_dict())


def test_a_wrong_result_fails_with_the_largest_error_and_the_op_name():
    ctx = Context(torch, "cpu")
    good = _case("tanh", lambda t, x: t.tanh(x))
    bad = _case("sigmoid", lambda t, x: t.sigmoid(x), ref=lambda t, x: t.sigmoid(x) + 2e-3)
    s = ops.sweep(ctx, [good, bad], [])
    outcome = judge(ctx, s)
    assert outcome.status is Status.FAIL
    assert "sigmoid" in outcome.cause and "tanh" not in outcome.cause
    assert "2e-03" in outcome.cause or "0.002" in outcome.cause
    row = next(o for o in outcome.data["hand_written"] if o["op"] == "sigmoid")
    assert row["status"] == "wrong" and row["max_abs_err"] == pytest.approx(2e-3, rel=1e-3)
    assert outcome.fix is not None and outcome.fix.text


def test_a_shape_mismatch_is_wrong_with_infinite_error():
    ctx = Context(torch, "cpu")
    r = ops.run_case(ctx, _case("sum", lambda t, x: x.sum(0), ref=lambda t, x: x.sum(1)))
    assert r.status == "wrong" and r.max_abs_err == float("inf")


def _raise_not_implemented(t, x):
    raise NotImplementedError(NOT_IMPLEMENTED)


def test_an_op_without_a_device_kernel_warns_with_the_fallback_remedy():
    ctx = Context(torch, "cpu")
    cases = [
        _case("tanh", lambda t, x: t.tanh(x)),
        _case("upsample_bicubic2d", _raise_not_implemented, ref=lambda t, x: x * 2),
    ]
    outcome = judge(ctx, ops.sweep(ctx, cases, []))
    assert outcome.status is Status.WARN
    assert "upsample_bicubic2d" in outcome.cause
    assert "PYTORCH_ENABLE_MPS_FALLBACK=1" in outcome.fix.render()
    row = next(o for o in outcome.data["hand_written"] if o["op"] == "upsample_bicubic2d")
    assert row["status"] == "unsupported" and "not currently implemented" in row["message"]


def test_other_device_errors_fail_and_mps_refusals_are_unsupported():
    def boom(t, x):
        raise RuntimeError("CUDA error: an illegal memory access was encountered")

    ctx = Context(torch, "cpu")
    outcome = judge(ctx, ops.sweep(ctx, [_case("gather", boom, ref=lambda t, x: x)], []))
    assert outcome.status is Status.FAIL and "illegal memory access" in outcome.cause
    # Per-dtype refusals are torch's RuntimeErrors, recognised on MPS only.
    refusal = RuntimeError("MPS does not support cumsum op with int64 input")
    assert ops.unsupported(Context(torch, "mps"), refusal)
    assert ops.unsupported(
        Context(torch, "mps"), TypeError("MPS BFloat16 is only supported on MacOS 14 or newer")
    )
    assert not ops.unsupported(Context(torch, "cuda"), refusal)


def test_an_op_the_cpu_cannot_run_is_skipped_not_failed():
    def no_ref(t, x):
        raise AttributeError("module 'torch.nn.functional' has no attribute 'rms_norm'")

    ctx = Context(torch, "cpu")
    outcome = judge(ctx, ops.sweep(ctx, [_case("rms_norm", no_ref)], []))
    assert outcome.status is Status.PASS
    assert outcome.data["hand_written"][0]["status"] == "skip"


def test_an_op_sent_to_the_cpu_by_the_mps_fallback_warns_and_is_listed():
    def with_fallback(t, x):
        warnings.warn(FALLBACK_WARNING, UserWarning, stacklevel=1)
        return x * 2

    ctx = Context(torch, "cpu")
    outcome = judge(
        ctx, ops.sweep(ctx, [_case("bicubic", with_fallback, ref=lambda t, x: x * 2)], [])
    )
    assert outcome.status is Status.WARN and "PYTORCH_ENABLE_MPS_FALLBACK" in outcome.cause
    assert "bicubic" in outcome.cause
    assert outcome.data["hand_written"][0]["status"] == "fallback"


def test_random_ops_check_seeded_determinism_and_statistics():
    ctx = Context(torch, "cpu")

    def unseeded_gen(t, d):  # ignores torch.manual_seed: a fresh OS-seeded generator each call
        g = t.Generator()
        g.seed()
        return t.rand(1000, generator=g, device=d)

    bad_seed = ops.RandomCase("rand.unseeded", unseeded_gen, lambda t, x: "")
    r = ops.run_random(ctx, bad_seed)
    assert r.status == "wrong" and "same seed" in r.message
    wrong_stats = ops.RandomCase(
        "randn",
        lambda t, d: t.randn(10_000, device=d) + 0.5,
        next(c for c in ops.random_cases() if c.name == "randn").stats,
    )
    r = ops.run_random(ctx, wrong_stats)
    assert r.status == "wrong" and "mean" in r.message
    for case in ops.random_cases():
        assert ops.run_random(ctx, case).status == "pass", case.name


def test_the_sweep_is_registered_in_the_full_tier_only():
    reg = load(["verify.checks.ops"])
    c = reg.checks["ops.sweep"]
    assert c.tier is Tier.FULL and c.required
    assert c not in reg.for_tier(Tier.STANDARD) and c in reg.for_tier(Tier.FULL)
