"""Causes and fixes for verify.diagnosis.opsupport's judgements (verify/messages.py's voice: a
plain statement
of what is wrong, then what to do, with the exact commands)."""

from __future__ import annotations

from verify.diagnosis.opsupport import Judgement
from verify.messages import SOFTWARE_UPDATE
from verify.model import Fix

UPGRADE = "python -m pip install --upgrade torch"
BFLOAT16_PR = "https://github.com/pytorch/pytorch/pull/119641"


FALLBACK = "export PYTORCH_ENABLE_MPS_FALLBACK=1"
DTYPE_WORDS = {
    "bfloat16": "bfloat16",
    "complex": "complex numbers",
    "Conv3D": "Conv3D (3-D convolution)",
    "ConvTranspose3D": "ConvTranspose3d (3-D transposed convolution)",
    "int64": "int64 (long) tensors in this operation",
    "Conv65536": "convolutions with an output dimension above 65536",
}
MEANWHILE = {
    "bfloat16": "load the model in float16 or float32 on MPS",
    "complex": "run the complex-valued step on the CPU (.cpu(), then .to('mps'))",
    "Conv3D": f"`{FALLBACK}` (set before Python starts) runs the 3-D convolution on the CPU",
    "ConvTranspose3D": "run the 3-D transposed convolution on the CPU (.cpu(), then .to('mps'))",
    "int64": "cast that tensor to int32 or float32 first, or run that step on the CPU",
    # PYTORCH_ENABLE_MPS_FALLBACK does not reroute it: the refusal is inside the MPS kernel
    # (pytorch/pytorch#134416)
    "Conv65536": (
        "run that convolution on the CPU (.cpu(), then .to('mps')) or split its input into "
        "chunks of at most 65536 along the long dimension; PYTORCH_ENABLE_MPS_FALLBACK does "
        "not reroute it"
    ),
    # a TORCH_CHECK inside 1.12's clamp kernel (operations/TensorCompare.mm): no fallback either
    "clamp with broadcast bounds": (
        "expand the bounds to the input's shape (`min.expand_as(x)`) or clamp on the CPU; "
        "PYTORCH_ENABLE_MPS_FALLBACK does not reroute it"
    ),
}


def _what(j: Judgement) -> str:
    if j.subject in DTYPE_WORDS:
        return f"{DTYPE_WORDS[j.subject]} on MPS"
    return f"an MPS kernel for {j.subject}"


def torch_too_old(j: Judgement) -> tuple[str, Fix]:
    """The torch that printed the message predates the op's / dtype's MPS support."""
    what = _what(j)
    if j.subject in DTYPE_WORDS and j.via:
        came = (
            f"{DTYPE_WORDS[j.subject]} came to MPS with PyTorch {j.first_torch} on macOS "
            f"{j.needs_macos}+; before it, torch sends 3-D convolutions on MPS to {j.via}, "
            "which has no MPS kernel"
        )
    elif j.subject in DTYPE_WORDS:
        came = (
            f"{DTYPE_WORDS[j.subject]} came to MPS with PyTorch {j.first_torch} on macOS "
            f"{j.needs_macos}+, "
            f"and the message is one that only torch before {j.first_torch} prints"
        )
    else:
        came = (
            f"PyTorch {j.first_torch} is the first release whose MPS backend has {what} "
            "(read from the macOS wheels)"
        )
    if j.mismatch:
        cause = (
            f"The message came from a torch older than {j.first_torch}, although the paste "
            f"also shows torch {j.torch_shown}: {came}. The code ran in another Python "
            "environment (a venv or app bundle with its own older torch) than the one upgraded."
        )
        fix = Fix(
            f"Upgrade torch in the environment that runs the code (its own venv): run its "
            f'Python with `-m pip install --upgrade torch` and check `python -c "import torch; '
            f'print(torch.__version__)"` there shows {j.first_torch} or newer.',
            (UPGRADE,),
        )
        return cause, fix
    if j.subject in DTYPE_WORDS:
        cause = f"This torch ({j.torch_shown}) is too old for {what}: {came}."
    else:
        cause = (
            f"This torch ({j.torch_shown}) has no MPS kernel for {j.subject}: PyTorch "
            f"{j.first_torch} is the first release whose MPS backend has one (read from the "
            "macOS wheels)."
        )
    floor = f" on macOS {j.needs_macos}+" if j.needs_macos else ""
    mac = f" (this Mac runs macOS {j.macos})" if j.macos else ""
    text = f"Upgrade PyTorch to {j.first_torch} or newer{floor}{mac}."
    if j.subject in MEANWHILE:
        text += f" Until then, {MEANWHILE[j.subject]}."
        return cause, Fix(text, (UPGRADE,), BFLOAT16_PR if j.subject == "bfloat16" else None)
    text += f" Until then, `{FALLBACK}` (set before Python starts) runs it on the CPU."
    return cause, Fix(text, (UPGRADE,))


def torch_too_old_for_wish(j: Judgement) -> tuple[str, Fix]:
    """bfloat16 talked about with a torch older than bfloat16 on MPS (no refusal pasted)."""
    cause = (
        f"The paste is about bfloat16, and torch {j.torch_shown} predates bfloat16 on MPS: it "
        f"came with PyTorch {j.first_torch} on macOS {j.needs_macos}+ (this Mac runs macOS "
        f"{j.macos}); torch {j.torch_shown} refuses bfloat16 tensors on 'mps'."
    )
    text = (
        f"Upgrade PyTorch to {j.first_torch} or newer for bfloat16 on MPS; with this torch, use "
        "float16 or float32 on MPS."
    )
    return cause, Fix(text, (UPGRADE,), BFLOAT16_PR)


def macos_too_old(j: Judgement) -> tuple[str, Fix]:
    """The op / dtype needs a newer macOS than the pasted one, whatever torch is installed."""
    what = _what(j)
    cause = (
        f"This Mac runs macOS {j.macos}, and {what} needs macOS {j.needs_macos} or newer "
        f"(with PyTorch {j.first_torch}+): upgrading torch alone does not help on this macOS."
    )
    if j.subject in MEANWHILE:
        text = (
            f"On this macOS, {MEANWHILE[j.subject]}; for {DTYPE_WORDS[j.subject]} on the GPU, "
            f"update macOS to {j.needs_macos}+ ({SOFTWARE_UPDATE}), then PyTorch to "
            f"{j.first_torch}+."
        )
        return cause, Fix(text, (), BFLOAT16_PR if j.subject == "bfloat16" else None)
    text = (
        f"Set `{FALLBACK}` before Python starts to run it on the CPU; for it on the GPU, update "
        f"macOS to {j.needs_macos}+ ({SOFTWARE_UPDATE}), then PyTorch to {j.first_torch}+."
    )
    return cause, Fix(text, (FALLBACK,))


def macos_also(j: Judgement) -> tuple[str, Fix]:
    """The macOS a newer torch needs for the op / dtype, with the macOS not in the paste."""
    what = _what(j)
    cause = (
        f"PyTorch {j.first_torch} and newer run {what} only on macOS {j.needs_macos} or newer; "
        "the paste does not show this Mac's macOS, so upgrading torch alone may not be enough."
    )
    text = (
        f"Check the macOS version with `sw_vers -productVersion`; below {j.needs_macos}, update "
        f"macOS ({SOFTWARE_UPDATE}) as well as PyTorch."
    )
    return cause, Fix(text, ("sw_vers -productVersion",))


def torch_also_for_conv_channels(first_torch: str, macos: str) -> tuple[str, Fix]:
    """The torch half of the conv refusal above 65536 channels, with neither version pasted."""
    cause = (
        "The paste does not show which torch printed this: PyTorch 2.5 refuses it on every "
        f"macOS, and {first_torch} and newer run it on macOS {macos} or newer, so a macOS update "
        "alone may not be enough."
    )
    text = (
        f'Check `python -c "import torch; print(torch.__version__)"`; below {first_torch}, '
        f"upgrade PyTorch as well as macOS (to {macos} or newer)."
    )
    return cause, Fix(text, (UPGRADE,))


def cpu_fallback_dtype(kernel: str, dtype: str, macos: str, torch: str | None) -> tuple[str, Fix]:
    """A CPU kernel's dtype refusal from an op MPS runs on the CPU below macOS 13
    (verify.diagnosis.cpu_fallback)."""
    word = {"Half": "float16", "BFloat16": "bfloat16"}.get(dtype, dtype)
    shown = f"torch {torch}" if torch else "torch 2.0-2.4"
    cause = (
        f"On macOS {macos}, {shown} runs this operator on the CPU instead of MPS (MPS runs it "
        f"natively from macOS 13.0), and the CPU kernel {kernel} has no {word}: the model runs "
        f"in {word} on MPS up to this step, which fails on the CPU."
    )
    fix = Fix(
        f"Update macOS to 13 or newer ({SOFTWARE_UPDATE}), so MPS runs the operator itself; on "
        f"this macOS, run the model in float32 (e.g. the application's full-precision / "
        "no-half option).",
        ("sw_vers -productVersion",),
    )
    return cause, fix


def cpu_kernel_dtype(kernel: str, dtype: str) -> tuple[str, Fix]:
    """A CPU kernel's dtype refusal on a Mac: the op ran on the CPU
    (verify.diagnosis.cpu_fallback)."""
    word = {"Half": "float16", "BFloat16": "bfloat16"}.get(dtype, dtype)
    cause = (
        f"The CPU kernel {kernel} refused {word}: this operator ran on the CPU, not on MPS (its "
        "tensors were on the CPU, or MPS handed the operator to the CPU), and the CPU has no "
        f"{word} version of it."
    )
    fix = Fix(
        "Keep the model and its inputs on the MPS device (model.to('mps'), inputs too), or run "
        "the CPU part in float32 (the application's full-precision / no-half option, "
        "torch_dtype=torch.float32)."
    )
    return cause, fix


def no_kernel(j: Judgement) -> tuple[str, Fix]:
    """No release read has an MPS kernel for the op."""
    cause = (
        f"No PyTorch release up to {j.newest_read} has an MPS kernel for {j.subject} (read from "
        "the macOS wheels), so upgrading torch does not help: the operator must run on the CPU."
    )
    fix = Fix(
        f"Set `{FALLBACK}` in the shell before Python starts (it runs that operator on the CPU, "
        "slower), or move that step to the CPU in the code.",
        (FALLBACK,),
    )
    return cause, fix


def feature_below_macos(macos: str, named: str) -> str:
    """A pasted "needs macOS N" op / dtype error on a Mac the paste shows below N."""
    return (
        f"This Mac runs macOS {macos}, older than the macOS {named} this operation or dtype needs "
        "on MPS (the message names it): a newer PyTorch does not lift that (from 2.9 PyTorch's "
        "MPS needs macOS 14 altogether)."
    )


def for_judgement(j: Judgement) -> tuple[str, Fix]:
    if j.kind == "torch-too-old":
        return torch_too_old(j)
    if j.kind == "macos-too-old":
        return macos_too_old(j)
    return no_kernel(j)
