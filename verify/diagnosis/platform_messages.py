"""Causes and fixes about the platform a paste shows (issue 12), in verify/messages.py's voice: MPS
code run off a Mac, installers asking for builds this platform has none of (CUDA builds on a Mac,
the newest torch on an Intel Mac)."""

from __future__ import annotations

import dataclasses
import re

from verify import compat
from verify.diagnosis.paste.gpuonly import (
    NoRelease,
    PinPastList,
    Refusal,
    ReleaseWithoutMacWheel,
)
from verify.mac_wheels import Run
from verify.messages import CHECK_MPS_AVAILABLE, macos_too_old_for_mps
from verify.model import Fix

LAST_X86_64 = "2.2.2"
# torch reaches the CPU convolution with MPS tensors when a convolution's input is still on the
# CPU while its weights are on MPS: "usually this method is only invoked if input is on CPU but
# weights are on MPS device" (malfet, pytorch/pytorch#86303, 1.13's clearer message)
SLOW_CONV2D_NOTE = (
    "aten::_slow_conv2d_forward is the CPU convolution: torch reaches it with MPS tensors when "
    "the input is still on the CPU while the weights are on MPS (pytorch/pytorch#86303), so move "
    "the input to 'mps' as well."
)


def mps_check_off_mac(
    os_name: str, stuck_python: str | None = None, name_only: bool = False
) -> tuple[str, Fix]:
    """The code's `torch.backends.mps` check failed on Linux / Windows with a torch that predates
    MPS: the torch row says the torch is old; this says MPS itself is not there to have (and,
    for a Python no release with MPS supports, that no torch upgrade can fix the check)."""
    newer = (
        f"this Python {stuck_python} gets no release with MPS (1.12 and newer need Python 3.7+), "
        "so no torch upgrade fixes it here"
        if stuck_python
        else "a newer torch has the name, but MPS is never available here"
        if name_only
        else "a newer torch has torch.backends.mps, but is_available() stays False here"
    )
    why = "lacks the MPS name it calls" if name_only else "predates MPS"
    return (
        f"This host runs {os_name}: MPS (Apple Metal) exists only on macOS with Apple silicon. The "
        f"code's MPS check failed because this torch {why}; {newer}, so the code must use "
        "CUDA or the CPU.",
        Fix(
            "On this machine run on CUDA or the CPU (device='cuda' / 'cpu'; code shared with Macs "
            "should test `getattr(torch.backends, 'mps', None)` first); for MPS run on an Apple "
            "silicon Mac.",
            ("python -m verify",),
        ),
    )


def mps_checkpoint_off_mac(os_name: str) -> tuple[str, Fix]:
    """torch.load on Linux / Windows put a Mac's MPS tensors back on 'mps'."""
    return (
        f"This host runs {os_name}: MPS (Apple Metal) exists only on macOS with Apple silicon, "
        "and the checkpoint being loaded holds tensors saved on a Mac's MPS device, which "
        "torch.load puts back on 'mps'.",
        Fix(
            "Map the checkpoint to this machine's device when loading: "
            "`torch.load(path, map_location='cpu')` (or 'cuda'); Lightning: "
            "`load_from_checkpoint(path, map_location='cpu')`.",
            url="https://github.com/pytorch/pytorch/issues/194584",
        ),
    )


def torch_mps_module_missing(torch_version: str | None) -> tuple[str, Fix]:
    """ "module 'torch' has no attribute 'mps'": the torch.mps module (empty_cache, synchronize,
    ...) first ships in the 2.0.1 wheel, and `import torch` imports it from 2.1.0 on (2.1.0's
    torch/__init__.py: `from torch import mps as mps`; 2.0.1's does not; 1.13.1 has no
    torch/mps at all: read from the macOS arm64 wheels)."""
    have = f"torch {torch_version}" if torch_version else "This PyTorch"
    return (
        f"{have} has no torch.mps module loaded: `import torch` brings torch.mps (empty_cache, "
        "synchronize, ...) only from PyTorch 2.1; 2.0 has it after `import torch.mps`, and "
        "older releases not at all (torch.backends.mps came with 1.12).",
        Fix(
            "Upgrade PyTorch to 2.1 or newer; on 2.0 add `import torch.mps`; code that must also "
            "run on older torch should test `hasattr(torch, 'mps')` first.",
            ("python -m pip install --upgrade torch",),
        ),
    )


def torch_predates_name(
    name: str, module: bool, first: str, torch_version: str | None
) -> tuple[str, Fix]:
    """torch.`name` missing from a torch older than `first`, the first release that has it (read
    from the macOS arm64 wheels: verify/data/torch_names.json)."""
    what = f"the module torch.{name}" if module else f"torch.{name}"
    have = f"torch {torch_version}" if torch_version else "The PyTorch that ran it"
    return (
        f"{have} predates {what}, which first ships in PyTorch {first}: the code was written "
        f"for a newer PyTorch (it needs torch >= {first}).",
        Fix(
            f"Upgrade PyTorch to {first} or newer (on Apple silicon, with a native arm64 "
            "Python); check the version with `python -c 'import torch; print(torch.__version__)'`.",
            (f'python -m pip install --upgrade "torch>={first}"',),
        ),
    )


def mps_storage_without_mps() -> tuple[str, Fix]:
    """A torch without MPS asked for an MPS storage (torch.load of a Mac's checkpoint)."""
    return (
        "This PyTorch has no MPS backend (MPS exists only in macOS builds, on Apple silicon), "
        "and torch.load asked it to put tensors on 'mps': the checkpoint holds tensors saved on "
        "a Mac's MPS device (or map_location names 'mps').",
        Fix(
            "Load onto this machine's device: `torch.load(path, map_location='cpu')` (or "
            "'cuda'); Lightning: `load_from_checkpoint(path, map_location='cpu')`. Saving with "
            "`model.to('cpu')` first makes checkpoints that load anywhere.",
            url="https://github.com/pytorch/pytorch/issues/194584",
        ),
    )


def no_gpu_builds_listed(requirement: str) -> tuple[str, Fix]:
    """pip looked in PyTorch's links for a +cuXXX build and listed plain versions only: this
    platform has no CUDA builds (macOS; PyTorch publishes CUDA builds for Linux x86_64 and
    Windows)."""
    plain = requirement.split("+", maxsplit=1)[0]
    return (
        f"The install asks for {requirement}, a CUDA build, and pip's list of the versions that "
        "exist for this platform holds plain releases only, although PyTorch's download links "
        "were given: this platform has no CUDA builds of PyTorch (a Mac; they exist for Linux "
        "x86_64 and Windows only), so nothing is installed.",
        Fix(
            "On a Mac, install the plain release (drop the +cu... suffix and the "
            "download.pytorch.org links); PyPI's macOS arm64 wheel has MPS.",
            (f'python -m pip install "{plain}"',),
        ),
    )


def cuda_conda_package(package: str, subdir: str | None) -> tuple[str, Fix]:
    """A conda / pixi / mamba solve that asks for a CUDA-only package on a Mac."""
    where = f"for {subdir}" if subdir else "for macOS"
    return (
        f"The environment asks for {package}, a CUDA-only conda package: it is not built {where} "
        "(CUDA builds exist for Linux and Windows only), so the solve fails and no PyTorch is "
        "installed.",
        Fix(
            "On a Mac, ask for the plain package instead (conda-forge's pytorch, or pip's torch) "
            "and drop pytorch-cuda / cudatoolkit / pytorch-gpu; with pixi, keep the CUDA "
            "packages in a Linux-only feature or target ([target.linux-64.dependencies]). The "
            "osx-arm64 builds have MPS.",
            ("pixi add pytorch", "conda install -c conda-forge pytorch"),
        ),
    )


def gpu_only_package(refusal: Refusal) -> tuple[str, Fix]:
    """pip / uv / Poetry on a Mac found nothing for a package PyPI has no macOS build of
    (verify/data/gpu_only_packages.json)."""
    package, requirement, by = refusal.package, refusal.requirement, refusal.by
    platforms, twin, from_torch, read = (
        package.platforms,
        package.twin,
        package.required_by_torch,
        package.read,
    )
    if by.startswith("-r "):
        by = by[3:]  # pip's "(from -r requirements.txt (line 3))"
    name = re.split(r"[\[<>=!~ ]", requirement, maxsplit=1)[0]
    asked = f"{by} requires {requirement}" if by else f"The install asks for {requirement}"
    wheels = ", ".join(platforms) if platforms else "other systems"
    cause = (
        f"{asked}, a package with no macOS build: its recent releases on PyPI have wheels for "
        f"{wheels} only and no source distribution"
        + (f" (none since {package.last_macos_build})" if package.last_macos_build else "")
        + f" (PyPI, read {read}), so the installer finds "
        "nothing to install on a Mac and the environment, PyTorch's included, is not set up."
    )
    marker = _not_on_macos(name)
    if twin:
        text = (
            f"On a Mac install {twin} in its place (it ships macOS wheels): require {marker} "
            f"and `{twin}; sys_platform == 'darwin'`"
            + (
                f", or pin {by.split('==')[0]} to a release that does not require {name}"
                if by and not by.startswith(("-", "requirements"))
                else ""
            )
            + "."
        )
        return cause, Fix(text, (f'python -m pip install "{twin}"',))
    if from_torch:
        # torch 1.13.0's metadata asked for its nvidia-*-cu11 libraries without the Linux marker,
        # so Poetry tried them on Macs (fixed by pytorch/pytorch#89924 for 1.13.1;
        # TransformerLensOrg/CircuitsVis#19)
        text = (
            f"{name} is one of the CUDA libraries torch's Linux wheels install themselves; on a "
            "Mac nothing should ask for it: a requirements file or lock frozen on Linux lists "
            "them (and torch 1.13.0's metadata asked for its -cu11 ones on every system, fixed "
            f"in 1.13.1). Leave them out on a Mac (or mark them {marker}), re-lock, and install "
            "plain torch from PyPI: its macOS arm64 wheel has MPS and needs none of them."
        )
        return cause, Fix(text, ('python -m pip install "torch"',))
    text = (
        f"{name} is for NVIDIA GPUs only: on a Mac leave it out (mark it {marker}) and run "
        "the code's MPS or CPU path instead."
    )
    return cause, Fix(text)


def release_without_mac_wheel(
    release: ReleaseWithoutMacWheel, python: str | None
) -> tuple[str, Fix]:
    """uv: one release of a package other than torch has no wheel for this Mac's interpreter."""
    name, version = release.name, release.version
    for_python = f" and Python {python}" if python else ""
    cause = (
        f"The install asks for {name} {version}, which has no wheel for this Mac "
        f"({release.tag}{for_python}) and no source distribution: uv says that release has "
        f"wheels only for {', '.join(release.platforms)}, so nothing can be installed here and "
        "the environment, PyTorch's included, is not set up. Either that release ships no "
        "macOS wheels at all, or none for this Python version."
    )
    marker = _not_on_macos(name)
    text = (
        f"Ask for a release of {name} that ships macOS arm64 wheels for this Python (PyPI's "
        f"files page lists them), or use a Python it has them for; if the package is for "
        f"NVIDIA GPUs only, leave it out on a Mac ({marker}) and re-lock."
    )
    return cause, Fix(text, (f"uv lock --upgrade-package {name}", "uv sync"))


def no_release_here(
    refusal: NoRelease, python: str | None, intel_only: Run | None = None
) -> tuple[str, Fix]:
    """pip on a Mac found no release at all of a package other than torch; `intel_only`: the
    newest of its macOS wheels where PyPI has x86_64 ones only."""
    name, requirement = refusal.name, refusal.requirement
    for_python = f" with Python {python}" if python else ""
    cause = (
        f"pip found no release of {requirement} at all that installs on this Mac{for_python} "
        f'("from versions: none"): {name} publishes no wheel for macOS on this chip for this '
        "Python and no source distribution it could build, so the install stops and the "
        "environment, PyTorch's included, is not set up. Many packages built for NVIDIA GPUs or "
        "for Linux only (decord, pyg-lib) have no Apple silicon build."
    )
    if intel_only is not None:
        cause += (
            f" PyPI has {name}'s macOS wheels for Intel (x86_64) only, the newest {intel_only.last}"
            f" for Python {intel_only.pythons()}: a native arm64 Python on Apple silicon finds "
            f"none (an x86_64 one under Rosetta would, but gets no torch past {LAST_X86_64} "
            "and no MPS)."
        )
    marker = _not_on_macos(name)
    text = (
        f"Look at {name}'s files on PyPI (or its own index): if no macosx_*_arm64 wheel is there "
        f"for your Python, this Mac cannot install it - leave it out on macOS ({marker}) where "
        "the code runs without it, use a Mac alternative or a Python it has wheels for, or "
        "build it from source where the project documents how."
    )
    return cause, Fix(text, (f"python -m pip index versions {name}",))


def cuda_itself_refused(name: str) -> tuple[str, Fix]:
    """pip on a Mac found no release of NVIDIA's CUDA package itself (cuda, cuda-python)."""
    return (
        f"pip found no {name} for this Mac: {name} is NVIDIA's CUDA, which exists for NVIDIA "
        "GPUs on Linux and Windows only, and no Mac has one. A Mac needs no CUDA package: "
        "PyTorch reaches the Apple GPU through MPS. Nothing is missing from the environment "
        "for that.",
        Fix(
            f"Do not install {name} on the Mac; run the code with device 'mps' (or 'cpu'). Where a "
            "guide or a tool asks for CUDA, look for its Mac (MPS or CPU) instructions.",
            (CHECK_MPS_AVAILABLE,),
        ),
    )


def pin_past_list(refusal: PinPastList, python: str | None) -> tuple[str, Fix]:
    """pip on a Mac lists a package other than torch only up to a release below the one asked
    for."""
    name, requirement = refusal.name, refusal.requirement
    for_python = f" with Python {python}" if python else ""
    cause = (
        f"pip finds no {requirement} that installs on this Mac{for_python}: its list of "
        f"{name} releases for this interpreter ends at {refusal.newest_listed}, so the release "
        "asked for publishes no wheel for macOS on this chip for this Python (and no source "
        "distribution pip could build), and the install stops with PyTorch's environment not "
        "set up. Packages built for NVIDIA GPUs or Linux first (bitsandbytes) often stop "
        "shipping macOS builds, or ship them late."
    )
    text = (
        f"Look at the files of {requirement} on PyPI: if no macosx_*_arm64 wheel is there for "
        f"your Python, pin {name}=={refusal.newest_listed} (the newest this Mac can install), "
        f"use a Python the release has wheels for, or leave it out on macOS "
        f"({_not_on_macos(name)}) where the code runs without it."
    )
    return cause, Fix(text, (f"python -m pip index versions {name}",))


def _not_on_macos(name: str) -> str:
    """The requirement marker that leaves a package out on macOS, as the fixes quote it."""
    return f"`{name}; sys_platform != 'darwin'`"


def platform_not_declared(subdir: str) -> tuple[str, Fix]:
    """pixi: the project's manifest lists platforms without this Mac's."""
    return (
        f"The project does not declare {subdir} among its platforms, so pixi will not install "
        "it on this Mac; projects that list only linux-64 usually depend on CUDA packages too.",
        Fix(
            f"Add the platform (`pixi project platform add {subdir}`) and replace CUDA-only "
            "packages (pytorch-gpu, pytorch-cuda, cudatoolkit) with plain pytorch for it.",
            (f"pixi project platform add {subdir}",),
        ),
    )


def pin_before_arm64_wheels(pinned: str) -> tuple[str, Fix]:
    """pip on Apple silicon refused a torch older than the first macOS arm64 wheel."""
    return (
        f"The install pins torch {pinned}, older than any macOS arm64 wheel on PyPI (the first "
        "is 1.9.0, for Python 3.8 and 3.9): pip finds nothing for this Apple silicon Mac, and a "
        "torch that old has no MPS anyway (MPS came with 1.12).",
        Fix(
            "Lift the pin to a current torch (its macOS arm64 wheel has MPS), updating the code "
            "that needed the old release, or run that old code on Linux or an Intel Mac.",
            ('python -m pip install "torch"',),
        ),
    )


def intel_mac_newest_torch(command: str) -> tuple[str, Fix]:
    """An install of the newest torch failed on an Intel Mac."""
    return (
        f"This is an Intel Mac (x86_64): PyTorch publishes no macOS x86_64 wheels after "
        f"{LAST_X86_64}, so `{command}`, which asks for a newer release (unpinned: the newest), "
        "finds no wheel for this machine.",
        Fix(
            f"Pin torch=={LAST_X86_64} (with numpy<2) on this Mac, or use an Apple silicon Mac or "
            "Linux for current PyTorch; MPS on an Intel Mac needs a discrete AMD GPU anyway.",
            (f'uv add "torch=={LAST_X86_64}" "numpy<2"',),
        ),
    )


def cuda_torch_not_a_mac(version: str) -> tuple[str, Fix]:
    """A +cuXXX / +rocmX torch in use, MPS in question (verify.diagnosis.placement.pc_finding)."""
    return (
        f"The torch in use is {version}, a CUDA / ROCm build: PyTorch publishes those for Linux "
        "and Windows only, so this machine is not a Mac, and MPS (Apple Metal) does not exist "
        "here: code that picks or checks 'mps' must fall back to CUDA or the CPU.",
        Fix(
            "Use device='cuda' (or the app's CUDA option); where the app's own MPS check fails on "
            "this torch, update the app or guard the check with hasattr(torch.backends, 'mps').",
            ('python -c "import torch; print(torch.__version__, torch.cuda.is_available())"',),
        ),
    )


def bad_cpu_type_on_apple_silicon() -> tuple[str, Fix]:
    """macOS refused an executable on an Apple chip: an x86_64-only binary, no Rosetta 2."""
    cause = (
        'macOS refused to run an executable here ("Bad CPU type in executable"): on this '
        "Apple-silicon Mac that is a binary built for Intel (x86_64) only, and Rosetta 2, which "
        "would translate it, is not installed. The tool or installer that ships it was built "
        "for the other architecture, so the environment, PyTorch's included, does not get set "
        "up or started."
    )
    fix = Fix(
        "Use the tool's arm64 (Apple silicon) build, or one built as universal2; if only an "
        "Intel build exists, install Rosetta 2 to run it (an Intel Python then gets no torch "
        "past 2.2.2 and no MPS: keep PyTorch itself in a native arm64 Python).",
        ("softwareupdate --install-rosetta --agree-to-license", 'file "$(which python3)"'),
    )
    return cause, fix


def macos_below_mps(version: str) -> tuple[str, Fix]:
    """A Mac on a macOS older than MPS's floor where the paste shows no MPS attempt: what that
    macOS leaves out (verify.messages.macos_too_old_for_mps's facts), said as a warning (the
    paste may be about something else)."""
    cause, fix = macos_too_old_for_mps(version, compat.macos_floors())
    return (
        f"{cause.rstrip('.')}: PyTorch cannot use the GPU here, and software built for a newer "
        "macOS (current PyTorch and other packages' wheels, apps) will not install or start on "
        "it.",
        dataclasses.replace(
            fix,
            text=f"{fix.text} Where this Mac cannot update, use the releases of the software "
            f"still built for macOS {version} (on the CPU).",
        ),
    )


def torch_not_imported() -> tuple[str, Fix]:
    """Python said "No module named 'torch'"."""
    return (
        "The Python that ran the code could not import torch (\"No module named 'torch'\"): "
        "PyTorch is not installed in that environment. Often it is another Python than the one "
        "torch was installed into (a second Python on the Mac, a virtual environment not "
        "activated, an application bundle or a tool's own environment without torch).",
        Fix(
            "Run the code with the Python that has torch, or install torch into the one that runs "
            "it, with that very interpreter (`<that python> -m pip install torch`); the commands "
            "below show which Python runs and whether it has torch.",
            (
                'python -c "import sys; print(sys.executable)"',
                "python -m pip show torch",
            ),
        ),
    )


def apple_framework_in_container(place: str) -> tuple[str, Fix]:
    """An Apple framework (Core ML, MLX) refused to run because the process is not on macOS,
    and the paste puts it in a container."""
    return (
        f"This runs in a container ('{place}'), and a container runs Linux whatever machine hosts "
        "it: Core ML, Metal and MPS exist on macOS itself only, so the Apple framework that "
        "refused here cannot reach them from inside it.",
        Fix(
            "Run the step that needs the Apple framework (Core ML prediction, MLX, MPS) on macOS "
            "itself, outside the container; keep the container for conversion and CPU work."
        ),
    )
