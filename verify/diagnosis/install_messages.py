"""Causes and fixes for what installers' refusals give away (issue 12), in verify/messages.py's
voice: a release with no wheel for this Python's tag, a torch / LibTorch asked for past the last
macOS x86_64 build, an extension module built for the other architecture, MPS asked about on a
server that is not a Mac."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from verify.diagnosis.paste.pyremoved import DATACLASS_CHECK
from verify.messages import CHECK_PYTHON_ARCH
from verify.model import Fix

if TYPE_CHECKING:
    from verify.diagnosis.paste.pyremoved import PythonRemoved

LAST_X86_64 = "2.2.2"
X86_DEPRECATION = "https://dev-discuss.pytorch.org/t/pytorch-macos-x86-builds-deprecation-starting-january-2024/1690"
_ARCH_PRINTS = {"arm64": "arm64", "x86_64": "i386"}  # `arch`'s words for each


def no_wheel_for_python_tag(
    package: str, release: str, tag: str, tags: tuple[str, ...], python: str | None
) -> tuple[str, Fix]:
    """uv: the release has wheels for other Python tags only."""
    who = f"Python {python} (`{tag}`)" if python else f"this interpreter's tag `{tag}`"
    listed = ", ".join(tags)
    only_free_threaded = f"{tag}t" in tags and all(t.endswith("t") for t in tags)
    kind = (
        f"only for the free-threaded build ({listed}), not the regular interpreter"
        if only_free_threaded
        else f"only for {listed}"
    )
    return (
        f"The installer finds no {package} {release} wheel for {who}: that release has wheels "
        f"{kind}, so it cannot be installed into this Python.",
        Fix(
            f"Use a Python that {package} {release} has wheels for (uv: `uv venv --python X.Y`, "
            f"or `uv python pin X.Y`), or allow a newer {package} release that has `{tag}` "
            "wheels; PyTorch's companion packages (torchvision, torchaudio) often get a new "
            "Python's wheels later than torch.",
        ),
    )


def x86_64_libtorch(release: str, url: str) -> tuple[str, Fix]:
    """A binding (tch-rs, torch.rb, ...) downloads LibTorch for macOS x86_64 past 2.2.2."""
    return (
        f"The build downloads LibTorch {release} for macOS x86_64 ({url}): PyTorch publishes no "
        f"macOS x86_64 builds after {LAST_X86_64} (wheels or LibTorch), so that file does not "
        "exist. The toolchain builds for x86_64: an Intel Mac, or an x86_64 (Rosetta) shell or "
        "toolchain on an Apple silicon Mac.",
        Fix(
            f"On an Intel Mac use the binding's release for LibTorch <= {LAST_X86_64}, or a "
            "LibTorch built from source (Homebrew's pytorch formula); on an Apple silicon Mac "
            "build natively for arm64 (an arm64 terminal and toolchain), which downloads "
            "libtorch-macos-arm64.",
            ("uname -m", "sysctl -n machdep.cpu.brand_string"),
            X86_DEPRECATION,
        ),
    )


def intel_mac_asks_past_x86_64(asked: str) -> tuple[str, Fix]:
    """An Intel Mac and a torch / LibTorch release past 2.2.2 asked for."""
    return (
        f"This is an Intel Mac (x86_64) and the project asks for torch / LibTorch {asked}: "
        f"PyTorch publishes no macOS x86_64 builds after {LAST_X86_64} (PyPI wheels, conda's "
        "pytorch channel, LibTorch downloads), so that release cannot be installed here.",
        Fix(
            f"Pin the project (or the binding) to a release built on torch <= {LAST_X86_64}, or "
            "build PyTorch / LibTorch from source (Homebrew's pytorch formula); current PyTorch "
            "needs an Apple silicon Mac or Linux. MPS on an Intel Mac needs a discrete AMD GPU "
            "anyway.",
            (f'pip install "torch=={LAST_X86_64}" "numpy<2"',),
            X86_DEPRECATION,
        ),
    )


def intel_mac_installs(command: str) -> tuple[str, Fix]:
    """An Intel Mac installing a package, its failure not shown or not naming torch."""
    return (
        f"This is an Intel Mac (x86_64), and the paste installs a package (`{command}`): "
        f"PyTorch publishes no macOS x86_64 builds after {LAST_X86_64}, so a package that needs "
        "a newer torch cannot be installed here (the usual reason such an install fails on an "
        "Intel Mac), and MPS on an Intel Mac needs a discrete AMD GPU anyway.",
        Fix(
            f"Install a release of the package that accepts torch<={LAST_X86_64} (pin torch "
            f"and numpy<2 with it), or use an Apple silicon Mac or Linux for current PyTorch.",
            (f'pip install "torch=={LAST_X86_64}" "numpy<2"',),
            X86_DEPRECATION,
        ),
    )


def intel_mac_arm64_only(name: str, floor: str) -> tuple[str, Fix]:
    """An Intel Mac where pip found nothing of a package built for Apple silicon only."""
    return (
        f"This is an Intel Mac (x86_64), and {name} publishes macOS wheels for Apple silicon "
        f"only (arm64, macOS {floor} and later; no x86_64 wheel and no source distribution on "
        "PyPI): pip on an Intel Mac finds no release of it at all. It needs an Apple-silicon "
        "Mac, as PyTorch's MPS does (an Intel Mac has MPS only with a discrete AMD GPU, up to "
        f"torch {LAST_X86_64}).",
        Fix(
            f"Run the project on an Apple-silicon Mac; on this Mac leave {name} out where the "
            "project offers a CPU or CUDA path without it, or use Linux for it.",
            (f"python -m pip index versions {name}",),
        ),
    )


def conda_plans_torch_before_mps(version: str, channel: str) -> tuple[str, Fix]:
    """conda's plan on Apple silicon installs a pytorch release older than MPS."""
    return (
        f"conda's plan installs pytorch {version} from {channel} (osx-arm64), a release older "
        "than the MPS backend (PyTorch 1.12): the channel asked for had no build that fits, so "
        "the solver took an old one and torch will run on the CPU only.",
        Fix(
            "Install a current torch with pip in this environment (PyTorch publishes no conda "
            "packages since 2.5), or ask conda-forge for a pytorch >= 1.12 explicitly.",
            ("python -m pip install torch", "conda install -c conda-forge 'pytorch>=2'"),
        ),
    )


def libtorch_other_arch(have: str, need: str) -> tuple[str, Fix]:
    """The linker ignored LibTorch's dylibs: they were built for the other architecture."""
    return (
        f"The LibTorch this build links is an {have} build while the build targets {need}: the "
        'linker ignores its dylibs ("ignoring file ... libtorch.dylib"), so torch\'s symbols '
        "are undefined.",
        Fix(
            f"Use a LibTorch built for {need}: download libtorch-macos-{need} (or point LIBTORCH "
            f"at an {need} pip-installed torch, with LIBTORCH_USE_PYTORCH=1 for tch-rs) and "
            "rebuild from a clean target directory.",
            ("uname -m", "file $LIBTORCH/lib/libtorch.dylib"),
        ),
    )


def libtorch_undefined_arm64() -> tuple[str, Fix]:
    """The linker found none of LibTorch's symbols for arm64; the file it ignored not shown."""
    return (
        "The linker finds LibTorch's symbols undefined for arm64: the LibTorch this build links "
        "most likely has no arm64 code. PyTorch's macOS LibTorch download was an x86_64 build "
        "before 2.2.0 (libtorch-macos-arm64 since), and ld ignores a dylib of the other "
        "architecture.",
        Fix(
            "Check the dylib's architecture; if it says x86_64, use an arm64 LibTorch "
            "(libtorch-macos-arm64, 2.2.0 or later, or the lib folder of an arm64 pip-installed "
            "torch) and rebuild from a clean build directory.",
            ("uname -m", "lipo -info $LIBTORCH/lib/libtorch.dylib"),
        ),
    )


def extension_other_arch(have: str, need: str) -> tuple[str, Fix]:
    """dyld refused a compiled module of another package built for the other architecture."""
    return (
        f"A compiled module in this environment was built for {have} while this Python runs "
        f"{need}, so it cannot be loaded: the package was built or installed from an {have} "
        f"shell (a Terminal under Rosetta, an x86_64 conda or Homebrew), from a cache of such "
        f"builds, or that release publishes no {need} build.",
        Fix(
            f"Reinstall the package from a native {need} shell, without the cache, so pip builds "
            f"or fetches the {need} build (`arch` must print {_ARCH_PRINTS.get(need, need)}).",
            ("arch", "python -m pip install --force-reinstall --no-cache-dir PACKAGE"),
        ),
    )


def no_matching_wheel_x86_64(requirement: str, python: str) -> tuple[str, Fix]:
    """No wheel of a release that ships this Python's wheels for macOS arm64, Linux and Windows:
    the interpreter's platform is one PyTorch builds nothing past 2.2.2 for."""
    return (
        f"The installer skips every wheel of {requirement}, which ships Python {python} wheels "
        "for macOS arm64, Linux and Windows: this interpreter's platform has none, and the "
        f"usual one is macOS x86_64, where PyTorch's builds end at {LAST_X86_64} (an Intel Mac, "
        "or an x86_64 Python under Rosetta on Apple silicon).",
        Fix(
            "Check the interpreter's architecture. On an Apple silicon Mac install a native arm64 "
            "Python and recreate the environment; on an Intel Mac pin torch<=2.2.2 (with "
            "numpy<2) or build from source.",
            (CHECK_PYTHON_ARCH, "sysctl -n machdep.cpu.brand_string"),
            X86_DEPRECATION,
        ),
    )


def intel_mac_python_past_x86_64(python: str, covered: str) -> tuple[str, Fix]:
    """An Intel Mac's installer found no torch at all for a Python newer than 2.2.2's wheels."""
    return (
        f"This is an Intel Mac (x86_64) with Python {python}: PyTorch's last macOS x86_64 "
        f"release, {LAST_X86_64}, has wheels for Python {covered} only, so the installer finds "
        "no torch release at all for this Python here.",
        Fix(
            f"On this Mac use a Python in {covered} with torch<={LAST_X86_64} (and numpy<2), or "
            "run on an Apple silicon Mac (on GitHub Actions: macos-14 or newer, arm64) for "
            "current PyTorch.",
            (f'pip install "torch=={LAST_X86_64}" "numpy<2"',),
            X86_DEPRECATION,
        ),
    )


def cloud_server_no_mps(os_name: str, where: str) -> tuple[str, Fix]:
    """MPS code run on a cloud machine that is not a Mac."""
    return (
        f"This is a cloud machine ({where}) running {os_name}: MPS (Apple Metal) exists only on "
        "macOS with Apple silicon, so no torch release gives it MPS; the code's MPS path cannot "
        "work here.",
        Fix(
            "Run on the CPU or the machine's CUDA GPU (device='cpu' / 'cuda'; with a torch "
            "older than 1.12 the code's `torch.backends.mps` check itself fails: upgrade torch or "
            "guard the check), or run on an Apple silicon Mac for MPS.",
            ("python -m verify",),
        ),
    )


def no_release_for_python(
    package: str, release: str, offered: tuple[str, ...], python: str | None
) -> tuple[str, Fix]:
    """pip lists only newer releases of a companion package than the one asked for."""
    who = f"Python {python}" if python else "this interpreter's Python"
    return (
        f"pip finds no {package} {release} for {who}: the releases it can install start at "
        f"{offered[0]} ({', '.join(offered)}, ...), so {release} has no wheel for this Python "
        "(newer than that release supports).",
        Fix(
            f"Use a Python that {package} {release} has wheels for, or the {package} release "
            "paired with a torch that supports this Python (torchvision 0.N pairs with torch "
            "2.(N-15), torchaudio follows torch's numbers).",
        ),
    )


def requires_other_python(
    package: str, release: str | None, spec: str, python: str | None
) -> tuple[str, Fix]:
    """The installer skipped (or refused) a release: its Requires-Python excludes this
    interpreter; `release` None where the installer did not name it."""
    who = f"Python {python}" if python else "this interpreter's Python"
    if release is None:
        said = (
            f"{package} cannot be installed into this environment: it requires Python {spec}, "
            f"which {who} is not (the installer or its own build says so)."
        )
    else:
        said = (
            f"pip skipped {package} {release} because it requires Python {spec}, which {who} "
            "is not: that release cannot be installed into this environment."
        )
    return (
        said,
        Fix(
            f"Install it with a Python in {spec}: a new environment (`uv venv --python X.Y`, "
            "`conda create -n env python=X.Y`), or for a pipx app `pipx install --python "
            f"python3.X {package}`; or ask for another {package} release that supports this "
            "Python.",
        ),
    )


def python_prerelease(version: str) -> tuple[str, Fix]:
    """The interpreter is an alpha or beta ("3.11.0a6")."""
    line = ".".join(version.split(".")[:2])
    return (
        f"This interpreter is Python {version}, a pre-release of Python {line}: wheels for "
        f"Python {line} (torch's among them) are built against its final C API, which changes "
        "until the first release candidate, so their compiled modules may fail to load "
        '("symbol not found") or crash here.',
        Fix(
            f"Install a released Python (the newest {line}.x, or an earlier minor this PyTorch "
            "supports) and recreate the environment with it.",
            (f"uv python install {line}", f"uv venv --python {line}"),
        ),
    )


def python_removed(gone: PythonRemoved, python: str | None) -> tuple[str, Fix]:
    """The code met a Python that removed what it imports, or its own guard refused the Python
    (verify.diagnosis.paste.pyremoved)."""
    which = f"Python {python}" if python else f"Python {gone.since} or newer"
    name = gone.package.partition("==")[0]
    if gone.what == DATACLASS_CHECK:
        said = (
            f"This interpreter ({which}) refuses a dataclass field whose default is an unhashable "
            f"object, a check Python {gone.since} added, and the code still has one: that code "
            f"predates Python {gone.since}."
        )
    elif gone.what:
        code = f"{gone.package}, which pip builds from source here," if name else "the code"
        said = (
            f"This interpreter ({which}) no longer has {gone.what}, removed in Python "
            f"{gone.since}, and {code} still uses it: that code predates Python {gone.since} "
            "(a release with no wheel for this Python gets built from source, and the build "
            "fails)."
        )
    else:
        said = (
            f"The code that ran refuses {which} by its own check: it does not support this "
            "Python yet, whatever else is right."
        )
    major, _, minor = gone.since.partition(".")
    older = f"{major}.{int(minor) - 1}"
    newer = f"a newer {name} release" if name else "a newer release of the package"
    return (
        said,
        Fix(
            f"Use a Python older than {gone.since} for it (a new environment: `uv venv --python "
            f"{older}`, `conda create -n env python={older}`), or {newer} that supports this "
            "Python.",
            ("python --version",),
        ),
    )


def python_said_no_wheels(
    release: str, python: str, covered: str | None, first: str | None
) -> tuple[str, Fix]:
    """The thread says torch (a release) has no wheels for this Python (.paste.wheelsaid)."""
    what = f"torch {release}" if release else "PyTorch"
    have = f" (its wheels cover Python {covered})" if release and covered else ""
    since = f"; torch's wheels for Python {python} start with {first}" if first else ""
    return (
        f"{what} has no wheels for Python {python}{have}, as the report says{since}: pip / uv "
        "find no torch to install into this Python, whatever else is right.",
        Fix(
            f"Use a Python that {what} has wheels for (a new venv: `uv venv --python X.Y`, "
            "`conda create -n env python=X.Y`)"
            + (
                f", or require torch>={first}, the first with Python {python} wheels"
                if first
                else ""
            )
            + ".",
            ("python --version", "python -m pip index versions torch"),
        ),
    )


def intel_mac_said_dropped() -> tuple[str, Fix]:
    """The thread says PyTorch publishes no Intel Mac (macOS x86_64) builds (.paste.wheelsaid)."""
    return (
        "This is an Intel Mac (x86_64), as the report says: PyTorch publishes no macOS x86_64 "
        f"builds after {LAST_X86_64} (PyPI wheels, the pytorch conda channel, LibTorch), so a "
        "project needing a newer torch cannot install it here, and MPS on an Intel Mac needs a "
        "discrete AMD GPU anyway.",
        Fix(
            f"Pin torch<={LAST_X86_64} (with numpy<2) on this Mac, or build PyTorch from source "
            "(Homebrew's pytorch formula); current PyTorch needs an Apple silicon Mac or Linux.",
            (CHECK_PYTHON_ARCH, f'pip install "torch=={LAST_X86_64}" "numpy<2"'),
            X86_DEPRECATION,
        ),
    )


def wheel_for_other_os(wheel: str, os_name: str) -> tuple[str, Fix]:
    """pip on a Mac refused a wheel built for Linux / Windows (.paste.refused)."""
    return (
        f"pip refused {wheel}, a wheel built for {os_name}: no Mac can install it (a "
        "requirements file or command pinned the Linux / Windows build, often a +cuXXX one).",
        Fix(
            "On a Mac install torch from PyPI by version, not by a Linux / Windows wheel's URL or "
            "file; PyPI's macOS arm64 wheel has MPS.",
            ('python -m pip install "torch"',),
        ),
    )


def wheel_for_other_python(
    wheel: str, wheel_python: str, python: str, package: str = "torch"
) -> tuple[str, Fix]:
    """pip refused a macOS wheel built for another CPython than the interpreter (.paste.refused)."""
    return (
        f"pip refused {wheel}: the wheel is built for CPython {wheel_python} and this "
        f"interpreter is Python {python}, so its tags do not match.",
        Fix(
            f"Install the wheel built for Python {python} (its cp3XX tag must match), or let pip "
            f"pick it (`pip install {package}==VERSION`), or use the Python the wheel is for.",
            ("python --version", "python -m pip debug --verbose"),
        ),
    )


def python_ceiling(
    *,
    requirement: str,
    newest_offered: str,
    pythons: tuple[str, ...],
    python_shown: bool,
    wanted: str,
    wanted_pythons: str,
    platform: str,
) -> tuple[str, Fix]:
    """pip's list of torch releases ends at the last release for this Python, before the
    first release the requirement accepts (verify.diagnosis.python_ceiling)."""
    which = " / ".join(pythons)
    if python_shown:
        python = f"Python {which}"
    else:
        python = (
            f"Python {which} (the paste does not print the Python, but only {which}'s list "
            f"ends there)"
        )
    return (
        f"pip offers this interpreter torch up to {newest_offered}, the last release with "
        f"{platform} wheels for {python}; `{requirement}` needs torch {wanted} or later, whose "
        f"wheels are for Python {wanted_pythons}. The Python is too old for what is asked.",
        Fix(
            f"Install into a Python in {wanted_pythons} (the project's installer creates one; "
            "macOS's own /usr/bin/python3 is 3.9), or ask for a torch this Python has.",
            ("nox -s install", "python3 --version"),
        ),
    )


def conda_channels_lack_arm64(wanted: str, torch_family: bool) -> tuple[str, Fix]:
    """conda / mamba on an arm64 Mac found no build of a package in its channels (torch's family:
    conda-forge has them; another package, `torch_family` False, may have no osx-arm64 build at
    all)."""
    name = re.split(r"[=<>!~ ]", wanted, maxsplit=1)[0]
    cause = (
        f"conda's solver finds no {wanted} in its channels for osx-arm64: the channels it "
        f"searched hold no Apple-silicon build of {name} (or their index lacks it), so the "
        "environment cannot be created there."
    )
    if not torch_family:
        return (
            cause,
            Fix(
                f"Look for an osx-arm64 build of {name} on conda-forge (`conda search -c "
                f"conda-forge {name}`) or install it with pip inside the environment; if it "
                "has none, ask its project for one (or build it from source).",
                (f"conda search -c conda-forge {name}",),
            ),
        )
    # a domain library beside the three (torchdata, torchtext: meta-pytorch/data#676)
    extra = "" if name in ("pytorch", "torch", "torchvision", "torchaudio") else name
    return (
        cause,
        Fix(
            "Take pytorch, torchvision and torchaudio from conda-forge, which builds them for "
            "osx-arm64, or install PyTorch's wheels with pip inside the environment"
            + (f" ({extra} too)." if extra else "."),
            (
                "conda install -c conda-forge pytorch torchvision torchaudio",
                "python -m pip install torch torchvision torchaudio"
                + (f" {extra}" if extra else ""),
            ),
        ),
    )


def binding_no_native(platform: str, release: str) -> tuple[str, Fix]:
    """A binding (DJL's PyTorch engine) found no native LibTorch for this platform."""
    of = f"PyTorch {release} " if release else "PyTorch "
    return (
        f"The binding's PyTorch engine finds no {of}native library for {platform}: the "
        "binding's release ships no LibTorch build for this platform, so PyTorch cannot load.",
        Fix(
            f"Use a release of the binding whose PyTorch engine ships {platform} libraries "
            "(DJL: a newer djl / pytorch-engine version, with its matching pytorch-native "
            "artifact), or point it at a LibTorch built for this platform.",
        ),
    )


def macos_older_than_package(macos: str | None, needed: str) -> tuple[str, Fix]:
    """A conda solver found no `__osx >=N` (the macOS a package needs) on this system."""
    this = f"this Mac runs macOS {macos}" if macos else "this Mac's macOS is older"
    return (
        f"conda's solver finds no package build for this macOS: the packages asked for need "
        f"macOS {needed} or newer (their `__osx >={needed}` requirement), and {this} (or the "
        "environment declares an older one).",
        Fix(
            f"Update macOS to {needed} or newer; where this Mac cannot, pin a release whose "
            f"builds still support macOS {macos or 'this version'}, or raise the declared "
            "system requirement (pixi's [system-requirements] macos) only if the Mac really "
            "runs that version.",
            ("sw_vers -productVersion",),
        ),
    )


def macos_older_than_wheel(
    wheel: str, needed: str, macos: str | None, machine: str | None
) -> tuple[str, Fix]:
    """pip refused an arm64 macOS wheel tagged for a newer macOS than 11 (.paste.refused
    .needs_macos): this macOS is older than its tag, or (macOS and architecture unknown) this
    Python is an x86_64 one, which takes no arm64 wheel at all."""
    refused = f"pip refused {wheel}, an arm64 wheel built for macOS {needed} and newer"
    if macos is not None or machine == "arm64":
        this = f"this Mac runs macOS {macos}" if macos else "this Mac's macOS is older"
        return (
            f"{refused}: {this}, so pip's tags for it stop below {needed}.",
            Fix(
                f"Update macOS to {needed} or newer (System Settings > General > Software "
                f"Update); where this Mac cannot, install a release of the package whose arm64 "
                f"wheels are tagged for macOS {macos or 'this version'} or older.",
                ("sw_vers -productVersion", "softwareupdate --list"),
            ),
        )
    return (
        f"{refused}: either this Mac runs a macOS older than {needed}, or this Python is an "
        "x86_64 build (under Rosetta 2 on Apple silicon), which takes no arm64 wheel at all. "
        "The paste shows neither the macOS nor the Python's architecture.",
        Fix(
            f"Run both commands: if macOS is older than {needed}, update it (System Settings > "
            "General > Software Update); if the Python prints x86_64, use a native arm64 Python "
            "(Miniforge for arm64, or python.org's / Homebrew's in /opt/homebrew) and recreate "
            "the environment.",
            ("sw_vers -productVersion", CHECK_PYTHON_ARCH),
        ),
    )
