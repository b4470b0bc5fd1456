"""User-facing causes and fixes, kept together so they read as one voice (flutter doctor).

Rules (verify.rules) and device checks (verify.checks) take their cause/fix text from here.
Edit by adding small entries; keep each cause a plain statement of what is wrong and each fix an
action the user can take (with the exact commands where there are some).
"""

from __future__ import annotations

from verify.model import Fix

# --- shared fixes -----------------------------------------------------------------------------
INSTALL_WITH_NOX = Fix(
    "Create the PyTorch environment with the project's installer.",
    ("nox -s install",),
)


# --- device checks and the supervised runner (verify.worker, verify.runner, verify.checks.device,
# --- dtypes, nn, parity) -----------------------------------------------------------------------
PYTORCH_ISSUES_URL = "https://github.com/pytorch/pytorch/issues"


def rerun_alone(check_id: str, device: str) -> str:
    return f"python -m verify --only {check_id} --device {device}"


def check_raised(check_id: str, device: str, error: str) -> tuple[str, Fix]:
    """A check stopped with an exception nobody recognised."""
    return (
        f"PyTorch raised an error while running {check_id} on '{device}': {error}",
        Fix(
            "Re-run this check alone to see whether it repeats; if it does, upgrade PyTorch "
            "(`nox -s install`) and, if it still fails, report it to PyTorch with the output of "
            "`python -m torch.utils.collect_env`.",
            (rerun_alone(check_id, device),),
            PYTORCH_ISSUES_URL,
        ),
    )


def check_timed_out(check_id: str, device: str, seconds: float) -> tuple[str, Fix]:
    return (
        f"{check_id} did not finish within {seconds:g} s on '{device}': the device hung or is "
        "far slower than it should be, so the check was stopped.",
        Fix(
            "Close other programs using the GPU and re-run with a longer limit; if it hangs "
            "again, restart the machine (a wedged GPU driver does not recover by itself).",
            (rerun_alone(check_id, device) + f" --timeout {max(seconds * 4, 120):g}",),
        ),
    )


def worker_died(check_id: str, device: str, how: str) -> tuple[str, Fix]:
    """The worker process ended in the middle of a check (a signal or an exit)."""
    return (
        f"The process running {check_id} on '{device}' was {how}: PyTorch crashed inside "
        "native code (a driver, Metal or memory fault), which no Python error handler can catch.",
        Fix(
            "Re-run this check alone; if it crashes again, update macOS / the GPU driver and "
            "PyTorch (`nox -s install`), then report it to PyTorch with the output of "
            "`python -m torch.utils.collect_env`.",
            (rerun_alone(check_id, device),),
            PYTORCH_ISSUES_URL,
        ),
    )


def worker_failed_to_start(error: str) -> tuple[str, Fix]:
    return (
        f"The process that runs the device checks could not start: {error}",
        Fix(
            "Check that `python -c \"import torch\"` works in this environment; if it does not, "
            "recreate the environment.",
            ("nox -s install",),
        ),
    )


def torch_missing(error: str) -> str:
    """The skip reason for device checks when torch cannot be imported."""
    return f"needs PyTorch, which could not be imported ({error})"


def device_unusable(device: str, reason: str) -> tuple[str, Fix]:
    if device.startswith("mps"):
        fix = Fix(
            "MPS needs an arm64 (Apple silicon) PyTorch built with MPS, running natively (not "
            "under Rosetta) on a supported macOS; `python -m verify` lists which of these is "
            "missing. Re-create the environment with the installer.",
            ("nox -s install",),
        )
    elif device.startswith("cuda"):
        fix = Fix(
            "Install a CUDA build of PyTorch that matches the NVIDIA driver, or run with "
            "`--device cpu` / `--device auto`.",
            url="https://pytorch.org/get-started/locally/",
        )
    else:
        fix = Fix("Pick a device this PyTorch supports: --device auto, mps, cuda or cpu.")
    return f"The device '{device}' is not usable with this PyTorch: {reason}", fix


def needs_usable_device(device: str, first_id: str) -> str:
    return f"needs a usable '{device}' device (see {first_id})"


def wrong_result(what: str, device: str, detail: str) -> tuple[str, Fix]:
    """The device computed something different from the CPU (or from the expected value)."""
    return (
        f"{what} on '{device}' gave a wrong result: {detail}. Code running on this device would "
        "silently compute wrong numbers.",
        Fix(
            "Update PyTorch (newer releases fix MPS kernels) and macOS; if it persists, report "
            "it to PyTorch with this output and `python -m torch.utils.collect_env`.",
            ("nox -s install",),
            PYTORCH_ISSUES_URL,
        ),
    )


def default_device_not_restored(before: str, after: str) -> tuple[str, Fix]:
    return (
        f"torch.set_default_device could not be undone: the default device was '{before}' "
        f"and is now '{after}'.",
        Fix(
            "Upgrade PyTorch (`nox -s install`); until then, avoid torch.set_default_device "
            "and pass device= explicitly when creating tensors."
        ),
    )


# bfloat16 on MPS: torch >= 2.3 says "MPS BFloat16 is only supported on MacOS 14 or newer"
# (https://github.com/pytorch/torchchat/issues/616); torch <= 2.2 and Intel Macs say "BFloat16
# is not supported on MPS" (https://github.com/pytorch/pytorch/issues/141864). Support came with
# https://github.com/pytorch/pytorch/pull/119641 (macOS 14 / Sonoma).
BF16_NEEDS_MACOS14_CAUSE = (
    "bfloat16 tensors are refused on MPS here: MPS supports bfloat16 only on macOS 14 (Sonoma) "
    "or newer, with PyTorch 2.3 or newer."
)
BF16_NEEDS_MACOS14_FIX = Fix(
    "Update macOS to 14 or newer and PyTorch to 2.3 or newer; until then use float16 or "
    "float32 on MPS (e.g. load models with torch_dtype=torch.float16).",
)

TRAINING_DID_NOT_LEARN_FIX = Fix(
    "Update PyTorch and macOS; if the loss still does not fall, report it to PyTorch with this "
    "output (a backward kernel on this device is computing wrong gradients).",
    ("nox -s install",),
    PYTORCH_ISSUES_URL,
)


# --- full tier: ops.sweep and perf.* (issue 7) ---------------------------------------------------
# The MPS fallback message: aten/src/ATen/mps/MPSFallback.mm ("... is not currently implemented
# for the MPS device ... set the environment variable `PYTORCH_ENABLE_MPS_FALLBACK=1` ...").
OPS_UNSUPPORTED_CAUSE = (
    "This PyTorch has no {device} kernel for {count} common operation(s): {ops}. Code that uses "
    "them stops with NotImplementedError on this device."
)
OPS_UNSUPPORTED_FIX = Fix(
    "Set PYTORCH_ENABLE_MPS_FALLBACK=1 so those operations run on the CPU (slower), or upgrade "
    "PyTorch: newer releases implement more operations on MPS.",
    ("export PYTORCH_ENABLE_MPS_FALLBACK=1",),
    "https://github.com/pytorch/pytorch/issues/77764",
)
OPS_WRONG_CAUSE = (
    "{count} operation(s) gave results on {device} that differ from the CPU beyond the dtype's "
    "tolerance: {ops} (largest error {err:.3g} in {worst})."
)
OPS_ERROR_CAUSE = (
    "{count} operation(s) that work on the CPU raised an error on {device}: {ops}."
)
OPS_WRONG_FIX = Fix(
    "Update PyTorch and macOS (or the NVIDIA driver); if it persists, report it to PyTorch with "
    "this report's ops.sweep data. Until then run the listed operations on the CPU.",
    ("nox -s install",),
    PYTORCH_ISSUES_URL,
)
PERF_SLOW_CAUSE = (
    "The {kind} on this {chip} runs far below what the chip normally reaches (under {pct}% of "
    "its peak): {what}."
)
PERF_SLOW_FIX = Fix(
    "Plug the Mac into power, turn off Low Power Mode (System Settings > Battery), let it cool, "
    "quit other apps that use the GPU (Activity Monitor > Window > GPU History), then run the "
    "full check again.",
    ("python -m verify --level full",),
)
PERF_SLOW_FIX_CUDA = Fix(
    "Look for other processes on the GPU and for power caps, locked clocks or thermal "
    "throttling (nvidia-smi -q -d PERFORMANCE,CLOCK,POWER), then run the full check again.",
    ("nvidia-smi", "python -m verify --level full --device cuda"),
)
