"""User-facing causes and fixes, kept together so they read as one voice (flutter doctor).

Rules (verify.rules) and device checks (verify.checks) take their cause/fix text from here.
Edit by adding small entries; keep each cause a plain statement of what is wrong and each fix an
action the user can take (with the exact commands where there are some).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from verify.model import Fix

if TYPE_CHECKING:  # compat needs packaging, which verify.worker's interpreter may lack
    from verify.compat import MacosFloors

# PyTorch's nightly builds for macOS (they carry MPS), and the command that installs the newest
NIGHTLY_INDEX = "https://download.pytorch.org/whl/nightly/cpu"
NIGHTLY = f"python -m pip install --upgrade --pre torch --index-url {NIGHTLY_INDEX}"

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
            'Check that `python -c "import torch"` works in this environment; if it does not, '
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


def training_did_not_learn(device: str, first: float, last: float, steps: int) -> tuple[str, Fix]:
    return (
        f"Training a small model on '{device}' did not reduce the loss ({first} -> {last} over "
        f"{steps} steps); on the CPU it falls steadily, so the device computes wrong gradients "
        "or optimizer updates.",
        TRAINING_DID_NOT_LEARN_FIX,
    )


TRAINING_DID_NOT_LEARN_FIX = Fix(
    "Update PyTorch and macOS; if the loss still does not fall, report it to PyTorch with this "
    "output (a backward kernel on this device is computing wrong gradients).",
    ("nox -s install",),
    PYTORCH_ISSUES_URL,
)


# --- full tier: ops.sweep and perf.* (issue 7); op coverage from torch's OpInfo (issue 13) -------
# The op-coverage issue torch's "not currently implemented for the MPS device" message links to:
# pytorch/pytorch#77764 up to 2.5, #141287 from 2.6 (the strings of the 2.5.1 and 2.6.0 wheels,
# tests/data/torch_wheels/).
OP_COVERAGE_ISSUE_OLD = "https://github.com/pytorch/pytorch/issues/77764"
OP_COVERAGE_ISSUE_NEW = "https://github.com/pytorch/pytorch/issues/141287"
OP_COVERAGE_MOVED_IN = (2, 6)


def _major_minor(version: str | None) -> tuple[int, int] | None:
    """A version's (major, minor), None where it starts with none (read with a pattern:
    verify.worker's interpreter may lack packaging)."""
    m = re.match(r"\s*(\d+)\.(\d+)", version or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def op_coverage_issue(torch_version: str | None) -> str:
    """The MPS op-coverage issue this torch's own message points to (the newer one when the
    version is unknown or unparsable)."""
    release = _major_minor(torch_version)
    if release is not None and release < OP_COVERAGE_MOVED_IN:
        return OP_COVERAGE_ISSUE_OLD
    return OP_COVERAGE_ISSUE_NEW


# The MPS fallback message: aten/src/ATen/mps/MPSFallback.mm ("... is not currently implemented
# for the MPS device ... set the environment variable `PYTORCH_ENABLE_MPS_FALLBACK=1` ... please
# comment on https://github.com/pytorch/pytorch/issues/141287 ...").
OPS_UNSUPPORTED_CAUSE = (
    "This PyTorch has no {device} kernel for {count} operation(s) that torch's test-suite does "
    "not expect to be missing here: {ops}. Code that uses them stops with NotImplementedError "
    "on this device."
)


def ops_unsupported_fix(torch_version: str | None) -> Fix:
    return Fix(
        "Set PYTORCH_ENABLE_MPS_FALLBACK=1 so those operations run on the CPU (slower), or "
        "upgrade PyTorch: newer releases implement more operations on MPS. `python -m verify "
        "ops` lists every operation and dtype.",
        ("export PYTORCH_ENABLE_MPS_FALLBACK=1",),
        op_coverage_issue(torch_version),
    )


# for a torch of today (2.6+); ops_unsupported_fix(version) links the issue a given torch names
OPS_UNSUPPORTED_FIX = ops_unsupported_fix(None)
OPS_KNOWN_CAUSE = (
    "{count} operation/dtype pair(s) do not run natively on {device}, as torch's own test-suite "
    "expects for this PyTorch{macos}: {ops}."
)
OPS_FALLBACK_CAUSE = (
    "{count} operation/dtype pair(s) ran on the CPU through PYTORCH_ENABLE_MPS_FALLBACK, not on "
    "{device}: {ops}. They work, slowly."
)
OPS_KNOWN_FIX = Fix(
    "Nothing is broken: these are limits torch documents for this device. If your model uses "
    "them, set PYTORCH_ENABLE_MPS_FALLBACK=1 (MPS) or run those operations on the CPU, and "
    "check whether a newer PyTorch (and macOS) implements them. `python -m verify ops "
    "--markdown ops.md` lists them with torch's references.",
    ("python -m verify ops --markdown ops.md",),
    OP_COVERAGE_ISSUE_NEW,
)
OPS_WRONG_CAUSE = (
    "{count} operation(s) gave results on {device} that differ from the CPU beyond torch's own "
    "tolerance, and torch does not list them as known failures here: {ops} (largest error "
    "{err:.3g} in {worst})."
)
OPS_ERROR_CAUSE = "{count} operation(s) that work on the CPU raised an error on {device}: {ops}."
OPS_CRASH_CAUSE = (
    "{count} operation(s) crashed or hung the process on {device} (each ran isolated; the "
    "sweep went on after it): {ops}."
)
OPS_NO_OPDB = (
    "torch's OpInfo database could not be imported ({error}); only verify's hand-written cases ran"
)
OPS_NO_OPDB_FIX = Fix(
    "Install expecttest (torch's testing internals import it) in the PyTorch environment, then "
    "run the full check again; environment.yml lists it.",
    ("python -m pip install expecttest",),
)
OPS_WRONG_FIX = Fix(
    "Update PyTorch and macOS (or the NVIDIA driver); if it persists, report it to PyTorch with "
    "the op-coverage report attached (`python -m verify ops --only OP --markdown ops.md`). "
    "Until then run the listed operations on the CPU.",
    ("python -m verify ops --markdown ops.md",),
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


# --- host facts and rules (verify.rules: host.*, torch.*, mps.*) ------------------------------
MINIFORGE_URL = "https://github.com/conda-forge/miniforge"
GITHUB_RUNNER_LIMITS_URL = (
    "https://docs.github.com/en/actions/reference/runners/github-hosted-runners"
    "#limitations-for-arm64-macos-runners"
)
SOFTWARE_UPDATE = "System Settings > General > Software Update"
CHECK_PYTHON_ARCH = 'python -c "import platform; print(platform.machine())"'
CHECK_MPS_AVAILABLE = 'python -c "import torch; print(torch.backends.mps.is_available())"'

ROSETTA_FIX = Fix(
    "Use a native arm64 Python: install Miniforge for arm64 (or an arm64 Python from "
    "python.org / Homebrew in /opt/homebrew), make sure it prints 'arm64', then recreate the "
    "environment. In an existing conda, CONDA_SUBDIR=osx-arm64 forces arm64 packages.",
    (
        "curl -fsSLO https://github.com/conda-forge/miniforge/releases/latest/download/"
        "Miniforge3-MacOSX-arm64.sh",
        "bash Miniforge3-MacOSX-arm64.sh",
        CHECK_PYTHON_ARCH,
        "CONDA_SUBDIR=osx-arm64 nox -s install",
    ),
    MINIFORGE_URL,
)


# What Rosetta and Intel Macs get, from the wheels themselves (tests/data/torch_wheels/): PyPI's
# x86_64 macOS wheels stop at torch 2.2.2, and that wheel's libtorch_cpu.dylib holds the whole MPS
# backend (the same MPS messages as the arm64 wheel, and the MPSDevice check that skips
# `isLowPower` GPUs: integrated Intel graphics). So an Intel Mac with an AMD GPU gets an MPS
# device (pytorch/pytorch#141864: macOS 15.1.1, AMD, torch 2.2.2), one with only integrated
# graphics does not, and an x86_64 Python under Rosetta can find one too (#146236), but is stuck
# at 2.2.2: no bfloat16 ("BFloat16 is not supported on MPS"), no MPS fix since, and an old-SDK
# build reads macOS as 10.16 (#146236: is_macos_or_newer(14, 0) False on macOS 15.3).
INTEL_MPS_LAST_TORCH = "2.2.2"


def rosetta(machine: str, chip: str | None) -> str:
    where = f" ({chip})" if chip and not chip.startswith("VirtualApple") else ""
    return (
        f"This Python is an {machine} build running under Rosetta 2 on Apple silicon{where}. "
        "x86_64 PyTorch does contain the MPS backend, but PyPI's newest x86_64 macOS wheel is "
        "torch 2.2.2: this Python can get no newer PyTorch from PyPI, none of the MPS fixes or "
        "features since (bfloat16 among them), and under Rosetta torch can read macOS as 10.16 "
        "and refuse features gated on a newer macOS (pytorch/pytorch#146236)."
    )


def rosetta_stuck_torch(torch_version: str) -> str:
    return (
        f"torch {torch_version} is an x86_64 build: an x86_64 (Rosetta) Python cannot get a "
        "PyTorch newer than 2.2.2 from PyPI, the last release with macOS x86_64 wheels, so it "
        "misses every MPS fix and feature since (bfloat16 on MPS needs 2.3)."
    )


def not_macos(os_name: str) -> tuple[str, Fix]:
    return (
        f"MPS (Apple Metal) exists only on macOS with Apple silicon; this host runs {os_name}.",
        Fix(
            "Run without --expect-mps to verify CUDA or the CPU here, or run the verifier on an "
            "Apple silicon Mac.",
            ("python -m verify",),
        ),
    )


INTEL_MAC_CAUSE = (
    "This is an Intel Mac: PyTorch's MPS backend runs here only on a discrete AMD GPU (torch "
    "skips integrated Intel graphics) and only up to torch 2.2.2, the last release with macOS "
    "x86_64 wheels; on integrated graphics there is no MPS at all."
)
INTEL_MAC_FIX = Fix(
    "Use an Apple silicon Mac for current PyTorch on MPS; on an Intel Mac with an AMD GPU, "
    "torch 2.2.2 still runs MPS (float32/float16, no bfloat16); otherwise verify PyTorch on "
    "the CPU.",
    ("python -m verify --device cpu",),
    "https://github.com/pytorch/pytorch/issues/141864",
)


def intel_mac_amd_gpu(torch_version: str | None, found: bool = True) -> tuple[str, Fix]:
    """An Intel Mac with a discrete (AMD) GPU: torch found an MPS device there (`found`), or the
    paste shows the GPU only."""
    have = f"torch {torch_version}" if torch_version else "this PyTorch"
    seen = f", and {have} found it" if found else ""
    check = () if found else (CHECK_MPS_AVAILABLE,)
    return (
        f"This Intel Mac has a GPU MPS can use (a discrete AMD GPU: torch skips integrated "
        f"Intel graphics){seen}; but macOS x86_64 PyTorch ends at 2.2.2, so there is no bfloat16 "
        "on MPS ('BFloat16 is not supported on MPS') and no MPS fix after early 2024.",
        Fix(
            "Keep torch 2.2.2 and float32/float16 on MPS here; for current PyTorch on MPS use "
            "an Apple silicon Mac.",
            check,
            url="https://github.com/pytorch/pytorch/issues/141864",
        ),
    )


def macos_too_old_for_mps(version: str, floors: MacosFloors) -> tuple[str, Fix]:
    """Below the first macOS with MPS at all; the fix names the newest floor torch enforces, so
    a user updating macOS updates far enough for current torch."""
    return (
        f"macOS {version} is older than {floors.first}, the first release with the Metal "
        "Performance Shaders Graph that PyTorch's MPS backend needs.",
        Fix(
            f"Update macOS ({SOFTWARE_UPDATE}); PyTorch {floors.newest_since}+ needs macOS "
            f"{floors.newest} or newer for MPS.",
            ("softwareupdate --list",),
        ),
    )


def macos_older_than_binary(macos: str | None, needed: str) -> tuple[str, Fix]:
    """dyld refused a library "built for macOS N which is newer than running OS", macOS refused to
    open an app that "requires macOS N or later", Metal refused a shader library in a language
    version this macOS lacks, or a package's own import check refused this macOS ("Only macOS N
    and newer are supported, not M")."""
    this = f"this Mac runs macOS {macos}" if macos else "this Mac runs an older macOS"
    return (
        f"A library or app in this environment needs macOS {needed} and was refused on this one "
        f"(by macOS's loader or Metal, or by its own check): {this}. Nothing that needs it can "
        f"start until macOS is {needed} or newer.",
        Fix(
            f"Update macOS to {needed} or newer ({SOFTWARE_UPDATE}); if this Mac cannot, install "
            f"a build of that package (or of the app) made for macOS {macos or 'this version'}.",
            ("softwareupdate --list",),
        ),
    )


def macos_older_than_app(macos: str | None, what: str = "app") -> tuple[str, Fix]:
    """macOS refused to open an app built for a newer macOS, or Metal a shader library (what:
    "metallib") built for one, the version it needs not quoted ("You can't use this version of
    the application ... with this version of macOS")."""
    this = f"macOS {macos}" if macos else "this macOS"
    refused = (
        "Metal refused the program's compiled shader library (metallib): it was built with a "
        f"deployment target newer than {this}"
        if what == "metallib"
        else "macOS refused to open the app: this version of it was built for a newer macOS "
        f"than {this} (its minimum system version is higher)"
    )
    return (
        f"{refused}, so it cannot start here.",
        Fix(
            "Update macOS (the program's download page or release notes name the version it "
            f"needs; {SOFTWARE_UPDATE}), or install an older release of it (or a build from "
            f"source) made for {this}.",
            ("softwareupdate --list",),
        ),
    )


def macos_limits_torch(version: str, first_unsupported: str, floor: str) -> tuple[str, Fix]:
    return (
        f"macOS {version} is older than {floor}, which PyTorch {first_unsupported} and newer "
        f"need for MPS: upgrading PyTorch past {first_unsupported} would lose MPS here.",
        Fix(
            f"Update macOS to {floor} or newer ({SOFTWARE_UPDATE}), or keep PyTorch below "
            f"{first_unsupported}.",
            ("softwareupdate --list",),
        ),
    )


def macos_compat_shim() -> tuple[str, Fix]:
    return (
        "macOS reported its version as 10.16: this Python was built against a pre-Big Sur SDK "
        "(or SYSTEM_VERSION_COMPAT=1 is set), so the real version is hidden.",
        Fix(
            "Read the real version with sw_vers and use a current Python build (Miniforge, "
            "python.org 3.10+); unset SYSTEM_VERSION_COMPAT.",
            ("sw_vers -productVersion",),
        ),
    )


def torch_needs_newer_macos(
    torch_version: str, floor: str, macos: str, first_unsupported: str, *, conda: bool
) -> tuple[str, Fix]:
    install = (
        f'conda install -c conda-forge "pytorch<{first_unsupported}"'
        if conda
        else f'python -m pip install "torch<{first_unsupported}"'
    )
    return (
        f"torch {torch_version}'s MPS backend needs macOS {floor} or newer; this Mac runs "
        f"macOS {macos}, so torch finds no MPS device.",
        Fix(
            f"Update macOS to {floor} or newer ({SOFTWARE_UPDATE}), or install a PyTorch older "
            f"than {first_unsupported}, whose MPS backend still supports macOS {macos}.",
            (install,),
        ),
    )


def torch_declares_newer_macos(
    torch_version: str, declared: str, macos: str, first_undeclared: str
) -> tuple[str, Fix]:
    """torch's own message names a newer macOS than the one its device check still accepts."""
    return (
        f"torch {torch_version} says its MPS backend is supported on macOS {declared}+; this "
        f"Mac runs macOS {macos}, where this release still installs and finds an MPS device, "
        "but outside what PyTorch supports: MPS bugs met here will not be fixed.",
        Fix(
            f"Update macOS to {declared} or newer ({SOFTWARE_UPDATE}), or keep PyTorch below "
            f"{first_undeclared}, the first release that no longer declares macOS {macos}.",
            ("softwareupdate --list", f'python -m pip install "torch<{first_undeclared}"'),
        ),
    )


def torch_older_than_mps(torch_version: str) -> tuple[str, Fix]:
    return (
        f"torch {torch_version} predates the MPS backend, which first shipped in PyTorch 1.12.",
        Fix("Install a current PyTorch with the project's installer.", ("nox -s install",)),
    )


PIP_TORCH_IN_CONDA_CAUSE = (
    "PyTorch was installed with pip into a conda environment: conda does not track it, and its "
    "bundled libraries (e.g. libomp) can clash with conda's packages ('OMP: Error #15')."
)
PIP_TORCH_IN_CONDA_FIX = Fix(
    "Replace the pip copy with conda-forge's pytorch.",
    ("python -m pip uninstall -y torch", "conda install -c conda-forge pytorch"),
)
PYTORCH_CHANNEL_CAUSE = (
    "PyTorch comes from the old `pytorch` conda channel, which stopped publishing at 2.5 "
    "(pytorch/pytorch#138506): it will never get newer releases or fixes."
)
PYTORCH_CHANNEL_FIX = Fix(
    "Install PyTorch from conda-forge instead.",
    ("conda install -c conda-forge --override-channels pytorch",),
    "https://github.com/pytorch/pytorch/issues/138506",
)


# the import error verify.diagnosis.envdump records for collect_env's "PyTorch version: N/A"
COLLECT_ENV_NO_TORCH = "import torch failed (collect_env printed 'PyTorch version: N/A')"


def torch_import_failed(error: str) -> tuple[str, Fix]:
    if "incompatible architecture" in error or "mach-o" in error.lower():
        return (
            f"PyTorch is installed for a different CPU architecture than this Python: {error}",
            Fix(
                "Reinstall PyTorch from this Python so the installer picks the wheel for its "
                "architecture (skip caches that hold x86_64 builds); check the Python prints "
                "'arm64' first.",
                (CHECK_PYTHON_ARCH, "python -m pip install --force-reinstall --no-cache-dir torch"),
            ),
        )
    if "No module named" in error and "torch" in error:
        return ("PyTorch is not installed in this Python environment.", INSTALL_WITH_NOX)
    if error == COLLECT_ENV_NO_TORCH:
        # collect_env's N/A is its own failed `import torch`, installed or not (pytorch/pytorch
        # #128939: N/A under the pip run that had just found no torch to install)
        return (
            f"PyTorch is not installed in the Python that ran collect_env, or it cannot be "
            f"imported there: {error}",
            INSTALL_WITH_NOX,
        )
    return (f"PyTorch is installed but cannot be imported: {error}", INSTALL_WITH_NOX)


def python_unsupported_by_any_torch(python: str, newest_range: str) -> tuple[str, Fix]:
    return (
        f"No PyTorch release from 1.12 on (the first with MPS) ships wheels for Python {python} "
        f"(the newest supports {newest_range}), so no PyTorch of today installs into this "
        "Python.",
        Fix(
            f"Use a Python in {newest_range}: the project's installer creates one.",
            ("nox -s install",),
        ),
    )


def python_limits_torch(python: str, newest: str, newest_range: str) -> tuple[str, Fix]:
    return (
        f"PyTorch {newest}, the newest release, supports Python {newest_range}, not "
        f"{python}: this Python is stuck with older PyTorch releases and misses newer fixes.",
        Fix(
            f"Recreate the environment with a Python in {newest_range}.",
            ("nox -s install",),
        ),
    )


def mps_not_built(torch_version: str, *, rosetta_process: bool) -> tuple[str, Fix]:
    if rosetta_process:
        return (
            f"torch {torch_version} was built without MPS, and it runs as x86_64 under Rosetta "
            "(an osx-64 conda package or a CPU-only build: PyPI's x86_64 wheels up to 2.2.2 do "
            "include MPS, but no newer x86_64 wheel exists).",
            ROSETTA_FIX,
        )
    return (
        f"torch {torch_version} was built without MPS (a Linux or CPU-only build, an osx-64 "
        "conda package, or a source build without USE_MPS).",
        Fix(
            "Install an osx-arm64 PyTorch from conda-forge or PyPI's macosx arm64 wheel into a "
            "native arm64 Python.",
            ("nox -s install",),
        ),
    )


def mps_unavailable_vm(reason: str) -> tuple[str, Fix]:
    return (
        "This macOS runs in a virtual machine, which has no Metal GPU that MPS can use "
        "(GitHub's arm64 macOS runners document: 'Metal Performance Shaders (MPS) are not "
        f"supported'){reason}.",
        Fix(
            "Run on a bare-metal Apple silicon Mac (or a self-hosted runner), or verify the CPU "
            "path here.",
            ("python -m verify --device cpu",),
            GITHUB_RUNNER_LIMITS_URL,
        ),
    )


def mps_available_in_vm() -> tuple[str, Fix]:
    return (
        "torch reports MPS available inside a virtual machine, where allocations usually fail "
        "('MPS backend out of memory ... Tried to allocate 256 bytes'), as on GitHub's macOS "
        "runners (actions/runner-images#9918).",
        Fix(
            "Trust the device checks below, not is_available(); for real MPS runs use a "
            "bare-metal Mac or a self-hosted runner.",
            ("python -m verify --level standard",),
            GITHUB_RUNNER_LIMITS_URL,
        ),
    )


# how both "no Metal device" causes begin (verify.diagnosis.diagnose tells the rules' row by it)
NO_METAL_DEVICE = "PyTorch has MPS and macOS is new enough, but this process sees no Metal device"


def mps_unavailable_no_device(reason: str) -> tuple[str, Fix]:
    return (
        f"{NO_METAL_DEVICE}: typically a sandbox, container or remote session without GPU access "
        f"(pytorch/pytorch#167679){reason}.",
        Fix(
            "Run from a normal Terminal session on the Mac itself (outside any sandbox), and "
            "check that macOS lists a Metal-capable GPU.",
            ("system_profiler SPDisplaysDataType",),
        ),
    )


# --- diagnose: pasted environments and error messages (issue 6: verify.diagnosis.diagnose)
# --------------
NOT_IN_PASTED_TEXT = "not in the pasted text"
# the commands whose output settles what a paste does not show (verify.diagnosis.settle)
SETTLE_COMMANDS = "`python -m torch.utils.collect_env` (or `python -m verify facts`)"


def pasted_pc_not_a_mac(gpu: str) -> tuple[str, Fix]:
    """A PC told by its NVIDIA RTX GPU, MPS in question (verify.diagnosis.placement.pc_finding)."""
    return (
        f"This machine is a PC with an NVIDIA GPU ({gpu}), not a Mac: MPS (Apple Metal) exists "
        "only on Macs, so an MPS choice or device cannot work here; the GPU is used through CUDA.",
        Fix(
            "Pick the CUDA / GPU option instead of MPS (in accelerate config: 'No distributed "
            "training', then not CPU-only), or `device='cuda'`, with a PyTorch built for CUDA.",
            ('python -c "import torch; print(torch.cuda.is_available())"',),
        ),
    )


def pasted_machine_not_shown(unsettled: list[str]) -> str:
    """One line: a paste diagnosed without facts of the machine, and what settles its rows."""
    return (
        f"the paste shows no facts of the machine (chip, Python, PyTorch), so "
        f"{', '.join(unsettled)} {'is' if len(unsettled) == 1 else 'are'} {NOT_IN_PASTED_TEXT}: "
        f"{SETTLE_COMMANDS} run with the same Python on that machine settles them"
    )


def pasted_macos_below_message(macos: str, named: str) -> str:
    return (
        f"torch could not create an MPS device: this Mac runs macOS {macos}, older than the "
        f"macOS {named}+ its MPS backend needs."
    )


def pasted_macos_below_torch_floor(macos: str, torch_version: str, floor: str, named: str) -> str:
    return (
        f"torch {torch_version}'s MPS backend needs macOS {floor}+, newer than this Mac's "
        f"macOS {macos} (the message named {named}+, which lags behind the real floor: "
        "pytorch/pytorch#139425)."
    )


def pasted_no_metal_device(macos: str, named: str) -> tuple[str, Fix]:
    return (
        f"This Mac runs macOS {macos}, which meets the {named}+ the message names, so torch "
        "could not see a Metal device: the process runs in a VM, a sandbox or a remote "
        "session without GPU access (openai/codex#10199, pytorch/pytorch#177819).",
        Fix(
            "Run Python from a normal Terminal session on the Mac itself, outside any VM or "
            "sandbox, and check that macOS lists a Metal-capable GPU; if it does, try the "
            "newest PyTorch release.",
            ("system_profiler SPDisplaysDataType",),
        ),
    )


def pasted_feature_needs_native(macos: str) -> str:
    return (
        f"This Mac runs macOS {macos}, but the Python process is translated by Rosetta 2, and "
        "under Rosetta torch's macOS check reads an old version (pytorch/pytorch#146236), so "
        "MPS features gated on macOS 13/14 are refused."
    )


def pasted_linux_on_mac(os_name: str) -> tuple[str, Fix]:
    """Linux in a container or VM on a Mac (Docker Desktop, OrbStack, Lima, UTM, ...)."""
    return (
        f"This Python runs on {os_name} inside a container or virtual machine on a Mac (Docker "
        "Desktop, OrbStack, Lima, a VM): Metal is not passed into it, so MPS does not exist "
        "there and PyTorch can use only the CPU (docker/roadmap#52).",
        Fix(
            "For MPS, run PyTorch on macOS itself: create a native arm64 environment on the Mac "
            "(not in the container) and run the code there; keep the container for CPU work.",
            ("nox -s install", CHECK_PYTHON_ARCH),
        ),
    )


def pasted_process_gets_no_metal_device(where: str | None) -> tuple[str, Fix]:
    """Metal itself gave the process no device (MTLCreateSystemDefaultDevice() nil, "No Metal
    device available"), or failed inside a sandbox: MPS cannot exist in that process."""
    place = (
        f"the paste shows it runs in {where}, which denies it the GPU"
        if where
        else "a sandbox, a VM or a session without the GPU (ssh, a launchd job) does that"
    )
    return (
        "Metal gives this process no usable GPU device (MTLCreateSystemDefaultDevice() nil, or "
        "a device it cannot open), so PyTorch's MPS backend has no GPU to use whatever its "
        f"version: {place} (a sandbox "
        "profile denies the GPU's IOKit user clients: anthropics/claude-code#37044, "
        "fencesandbox/fence#210).",
        Fix(
            "Run Python from a normal Terminal session on the Mac itself, outside the sandbox "
            "or VM (or allow GPU access in the sandbox's settings where it has one), then "
            "check again.",
            ("python -m verify",),
        ),
    )


def pasted_asahi_linux(os_name: str) -> tuple[str, Fix]:
    """Asahi Linux: Linux on the Mac's own hardware, no VM."""
    return (
        f"This Python runs on {os_name} directly on the Mac's hardware (Asahi Linux): Metal and "
        "its MPS backend exist only in macOS, and Asahi's GPU driver offers OpenGL / Vulkan, "
        "not Metal, so PyTorch can use only the CPU there.",
        Fix(
            "For MPS, boot the Mac into macOS and create a native arm64 environment there; "
            "keep Asahi Linux for CPU work.",
            ("nox -s install", CHECK_PYTHON_ARCH),
        ),
    )


def pasted_no_device_here(where: str) -> str:
    """MPS unavailable on a new enough macOS with signs of where the process runs."""
    return (
        f"{NO_METAL_DEVICE}: the paste shows it runs in {where}, which has no GPU access "
        "(pytorch/pytorch#167679)."
    )


def pasted_cuda_build_on_mac(requirement: str) -> tuple[str, Fix]:
    """pip asked for a CUDA / ROCm build (torch==2.5.1+cu121) on a Mac."""
    return (
        f"The install asks for {requirement}, a CUDA / ROCm build of PyTorch: those exist only "
        "for Linux and Windows, so pip on a Mac finds no such wheel and installs nothing.",
        Fix(
            "On a Mac, require the plain version (drop the +cu... suffix and the "
            "download.pytorch.org/whl/cu... index); PyPI's macOS arm64 wheel has MPS.",
            ('python -m pip install "torch"',),
        ),
    )


def pasted_no_wheel_for_python(requirement: str, python: str, supported: str) -> tuple[str, Fix]:
    """pip / uv found no wheel of the requested torch for this Python."""
    return (
        f"The installer finds no {requirement} for this interpreter (Python {python}): that "
        f"release ships wheels for Python {supported} only.",
        Fix(
            f"Use a Python in {supported} for that release (the project's installer creates "
            "one), or install a PyTorch release that supports this Python.",
            ("nox -s install",),
        ),
    )


def pasted_no_wheel_at_all(python: str | None) -> tuple[str, Fix]:
    """pip's "from versions: none" (or uv's "no wheel for the current platform"): no torch wheel
    at all for this interpreter."""
    which = f"Python {python}" if python else "its Python version is not in the paste"
    return (
        f"pip finds no PyTorch wheel at all for this interpreter ({which}): no release "
        "it can see ships a wheel for this Python version on this platform (a Python newer "
        "than the newest release supports, or a 32-bit / x86_64 macOS Python for a new torch).",
        Fix(
            "Upgrade pip and retry (newer releases add Python versions), or use a Python that "
            "PyTorch supports on this platform, from a native arm64 build on Apple silicon.",
            ("python -m pip install --upgrade pip", "nox -s install"),
        ),
    )


def pasted_python_too_new_for(requirement: str, offered: str) -> tuple[str, Fix]:
    """The pinned release is older than everything pip offers: the Python is too new for it."""
    return (
        f"pip finds no {requirement} for this interpreter but offers {offered}: this Python "
        "is newer than that release supports (wheels exist only for older Python versions).",
        Fix(
            "Use an older Python that the pinned release supports, or allow a newer PyTorch "
            "release in the requirements.",
            ("nox -s install",),
        ),
    )


def pasted_prerelease_floor(torch_version: str, floor: str, macos: str) -> str:
    return (
        f"torch {torch_version} is a pre-release build: the macOS {floor} floor of its release "
        f"line may or may not be in it, so it may not find an MPS device on macOS {macos}."
    )


def pasted_floor_but_mps_ran(torch_version: str, floor: str, macos: str) -> str:
    return (
        f"torch {torch_version}'s MPS backend needs macOS {floor}, and macOS {macos} is read from "
        "the paste, yet the paste shows MPS working: one of the two versions is not this "
        "machine's (another environment, or a typo). Check both on the machine itself."
    )


def pasted_bfloat16_intel() -> str:
    return (
        "This is an Intel Mac: its newest PyTorch is 2.2.2 (the last macOS x86_64 release), "
        "whose MPS backend has no bfloat16 (that came with 2.3, for Apple silicon on macOS 14+)."
    )


# --- diagnose: what installers' resolvers give away (issue 12: verify.diagnosis.resolver)
# ----------------


def pasted_x86_64_python(wanted: str) -> tuple[str, Fix]:
    """pip / uv on macOS offer nothing past 2.2.2 to this interpreter, chip not in the paste."""
    asked = f" (the install asks for {wanted})" if wanted else ""
    return (
        "This Python is an x86_64 build on macOS: PyTorch's macOS x86_64 builds (PyPI's wheels, "
        f"the pytorch conda channel) end at 2.2.2, so the installer finds nothing newer for "
        f"it{asked}. On an Apple silicon Mac "
        "that is an x86_64 Python running under Rosetta 2 (MPS needs a native arm64 one); on "
        "an Intel Mac 2.2.2 is the newest PyTorch, with MPS only on a discrete AMD GPU.",
        Fix(
            "Check the interpreter's architecture. If it prints x86_64 on an Apple silicon Mac, "
            "install a native arm64 Python (Miniforge arm64, python.org or Homebrew in "
            "/opt/homebrew; `uv python install` picks arm64 when uv itself is arm64) and "
            "recreate the environment; on an Intel Mac, pin torch<=2.2.2 or build from source.",
            (CHECK_PYTHON_ARCH, "sysctl -n machdep.cpu.brand_string"),
            "https://dev-discuss.pytorch.org/t/pytorch-macos-x86-builds-deprecation-starting-january-2024/1690",
        ),
    )


def pasted_no_macos_wheel(requirement: str, platforms: str, python_note: str) -> tuple[str, Fix]:
    """uv: the requested torch has wheels only for other operating systems (a lock file or an
    index resolved for Linux / Windows, a +cpu / +cu local build)."""
    return (
        f"The install asks for {requirement}, which has no macOS wheel for this interpreter: uv "
        f"says it has wheels only for {platforms}, so the pin, index or lock file resolved a "
        f"torch this Mac cannot install{python_note}.",
        Fix(
            "Re-resolve torch for macOS: on Darwin take the plain PyPI torch (no +cpu / +cu "
            "build, no Linux-only index: a `sys_platform == 'linux'` marker on that index "
            "source) in a release with macOS arm64 wheels for this Python, then regenerate the "
            "lock file.",
            ("uv lock --upgrade-package torch", "uv sync"),
        ),
    )


def pasted_gpu_index_on_mac(requirement: str, index: str) -> tuple[str, Fix]:
    """pip on a Mac was pointed only at PyTorch's CUDA / ROCm wheel index."""
    return (
        f"pip looked for {requirement} only in {index}, PyTorch's CUDA / ROCm index: it holds "
        "Linux and Windows wheels only, so on a Mac it offers nothing.",
        Fix(
            "On a Mac install from PyPI (drop --index-url / the CUDA index from the command or "
            "requirements file); PyPI's macOS arm64 wheel has MPS.",
            ('python -m pip install "torch"',),
        ),
    )


def pasted_cpu_build_on_mac(requirement: str) -> tuple[str, Fix]:
    """A +cpu local build (PyTorch's CPU index) asked for on a Mac."""
    return (
        f"The install asks for {requirement}, a build from PyTorch's CPU index: its +cpu wheels "
        "exist for Linux and Windows only (macOS wheels carry no +cpu suffix), so a Mac has "
        "nothing to install; the requirement's markers or index send this Mac to the wrong "
        "build.",
        Fix(
            "On macOS require the plain version from PyPI (no +cpu, no CPU-index source: give "
            "the Linux / Windows entry a `sys_platform != 'darwin'` marker), then re-lock; "
            "PyPI's macOS arm64 wheel has MPS.",
            ('python -m pip install "torch"',),
        ),
    )


# the first release whose ARM Linux wheels on PyTorch's CPU index carry the +cpu suffix: the 2.6
# nightlies did ("torch-2.6.0.dev20241126%2Bcpu-cp310-cp310-manylinux_2_28_aarch64.whl",
# pytorch/pytorch#141619; "2.6.0.dev20241023+cpu" is the first +cpu one pip lists there); before
# them "ARM binaries do not have `+cpu` suffix (same as MacOS ones)" (pytorch/pytorch#110791)
ARM_LINUX_CPU_SUFFIX_SINCE = (2, 6)


def pasted_cpu_build_in_arm_linux(requirement: str) -> tuple[str, Fix]:
    """A +cpu local build asked for in Linux on an Apple-silicon Mac (a container, a VM)."""
    release = _major_minor(requirement.partition("==")[2])  # "torch==2.5.1+cpu"
    if release is not None and release >= ARM_LINUX_CPU_SUFFIX_SINCE:
        why = (
            "PyTorch's CPU index has published ARM Linux wheels with the +cpu suffix since the "
            "2.6 nightlies (pytorch/pytorch#141619), so the installer found none for this "
            "container: the lock or the markers leave aarch64 out, or the CPU index is not a "
            "source there."
        )
    else:
        why = (
            "PyTorch's ARM Linux wheels before 2.6 were published without the +cpu suffix, like "
            "macOS's (pytorch/pytorch#110791: 'ARM binaries do not have +cpu suffix'), so the "
            "+cpu pin has no build for it."
        )
    return (
        f"The install asks for {requirement}, a build from PyTorch's CPU index, inside Linux on "
        f"an Apple-silicon Mac: that Linux runs on ARM (aarch64). {why} MPS does not reach "
        "Linux in a container or VM in any case: PyTorch there runs on the CPU.",
        Fix(
            "Give the +cpu pin and the CPU-index source a `platform_machine != 'aarch64'` "
            "marker and require the plain version on aarch64 (PyPI's Linux aarch64 wheel is "
            "CPU-only), then re-lock; for MPS, run PyTorch on macOS itself, not in the container.",
            ('python -m pip install "torch"',),
        ),
    )


def pasted_lock_other_platform(environments: str) -> tuple[str, Fix]:
    """uv: the lock file supports only other systems (`[tool.uv].environments` without darwin)."""
    return (
        f"uv refuses the project's lock file here: it was resolved only for {environments}, "
        "so nothing (torch included) can be installed from it on this machine.",
        Fix(
            "On a Mac, add macOS to the lock's environments (`sys_platform == 'darwin'` in "
            "`[tool.uv].environments`), keep any CUDA index source behind a "
            "`sys_platform == 'linux'` marker so macOS takes PyPI's torch, and re-lock.",
            ("uv lock", "uv sync"),
        ),
    )


def pasted_container_gpu_refused(os_name: str, on_mac: bool = True) -> tuple[str, Fix]:
    """A container run with an NVIDIA GPU request on a Mac (Docker Desktop's Linux VM), or on a
    Docker host the paste does not name, which refused it."""
    where = (
        "on a Mac and asks Docker for an NVIDIA GPU (--gpus / a compose file's `driver: nvidia`): "
        "a Mac has no NVIDIA GPU, and Docker Desktop's Linux VM gets no Metal either"
        if on_mac
        else "and asks Docker for an NVIDIA GPU (--gpus / a compose file's `driver: nvidia`) "
        "that the Docker host has no NVIDIA runtime for, as on every Mac: there, Docker "
        "Desktop's Linux VM gets neither an NVIDIA GPU nor Metal"
    )
    return (
        f"The workload runs in a {os_name} container {where}, so no GPU reaches the container and "
        "MPS does not exist there (docker/roadmap#52).",
        Fix(
            "Run it natively on macOS for MPS (a native arm64 Python environment, not the "
            "container); to keep the container, drop the GPU request (--gpus all / the "
            "`deploy.resources.reservations.devices` block) and run on its CPU.",
            ("nox -s install", CHECK_PYTHON_ARCH),
        ),
    )


def pasted_metal_fails_in_vm(where: str) -> tuple[str, Fix]:
    """Metal / MPS failing on a hosted CI runner or in a macOS VM."""
    return (
        f"This runs in {where}: its paravirtual GPU gives MPS no usable Metal device "
        "(GitHub documents for its arm64 macOS runners that 'Metal "
        "Performance Shaders (MPS) are not supported'; Apple's Virtualization framework has no "
        "GPU passthrough: actions/runner-images#9254), so MPS work fails there whatever the code.",
        Fix(
            "Run MPS work on a bare-metal Apple silicon Mac (a self-hosted runner in CI); on "
            "hosted runners, skip the MPS tests and test on the CPU.",
            ("python -m verify --device cpu",),
            GITHUB_RUNNER_LIMITS_URL,
        ),
    )


NIX_TORCH_BIN_FIX = Fix(
    "Use nixpkgs' torch-bin (PyTorch's own macOS arm64 wheel, with MPS), or a nixpkgs revision "
    "from after NixOS/nixpkgs#351778 (late 2024), whose source-built torch has MPS; check with "
    "torch.backends.mps.is_built().",
    ("nix-shell -p 'python3.withPackages (ps: [ ps.torch-bin ])'",),
    "https://github.com/NixOS/nixpkgs/pull/351778",
)


def pasted_nix_torch_without_mps(attribute: str, version: str | None) -> tuple[str, Fix]:
    """nixpkgs' source-built torch on macOS before MPS was enabled in it."""
    which = f"torch {version}" if version else "torch"
    return (
        f"This {which} is nixpkgs' source build ({attribute}), which nixpkgs compiled without MPS "
        "on macOS (an Apple SDK too old for it) until NixOS/nixpkgs#351778 switched it to "
        "apple-sdk_13 in late 2024: torch.backends.mps.is_available() is False with it on any "
        "Mac, while PyTorch's own wheel has MPS (NixOS/nixpkgs#243868).",
        NIX_TORCH_BIN_FIX,
    )


def pasted_mps_not_built_unknown_torch() -> tuple[str, Fix]:
    """torch.backends.mps.is_built() printed False, with no torch version in the paste."""
    return (
        "torch.backends.mps.is_built() is False: this PyTorch was built without the MPS "
        "backend (a Linux or CPU-only build, an osx-64 package, a source build with USE_MPS "
        "off, or a distribution's build without it such as nixpkgs' before late 2024).",
        Fix(
            "Install PyTorch's own macOS arm64 wheel (or conda-forge's osx-arm64 package) into a "
            "native arm64 Python, and check torch.backends.mps.is_built().",
            ("nox -s install",),
        ),
    )


def pasted_mps_killed_for_memory() -> tuple[str, Fix]:
    """macOS killed the process for memory (jetsam) while it ran on MPS: told in words or by the
    kernel's "memorystatus: killing ... python" line (aedocw/epub2tts-chatterbox#19)."""
    return (
        "macOS killed the process for memory while it ran on MPS: on Apple silicon the GPU "
        "shares the machine's memory, and the MPS allocator keeps freed blocks cached "
        "(torch.mps.driver_allocated_memory() grows while current_allocated_memory() stays "
        "flat) until the system runs out, so the process dies with 'killed' and no Python "
        "error.",
        Fix(
            "Call torch.mps.empty_cache() between steps (each batch, sentence or image) to "
            "return cached blocks, and use a smaller batch or model; a lower "
            "PYTORCH_MPS_HIGH_WATERMARK_RATIO (set before Python starts) makes MPS raise "
            "'MPS backend out of memory' instead of the system killing the process.",
            ("export PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.7",),
        ),
    )


def pasted_mps_buffer_too_large() -> tuple[str, Fix]:
    """MPSAllocator's "Invalid buffer size: 9.00 GB": one tensor over the GPU's buffer limit."""
    return (
        "One tensor needs a single MPS buffer larger than this GPU allows (Metal's "
        "maxBufferLength, which grows with the Mac's memory), so the MPS allocator refused it "
        "('Invalid buffer size'); PYTORCH_MPS_HIGH_WATERMARK_RATIO does not lift this limit.",
        Fix(
            "Make the largest tensor smaller: a smaller batch size (CAREamics/careamics#380: 512 "
            "asked for 9 GB), a smaller image or tile, or attention slicing / chunking; a Mac "
            "with more memory allows larger buffers."
        ),
    )


# torchvision's own MPS kernels (pytorch/vision#7643, "Add MPS kernels": nms, roi_align,
# roi_pool, ps_roi_align, ps_roi_pool and their backward kernels; first released in torchvision
# 0.16, which goes with torch 2.1)
TORCHVISION_MPS_OPS = ("nms", "roi_align", "roi_pool", "ps_roi_align", "ps_roi_pool")


def pasted_torchvision_op_without_mps(op: str) -> tuple[str, Fix]:
    """torch's MPS refusal of a torchvision operator ('torchvision::nms')."""
    name = op.split("::", 1)[-1].lstrip("_").removesuffix("_backward")
    if name in TORCHVISION_MPS_OPS:
        return (
            f"This torchvision has no MPS kernel for {op}: PyPI's macOS arm64 torchvision "
            "wheels have MPS kernels for nms, roi_align, roi_pool, ps_roi_align and ps_roi_pool "
            "from 0.16 (with PyTorch 2.1; pytorch/vision#7643); an older torchvision, or a "
            "build made without them (some conda packages), refuses it.",
            Fix(
                "Install torchvision 0.16+ from PyPI together with its torch (`pip install "
                "--upgrade torch torchvision` in the environment that runs the code); meanwhile "
                "PYTORCH_ENABLE_MPS_FALLBACK=1, set before Python starts, runs it on the CPU.",
                ("export PYTORCH_ENABLE_MPS_FALLBACK=1",),
            ),
        )
    return (
        f"torchvision's {op} has no MPS kernel in the installed torchvision (its own operators "
        "get MPS kernels one by one: pytorch/vision#7643 brought the first five).",
        Fix(
            "Set PYTORCH_ENABLE_MPS_FALLBACK=1 before Python starts to run it on the CPU (torch's "
            "fallback covers torchvision's operators), or move that step's tensors to the CPU; "
            "a newer torchvision may have the kernel.",
            ("export PYTORCH_ENABLE_MPS_FALLBACK=1",),
        ),
    )


def pasted_library_op_without_mps(said: str) -> tuple[str, Fix]:
    """mmcv's "nms_impl: implementation for device mps:0 not found." (its own device registry:
    mmcv/ops/csrc/common/pytorch_device_registry.hpp)."""
    head = said.split(":", 1)[0].strip().split() if ":" in said else []
    op = head[-1] if len(head) == 1 else "this operator"
    return (
        f"mmcv's own compiled operator {op} has no MPS implementation: mmcv dispatches its ops "
        "through its own device registry (CUDA and CPU, a few on MPS), so torch's "
        "PYTORCH_ENABLE_MPS_FALLBACK does not reach it and a newer PyTorch does not add it "
        "(open-mmlab/mmcv#2732; 'MMDet do not support MPS', open-mmlab/mmdetection#9411).",
        Fix(
            "Run the model on the CPU (device='cpu' in init_detector / the config), or move the "
            "tensors this op gets to the CPU (boxes.cpu(), scores.cpu()) and its result back; "
            "mmcv's op table lists the few ops it has for MPS "
            "(https://mmcv.readthedocs.io/en/latest/understand_mmcv/ops.html)."
        ),
    )


def pasted_nightly_regression(torch: str, release: str, day: str | None) -> tuple[str, Fix]:
    """A nightly on which MPS fails or crashes, with no message that explains it."""
    """`day`: the day `release` came out; None when it is not out (per the recorded PyPI days),
    and then only a newer nightly can be offered."""
    out = f" ({release} was released on {day})" if day else f" ({release} is not released yet)"
    cause = (
        f"torch {torch} is a nightly build, and MPS fails or crashes on it with no known "
        "message: nightlies are untested snapshots whose MPS regressions a later nightly or the "
        f"release fixes (pytorch/pytorch#117465, ultralytics/ultralytics#3591){out}."
    )
    report = (
        "if it still fails there, report it to pytorch/pytorch with "
        "`python -m torch.utils.collect_env`."
    )
    if day is None:
        return cause, Fix(f"Install a newer nightly; {report}", (NIGHTLY,))
    return cause, Fix(
        f"Install the release {release} or newer (`pip install --upgrade torch`), or a "
        f"newer nightly; {report}",
        ("pip install --upgrade torch",),
    )


def pasted_newer_torch_works(old: str, new: str) -> tuple[str, Fix]:
    """The paste names a torch release that fails on MPS and a later one that works."""
    return (
        f"The paste shows torch {old} failing where torch {new} works: the failure is one a "
        f"later PyTorch fixed, so the environment that fails has a torch too old.",
        Fix(
            f"Upgrade torch to {new} or newer in the environment that fails (and pin it there), "
            f'and check `python -c "import torch; print(torch.__version__)"` shows it.',
            ("pip install --upgrade torch",),
        ),
    )


def pasted_watermark_ratio_refused(said: str) -> tuple[str, Fix]:
    """MPSAllocator's "invalid high / low watermark ratio": the memory-limit variables refused."""
    low = "low watermark" in said
    cause = (
        "The MPS allocator refused its memory-limit settings before allocating anything: "
        + (
            "PYTORCH_MPS_LOW_WATERMARK_RATIO (default 1.4) must not exceed the high ratio, and "
            "PYTORCH_MPS_HIGH_WATERMARK_RATIO was set below it on its own"
            if low
            else "PYTORCH_MPS_HIGH_WATERMARK_RATIO must lie in 0.0-2.0 (0.0-1.0 on a GPU "
            "without unified memory; torch 1.13 on an Intel Mac refused its own default 1.7, "
            "pytorch/pytorch#91268)"
        )
        + "."
    )
    return cause, Fix(
        "Unset both variables, or set them together (the low ratio at most the high one; "
        "0.0 for the high ratio removes the limit), in the shell before Python starts.",
        ("export PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0 PYTORCH_MPS_LOW_WATERMARK_RATIO=0.0",),
    )


def pasted_xformers_on_mps() -> tuple[str, Fix]:
    """xformers' "No operator found for `memory_efficient_attention_forward` ... device=mps"."""
    return (
        "xformers' memory_efficient_attention found no kernel for the MPS device: xformers' "
        "kernels are CUDA's ('device=mps (supported: {'cuda'})'), so a Mac cannot run it; torch's "
        "PYTORCH_ENABLE_MPS_FALLBACK does not reach xformers' own dispatch.",
        Fix(
            "Uninstall xformers (`pip uninstall xformers`) or turn it off in the app (no "
            "--xformers; enable_xformers_memory_efficient_attention() only on CUDA): PyTorch's "
            "own scaled_dot_product_attention runs on MPS (kijai/ComfyUI-SUPIR#84).",
            ("pip uninstall -y xformers",),
        ),
    )
