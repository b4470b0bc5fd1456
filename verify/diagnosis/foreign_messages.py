"""Causes and fixes for a build for another platform installed or loaded on a Mac (issue 12), in
verify/messages.py's voice (verify.diagnosis.foreign_rows)."""

from __future__ import annotations

from verify.model import Fix

_SDPA = "most projects run without it, on torch's own scaled_dot_product_attention, which MPS runs"


def cuda_build(package: str, source: str) -> tuple[str, Fix]:
    """pip on a Mac compiled a package that has no macOS wheel and needs CUDA to build."""
    if not package:
        return (
            "A CUDA extension was being compiled here and the build found no CUDA toolkit (nvcc "
            "/ CUDA_HOME): no Mac has CUDA, so the code that builds it (a project's CUDA "
            "operators, an extension it compiles at import) cannot run on a Mac as it is. "
            "PyTorch itself is not the problem.",
            Fix(
                "Leave the CUDA-only package out on macOS (a requirement marker `; sys_platform "
                f"!= 'darwin'`, or the project's Mac requirements); {_SDPA}.",
            ),
        )
    return (
        f"pip found no macOS wheel of {package} and compiled it from source, and its build needs "
        f"CUDA (nvcc), which no Mac has: {package} is for NVIDIA GPUs"
        + (f" ({source})" if source else "")
        + ", so it cannot be installed on a Mac and the environment is not set up.",
        Fix(
            f"Leave {package} out on macOS: require `{package}; sys_platform != 'darwin'` (or "
            f"use the project's Mac requirements); {_SDPA}.",
        ),
    )


def source_build(package: str, python: str | None, apple_chip: bool = True) -> tuple[str, Fix]:
    """pip or uv on a Mac compiled a package from source, and the build failed; `apple_chip`:
    the paste shows an Apple chip (else the Mac's chip is not known)."""
    name = package or "a package"
    for_python = f"Python {python}" if python else "this Python"
    mac, wheel, wheel_tag = (
        ("this Apple-silicon Mac", "macOS arm64 wheel", "macosx_*_arm64")
        if apple_chip
        else ("this Mac", "macOS wheel for this Mac's chip", "macOS")
    )
    return (
        f"The installer compiled {name} from source on {mac}, and the build failed: the "
        f"release it picked has no {wheel} for {for_python}, so the environment, PyTorch's "
        "included, is not set up. An old pin (a release from before arm64 wheels) or a package "
        "with no Apple silicon build at all does this.",
        Fix(
            f"Look at the files of {name} on PyPI: pin a release that has a {wheel_tag} wheel "
            "for your Python (or use a Python it has wheels for, or conda-forge's osx-arm64 "
            "build); otherwise install the compiler tools it needs (`xcode-select --install`) "
            "and follow its build notes for macOS.",
            (f"python -m pip index versions {package}",) if package else (),
        ),
    )


def model_code_needs_cuda_package(package: str, asker: str = "model") -> tuple[str, Fix]:
    """A model's own code imports a package that cannot be built on a Mac, or the attention
    backend the code chose in diffusers needs one (`asker`: "model" / "attention_backend")."""
    name = package or "the CUDA package"
    if asker == "attention_backend":
        return (
            f"The code chose diffusers' flash attention backend, which needs {name}, and {name} "
            "cannot be installed on a Mac: its build needs CUDA (nvcc), which no Mac has. "
            "PyTorch itself is not the problem.",
            Fix(
                f"Do not install {name} on the Mac: leave diffusers' attention backend at its "
                "default, or set the native one (`set_attention_backend('native')`, PyTorch's "
                "scaled_dot_product_attention, which runs on MPS); in an application, its "
                "attention option.",
            ),
        )
    return (
        f"The model's own code imports {name}, and {name} cannot be installed on a Mac: its "
        "build needs CUDA (nvcc), which no Mac has. PyTorch itself is not the problem.",
        Fix(
            f"Do not install {name} on the Mac: run the model with its attention implementation "
            "that does not use it (often `attn_implementation='sdpa'` or 'eager', or the "
            "project's own switch), or a revision of the model code that imports it only when "
            "asked.",
        ),
    )


def cuda_import(package: str, platforms: tuple[str, ...], source: str) -> tuple[str, Fix]:
    """Python on a Mac could not import a package no Mac can install: one PyPI has no macOS
    build of (`platforms`: those its wheels are for) or one whose build needs CUDA (`source`:
    where its project says so)."""
    if platforms:
        why = f"PyPI has never had a macOS build of it (its wheels are for {', '.join(platforms)})"
    else:
        why = "its build needs CUDA (nvcc), which no Mac has" + (f" ({source})" if source else "")
    return (
        f"Python could not import {package}, and {package} cannot be installed on a Mac: {why}. "
        f"The code that imports it is a path for NVIDIA GPUs, which does not run on a Mac as it "
        "is; PyTorch itself is not the problem.",
        Fix(
            f"Use the project's path that does not need {package} on a Mac (its CPU / MPS or "
            f"non-CUDA option, a release that imports {package} only on Linux), or ask the "
            f"project to make the import optional on macOS; do not try to install {package} "
            "here.",
        ),
    )


def not_mach_o(package: str, library: str) -> tuple[str, Fix]:
    """dyld refused a library that is no Mach-O file: a Linux (ELF) build on a Mac."""
    what = f"{package}'s {library}" if package else library
    owner = package or "the package"
    return (
        f"macOS's loader refused {what}: it is not a Mach-O file, i.e. a library built for "
        f"another system (Linux's ELF), so {owner} was installed from a build for Linux, not "
        "for this Mac, and cannot load here.",
        Fix(
            f"Uninstall {owner} and install a macOS build of it if its project publishes one "
            "(`pip download --only-binary=:all:` shows what PyPI has for this Mac); if it ships "
            "no macOS build, the feature that needs it does not run on a Mac.",
            (f'python -m pip uninstall -y "{owner}"',) if package else (),
        ),
    )


def foreign_wheel(wheel: str, package: str, os_name: str) -> tuple[str, Fix]:
    """pip on a Mac refused another package's wheel built for Linux / Windows."""
    return (
        f"pip refused {wheel}, a wheel of {package} built for {os_name}: no Mac can install it "
        "(a requirements file or command pinned the Linux / Windows build, often a +cuXXX one), "
        "so the environment is not set up.",
        Fix(
            f"On a Mac require {package}'s macOS build by version from PyPI (or leave it out "
            f"there): give the {os_name} wheel's line a `sys_platform != 'darwin'` marker.",
        ),
    )


def linux_only(package: str) -> tuple[str, Fix]:
    """A package refusing, in its own words, any system but Linux, on a Mac."""
    return (
        f"{package} runs only on Linux, as the paste says (its own installer's or import's "
        f"check, or a sentence): the {package} installed or asked for here does not run on a "
        "Mac, so what needs it cannot start. PyTorch itself is not the problem.",
        Fix(
            f"Run {package} on a Linux machine; on the Mac, use a path without it (the "
            "project's other backend, or the model through PyTorch on MPS directly), or a "
            f"release of {package} that its documentation says supports macOS.",
        ),
    )


def linked_wrong_format(library: str) -> tuple[str, Fix]:
    """GNU ld refused a LibTorch library as another format, in Linux on an Apple chip."""
    return (
        f"The linker refused {library} ('file in wrong format'): it is built for another CPU "
        "than this Linux. A container or VM on an Apple silicon Mac runs arm64 (aarch64) Linux "
        "unless it is started as linux/amd64, so a LibTorch built for x86_64 Linux does not "
        "link there, and nothing that needs it builds.",
        Fix(
            "Use a LibTorch built for aarch64 Linux in the container (build it from source where "
            "none is published), or start the container as linux/amd64 (`docker run --platform "
            "linux/amd64`, emulated and slower); on the Mac itself, use the macOS arm64 LibTorch "
            "(Metal does not reach a container in any case).",
        ),
    )


def image_platform(emulated: bool) -> tuple[str, Fix]:
    """Docker on an Apple silicon Mac with an application image built for amd64 only."""
    said = (
        "The application's Docker image is built for linux/amd64 and this Mac's Docker runs "
        "linux/arm64: Docker runs it under emulation, slowly, and native code in it (PyTorch "
        "among it) may crash there"
        if emulated
        else "Docker found no linux/arm64 build of the application's image (no matching "
        "manifest): it is published for other platforms only (most often linux/amd64), so on an "
        "Apple silicon Mac it does not pull and nothing in it runs"
    )
    return (
        f"{said}. PyTorch itself is not the problem; no container reaches the Mac's GPU in any "
        "case (Metal does not pass into Docker).",
        Fix(
            "Use an arm64 build of the image (ask the project for one, or build it from its "
            "Dockerfile on the Mac), or install the application natively on the Mac, where "
            "PyTorch can use MPS; running the amd64 image with `--platform linux/amd64` (or "
            "`platform: linux/amd64` in docker-compose.yml) works only under emulation.",
        ),
    )
