"""What package tools print: `pip list` / `pip freeze`, `conda list` / `conda info`, pip's, uv's
and conda's resolver errors, wheel file names, and the loader's architecture complaints.

What they give away about the interpreter:
- a wheel pip picked carries the interpreter's platform tag ("macosx_11_0_arm64",
  "macosx_10_9_x86_64"); uv names the interpreter's own tag ("(e.g., `macosx_14_0_x86_64`)",
  "You're on macOS (`macosx_15_0_arm64`)"): macOS, its version and the architecture;
- pip's "(from versions: ...)" lists what exists for this interpreter: a list that ends at 2.2.x
  while a later release was asked for is an x86_64 interpreter on macOS (PyPI's last macOS
  x86_64 wheel is torch 2.2.2; arm64 wheels go on: verify.compat.LAST_MACOS_X86_64_WHEEL);
  "from versions: none" is no wheel at all for it;
- uv's hints name the platforms the requested release has wheels for ("only has wheels for
  the following platform: `manylinux1_x86_64`"): none for macOS is a pin, index or lock file
  resolved for another system; pip's "Looking in indexes:" with only PyTorch's CUDA / ROCm index
  offers a Mac nothing;
- `conda info`'s "platform : osx-64" (conda >= 23.10: "Platform: osx-64" above a solve) and
  channel URLs ending in /osx-64 are an Intel (x86_64) conda; PackagesNotFoundError for a
  pytorch past 2.2.2 there (without conda-forge) is the same x86_64 ceiling; MKL /
  intel-openmp exist only for x86_64 (on a Mac: an osx-64 env);
- Python's "ModuleNotFoundError: No module named 'torch'": the interpreter that ran the code has
  no torch (sign.torch_not_imported; wladradchenko/wunjo.wladradchenko.ru#46, a macOS app bundle
  without it; yurijmikhalevich/rclip#98, a Homebrew formula's virtualenv without it);
- dyld's "(have 'x86_64', need 'arm64')": an arm64 process loading an x86_64 library (and the
  other way round), i.e. packages for the wrong architecture; macOS 11's older wording "mach-o,
  but wrong architecture" names neither side.
"""

from __future__ import annotations

import dataclasses
import re

from packaging.version import InvalidVersion, Version

from verify.compat import LAST_MACOS_X86_64_WHEEL
from verify.diagnosis.paste.clues import (
    LISTED,
    STRONG,
    SYS_PLATFORM_OS,
    WEAK,
    Clue,
    clue,
    finditer,
    line_at,
)

_M = re.MULTILINE
_SUBDIRS = r"(osx-arm64|osx-64|linux-64|linux-aarch64|win-64)"

PIP_FREEZE = re.compile(r"^[ \t>*-]*(?:\[pip3?\][ \t]+)?torch[ \t]*==[ \t]*(\d[\w.+]*)[ \t]*$", _M)
PIP_LIST = re.compile(r"^[ \t>]*torch[ \t]{2,}(\d[\w.+]*)(?:[ \t]+\S+)?[ \t]*$", _M)
# `pip show torch`: "Name: torch" then "Version: 2.1.0" (pip/_internal/commands/show.py)
PIP_SHOW = re.compile(
    r"^[ \t>]*Name:[ \t]*torch[ \t]*\n[ \t>]*Version:[ \t]*(\d[\w.+]*)[ \t]*$", _M
)
CONDA_LIST = re.compile(
    r"^[ \t>]*(?:\[conda\][ \t]+)?(?:pytorch|torch)[ \t]+(\d[\w.+]*)[ \t]+(\S+)"
    r"(?:[ \t]+(\S+))?[ \t]*$",
    _M,
)
# `conda info` / `mamba info` / `micromamba info`: "platform : osx-64"; conda >= 23.10 also prints
# "Platform: osx-64" above "Collecting package metadata" in install / create output
CONDA_PLATFORM = re.compile(r"^[ \t>]*platform[ \t]*:[ \t]*" + _SUBDIRS + r"\b", _M | re.I)
# `conda info`'s first "channel URLs : https://repo.anaconda.com/pkgs/main/osx-64": conda lists
# each channel for its own subdir and noarch (conda/cli/main_info.py, context.subdirs), so it is
# the platform line's answer where a paste is cut above it (opendatalab/MinerU#1358: an Intel
# Miniconda on an M1, "uname -m" arm64 in the same shell)
CONDA_INFO_CHANNELS = re.compile(
    r"^[ \t>]*channel URLs[ \t]*:[ \t]*\S*?/" + _SUBDIRS + r"[ \t]*$", _M
)
# conda's solver: "PackagesNotFoundError: The following packages are not available from current
# channels:" then "  - pytorch==2.4.1" lines (conda/exceptions.py, PackagesNotFoundError), up to
# the blank line; pasted unfenced into a Markdown page and copied from it, the list's "- " may be
# gone ("torchaudio", a browser's copy of the rendered list)
_ITEMS = r"((?:[ \t]*(?:- )?\S[^\n]*(?:\n|$))+)"
# (`conda env create`'s older solver words the same list ResolvePackageNotFound:
# "ResolvePackageNotFound: - getpass_asterisk", invoke-ai/InvokeAI#1354 with CONDA_SUBDIR=osx-arm64)
CONDA_NOT_FOUND = re.compile(
    # the list quoted inline in a sentence: "PackagesNotFoundError: The following packages are
    # not available from current channels: -torchdata" (meta-pytorch/data#676)
    # or one torch-family name right after the error's name, as a title shortens it: "M1 (Mac)
    # PackagesNotFoundError: torchaudio" (nadermx/backgroundremover#17)
    r"PackagesNotFoundError:(?:[^\n]*?channels:[ \t]*(?=-)|"
    r"[ \t]+(?=(?:py)?torch[a-z]*[ \t]*(?:\n|$)))(-?[ \t]*[\w.=<>*-]+)|"
    r"(?:PackagesNotFoundError|ResolvePackageNotFound):[^\n]*\n(?:[ \t]*\n)?" + _ITEMS
)
# torch and the companions released with it (a channel may lack one of them for a platform:
# pytorch/pytorch#82483, torchaudio missing from the pytorch channel's osx-arm64 index; torchdata's
# and torchtext's releases were on the same channel, torchdata's without osx-arm64 builds:
# meta-pytorch/data#676, "anaconda.org/pytorch/torchdata shows only linux-64, osx-64, and win-64")
_TORCH_FAMILY = r"(pytorch|torch|torchvision|torchaudio|torchtext|torchdata)\b(?!-)"
CONDA_TORCH_SPEC = re.compile(
    r"^[ \t]*(?:- )?(?:[\w-]+(?:/[\w-]+)*::)?" + _TORCH_FAMILY + r"(\S*)[ \t]*$", _M
)
# any other package in that list, as "  - name" or "  - name=1.2" (a list entry, not the
# "Current channels:" lines after it): Montreal-Forced-Aligner#372, "- montreal-forced-aligner"
# on an M1's osx-arm64 miniforge, built for osx-64 only then
CONDA_OTHER_SPEC = re.compile(
    r"^[ \t]*- (?:[\w-]+::)?([A-Za-z0-9][\w.-]*)(?:[=<>!~][^\s]*)?[ \t]*$", _M
)
# libmamba (conda >= 23.10's solver, mamba, micromamba): "nothing provides requested pytorch
# 2.4.1**" and "└─ pytorch 2.4.1**  does not exist (perhaps a typo or a missing channel)."
# (thousandbrainsproject/tbp.monty#95 quotes both forms); a spec pinned to its channel names it
# first: "nothing provides requested pytorch::torchvision" (PacktPublishing/Modern-Time-Series-
# Forecasting-with-Python#42, an environment file's "pytorch::" specs on osx-arm64)
MAMBA_NOT_FOUND = re.compile(
    r"(?:nothing provides requested (?:[\w-]+(?:/[\w-]+)*::)?" + _TORCH_FAMILY + r"[ \t]*([^\s*]*)"
    r"|[└├]─ " + _TORCH_FAMILY + r"[ \t]+([^\s*]+)\**[ \t]+does not exist)"
)
# conda packages built for CUDA only (none for osx-64 / osx-arm64: anaconda.org's pytorch-cuda,
# conda-forge's pytorch-gpu and cudatoolkit list linux-64 / win-64 files), refused by a solver:
# rattler's (pixi) "No candidates were found for pytorch-gpu >=2.4.0,<3." (rerun-io/prompt-da#2),
# conda's PackagesNotFoundError list, libmamba's "nothing provides requested pytorch-cuda 11.8**"
CUDA_CONDA = re.compile(r"\b(pytorch-cuda|pytorch-gpu|cudatoolkit)\b(?!-[A-Za-z])([^\n*]*)")
# what stands before the package on its line: the solver's words (libmamba's tree: "└─ pytorch-cuda
# 11.7**  is not installable because it requires", guoyww/AnimateDiff#293), or a "  - " entry of
# conda's PackagesNotFoundError / ResolvePackageNotFound list
CUDA_CONDA_BEFORE = re.compile(
    r"(?:No candidates were found for|nothing provides requested|needed by|[└├]─)[ \t]+$|"
    r"^[ \t]*(?:- )?(?:[\w-]+::)?$"
)
# libmamba's tree line for a CUDA-only package that no channel has for this platform, its
# failure after the version's "**": "├─ cudatoolkit 11.8.0**  does not exist (perhaps a typo or a
# missing channel);" and "└─ pytorch-cuda 11.8**  is uninstallable because it requires"
# (JonathanFly/bark#60, `mamba env create -f environment-cuda.yml` on macOS 13.2.1)
_TREE_FAILURE = re.compile(r"\*+[ \t]+(?:does not exist|is (?:not |un)installable)\b")
CONDA_UNSOLVED_LIST = re.compile(
    r"(?:PackagesNotFoundError|ResolvePackageNotFound):[^\n]*\n(?:[ \t]*\n)?" + _ITEMS
)
# a command that installs torch, unpinned (the newest release) or pinned: "uv add torch", "pip
# install torch torchvision", "uv pip install 'torch==2.5.1'" - then a failure in the lines after
# it ("fails with", "error:", uv's "No solution found"): on an Intel Mac the newest torch has no
# wheel (astral-sh/uv#10085: `uv add torch` "fails with" on an i7-1068NG7)
INSTALL_COMMAND = re.compile(
    r"\b(?:uv[ \t]+(?:add|pip[ \t]+install)|pip3?[ \t]+install|poetry[ \t]+add|pdm[ \t]+add|"
    r"rye[ \t]+add)\b([^\n]*)"
)
TORCH_ARGUMENT = re.compile(r"^[\"'`]?torch((?:[<>=~!]=?[\w.+*]+,?)*)[\"'`]?$")
INSTALL_FAILED = re.compile(
    r"\b(?:fails|failed|failing|error|cannot|can't|doesn't work|does not work|"
    r"No solution found|unsatisfiable)\b|^[ \t]*\u00d7",  # uv's cross before an error
    re.IGNORECASE | re.MULTILINE,
)
# pixi: "The project does not support 'osx-arm64'." under "The current platform does not satisfy
# the minimal virtual package requirements" - the running platform, which the manifest leaves out
PIXI_UNSUPPORTED = re.compile(r"The project does not support '" + _SUBDIRS + r"'")
# pixi / rattler: "failed to solve the conda requirements of 'default' 'osx-arm64'"
PIXI_SOLVE = re.compile(r"failed to solve the conda requirements of '[\w-]+' '" + _SUBDIRS + "'")
CONDA_OSX = re.compile(r"__osx=(\d+(?:\.\d+){0,2})")
CONDA_ARCHSPEC = re.compile(r"__archspec=1=(m[1-9]|arm64|aarch64)\b")
CHANNEL_SUBDIR = re.compile(
    r"(?:https?://|\bpkgs/\w+/|conda-forge/|pytorch/)\S*?/?" + _SUBDIRS + r"\b"
)
# conda's plan: "The following NEW packages will be INSTALLED:" then "  pytorch
# pkgs/main/osx-arm64::pytorch-1.10.2-cpu_py38h23cb94c_0" - the torch this command will install
# (pytorch/pytorch#82428: the pytorch channel had no osx-arm64 1.12 yet, so conda took the
# defaults channel's 1.10.2 CPU build, older than MPS)
CONDA_PLAN_TORCH = re.compile(
    r"^[ \t]*pytorch[ \t]+([\w.-]+(?:/[\w.-]+)*?)/(osx-arm64)::pytorch-(\d+\.\d+(?:\.\d+)?)-\S+"
    r"[ \t]*$",
    _M,
)
SOLVER_SUBDIR = re.compile(r"\b[\w-]+/" + _SUBDIRS + r"::(?:pytorch|torch)-(\d[\w.]*)")
X86_ONLY = re.compile(
    r"^[ \t>]*(?:\[conda\][ \t]+)?(mkl|mkl-service|mkl_fft|mkl_random|intel-openmp)[ \t]+\d", _M
)
# Anaconda's defaults channel (pkgs/main) builds a package with no compiled dependency under one
# build hash per platform: "hecd8cb5" on osx-64, "hca03da5" on osx-arm64 ("ca-certificates
# 2025.7.15 hecd8cb5_0" in MouseLand/cellpose#1468's `conda list` on an Intel iMac; the package
# URLs in conda-lock's tests, ".../pkgs/main/osx-64/ipython-8.12.0-py311hecd8cb5_0.conda", and
# conda-pypi's, ".../pkgs/main/osx-arm64/boltons-25.0.0-py314hca03da5_0.conda"): a `conda list`
# row with one gives the environment's subdir
DEFAULTS_BUILD = re.compile(
    r"^[ \t>]*(?:\[conda\][ \t]+)?[\w.-]+[ \t]+\d[\w.!+-]*[ \t]+(?:py\d+)?h(ecd8cb5|ca03da5)_\d+"
    r"(?![\w.-])",
    _M,
)
_DEFAULTS_SUBDIR = {"ecd8cb5": "osx-64", "ca03da5": "osx-arm64"}
WHEEL = re.compile(
    r"\btorch-(\d[\w.+]*?)-cp(3)(\d{1,2})-(?:cp3\d+|none|abi3)-macosx_(\d+)_(\d+)_(arm64|x86_64)"
    r"\.whl"
)
# Installers, verbose, name each wheel of a release they pass over: Poetry's chooser "Skipping
# wheel torch-2.3.0-cp310-none-macosx_11_0_arm64.whl as this is not supported by the current
# environment" (poetry/installation/chooser.py; python-poetry/poetry#9442 lists every torch 2.3.0
# wheel so, a macOS arm64 one for each CPython among them), pip's finder "Skipping link: none of
# the wheel's tags (cp35-none-macosx_10_6_x86_64) are compatible ...: <URL of the wheel>"
# (pip/_internal/index/package_finder.py; AutoGPTQ/AutoGPTQ#562, on Windows 11; older pip: "...
# tags match: cp37-none-macosx_10_7_x86_64: <URL>", pytorch/pytorch#34798): no wheel there is
# the interpreter's
PASSED_OVER = re.compile(r"[ \t>]*Skipping[ \t]+(?:wheel[ \t]|link\b)")
# any wheel pip fetched for this interpreter carries its platform tag ("Downloading
# numpy-1.26.4-cp311-cp311-macosx_10_9_x86_64.whl"): pip picks only wheels the interpreter can run
# (packaging.tags.mac_platforms), so an x86_64-only wheel means an x86_64 Python
FETCHED_WHEEL = re.compile(
    r"^[ \t>]*(?:Downloading|Using cached|Saved|Processing)[ \t]+\S*?-macosx_(\d+)_(\d+)_"
    r"(x86_64|arm64)\b(?![^\n]*is not a supported wheel)",
    _M,
)
# pip names who asked for it before the list: "torch==2.4.1 (from invokeai) (from versions: ...)",
# "(from -r requirements.txt (line 3))" (pip/_internal/resolution/resolvelib/factory.py)
NO_MATCH = re.compile(
    r"Could not find a version that satisfies the requirement (torch\b(?!-)[^\s(]*)"
    r"(?:[ \t]*\(from (?!versions?:)(?:[^()\n]|\([^()\n]*\))*\))*"
    r"(?:[ \t]*\(from versions?:[ \t]*([^)\n]*(?:\n[ \t]*\d[^)\n]*)*)\)?)?"
)
NO_DIST = re.compile(r"No matching distribution found for `?(torch\b(?!-)[^\s`'\"]*)")
# uv's resolver: "Because torch==2.6.0 has no wheels with a matching platform tag (e.g.,
# `macosx_15_0_x86_64`) ..." - a requirement with markers prints them in braces
# ("torch{platform_machine == 'x86_64'}==2.11.0+cpu", vllm-project/vllm-metal#379); the tag is
# the interpreter's own (macOS version and architecture)
UV_TAG = re.compile(
    r"\b(torch)(?!-)(?:\{[^}\n]*\})?((?:[<>=!~]=?[\w.+*]+,?)+)?[^\n]*?has\s+no\s+"
    r"(?:source\s+distribution\s+or\s+)?wheels?\s+with\s+a\s+matching\s+platform\s+tag"
    r"(?:\s+\(e\.g\.,?\s+`?(macosx_(\d+)_(\d+)_(arm64|x86_64))`?\))?"
)
# uv wraps its messages at the terminal's width (transformerlab/transformerlab-app#317), so the
# hints below allow any whitespace, line breaks included, between their words; a paste rendered
# as plain text loses uv's backticks (unslothai/unsloth#5976), so those are optional.
# uv's install-time hint (astral-sh/uv#10739): "hint: You're on macOS (`macosx_15_0_arm64`), but
# `torch` (v2.5.1) only has wheels for the following platform: `manylinux1_x86_64`" - the
# interpreter's tag and the platforms the release has wheels for (for this Python's ABI tags)
UV_YOURE_ON = re.compile(
    r"You're\s+on\s+(macOS|Linux|Windows)\s+\(`?([\w.]+)`?\),\s+but\s+`?torch`?\s+\(v([\w.+]+)\)\s+"
    r"only\s+has\s+wheels\s+for\s+(?:the\s+following\s+platforms?:\s+)?((?:`?[\w.]+`?(?:,\s+)?)+)"
)  # "the following platform(s):" left out when retold (debpalash/VoiceStudio#889)
# uv's resolver hint: "hint: Wheels are available for `torch` (v2.6.0) on the following
# platforms: `manylinux_2_28_aarch64`, `manylinux1_x86_64`, `macosx_11_0_arm64`, `win_amd64`"
UV_AVAILABLE = re.compile(
    r"Wheels\s+are\s+available\s+for\s+`?torch`?\s+\(v([\w.+]+)\)\s+on\s+the\s+following\s+"
    r"platforms?:\s+((?:`?[\w.]+`?(?:,\s+)?)+)"
)
# uv names the interpreter it uses: "Using CPython 3.9.12 interpreter at: /Users/.../python",
# "Using Python 3.12.9 environment at: /Users/.../.venv" (uv's venv / pip / add output); a path
# under /Users/ or a Python.framework is macOS's
UV_INTERPRETER = re.compile(
    r"Using (?:CPython|Python|PyPy) (3\.\d{1,2}\.\d{1,2})\S* (?:interpreter|environment) "
    r"at:?\s*(\S+)"
)
# `pip debug`: "sys.platform: darwin", then "Compatible tags: 498" and the tags this interpreter
# accepts, most specific first, each on a line of its own ("  cp36-cp36m-macosx_10_14_x86_64":
# tensorflow/tensorflow#33604; pip/_internal/commands/debug.py): the first tag is the running
# interpreter's own platform (macOS's: its version and architecture). A "(target: ...)" after the
# count is another platform, asked for.
PIP_DEBUG_PLATFORM = re.compile(r"^[ \t>]*sys\.platform:[ \t]*(darwin|linux|win32)[ \t]*$", _M)
PIP_DEBUG_TAG = re.compile(
    r"^[ \t>]*Compatible tags:[ \t]*\d+[ \t]*\n[ \t>]*(?:cp|pp)(3)(\d{1,2})\w*-[\w.]+-"
    r"(macosx_\d+_\d+_\w+)[ \t]*$",
    _M,
)
MACOS_PATH = re.compile(r"^(?:/Users/|/Library/Frameworks/Python\.framework/|/opt/homebrew/)")
# Poetry: "Unable to find installation candidates for torch (2.0.1+cpu)"
# (poetry/installation/chooser.py, quoted in Josh-XT/AGiXT#566)
POETRY_NO_CANDIDATES = re.compile(r"Unable to find installation candidates for torch \(([\w.+]+)\)")
# uv: "error: The current Python platform is not compatible with the lockfile's supported
# environments: `sys_platform == 'linux'`" - a lock file resolved for other systems only
# (StarTrail-org/PixelRAG#61 added `sys_platform == 'darwin'` to `[tool.uv].environments`)
UV_LOCK_ENVIRONMENTS = re.compile(
    r"not\s+compatible\s+with\s+the\s+lockfile's\s+supported\s+environments:\s+"
    r"(?:`([^`]+)`|([^`\n]+?)[ \t]*$)",  # a rendered page's copy loses the backquotes
    re.MULTILINE,
)
# pip's "Looking in indexes: URL, URL" and a typed "--index-url URL": PyTorch's CUDA / ROCm indexes
# (download.pytorch.org/whl/cu121, /whl/rocm5.6) hold Linux and Windows wheels only; their
# torch pages list no macosx_* file (https://download.pytorch.org/whl/cu121/torch/); the option
# as a subprocess argv list prints it too ("'pip', 'install', 'torch', '--index-url',
# 'https://download.pytorch.org/whl/cu118'": tin2tin/Pallaidium#3, Blender's Python on a Mac)
INDEXES = re.compile(
    r"(?:Looking in indexes:|--index-url(?:[ \t=]+|['\"],[ \t]*(?=['\"])))[ \t]*([^\n]+)"
)
GPU_INDEX = re.compile(
    r"https?://download\.pytorch\.org/whl/(?:nightly/|test/)?(cu\d+|rocm[\d.]+)\b"
)
SPEC_CLAUSE = re.compile(r"(===|==|>=|<=|~=|!=|>|<)\s*(\d[\w.+*]*)")
MACOS_TAG = re.compile(r"^macosx_(\d+)_(\d+)_(arm64|x86_64|universal2)$")
# uv: "Distribution `torch==2.13.0+cu132 @ registry+https://download.pytorch.org/whl/cu132` can't
# be installed because it doesn't have a source distribution or wheel for the current platform"
# (Lightricks/LTX-2#298: wrapped at the terminal's width anywhere; the registry names the index a
# `[tool.uv.sources]` entry pinned torch to, a CUDA one with no darwin wheels); uv 0.2's wording
# has no backticks: "error: distribution torch==2.3.1+cpu @ registry+https://download.pytorch.org/
# whl/cpu can't be installed because ..." (astral-sh/uv#5182, `uv add` on an arm64 Mac)
UV_NO_WHEEL = re.compile(
    r"[Dd]istribution `?(torch==[\w.+]+)(?: @ registry\+([^`\s]+))?[^`\n]*?`?\s+can't\s+be\s+"
    r"installed\s+"
    r"because\s+it\s+doesn't\s+have\s+a\s+source\s+distribution\s+or\s+wheel\s+for\s+the\s+current\s+"
    r"platform"
)
UV_PY = re.compile(r"torch[^\n]*?has no wheels with a matching Python (?:ABI|version) tag")
DYLD = re.compile(
    r"(?:mach-o file, but is an incompatible architecture|incompatible architecture)"
    r"[^\n]*?\(have [('\"]?(arm64e?|x86_64h?)[)'\"]?, need [('\"]?(arm64e?|x86_64h?)[)'\"]?\)"
)
# macOS 11's and older dyld said it without naming either side: "no suitable image found.  Did
# find: .../torch/lib/libtorch_global_deps.dylib: mach-o, but wrong architecture" (pytorch/vision
# #3696: a broken PyTorch macOS build on CI); only torch's own library makes it torch's import
# error, any library makes it a Mac
OLD_DYLD = re.compile(r"(?m)^[^\S\n]*(\S[^\n]*?): mach-o, but wrong architecture$")
# ... though the refused file's path may name its side: an egg's or wheel's platform tag
# (".../torch_scatter-2.0.5-py3.8-macosx-10.9-x86_64.egg/torch_scatter/_version.so: mach-o,
# but wrong architecture" on an M1: rusty1s/pytorch_scatter#183, an x86_64 build in an arm64
# Python), so the process is the other architecture
_OTHER_ARCH = {"x86_64": "arm64", "arm64": "x86_64"}
PATH_PLATFORM_TAG = re.compile(r"\bmacosx[-_]\d+[._]\d+[-_](x86_64|arm64)\b")

# the linker's refusal of a library built for the other architecture, dyld's at link time: ld64
# "ld: warning: ignoring file .../libtorch.dylib, building for macOS-arm64 but attempting to link
# with file built for macOS-x86_64" (LaurentMazare/tch-rs#440: an x86_64 LibTorch linked on an
# M1), Xcode 15's ld-prime "ignoring file '...': found architecture 'x86_64', required
# architecture 'arm64'" (developer.apple.com Xcode 15 release notes, the new linker)
# The warning quoted from its file on ("lib/libtorch.dylib, building for macOS-arm64 but
# attempting to link with file built for macOS-x86_64": LaurentMazare/tch-rs#488) says the same.
LD_ARCH = re.compile(
    r"(?:ignoring file '?(?P<path>[^\n']+?)'?|(?P<file>[^\s,']+\.(?:dylib|so|a|o)))[,:][ \t]*"
    r"(?:building for macOS-(?P<need>arm64|x86_64) but attempting to link with file built for "
    r"(?:macOS|unknown)-(?P<have>arm64|x86_64)|found architecture '(?P<found>arm64|x86_64)', "
    r"required architecture '(?P<required>arm64|x86_64)')"
)

# the Python's own library among the files the linker ignored: its architecture is the Python's
LIBPYTHON = re.compile(r"(?:^|/)libpython3(?:\.\d+)?\.dylib$")

# the linker's summary without the file it ignored: "Undefined symbols for architecture arm64"
# where the paste names LibTorch (its path, libc10 / libtorch, c10:: / at:: symbols). The 7
# earlier real reports with it were all an x86_64 LibTorch linked into an arm64 build (pytorch/
# pytorch#63558, LaurentMazare/tch-rs#440): PyTorch's macOS LibTorch download had no arm64 build
# before 2.2.0 (pytorch/test-infra#4851); pytorch/pytorch#104502 quotes that line alone.
UNDEFINED_ARM64 = re.compile(r"Undefined symbols for architecture arm64")
LIBTORCH_DYLIB = r"lib(?:torch\w*|c10)\.dylib"  # LibTorch's own libraries
LIBTORCH_NAMED = re.compile(rf"\blibtorch\b|\b{LIBTORCH_DYLIB}\b|\b(?:c10|at)::", re.I)

# a web UI launcher's failed torch install (AUTOMATIC1111/stable-diffusion-webui launch.py /
# modules/launch_utils.py run(): "Couldn't install torch." then "Command: <venv python> -m pip
# install torch==1.12.1+cu113 ..." and "Error code: 1"; its forks print the same): a CUDA / ROCm
# build pinned there is what pip found nothing for on a Mac, even where the paste stops before
# pip's own stderr (AUTOMATIC1111/stable-diffusion-webui#3779, easydiffusion/easydiffusion#324).
# Only such a local GPU version is read: a plain pin can fail for any reason (network, disk).
LAUNCHER_GPU_PIN = re.compile(
    r"Couldn't install torch\.?[ \t]*\n[ \t>]*Command:[^\n]*?\bpip3?\b[\"']?[ \t]+install\b"
    r"[^\n]*?(?<![\w-])(torch==[\w.]+\+(?:cu|rocm)[\w.]+)"
)

# Python failing to import torch itself (not torch.something, not torchvision)
TORCH_NOT_IMPORTED = re.compile(r"No module named[ \t]+[`'\"]?torch[`'\"]?(?![\w.])")


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(TORCH_NOT_IMPORTED, text, "No module named"):
        out.append(clue("sign.torch_not_imported", True, text, m, LISTED))
        break
    for m in finditer(PIP_FREEZE, text, "torch=="):
        out.append(clue("torch_version", m.group(1), text, m, LISTED))
    for m in finditer(PIP_SHOW, text, "Name:"):
        out.append(clue("torch_version", m.group(1), text, m, LISTED))
    for m in finditer(PIP_LIST, text, "torch "):
        out.append(clue("torch_version", m.group(1), text, m, LISTED))
    for m in finditer(CONDA_LIST, text, "torch "):
        out.append(clue("torch_version", m.group(1), text, m, LISTED))
        channel = m.group(3) or ""
        sub = re.search(_SUBDIRS + "$", channel.rstrip("/"))
        if sub:
            out.append(clue("conda_subdir", sub.group(1), text, m, STRONG))
    for m in finditer(CONDA_PLATFORM, text, "platform", "Platform"):
        out.append(clue("conda_subdir", m.group(1), text, m, LISTED))
        out.extend(_subdir_facts(m.group(1), text, m, LISTED))
    for m in finditer(CONDA_INFO_CHANNELS, text, "channel URLs"):
        out.append(clue("conda_subdir", m.group(1), text, m, LISTED))
        out.extend(_subdir_facts(m.group(1), text, m, LISTED))
        break  # the first channel's subdir is conda's own
    for m in finditer(CONDA_NOT_FOUND, text, "PackagesNotFoundError", "ResolvePackageNotFound"):
        items = m.group(2) or "- " + m.group(1).lstrip("- \t")
        for spec in CONDA_TORCH_SPEC.finditer(items):
            wanted = spec.group(1) + spec.group(2)
            at = line_at(text, m.start(2) + spec.start() if m.group(2) else m.start(1))
            out.append(Clue("sign.conda_no_torch", wanted, at))
            if _conda_x86_64_ceiling(text, m, wanted):
                out.append(Clue("sign.pip_x86_only", wanted, at))
        if m.group(2):
            for spec in CONDA_OTHER_SPEC.finditer(items):
                if CONDA_TORCH_SPEC.match(spec.group(0)) is None:
                    at = line_at(text, m.start(2) + spec.start())
                    out.append(Clue("sign.conda_no_package", spec.group(1), at))
    for m in finditer(MAMBA_NOT_FOUND, text, "nothing provides", "does not exist"):
        name, spec = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        wanted = name + (spec if spec[:1] in "=<>~!" else f"=={spec}" if spec else "")
        out.append(clue("sign.conda_no_torch", wanted, text, m, LISTED))
        if _conda_x86_64_ceiling(text, m, wanted):
            out.append(clue("sign.pip_x86_only", wanted, text, m, LISTED))
    for m in finditer(CUDA_CONDA, text, "pytorch-cuda", "pytorch-gpu", "cudatoolkit"):
        start = text.rfind("\n", 0, m.start()) + 1
        before = CUDA_CONDA_BEFORE.search(text[start : m.start()])
        if before is None or (
            before.group(0).lstrip()[:1] in ("-", "") and not _in_not_found(text, m)
        ):
            continue
        spec = m.group(2).strip().rstrip(".").strip()
        if before.group(0).lstrip().startswith("-") and " " in spec:
            continue  # a list entry is one spec
        if before.group(0).startswith("needed by"):
            spec = spec.lstrip("-").split("-")[0]  # the build: "pytorch-cuda-11.7-h67b0de4_0"
        elif " is not installable" in spec or " does not exist" in spec:
            spec = spec.split()[0].rstrip("*")
        elif before.group(0).lstrip().startswith(("└", "├")) and not _TREE_FAILURE.match(
            text, m.end()
        ):
            continue  # a tree line that names no failure
        wanted = m.group(1) + (spec if spec[:1] in "=<>~!" else f" {spec}" if spec else "")
        out.append(clue("sign.cuda_conda_package", wanted, text, m, LISTED))
    for m in finditer(INSTALL_COMMAND, text, "install", " add "):
        tokens = m.group(1).split()
        if not any(TORCH_ARGUMENT.match(t) for t in tokens) and any(
            t[:1].isalnum() for t in tokens
        ):
            # any other package installed: on an Intel Mac the torch it pulls in is what fails
            # (verify.diagnosis.install_rows)
            command = text[m.start() : m.start(1)] + m.group(1).split("`")[0]
            out.append(clue("sign.package_install", command.strip()[:80], text, m, WEAK))
        for token in tokens:
            arg = TORCH_ARGUMENT.match(token)
            if arg is None:
                continue
            asked = arg.group(1)
            if (not asked or any(map(_past_x86_64_wheels, _asked(asked)))) and _fails_after(
                text, m
            ):
                command = text[m.start() : m.start(1)] + m.group(1)
                out.append(clue("sign.torch_install_failed", command.strip(), text, m, LISTED))
            break
    for m in finditer(PIXI_UNSUPPORTED, text, "does not support"):
        out.append(clue("conda_subdir", m.group(1), text, m, LISTED))
        out.append(clue("sign.platform_not_declared", m.group(1), text, m, LISTED))
        out.extend(_subdir_facts(m.group(1), text, m))
    for m in finditer(PIXI_SOLVE, text, "failed to solve"):
        out.append(clue("conda_subdir", m.group(1), text, m, LISTED))
        out.extend(_subdir_facts(m.group(1), text, m))
    for m in finditer(CONDA_OSX, text, "__osx="):
        out.append(clue("os", "Darwin", text, m, LISTED))
        if m.group(1) != "10.16":
            out.append(clue("macos_version", m.group(1), text, m, LISTED))
        else:
            # macOS answers "10.16" only to a process built against an SDK older than 11
            # (SYSTEM_VERSION_COMPAT): an x86_64 conda's Python; an arm64 one is built for 11+
            out.append(clue("machine", "x86_64", text, m, WEAK))
    for m in finditer(CONDA_ARCHSPEC, text, "__archspec"):
        out.append(clue("hardware_arm64", True, text, m, LISTED))
    for m in finditer(SOLVER_SUBDIR, text, "::"):
        out.append(clue("conda_subdir", m.group(1), text, m, LISTED))
        out.extend(_subdir_facts(m.group(1), text, m))
    for m in finditer(CONDA_PLAN_TORCH, text, "::pytorch-"):
        out.append(clue("sign.conda_plans_torch", (m.group(3), m.group(1)), text, m, LISTED))
    for m in finditer(CHANNEL_SUBDIR, text, "osx-"):
        out.append(clue("conda_subdir", m.group(1), text, m, WEAK))
        out.extend(_subdir_facts(m.group(1), text, m))
    for m in finditer(DEFAULTS_BUILD, text, "hecd8cb5_", "hca03da5_"):
        subdir = _DEFAULTS_SUBDIR[m.group(1)]
        out.append(clue("conda_subdir", subdir, text, m, WEAK))
        out.extend(_subdir_facts(subdir, text, m))
    for m in finditer(X86_ONLY, text, "mkl", "intel-openmp"):
        out.append(clue("sign.x86_only_conda", m.group(1), text, m, LISTED))
    for m in finditer(WHEEL, text, "macosx_"):
        if text.startswith(" is not a supported wheel", m.end()):
            continue  # refused: the interpreter is not what the wheel is for (.refused)
        if PASSED_OVER.match(text, text.rfind("\n", 0, m.start()) + 1):
            continue  # one of the wheels the installer passed over (none is its pick)
        out.append(clue("os", "Darwin", text, m, LISTED))
        out.append(clue("machine", m.group(6), text, m, LISTED))
        out.append(clue("python_version", f"3.{m.group(3)}", text, m, WEAK))
    for m in finditer(FETCHED_WHEEL, text, "macosx_"):
        out.append(clue("os", "Darwin", text, m, LISTED))
        out.append(clue("machine", m.group(3), text, m, LISTED))
    for m in finditer(NO_MATCH, text, "Could not find a version"):
        out.extend(_no_match(m.group(1), m.group(2), text, m))
    for m in finditer(NO_DIST, text, "No matching distribution"):
        # a sentence's own stop after it is no part of the requirement ("... found for
        # torch==2.8.0+cpu. Pip cannot match ...": NBA-Betting/NBA_AI#31 as a rendered page reads)
        out.append(clue("sign.pip_no_torch", m.group(1).rstrip(".,;:"), text, m, LISTED))
    for m in finditer(LAUNCHER_GPU_PIN, text, "Couldn't install torch"):
        out.append(Clue("sign.pip_no_torch", m.group(1), line_at(text, m.start(1))))
    for m in finditer(UV_TAG, text, "matching"):
        requirement = m.group(1) + (m.group(2) or "").rstrip(",")
        out.append(clue("sign.pip_no_torch", requirement, text, m, LISTED))
        if m.group(3):
            asked = _asked(requirement)
            out.extend(_interpreter_tag(m.group(3), max(asked, key=_release, default=""), text, m))
    for m in finditer(UV_YOURE_ON, text, "You're"):
        out.append(clue("sign.pip_no_torch", f"torch=={m.group(3)}", text, m, LISTED))
        out.append(clue("sign.wheel_platforms", _tags(m.group(4)), text, m, LISTED))
        if m.group(1) == "macOS":
            out.extend(_interpreter_tag(m.group(2), m.group(3), text, m))
        else:
            out.append(clue("os", m.group(1), text, m, LISTED))
    for m in finditer(PIP_DEBUG_PLATFORM, text, "sys.platform"):
        out.append(clue("os", SYS_PLATFORM_OS[m.group(1)], text, m, STRONG))
    for m in finditer(PIP_DEBUG_TAG, text, "Compatible tags"):
        tags = [clue("python_version", f"{m.group(1)}.{m.group(2)}", text, m, WEAK)]
        tags += _interpreter_tag(m.group(3), "", text, m)
        # quoted by the tag's own line, not the count above it
        out.extend(dataclasses.replace(c, line=line_at(text, m.start(3))) for c in tags)
    for m in finditer(UV_INTERPRETER, text, "Using "):
        out.append(clue("python_version", m.group(1), text, m, LISTED))
        if MACOS_PATH.match(m.group(2).strip("`'\"")):
            out.append(clue("os", "Darwin", text, m, WEAK))
    for m in finditer(POETRY_NO_CANDIDATES, text, "installation candidates"):
        out.append(clue("sign.pip_no_torch", f"torch=={m.group(1)}", text, m, LISTED))
    for m in finditer(UV_LOCK_ENVIRONMENTS, text, "lockfile"):
        environments = m.group(1) or m.group(2)
        if "darwin" not in environments.lower():
            out.append(clue("sign.lock_other_platform", environments, text, m, LISTED))
    for m in finditer(INDEXES, text, "Looking in indexes", "--index-url"):
        urls = [u.strip("`'\"") for u in re.split(r"[,\s]+", m.group(1)) if "://" in u]
        if urls and all(GPU_INDEX.match(u) for u in urls):
            out.append(clue("sign.gpu_index", urls[0], text, m, LISTED))
    for m in finditer(UV_AVAILABLE, text, "Wheels are"):
        out.append(clue("sign.wheel_platforms", _tags(m.group(2)), text, m, LISTED))
    for m in finditer(UV_NO_WHEEL, text, "can't"):
        out.append(clue("sign.pip_no_torch", m.group(1), text, m, LISTED))
        if m.group(2) and GPU_INDEX.match(m.group(2)):  # uv names the index it pinned
            out.append(clue("sign.gpu_index", m.group(2), text, m, LISTED))
    for m in finditer(UV_PY, text, "matching Python"):
        out.append(clue("sign.pip_no_torch", "torch", text, m, LISTED))
    for m in finditer(DYLD, text, "incompatible architecture"):
        have, need = m.group(1).rstrip("eh"), m.group(2).rstrip("eh")
        out.append(clue("os", "Darwin", text, m, STRONG))
        if m.group(2) == "x86_64h":
            # dyld asks for the x86_64h (Haswell) slice on an Intel CPU, never under Rosetta
            # ("Verified NOT executable on this Intel host: ... (have (arm64), need
            # (x86_64h))"; nodegui/nodegui#1048 on Intel MacBooks; dream-textures#346)
            out.append(clue("sign.intel_cpu", True, text, m, WEAK))
        out.append(clue("machine", need, text, m, STRONG))  # the process needs its own arch
        out.append(clue("sign.wrong_arch_library", have, text, m, STRONG))
        start = text.rfind("\n", 0, m.start()) + 1
        if "torch" in text[start : m.end()]:  # torch's own library: import torch failed
            error = f"incompatible architecture (have '{have}', need '{need}')"
            out.append(clue("torch_import_error", error, text, m, STRONG))
    for m in finditer(OLD_DYLD, text, "but wrong architecture"):
        out.append(clue("os", "Darwin", text, m, STRONG))
        tag = PATH_PLATFORM_TAG.search(m.group(1))
        if tag:
            have = tag.group(1)
            out.append(clue("machine", _OTHER_ARCH[have], text, m, STRONG))
            out.append(clue("sign.wrong_arch_library", have, text, m, STRONG))
        if re.search(r"/torch/(?:lib/|_C\b)", m.group(1)):
            error = "mach-o, but wrong architecture"
            out.append(clue("torch_import_error", error, text, m, STRONG))
    for m in finditer(LD_ARCH, text, "ignoring file", "building for macOS-"):
        need, have = m["need"] or m["required"], m["have"] or m["found"]
        if need == have:
            continue
        out.append(clue("os", "Darwin", text, m, STRONG))
        if LIBPYTHON.search(m["path"] or m["file"]):
            # the Python's own library: the Python is what it was built for, the build being
            # linked is the other architecture ("ignoring file /Users/.../anaconda3/lib/
            # libpython3.10.dylib, building for macOS-x86_64 but attempting to link with file
            # built for macOS-arm64": EricLBuehler/mistral.rs#252, a Rust build for x86_64)
            out.append(clue("machine", have, text, m, STRONG))
            continue
        out.append(clue("machine", need, text, m, STRONG))  # the binary being built
        out.append(clue("sign.wrong_arch_library", have, text, m, STRONG))
        if re.search(LIBTORCH_DYLIB, m["path"] or m["file"]):  # LibTorch's own
            out.append(clue("sign.libtorch_other_arch", (have, need), text, m, STRONG))
    if not any(c.field == "sign.libtorch_other_arch" for c in out) and LIBTORCH_NAMED.search(text):
        for m in finditer(UNDEFINED_ARM64, text, "Undefined symbols"):
            out.append(clue("os", "Darwin", text, m, LISTED))  # Apple's ld names the Mac's arch
            out.append(clue("sign.libtorch_undefined_arm64", True, text, m, LISTED))
            break
    return out


def _fails_after(text: str, m: re.Match[str], lines: int = 4) -> bool:
    """Does a failure follow the command, on its line or the next few?"""
    end = m.end()
    for _ in range(lines):
        nxt = text.find("\n", end + 1)
        end = len(text) if nxt < 0 else nxt
    return INSTALL_FAILED.search(text, m.end(), end) is not None


def _in_not_found(text: str, m: re.Match[str]) -> bool:
    """A "- pytorch-cuda=11.8" line counts only inside conda's PackagesNotFoundError list."""
    return any(
        n.start(1) <= m.start() < n.end(1)
        for n in CONDA_UNSOLVED_LIST.finditer(text, 0, m.end() + 1)
    )


def _tags(listed: str) -> tuple[str, ...]:
    return tuple(t.strip().strip("`") for t in listed.split(",") if t.strip().strip("`"))


def _interpreter_tag(tag: str, wanted: str, text: str, m: re.Match[str]) -> list[Clue]:
    """What uv's tag for the interpreter gives away: macOS, its version (the tag names the
    running macOS, "macosx_15_0"; a compat "10_16" is dropped later), the architecture; and an
    x86_64 interpreter asking for a torch past 2.2.2, which has no x86_64 macOS wheel."""
    t = MACOS_TAG.match(tag)
    if t is None:
        return []
    out = [clue("os", "Darwin", text, m, STRONG)]  # uv's own tag for the running interpreter
    out.append(clue("macos_version", f"{t.group(1)}.{t.group(2)}", text, m, WEAK))
    if t.group(3) in ("arm64", "x86_64"):
        out.append(clue("machine", t.group(3), text, m, STRONG))
    if t.group(3) == "x86_64" and _past_x86_64_wheels(wanted):
        out.append(clue("sign.pip_x86_only", wanted, text, m, LISTED))
    return out


def _past_x86_64_wheels(wanted: str) -> bool:
    """Is this version (a local part ignored: 2.11.0+cpu) newer than the last release with
    macOS x86_64 wheels (2.2.2: verify.compat.LAST_MACOS_X86_64_WHEEL)?"""
    try:
        release = Version(Version(wanted).base_version)
    except InvalidVersion:
        return False
    return release > LAST_MACOS_X86_64_WHEEL


def _conda_x86_64_ceiling(text: str, m: re.Match[str], wanted: str) -> bool:
    """conda on osx-64 found no pytorch past 2.2.2 in channels without conda-forge: the pytorch
    channel's (and defaults') macOS x86_64 builds end at 2.2.2, like PyPI's wheels
    (https://anaconda.org/pytorch/pytorch/files; BoBo0037/bobo-fun#2). conda-forge may still
    build newer osx-64 packages, so a paste naming it anywhere proves nothing."""
    spec = re.search(r"[=<>~!]=?\s*(\d[\w.]*)", wanted)
    if spec is None or not _past_x86_64_wheels(spec.group(1)) or "osx-64" not in text:
        return False
    return "conda-forge" not in text.lower()


def _subdir_facts(subdir: str, text: str, m: re.Match[str], weight: int = WEAK) -> list[Clue]:
    """A macOS subdir's OS and machine. `weight`: conda's own platform (`conda info`) is its
    Python's machine, surer than `uname -m`, which is the shell's."""
    if subdir == "osx-64":
        return [clue("os", "Darwin", text, m, WEAK), clue("machine", "x86_64", text, m, weight)]
    if subdir == "osx-arm64":
        return [clue("os", "Darwin", text, m, WEAK), clue("machine", "arm64", text, m, weight)]
    return []


def _no_match(requirement: str, versions: str | None, text: str, m: re.Match[str]) -> list[Clue]:
    out = [clue("sign.pip_no_torch", requirement, text, m, LISTED)]
    listed = []
    for raw in (versions or "").split(","):
        try:
            listed.append(Version(raw.strip()))
        except InvalidVersion:
            continue
    # torch 0.1.2, 0.1.2.post1 and .post2 on PyPI are source placeholders pip lists for every
    # platform and Python (Linux Python 3.6 sees "0.1.2, 0.1.2.post1, 0.3.1, ...":
    # p-christ/Deep-Reinforcement-Learning-Algorithms-with-PyTorch#49; a Python no release has
    # wheels for sees them alone: pytorch/pytorch#67669, Python 3.10 in 2021), so a list of
    # nothing else is pip's "none" for this interpreter
    listed = [v for v in listed if v >= _FIRST_WHEEL]
    if versions is not None:
        out.append(clue("sign.pip_versions", tuple(listed), text, m, LISTED))
    if not listed:
        return out
    if GPU_BUILD.search(requirement) and not any(v.local for v in listed) and _PT_LINKS in text:
        # a +cuXXX build asked for with PyTorch's links given, and pip lists plain releases only:
        # this platform has no CUDA builds (AILab-CVC/VideoCrafter#10, on macOS: "torch==1.12.1+
        # cu113 (from versions: 1.4.0, ..., 2.0.0)" with -f .../whl/torch_stable.html, which lists
        # +cuXXX wheels for Linux x86_64 and Windows)
        out.append(clue("sign.no_gpu_builds", requirement, text, m, LISTED))
    if requirement.endswith("+cpu") and not any(v.local for v in listed) and _PT_LINKS in text:
        # the same for a +cpu build: PyTorch's links and CPU index hold +cpu wheels for Linux
        # and Windows, so pip listing plain releases only leaves another system
        # (bigsk1/voice-chat-ai#19: "torch==2.3.1+cpu (from versions: 1.11.0, ..., 2.7.0)" with
        # torch_stable.html, on macOS)
        out.append(clue("sign.no_cpu_builds", requirement, text, m, LISTED))
    newest = max(v for v in listed)
    later = any(map(_past_x86_64_wheels, _asked(requirement)))
    if Version("2.2") <= newest < Version("2.3") and later:
        # the newest torch this interpreter sees is 2.2.x while a later release was asked for:
        # PyPI's macOS x86_64 wheels end at 2.2.2 (https://pypi.org/pypi/torch/json: 2.3.0's
        # files have macosx_11_0_arm64 and no macosx_*_x86_64). A pin at or below the list's end
        # (torch==2.1.2+cu118 in early 2024, when 2.2.x was the newest) proves nothing.
        out.append(clue("sign.pip_x86_only", str(newest), text, m, LISTED))
        out.append(clue("os", "Darwin", text, m, LISTED))  # such a list exists only on macOS
    return out


# a CUDA / ROCm build's local version ("2.1.2+cu118", "2.0.1+rocm5.4.2"): PyTorch's convention,
# which other packages' GPU builds follow ("llama_cpp_python_cuda-0.2.23+cu118")
GPU_BUILD = re.compile(r"\+(?:cu|rocm)\d")
_FIRST_WHEEL = Version("0.2")
_PT_LINKS = "download.pytorch.org"


def _release(version: str) -> Version:
    try:
        return Version(Version(version).base_version)
    except InvalidVersion:
        return Version("0")


def _asked(requirement: str) -> list[str]:
    """The versions a requirement names as wanted or as its floor (==, ===, >=, >, ~=); read
    clause by clause, since installers print specifiers packaging rejects
    ("torch>=2.6.0,<=2.10.0+cpu": a local version after <=)."""
    return [
        version
        for op, version in SPEC_CLAUSE.findall(requirement)
        if op in ("==", "===", ">=", ">", "~=")
    ]
