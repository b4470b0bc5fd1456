"""User-facing cause / fix texts for MPS op, dtype and memory limits told in words
(verify.diagnosis.limit_rows, read by verify.diagnosis.paste.limits)."""

from __future__ import annotations

from verify.model import Fix

_UPDATE = "Update macOS (System Settings > General > Software Update)"
# torch's MPS allocator: aten/src/ATen/mps/MPSAllocator.h, default_high_watermark_ratio = 1.7
# (of the GPU's recommendedMaxWorkingSetSize), default_low_watermark_ratio_unified = 1.4
HIGH_WATERMARK_DEFAULT = "1.7"


def macos_fixed_op(named: str, macos: str | None) -> tuple[str, Fix]:
    """A macOS update said to fix an MPS op / dtype failure (myshell-ai/MeloTTS#312)."""
    which = f"to macOS {named} " if named else ""
    shown = f" (the text shows macOS {macos})" if macos else ""
    cause = (
        f"The text says updating macOS {which}fixed the MPS failure{shown}: the operation or "
        "dtype the workload uses runs on MPS only from a newer macOS (convolutions with more "
        "than 65536 output channels from macOS 15.1, bfloat16 and complex numbers from macOS "
        "14, for instance), and the macOS it failed on was older."
    )
    target = f" to macOS {named} or newer" if named else " to the newest release the Mac takes"
    fix = Fix(
        f"{_UPDATE}{target}, and run a native arm64 Python (under Rosetta torch reads an old "
        "macOS version); until then, run the failing step on the CPU (.cpu()) or set "
        "PYTORCH_ENABLE_MPS_FALLBACK=1.",
        ("sw_vers -productVersion",),
    )
    return cause, fix


def memory_past_ram() -> tuple[str, Fix]:
    """Memory said to grow past the Mac's RAM until macOS swaps, freezes or restarts, while a
    model runs (index-tts/index-tts#414, fixed by lowering the watermark ratios)."""
    cause = (
        "Memory grew past the Mac's RAM while the model ran, until macOS swapped (and froze or "
        "restarted): on Apple silicon MPS shares the RAM, and by default torch's MPS allocator "
        f"may take up to {HIGH_WATERMARK_DEFAULT} times the GPU's recommended working set "
        "(PYTORCH_MPS_HIGH_WATERMARK_RATIO), which is more than the RAM, and it keeps freed "
        "blocks cached, so swap comes before any 'MPS backend out of memory' error."
    )
    fix = Fix(
        "Cap the MPS allocator below the RAM, in the shell that starts Python (the low ratio "
        "must not exceed the high one), and call torch.mps.empty_cache() between generations: "
        "MPS then raises 'MPS backend out of memory' instead of swapping the Mac; a smaller "
        "batch, resolution or model needs less.",
        (
            "export PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.7",
            "export PYTORCH_MPS_LOW_WATERMARK_RATIO=0.5",
        ),
    )
    return cause, fix


def complex_said(torch: str | None, macos_below: str | None) -> tuple[str, Fix]:
    """Complex numbers / torch.fft said unsupported on MPS (pytorch/pytorch#90019): complex
    tensors came to MPS with torch 2.3 on macOS 14 (verify.diagnosis.opsupport FEATURES). `torch`:
    the
    pasted torch when it predates 2.3; `macos_below`: the pasted macOS when it is below 14."""
    if torch:
        also = f", and macOS {macos_below} is below 14 too" if macos_below else ""
        cause = (
            f"The text says MPS does not support complex numbers (or torch.fft): PyTorch {torch} "
            f"predates complex tensors on MPS, which came with PyTorch 2.3 on macOS 14{also}."
        )
        mac = " on macOS 14 or newer" if macos_below else ""
        fix = Fix(
            f"Upgrade PyTorch to 2.3 or newer{mac}, or run the complex / FFT step on the CPU "
            "(.cpu(), then the result back with .to('mps')).",
            ('python -m pip install --upgrade "torch>=2.3"',),
        )
        return cause, fix
    cause = (
        "The text says MPS does not support complex numbers (or torch.fft): complex tensors "
        "came to MPS with PyTorch 2.3 on macOS 14, and some operators still refuse them there, "
        "so that step cannot run on MPS in this setup."
    )
    fix = Fix(
        "Run the complex / FFT step on the CPU (.cpu(), then the result back with .to('mps')), "
        "or use PyTorch 2.3 or newer on macOS 14 or newer.",
        ("python -m torch.utils.collect_env",),
    )
    return cause, fix


def complex_needs_macos(macos: str) -> tuple[str, Fix]:
    """Complex numbers said unsupported on MPS with a pasted macOS older than 14."""
    cause = (
        f"The text says MPS does not support complex numbers (or torch.fft), and this Mac runs "
        f"macOS {macos}: complex tensors run on MPS only from macOS 14 (with PyTorch 2.3 or "
        "newer)."
    )
    fix = Fix(
        f"{_UPDATE} to macOS 14 or newer, or run the complex / FFT step on the CPU.",
        ("sw_vers -productVersion",),
    )
    return cause, fix


def fallback_fixed() -> tuple[str, Fix]:
    """PYTORCH_ENABLE_MPS_FALLBACK=1 told as what made it run: an operator without an MPS kernel
    (aten/src/ATen/mps/MPSFallback.mm runs it on the CPU; the variable does nothing else)."""
    cause = (
        "The text says PYTORCH_ENABLE_MPS_FALLBACK=1 made it run: an operator the workload uses "
        "has no MPS kernel in this PyTorch, and the variable runs that operator on the CPU "
        "(the results are right, that step is slower)."
    )
    fix = Fix(
        "Keep PYTORCH_ENABLE_MPS_FALLBACK=1 set in the shell before Python starts, or upgrade "
        "PyTorch: newer releases implement more operators on MPS.",
        ("export PYTORCH_ENABLE_MPS_FALLBACK=1",),
    )
    return cause, fix


def oom_said(watermark: bool) -> tuple[str, Fix]:
    """Out of memory on MPS said in words, or the watermark variable told as the fix
    (index-tts/index-tts#414, lllyasviel/Fooocus#980)."""
    what = (
        "The text says changing the MPS allocator's watermark (PYTORCH_MPS_HIGH_WATERMARK_RATIO) "
        "fixed it"
        if watermark
        else "The text says MPS ran out of memory"
    )
    cause = (
        f"{what}: the workload needs more memory than the MPS allocator's limit allows (on "
        "Apple silicon the GPU shares the RAM; the limit is a ratio of the GPU's recommended "
        f"working set, {HIGH_WATERMARK_DEFAULT} by default, which can exceed the RAM)."
    )
    fix = Fix(
        "Use a smaller batch, resolution or model, call torch.mps.empty_cache() between steps, "
        "and set the ratio in the shell that starts Python: below 1 to stop before macOS swaps, "
        "0.0 to remove the limit (macOS may then swap or become unstable).",
        ("export PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.7",),
    )
    return cause, fix


def bf16_needs_macos(macos: str | None) -> tuple[str, Fix]:
    """bfloat16 said to need macOS 14 on MPS (torch 2.3-2.8 print "MPS BFloat16 is only
    supported on MacOS 14 or newer", aten/src/ATen/mps/EmptyTensor.cpp)."""
    shown = f", and this Mac runs macOS {macos}" if macos else ""
    cause = (
        f"The text says bfloat16 on MPS needs macOS 14 (Sonoma){shown}: MPS has bfloat16 only "
        "from macOS 14, with PyTorch 2.3 or newer."
    )
    fix = Fix(
        f"{_UPDATE} to macOS 14 or newer, or load the model in float16 / float32 on this macOS "
        "(e.g. torch_dtype=torch.float16).",
        ("sw_vers -productVersion",),
    )
    return cause, fix


def op_said_unsupported() -> tuple[str, Fix]:
    """An operator said in words to be unsupported on MPS, torch's message not pasted."""
    cause = (
        "The text says an operator (or an application's feature built on one) is not supported "
        "on MPS: this PyTorch, or the library, has no MPS implementation for it, so that step "
        "cannot run on the GPU as it is."
    )
    fix = Fix(
        "Set PYTORCH_ENABLE_MPS_FALLBACK=1 in the shell before Python starts to run a missing "
        "torch operator on the CPU, run that step on the CPU yourself (.cpu()), or pick the "
        "library's MPS-capable option (e.g. attn_implementation='sdpa'); newer PyTorch releases "
        "implement more operators on MPS.",
        ("export PYTORCH_ENABLE_MPS_FALLBACK=1",),
    )
    return cause, fix
