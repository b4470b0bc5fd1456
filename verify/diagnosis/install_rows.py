"""Rows for what installers' refusals prove beyond verify.diagnosis.resolver's torch wheels (issue
12).

Pure: a rule's row and the Pasted in, the row the paste supports (or None) out; texts in
verify.diagnosis.install_messages. verify.diagnosis.resolver.finding asks these after its own.

- host.python: a release (torch or any package an install needs: torchvision, torchaudio,
  torchcodec) with no wheel for this Python's tag (verify.diagnosis.paste.pytags), whatever the OS:
  the Python is the cause (pytorch/pytorch#172993: torchvision 0.25.0 only cp314t on macOS);
- host.python: code that meets a Python which removed what it imports (distutils, imp, audioop),
  or whose own guard refuses the Python (verify.diagnosis.paste.pyremoved);
- host.arch: a LibTorch download for macOS x86_64 past 2.2.2 (verify.diagnosis.paste.downloads): the
  toolchain builds for x86_64 (LaurentMazare/tch-rs#897);
- host.arch: an Intel Mac asked to take a torch / LibTorch release past 2.2.2 (ankane/torch.rb#59),
  where the rules pass it as "MPS not applicable";
- host.arch: a native arm64 Python whose environment holds another package's x86_64 extension
  ("mach-o file, but is an incompatible architecture (have 'x86_64', need 'arm64')" for a
  package that is not torch: rsagroup/rsatoolbox#383, built from a Terminal under Rosetta);
  torch's own library is the torch.installed row (verify.diagnosis.paste.packages);
- torch.installed: conda's plan on osx-arm64 installs a pytorch older than MPS (1.12), where no
  torch is shown installed (pytorch/pytorch#82428: the defaults channel's 1.10.2 CPU build);
- host.arch: the linker ignored LibTorch's dylibs built for the other architecture ("building for
  macOS-arm64 but attempting to link with file built for macOS-x86_64": LaurentMazare/tch-rs#440).
"""

from __future__ import annotations

import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from verify import compat
from verify.diagnosis import install_messages as msg
from verify.diagnosis.envdump import Pasted
from verify.diagnosis.paste import armonly, refused
from verify.diagnosis.paste.pyremoved import PythonRemoved
from verify.diagnosis.paste.pytags import python_of
from verify.messages import INTEL_MAC_CAUSE
from verify.model import Result, Status, failed, warned


def finding(result: Result, pasted: Pasted) -> Result | None:
    if result.id == "host.os" and result.status is not Status.FAIL:
        return _cloud_server(result, pasted)
    if result.id == "host.python" and result.status is not Status.FAIL:
        return (
            _python_prerelease(result, pasted)
            or _python_tag(result, pasted)
            or _python_required(result, pasted)
            or _python_removed(result, pasted)
            or _python_said(result, pasted)
            or _wheel_for_other_python(result, pasted)
        )
    if result.id == "torch.installed" and result.status is Status.SKIP:
        return (
            _conda_plans_old_torch(result, pasted)
            or _wheel_for_other_os(result, pasted)
            or _conda_channels_lack_arm64(result, pasted)
            or _binding_no_native(result, pasted)
        )
    if result.id == "host.macos" and result.status is not Status.FAIL:
        return _wheel_for_newer_macos(result, pasted)
    if result.id == "torch.installed" and result.status is Status.PASS:
        # torch is there; a package conda could not find beside it still failed the install
        return _conda_channels_lack_arm64(result, pasted, torch_family=False)
    if result.id == "host.arch" and result.status is Status.FAIL:
        # the rules' generic Intel Mac failure: say which release the project asked for
        if result.cause != INTEL_MAC_CAUSE:
            return None
        return (
            _intel_mac_asks(result, pasted)
            or _intel_mac_new_python(result, pasted)
            or _intel_mac_said(result, pasted)
        )
    if result.id == "host.arch" and result.status in (Status.SKIP, Status.PASS):
        return (
            _eliminated(result, pasted)
            or _libtorch_x86_64(result, pasted)
            or _libtorch_other_arch(result, pasted)
            or _libtorch_undefined_arm64(result, pasted)
            or _intel_mac_asks(result, pasted)
            or _extension_other_arch(result, pasted)
            or _intel_mac_arm64_only(result, pasted)
            or _intel_mac_installs(result, pasted)
        )
    return None


def _cloud_server(result: Result, pasted: Pasted) -> Result | None:
    """MPS code run on a Linux / Windows cloud machine (an EC2 instance, Colab): MPS is not
    there to have, whatever the torch (lowfuel/progrock-stable#37: Ubuntu on an AWS
    c5d.2xlarge, torch.backends.mps missing; "mps refers to the Apple M1 GPU on macOS")."""
    f = pasted.facts
    clues = pasted.signs.get("sign.cloud_server") or []
    if not clues or f.os not in ("Linux", "Windows") or pasted.has("sign.mac_hint"):
        return None
    if pasted.has("sign.linux_vm_on_mac") or not (pasted.errors or pasted.has("sign.mps_intent")):
        return None
    cause, fix = msg.cloud_server_no_mps(f.os, str(clues[0].value))
    lines = [clues[0].line, *pasted.evidence.get("os", [])[:2]]
    return _failed(result, cause, fix, lines, os=f.os, server=str(clues[0].value))


def _python_tag(result: Result, pasted: Pasted) -> Result | None:
    # a package the installer also refused as having no build for this platform at all (triton,
    # Linux-only: uv's "triton<=2.1.0 has no wheels with a matching Python ABI tag" beside
    # "triton>=2.2.0 has no wheels with a matching platform tag (e.g., `macosx_15_0_arm64`)",
    # smthemex/ComfyUI_SongGeneration#17): no Python would install it on a Mac, torch.installed
    # says so (verify.diagnosis.resolver)
    refused = {c.value.package.name for c in pasted.signs.get("sign.gpu_only_package") or []}
    clues = [
        c
        for c in pasted.signs.get("sign.no_wheel_for_python") or []
        if re.sub(r"[-_.]+", "-", str(c.value[0])).lower() not in refused
    ]
    if not clues:
        return None
    package, release, tag, tags = clues[0].value
    python = python_of(tag) or pasted.facts.python_version
    if tag:
        cause, fix = msg.no_wheel_for_python_tag(package, release, tag, tuple(tags), python)
    else:  # pip's list of what this interpreter can install starts after it (.companions)
        cause, fix = msg.no_release_for_python(package, release, tuple(tags), python)
    lines = [c.line for c in clues] + pasted.evidence.get("python_version", [])[:1]
    return _failed(result, cause, fix, lines, package=package, release=release, tag=tag)


def _python_required(result: Result, pasted: Pasted) -> Result | None:
    """pip skipped the exact release asked for because its Requires-Python excludes this
    interpreter (verify.diagnosis.paste.pytags: Vaibhavs10/insanely-fast-whisper#182)."""
    clues = pasted.signs.get("sign.requires_other_python") or []
    if not clues:
        return None
    package, release, spec, refused_python = clues[0].value
    python = pasted.facts.python_version
    if refused_python and python and _within(python, spec) and not _within(refused_python, spec):
        # pip refused another interpreter than the one the paste goes on with, which fits:
        # instructlab/instructlab#554's system 3.8.9 ("'cli' requires a different Python: 3.8.9
        # not in '>=3.9'"), then a Homebrew 3.12 venv
        return None
    cause, fix = msg.requires_other_python(package, release, spec, refused_python or python)
    lines = [c.line for c in clues] + pasted.evidence.get("python_version", [])[:1]
    return _failed(result, cause, fix, lines, package=package, release=release, requires=spec)


def _within(python: str, spec: str) -> bool:
    """Does this Python fit a Requires-Python ("3.12.1", ">=3.9")? False when either is
    unreadable."""
    try:
        return SpecifierSet(spec).contains(Version(python), prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return False


def _python_prerelease(result: Result, pasted: Pasted) -> Result | None:
    """The interpreter is an alpha or beta of its Python (verify.diagnosis.paste.versions:
    pytorch/pytorch#102267's "Python 3.11.0a6"): compiled wheels for that Python target its final
    C API."""
    clues = pasted.signs.get("sign.python_prerelease") or []
    if not clues:
        return None
    cause, fix = msg.python_prerelease(str(clues[0].value))
    return _failed(result, cause, fix, [clues[0].line], prerelease=clues[0].value)


def _python_removed(result: Result, pasted: Pasted) -> Result | None:
    """The code met a Python that removed what it imports, or refused the Python by its own guard
    (verify.diagnosis.paste.pyremoved: numpy==1.21.0's build under Python 3.12, no distutils). A
    Python shown older than the removal is not that one."""
    clues = pasted.signs.get("sign.python_removed") or []
    if not clues:
        return None
    gone: PythonRemoved = clues[0].value
    shown = compat.release_of(pasted.facts.python_version)
    if gone.what and shown is not None and shown < Version(gone.since):
        return None
    cause, fix = msg.python_removed(gone, pasted.facts.python_version)
    lines = [c.line for c in clues] + pasted.evidence.get("python_version", [])[:1]
    return _failed(result, cause, fix, lines, removed=gone.what, package=gone.package)


def _python_said(result: Result, pasted: Pasted) -> Result | None:
    """The report says torch (a release) has no wheels for the Python it is about
    (verify.diagnosis.paste.wheelsaid: EveryVoiceTTS/EveryVoice#329, "does not include
    pre-compiled wheels for 2.1.0 with Python 3.12"; malfet in pytorch/pytorch#112478, "there are
    no binary builds for Python-3.12 yet"). The interpreter's own Python, where the paste shows
    another, outweighs the sentence: then it was about someone else's."""
    clues = pasted.signs.get("sign.python_said_no_wheels") or []
    python = compat.release_of(pasted.facts.python_version)
    said = [
        c
        for c in clues
        if python is not None and compat.release_of(c.value[1]) == Version(f"3.{python.minor}")
    ]
    if not said or python is None or python.major != 3:
        return None
    release, minor = said[0].value
    platform = "linux" if pasted.facts.os == "Linux" else "macos"
    rng = compat.python_range(release, platform=platform) if release else None
    covered = f"{rng[0]}-{rng[1]}" if rng else None
    first = _first_release_for(minor, platform)
    cause, fix = msg.python_said_no_wheels(release, minor, covered, first)
    lines = [c.line for c in said] + pasted.evidence.get("python_version", [])[:1]
    return _failed(result, cause, fix, lines, release=release, python=minor)


def _first_release_for(python: str, platform: str) -> str | None:
    """The first torch release with wheels for Python X.Y on a platform (verify.compat); None for
    a Python older than the rows' first (its wheels came before the table starts)."""
    py = compat.parse_version(python)
    rows = compat.python_ranges(platform)
    if py is None or py <= rows[0][2]:
        return None
    return next((str(first) for first, lo, hi in rows if lo <= py <= hi), None)


def _refused(pasted: Pasted) -> list:
    return pasted.signs.get("sign.wheel_refused") or []


def _minor(pasted: Pasted) -> str | None:
    """The paste's Python as "3.X", the form a wheel's CPython tag is read in, or None."""
    python = compat.release_of(pasted.facts.python_version)
    return f"3.{python.minor}" if python is not None else None


def _other_python(value: tuple, mine: str | None) -> bool:
    """Is a refused wheel (a sign.wheel_refused value) built for another CPython than the
    paste's Python? False where either is not known."""
    return mine is not None and value[2] not in ("", mine)


def _wheel_name(value: tuple) -> str:
    package, version, python, _os, platform = value
    tag = f"cp{python.replace('.', '')}" if python else "py3"
    return f"{package}-{version}-{tag}-...-{platform}.whl"


def _wheel_for_other_os(result: Result, pasted: Pasted) -> Result | None:
    """pip on a Mac refused a Linux / Windows wheel (verify.diagnosis.paste.refused:
    grenlayk/deep-text-edit#34, "torch-1.11.0+cu113-cp37-cp37m-linux_x86_64.whl is not a
    supported wheel on this platform" on an M1 Mac)."""
    f = pasted.facts
    mac = pasted.from_a_mac()
    clues = [
        c
        for c in _refused(pasted)
        if c.value[3] in ("linux", "windows") and c.value[0] in refused.TORCH_FAMILY
    ]
    if not clues or not mac or f.os in ("Linux", "Windows"):
        return None
    os_name = "Linux" if clues[0].value[3] == "linux" else "Windows"
    cause, fix = msg.wheel_for_other_os(_wheel_name(clues[0].value), os_name)
    lines = [
        clues[0].line,
        *pasted.evidence.get("os", [])[:1],
        *pasted.evidence.get("chip", [])[:1],
    ]
    return _failed(result, cause, fix, lines, wheel_os=os_name)


def _wheel_for_other_python(result: Result, pasted: Pasted) -> Result | None:
    """pip refused a macOS wheel for another CPython than the paste's interpreter
    (pytorch/pytorch#4802: a cp35 wheel on Python 3.6)."""
    mine = _minor(pasted)
    if mine is None or pasted.facts.os not in (None, "Darwin"):
        return None
    clues = [c for c in _refused(pasted) if c.value[3] == "macos" and _other_python(c.value, mine)]
    if not clues:
        return None
    package, wheel_python = clues[0].value[0], clues[0].value[2]
    cause, fix = msg.wheel_for_other_python(
        _wheel_name(clues[0].value), wheel_python, mine, package
    )
    lines = [clues[0].line, *pasted.evidence.get("python_version", [])[:1]]
    return _failed(result, cause, fix, lines, wheel_python=clues[0].value[2], python=mine)


def _wheel_for_newer_macos(result: Result, pasted: Pasted) -> Result | None:
    """pip on a Mac refused an arm64 wheel tagged for a newer macOS than 11.0
    (verify.diagnosis.paste.refused.needs_macos: mlc-ai/mlc-llm#781, macosx_13_0_arm64 wheels
    on an M1 Pro whose macOS had not been updated): a macOS older than the tag, or, the macOS
    and the Python's architecture both unknown, that or an x86_64 Python (the paste's macOS at
    the tag or newer makes it the x86_64 Python alone: host.arch). Not where the paste's Python
    is not the wheel's (host.python says so)."""
    f = pasted.facts
    if f.os != "Darwin" or f.machine == "x86_64":
        return None
    mine = _minor(pasted)
    macos = compat.parse_version(f.macos_version)
    for c in _refused(pasted):
        needed = refused.needs_macos(c.value, macos)
        if needed is None or _other_python(c.value, mine):
            continue
        cause, fix = msg.macos_older_than_wheel(
            _wheel_name(c.value), str(needed), f.macos_version, f.machine
        )
        lines = [c.line, *pasted.evidence.get("macos_version", [])[:1]]
        return _failed(result, cause, fix, lines, needs_macos=str(needed), macos=f.macos_version)
    return None


def _intel_mac_said(result: Result, pasted: Pasted) -> Result | None:
    """The report says PyTorch builds nothing for Intel Macs any more, of a Mac not shown to be
    Apple silicon (climatepolicyradar/knowledge-graph#55, "Pytorch has deprecated support for
    intel macs"; i-dot-ai/redbox#345)."""
    clues = pasted.signs.get("sign.x86_64_said_dropped") or []
    f = pasted.facts
    if not clues or f.os != "Darwin" or f.hardware_arm64 is not False:
        return None
    cause, fix = msg.intel_mac_said_dropped()
    return _failed(result, cause, fix, [c.line for c in clues], machine="x86_64")


def _eliminated(result: Result, pasted: Pasted) -> Result | None:
    """macOS x86_64 left by elimination (verify.diagnosis.resolver.infer): the paste names no OS,
    and no
    wheel of a release that has this Python's wheels everywhere else fit."""
    clues = pasted.signs.get("sign.platform_by_elimination") or []
    f = pasted.facts
    if not clues or f.hardware_arm64 is not None or f.machine != "x86_64":
        return None
    wanted = next(
        (
            str(c.value)
            for name in ("sign.every_wheel_skipped", "sign.pip_no_torch")
            for c in pasted.signs.get(name) or []
            if "==" in str(c.value)
        ),
        "torch",
    )
    cause, fix = msg.no_matching_wheel_x86_64(wanted, str(f.python_version))
    lines = pasted.evidence.get("os", []) + pasted.evidence.get("python_version", [])[:1]
    return _failed(result, cause, fix, lines, machine="x86_64", by_elimination=True)


def _libtorch_x86_64(result: Result, pasted: Pasted) -> Result | None:
    clues = pasted.signs.get("sign.libtorch_x86_64") or []
    f = pasted.facts
    if not clues or f.os != "Darwin" or f.machine != "x86_64" or f.translated:
        return None  # under Rosetta the rules' own row says so
    release, url = clues[0].value
    cause, fix = msg.x86_64_libtorch(release, url)
    lines = [c.line for c in clues] + pasted.evidence.get("sign.intel_cpu", [])[:1]
    return _failed(result, cause, fix, lines, machine="x86_64", libtorch=release)


def _libtorch_other_arch(result: Result, pasted: Pasted) -> Result | None:
    """The linker ignored LibTorch's dylibs built for the other architecture (LaurentMazare/
    tch-rs#440: an x86_64 LibTorch linked into an arm64 build on an M1)."""
    clues = pasted.signs.get("sign.libtorch_other_arch") or []
    if not clues:
        return None
    have, need = clues[0].value
    cause, fix = msg.libtorch_other_arch(have, need)
    lines = [c.line for c in clues] + pasted.evidence.get("chip", [])[:1]
    return _failed(result, cause, fix, lines, machine=need, library=have)


def _libtorch_undefined_arm64(result: Result, pasted: Pasted) -> Result | None:
    """LibTorch's symbols undefined for arm64, the ignored file not quoted (pytorch/pytorch
    #104502): most likely an x86_64 LibTorch, a warning since the paste does not show it."""
    clues = pasted.signs.get("sign.libtorch_undefined_arm64") or []
    if not clues or pasted.facts.machine == "x86_64":
        return None
    cause, fix = msg.libtorch_undefined_arm64()
    lines = [clues[0].line, *pasted.evidence.get("chip", [])[:1]]
    return _warned(result, cause, fix, lines, likely_library="x86_64")


def _conda_plans_old_torch(result: Result, pasted: Pasted) -> Result | None:
    """conda's plan on osx-arm64 installs a pytorch older than MPS (pytorch/pytorch#82428: the
    defaults channel's 1.10.2 CPU build, the pytorch channel having no 1.12 for osx-arm64)."""
    clues = pasted.signs.get("sign.conda_plans_torch") or []
    old = [
        c for c in clues if (v := compat.release_of(c.value[0])) and v < compat.MPS_FIRST_RELEASE
    ]
    if not old or len(old) != len(clues):
        return None
    version, channel = old[0].value
    cause, fix = msg.conda_plans_torch_before_mps(version, channel)
    return _failed(result, cause, fix, [old[0].line], version=version, channel=channel)


def _conda_channels_lack_arm64(
    result: Result, pasted: Pasted, torch_family: bool = True
) -> Result | None:
    """conda / mamba on an arm64 Mac finding no pytorch, torchvision or torchaudio in its
    channels: those channels hold no osx-arm64 build of it (pytorch/pytorch#82483: the pytorch
    channel's osx-arm64 index without torchaudio in 2022-07; conda-forge/miniforge#80: no
    osx-arm64 pytorch anywhere in 2020-12; escape2020 school2022#35: "nothing provides requested
    torchaudio" on an M1). An osx-64 conda past 2.2.2 is the x86_64 story (host.arch). Beside an
    installed torch, only another package counts (pyg-team/pytorch_geometric#4549: pyg, with
    no osx-arm64 build on its channel then, under torch 1.11)."""
    f = pasted.facts
    # torch's own family first, then any other package the list names (Montreal-Forced-Aligner
    # #372: montreal-forced-aligner, built for osx-64 only, on an M1's osx-arm64 miniforge)
    family = (pasted.signs.get("sign.conda_no_torch") or []) if torch_family else []
    clues = family or pasted.signs.get("sign.conda_no_package")
    arm64 = f.machine == "arm64" or f.conda_subdir == "osx-arm64" or f.hardware_arm64 is True
    if not clues or f.os != "Darwin" or not arm64 or f.machine == "x86_64" or f.translated:
        return None
    if pasted.has("sign.pip_x86_only") or f.conda_subdir == "osx-64":
        return None
    wanted = str(clues[0].value)
    cause, fix = msg.conda_channels_lack_arm64(wanted, torch_family=bool(family))
    lines = [c.line for c in clues] + pasted.evidence.get("conda_subdir", [])
    return _failed(result, cause, fix, lines, wanted=wanted)


def _binding_no_native(result: Result, pasted: Pasted) -> Result | None:
    """A binding's PyTorch engine found no native library for this platform: the binding's
    release ships no LibTorch build for it (deepjavalibrary/djl#1732: DJL's PyTorch 1.11.0
    engine on an M1, "cpu-osx-aarch64"; the maintainer pointed to the next DJL release)."""
    clues = pasted.signs.get("sign.binding_no_native") or []
    if not clues:
        return None
    platform, release = clues[0].value
    cause, fix = msg.binding_no_native(platform, release)
    return _failed(result, cause, fix, [clues[0].line], platform=platform, release=release)


def _intel_mac_asks(result: Result, pasted: Pasted) -> Result | None:
    f = pasted.facts
    if f.os != "Darwin" or f.hardware_arm64 is not False or f.mps_available:
        return None
    asked = [
        c
        for name in ("sign.torch_requested", "sign.torch_at_least")
        for c in pasted.signs.get(name) or []
        if (v := compat.release_of(str(c.value))) is not None and v > compat.LAST_MACOS_X86_64_WHEEL
    ]
    if not asked:
        return None
    cause, fix = msg.intel_mac_asks_past_x86_64(str(asked[0].value))
    lines = [asked[0].line, *pasted.evidence.get("sign.intel_cpu", [])]
    return _failed(result, cause, fix, lines, machine="x86_64", asked=str(asked[0].value))


def _intel_mac_new_python(result: Result, pasted: Pasted) -> Result | None:
    """An Intel Mac whose installer found no torch at all for a Python newer than the last macOS
    x86_64 wheels cover (sktime/sktime#8127: Python 3.13 on the Intel macos-13 runner)."""
    f = pasted.facts
    clues = pasted.signs.get("sign.pip_no_torch") or []
    if (
        not clues
        or f.hardware_arm64 is not False
        or not python_past_x86_64_wheels(f.python_version)
    ):
        return None
    rng = compat.python_range(compat.LAST_MACOS_X86_64_WHEEL)
    cause, fix = msg.intel_mac_python_past_x86_64(str(f.python_version), f"{rng[0]}-{rng[1]}")
    lines = [
        clues[0].line,
        *pasted.evidence.get("python_version", [])[:1],
        *pasted.evidence.get("hardware_arm64", [])[:1],
    ]
    return _failed(result, cause, fix, lines, machine="x86_64", python=f.python_version)


def _intel_mac_arm64_only(result: Result, pasted: Pasted) -> Result | None:
    """An Intel Mac where pip found nothing of a package whose macOS wheels are all arm64 ones
    (verify.diagnosis.paste.armonly.missed, from PyPI: mlx, mlx-metal, mediapipe-silicon): no
    release of it installs on an Intel Mac at all, whatever its torch."""
    f = pasted.facts
    missed = armonly.missed(pasted.signs)
    if f.os != "Darwin" or f.hardware_arm64 is not False or f.translated or missed is None:
        return None
    refusal, floor = missed
    cause, fix = msg.intel_mac_arm64_only(refusal.value.name, str(floor))
    lines = [refusal.line, *pasted.evidence.get("hardware_arm64", [])[:1]]
    package = canonicalize_name(refusal.value.name)
    return _failed(result, cause, fix, lines, machine="x86_64", package=package)


def _intel_mac_installs(result: Result, pasted: Pasted) -> Result | None:
    """An Intel Mac whose paste installs a package, with no failure that names torch (the log cut
    before it, or an application's "does not work on macOS"): a warning that torch stops at
    2.2.2 there (ksugar/samapi#29: `pip install git+...samapi.git` on an Intel MacBook Pro;
    vllm-project/vllm#7430: `pip install vllm` beside collect_env's i9-8950HK)."""
    f = pasted.facts
    # pip finding no release of a package there says the same without the command
    # (meta-pytorch/torchcodec#608: torchcodec's "from versions: 0.0.0.dev0" on a Mac i9)
    clues = [
        *(pasted.signs.get("sign.package_install") or []),
        *(pasted.signs.get("sign.package_refused") or []),
    ]
    if not clues or f.os != "Darwin" or f.hardware_arm64 is not False or f.translated:
        return None
    if (
        f.python_version
        and compat.supports_python(compat.LAST_MACOS_X86_64_WHEEL, f.python_version) is False
    ):
        return None  # a Python 2.2.2 has no wheel for: the Python's rows (pytorch/pytorch#4802)
    cause, fix = msg.intel_mac_installs(str(clues[0].value))
    lines = [clues[0].line, *pasted.evidence.get("hardware_arm64", [])[:1]]
    return _warned(result, cause, fix, lines, machine="x86_64", installs=str(clues[0].value))


def _extension_other_arch(result: Result, pasted: Pasted) -> Result | None:
    f = pasted.facts
    if f.os != "Darwin" or f.machine != "arm64" or f.torch_import_error:
        return None
    clues = [c for c in pasted.signs.get("sign.wrong_arch_library") or [] if c.value == "x86_64"]
    if not clues:
        return None
    cause, fix = msg.extension_other_arch("x86_64", "arm64")
    lines = [c.line for c in clues] + pasted.evidence.get("chip", [])[:1]
    return _failed(result, cause, fix, lines, machine="arm64", library="x86_64")


def python_past_x86_64_wheels(python: str | None) -> bool:
    """Is this Python newer than any the macOS x86_64 wheels covered? The last of them, torch
    2.2.2, has cp38-cp312 (https://pypi.org/pypi/torch/2.2.2/json), so an x86_64 Python 3.13 on
    macOS gets no torch release at all (sktime/sktime#8127: "from versions: none" for Python
    3.13 on the Intel macos-13 runner)."""
    rng = compat.python_range(compat.LAST_MACOS_X86_64_WHEEL)
    py = compat.release_of(python)
    if rng is None or py is None:
        return False
    return compat.parse_version(f"{py.major}.{py.minor}") > rng[1]


def _failed(result: Result, cause: str, fix, lines: list[str], **data) -> Result:
    row = Result.from_outcome(result.id, result.title, failed(cause, fix, **data), required=True)
    return row.with_evidence(lines)


def _warned(result: Result, cause: str, fix, lines: list[str], **data) -> Result:
    """The row's warning: as required as the rule's row was."""
    outcome = warned(cause, fix, **data)
    row = Result.from_outcome(result.id, result.title, outcome, required=result.required)
    return row.with_evidence(lines)
