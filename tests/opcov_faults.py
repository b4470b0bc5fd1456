"""Loaded into the op-coverage worker (`SweepOptions(load_modules=["tests.opcov_faults"])`) to
make real op_db entries misbehave on purpose, on the device side only.

The sweep makes each sample on the device and copies it to the CPU for the reference. This module
wraps a few OpInfos so that their samples' input tensors carry a mark (a Python attribute, which
the CPU copy does not inherit) and their op misbehaves when called on a marked float32 input:
  sin   a wrong result (+0.5): a forced mismatch
  tan   NotImplementedError with torch's own MPS text
  cos   os.abort(): the worker dies (SIGABRT)
  sinh  sleeps past the per-op timeout
  cosh  the right result, with the warning torch's MPS CPU fallback prints
Every other op, and every float16 call, is torch's own.
"""

from __future__ import annotations

import os
import time
import warnings

import torch
from torch.testing._internal.common_methods_invocations import op_db

MARK = "_opcov_device_side"
OFFSET = 0.5
# aten/src/ATen/mps/MPSFallback.mm mps_error_fallback, as torch words it
NOT_IMPLEMENTED = (
    "The operator 'aten::tan.out' is not currently implemented for the MPS device. If you want "
    "this op to be considered for addition please comment on "
    "https://github.com/pytorch/pytorch/issues/141287"
)
# aten/src/ATen/mps/MPSFallback.mm mps_fallback's TORCH_WARN_ONCE, as torch words it; c10 hands
# it to Python as a UserWarning
FALLS_BACK = (
    "The operator 'aten::cosh.out' is not currently supported on the MPS backend and will fall "
    "back to run on the CPU. This may have performance implications."
)


def _wrong(out):
    return out + OFFSET


def _not_implemented(out):
    raise NotImplementedError(NOT_IMPLEMENTED)


def _falls_back(out):
    warnings.warn(FALLS_BACK, UserWarning, stacklevel=2)
    return out


def _abort(out):
    os.abort()


def _hang(out):
    time.sleep(600)
    return out


FAULTS = {
    "sin": _wrong,
    "tan": _not_implemented,
    "cos": _abort,
    "sinh": _hang,
    "cosh": _falls_back,
}


def _marking(samples_func):
    def make(*args, **kwargs):
        for sample in samples_func(*args, **kwargs):
            if isinstance(sample.input, torch.Tensor):
                setattr(sample.input, MARK, True)
            yield sample

    return make


def _faulty(real, fault):
    def op(x, *args, **kwargs):
        out = real(x, *args, **kwargs)
        if getattr(x, MARK, False) and x.dtype == torch.float32:
            return fault(out)
        return out

    return op


for info in op_db:
    if info.name in FAULTS and not info.variant_test_name:
        info.sample_inputs_func = _marking(info.sample_inputs_func)
        info.op = _faulty(info.op, FAULTS[info.name])
