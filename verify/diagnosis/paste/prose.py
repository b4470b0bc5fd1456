"""The machine, the interpreter and the place told in sentences rather than printed by a tool.

Users describe their setup in words far more often than they paste `uname -a`: "on my Apple
Silicon Mac", "an M1 mac machine and an x86_64 conda installation", "running under Rosetta",
"make install on a Intel Mac", "Intel Iris Plus graphics", "MTLCreateSystemDefaultDevice()
fails in a sandboxed session", "macosx-14.xlarge reports MPS is available when it is not",
"我在mac中用docker部署", "Asahi Linux on my M2". Each phrase gives a WEAK clue (a sentence is the
least certain source: verify.diagnosis.paste.clues), so any tool output in the same paste outweighs
it.

What a phrase says only when it is about the user's own machine, now: a phrase negated or
hypothetical in the words just before it ("not using Rosetta", "no Docker", "if you are on an
Intel Mac", "unless ..."), a general statement ("Intel Macs are not supported": plural, no
"my" / "a" / "on"), or a past setup ("worked on my Intel Mac", "switched from an Intel Mac")
gives nothing (verify.diagnosis.paste.clues.stated; CJK phrases: `_cjk_stated`).

- Apple silicon: "Apple Silicon Mac", "on Apple Silicon", "my Apple silicon MacBook",
  "macOS (Apple Silicon)" -> hardware_arm64 (the chip is Apple's; which M is not said).
- an Intel Mac: "a / my / on an Intel Mac(Book ...)", "Intel-based Mac", "Intel iMac",
  "macOS Intel (x86_64)", "Mac intel", a question whether it is supported ("Support for intel
  Mac?": the asker's own, unlike "Are you on an Intel Mac?"), an Intel GPU ("Intel Iris Plus
  Graphics", "Intel UHD Graphics 630": an Apple silicon Mac's only GPU is the chip's own,
  apple.com/mac/compare) -> sign.intel_cpu.
- the interpreter: "x86_64 conda installation", "the Intel version of Anaconda", "x86 Python",
  "an x64 emulated env" (unit8co/darts#1240), "my Python reports i386" -> machine x86_64
  (Lightning-AI/pytorch-lightning#14634: "did you by accident install the intel version of the
  conda installation? ... your Python might be emulated (rosetta)"); "running under Rosetta",
  "a Rosetta environment", "arch -x86_64 python" -> an x86_64 process translated on Apple
  silicon (conda-forge/pytorch-cpu-feedstock#101: "a macOS rosetta environment emulating x64").
- no Metal device: "MTLCreateSystemDefaultDevice() fails / returns nil", MLX's "No Metal device
  available", "Metal device not available" -> sign.no_metal_device: the process got no GPU
  (a sandbox denying IOKit: anthropics/claude-code#37044, fencesandbox/fence#210; a VM:
  actions/runner-images#1779); torch's MPSDevice enumerates the same devices and finds none.
- hosted CI in words: "macos-14.xlarge" / "macosx-14.xlarge" runner names, a GitHub Actions run
  URL (pytorch/pytorch#125197) -> sign.ci_runner; "reports MPS is available when it is not",
  "it only uses the CPU", "falls back to CPU" -> sign.gpu_missing.
- a Mac next to Docker in the same line, in any language ("Docker on my Mac",
  "我在mac中用docker部署": RVC-Boss/GPT-SoVITS#1405) -> sign.mac_hint (verify.diagnosis.paste.places
  then settles the OS); Docker said to run on the Mac in one sentence ("a docker image ... run
  on Mac OS arm64", "有没有给m芯片Mac的" Docker image) -> sign.docker_on_mac: the workload runs in
  Linux on the Mac (verify.diagnosis.paste.places.settle_os), not on a remote server.
- Asahi Linux (Linux on the Mac's bare metal, asahilinux.org): sign.asahi, hardware_arm64,
  os Linux - Metal is macOS's alone, so MPS does not exist there, and no VM is involved.
- a Mac's model year ("my MacBook Pro (2019)", "a 2017 iMac", "MacBook Air 2022") -> an Intel
  Mac up to 2019 (a 2020 iMac too), Apple silicon from 2021 (see MODEL_YEAR).
- the Mac named by its chip alone ("on my M2", "with an M1 Max") -> chip, hardware_arm64; "I have
  mac.", "I'm on macOS" -> a Mac.
- the same in Chinese / Japanese / Korean words ("苹果芯片", "intel芯片的mac", "用Rosetta打开").
- the macOS told next to a Mac's name: "2022 M1 mac studio OS 13.7.6" (kaixxx/noScribe#315).
- the user's own NVIDIA RTX (or GTX 16xx) GPU ("I have ... an rtx 2060", "my RTX 4090",
  "GPU: RTX 3060"), not one compared with -> sign.pc_gpu: a PC, never a Mac (see PC_GPU).
- MPS said to give wrong output ("MPS produced unreliable inference results") or to be slower
  than the CPU (in Chinese too: "mps 加速比cpu 慢", "改成mps后反而速度降了") -> mps_available:
  it ran; a thread about wrong numbers or speed is about a working device (see MPS_RAN_WRONG).
- an install said to fail next to a CUDA / ROCm-only index (`--index-url .../whl/cu124`) ->
  sign.pip_no_torch (verify.diagnosis.resolver then names the index).
- a requirement's lower bound ("torch>=2.5.1") -> sign.torch_at_least (not a release asked for:
  any newer one satisfies it).
- an operator said in words to have no MPS implementation ("an error stating that nms has not
  been implemented", "[Feature] Implement nms_impl on macOS MPS device") -> sign.op_said_missing.
- an install or run told to happen on macOS ("installing poetry ... on macOS") -> a Mac.
- the torch version with its name in code marks ("old version of `pytorch` (1.8.2)") ->
  torch_version; MPS wished for in words ("the `mps` support", "support for MPS") ->
  sign.mps_intent.
"""

from __future__ import annotations

import re

from packaging.utils import canonicalize_name

from verify.diagnosis.paste import languages, packages
from verify.diagnosis.paste.clues import (
    LISTED,
    MACOS_NAME_WORDS,
    WEAK,
    Clue,
    asked,
    clue,
    finditer,
    sentence_at,
)
from verify.diagnosis.paste.clues import stated as _stated
from verify.diagnosis.paste.refused import TORCH_FAMILY
from verify.known_errors import MPS_SAID

_I = re.IGNORECASE

APPLE_SILICON = re.compile(
    r"\b(?:(?:my|an?|this|the|on|using|with)\s+(?:new\s+|\d{4}\s+)?(?:M[1-9]\s+)?Apple[- ]Silicon"
    r"(?:\s+(?:Mac(?:Book(?:\s+(?:Pro|Air))?)?|machine|laptop|computer|M\d))?|"
    r"Apple[- ]Silicon\s+(?:Mac(?:Book(?:\s+(?:Pro|Air))?)?|machine|laptop)|"
    r"mac\s?OS[ \t]*[(,/-][ \t]*Apple[- ]Silicon|"
    # "I installed on M1 silicon" (NVIDIA/trt-samples-for-hackathon-cn#78)
    r"M[1-9](?:[ \t]?(?:Pro|Max|Ultra))?[ \t]+silicon)\b|"
    # an environment list's entry: "- Apple Silicon (M-series) — Metal GPU" (nolabs-ai/nono#347)
    r"^[ \t>*-]*(?:(?:Chip|Hardware|CPU|Processor|Machine)[ \t]*:[ \t]*)?Apple[- ]Silicon\b",
    _I | re.MULTILINE,
)
# "Apple Silicon Macs are supported": a general statement, not this machine
_PLURAL = re.compile(r"^(?:Mac(?:Book)?s|machines|laptops)\b", _I)
INTEL_MAC = re.compile(
    r"\b(?:(?:my|an?|this|the|on|using|support[ \t]+for)\s+(?:old(?:er)?\s+|\d{4}\s+)?"
    r"Intel(?:[- ]based)?\s+"
    r"(?:i[3579]\s+)?(?:Mac(?:Book(?:\s+(?:Pro|Air))?|\s?mini|\s?Pro)?|iMac(?:\s?Pro)?)(?!s)|"
    # its marketing name and version may stand between ("macOS Sequoia 15.1.1 (intel, AMD)":
    # lllyasviel/stable-diffusion-webui-forge#2399's title)
    r"mac\s?OS(?:[ \t]+(?:" + MACOS_NAME_WORDS + r"))?"
    r"(?:[ \t]+\d+(?:\.\d+){0,2})?[ \t]*[(,/-]?[ \t]*Intel\b(?:[ \t]*\(?x86[_-]64\)?)?|"
    r"Mac(?:Book(?:\s+(?:Pro|Air))?)?[ \t]*\(Intel\)|"
    # the other word order, as titles put it ("Mac intel supported ???": w-okada/voice-changer
    # #858; "I have downloaded the Mac intel desktop app")
    r"\bMac(?:Book(?:[ \t]+(?:Pro|Air))?)?[ \t]+Intel\b)",
    _I,
)
# a question asking whether the software supports the Intel Mac asks for the asker's own
# ("Support for intel Mac?", "Mac intel supported ???": w-okada/voice-changer#858): of the 13
# reports in tests/data whose opening lines ask a question about an Intel Mac, 12 were labelled
# an Intel Mac by their threads
_SUPPORT_ASKED = re.compile(r"\bsupport(?:s|ed)?\b", _I)
# an Intel GPU: only Intel Macs have one (a Mac's Iris / UHD / HD Graphics)
INTEL_GPU = re.compile(
    r"\bIntel(?:\(R\))?\s+(?:Iris(?:\s+(?:Plus|Pro|Xe))?|U?HD)(?:\s+Graphics)?(?:\s+\d{3,4})?\b",
    _I,
)
X86_INTERPRETER = re.compile(
    r"\b(?:(?:x86[_-]64|x86|x64|amd64|Intel)\s+(?:version\s+of\s+(?:the\s+)?)?"
    r"(?:conda|Anaconda|Miniconda|Miniforge|Mambaforge|Python|Homebrew|brew)\b"
    r"(?:\s+(?:installation|install|distribution|environment|env|build))?|"
    r"(?:Intel|x86[_-]64|x86)\s+(?:version|build|installer)\s+of\s+(?:the\s+)?"
    r"(?:conda|Anaconda|Miniconda|Python|Homebrew)|"
    # an emulated x86 environment: "I installed it by creating an x64 emulated env and then
    # through conda-forge" (unit8co/darts#1240, on an M1)
    r"(?:x86[_-]64|x86|x64|amd64|Intel)[ \t-]+emulated\s+(?:conda\s+|Python\s+)?"
    r"(?:env|environment|Python|interpreter|shell|terminal)\b)",
    _I,
)
ROSETTA = re.compile(
    r"\b(?:(?:running|run|runs|ran|launched|started|opened|emulated|translated|installed)"
    r"(?:\s+\w+){0,2}?\s+(?:under|through|via|in|with|using)\s+Rosetta(?:\s?2)?|"
    r"(?:in|inside|under|with|using|an?|my|the)\s+(?:macOS\s+)?Rosetta(?:\s?2)?\s+"
    r"(?:environment|emulation|mode|terminal|shell)|"
    r"arch\s+-x86_64\s+(?:/\S*)?(?:python|zsh|bash|conda|pip|/bin/\w+)\S*)",
    _I,
)
NO_METAL_DEVICE = re.compile(
    r"(MTLCreateSystemDefaultDevice\(\)\s*(?:fails|failed|returns?\s+nil|returned\s+nil|"
    r"is\s+nil|returns?\s+null|returned\s+null|gives\s+nil)|"
    r"\bNo Metal device available\b|\bMetal device (?:is )?not available\b|"
    r"\bno Metal device (?:found|could be created)\b)",
    _I,
)
# GitHub's larger macOS runners "macos-14-xlarge" written with a dot, as users do; a GitHub
# Actions run URL: the log is a hosted (or self-hosted) runner's
CI_WORDS = re.compile(
    r"(\bmacosx?-(?:1[1-5]|2\d)\.(?:xlarge|large|arm64)\b|"
    r"\bmacosx-(?:1[1-5]|2\d)-(?:xlarge|large|arm64)\b|"
    r"github\.com/[\w.-]+/[\w.-]+/actions/runs/\d+)",
    _I,
)
# the work said to run on the CPU instead ("it only uses the CPU", "everything just runs on the
# CPU"): the GPU was wanted and is missing - in Docker on a Mac, Linux in a VM. Only a program
# "uses" the CPU; an op that "falls back to CPU" (PYTORCH_ENABLE_MPS_FALLBACK, "Only the
# `aten::angle` operation falls back to CPU, all other operations utilize MPS":
# remsky/Kokoro-FastAPI#233) is a working MPS device, and is not read.
CPU_INSTEAD = re.compile(
    r"\b(?:only|just)[ \t]+(?:uses?|using|used)[ \t]+(?:the[ \t]+)?CPU\b|"
    r"\b(?:it|everything|all|this)[ \t]+(?:only|just)[ \t]+(?:runs?|ran|running)[ \t]+on[ \t]+"
    r"(?:the[ \t]+)?CPU\b",
    _I,
)
# "reports MPS is available when it is not", "says MPS is available but it isn't"
MPS_SAID_BUT_NOT = re.compile(
    r"\bMPS\b[^\n]{0,25}?\bavailable\b[^\n]{0,25}?\b(?:when|but|though|although|while)\b"
    r"[^\n]{0,30}?\b(?:not|isn't|fails?|unusable|can't|cannot)\b",
    _I,
)
_MAC = (
    # "run the docker image (base-en) on OSX" (jim60105/docker-whisperX#20): Mac OS X's name
    r"(?:\bmac\s?OS\b|\bOS\s?X\b|\bMac(?:Book(?:\s?(?:Pro|Air))?|\s?mini|\s?Studio)?\b|\bM[1-9]\b|"
    r"(?i:mac)(?=\s*[中上里])|"
    # a Mac or its chip in Chinese words, where \b fails next to CJK letters: "m芯片Mac的",
    # "Apple芯片", "苹果芯片" (RVC-Boss/GPT-SoVITS#1040)
    r"(?<![A-Za-z])(?i:mac)(?=[\u4e00-\u9fff])|"
    r"(?:(?i:apple)|苹果|(?<![A-Za-z])[Mm][1-9]?)[ \t]?芯片)"
)
_DOCKER = r"(?<![A-Za-z])(?:docker(?:[ -]compose)?|podman)(?![A-Za-z])"
DOCKER_ON_MAC = re.compile(
    rf"^[^\n]*?{_MAC}[^\n]{{0,40}}?{_DOCKER}|^[^\n]*?{_DOCKER}[^\n]{{0,40}}?{_MAC}",
    _I | re.MULTILINE,
)
# Docker told to run on the Mac itself, in one sentence: "Docker image running locally on mac
# OS" / "build a docker image ... and run on Mac OS arm64" (nomadkaraoke/python-audio-separator
# #192), "docker hub里的镜像 ... 有没有给m芯片Mac的解决方案" (RVC-Boss/GPT-SoVITS#1040),
# "我在mac中用docker部署" (RVC-Boss/GPT-SoVITS#1405), "Docker Desktop for Mac": whatever runs in it
# is Linux in Docker's VM, where Metal does not reach (docker/roadmap#52). Docker on a remote
# server, or negated in the sentence ("on my Mac, not in Docker"), is not it.
_NOT_ONE_SENTENCE = r"[^.;!?\n\u3002\uff01\uff1f]"
DOCKER_RUN_ON_MAC = re.compile(
    rf"{_DOCKER}(?:[ \t]+(?:image|container|desktop|hub))?{_NOT_ONE_SENTENCE}{{0,60}}?"
    rf"(?:\b(?:on|for|in|to)\b|给|在|用)[ \t]*(?:(?:my|a|an|the|this|your|local|apple)[ \t]+)"
    rf"{{0,2}}{_MAC}|"
    rf"{_MAC}{_NOT_ONE_SENTENCE}{{0,30}}?(?:[中上里]|\b(?:with|using|via|in|on|inside)\b)"
    rf"[ \t]*(?:(?:a|the|my)[ \t]+)?(?:用|使用)?[ \t]*{_DOCKER}",
    _I,
)
# not the Mac's Docker: one on a server, or negated within the sentence
_ELSEWHERE = re.compile(
    r"\b(?:remote|server|cloud|cluster|VPS|EC2|not|no|never|without|instead|rather)\b|"
    r"服务器|云|不是|没有用|不用",
    _I,
)
# the Mac in another clause than the Docker: "cpu in a docker container (but also running with mps
# options on a Mac)" lists two setups (robert-graf/VIBESegmentator#2)
_ASIDE = re.compile(r"\b(?:but|also|while|whereas|except|besides|or)\b", _I)
# MPS said to have run and given wrong output: a device that computes wrong numbers exists
# ("on the MPS backend produces completely corrupted output": pytorch/pytorch#187280; "using MPS
# ... is producing bad output": pytorch/pytorch#95188; "MPS produced unreliable inference
# results": ultralytics/ultralytics#25485; "worse results by using the MPS backend":
# pytorch/pytorch#126862)
_BAD = (
    r"(?:wrong|incorrect|different|bad|garbage|corrupted|unreliable|inaccurate|NaNs?|noisy|noise|"
    r"worse)"
)
MPS_RAN_WRONG = re.compile(
    r"\bMPS\b(?:[ \t]+(?:backend|device))?[^.\n]{0,40}?\b(?:is[ \t]+|are[ \t]+|was[ \t]+)?"
    r"(?:produc(?:es|ed|ing)|gives?|gave|giving|returns?|returned|returning|outputs?|"
    r"generat(?:es|ed|ing)|yields?)[ \t]+(?:\w+[ \t]+){0,2}?" + _BAD + r"\b|"
    r"\b" + _BAD + r"[ \t]+(?:results?|outputs?|images?|values|predictions?|detections?)[ \t]+"
    # "... returns numerically incorrect output for `nn.LayerNorm` on the MPS backend"
    # (pytorch/pytorch#191976)
    r"(?:for[ \t]+(?:[^\n.]|\.\w){1,40}?[ \t]+)?"
    r"(?:on|with|from|by|when)[ \t]+(?:using[ \t]+)?(?:the[ \t]+)?MPS\b|"
    # ... or to be slower than the CPU: it ran, slowly ("Performance with MPS on AMD GPUs are
    # worse than CPU": pytorch/pytorch#78210; "mps is slower than cpu")
    r"\bMPS\b[^.\n]{0,40}?\b(?:slower|worse)[ \t]+than[ \t]+(?:on[ \t]+)?(?:the[ \t]+)?CPU\b|"
    # ... or said to run, with a result that is wrong: "The diffusers code will run under Apple
    # Silicon/MPS for Stable Diffusion 2.0 but the result is always noise"
    # (huggingface/diffusers#1398)
    r"\b(?:runs?|ran|running|works?|worked|working)[ \t]+(?:fine[ \t]+|OK[ \t]+)?"
    r"(?:on|under|with|using)[ \t]+(?:the[ \t]+)?(?:Apple[ \t-]Silicon[ \t]*/[ \t]*)?MPS\b"
    r"(?:[^.\n]|\.\d){0,60}?\bbut\b[^.\n]{0,15}?\b(?:results?|outputs?|images?)[ \t]+"
    r"(?:is|are|was|were)"
    r"[ \t]+(?:always[ \t]+|just[ \t]+|all[ \t]+|only[ \t]+)?(?:pure[ \t]+)?"
    r"(?:" + _BAD + r"|noise|black|blank)\b|"
    # ... or faster than the CPU: "3x faster on mps", "MPS is 5x faster"
    r"\b\d+(?:\.\d+)?[ \t]*[x\u00d7][ \t]+faster[ \t]+(?:on|with|using)[ \t]+(?:the[ \t]+)?MPS\b|"
    r"\bMPS\b[ \t]+(?:is|was|runs?|ran)[ \t]+(?:about[ \t]+|~)?\d+(?:\.\d+)?[ \t]*[x\u00d7][ \t]+"
    r"faster\b",
    _I,
)
# an install said in words to have failed, next to a command that points pip / uv only at a CUDA
# or ROCm index (they hold no macOS wheels): "The resolver fails ... so no matching distribution
# is found" (rohitg00/ai-engineering-from-scratch#316). Read only beside such an index
# (verify.diagnosis.paste.packages.GPU_INDEX), where verify.diagnosis.resolver names the index as
# the cause.
INSTALL_FAILED = re.compile(
    r"\b(?:no matching distribution(?:[ \t]+(?:is|was))?[ \t]+found|"
    r"(?:the[ \t]+)?(?:resolver|installation|install)[ \t]+(?:fails|failed)|"
    r"could not find a version)\b",
    _I,
)
# the package pip's own words name after it ("Could not find a version that satisfies the
# requirement numpy==1.23.5", "No matching distribution found for numpy==1.23.5")
_REQUIREMENT_NAMED = re.compile(
    r"(?:[ \t]+that[ \t]+satisfies[ \t]+the[ \t]+requirement|[ \t]+for)[ \t]+`?([A-Za-z0-9][\w.-]*)"
)
# a requirement's lower bound: "install `torch>=2.5.1`" (TerraLabAI/QGIS_AI-Segmentation#160)
TORCH_AT_LEAST = re.compile(r"(?<![\w.-])torch[ \t]*(?:>=|>|~=)[ \t]*(\d\.\d{1,2}(?:\.\d{1,2})?)\b")
# the torch version told in a sentence, its name in code marks: "issues with old version of
# `pytorch` (1.8.2)" (kevinjohncutler/omnipose#17); "PyTorch 1.8.2" itself is
# verify.diagnosis.paste.versions'
TORCH_SAID = re.compile(
    r"(?<![\w.-])[`'\"](?i:PyTorch|torch)[`'\"][ \t]*(?:version[ \t]*)?\(?[ \t]*v?"
    r"(\d\.\d{1,2}(?:\.\d{1,2})?)\b(?![.\d])"
    # uv's hint names the release asked for, not one installed: "`torch` (v2.8.0+cu128) only has
    # wheels for the following platforms" (PrimeIntellect-ai/verifiers#553's title)
    r"(?![\w.+]*\)?[ \t]+(?:only has|has no)\b)"
)
# MPS wished for in words: "the `mps` support in your latest version", "support for MPS"
# (places.MPS_INTENT reads code and "MPS backend" / "MPS device")
MPS_WISH = re.compile(
    r"(?<![\w-])[`'\"]?MPS[`'\"]?[ \t]+support\b|\bsupport[ \t]+for[ \t]+[`'\"]?MPS\b", _I
)
# an operator said in words to have no MPS implementation: "if I use MPS inference, it throws an
# error stating that nms has not been implemented", "[Feature] Implement nms_impl on macOS MPS
# device" (open-mmlab/mmcv#2732), "Add aten::empty.memory_format for SparseMPS"
# (pytorch/pytorch#87886's title); torch's own "is not currently implemented for the MPS device"
# is verify.known_errors'
# "... is not implemented"; or an operator said unavailable or missing ("sampling fails on the
# first iteration because an MPS operator is unavailable": MiniMax-AI/MiniMax-H3#56, whose
# error was aten::_int_mm's)
NOT_IMPLEMENTED = re.compile(
    r"\b(?:not|n't)[ \t]+(?:yet[ \t]+)?(?:been[ \t]+)?implemented\b|"
    r"\b(?:operator|op)s?[ \t]+(?:is|are|was|were)[ \t]+(?:unavailable|missing)\b",
    _I,
)
IMPLEMENT_ON_MPS = re.compile(
    r"^[ \t#]*(?:\[[\w ]+\][ \t]*)?(?:Implement|Add|Support)[ \t]+`?[\w.:]+`?[ \t]+"
    r"(?:on|for)[ \t]+(?:the[ \t]+)?(?:macOS[ \t]+)?(?:Sparse(?:Csr)?)?MPS\b[^\n]*",
    re.MULTILINE,
)
# the same said in Chinese or Japanese: one sentence that names MPS (MPS_SAID: CJK letters touch
# it), a torch operator and that it is not supported ("M1Macで、GPUに値するMPSは今現在のところ、
# torch.tsftに対応していません。": ddPn08/rvc-webui#22, whose fix ran torch.stft on the CPU)
_CJK_ENDS = ("\n", "\u3002", "\uff01", "\uff1f")
_CJK_UNSUPPORTED = re.compile(
    r"に対応していな|に対応していません|未対応|サポートされていな|サポートしていな|不支持|未实现|没有实现"
)
_TORCH_OP = re.compile(r"\b(?:torch\.|aten::)\w+")
_SENTENCE_END = re.compile(r"[.!?](?:[ \t]|$)|\n")
# "Asahi" alone is a common Japanese name (a user's home folder, a newspaper): only the distro's
# names and its kernel's "-asahi" suffix count
ASAHI = re.compile(
    r"\b(Asahi[ -]Linux|Fedora[ -]Asahi(?:[ -]Remix)?|\d+\.\d+[\w.+-]*-asahi\w*)\b", _I
)
# a Mac's model year: the first Apple silicon Macs came out in late 2020 (MacBook Air, 13-inch
# MacBook Pro, Mac mini), so a Mac of 2019 or before is an Intel Mac, as is a 2020 iMac (its M1
# successor is the 2021 24-inch); from 2021 on every new Mac model is Apple silicon
# (support.apple.com/HT201300 "Identify your MacBook Pro model", HT201862 MacBook Air, HT201634
# iMac, HT201894 Mac mini, HT202888 Mac Pro). A 2020 MacBook or Mac mini says nothing. Real
# shapes: "iMac 2019 21.5, intel i7 8700" (transformerlab/transformerlab-app#317), "MacBook Pro
# 2021 with Apple M1 Max" (ultralytics/yolov5#9107), "running on a 2020 13\" Macbook Pro"
# (carson-katri/dream-textures#346, an Intel one: nothing read from the year)
_MODEL = r"(MacBook(?:[ \t]?(?:Pro|Air))?|iMac(?:[ \t]?Pro)?|Mac[ \t]?mini|Mac[ \t]?Pro|MBP|MBA)"
# Apple's own names put the size (and "Retina 5K") in the brackets: "iMac (Retina 5K, 27-inch,
# 2020)", "MacBook Pro (16-inch, 2019)"
_SIZE = (
    r"(?:Retina(?:[ \t]\dK)?[ \t,]*)?"
    r"(?:\d{2}(?:\.\d)?(?:[ \t-]?(?:inch|in)\b|[\"″'']{1,2})[ \t,]*)?"
)
MODEL_YEAR = re.compile(
    rf"\b{_MODEL}[ \t]*\(?[ \t]*{_SIZE}(?:(?:Early|Mid|Late)[ \t]+)?(20[012]\d)\b|"
    rf"\b(?:(?:Early|Mid|Late)[ \t]+)?(20[012]\d)[ \t]+{_SIZE}{_MODEL}\b",
    _I,
)
FIRST_SILICON_YEAR = 2021
# the interpreter's architecture said in words: "my Python reports i386", "python says x86_64"
# (an x86_64 Python's platform.processor() is "i386": Lightning-AI/pytorch-lightning#14634)
ARCH_SAID = re.compile(
    r"\b(?:Python|python3?|interpreter|the process|platform\.(?:machine|processor)\(\))"
    r"[ \t]+(?:reports?|returns?|says|shows?|gives?|prints?|is)[ \t]+['\"`]?(i386|x86_64)\b"
)
# a library or package said built for x86_64 instead of arm64 ("installing `tokenizers` via pypi
# builds or bundles the `tokenizers.cpython-39-darwin.so` automatically for `x86_64` instead of
# `arm64` for users with apple silicon": huggingface/tokenizers#712): an extension of the other
# architecture in an arm64 process, as dyld's "incompatible architecture (have 'x86_64', need
# 'arm64')" says (verify.diagnosis.paste.packages); only in a sentence about a built thing
X86_INSTEAD_OF_ARM64 = re.compile(
    r"\b(?:for|as|in|to)[ \t]+[`'\"]?(?:x86_64|x86-64|amd64)[`'\"]?[ \t]+instead[ \t]+of[ \t]+"
    r"[`'\"]?(?:arm64|aarch64)\b",
    _I,
)
_BUILT_THING = re.compile(
    r"\.(?:so|dylib)\b|\b(?:wheels?|packages?|librar(?:y|ies)|extensions?|binar(?:y|ies)|"
    r"builds?|built|bundles?|compiled)\b",
    _I,
)
# "I have mac.", "I'm using a Macbook", "I am on mac": the user's machine is a Mac
# (LuciAkirami/liva#4: "I have mac." above a CUDA-index pip command)
I_HAVE_A_MAC = re.compile(
    r"\bI(?:'m|[ \t]+am)?[ \t]+(?:have|use|using|on|running)[ \t]+(?:(?:a|an|the|my)[ \t]+)?"
    # "I'm on latest Macbook Pro..." (pieroit/stable-diffusion-jupyterlab-docker#8)
    r"(?:(?:latest|newest|new|brand[ -]new|recent|old|older|current)[ \t]+)?"
    r"(?:mac(?:OS|book)?|MacBook(?:[ \t]?(?:Pro|Air))?)\b",
    _I,
)
# an install or run told to happen on macOS: "After installing poetry (version 1.8.3) on macOS
# and running `make environment`", "installation of `torch` ... on macOS" (PennyLaneAI/demos#1125)
DONE_ON_MACOS = re.compile(
    # "Unable to setup the project on macOS" (Celiali/Dessie#2, a +cu113 pin's refusal as title)
    r"\b(?:install(?:s|ed|ing|ation)?|run(?:s|ning)?|ran|build(?:s|ing)?|buil[td]|"
    # "I executed it on macos" (google-ai-edge/ai-edge-torch#67)
    r"execut(?:e|es|ed|ing)|"
    r"set[ \t]?up|setting[ \t]up)\b"
    r"(?:[^.\n]|\.(?=\d)){0,60}?"
    # "Mac OS X" / "macosx", the older name (Python's sysconfig platform "macosx-11.0-arm64"):
    # "installing on macosx" (scil-vital/TrackToLearn#29); the Mac itself: "Problems installing
    # in Mac" (kturung/streamlit_podcast_generator#1), "install on my MacBook"
    r"\b(?:on[ \t]+mac[ \t]?OS(?:[ \t]?X)?|(?:on|in)[ \t]+(?:(?:a|an|my|the)[ \t]+)?"
    r"(?:Mac(?:Book(?:[ \t]?(?:Pro|Air))?|[ \t]?mini|[ \t]?Studio)?|iMac))\b"
    r"(?![ \t]*(?:[<>]|\d|or\b|\+))(?!['\u2019]s\b)",
    _I,
)
# the machine in Chinese / Japanese / Korean words (GPT-SoVITS, ChatTTS, Spark-TTS threads):
# Apple silicon ("苹果芯片", "M系列芯片", "m芯片", "アップルシリコン", "애플 실리콘"), an Intel Mac
# ("intel芯片", "英特尔处理器"), Rosetta ("用Rosetta打开", "Rosetta模式"), a Mac ("苹果电脑",
# "mac电脑"). A question ("你是intel芯片吗": SparkAudio/Spark-TTS#157) or a negation / condition
# before it ("不是", "没有", "如果") gives nothing.
CJK_SILICON = re.compile(
    r"苹果(?:的)?(?:芯片|自研芯片)|アップル\s?シリコン|Apple\s?シリコン|애플\s?실리콘|"
    # "M系列芯片", "M系芯片" (hiyouga/LlamaFactory#3815), "m芯片", "apple M 芯片"
    # (jianchang512/vocal-separate#15's title): an M chip
    r"(?:(?i:apple)[ \t]*)?(?<![A-Za-z0-9])[Mm][ \t]?(?:系列?)?芯片"
)
CJK_INTEL = re.compile(
    r"(?i:intel)[ \t]*(?:芯片|处理器|處理器|版|チップ)|英特尔(?:芯片|处理器)?|인텔"
)
CJK_ROSETTA = re.compile(
    r"(?:通过|使用|用|开启|勾选|在)[ \t]*Rosetta(?:[ \t]?2)?|"
    r"Rosetta(?:[ \t]?2)?[ \t]*(?:模式|转译|下运行)"
)
CJK_MAC = re.compile(
    r"苹果电脑|(?i:mac)[ \t]*(?:电脑|笔记本|系统)|的[ \t]*(?i:mac(?:book)?)(?![a-z])|"
    # "我使用 MacBook" (Yuliang-Liu/MonkeyOCR#84), "我用mac": a Mac the writer uses;
    # "macos 上torch 没有cuda" (ModelTC/ComfyUI-Lightx2vWrapper#11): on macOS
    r"我[ \t]*(?:使用|在用|用)[ \t]*(?:的[ \t]*)?(?i:mac(?:book)?)(?![a-z])|"
    r"(?<![A-Za-z])(?i:mac[ \t]?os|mac)[ \t]*上"
)
# (\uff0c a full-width comma, \uff1f a full-width question mark)
_CJK_NOT = re.compile(r"(?:不是|没有|沒有|非|如果|若|不用|未|关闭|關閉|取消)[^\uff0c。,.\n]{0,6}$")
_CJK_QUESTION = re.compile(r"^[^\uff0c。,.\n]{0,12}?[吗嗎?\uff1f]")


def _cjk_stated(text: str, m: re.Match[str]) -> bool:
    before = text[max(0, m.start() - 12) : m.start()]
    after = text[m.end() : m.end() + 14]
    # Japanese and Korean negate after the phrase ("Intel版Macではない")
    negated_after = languages.NOT_AFTER.match(text, m.end())
    return not (_CJK_NOT.search(before) or _CJK_QUESTION.match(after) or negated_after)


# the Mac named by its chip alone: "on my M2", "with an M1 Max" (an SSD's "M.2" is no chip);
# "on M1" too, as a title says where it fails ("Python errors on M1": zackees/
# transcribe-anything#52), "on the M1" ("build this wheel from source on the M1":
# microsoft/onnxruntime-extensions#276), not "on M1 Macs" / "on M1 chips" (a statement about
# all of them)
MY_CHIP = re.compile(
    r"\b(?:my|an?|this|on(?:[ \t]+the)?)[ \t]+M([1-9])(?:[ \t]?((?i:Pro|Max|Ultra)))?\b"
    r"(?![ \t]*(?:SSD|NVMe|drive|slot|screw|\.\d|(?i:Macs|Macbooks|chips|machines|laptops)\b))",
)
# MPS said in Chinese to run slower or faster than the CPU (it ran): "为什么mac mps 加速比cpu 慢"
# (2noise/ChatTTS#742), "在改成mps后反而速度降了" (RVC-Boss/GPT-SoVITS#1988), "MPS比CPU快 150.98 倍"
CJK_MPS_SPEED = re.compile(
    r"(?i:mps)[^\n\uff0c\u3002,.!?\uff01\uff1f]{0,12}?比[ \t]*(?i:cpu)"
    r"[^\n\uff0c\u3002,]{0,8}?[慢快]|"
    r"改[成为][ \t]*(?i:mps)[ \t]*(?:后|之后|以后)[^\n\u3002]{0,12}?(?:速度降|变慢|慢了|更慢|降了)"
)
# the chip before a Chinese / Japanese word for the computer or the chip: "苹果 M1电脑"
# (2noise/ChatTTS#60), "M2芯片", "M1 Maxのマック"
CJK_CHIP = re.compile(
    r"(?<![A-Za-z0-9.])M([1-9])(?:[ \t]?((?i:Pro|Max|Ultra)))?[ \t]*"
    r"(?:电脑|電腦|芯片|晶片|笔记本|筆記本|チップ|搭載|のMac|の(?i:mac))"
)
# a Mac by its model's name ("Mac Studio", "MacBook Air", "iMac")
_MAC_MODEL = r"Mac\s?(?:Studio|mini|Pro)|MacBook(?:\s?(?:Pro|Air))?|iMac"
# a Mac's name, then "OS 13.7.6" (a macOS version written without "mac")
MAC_THEN_OS = re.compile(
    rf"\b(?:{_MAC_MODEL}|M[1-9](?:\s?(?:Pro|Max|Ultra))?\s+Mac\w*)\b[^\n]{{0,25}}?"
    r"\bOS\s+v?((?:1[1-5]|2[6-9])\.\d{1,2}(?:\.\d{1,2})?)(?![\d.]*\d)",
    _I,
)
# a Mac's name, then "running" an OS X version without its name ("a 2009/2010 Mac Pro running
# 10.14.6": divamgupta/diffusionbee-stable-diffusion-ui#330). Only 10.9-10.15: a bare "12.1" is
# as often CUDA's or a package's version.
MAC_RUNNING_OS_X = re.compile(
    rf"\b(?:{_MAC_MODEL})\b[^\n.]{{0,25}}?\brunning\s+"
    r"(10\.(?:9|1[0-5])(?:\.\d{1,2})?)(?![\d.]*\d)",
    _I,
)


# the user's own PC told by an NVIDIA RTX GPU ("I have a normal computer, an rtx 2060 and a
# normal cpu, core i-5 11400F": huggingface/diffusers#1847; "a windows 11 PC with NV RTX 4090":
# apple/ml-fastvlm#52): no Mac ever had one - Apple's last NVIDIA GPUs were the 2014 Kepler
# MacBook Pros, and NVIDIA shipped no macOS driver for Turing (RTX 20xx, GTX 16xx) or later -
# so the machine is a PC, where MPS does not exist. Only the user's own GPU counts ("my", "I
# have", "with", "GPU:"), never a comparison ("as fast as an RTX 3060", "vs RTX 4090").
PC_GPU = re.compile(
    r"\b((?:NVIDIA[ \t]+|NV[ \t]+)?(?:GeForce[ \t]+)?"
    r"(?:RTX[ \t]?A?\d{3,4}|GTX[ \t]?16\d0)(?:[ \t]?(?:Ti|Super))?)\b",
    _I,
)
# a CUDA / ROCm build of torch told as the one in use ("I am using `torch==1.10.1+cu113`":
# Sanster/IOPaint#230): PyTorch publishes +cuXXX / +rocmX builds for Linux and Windows only
# (download.pytorch.org/whl/cu113/torch_stable.html has no macosx wheel), so it is no Mac. An
# install of one ("pip install torch==...+cu118") is an attempt, not the machine: not read.
CUDA_TORCH_USED = re.compile(
    r"\b(?:I(?:'m|[ \t]+am)[ \t]+(?:using|running|on)|I[ \t]+(?:use|run|have))[ \t]+[`'\"]?"
    r"(?:py)?torch[ \t]*(?:==[ \t]*|[ \t]+(?:version[ \t]+)?)"
    r"(\d+\.\d+(?:\.\d+)?\+(?:cu\d{2,3}|rocm\d[\d.]*))\b",
    _I,
)
# the owner in the sentence before it ("I have a normal computer, an rtx 2060"), or a list key
_OWNER = re.compile(
    r"\b(?:my|I[ \t]+have|I've[ \t]+got|I[ \t]+use|with|using)\b|"
    r"^[ \t>*-]*(?:GPU|Graphics(?:[ \t]card)?|Video[ \t]card)[ \t]*:",
    _I,
)
_COMPARED = re.compile(r"\b(?:than|as|like|vs\.?|versus|compared|comparable|equivalent)\b", _I)


def _op_said_missing(text: str) -> list[Clue]:
    """An op said not implemented in a sentence that names MPS, or a title asking to implement
    one on MPS: sign.op_said_missing (verify.diagnosis.diagnose turns it into the op row)."""
    for m in finditer(IMPLEMENT_ON_MPS, text, "MPS"):
        return [clue("sign.op_said_missing", m.group(0).strip(), text, m, WEAK)]
    for m in finditer(NOT_IMPLEMENTED, text, "mplemented", "vailable", "issing"):
        ends = [e.end() for e in _SENTENCE_END.finditer(text, max(0, m.start() - 300), m.start())]
        start = ends[-1] if ends else max(0, m.start() - 300)
        stop = _SENTENCE_END.search(text, m.end())
        sentence = text[start : stop.start() if stop else len(text)]
        if MPS_SAID.search(sentence) and _stated(text, m, strict=False):
            return [clue("sign.op_said_missing", sentence.strip(), text, m, WEAK)]
    for m in finditer(_CJK_UNSUPPORTED, text, "対応", "サポート", "不支持", "实现"):
        start = max(text.rfind(end, 0, m.start()) for end in _CJK_ENDS) + 1
        stops = [i for i in (text.find(end, m.end()) for end in _CJK_ENDS) if i >= 0]
        said = text[start : min(stops, default=len(text))]
        if MPS_SAID.search(said) and _TORCH_OP.search(said):
            return [clue("sign.op_said_missing", said.strip(), text, m, WEAK)]
    return []


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(APPLE_SILICON, text, "ilicon", "ILICON"):
        if not _stated(text, m) or _PLURAL.match(text[m.end() : m.end() + 12].lstrip()):
            continue
        out.append(clue("hardware_arm64", True, text, m, WEAK))
        out.append(clue("sign.mac_hint", True, text, m, WEAK))
        out.append(clue("os", "Darwin", text, m, WEAK))
    for m in finditer(INTEL_MAC, text, "ntel", "NTEL"):
        if not _stated(text, m):
            continue
        if asked(text, m) and not _SUPPORT_ASKED.search(text, *sentence_at(text, m.start())):
            continue  # "Are you on an Intel Mac?"
        out.append(clue("sign.intel_cpu", True, text, m, WEAK))
        out.append(clue("sign.mac_hint", True, text, m, WEAK))
        out.append(clue("os", "Darwin", text, m, WEAK))
    for m in finditer(INTEL_GPU, text, "ntel", "NTEL"):
        if _stated(text, m):
            out.append(clue("sign.intel_cpu", True, text, m, WEAK))
    for m in finditer(X86_INTERPRETER, text, "x86", "x64", "amd64", "ntel", "X86"):
        if _stated(text, m) and not asked(text, m):
            out.append(clue("machine", "x86_64", text, m, WEAK))
    for m in finditer(ROSETTA, text, "osetta", "x86_64"):
        if not _stated(text, m) or asked(text, m):  # "Is it running under Rosetta?"
            continue
        out.append(clue("machine", "x86_64", text, m, WEAK))
        out.append(clue("translated", True, text, m, WEAK))
        out.append(clue("hardware_arm64", True, text, m, WEAK))  # Rosetta runs on Apple silicon
        out.append(clue("os", "Darwin", text, m, WEAK))
    for m in finditer(NO_METAL_DEVICE, text, "MTLCreate", "Metal device", "metal device"):
        if _stated(text, m):
            out.append(clue("sign.no_metal_device", m.group(1), text, m, WEAK))
    for m in finditer(CI_WORDS, text, "macos", "MacOS", "macOS", "/actions/runs/"):
        out.append(clue("sign.ci_runner", m.group(1), text, m, WEAK))
    for m in finditer(CPU_INSTEAD, text, "CPU", "cpu"):
        if _stated(text, m, strict=False):
            out.append(clue("sign.gpu_missing", True, text, m, WEAK))
            out.append(clue("sign.gpu_intent", True, text, m, WEAK))
            break
    for m in finditer(MPS_SAID_BUT_NOT, text, "MPS", "mps"):
        out.append(clue("sign.gpu_missing", True, text, m, WEAK))
        break
    for m in finditer(DOCKER_ON_MAC, text, "ocker", "odman", "OCKER"):
        out.append(clue("sign.mac_hint", True, text, m, WEAK))
        break
    for m in finditer(DOCKER_RUN_ON_MAC, text, "ocker", "odman", "OCKER"):
        after = text[m.end() : m.end() + 60]
        sentence = m.group(0) + after[: _SENTENCE_END.search(after + "\n").start()]
        if _stated(text, m) and not _ELSEWHERE.search(sentence) and not _ASIDE.search(m.group(0)):
            out.append(clue("sign.docker_on_mac", m.group(0).strip(), text, m, WEAK))
            out.append(clue("sign.mac_hint", True, text, m, WEAK))
            break
    for m in finditer(MPS_RAN_WRONG, text, "MPS", "mps"):
        if _stated(text, m):
            out.append(clue("mps_available", True, text, m, WEAK))
            break
    if packages.GPU_INDEX.search(text):
        for m in finditer(INSTALL_FAILED, text, "atching", "esolver", "nstall", "find a version"):
            named = _REQUIREMENT_NAMED.match(text, m.end())
            if named and canonicalize_name(named.group(1)) not in TORCH_FAMILY:
                continue  # pip's words about another package (numpy==1.23.5: Deep-Live-Cam#436)
            if _stated(text, m, strict=False):
                out.append(clue("sign.pip_no_torch", "torch", text, m, WEAK))
                break
    for m in finditer(TORCH_AT_LEAST, text, "torch>", "torch >", "torch~"):
        out.append(clue("sign.torch_at_least", m.group(1), text, m, WEAK))
    for m in finditer(TORCH_SAID, text, "orch"):
        out.append(clue("torch_version", m.group(1), text, m, WEAK))
    for m in finditer(MPS_WISH, text, "mps", "MPS"):
        out.append(clue("sign.mps_intent", m.group(0), text, m, WEAK))
        break
    out.extend(_op_said_missing(text))
    for m in finditer(DONE_ON_MACOS, text, "mac", "Mac", "MAC"):
        if _stated(text, m, strict=False):
            out.append(clue("sign.mac_hint", True, text, m, WEAK))
            out.append(clue("os", "Darwin", text, m, WEAK))
            break
    for m in finditer(ASAHI, text, "sahi", "SAHI"):
        if not _stated(text, m):
            continue
        out.append(clue("sign.asahi", m.group(1), text, m, WEAK))
        out.append(clue("sign.mac_hint", True, text, m, WEAK))
        out.append(clue("hardware_arm64", True, text, m, WEAK))
        # the OS the Mac runs, named: surer than the chip's "Apple M1" or "Mac" that would
        # otherwise say macOS (Stability-AI/stablediffusion#266: "Running Asahi Linux", titled
        # "... Linux on Apple Silicon M1")
        out.append(clue("os", "Linux", text, m, LISTED))
    for m in finditer(ARCH_SAID, text, "i386", "x86_64"):
        if _stated(text, m, strict=False):
            out.append(clue("machine", "x86_64", text, m, WEAK))
    for m in finditer(X86_INSTEAD_OF_ARM64, text, "instead"):
        start = text.rfind("\n", 0, m.start()) + 1
        if _stated(text, m, strict=False) and _BUILT_THING.search(text, start, m.start()):
            out.append(clue("sign.wrong_arch_library", "x86_64", text, m, WEAK))
            out.append(clue("machine", "arm64", text, m, WEAK))  # the process that refused it
            out.append(clue("os", "Darwin", text, m, WEAK))
            break
    for m in finditer(MODEL_YEAR, text, "Mac", "mac", "MAC", "MBP", "MBA"):
        if not _stated(text, m):
            continue
        model = (m.group(1) or m.group(4)).lower()
        year = int(m.group(2) or m.group(3))
        if year < 2020 or (year == 2020 and model.startswith("imac")):
            out.append(clue("sign.intel_cpu", True, text, m, WEAK))
        elif year >= FIRST_SILICON_YEAR:
            out.append(clue("hardware_arm64", True, text, m, WEAK))
        else:
            continue
        out.append(clue("sign.mac_hint", True, text, m, WEAK))
        out.append(clue("os", "Darwin", text, m, WEAK))
    for m in finditer(CJK_SILICON, text, "苹果", "芯片", "シリコン", "실리콘"):
        if _cjk_stated(text, m):
            out.append(clue("hardware_arm64", True, text, m, WEAK))
            out.append(clue("sign.mac_hint", True, text, m, WEAK))
            out.append(clue("os", "Darwin", text, m, WEAK))
    for m in finditer(
        CJK_INTEL, text, "芯片", "处理器", "處理器", "版", "チップ", "英特尔", "인텔"
    ):
        if _cjk_stated(text, m):
            out.append(clue("sign.intel_cpu", True, text, m, WEAK))
    for m in finditer(CJK_ROSETTA, text, "Rosetta"):
        if _cjk_stated(text, m):
            out.append(clue("machine", "x86_64", text, m, WEAK))
            out.append(clue("translated", True, text, m, WEAK))
            out.append(clue("hardware_arm64", True, text, m, WEAK))
            out.append(clue("os", "Darwin", text, m, WEAK))
    for m in finditer(CJK_MAC, text, "苹果电脑", "电脑", "笔记本", "系统", "的", "用", "上"):
        if _cjk_stated(text, m):
            out.append(clue("sign.mac_hint", True, text, m, WEAK))
            out.append(clue("os", "Darwin", text, m, WEAK))
    for m in finditer(I_HAVE_A_MAC, text, "mac", "Mac", "MAC"):
        if _stated(text, m, strict=False):
            out.append(clue("sign.mac_hint", True, text, m, WEAK))
            out.append(clue("os", "Darwin", text, m, WEAK))
    for m in finditer(MY_CHIP, text, "M1", "M2", "M3", "M4", "M5"):
        if not _stated(text, m, strict=False):
            continue
        chip = f"Apple M{m.group(1)}" + (f" {m.group(2).title()}" if m.group(2) else "")
        out.append(clue("chip", chip, text, m, WEAK))
        out.append(clue("hardware_arm64", True, text, m, WEAK))
        out.append(clue("sign.mac_hint", True, text, m, WEAK))
    for m in finditer(CJK_MPS_SPEED, text, "比", "改"):
        if _cjk_stated(text, m):
            out.append(clue("mps_available", True, text, m, WEAK))
            break
    for m in finditer(CJK_CHIP, text, "M1", "M2", "M3", "M4", "M5"):
        if not _cjk_stated(text, m):
            continue
        chip = f"Apple M{m.group(1)}" + (f" {m.group(2).title()}" if m.group(2) else "")
        out.append(clue("chip", chip, text, m, WEAK))
        out.append(clue("hardware_arm64", True, text, m, WEAK))
        out.append(clue("sign.mac_hint", True, text, m, WEAK))
    for m in finditer(PC_GPU, text, "RTX", "rtx", "Rtx", "GTX", "gtx"):
        line_start = text.rfind("\n", 0, m.start()) + 1
        sentence = re.split(r"[.!?]\s", text[max(line_start, m.start() - 80) : m.start()])[-1]
        near = text[max(line_start, m.start() - 25) : m.start()]
        owned = _OWNER.search(sentence) and not _COMPARED.search(near)
        if owned and _stated(text, m, strict=False):
            out.append(clue("sign.pc_gpu", m.group(1), text, m, WEAK))
            break
    for m in finditer(CUDA_TORCH_USED, text, "+cu", "+rocm"):
        if _stated(text, m, strict=False):
            out.append(clue("sign.cuda_torch", m.group(1), text, m, WEAK))
    for pattern, needle in ((MAC_THEN_OS, "OS "), (MAC_RUNNING_OS_X, "running 10.")):
        for m in finditer(pattern, text, needle):
            out.append(clue("macos_version", m.group(1), text, m, WEAK))
            out.append(clue("os", "Darwin", text, m, WEAK))
    return out
