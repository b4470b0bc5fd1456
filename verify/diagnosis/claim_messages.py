"""User-facing cause / fix texts for a cause stated in a sentence (verify.diagnosis.claim_rows,
read by verify.diagnosis.paste.claims). Each cause opens with "The report says ..." and the
sentence it rests on; the evidence quotes it again under the row."""

from __future__ import annotations

from verify import messages as core
from verify.model import Fix

_NO_X86_64_PAST = core.INTEL_MPS_LAST_TORCH  # PyPI's last macOS x86_64 torch wheel


def _said(what: str, sentence: str, verb: str = "says") -> str:
    if not sentence.endswith("..."):  # cut to a length by clues.quote: keep its dots
        sentence = sentence.rstrip(" .:;,")
    return f'The report {verb} {what}: "{sentence}"'


def float64(sentence: str) -> tuple[str, Fix]:
    cause = (
        _said("float64 (double precision) is not supported on MPS", sentence)
        + ". The MPS framework has no float64, so torch refuses a float64 (or complex128) "
        "tensor on the mps device; numpy arrays and Python floats are float64 by default."
    )
    fix = Fix(
        "Convert to float32 before moving the tensor to 'mps' (tensor.to(torch.float32), "
        "torch.from_numpy(a).float(); complex128 becomes complex64), or keep the float64 step "
        "on the CPU."
    )
    return cause, fix


def ops_missing(sentence: str) -> tuple[str, Fix]:
    cause = (
        _said("the MPS backend lacks operators the code uses", sentence)
        + ". An operator with no MPS kernel stops the run with NotImplementedError on the mps "
        "device (or runs on the CPU when PYTORCH_ENABLE_MPS_FALLBACK=1 is set)."
    )
    fix = Fix(
        "Set PYTORCH_ENABLE_MPS_FALLBACK=1 before starting Python, so such operators run on the "
        "CPU; update PyTorch (kernels are added in every release); or run the step (or tests "
        "that do not target MPS) on the CPU.",
        ("PYTORCH_ENABLE_MPS_FALLBACK=1 python your_script.py",),
        core.OP_COVERAGE_ISSUE_NEW,
    )
    return cause, fix


def dtypes(sentence: str) -> tuple[str, Fix]:
    cause = (
        _said("MPS / Metal does not support the data types it uses", sentence)
        + ". MPS has no float64; complex tensors and bfloat16 came to it only with PyTorch 2.3 "
        "on macOS 14; and several MPS operators accept fewer dtypes still (integer or complex "
        "inputs), so torch refuses the tensor's dtype there."
    )
    fix = Fix(
        "Print the dtype of the tensors of the failing step (print(t.dtype)); convert them to "
        "float32 (complex128 to complex64) before .to('mps'), or run that step on the CPU "
        "(.cpu(), then the result back with .to('mps')); on macOS 13 or PyTorch before 2.3, "
        "complex and bfloat16 need an update first.",
        ('python -c "import torch, platform; print(torch.__version__, platform.mac_ver()[0])"',),
    )
    return cause, fix


def no_arm64_build(sentence: str) -> tuple[str, Fix]:
    cause = (
        _said("a PyTorch package has no arm64 (Apple silicon) build", sentence)
        + ". Where a channel or index has no osx-arm64 / macosx_*_arm64 build of a package, a "
        "native Python cannot install it, and an x86_64 one (under Rosetta) installs the Intel "
        "build, which gets no torch past " + _NO_X86_64_PAST + "."
    )
    fix = Fix(
        "Install torch, torchvision and torchaudio from PyPI in a native arm64 Python (PyPI has "
        "macOS arm64 wheels for all three), or use a release or channel that ships osx-arm64 "
        "builds; check that the Python prints 'arm64'.",
        ("python -m pip install torch torchvision torchaudio", core.CHECK_PYTHON_ARCH),
    )
    return cause, fix


def no_mac_build(sentence: str) -> tuple[str, Fix]:
    cause = (
        _said("a package the project needs has no build for the Mac", sentence)
        + ". Where a package's index or channel has no macOS (macosx_*_arm64, osx-arm64) build "
        "of it, pip or conda finds nothing to install on this Mac, or tries to build it from "
        "source; the project's install fails on that package, not on PyTorch."
    )
    fix = Fix(
        "Leave the package out on macOS (a `; sys_platform != 'darwin'` marker) where the "
        "project can run without it, install a release or a fork that ships macOS arm64 "
        "builds where the project names one, or build it from source in a native arm64 "
        "Python; `pip download --no-deps PACKAGE` shows what the index offers this Mac.",
    )
    return cause, fix


def cuda_only_package(sentence: str) -> tuple[str, Fix]:
    cause = (
        _said("a package the project needs does not install or work on a Mac", sentence)
        + ". Packages built for NVIDIA GPUs (CUDA) or for Linux only - xformers, flash-attn, "
        "triton, bitsandbytes before its macOS builds, decord, pyg-lib - publish no macOS arm64 "
        "build, so a requirements file that lists them fails to install on a Mac, and code that "
        "imports them fails there."
    )
    fix = Fix(
        "Leave the package out on macOS (a `; sys_platform != 'darwin'` marker in the "
        "requirements) and run the code's path without it (most projects make xformers / "
        "flash-attn optional; PyTorch's own scaled_dot_product_attention runs on MPS), or use "
        "a Mac build or alternative where the project names one."
    )
    return cause, fix


def linux_conda_env(sentence: str) -> tuple[str, Fix]:
    cause = (
        _said("the project's conda environment file is a Linux one", sentence)
        + ". A `conda env export` pins each package's build for the platform it ran on (Linux "
        "build strings, Linux-only packages such as cudatoolkit or libgcc), and conda cannot "
        "find those builds for osx-arm64 / osx-64, so the environment cannot be created on a Mac."
    )
    fix = Fix(
        "Create the environment from the packages' names only: export it with `conda env export "
        "--from-history` (no builds), drop the build strings and the Linux / CUDA packages, or "
        "use the project's macOS environment file where it has one.",
        ("conda env export --from-history",),
    )
    return cause, fix


def cuda_torch_build(sentence: str) -> tuple[str, Fix]:
    cause = (
        _said("a CUDA build of PyTorch is asked for on a Mac", sentence)
        + ". PyTorch's CUDA builds (+cu1xx wheels from download.pytorch.org, conda's "
        "pytorch-cuda and cudatoolkit) exist for Linux and Windows only; on macOS the plain "
        "torch wheels are the ones, and their arm64 builds carry MPS."
    )
    fix = Fix(
        "On macOS install plain torch (no CUDA index URL, no +cu1xx pin, no pytorch-cuda or "
        "cudatoolkit): give the CUDA pin a `; sys_platform != 'darwin'` marker, or keep a "
        "separate requirements / environment file for Macs.",
        ("python -m pip install torch torchvision torchaudio",),
    )
    return cause, fix


def x86_64_python(sentence: str) -> tuple[str, Fix]:
    cause = (
        _said("the Python is an x86_64 (Intel) build or runs under Rosetta", sentence)
        + ". On Apple silicon such a Python gets no PyTorch past "
        + _NO_X86_64_PAST
        + " (the last release with macOS x86_64 wheels), none of the MPS fixes and features "
        "since, and under Rosetta torch can read macOS as 10.16 (pytorch/pytorch#146236)."
    )
    return cause, core.ROSETTA_FIX


def intel_mac(sentence: str) -> tuple[str, Fix]:
    cause = (
        _said("the machine is an Intel Mac (or an Intel macOS runner)", sentence)
        + ". PyTorch's last macOS x86_64 release is "
        + _NO_X86_64_PAST
        + ": no newer torch installs there, and MPS runs only on a discrete AMD GPU (torch "
        "skips integrated Intel graphics). GitHub's macos-13 runners are Intel, macos-14 and "
        "later are Apple silicon."
    )
    fix = Fix(
        "On an Intel Mac pin torch<=" + _NO_X86_64_PAST + " (float32/float16 on an AMD GPU, "
        "the CPU otherwise); for current PyTorch and MPS use an Apple silicon Mac, or an arm64 "
        "runner (runs-on: macos-14 or later) in CI.",
        (f'python -m pip install "torch<={_NO_X86_64_PAST}"',),
        core.GITHUB_RUNNER_LIMITS_URL,
    )
    return cause, fix


def vm_guest(sentence: str) -> tuple[str, Fix]:
    cause = (
        _said("it runs in a Windows or Linux guest of a virtual machine on a Mac", sentence)
        + ". Metal is not passed into a VM's guest, so PyTorch there has no MPS and runs on "
        "the CPU (an x86 guest even through emulation)."
    )
    return cause, _on_macos_itself("or the application's macOS build", "the VM")


def _on_macos_itself(how: str, guest: str) -> Fix:
    """Leave a guest (a VM, a container) for MPS: the software on macOS itself."""
    return Fix(
        f"For MPS, run the software on macOS itself, in a native arm64 Python ({how}); keep "
        f"{guest} for work that does not need the GPU.",
        ("nox -s install", core.CHECK_PYTHON_ARCH),
    )


def container_guest(sentence: str) -> tuple[str, Fix]:
    cause = (
        _said("it runs in a Linux container on a Mac", sentence)
        + ". Docker Desktop, Colima, OrbStack and Podman run containers in a Linux virtual "
        "machine, and Metal does not reach it: PyTorch in the container has no MPS and runs on "
        "the CPU."
    )
    return cause, _on_macos_itself("install it outside the container", "the container")


def container_on_mac(sentence: str) -> tuple[str, Fix]:
    # a question whether a container on the Mac keeps its GPU (.paste.claims' _container_on_mac)
    if sentence.rstrip().endswith("?"):
        said = _said("about running in a container, on a Mac", sentence, "asks")
        where = "If the work is to run in a container, it gets no GPU there."
    else:
        said = _said("it runs in a container, on a Mac", sentence)
        where = "If the slow or failing work runs in the container, that is why."
    cause = (
        said + ". Docker Desktop, Colima, OrbStack and Podman run containers in a Linux virtual "
        "machine, and Metal does not reach it: PyTorch in the container has no MPS (and no "
        "CUDA) and runs on the CPU. " + where
    )
    return cause, _on_macos_itself("install it outside the container", "the container")


def python_no_wheels(sentence: str) -> tuple[str, Fix]:
    # torch's or another package's wheels (dmlc/dgl#1415, triton in NVIDIA/NeMo-RL#1005)
    cause = (
        _said("PyTorch or a package it needs has no wheels for the Python in use", sentence)
        + ". pip and uv then find no build of it for that interpreter (or only older releases), "
        "whatever the Mac."
    )
    fix = Fix(
        "Use a Python the release you need has wheels for (its files on PyPI list the cpXY "
        "tags), e.g. a new environment with Python 3.12, and reinstall there.",
        ("uv venv --python 3.12", "python -m pip install torch"),
        "https://pypi.org/project/torch/#files",
    )
    return cause, fix


def python_install_fails(sentence: str) -> tuple[str, Fix]:
    cause = (
        _said("the install fails with the Python it names", sentence)
        + ". A new Python comes before the wheels of the packages a project pins (torch, its "
        "companions, numpy, av, ...): for that Python pip finds no wheel, or builds an old "
        "release from source and fails."
    )
    fix = Fix(
        "Install into a Python the project and its pins support (often one or two minors "
        "older: a new environment with `uv venv --python 3.12` or `conda create -n env "
        "python=3.12`), or raise the pins to releases with wheels for this Python.",
        ("python --version",),
    )
    return cause, fix


def torch_too_old(sentence: str) -> tuple[str, Fix]:
    cause = (
        _said("a newer PyTorch (a later release or the nightly) fixed it", sentence)
        + ". The MPS backend gains kernels, dtypes and fixes in every release, so a fault an "
        "older torch shows on MPS is often gone in a later one: the torch in use is too old "
        "for this code."
    )
    fix = Fix(
        "Upgrade torch (with torchvision and torchaudio, which must match it) in this "
        "environment, to the release the report names or the newest; an application that pins "
        "or bundles an older torch needs its pin raised. Then run the same code again.",
        (
            "python -m pip install --upgrade torch torchvision torchaudio",
            'python -c "import torch; print(torch.__version__)"',
        ),
    )
    return cause, fix


def x86_64_ceiling(sentence: str) -> tuple[str, Fix]:
    cause = (
        _said("PyTorch stops at " + _NO_X86_64_PAST + " on this Mac", sentence)
        + ". "
        + _NO_X86_64_PAST
        + " is the last release with macOS x86_64 wheels, so the Python that cannot get a newer "
        "one is an x86_64 build: on an Intel Mac, or under Rosetta on Apple silicon (an Intel "
        "Python, conda or terminal)."
    )
    fix = Fix(
        "Check what the Python is: 'arm64' on Apple silicon can install current PyTorch; "
        "'x86_64' on an Apple chip (sysctl prints 1) is Rosetta - install a native arm64 "
        "Python (python.org, Homebrew in /opt/homebrew, Miniforge arm64) and reinstall torch "
        "there; on an Intel Mac pin torch<=" + _NO_X86_64_PAST + " or move to Apple silicon.",
        (core.CHECK_PYTHON_ARCH, "sysctl -n sysctl.proc_translated"),
    )
    return cause, fix
