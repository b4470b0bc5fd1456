"""Every message in torch's own macOS wheels that names the macOS an MPS op or dtype needs is
recognised by verify.known_errors, as a refusal or as a CPU fallback, with the floor it names
(issue 12: "the dtype and op floors that name a macOS version").

The strings are those of 20 PyPI wheels (tests/data/torch_wheels/, sha256-checked against PyPI's
JSON API). A new torch that adds such a message fails the first test until it is classified here.
Where torch assembles the message at run time ("MPS: " + op_name + " op with int64 input ..."),
MESSAGES completes it the way the torch source line cited beside it does.
"""

from __future__ import annotations

import re

import pytest
import wheel_evidence

from verify.known_errors import explain, required_macos

REFUSED, FALLS_BACK, BACKEND = (
    "mps.op_needs_newer_macos",
    "mps.op_falls_back_on_old_macos",
    "mps.macos_too_old",
)

# wheel string (as compiled in) -> (the message as torch prints it, pattern id, the floor)
MESSAGES: dict[str, tuple[str, str, str]] = {
    # UnaryOps.mm / BinaryOps.mm: TORCH_CHECK
    "MPS support binary op with uint8 natively starting from macOS 13.0": (
        "RuntimeError: MPS support binary op with uint8 natively starting from macOS 13.0",
        REFUSED,
        "13.0",
    ),
    "MPS support unary op with uint8 natively starting from macOS 13.0": (
        "RuntimeError: MPS support unary op with uint8 natively starting from macOS 13.0",
        REFUSED,
        "13.0",
    ),
    # BinaryOps.mm: TORCH_CHECK(..., "MPS: ", op_name, " op with int64 input is supported ...")
    " op with int64 input is supported natively starting from macOS 13.2": (
        "RuntimeError: MPS: power op with int64 input is supported natively starting from "
        "macOS 13.2",
        REFUSED,
        "13.2",
    ),
    # Pooling.mm: TORCH_CHECK(..., "MPS: ", op_name, " op with int64 input ... macOS 13.0.")
    " op with int64 input is supported natively starting from macOS 13.0.": (
        "RuntimeError: MPS: max_pool2d op with int64 input is supported natively starting from "
        "macOS 13.0.",
        REFUSED,
        "13.0",
    ),
    " op with int64 input. Support has been added in macOS 13.3": (
        "RuntimeError: MPS does not support cumsum op with int64 input. Support has been added "
        "in macOS 13.3",
        REFUSED,
        "13.3",
    ),
    "Complex types are supported starting from MacOS 14.0+": (
        "TypeError: Complex types are supported starting from MacOS 14.0+",
        REFUSED,
        "14.0",
    ),
    "Conv3D is only supported on MPS for MacOS_13_2 or newer": (
        "RuntimeError: Conv3D is only supported on MPS for MacOS_13_2 or newer",
        REFUSED,
        "13.2",
    ),
    "FFT operations are only supported on MacOS 14+": (
        "RuntimeError: FFT operations are only supported on MacOS 14+",
        REFUSED,
        "14",
    ),
    "MPS BFloat16 is only supported on MacOS 14 or newer": (
        "TypeError: MPS BFloat16 is only supported on MacOS 14 or newer",
        REFUSED,
        "14",
    ),
    "MPS bfloat16 type is supported on MacOS 14.0 or newer.": (
        "TypeError: MPS bfloat16 type is supported on MacOS 14.0 or newer.",
        REFUSED,
        "14.0",
    ),
    "MPS complex tensors conjugation needs MacOS14+": (
        "RuntimeError: MPS complex tensors conjugation needs MacOS14+",
        REFUSED,
        "14",
    ),
    "MPS complex types are only supported on MacOS 14.0 or newer.": (
        "TypeError: MPS complex types are only supported on MacOS 14.0 or newer.",
        REFUSED,
        "14.0",
    ),
    # UnaryOps.mm angle_out_mps: TORCH_CHECK(!self.is_complex(), "... imput on macOS13")
    "MPS does not support angle with complex imput on macOS13": (
        "RuntimeError: MPS does not support angle with complex imput on macOS13",
        REFUSED,
        "14.0",
    ),
    "MPS does not support angle with complex input on macOS13": (
        "RuntimeError: MPS does not support angle with complex input on macOS13",
        REFUSED,
        "14.0",
    ),
    "MPS: dot op doesn't support int64 input on MacOS13": (
        "RuntimeError: MPS: dot op doesn't support int64 input on MacOS13",
        REFUSED,
        "14.0",
    ),
    # RnnOps.mm: TORCH_CHECK(!(!is_macos_13_or_newer() && num_layers > 1), ...)
    "Multi-layer LSTM support in MPS available only on MacOS 13 onwards": (
        "RuntimeError: Multi-layer LSTM support in MPS available only on MacOS 13 onwards",
        REFUSED,
        "13",
    ),
    # LinearAlgebra.mm: TORCH_CHECK(false, "Tiling of batch matmul ...")
    "Tiling of batch matmul for larger than 2**32 entries only available from MacOS15 onwards": (
        "RuntimeError: Tiling of batch matmul for larger than 2**32 entries only available from "
        "MacOS15 onwards",
        REFUSED,
        "15",
    ),
    "isin_Tensor_Tensor_out only works on floating types on MPS for pre MacOS_14_0. Received "
    "dtype: ": (
        "RuntimeError: isin_Tensor_Tensor_out only works on floating types on MPS for pre "
        "MacOS_14_0. Received dtype: Long",
        REFUSED,
        "14.0",
    ),
    "linalg.matrix_exp on MPS requires macOS 15.0 or newer": (
        "RuntimeError: linalg.matrix_exp on MPS requires macOS 15.0 or newer",
        REFUSED,
        "15.0",
    ),
    "scatter_reduce(amin/amax) on int64 requires macOS 15 or newer": (
        "RuntimeError: scatter_reduce(amin/amax) on int64 requires macOS 15 or newer",
        REFUSED,
        "15",
    ),
    "torch.int32 is only supported on MacOS15+": (
        "RuntimeError: torch.int32 is only supported on MacOS15+",
        REFUSED,
        "15",
    ),
    # TORCH_WARN_ONCE: the op runs on the CPU (or on a cast), a warning
    "' mode upsampling is supported natively starting from macOS 13.0. ": (
        "UserWarning: MPS: 'nearest' mode upsampling is supported natively starting from macOS "
        "13.0. Falling back on CPU. This may have performance implications.",
        FALLS_BACK,
        "13.0",
    ),
    "MPS: _unique2 op is supported natively starting from macOS 13.0. ": (
        "UserWarning: MPS: _unique2 op is supported natively starting from macOS 13.0. Falling "
        "back on CPU. This may have performance implications.",
        FALLS_BACK,
        "13.0",
    ),
    "MPS: grid_sampler_2d op is supported natively starting from macOS 13.1. ": (
        "UserWarning: MPS: grid_sampler_2d op is supported natively starting from macOS 13.1. "
        "Falling back on CPU. This may have performance implications.",
        FALLS_BACK,
        "13.1",
    ),
    "MPS: grid_sampler_2d op is supported natively starting from macOS 13.2. ": (
        "UserWarning: MPS: grid_sampler_2d op is supported natively starting from macOS 13.2. "
        "Falling back on CPU. This may have performance implications.",
        FALLS_BACK,
        "13.2",
    ),
    "MPS: median op is supported natively starting from macOS 13.0.": (
        "UserWarning: MPS: median op is supported natively starting from macOS 13.0. Falling "
        "back on CPU. This may have performance implications.",
        FALLS_BACK,
        "13.0",
    ),
    "MPS: median op is supported natively starting from macOS 13.0. ": (
        "UserWarning: MPS: median op is supported natively starting from macOS 13.0. Falling "
        "back on CPU. This may have performance implications.",
        FALLS_BACK,
        "13.0",
    ),
    "MPS: nonzero op is supported natively starting from macOS 13.0. ": (
        "UserWarning: MPS: nonzero op is supported natively starting from macOS 13.0. Falling "
        "back on CPU. This may have performance implications.",
        FALLS_BACK,
        "13.0",
    ),
    "MPS: nonzero op is supported natively starting from macOS 14.0. ": (
        "UserWarning: MPS: nonzero op is supported natively starting from macOS 14.0. Falling "
        "back on CPU. This may have performance implications.",
        FALLS_BACK,
        "14.0",
    ),
    # Indexing.mm: TORCH_WARN_ONCE("... on MacOS14", "Falling back on CPU. ...")
    "MPS: nonzero op is not natively supported for the provided input on MacOS14": (
        "UserWarning: MPS: nonzero op is not natively supported for the provided input on "
        "MacOS14Falling back on CPU. This may have performance implications.",
        FALLS_BACK,
        "15.0",
    ),
    "MPS: passing scale factor to upsample ops is supported natively starting from macOS 13.0. ": (
        "UserWarning: MPS: passing scale factor to upsample ops is supported natively starting "
        "from macOS 13.0. Falling back on CPU. This may have performance implications.",
        FALLS_BACK,
        "13.0",
    ),
    "MPS: pixel_shuffle op is supported starting from macOS 13.0. ": (
        "UserWarning: MPS: pixel_shuffle op is supported starting from macOS 13.0. Falling back "
        "on CPU. This may have performance implications.",
        FALLS_BACK,
        "13.0",
    ),
    "MPS: pixel_unshuffle op is supported starting from macOS 13.0. ": (
        "UserWarning: MPS: pixel_unshuffle op is supported starting from macOS 13.0. Falling "
        "back on CPU. This may have performance implications.",
        FALLS_BACK,
        "13.0",
    ),
    "MPS: randperm op is supported natively starting from macOS 13.0. ": (
        "UserWarning: MPS: randperm op is supported natively starting from macOS 13.0. Falling "
        "back on CPU. This may have performance implications.",
        FALLS_BACK,
        "13.0",
    ),
    "MPS: unique_consecutive op is supported natively starting from macOS 13.0. ": (
        "UserWarning: MPS: unique_consecutive op is supported natively starting from macOS "
        "13.0. Falling back on CPU. This may have performance implications.",
        FALLS_BACK,
        "13.0",
    ),
    "MPS: unique_dim_consecutive op is supported natively starting from macOS 13.0. ": (
        "UserWarning: MPS: unique_dim_consecutive op is supported natively starting from macOS "
        "13.0. Falling back on CPU. This may have performance implications.",
        FALLS_BACK,
        "13.0",
    ),
    # Repeat.mm: TORCH_WARN_ONCE; the op runs on an int32 copy
    "MPS: no support for int64 repeats mask, casting it to int32. Support has been added in "
    "macOS 13.3": (
        "UserWarning: MPS: no support for int64 repeats mask, casting it to int32. Support has "
        "been added in macOS 13.3",
        FALLS_BACK,
        "13.3",
    ),
    # OperationUtils.h: TORCH_WARN_ONCE("MPS: no support for int64 for ", op_name, ", down...")
    ", downcasting to a smaller data type (int32/float32). Native support for int64 has been "
    "added in macOS 13.3.": (
        "UserWarning: MPS: no support for int64 for min_max, downcasting to a smaller data type "
        "(int32/float32). Native support for int64 has been added in macOS 13.3.",
        FALLS_BACK,
        "13.3",
    ),
    "torch.cumsum supported by MPS on MacOS 13+, please upgrade": (
        "UserWarning: torch.cumsum supported by MPS on MacOS 13+, please upgrade",
        FALLS_BACK,
        "13",
    ),
    "torch.topk support for k>16 by MPS on MacOS 13+, please upgrade": (
        "UserWarning: torch.topk support for k>16 by MPS on MacOS 13+, please upgrade",
        FALLS_BACK,
        "13",
    ),
    "torch.sort is supported by MPS on MacOS 13+, please upgrade. Falling back to CPU": (
        "UserWarning: torch.sort is supported by MPS on MacOS 13+, please upgrade. Falling back "
        "to CPU",
        FALLS_BACK,
        "13",
    ),
    "torch.linalg_inv_ex.inverse is supported by MPS on MacOS 13+, please upgrade. Falling back "
    "to CPU.": (
        "UserWarning: torch.linalg_inv_ex.inverse is supported by MPS on MacOS 13+, please "
        "upgrade. Falling back to CPU.",
        FALLS_BACK,
        "13",
    ),
    "Native multi-layer LSTM support in MPS available only on MacOS 13 onwards.": (
        "UserWarning: Native multi-layer LSTM support in MPS available only on MacOS 13 onwards. "
        "Falling back to LSTMCell iteration. This may have performance implications.",
        FALLS_BACK,
        "13",
    ),
    # the backend's own floor (MPSDevice.mm / EmptyTensor.cpp): no MPS device on this macOS
    "The MPS backend is supported on MacOS 12.3+.": (
        "RuntimeError: The MPS backend is supported on MacOS 12.3+.Current OS version can be "
        "queried using `sw_vers`",
        BACKEND,
        "12.3",
    ),
    "The MPS backend is supported on MacOS 13.0+.": (
        "RuntimeError: The MPS backend is supported on MacOS 13.0+.Current OS version can be "
        "queried using `sw_vers`",
        BACKEND,
        "13.0",
    ),
    "The MPS backend is supported on MacOS 14.0+. ": (
        "RuntimeError: The MPS backend is supported on MacOS 14.0+. Current OS version can be "
        "queried using `sw_vers`",
        BACKEND,
        "14.0",
    ),
    "The MPS backend is supported on macOS 14.0+. ": (
        "RuntimeError: The MPS backend is supported on macOS 14.0+. Current OS version can be "
        "queried using `sw_vers`",
        BACKEND,
        "14.0",
    ),
    "The MPS backend is supported on macOS 15.0+. ": (
        "RuntimeError: The MPS backend is supported on macOS 15.0+. Current OS version can be "
        "queried using `sw_vers`",
        BACKEND,
        "15.0",
    ),
}
# not a message of their own: torch's internal version checks, and the tail of the
# "torch.X supported by MPS on MacOS 13+, please upgrade" warnings above
NOT_MESSAGES = ("unexpected MacOS", "isOnMacOS13orNewer")
FRAGMENTS = ("supported by MPS on MacOS 13+, please upgrade",)
NAMES_MACOS = re.compile(r"mac ?os", re.IGNORECASE)


def _floor_strings() -> set[str]:
    found = set()
    for wheel in wheel_evidence.all_wheels():
        for line in wheel.strings:
            text = line.split("\t", 1)[1]
            if NAMES_MACOS.search(text):
                found.add(text)
    return found


def test_every_macos_floor_message_in_the_wheels_is_classified():
    unclassified = {
        s
        for s in _floor_strings()
        if s not in MESSAGES
        and s.strip() not in FRAGMENTS
        and not any(part in s for part in NOT_MESSAGES)
    }
    assert not unclassified, sorted(unclassified)


@pytest.mark.parametrize("needle", sorted(MESSAGES))
def test_each_is_recognised_with_the_floor_it_names(needle):
    message, pattern_id, floor = MESSAGES[needle]
    assert needle.strip() in message  # the wheel's own text is in the message as printed
    known = explain(message)
    assert known is not None, message
    assert known.id == pattern_id, (message, known.id)
    assert required_macos(known) == floor, (message, required_macos(known))
    assert known.severity == ("warn" if pattern_id == FALLS_BACK else "fail")
