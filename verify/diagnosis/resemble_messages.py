"""What each cause category a paste can resemble means, and how to settle it on the machine
(verify.diagnosis.resemble_rows), in verify/messages.py's voice (issue 12)."""

from __future__ import annotations

from dataclasses import dataclass

from verify import compat
from verify.messages import SETTLE_COMMANDS
from verify.model import Fix

ARCH = 'python -c "import platform; print(platform.machine())"'
TORCH = 'python -c "import torch; print(torch.__version__, torch.backends.mps.is_available())"'


@dataclass(frozen=True)
class Likeness:
    """A cause category: the row that states it, what it is, and the check that settles it."""

    row_id: str
    cause: str
    check: str
    # the commands that show it on the machine; none for a limit of MPS met by the code (its
    # full error message shows it, not the machine's facts)
    commands: tuple[str, ...] = ()


def _macos_floors() -> str:
    """'macOS 12.3 from torch 1.12, 13.0 from 2.5, ...': where each release range's MPS starts
    (compat.MPS_FLOORS, enforced)."""
    steps, last = [], None
    for floor in compat.MPS_FLOORS:
        if floor.enforced != last:
            steps.append(f"{floor.enforced} from torch {floor.first}")
            last = floor.enforced
    return "macOS " + ", ".join(steps)


# label (tests/corpus.py's cause categories) -> its row; healthy, wrong-results and other have
# none: a paste that reads like them needs no warning
LIKENESSES: dict[str, Likeness] = {
    "rosetta": Likeness(
        "host.arch",
        "an x86_64 (Intel) Python or conda running under Rosetta 2 on Apple silicon",
        "If it prints x86_64 on an Apple chip, install an arm64 Python (Miniforge's osx-arm64 "
        "conda, python.org's universal2 installer) and PyTorch into it.",
        (ARCH,),
    ),
    "intel-mac": Likeness(
        "host.arch",
        "an Intel Mac, where PyTorch's macOS builds stop at 2.2.2 and MPS needs an AMD GPU",
        "If the chip is an Intel one, use PyTorch 2.2.2 at most (MPS only with an AMD GPU), "
        "or the CPU.",
        ("sysctl -n machdep.cpu.brand_string",),
    ),
    "macos-too-old": Likeness(
        "host.macos",
        "a macOS older than the one this PyTorch's MPS (or the op) needs",
        f"Compare it with what the torch release needs ({_macos_floors()}); update macOS or "
        "use an older torch.",
        ("sw_vers -productVersion",),
    ),
    "torch-too-old": Likeness(
        "torch.version",
        "a PyTorch release older than the MPS support or the fix the code needs",
        "Upgrade to the current PyTorch release (`pip install -U torch`) and run it again.",
        (TORCH,),
    ),
    "not-built-with-mps": Likeness(
        "mps.built",
        "a PyTorch build without MPS (a source or distribution build)",
        "If is_built() prints False, install the PyPI wheel or the conda-forge package instead.",
        ('python -c "import torch; print(torch.backends.mps.is_built())"',),
    ),
    "no-metal-device": Likeness(
        "mps.available",
        "a process that cannot reach a Metal device (a VM, a hosted CI runner, a sandbox or a "
        "remote session)",
        "Run it in a local session on the Mac itself, not in a VM or a CI runner.",
        (TORCH,),
    ),
    "linux-in-mac": Likeness(
        "host.os",
        "Linux in a container or VM on a Mac, which Metal does not reach",
        "Run PyTorch on macOS itself (a venv or conda env on the host) to use MPS.",
        ("uname -s",),
    ),
    "not-a-mac": Likeness(
        "host.os",
        "a machine that is no Mac: MPS exists only on macOS",
        "Use cuda or cpu on Linux / Windows; pick the device the machine has.",
        ("uname -s",),
    ),
    "op-not-implemented": Likeness(
        "error.mps.op_not_implemented",
        "an operator or dtype without an MPS kernel in that PyTorch",
        "Upgrade PyTorch (newer releases add kernels); meanwhile PYTORCH_ENABLE_MPS_FALLBACK=1 "
        "runs the missing op on the CPU.",
        (TORCH,),
    ),
    "op-needs-newer-macos": Likeness(
        "error.mps.op_needs_newer_macos",
        "an operator that MPS runs only on a newer macOS",
        "Update macOS, or run that op on the CPU.",
        ("sw_vers -productVersion",),
    ),
    "dtype-needs-newer-macos": Likeness(
        "error.mps.op_needs_newer_macos",
        "a dtype (bfloat16, complex) that MPS supports only on a newer macOS",
        f"Update macOS (bfloat16 needs macOS {compat.MPS_BFLOAT16_MIN_MACOS}), or use float16 / "
        "float32.",
        ("sw_vers -productVersion",),
    ),
    "float64": Likeness(
        "error.mps.float64",
        "float64 tensors, which MPS does not support",
        "Convert to float32 before moving tensors to mps (`.float()`, `torch.float32`).",
    ),
    "mps-oom": Likeness(
        "error.mps.oom",
        "MPS running out of memory",
        "Use a smaller batch or model, free other apps' memory, or raise "
        "PYTORCH_MPS_HIGH_WATERMARK_RATIO with care.",
    ),
    "install-wrong-arch": Likeness(
        "torch.installed",
        "pip, uv or conda picking a build for another platform, or finding none for this one "
        "(a CUDA index or wheel, osx-64 packages, a package with no macOS arm64 build)",
        "Install from PyPI's default index (or conda-forge's osx-arm64) in an arm64 Python, "
        "and leave CUDA-only packages out on macOS.",
        (ARCH, TORCH),
    ),
    "python-unsupported": Likeness(
        "host.python",
        "a Python version no PyTorch wheel exists for",
        "Use a Python the PyTorch release has wheels for (see pypi.org/project/torch).",
        ("python --version",),
    ),
}


def cause(like: Likeness, probability: float, reports: int, shown: str = "") -> str:
    """The likeness in words; `shown`: what the check itself read from the paste, if it passed."""
    passed = f"This check read {shown!r} and passed. " if shown else ""
    return (
        f"{passed}Not established: no check failed on the paste, but its wording is most like the "
        "public "
        f"reports whose cause was {like.cause} ({probability:.0%} likely, by a text model fitted "
        f"on {reports:,} labelled reports; the lines below weigh most)."
    )


def fix(like: Likeness) -> Fix:
    if not like.commands:
        return Fix(
            f"If the full error message says so: {like.check} Paste it whole to diagnose it."
        )
    return Fix(
        f"Run these on that machine to settle it ({SETTLE_COMMANDS} shows everything). "
        f"{like.check}",
        like.commands,
    )
