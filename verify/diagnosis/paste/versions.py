"""Versions people type or list: "macOS 14.5", "OS: Sonoma 14.4", "Apple M3 Pro", "PyTorch 2.9.1",
"Python 3.13.2", "Chip: Apple M1 Max", "torch==2.1.0", ">>> torch.__version__ '2.1.0'".

A version that a message *requires* ("supported on MacOS 13.0+", "needs macOS 14 or newer",
"Support has been added in macOS 13.3") is not the user's and is skipped. A value on a short
"Key: value" or list line weighs more than one in a sentence.
"""

from __future__ import annotations

import re

from verify.diagnosis.paste.clues import (
    LATIN_WORD,
    LISTED,
    MACOS_NAME_WORDS,
    MACOS_NAMES,
    STRONG,
    WEAK,
    Clue,
    asked,
    clue,
    finditer,
    stated,
)

_M = re.MULTILINE | re.IGNORECASE
# a letter or digit that continues a name or a version: a CJK letter does not ("torch2.4.1没有" is
# torch 2.4.1, FunAudioLLM/CosyVoice#501's title; "PyTorch 2.4.1版本"), though regex counts it
# as a word character: the boundaries below are _START / _END instead of \b / (?!\w)
_W = LATIN_WORD
_START = rf"(?<!{_W})"
_END = rf"(?!{_W})"
_MAC_V = r"(1[0-6](?:\.\d{1,2}){0,2}|2[6-9](?:\.\d{1,2}){0,2})"

# between a name and its value: "version", "is", Markdown bold / code marks, ":" / "="
# ("version" in Chinese, Japanese and Korean too: "PyTorch版本: 2.6.0", "torch 버전: 2.0.1"; a
# full-width colon, U+FF1A, after it)
_FILL = (
    # ("version" in Spanish, Portuguese and Russian too: "macOS versión 14.5", "versão")
    r"(?:[ \t]+(?:versions?|versi[oó]n|vers[ãa]o|верси[яи]|used|is|are|installed|nightly|"
    r"preview|stable|release)|"
    r"[-_]version|"  # "pytorch-version: 1.13.1" (a hand-made list, huggingface/accelerate#998)
    r"[ \t]*(?:的|の)?(?:版本|バージョン|버전))*"
    # a dash between them as well: "Python version - 3.10" (predibase/lorax#167)
    r"(?:[ \t]+[-\u2013\u2014][ \t]+|[ \t]*[:=(\uff1a]?[ \t]*)(?:\*\*|`)?[ \t]*v?"
)
MACOS = re.compile(
    _START
    + r"(?:mac\s?OS(?:\s?X)?|OS\s?X|OSX|sw_vers)(?:\s+(?:"
    + MACOS_NAME_WORDS
    + r"))?"
    # a chip between the name and the number: "Macosx M1 14.6.1 (23G93)"
    + r"(?:[ \t]+(?:Apple[ \t]+)?M[1-9](?:[ \t]?(?:Pro|Max|Ultra))?)?"
    + _FILL
    + _MAC_V
    + r"(?![\d.]*\+)(?!\.\d)(?!-)"
    + _END,
    re.IGNORECASE,
)
MACOS_BY_NAME = re.compile(
    _START
    + r"("
    + MACOS_NAME_WORDS
    + r")"
    + _END
    + r"[ \t]*(?:\(|,)?[ \t]*(?:v(?:ersion)?\s*)?"
    + _MAC_V
    + r"?(?!\+)"
    + _END,
    re.IGNORECASE,
)
# "OS: macOS 14.5", "Environment: Mac", and the CJK keys, with a full-width colon (U+FF1A) too:
# "环境" + U+FF1A + "mac" (deepseek-ai/DeepSeek-OCR-2#21's issue form), "系统", "操作系统"
OS_KEY = re.compile(
    r"^[ \t>*-]*(?:OS|Operating System|System|Environment|环境|環境|系统|系統|操作系统|平台)"
    r"(?:[ \t]+and[ \t]+version)?[ \t]*[:\uff1a](?:\*\*)?[ \t]*(\S[^\n]*)$",
    _M,
)
# (typed in lower case as often as copied: "on my apple m2", "Apple m1 max")
CHIP = re.compile(r"\b(Apple\s+M[1-9](?:\s+(?:Pro|Max|Ultra))?)\b(\s*\(Virtual\))?", re.IGNORECASE)
BARE_CHIP = re.compile(
    # (MBP / MBA: a MacBook Pro / Air as users shorten it, "a MBP M1": ultralytics/yolov5#7308)
    r"\b(?:MacBook(?:\s+(?:Pro|Air))?|MBP|MBA|Mac\s?(?:mini|Studio|Pro)|iMac|Mac|mac\s?OS(?:\s?X)?|"
    r"Apple\s+Silicon)\b"
    # (no denial between the Mac and the chip: "MBP x86 cpu(not M1/M2)", BlinkDL/
    # ChatRWKV#93's Intel MacBook Pro)
    r"(?:(?!\b(?:not|non|no|isn't|vs)\b)[^\n]){0,40}?"
    r"\bM([1-9])(?:\s*(Pro|Max|Ultra))?\b|"
    # ("M1 (Mac) PackagesNotFoundError": nateraw/backgroundremover#17)
    r"\bM([1-9])(?:\s*(Pro|Max|Ultra))?(?:(?:\s+|\s*\(\s*)(?:Mac(?:Book|\s?OS)?|chip|iMac|MBP|MBA)\b|\s*芯片)|"
    r"\bM([1-9])\s?(Pro|Max|Ultra)\b|"
    r"^[ \t>*-]*(?:Chip:?[ \t]*)?M([1-9])()[ \t]*$|"
    r"\((?:Apple\s)?M([1-9])(?:\s*(Pro|Max|Ultra))?\)|"
    # the machine said to be one ("My computer is M1": conda-forge/miniforge#319)
    r"\b(?:computer|laptop|machine|notebook)\s+(?:is|has)\s+(?:an?\s+)?M([1-9])(?:\s*(Pro|Max|Ultra))?\b",
    re.IGNORECASE | re.MULTILINE,
)
INTEL_CHIP = re.compile(
    r"\b(Intel(?:\(R\))?\s*(?:Core|Xeon)(?:\(TM\)|\(R\))?[\w -]{0,12}?(?:i[3579]|W)?)(?:[-\s]\w+)?"
    r"|\b(\d+(?:\.\d+)?\s*GHz\s+(?:\w+-Core\s+)?Intel\s+Core\s+i[3579])",
)
# an Intel Mac in words: "Mac with x86_64 CPU", "cpu: Intel", "macOS running with x86"
INTEL_WORDS = re.compile(
    r"\b(?:x86(?:[_-]64)?|Intel)\s+(?:CPU|processor|chip|Mac(?:Book|\s?OS)?)\b|"
    r"\bcpu[ \t]*[:\uff1a][ \t]*Intel\b|"  # a full-width colon too
    r"\bMac(?:Book(?:\s+(?:Pro|Air))?|\s?OS)?\b[^\n]{0,20}?\b(?:with|on|running)\s+(?:an?\s+)?"
    r"(?:x86(?:[_-]64)?|Intel)\b|"
    # the Mac's Intel CPU right after it: "Im on Mac i9 intel" (meta-pytorch/torchcodec#608),
    # "MacBook Pro i7", "macOS (intel)" (triton-lang/triton#1465's title); Core i3-i9 chips were
    # only ever in Intel Macs
    # "Macbook Air (Intel model)" (SevaSk/ecoute#27)
    r"\bMac(?:Book(?:\s+(?:Pro|Air))?|\s?OS)?[ \t]+"
    r"(?:\(Intel(?:[ \t]+(?:model|version|chip|CPU|processor|based))?\)|Intel\b|i[3579]\b)|"
    # a Hackintosh is a PC's x86_64 CPU running macOS ("on my intel hackintosh i get this output":
    # w-okada/voice-changer#231); Apple silicon runs only on Apple's own Macs
    r"\bHackintosh(?:es)?\b",
    re.IGNORECASE,
)
# a Mac named anywhere in the paste: then "on a Linux machine" is a comparison ("works on a Linux
# box, but on my M2 ...") and not the machine in question
_ANY_MAC = re.compile(r"\b(?:mac(?:OS|book)?|OS[ \t]?X|iMac|Apple|M[1-9])(?:\b|(?=[\d_]))", re.I)


def _own_linux(text: str, m: re.Match[str]) -> bool:
    return stated(text, m, strict=False) and not _ANY_MAC.search(text)


# other systems named in words: "Windows 11 intel x64", "Ubuntu 22.04", "in WSL2", the user's
# own Linux machine ("Running this on a Linux system only works if I remove these two lines":
# lihaoyun6/ComfyUI-FlashVSR_Ultra_Fast#41); not a script's banner of what it was tested on
# (AUTOMATIC1111's webui.sh prints "Tested on Debian 11 (Bullseye)" on a Mac too:
# AUTOMATIC1111/stable-diffusion-webui#11633, run from a Mac's zsh)
OTHER_OS = re.compile(
    r"(?<!tested on )(?:\b(Windows)[ \t]+(?:10|11|Server|7)\b|"
    r"\b(Ubuntu|Debian|Fedora|CentOS|Rocky Linux)[ \t]+\d)|"
    # not a package's own platform list: "vLLM only supports Linux platform (including WSL)"
    r"(?<!including )\b(WSL2?)\b|"
    r"\b(?:on|using|with)[ \t]+(?:an?[ \t]+|my[ \t]+)?(Linux)[ \t]+"
    r"(?:system|machine|box|server|PC|computer|workstation|host)\b",
    re.IGNORECASE,  # "on ubuntu 22.04", "windows 11"
)
_OTHER_OS_NEEDLES = tuple(
    spelled
    for name in ("Windows", "Ubuntu", "Debian", "Fedora", "CentOS", "Rocky", "WSL", "Linux")
    for spelled in (name, name.lower(), name.upper())
)
MAC_HINT = re.compile(
    r"\b(?:my|a|an|on|using)\s+(?:Mac|MacBook(?:\s+(?:Pro|Air))?|iMac|Mac\s?mini|Mac\s?Studio|Mac\s?Pro)\b",
    re.IGNORECASE,
)
# a title's platform tag: "[Mac] Unable to find installation candidates for torch"
# (lucaspar/poetry-torch#1), "[macOS] ..."
MAC_TAG = re.compile(r"(?:^|(?<=\n))[ \t#]*\[(?:mac|mac\s?OS(?:\s?X)?|OS\s?X)\]", re.IGNORECASE)
# Mac models that were only ever made with Apple silicon (apple.com/mac/compare): Mac Studio
# (2022-), the 14-inch MacBook Pro (2021-), the 15-inch MacBook Air (2023-), the 24-inch iMac
# (2021-). The 13-, 15- and 16-inch MacBook Pro, Mac mini, Mac Pro and other iMacs came with
# Intel chips too, so they say nothing.
SILICON_ONLY_MODEL = re.compile(
    r"\bMac\s?Studio\b|"
    r"\b(?:MacBook\s?Pro|MBP)\s*\(?14(?:[- ]?inch|\"|″|'')?(?![\d.,])|"
    r"\b14(?:[- ]?inch|\"|″)\s*(?:MacBook\s?Pro|MBP)\b|"
    r"\bMacBook\s?Air\s*\(?15(?:[- ]?inch|\"|″)?(?![\d.,])|"
    r"\b15(?:[- ]?inch|\"|″)\s*MacBook\s?Air\b|"
    r"\biMac\s*\(?24(?:[- ]?inch|\"|″)?(?![\d.,])|\b24(?:[- ]?inch|\"|″)\s*iMac\b",
    re.IGNORECASE,
)
# a macOS home folder in a path ('File "/Users/.../site-packages/torch/..."', "-v /Users/...:/d"):
# Linux homes are /home, Windows paths carry a drive ("C:/Users/...", Git Bash's "/c/Users/...")
# macOS's own places too: an app bundle's insides ("/Applications/Slicer.app/Contents/lib/Python/
# ...": wasserth/TotalSegmentator#127), and the per-user temporary folder pip builds in
# ("/private/var/folders/qm/wtdnd37s0fz2frcd95_m0cmw0000gn/T/pip-install-ubxft3ba/": macOS's
# confstr(_CS_DARWIN_USER_TEMP_DIR), AutoGPTQ/AutoGPTQ#366)
MAC_HOME = re.compile(
    r"(?<![\w/:.~-])(?:/Users/(?!Shared/)[^/\s\"':]+/|/Applications/[^/\n\"']+\.app/Contents/|"
    r"(?:/private)?/var/folders/\w\w/\w+/T/)"
)
# an Apple chip named without its number: "the M chip", "Apple M-series chip", "M series chips"
M_CHIP = re.compile(r"\b(?:Apple\s+)?M(?:[- ]series)?\s+chips?\b")
# a Mac said to be an ARM one ("installing perbase via conda on an Arm Mac": sstadick/perbase#72):
# Apple silicon; one Mac, not a class of them ("ARM Macs")
ARM_MAC = re.compile(
    r"\b(?:ARM|arm64|aarch64)(?:[- ]based)?[ \t]+Mac(?:Book(?:[ \t]+(?:Pro|Air))?)?\b(?!s\b)",
    re.IGNORECASE,
)
# an AMD GPU offered as an alternative to the Mac, not the Mac's own: "Any chance of a Mac
# version or AMD GPU compatible update?" (nagadomi/nunif#346), "compatible on mac as well ?
# Or even AMD gpu" (lightningpixel/modly#111)
_ALTERNATIVE = re.compile(r"\b(?:or|nor)[ \t]+(?:even[ \t]+|an?[ \t]+)?$", re.IGNORECASE)
# an AMD card by its series alone too: "AMD RX 6900 XT on a Mac 5,1" (Comfy-Org/ComfyUI#4127),
# "eGPU(AMD RX6800 16G)" (zai-org/ChatGLM-6B#482)
AMD_GPU = re.compile(
    r"\b(?:AMD\s+Radeon|Radeon\s+Pro|AMD\s+GPU|Radeon\s+\w+|AMD\s+(?:RX\s?\d{3,4}|Vega|FirePro))\b",
    re.IGNORECASE,
)
PYTHON = re.compile(
    _START
    + r"(?:C|Homebrew |conda )?Python"
    + _FILL
    + r"(3\.\d{1,2}(?:\.\d{1,2})?)(?![\d.]*\+)(?!\.?"
    + _W
    + ")",
    re.IGNORECASE,
)
# sys.version printed alone, and the REPL's banner ("Python 3.11.4 (main, Jul  5 2023, 08:40:20)
# [Clang 14.0.6 ] on darwin": CPython's Py_GetVersion() and pymain_header(), "on <sys.platform>")
SYS_VERSION = re.compile(
    r"^[ \t>]*(?:Python[ \t]+)?(3\.\d{1,2}\.\d{1,2})[ \t]+\((?:main|default|tags/[^,)]*|[^,)]*)?,"
    r"[ \t]*[A-Z][a-z]{2}[ \t]+\d{1,2}[ \t]+\d{4}[^)\n]*\)[ \t]*\[[^\]\n]*\]"
    r"(?:[ \t]+on[ \t]+(darwin|linux|win32))?",
    _M,
)
# an alpha or beta interpreter ("python --version" printing "Python 3.11.0a6":
# pytorch/pytorch#102267, torch 2.0.1's cp311 wheel failing on "symbol not found in flat namespace
# '_PyFrame_GetLasti'"): wheels for a Python are built against its final C API, which is frozen
# only from the first release candidate on (3.12.0rc1's notes: "There will be no ABI changes from
# this point forward"; cibuildwheel: "While CPython is in beta, the ABI can change")
PYTHON_PRERELEASE = re.compile(r"\bPython[ \t]+(3\.\d{1,2}\.\d{1,2}(?:a|b)\d{1,2})(?![\w.])")
SITE_PACKAGES = re.compile(r"/lib/python(3\.\d{1,2})/(?:site|dist)-packages/")
# a number with a unit after it is an amount, not a version: "torch = 1.02 GiB" (the memory
# torch holds, in Lightricks/LTX-Desktop#171's heartbeat log)
_NOT_AMOUNT = r"(?![ \t]*(?:[KMGT]i?B|bytes?|%))"
TORCH = re.compile(
    r"(?<![.-])"
    + _START
    + r"(?i:PyTorch|(?:lib)?torch)(?:[ \t]*\((?:GPU|accelerator)\?\))?"
    + _FILL
    + r"(\d\.\d{1,2}(?:\.\d{1,2})?(?:(?:a|b|rc|\.dev|\.post)\d+)?(?:\+[\w.]+)?)"
    # never a version cut short: "2.4.1abc" is not read as 2.4
    + r"(?![\w.]*\+)(?!\.\d)"
    + _END
    + _NOT_AMOUNT,
    re.IGNORECASE,  # "PyTorch Version: 2.8.0" (ComfyUI's error report, Comfy-Org/ComfyUI#7171)
)
# no PyTorch release: its 0.x line ended at 0.4.1 (1.0.0 followed in 2018-12); R's torch
# (mlverse/torch) numbers its releases 0.1-0.16 ("{torch} added some support for Apple silicon
# GPUs (device = 'mps') in [torch v0.9.0]", mlverse/tabnet#132)
NOT_PYTORCH = re.compile(r"0\.(?:[5-9]|\d{2})\b")
# a second torch version told with the first ("Pytorch **1.3.1** and **2.0.0.dev20230116**",
# pytorch/pytorch#92265; "torch 2.0.1 or 2.1.0"): torch's own majors only (1, 2), so "torch 2.1 and
# 3.11" (a Python) is not read
TORCH_ALSO = re.compile(
    r"[*_`]*[ \t]*(?:,|and|or|&|as well as)[ \t]*[*_`]*(?:v(?:ersion)?[ \t]*)?"
    r"([12]\.\d{1,2}(?:\.\d{1,2})?(?:(?:a|b|rc|\.dev|\.post)\d+)?(?:\+[\w.]+)?)(?!\.)" + _END,
    re.IGNORECASE,
)
# a distribution's "name-version" in words or pip's output ("using `torch-1.14.0.dev20221019`":
# pytorch/pytorch#87351; "Successfully installed torch-2.1.0"): only lowercase "torch", and no
# file name (a wheel's "torch-2.1.0-cp310-...", its URL's "torch-1.13.0%2Bcu116-cp310-..." with
# the "+" encoded, a conda plan's "pytorch-1.10.2": other readers')
TORCH_DIST = re.compile(
    # conda's package is "pytorch-1.8.1" ("does not work with pytorch-1.8.1":
    # wasserth/TotalSegmentator#127); not a line of conda's download table ("pytorch-1.10.2
    # |cpu_py38..."), a package about to be installed
    r"(?<![.-])"
    + _START
    + r"(?:py)?torch-(\d\.\d{1,2}(?:\.\d{1,2})?(?:(?:a|b|rc|\.dev|\.post)\d+)?)"
    r"(?![.+%-])(?![ \t]+\|)" + _END
)
TORCH_REPL = re.compile(
    r"(?:print\(torch\.__version__\)|torch\.__version__)[`'\"]?[ \t]*"
    r"(?:\n[ \t>]*(?:Out\[\d+\]:[ \t]*)?|[:=]|->|→|is|returns)"
    rf"[ \t]*['\"]?(\d\.\d{{1,2}}(?:\.\d{{1,2}})?(?:{_W}|[.+])*?)['\"]?(?!\.)" + _END
)
# "Arch: arm64", "- Architecture: `x86_64`", "Machine: arm64": what the user's `uname -m` /
# platform.machine() said (which of the two is not said: weak; tch-rs#676, pytorch#177819 lists)
ARCH_KEY = re.compile(
    r"^[ \t>*-]*(?:\*\*)?(?:Arch|Architecture|CPU architecture|Machine)(?:\*\*)?[ \t]*:"
    r"(?:\*\*)?[ \t]*`?(arm64|aarch64|x86_64|i386|amd64)`?[ \t]*(?:\(|$)",
    _M,
)
# the architecture said right after macOS ("Macos x86 has been deprecated": e2b-dev/desktop#5;
# "on macOS 15.x x86_64": headroomlabs-ai/headroom#1931): the interpreter's, Intel or Rosetta
MACOS_ARCH = re.compile(
    r"\bmac\s?OS(?:\s?X)?(?:[ \t]+\d{2}(?:\.(?:\d{1,2}|x))*)?[ \t]+"
    r"\(?(x86[_-]64|x86(?![-_]?\d)|amd64|arm64)\b"
    r"(?![ \t]*(?:,|/|and\b|or\b)[ \t]*(?:x86|arm64|aarch64|amd64))",  # not a list of both
    re.IGNORECASE,
)
# "wheels for MacOS arm64" (huggingface/peft#2431): a build's platform, not the machine's
_FOR_BUILD = re.compile(r"\bfor[ \t]+(?:the[ \t]+)?$", re.IGNORECASE)
_ARCH = {"arm64": "arm64", "aarch64": "aarch64", "x86_64": "x86_64", "i386": "x86_64"}
# "requires", "supported on": the version a message asks for, not the one the user has
# Words just before a version that make it a *required* one ("supported on macOS 13.0",
# "needs Python 3.9", "newer than 12.3") and, for a package, a *requested* or offered one
# ("pip install torch==2.1.0", "Collecting torch 2.3.0", "from versions: ...").
_WANTED = (
    "built",  # dyld's "(which was built for Mac OS X 10.13)": the binary's floor (paste.loader)
    "support",
    "added",
    "starting",
    "require",
    "need",
    "than",
    "least",
    "minimum",
    "newer",
    "later",
    "before",
    "from",
    "e.g",
    "example",
    ">=",
    "<=",
    "~=",
)
_REQUESTED = (
    "install",
    "requirement",
    "satisf",
    "collecting",
    "downloading",
    "building",
    "could",
    "matching",
    "would",
    "successfully",
    "attempting",
    "uninstalling",
    "existing",
    "versions",
    "upgrad",
    "updat",
    "bump",  # "Bumping to torch 2.6 makes all tests pass." (PriorLabs/TabPFN#1125)
    "latest",
    "newest",
    "worked",
    "works",
    "since",
    "until",
    "regression",
    "between",
    "vs",
    "versus",
    "downgrad",
    "instead",
)
_WORDS = re.compile(r"[\w.]+|>=|<=|~=")
# a comparison sign just before the name: a bound on the version, not the version
_COMPARED = re.compile(r"(?<![-=<>])[<>]=?[ \t]*[`'\"]?$")
# ... and after it: "13.0+", "14 or newer", dyld's "(built for macOS 14.0 which is newer than
# running OS)" (verify.diagnosis.paste.loader reads that one as the macOS a binary needs)
# (a "+" set apart is "and": "on torch 2.0.1 + mps", eloialonso/diamond#6's title)
_AFTER_WANTED = re.compile(
    r"^[\d.]*(?:\+|\s*\+(?![ \t]+[A-Za-z])|\s*or\s+(?:newer|later|above|higher)|"
    r"\s*and\s+(?:up|above|later|newer)|\s*"
    r"which is newer|"
    # a restriction, not a machine: "Note: flex_gemm is OSX 26 only" (shivampkumar/trellis-mac
    # #9, whose user is on OSX 15.7)
    r"\s+only\b(?!\s+(?:has|have|had)\b)|"
    # a release uv says has no wheel here: "but torch (v2.8.0) only has wheels for ...",
    # "torch==2.6.0 has no wheels with a matching platform tag" (backticks lost:
    # debpalash/VoiceStudio#889)
    r"\)?\s*(?:only\s+has\s+wheel|has\s+no\s+(?:source|wheel))|"
    # a release still to come: "AMP will work once the pytorch 2.5.0 comes out"
    # (kijai/ComfyUI-CogVideoXWrapper#152, on a torch before it), "until 2.5 is released"
    r"\s+(?:comes|is)\s+out\b|\s+(?:is|gets|will\s+be)\s+released\b)"
)


def _wanted(text: str, m: re.Match[str], group: int = 0, *, package: bool = False) -> bool:
    """Does the match read as a required (or, for a package, requested) version rather than the
    user's own? Looks at the three words before it and what follows it."""
    start = text.rfind("\n", 0, m.start()) + 1
    before = text[max(start, m.start() - 60) : m.start(group) if group else m.start()].lower()
    if package:
        # a list's comma ends what the words before a package say: "latest accelerate,
        # pytorch 2.4" (huggingface/accelerate#3064's system info) asks nothing of torch
        before = before.rsplit(", ", 1)[-1]
    words = _WORDS.findall(before)[-3:]
    if _COMPARED.search(text, max(start, m.start() - 4), m.start()):
        return True  # "Skip compile if MPS and < torch 2.8.0": a bound (ModelCloud/GPTQModel#1684)
    stems = _WANTED + _REQUESTED if package else _WANTED
    if any(w.startswith(stems) for w in words):
        return True
    return bool(_AFTER_WANTED.match(text[m.end() : m.end() + 16]))


# a macOS the text says worked before ("It worked correctly on macOS 26.", beside the beta it
# runs now: pytorch/pytorch#187280) is a past system, not this one
_PAST = ("worked", "previously", "formerly", "prior")


def _past(text: str, m: re.Match[str]) -> bool:
    start = text.rfind("\n", 0, m.start()) + 1
    before = text[max(start, m.start() - 40) : m.start()].lower()
    return any(w.startswith(_PAST) for w in _WORDS.findall(before)[-3:])


# versions tried in place of the one in use: "I also tried installing older versions of Python
# (3.10 and 3.11)" (C0untFloyd/roop-unleashed#1046, whose Python was newer than both)
_TRIED_OTHERS = re.compile(
    r"\b(?:tried|trying|try)\b[^.\n]{0,40}?\b(?:older|other|different|earlier|newer|previous)"
    r"\b[^.\n]{0,12}?\bversions?\b[^.\n]{0,16}$",
    re.IGNORECASE,
)


def _tried_instead(text: str, m: re.Match[str]) -> bool:
    """Is the match one of the versions the user says they tried instead of theirs?"""
    start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 100)
    return bool(_TRIED_OTHERS.search(text, start, m.start()))


_UNCHECKED = re.compile(r"^[ \t>]*[-*][ \t]+\[ \]")


def _unticked(text: str, m: re.Match[str]) -> bool:
    """Is the match on an unticked checkbox line of an issue template ("- [ ] macOS 11",
    "- [ ] Windows", "- [ ] Python 3.10"): an option the user did not pick?"""
    start = text.rfind("\n", 0, m.start()) + 1
    return bool(_UNCHECKED.match(text[start : m.start()]))


def _short(text: str, m: re.Match[str]) -> bool:
    """Is the match on a short list / "Key: value" line?"""
    start = text.rfind("\n", 0, m.start()) + 1
    end = text.find("\n", m.end())
    line = text[start : end if end != -1 else len(text)].strip()
    return len(line) <= 70 or bool(re.match(r"^[>*\s-]*[\w .`()?]{1,40}:\s", line))


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(MACOS, text, "mac", "Mac", "MAC", "OS X", "OSX", "osx", "Osx", "sw_vers"):
        if _wanted(text, m) or _unticked(text, m) or _past(text, m):
            continue
        version = m.group(1)
        weight = LISTED if _short(text, m) else WEAK
        out.append(clue("os", "Darwin", text, m, weight))
        if version != "10.16" and version not in _MAJORS_SPANNING_A_FLOOR:
            out.append(clue("macos_version", _dotted(version), text, m, weight))
    for m in finditer(MACOS_BY_NAME, text, *_name_needles()):
        if _wanted(text, m) or _unticked(text, m) or _past(text, m):
            continue
        name = re.sub(r"\s+", " ", m.group(1).lower())
        version = m.group(2)
        first = MACOS_NAMES[name]
        if version and version.split(".")[0] != first.split(".")[0]:
            version = None  # "Sonoma 13.6" - the name and the number disagree
        if (version is None or version in _MAJORS_SPANNING_A_FLOOR) and name in _SPANS_A_FLOOR:
            out.append(clue("os", "Darwin", text, m, WEAK))
            continue  # "Monterey" alone: 12.0-12.7, on both sides of MPS's 12.3
        out.append(clue("os", "Darwin", text, m, WEAK))
        out.append(clue("macos_version", _dotted(version or first), text, m, WEAK))
    for m in finditer(CHIP, text, "Apple M", "Apple  M", "apple m", "Apple m", "APPLE M"):
        if _unticked(text, m):
            continue
        chip = " ".join(
            word.title() if len(word) > 2 else word.upper() for word in m.group(1).split()
        )
        out.append(clue("chip", chip + (" (Virtual)" if m.group(2) else ""), text, m))
        out.append(clue("hardware_arm64", True, text, m))
        out.append(clue("os", "Darwin", text, m, WEAK))
        if m.group(2):
            out.append(clue("virtual_machine", True, text, m))
    for m in finditer(BARE_CHIP, text, "M1", "M2", "M3", "M4", "M5", "m1", "m2", "m3", "m4"):
        if _unticked(text, m) or not stated(text, m, strict=False):  # "if you have an M1 Max"
            continue
        groups = m.groups()
        n, tier = next((groups[i], groups[i + 1]) for i in (0, 2, 4, 6, 8, 10) if groups[i])
        chip = f"Apple M{n}" + (f" {tier.title()}" if tier else "")
        out.append(clue("chip", chip, text, m, WEAK))
        out.append(clue("hardware_arm64", True, text, m, WEAK))
        out.append(clue("sign.mac_hint", True, text, m, WEAK))
    for found in (
        finditer(SILICON_ONLY_MODEL, text, "Mac", "MAC", "mac", "MBP"),
        finditer(M_CHIP, text, "M chip", "M-series", "M series"),
    ):  # Apple silicon, chip not named
        for m in found:
            if _unticked(text, m):
                continue
            out.append(clue("hardware_arm64", True, text, m, WEAK))
            out.append(clue("sign.mac_hint", True, text, m, WEAK))
            out.append(clue("os", "Darwin", text, m, WEAK))
    for m in finditer(ARM_MAC, text, "rm", "RM", "arch64"):
        if _unticked(text, m) or not stated(text, m, strict=False) or asked(text, m):
            continue
        out.append(clue("hardware_arm64", True, text, m, WEAK))
        out.append(clue("sign.mac_hint", True, text, m, WEAK))
        out.append(clue("os", "Darwin", text, m, WEAK))
    for m in finditer(INTEL_CHIP, text, "Intel"):
        if _unticked(text, m):
            continue
        out.append(clue("chip", (m.group(1) or m.group(2)).strip(), text, m, WEAK))
        out.append(clue("sign.intel_cpu", True, text, m, WEAK))
    for m in finditer(OTHER_OS, text, *_OTHER_OS_NEEDLES):
        if _unticked(text, m) or (m.group(4) and not _own_linux(text, m)):
            continue
        out.append(clue("os", "Windows" if m.group(1) else "Linux", text, m, WEAK))
    for m in finditer(MAC_HINT, text, "Mac", "mac", "MAC"):
        if not stated(text, m, strict=False):
            continue
        out.append(clue("sign.mac_hint", True, text, m, WEAK))
        out.append(clue("os", "Darwin", text, m, WEAK))
    for m in finditer(MAC_TAG, text, "[Mac", "[mac", "[MAC", "[OS"):
        out.append(clue("sign.mac_hint", True, text, m, WEAK))
        out.append(clue("os", "Darwin", text, m, WEAK))
        break
    for m in finditer(MAC_HOME, text, "/Users/", ".app/Contents/", "/var/folders/"):
        out.append(clue("sign.mac_hint", True, text, m, WEAK))
        out.append(clue("os", "Darwin", text, m, WEAK))
        break  # one is enough
    for m in finditer(INTEL_WORDS, text, "x86", "ntel", "NTEL", "ackintosh", "ACKINTOSH"):
        if _unticked(text, m) or not stated(text, m) or asked(text, m):  # "an Intel Mac?"
            continue
        out.append(clue("sign.intel_cpu", True, text, m, WEAK))
        if "mac" in m.group(0).lower():  # "Build failed on x86 MacOS" (llvm/torch-mlir#3191)
            out.append(clue("os", "Darwin", text, m, WEAK))
    for m in finditer(AMD_GPU, text, "AMD", "Radeon", "radeon"):
        if _unticked(text, m) or _ALTERNATIVE.search(text, max(0, m.start() - 16), m.start()):
            continue
        out.append(clue("sign.amd_gpu", True, text, m, WEAK))
    for m in finditer(PYTHON, text, "ython"):
        if _wanted(text, m, 1) or _unticked(text, m) or _tried_instead(text, m):
            continue
        out.append(clue("python_version", m.group(1), text, m, LISTED if _short(text, m) else WEAK))
    for m in finditer(SYS_VERSION, text, ") ["):
        out.append(clue("python_version", m.group(1), text, m, LISTED))
        if m.group(2):
            name = {"darwin": "Darwin", "linux": "Linux", "win32": "Windows"}[m.group(2)]
            out.append(clue("os", name, text, m, LISTED))
    for m in finditer(PYTHON_PRERELEASE, text, "ython 3."):
        if not _wanted(text, m, 1):
            out.append(clue("sign.python_prerelease", m.group(1), text, m, LISTED))
            break
    for m in finditer(SITE_PACKAGES, text, "/lib/python"):
        out.append(clue("python_version", m.group(1), text, m, WEAK))
    for m in finditer(TORCH, text, "orch"):
        if _unticked(text, m) or NOT_PYTORCH.match(m.group(1)):
            continue
        if _wanted(text, m, 1, package=True):  # asked for, not installed: a sign, not a fact
            out.append(clue("sign.torch_requested", m.group(1), text, m, WEAK))
            continue
        weight = LISTED if _short(text, m) else WEAK
        out.append(clue("torch_version", m.group(1), text, m, weight))
        also = TORCH_ALSO.match(text, m.end())
        if also:  # weighed with the first; paste.read keeps the newest of equals
            out.append(clue("torch_version", also.group(1), text, also, weight))
    for m in finditer(TORCH_DIST, text, "torch-"):
        out.append(clue("torch_version", m.group(1), text, m, WEAK))
    for m in finditer(TORCH_REPL, text, "__version__"):
        out.append(clue("torch_version", m.group(1), text, m, STRONG))
    for m in finditer(MACOS_ARCH, text, "mac", "Mac", "MAC"):
        if _wanted(text, m) or asked(text, m) or not stated(text, m, strict=False):
            continue
        if _FOR_BUILD.search(text, max(0, m.start() - 12), m.start()):
            continue
        machine = "arm64" if m.group(1).lower() == "arm64" else "x86_64"
        out.append(clue("machine", machine, text, m, WEAK))
        out.append(clue("os", "Darwin", text, m, WEAK))
    for m in finditer(ARCH_KEY, text, "rch", "achine"):
        out.append(clue("machine", _ARCH.get(m.group(1).lower(), "x86_64"), text, m, WEAK))
    for m in finditer(OS_KEY, text, "OS", "System", "Environment", "环境", "環境", "系", "平台"):
        value = m.group(1).lower()
        if value.startswith(("darwin", "mac")):
            out.append(clue("os", "Darwin", text, m, LISTED))
        elif value.startswith(("linux", "ubuntu", "debian", "fedora", "centos", "arch linux")):
            out.append(clue("os", "Linux", text, m, LISTED))
        elif value.startswith("windows"):
            out.append(clue("os", "Windows", text, m, LISTED))
    return out


# a release name alone says only its first version; where the release spans a floor that
# matters (MPS needs 12.3), the name alone gives no version
_SPANS_A_FLOOR = {"monterey"}
# the same for a major number alone: "AMD RX 6900 XT on a Mac 5,1 with macOS 12" running MPS
# (Comfy-Org/ComfyUI#4127) is 12.3 or later, not 12.0
_MAJORS_SPANNING_A_FLOOR = {"12"}


def _dotted(version: str) -> str:
    return version if "." in version else version + ".0"


def _name_needles() -> tuple[str, ...]:
    return tuple(n.title() for n in MACOS_NAMES) + tuple(MACOS_NAMES) + ("Big Sur", "Big sur")
