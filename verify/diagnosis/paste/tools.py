"""The environment dumps and start-up logs of the tools people run around PyTorch: accelerate /
transformers / diffusers / huggingface-cli env, Lightning, ComfyUI, InvokeAI, the web UIs,
torch.__config__.show(), and MPS state as people print it.

- `accelerate env`, `transformers env` / `transformers-cli env`, `diffusers-cli env`,
  `huggingface-cli env`: "- Platform: macOS-14.5-arm64-arm-64bit" (read by .system),
  "- Python version: 3.10.12" (.versions), "- PyTorch version (GPU?): 2.0.1 (False)" - the
  parenthesis is torch.cuda.is_available() in older releases, the accelerator ("mps", "NA") in
  newer ones (huggingface/transformers src/transformers/commands/env.py). accelerate 1.7+ adds
  "- PyTorch accelerator: N/A" and, from 1.15, "MPS" with "- MPS type: Apple M2 Pro" where
  torch.backends.mps is built and available (accelerate/commands/env.py).
- Lightning: "GPU available: True (mps), used: True" and "MPS available but not used. Set
  `accelerator` and `devices` ..." (lightning/pytorch/trainer/setup.py _log_device_info); its
  collect_env_details "- OS: Darwin", "- processor: arm", "- python: 3.10.9", "- torch: 2.0.1".
- transformers' example scripts: "Process rank: -1, device: mps, n_gpu: ..." (the Trainer's device,
  mps only where MPS is available).
- ComfyUI: "Device: mps" (comfy/model_management.py get_torch_device_name), "Set vram state to:
  SHARED" (only on MPS), "Mac Version (15, 1, 1)" (platform.mac_ver()), "pytorch version: 2.3.0",
  "** Platform: Darwin", its error report's "- **PyTorch Version:** 2.8.0" and "- **Type:** mps"
  (.versions reads the versions); Stable Diffusion web UIs print "Python 3.10.6 (...)" (.versions).
- torch.__config__.show(): "USE_MPS=ON" / "USE_MPS=OFF" in "Build settings", "TORCH_VERSION=2.1.0",
  and "Intel(R) oneAPI Math Kernel Library" / "Intel(R) Math Kernel Library" (only x86_64 builds
  link MKL); MKL's "FATAL ERROR", jaxlib's and TensorFlow's start-up checks for a processor without
  AVX (Rosetta 2 on a Mac); a library refusing sys.platform ("Unknown platform: darwin").
- collect_env's SystemEnv as JSON, as the web UIs' "Sysinfo" file holds it ("Torch env info":
  "torch_version", "python_version", "os", "is_cuda_available"; verify.diagnosis.envdump reads such
  JSON
  as text).
- pip's warning about the Python it runs under: "DEPRECATION: Python 2.7 reached the end of its
  life on January 1st, 2020." (pip 19.3-20.3).
- is_built() / is_available() as people print them: ">>> torch.backends.mps.is_available()" then
  "False", "MPS available: True", "torch.backends.mps.is_built() -> False".
"""

from __future__ import annotations

import re

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

_M = re.MULTILINE | re.IGNORECASE

HF_TORCH = re.compile(
    r"PyTorch version \((?:GPU|accelerator)\?\)[ \t]*:[ \t]*(\d[\w.+]*)[ \t]*\(([^)]*)\)"
)
# accelerate env (accelerate/commands/env.py): "- PyTorch accelerator: ..." from 1.7, "MPS" among
# its answers only from 1.15 (accelerate.utils.is_mps_available: torch 1.12+, mps built and
# available), when "- MPS type: " + `sysctl -n machdep.cpu.brand_string` follows; before 1.15
# every Mac says "N/A", so "N/A" says MPS is unavailable only beside a 1.15+ version line
ACCELERATE_VERSION = re.compile(r"^[ \t>*-]*`?Accelerate`? version:[ \t]*(\d+)\.(\d+)\b", _M)
ACCELERATE_ACCEL = re.compile(r"^[ \t>*-]*PyTorch accelerator:[ \t]*(MPS|N/A)[ \t]*$", _M)
ACCELERATE_MPS_TYPE = re.compile(r"^[ \t>*-]*MPS type:[ \t]*(Apple M\d[\w ]*|Intel\b)", _M)
LIGHTNING_GPU = re.compile(r"GPU available:[ \t]*(True|False)(?:[ \t]*\((\w+)\))?")
# Lightning's warning when MPSAccelerator.is_available() and the Trainer was given another
# accelerator (lightning/pytorch/trainer/setup.py _log_device_info: "MPS available but not used.
# Set `accelerator` and `devices` using `Trainer(accelerator='mps', devices=1)`.")
LIGHTNING_MPS_UNUSED = re.compile(
    r"\bMPS available but not used\. Set `?accelerator`? and `?devices`?"
)
LIGHTNING_PROC = re.compile(r"^[ \t>*-]*processor:[ \t]*(arm|i386|x86_64|arm64)[ \t]*$", _M)
COMFY_DEVICE = re.compile(r"^[ \t>]*Device:[ \t]*(mps|cpu)\b", re.MULTILINE)
# ComfyUI (and Fooocus' copy of it, ldm_patched/modules/model_management.py): "Set vram state to:
# SHARED" is printed only when cpu_state is CPUState.MPS, set when
# torch.backends.mps.is_available() (comfy/model_management.py: "if cpu_state == CPUState.MPS:
# vram_state = VRAMState.SHARED"; --cpu gives DISABLED); its error report's "## Devices" list
# names the torch device's type ("- **Type:** mps", Comfy-Org/ComfyUI#7171)
# ComfyUI's "Mac Version (15, 1, 1)": comfy/model_management.py logs mac_version(), the tuple of
# platform.mac_ver()[0] (jags111/efficiency-nodes-comfyui#350's start-up log)
COMFY_MAC_VERSION = re.compile(
    r"^[ \t]*Mac Version \((\d{2})(?:, (\d{1,2}))?(?:, (\d{1,2}))?\)", re.M
)
COMFY_SHARED = re.compile(r"^[ \t]*Set vram state to:[ \t]*SHARED\b", re.MULTILINE)
# transformers' example scripts log TrainingArguments.device at start-up
# (examples/pytorch/*/run_*.py: logger.warning(f"Process rank: {training_args.local_rank}, "
# f"device: {training_args.device}, ...")): "mps" only where torch.backends.mps.is_available()
# (training_args.py _setup_devices; the use_mps_device flag raised when it was not) -
# huggingface/transformers#18598's run_glue log
# pip's own warning about the interpreter it runs under (pip 19.3-20.3, src/pip/_internal/cli/
# base_command.py): "DEPRECATION: Python 2.7 reached the end of its life on January 1st, 2020.
# Please upgrade your Python ..." (and "... will reach the end of its life ..." before the day):
# the one place a paste states a Python 2 or 3.5 it ran (IntelRealSense/librealsense#6246)
PIP_PYTHON_EOL = re.compile(
    r"^[ \t>]*DEPRECATION: Python (2\.7|3\.[45]) (?:reached|will reach) the end of its life\b", _M
)
HF_EXAMPLE_DEVICE = re.compile(r"\bProcess rank: -?\d+, device: (mps|cpu|cuda)\b")
# (as read, verify.diagnosis.paste.logprefix has taken the bold off: "- Type: mps")
COMFY_DEVICE_TYPE = re.compile(r"^[ \t>*-]*(?:\*\*Type:\*\*|Type:)[ \t]*mps[ \t]*$", re.MULTILINE)
PLATFORM_KEY = re.compile(r"^[ \t>*-]*(?:\*\*[ \t]*)?Platform:[ \t]*(Darwin|Linux|Windows)\b", _M)
# a library refusing the process's sys.platform: "RuntimeError: Unknown platform: darwin"
# (cpm_kernels in zai-org/ChatGLM-6B#6): the process runs on that OS
PLATFORM_REFUSED = re.compile(
    r"\b(?:Unknown|Unsupported)[ \t]+platform:?[ \t]*['\"]?(darwin|linux|win32)\b", re.IGNORECASE
)
USE_MPS = re.compile(r"\bUSE_MPS=(ON|OFF|1|0)\b")
# torch.__config__.show()'s "Build settings:" line: what the build was made with. "USE_MPS=1"
# elsewhere is a request (an env var for a source build, prose: "USE_MPS=1 or USE_CUDA_MPS=1 do
# not work" on Ubuntu, pytorch/pytorch#96881) that a build without MPSGraph ignores; "=OFF" / "=0"
# anywhere means the build was asked not to have MPS.
BUILD_SETTINGS = re.compile(r"Build settings:[^\n]*\Z")
BUILD_TORCH = re.compile(r"\bTORCH_VERSION=(\d[\w.+]*)")
MKL_BUILD = re.compile(r"Intel\(R\)(?: oneAPI)? Math Kernel Library")
# MKL refusing the processor at start-up: "Intel MKL FATAL ERROR: This system does not meet the
# minimum requirements for use of the Intel(R) Math Kernel Library. ... The processor must support
# the Intel(R) Advanced Vector Extensions (Intel(R) AVX) instructions." On a Mac that is Rosetta 2,
# which translated no AVX before macOS 15 (every Intel Mac since 2011 has it): an x86_64 torch /
# numpy on Apple silicon (agentmorris/MegaDetector#64, TorchStudio#10, sd-gui#12). The other x86_64
# libraries' start-up checks say the same: jaxlib's "This version of jaxlib was built using AVX
# instructions, which your CPU and/or operating system do not support. This error is frequently
# encountered on macOS when running an x86 Python installation on ARM hardware." (jianchang512/
# vocal-separate#15, "apple M 芯片"), TensorFlow's cpu_feature_guard.cc "The TensorFlow library
# was compiled to use AVX instructions, but these aren't available on your machine." (AVX only:
# Rosetta has SSE4; a Linux machine without SSE4.1 says so too)
NO_AVX = re.compile(
    r"Intel MKL FATAL ERROR: This system does not meet the minimum requirement|"
    r"jaxlib was built using AVX instructions, which your CPU|"
    r"compiled to use AVX2? instructions, but these aren't available on your machine"
)
# zsh's "illegal hardware instruction" (SIGILL) on Apple silicon: an x86_64 process under Rosetta 2
# running an instruction Rosetta does not translate (AVX in an x86_64 numpy / torch / tensorflow
# build): nebuly-ai/optimate#142 ("on M1 using conda"), google-deepmind/mujoco#611; each of the
# 5 real reports with it on an Apple chip was Rosetta (tests/data); macOS's bash and sh say
# "Illegal instruction: 4" for the same signal (impira/docquery#26 "on Mac M1",
# deezer/spleeter#692; Linux's bash says "Illegal instruction (core dumped)")
ILLEGAL_INSTRUCTION = re.compile(r"\billegal hardware instruction\b|\bIllegal instruction: 4\b")
# zsh's own wording: macOS's default shell since 10.15 (verify.diagnosis.paste reads it as a Mac's
# x86_64 process where no chip is named)
ZSH_SIGILL = "zsh: illegal hardware instruction"
MPS_STATE = re.compile(
    r"(?:torch\.backends\.mps\.|mps\.|\bMPS[ \t]+(?:is[ \t]+)?|\bMPS(?=可用))"
    r"(is_available|is_built|available|built|可用)"  # 可用: "available" (Chinese)
    r"(?:\(\))?\??[`'\"]?[ \t]*(?:(?:==|->|→|=>|:|\uff1a|=|#|\?|is|returns?|gives|prints?)[ \t]*|"
    r"[)`'\"]*[ \t]*\n(?:[ \t>]*\n)?[ \t>]*(?:Out\[\d+\]:[ \t]*)?)[`'\"]?(True|False)\b",
    re.IGNORECASE,
)


# collect_env's SystemEnv as JSON (torch.utils.collect_env.get_env_info()._asdict()), as the
# Stable Diffusion web UIs' "Sysinfo" file holds it under "Torch env info" beside "Python":
# "3.10.6" (AUTOMATIC1111 modules/sysinfo.py; AUTOMATIC1111/stable-diffusion-webui#13621):
# "torch_version", "python_version", "os" ("macOS 14.2.1 (arm64)": get_os() adds
# platform.machine(); "Ubuntu 18.04.4 LTS (x86_64)") and "is_cuda_available"
SYSENV_KEY = re.compile(
    r'^[ \t]*"(torch_version|python_version|os|is_cuda_available|Python)"[ \t]*:[ \t]*'
    r'"([^"\n]+)"',
    re.MULTILINE,
)
SYSENV_MACOS = re.compile(r"^macOS (\d+(?:\.\d+){0,2}) \((arm64|x86_64)\)$")
SYSENV_LINUX = re.compile(r"^(?!macOS |Microsoft )[^()]+\((x86_64|aarch64)\)$")


# Ultralytics / YOLOv5 start-up banner: "Ultralytics YOLOv8.1.42 🚀 Python-3.9.19 torch-2.2.2 CPU
# (Apple M2)", "YOLOv8.0.3 🚀 Python-3.10.0 torch-2.0.0 MPS": select_device
# (ultralytics/utils/torch_utils.py) prints "MPS" only when torch.backends.mps.is_available()
# (else "CPU"), then the CPU brand string in parentheses
YOLO_BANNER = re.compile(
    r"\bPython-(3\.\d{1,2}(?:\.\d{1,2})?)[ \t]+torch-(\d[\w.+]*)[ \t]+(MPS|CPU|CUDA:\d+)\b"
    r"(?:[ \t]*\(([^)\n]*)\))?"
)
# ComfyUI's start-up log names the torch its own process imported (comfy/model_management.py:
# logging.info("pytorch version: {}".format(torch_version))): the app's torch, whatever another
# environment's `pip show torch` says (Comfy-Org/ComfyUI#6254: its venv's 2.1.2 beside
# miniconda's 2.5.1) -> sign.app_torch (verify.diagnosis.behind)
COMFY_TORCH = re.compile(r"^[ \t]*pytorch version:[ \t]*(\d+\.\d+(?:\.\d+)?[\w.+]*)[ \t]*$", re.M)
# InvokeAI / other UIs: "Using torch device: MPS", ">> Using device_type mps"; PyTorch's own
# tutorials (beginner_source/basics/quickstart_tutorial.py: the accelerator if available, printed
# as f"Using {device} device"): "Using mps device"; sentence-transformers (SentenceTransformer
# __init__ logs util.get_device_name(), "mps" only when torch.backends.mps.is_available()):
# "Use pytorch device_name: mps"
USING_DEVICE = re.compile(
    r"Using (?:torch )?device(?:_type)?:?[ \t]*(?:mps|MPS|Apple Metal Performance Shaders)\b|"
    r"\bUsing mps device\b|\bUse pytorch device_name:[ \t]*mps\b"
)
# ggml's Metal start-up log (llama.cpp, whisper.cpp: "ggml_metal_init: found device: Apple M1 Max",
# "picking default device: Intel Iris Graphics": MTLDevice.name, ggml-metal.m; newer builds'
# "ggml_metal_device_init: GPU name:   Apple M3 Pro"): the Mac's own GPU by Metal's name for it.
# An Intel GPU or an AMD one is an Intel Mac's (whisper-cpp#1393: "found device: Intel Iris
# Graphics"); an Apple one names the chip
METAL_DEVICE = re.compile(
    r"\bggml_metal_\w+:[ \t]+(?:found device|picking default device|GPU name):[ \t]+"
    r"((Apple[ \t]+M[1-9](?:[ \t]+(?:Pro|Max|Ultra))?)|(Intel)[^\n]*|(AMD|Radeon)[^\n]*)[ \t]*$",
    re.MULTILINE,
)
# code, not output: "if torch.backends.mps.is_available() == False:"
_CODE = re.compile(r"\b(?:if|elif|while|assert|return|and|or|not)\b[^\n]*$")
PRINT_LINE = re.compile(r"[ \t]*(?:>>> )?print\(")


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(METAL_DEVICE, text, "ggml_metal_"):
        out.append(clue("os", "Darwin", text, m, STRONG))  # Metal: Apple's systems only
        if m.group(2):
            out.append(clue("chip", " ".join(m.group(2).split()), text, m, STRONG))
        elif m.group(3):
            out.append(clue("sign.intel_cpu", True, text, m, STRONG))
        else:
            out.append(clue("sign.amd_gpu", True, text, m, STRONG))
        break
    for m in finditer(HF_TORCH, text, "PyTorch version ("):
        out.append(clue("torch_version", m.group(1), text, m, STRONG))
        accel = m.group(2).strip().lower()
        if accel == "mps":
            out.append(clue("mps_available", True, text, m, STRONG))
    out.extend(_accelerate(text))
    for m in finditer(LIGHTNING_GPU, text, "GPU available"):
        if m.group(1) == "True" and (m.group(2) or "").lower() == "mps":
            out.append(clue("mps_available", True, text, m, STRONG))
            out.append(clue("os", "Darwin", text, m, LISTED))
    for m in finditer(LIGHTNING_MPS_UNUSED, text, "MPS available but not used"):
        out.append(clue("mps_available", True, text, m, STRONG))
        out.append(clue("os", "Darwin", text, m, LISTED))
    for m in finditer(LIGHTNING_PROC, text, "processor"):
        machine = "arm64" if m.group(1).lower() in ("arm", "arm64") else "x86_64"
        out.append(clue("machine", machine, text, m, LISTED))
    for m in finditer(COMFY_DEVICE, text, "Device:"):
        if m.group(1) == "mps":
            out.append(clue("mps_available", True, text, m, STRONG))
            out.append(clue("os", "Darwin", text, m, LISTED))
    for m in finditer(HF_EXAMPLE_DEVICE, text, "Process rank"):
        if m.group(1) == "mps":
            out.append(clue("mps_available", True, text, m, STRONG))
            out.append(clue("os", "Darwin", text, m, LISTED))
    for m in [
        *finditer(COMFY_SHARED, text, "SHARED"),
        *finditer(COMFY_DEVICE_TYPE, text, "Type:"),
    ]:
        out.append(clue("mps_available", True, text, m, STRONG))
        out.append(clue("os", "Darwin", text, m, LISTED))
    for m in finditer(COMFY_MAC_VERSION, text, "Mac Version ("):
        version = ".".join(part for part in m.groups() if part is not None)
        out.append(clue("os", "Darwin", text, m, STRONG))
        out.append(
            clue("macos_version", version if "." in version else version + ".0", text, m, STRONG)
        )
    for m in finditer(PLATFORM_KEY, text, "latform"):
        out.append(clue("os", m.group(1).title(), text, m, LISTED))
    for m in finditer(PLATFORM_REFUSED, text, "platform"):
        out.append(clue("os", SYS_PLATFORM_OS[m.group(1).lower()], text, m, WEAK))
    for m in finditer(USE_MPS, text, "USE_MPS"):
        on = m.group(1) in ("ON", "1")
        if on and not BUILD_SETTINGS.search(text, text.rfind("\n", 0, m.start()) + 1, m.start()):
            continue
        out.append(clue("mps_built", on, text, m, STRONG))
    for m in finditer(BUILD_TORCH, text, "TORCH_VERSION="):
        out.append(clue("torch_version", m.group(1), text, m, STRONG))
    for m in finditer(MKL_BUILD, text, "Math Kernel"):
        out.append(clue("sign.mkl_build", True, text, m, LISTED))
    for m in finditer(NO_AVX, text, "MKL FATAL", "using AVX", "use AVX"):
        out.append(clue("sign.no_avx", True, text, m, LISTED))
    sigill = None  # the first, or zsh's own line where there is one (a title may come first)
    for m in finditer(ILLEGAL_INSTRUCTION, text, "illegal hardware", "Illegal instruction: 4"):
        sigill = sigill or m
        if ZSH_SIGILL in line_at(text, m.start()):
            sigill = m
            break
    if sigill is not None:
        out.append(clue("sign.illegal_instruction", True, text, sigill, LISTED))
    for m in finditer(SYSENV_KEY, text, '_version"', '"os"', '"Python"', "is_cuda"):
        out.extend(_sysenv(m.group(1), m.group(2).strip(), text, m))
    for m in finditer(COMFY_TORCH, text, "pytorch version:"):
        out.append(clue("sign.app_torch", m.group(1), text, m, STRONG))
    for m in finditer(PIP_PYTHON_EOL, text, "DEPRECATION: Python"):
        out.append(clue("python_version", m.group(1), text, m, STRONG))
    for m in finditer(YOLO_BANNER, text, "Python-"):
        out.append(clue("python_version", m.group(1), text, m, STRONG))
        out.append(clue("torch_version", m.group(2), text, m, STRONG))
        if m.group(3) == "MPS":
            out.append(clue("mps_available", True, text, m, STRONG))
            out.append(clue("os", "Darwin", text, m, LISTED))
        cpu = (m.group(4) or "").strip()
        if cpu.startswith("Apple M"):
            out.append(clue("chip", cpu, text, m, STRONG))
    for m in finditer(USING_DEVICE, text, "Using ", "device_name"):
        out.append(clue("mps_available", True, text, m, STRONG))
    for m in finditer(MPS_STATE, text, "mps", "MPS"):
        line_start = text.rfind("\n", 0, m.start()) + 1
        # code before it on its line, within its sentence ("I am not running this in a
        # sandbox. ... MPS available: False" is prose: its "not" is another sentence's)
        if _CODE.search(re.split(r"[.;!?][ \t]", text[line_start : m.start()])[-1]):
            continue
        if "\n" in m.group(0) and _in_print_run(text, line_start):
            continue  # after a run of prints, the next line is the run's first value
        field = "mps_built" if "built" in m.group(1).lower() else "mps_available"
        out.append(clue(field, m.group(2).lower() == "true", text, m, STRONG))
    return out


def _accelerate(text: str) -> list[Clue]:
    """accelerate env's accelerator and MPS type lines (1.15+ names MPS)."""
    out: list[Clue] = []
    version = ACCELERATE_VERSION.search(text) if "ccelerate" in text else None
    says_mps = version is not None and (int(version.group(1)), int(version.group(2))) >= (1, 15)
    for m in finditer(ACCELERATE_ACCEL, text, "PyTorch accelerator"):
        if m.group(1).upper() == "MPS":
            out.append(clue("mps_available", True, text, m, STRONG))
            out.append(clue("os", "Darwin", text, m, LISTED))
        elif says_mps:
            out.append(clue("mps_available", False, text, m, STRONG))
    for m in finditer(ACCELERATE_MPS_TYPE, text, "MPS type"):
        out.append(clue("mps_available", True, text, m, STRONG))
        out.append(clue("os", "Darwin", text, m, LISTED))
        if m.group(1).lower() == "intel":
            out.append(clue("sign.intel_cpu", True, text, m, STRONG))
        else:
            out.append(clue("chip", m.group(1).strip(), text, m, STRONG))
    return out


def _sysenv(key: str, value: str, text: str, m: re.Match[str]) -> list[Clue]:
    """One key of collect_env's SystemEnv as JSON (or the web UI's "Python")."""
    if key == "torch_version" and re.match(r"\d+\.\d+", value):
        return [clue("torch_version", value, text, m, STRONG)]
    if key in ("python_version", "Python") and re.match(r"3\.\d+\.\d+", value):
        return [clue("python_version", value.split(maxsplit=1)[0], text, m, STRONG)]
    if key == "is_cuda_available" and value in ("True", "False"):
        return [clue("cuda_available", value == "True", text, m, STRONG)]
    if key == "os" and (mac := SYSENV_MACOS.match(value)):
        return [
            clue("os", "Darwin", text, m, STRONG),
            clue("macos_version", mac.group(1), text, m, STRONG),
            clue("machine", mac.group(2), text, m, STRONG),
        ]
    if key == "os" and (linux := SYSENV_LINUX.match(value)):
        return [clue("os", "Linux", text, m, STRONG), clue("machine", linux.group(1), text, m)]
    return []


def _in_print_run(text: str, line_start: int) -> bool:
    """Is the line at line_start a print( call right after another print( line?"""
    if not PRINT_LINE.match(text, line_start):
        return False
    before = text[: max(0, line_start - 1)].rsplit("\n", 1)[-1]
    return PRINT_LINE.match(before) is not None
