"""A build for another platform (CUDA, Linux, Windows) installed or loaded on a Mac (issue 12).

The kind a maintainer recognises at a glance: something made for an NVIDIA GPU or for Linux is
being installed or loaded on a Mac. The paste shows it in the installer's or the loader's words:

- a CUDA-only package's source build failing (sign.cuda_build). Some packages publish no macOS
  wheel but a source archive, so pip on a Mac falls back to compiling it, and the build needs
  CUDA, which no Mac has. Which packages those are is stated in CUDA_BUILD, each with where its
  project says so; what PyPI holds for them was read from PyPI's JSON API
  (https://pypi.org/pypi/NAME/json, 2026-11-30). pip's own words name the package ("ERROR:
  Failed building wheel for xformers", "Could not build wheels for xformers", "Failed to build
  installable wheels for some pyproject.toml based projects (xformers)"); the CUDA build's own
  words name the missing toolkit for any package ("flash_attn was requested, but nvcc was not
  found": flash-attn's and mamba's setup.py, haotian-liu/LLaVA#698; "CUDA_HOME environment
  variable is not set": torch.utils.cpp_extension's CUDAExtension). Told in a sentence as well:
  "when I try to install xformers, I get an incredibly long error message"
  (facebookresearch/xformers#731).
- any other package's source build failing (sign.source_build): pip's and uv's words above for
  a package not in CUDA_BUILD, or the compiler failing ("error: command '/usr/bin/clang' failed
  with exit code 1": phospho-app/phosphobot#174, pybullet built by uv on an M3). On an Apple
  chip that is a release without a macOS arm64 wheel for this Python, which pip or uv compiles
  instead (gym-pybullet-drones#234: "M2 Mac Failed to build pybullet"; explosion/cython-blis#64:
  blis on an M1; 10 of the 14 real reports with a build failure in tests/data).
- Python failing to import a package that no Mac can install (sign.cuda_import): "No module named
  'triton'" (opengeos/geoai#797: SAM3 on macOS 26, a Mac with no triton build;
  ai-forever/ComfyUI-RMBG#139), "No module named 'mamba_ssm'" (Zyphra/Zonos#1), "No module named
  'xformers'" (zai-org/CogVLM#432): a package with no macOS build on PyPI
  (verify/data/gpu_only_packages.json, never one) or one whose build needs CUDA (CUDA_BUILD), read
  by its import name.
- a library that is not a Mach-O file (sign.not_mach_o): dyld's "(not a mach-o file)" for a .so
  (an ELF file from a Linux build: pytorch/FBGEMM#2945, fbgemm_gpu_py.so; google/grain#620,
  grain-nightly's index_shuffle_module.so), the older dyld's "unknown file type, first eight
  bytes: 0x7F 0x45 0x4C 0x46" (ELF's magic number: BhallaLab/moose-core#252). Only macOS's
  loader says either, so it is a Mac's.
- a CUDA-only conda package said in a sentence not to exist for a Mac's subdir ("`cudatoolkit`
  and the `nvidia` channel don't exist for osx-arm64": FoamoftheSea/lingonaut-python#6):
  sign.cuda_conda_package, as the solvers' refusals are (verify.diagnosis.paste.packages).
- the Mac named in the weakest way: "in MacOS", "on macOS (intel)", a bug template's "OS: [e.g.
  iOS] MacOS" (sign.mac_named). "macOS" in a sentence can be someone else's system ("I never
  ran it on macOS"), so this sign is never read as the OS: verify.diagnosis.foreign_rows uses it
  only where the failure itself cannot happen on Linux (a package with Linux wheels only, or a
  +cpu build PyTorch's own index has for Linux and Windows, refused), so that the one system
  left to tell apart is Windows or the Mac the text names.

verify.diagnosis.foreign_rows turns these into the torch.installed row.
"""

from __future__ import annotations

import functools
import re

from packaging.utils import canonicalize_name

from verify.diagnosis.paste import gpuonly
from verify.diagnosis.paste.clues import LISTED, STRONG, WEAK, Clue, clue, finditer, stated

# Packages that publish no macOS wheel and whose source build needs CUDA (PyPI's JSON API, read
# 2026-11-30: the newest release's files) -> where the project says the build needs CUDA / an
# NVIDIA GPU and no Mac is supported.
CUDA_BUILD: dict[str, str] = {
    # xformers 0.0.35: manylinux_2_28_x86_64 and win_amd64 wheels, an sdist; "xformers is not
    # compatible with MacOS" (danthe3rd, facebookresearch/xformers#740), "Most of XFormers
    # components will only work on Nvidia GPUs" (facebookresearch/xformers#731)
    "xformers": "https://github.com/facebookresearch/xformers/issues/740",
    # flash-attn 2.8.3.post2: an sdist only; its README's requirements: "CUDA 11.6 and above ...
    # Linux. Might work for Windows" (https://github.com/Dao-AILab/flash-attention#installation)
    "flash-attn": "https://github.com/Dao-AILab/flash-attention#installation-and-features",
    # mamba-ssm 2.3.2.post1: an sdist only; its README's requirements: "Linux, NVIDIA GPU,
    # PyTorch 1.12+, CUDA 11.6+" (https://github.com/state-spaces/mamba#installation)
    "mamba-ssm": "https://github.com/state-spaces/mamba#installation",
}
_NAME = r"([A-Za-z0-9][\w.-]*[A-Za-z0-9])"
# pip's build failure: "ERROR: Failed building wheel for xformers", "Failed to build xformers",
# "ERROR: Could not build wheels for xformers, which is required to install ...", pip 24's
# "Failed to build installable wheels for some pyproject.toml based projects (xformers)", uv's
# "Failed to build `flash-attn==2.7.4`" (pip/_internal/wheel_builder.py, pip/_internal/commands/
# install.py)
BUILD_FAILED = re.compile(
    r"(?:Failed building wheel for|Failed to build|Could not build wheels for)[ \t]+`?"
    + _NAME
    # pip's progress line for it: "Building wheel for tokenizers (pyproject.toml) ... error"
    + r"|Building wheel for "
    + _NAME
    + r" \([^)\n]*\) \.\.\. error"
    + r"|Failed to build installable wheels for some pyproject\.toml based projects[ \t]*"
    r"\(([^)\n]*)\)"
    # pip 22-23's legacy `setup.py install` failing: "Encountered error while trying to install
    # package.", then "╰─> sentencepiece" (pip/_internal/exceptions.py, LegacyInstallFailure;
    # realminchoi/babyagi-ui#1 on an M1 with Python 3.11)
    + r"|Encountered error while trying to install package\.[ \t`]*\n[ \t]*\u2570\u2500>[ \t]*"
    + _NAME
    # the same pip's first words on it: "Running setup.py install for mecab-python3 did not run
    # successfully." (pip/_internal/operations/install/legacy.py; jaketae/storyteller#6 on an M1,
    # no macOS arm64 wheel of mecab-python3 for Python 3.10)
    + r"|Running setup\.py install for "
    + _NAME
    + r" did not run successfully"
)
# pip (22+) failing to read a source distribution's metadata, its first step in building one:
# "python setup.py egg_info did not run successfully." (pip/_internal/operations/build/
# metadata_legacy.py), "Getting requirements to build wheel did not run successfully.",
# "Preparing metadata (pyproject.toml) did not run successfully." (metadata.py). pip builds only
# where no wheel fits (kha-white/mokuro#32: fugashi on an Apple silicon Mac, Python 3.9.13,
# "Have you installed MeCab?") -> sign.sdist_failed, the package read from pip's build folder
# in the output below it (none named, nothing read). Weaker than a build's own failure: the
# step also fails for a CUDA-only package (daniilidis-group/neural_renderer#140) or a Python
# too new for the release (Vaibhavs10/insanely-fast-whisper#75), whose rows say more
METADATA_FAILED = re.compile(
    r"(?:python setup\.py egg_info|Getting requirements to build wheel|"
    r"Preparing metadata \(pyproject\.toml\)) did not run successfully"
)
# a C / C++ compiler failing under pip's or uv's build: "error: command '/usr/bin/clang' failed
# with exit code 1" (setuptools' distutils spawn), "error: command 'gcc' failed with exit status 1"
COMPILER_FAILED = re.compile(
    r"error: command '[^'\n]*?\b(?:clang\+*|gcc|g\+\+|cc|c\+\+)' failed with exit (?:code|status)"
)
# the CUDA toolkit missing while a package builds: flash-attn's / mamba's setup.py "flash_attn
# was requested, but nvcc was not found." (haotian-liu/LLaVA#698), torch.utils.cpp_extension's
# "OSError: CUDA_HOME environment variable is not set. Please set it to your CUDA install root."
# Deformable-DETR's CUDA operator setup.py, which Mask2Former's `make.sh` builds:
# "NotImplementedError: CUDA_HOME is None. Please set environment variable CUDA_HOME"
# (facebookresearch/Mask2Former#219, on an Apple silicon Mac)
# A CMake build for NVIDIA's or AMD's GPUs only: "CMake Error at CMakeLists.txt:45 (message):
# Neither CUDA nor HIP found" (leoheuler/flashtensors#11, pip building it on an M1)
# vLLM's setup.py: "RuntimeError: Cannot find CUDA_HOME. CUDA must be available to build the
# package." (vllm-project/vllm#1441, `pip install vllm` on a Mac); a setup.py reading the CUDA
# version of a torch that has none: "CUDA_VERSION = "".join(torch.version.cuda.split("."))" then
# "AttributeError: 'NoneType' object has no attribute 'split'" (AutoGPTQ/AutoGPTQ#366). CMake's
# own CUDA search, for a project() or enable_language() with CUDA: "Failed to find nvcc.
# Compiler requires the CUDA toolkit." (Modules/Internal/CMakeCUDAFindToolkit.cmake;
# InternLM/lmdeploy#2228, cmake on an M3 Mac) and "No CMAKE_CUDA_COMPILER could be found."
# (Modules/CMakeDetermineCUDACompiler.cmake)
NO_NVCC = re.compile(
    r"nvcc[ \t]+was[ \t]+not[ \t]+found|CUDA_HOME[ \t]+environment[ \t]+variable[ \t]+is[ \t]+"
    r"not[ \t]+set|CUDA_HOME[ \t]+is[ \t]+None|Neither[ \t]+CUDA[ \t]+nor[ \t]+HIP[ \t]+found|"
    r"Cannot[ \t]+find[ \t]+CUDA_HOME|Failed[ \t]+to[ \t]+find[ \t]+nvcc\.|"
    r"No[ \t]+CMAKE_CUDA_COMPILER[ \t]+could[ \t]+be[ \t]+found|"
    r"torch\.version\.cuda\.split\([^\n]*\n[^\n]*'NoneType' object has no attribute 'split'|"
    # Deformable-DETR's CUDA operators' setup.py (get_extensions), copied into DINO and others:
    # "NotImplementedError: Cuda is not availabel" (IDEA-Research/DINO#138 on a MacBook M1)
    r"NotImplementedError:[ \t]*['\"]?Cuda[ \t]+is[ \t]+not[ \t]+availab"
)
# the package the nvcc warning names, just before it on its line
_REQUESTED = re.compile(_NAME + r"[ \t]+was[ \t]+requested,[ \t]+but[ \t]+$")
# or the source tree pip builds it in, before it: ".../T/pip-install-ubxft3ba/auto-gptq_49227d8c7
# 25445ff8ca985c4d5debc16/setup.py" (pip's temporary folder: the name, "_", a uuid4 hex)
_PIP_BUILD_DIR = re.compile(r"pip-install-\w+/([A-Za-z0-9][\w.-]*?)_[0-9a-f]{32}/")
# a sentence telling an install of such a package failing: "when I try to install xformers, I
# get an incredibly long error message" (facebookresearch/xformers#731), "Unable to install
# xFormers on Mac M1Max" (facebookresearch/xformers#775)
# (each package's name found first, the verb before it checked on its line: the names are rare
# words, which keeps a big paste fast)
CUDA_BUILD_NAME = re.compile(r"\b(xformers|flash[-_]attn|mamba[-_]ssm)\b", re.IGNORECASE)
# a person's words only ("I tried to install", "Unable to install"), not an application's
# installer log: SD.Next's "installer | Cannot install xformers package: local variable
# 'xformers_package' referenced before assignment" (vladmandic/automatic#1591) is its own bug
TRIED = re.compile(
    r"\b(?:(?:try|tried|trying|attempt(?:ed|ing)?)[ \t]+to|unable[ \t]+to)[ \t]+install[ \t]+`?$",
    re.IGNORECASE,
)
# (an exception's class counts: "ModuleNotFoundError: No module named 'torch' when attempting to
# install xformers", facebookresearch/audiocraft#362's title)
_FAILURE = re.compile(
    r"\berror|(?-i:[a-z]Error)\b|\bfail|\bcan(?:no|')t\b|\bunable\b|\bnot work", re.IGNORECASE
)
# Python's import failing, by the module's top name ("ModuleNotFoundError: No module named
# 'triton.language'": the package is triton)
NO_MODULE = re.compile(r"No module named[ \t]+[`'\"]?([A-Za-z_]\w*)")
# dyld refusing a file that is no Mach-O binary (an ELF .so of a Linux build)
NOT_MACH_O = re.compile(
    r"\(not a mach-o file\)|: ?unknown file type, first eight bytes: ?0x7F 0x45 0x4C 0x46",
    re.IGNORECASE,
)
# the library's path just before dyld's words on their line
_LIBRARY = re.compile(r"([^\s'\"()]+\.(?:so|dylib))'?[ \t]*$")
# the distribution's folder in the library's path: ".../site-packages/fbgemm_gpu/fbgemm_gpu_py.so"
_PACKAGE_DIR = re.compile(r"[/\\](?:site|dist)-packages[/\\]([\w.-]+)[/\\]")
# a CUDA-only conda package (or NVIDIA's channel) said not to exist for a Mac's subdir
CUDA_CONDA_SAID = re.compile(
    r"\b(pytorch-cuda|pytorch-gpu|cudatoolkit|cuda-toolkit|the[ \t]+`?nvidia`?[ \t]+channel)\b"
    r"`?[^.\n]{0,80}?\b(?:do(?:es)?n['\u2019]t|do(?:es)?[ \t]+not|is[ \t]+not|are[ \t]+not|"
    r"isn['\u2019]t|aren['\u2019]t)[ \t]+(?:(?:exist|available)[ \t]+(?:for|on)|support)[ \t]+`?"
    # "the `pytorch-gpu` dependency does not support osx-arm64" (JH-DSAI/text-detection-baselines
    # #17, a pixi environment)
    r"(osx-arm64|osx-64)\b",
    re.IGNORECASE,
)
# ... or said not to fit the user's own machine: "the cudatoolkit is not compatible with my
# laptop" (NVlabs/neuralangelo#188, a MacBook Pro M1 Pro; "We currently only support CUDA
# compatible graphics cards"). Linux and Windows machines have its builds: as for the solvers'
# refusals, verify.diagnosis.resolver reads it as a Mac's where the paste names no other OS.
CUDA_CONDA_UNFIT = re.compile(
    r"\b(pytorch-cuda|cudatoolkit|cuda-toolkit)\b`?[^.\n]{0,40}?\b(?:is|are)[ \t]+not[ \t]+"
    r"(?:compatible|available|supported)[ \t]+(?:with|on|for)[ \t]+(?:my|this|the|our)[ \t]+"
    r"(?:laptop|computer|machine|mac(?:book)?(?:[ \t]+(?:pro|air))?|system|device)\b|"
    # ... or a command asking for it said to fail on Macs: "`conda install pytorch
    # pytorch-cuda=11.6 -c pytorch -c nvidia` will fail for Mac user" (pnnl/neuromancer#11)
    r"\b(pytorch-cuda|cudatoolkit|cuda-toolkit)\b[^\n]{0,80}?\b(?:will|would)[ \t]+fail[ \t]+"
    r"(?:for|on)[ \t]+(?:an?[ \t]+|the[ \t]+)?(?:mac(?:os|book)?|apple[ \t]+silicon|M[1-5])\b",
    re.IGNORECASE,
)
# ... and in Japanese, the package said to be absent on a Mac: "environment.ymlでcudatoolkit要求
# してるけど、最近のmacにこのパッケージはない" ("environment.yml asks for cudatoolkit, but recent
# Macs have no such package": opthub-org/pytorch-bsf#223)
CUDA_CONDA_NOT_ON_MAC_JA = re.compile(
    r"(?<![A-Za-z0-9_-])(pytorch-cuda|cudatoolkit|cuda-toolkit)(?![A-Za-z0-9_-])[^\n\u3002]{0,40}?"
    r"(?<![A-Za-z])mac(?:os)?(?![A-Za-z])[^\n\u3002]{0,20}?"
    r"(?:ない|無い|ありません|存在しない)",
    re.IGNORECASE,
)
# a package said to run on Linux only: vLLM's setup "AssertionError: vLLM only supports Linux
# platform (including WSL)." (sgl-project/sglang#508, "Mac support?", asked from a Mac;
# RUC-NLPIR/FlashRAG#5 on an Apple silicon Mac), or a user's "Currently vLLM only supports
# Linux." (SakanaAI/self-adaptive-llms#11). The words name the package's platform, not the
# machine's: the assertion is raised on a Mac (or Windows), never on Linux.
LINUX_ONLY = re.compile(r"\b([A-Za-z][\w.-]*) only supports Linux(?: platforms?)?\b")
# GNU ld refusing one of LibTorch's libraries as of another format: "/usr/bin/ld:
# ../cache/libtorch-1.9.1-cpu/lib/libtorch.so: error adding symbols: file in wrong format"
# (elixir-nx/nx#593: a Docker build on a MacBook Air M1 linking the x86_64 LibTorch that the
# project downloaded into an arm64 container). GNU ld's words: Linux's linker, not a Mac's.
LINKED_WRONG_FORMAT = re.compile(
    r"([^\s:'\"]*\b(?:libtorch|libc10)\w*\.so)(?:\.[\d.]+)?:[^\n]*?\bfile in wrong format\b"
)
# Docker finding no image for the machine's platform: "no matching manifest for linux/arm64/v8
# in the manifest list entries" (coqui-ai/TTS#3095 on an M1 Pro, debpalash/VoiceStudio#1921,
# davidamacey/OpenTranscribe#38: images published for amd64 only), or running one built for
# another: "The requested image's platform (linux/amd64) does not match the detected host
# platform (linux/arm64/v8) and no specific platform was requested" (infiniflow/ragflow#1164 on
# an M1: "We only built and uploaded x86 docker image"). Docker's words (moby).
IMAGE_PLATFORM = re.compile(
    r"no matching manifest for (?P<missing>linux/arm64(?:/v8)?) in the manifest list entries|"
    r"The requested image's platform \((?P<image>linux/amd64)\) does not match the detected "
    r"host platform \((?P<host>linux/arm64(?:/v8)?)\)"
)
# transformers' check for a model's own code ("ImportError: This modeling file requires the
# following packages that were not found in your environment: flash_attn. Run `pip install
# flash_attn`": transformers/dynamic_module_utils.py check_imports): the package is one the
# model's remote code imports, often only optionally (replit/ReplitLM#8: flash_attn on an M1, "run
# with the default attention implementation in PyTorch")
MODEL_CODE_REQUIRES = re.compile(r"This modeling file requires")
# diffusers refusing the attention backend the code chose ("Flash Attention backend 'flash' is not
# usable because of missing package or the version is too old. Please install
# `flash-attn>=2.6.3`.": diffusers/models/attention_dispatch.py,
# _check_attention_backend_requirements; smthemex/ComfyUI_TwinFlow#17 on an M4 Pro): the backend
# needs flash-attn, a CUDA build, where the native one (PyTorch's SDPA) runs on MPS
FLASH_BACKEND_REFUSED = re.compile(
    r"Flash Attention backend '[\w-]+' is not usable because of missing package[^\n]*?"
    r"Please install `(flash-attn)[^`\n]*`"
)
# pip finding no release of some package: on an Intel Mac, where torch stops at 2.2.2, the
# packages built against later torch releases publish no x86_64 macOS wheels ("Could not find a
# version that satisfies the requirement torchcodec>=0.2.1; sys_platform != "win32" ... (from
# versions: 0.0.0.dev0)" on a "Mac i9 intel": meta-pytorch/torchcodec#608);
# verify.diagnosis.install_rows weighs it as it does an install command there
PIP_REFUSED = re.compile(r"Could not find a version that satisfies the requirement " + _NAME)
# the Mac named, nothing more (see the module doc: never read as the OS)
MAC_NAMED = re.compile(r"(?<![\w/.@-])(?:mac[ \t]?OS(?:[ \t]?X)?|OS[ \t]?X|Mac)(?![\w-])", re.I)


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(
        BUILD_FAILED,
        text,
        "Failed",
        "build wheels",
        "Building wheel",
        "Encountered error",
        "Running setup.py",
    ):
        one = m.group(1) or m.group(2) or m.group(4) or m.group(5)
        names = [one] if one else re.split(r"[,\s]+", m.group(3))
        for name in names:
            if name and canonicalize_name(name) in CUDA_BUILD:
                out.append(clue("sign.cuda_build", canonicalize_name(name), text, m, LISTED))
            elif name:
                out.append(clue("sign.source_build", name, text, m, LISTED))
    for m in finditer(METADATA_FAILED, text, "did not run successfully"):
        folder = _PIP_BUILD_DIR.search(text, m.end(), m.end() + 4000)
        if folder is not None and canonicalize_name(folder.group(1)) not in CUDA_BUILD:
            out.append(clue("sign.sdist_failed", folder.group(1), text, m, LISTED))
        break
    for m in finditer(COMPILER_FAILED, text, "error: command"):
        out.append(clue("sign.source_build", "", text, m, LISTED))
        break
    for m in finditer(
        NO_NVCC,
        text,
        "nvcc",
        "CUDA_HOME",
        "nor HIP",
        "version.cuda.split",
        "Cuda is not",
        "CMAKE_CUDA_COMPILER",
    ):
        named = _REQUESTED.search(text, text.rfind("\n", 0, m.start()) + 1, m.start())
        if named is None:  # the last build folder before it
            folders = list(_PIP_BUILD_DIR.finditer(text, max(0, m.start() - 5000), m.start()))
            named = folders[-1] if folders else None
        name = canonicalize_name(named.group(1)) if named else ""
        out.append(clue("sign.cuda_build", name, text, m, LISTED))
    for m in finditer(CUDA_BUILD_NAME, text, "ormers", "attn", "amba"):
        name = canonicalize_name(m.group(1))
        start = text.rfind("\n", 0, m.start()) + 1
        if not TRIED.search(text, max(start, m.start() - 40), m.start()):
            continue
        if not stated(text, m, strict=False):
            continue
        end = text.find("\n", m.end())
        rest = text[m.end() : end if end != -1 else len(text)]
        if _FAILURE.search(text[max(start, m.start() - 100) : m.start()] + rest[:120]):
            out.append(clue("sign.cuda_build", name, text, m, WEAK))
    for m in finditer(MODEL_CODE_REQUIRES, text, "modeling file"):
        out.append(clue("sign.model_code_requires", "model", text, m, LISTED))
        break
    for m in finditer(FLASH_BACKEND_REFUSED, text, "Flash Attention backend"):
        out.append(clue("sign.cuda_build", m.group(1), text, m, LISTED))
        out.append(clue("sign.model_code_requires", "attention_backend", text, m, LISTED))
        break
    for m in finditer(IMAGE_PLATFORM, text, "no matching manifest", "requested image's platform"):
        pulled = m.group("missing") is None  # pulled and run under emulation, or none found
        out.append(clue("sign.image_platform", "emulated" if pulled else "missing", text, m))
        break
    for m in finditer(LINKED_WRONG_FORMAT, text, "wrong format"):
        out.append(clue("sign.linked_wrong_format", m.group(1).rsplit("/", 1)[-1], text, m))
        break
    for m in finditer(LINUX_ONLY, text, "only supports Linux"):
        out.append(clue("sign.linux_only", m.group(1), text, m, LISTED))
        break
    for m in finditer(NO_MODULE, text, "No module named"):
        name = canonicalize_name(m.group(1))
        if name in CUDA_BUILD or name in _never_on_macos():
            out.append(clue("sign.cuda_import", name, text, m, LISTED))
            break
    for m in finditer(NOT_MACH_O, text, "mach-o", "Mach-O", "MACH-O", "0x7F"):
        library_at = _LIBRARY.search(text, text.rfind("\n", 0, m.start()) + 1, m.start())
        if library_at is None:
            continue
        path = library_at.group(1)
        folder = _PACKAGE_DIR.search(path)
        package = folder.group(1) if folder else ""
        library = re.split(r"[/\\]", path)[-1]
        out.append(clue("sign.not_mach_o", (package, library), text, m, STRONG))
        out.append(clue("os", "Darwin", text, m, WEAK))  # dyld's words: macOS's loader
        out.append(clue("sign.mac_hint", True, text, m, WEAK))
    for m in finditer(CUDA_CONDA_SAID, text, "osx-"):
        said = m.group(1).lower()
        package = "the nvidia channel's CUDA packages" if "nvidia" in said else said
        out.append(clue("sign.cuda_conda_package", package, text, m, WEAK))
    for m in finditer(CUDA_CONDA_UNFIT, text, "toolkit", "pytorch-cuda", "TOOLKIT"):
        if stated(text, m, strict=False):
            package = (m.group(1) or m.group(2)).lower()
            out.append(clue("sign.cuda_conda_package", package, text, m, WEAK))
            break
    for m in finditer(CUDA_CONDA_NOT_ON_MAC_JA, text, "toolkit", "pytorch-cuda", "TOOLKIT"):
        out.append(clue("sign.cuda_conda_package", m.group(1).lower(), text, m, WEAK))
        break
    for m in finditer(PIP_REFUSED, text, "Could not find a version"):
        if canonicalize_name(m.group(1)) != "torch":  # torch's own: verify.diagnosis.paste.packages
            out.append(clue("sign.package_refused", m.group(1), text, m))
            break
    for m in finditer(MAC_NAMED, text, "mac", "Mac", "MAC", "OS X", "OSX"):
        # six words back: "I never ran it on macOS" is someone else's system
        if stated(text, m, 6, strict=False):
            out.append(clue("sign.mac_named", True, text, m, WEAK))
            break
    return out


@functools.cache
def _never_on_macos() -> frozenset[str]:
    """The packages PyPI has never had a macOS build of (verify/data/gpu_only_packages.json),
    gathered once: the reader asks at every "No module named" line of a paste."""
    return frozenset(n for n, p in gpuonly.known().items() if p.last_macos_build is None)
