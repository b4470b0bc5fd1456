"""What a free-form reader returns: a `Clue` (one fact, or one sign, and the line it rests on).

A clue names a Facts field ("macos_version", "machine", ...) or a sign that is not a fact of the
interpreter but matters to the diagnosis ("sign.docker", "sign.mps_intent", ...: see SIGNS). Its
weight says how much to trust it: 3 a tool's own structured output (sw_vers, platform.platform(),
torch.__config__.show()), 2 a "Key: value" or list entry, 1 prose or an inference. Pure helpers.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

STRONG, LISTED, WEAK = 3, 2, 1
# MPS named anywhere: "MPS" after no letter and before no lower-case one (also in MPSGraph and
# PYTORCH_MPS_HIGH_WATERMARK_RATIO, not in "GPMPSs"), or "mps" as a word (the device string),
# CJK letters beside it included ("用mps推理": Python's \b sees no edge there)
MPS_NAMED = re.compile(r"(?<![A-Za-z])MPS(?![a-z])|(?<![A-Za-z0-9_])mps(?![A-Za-z0-9_])")
MAX_EVIDENCE_CHARS = 200
MAX_MATCHES = 100  # per pattern: the facts are in the first ones; a log repeats the rest

# Signs a paste can give that are not Facts fields (see verify.diagnosis.paste.places and .pip).
SIGNS = {
    "sign.linux_vm_on_mac": "Linux running in a container or VM on a Mac (Docker Desktop, ...)",
    "sign.mac_hint": "the paste says it comes from a Mac",
    "sign.container": "a container (Docker, Podman, ...)",
    "sign.vm": "a virtual machine",
    "sign.sandbox": "a sandboxed process",
    "sign.remote": "a remote session",
    "sign.intel_cpu": "an Intel CPU named (an Intel Mac when it is a Mac)",
    "sign.amd_gpu": "an AMD / Radeon GPU named (Apple silicon Macs have none)",
    "sign.wrong_arch_library": "dyld refused a library built for the other architecture",
    "sign.conda_plans_torch": "conda's plan installs this pytorch (version, channel)",
    "sign.libtorch_other_arch": "the linker ignored a LibTorch built for the other architecture",
    "sign.libtorch_undefined_arm64": "the linker found LibTorch's symbols undefined for arm64",
    "sign.binary_needs_macos": "dyld refused a binary built for a newer macOS than this one",
    "sign.app_needs_newer_macos": "macOS refused to open an app built for a newer macOS",
    "sign.bad_cpu_type": "macOS refused to run an executable built for another CPU (.loader)",
    "sign.solver_needs_macos": "a conda solver found no __osx for a package's newer macOS",
    "sign.mps_intent": "the code asks for the MPS device",
    "sign.gpu_intent": "the user wants the Mac's GPU",
    "sign.x86_only_conda": "Intel-only conda packages (MKL, intel-openmp)",
    "sign.mkl_build": "a torch build linked with Intel MKL (x86_64)",
    "sign.no_avx": "an x86_64 library (MKL, jaxlib, TensorFlow) refused the processor for want of "
    "AVX (Rosetta 2 on a Mac)",
    "sign.illegal_instruction": "an illegal hardware instruction (Rosetta 2 on an Apple chip)",
    "sign.arm64_only_missed": "pip gave up on an arm64-only Mac package (.armonly)",
    "sign.pip_no_torch": "pip/uv found no torch for this interpreter",
    "sign.torch_requested": "a torch release the text asks for, not one it runs",
    "sign.torch_at_least": "a requirement's lower bound on torch (torch>=X)",
    "sign.torch_wanted": "a torch release the text names while collect_env finds none imported",
    "sign.pip_versions": "the torch versions pip offers this interpreter",
    "sign.pip_x86_only": "pip / uv find no torch past 2.2.2, the last with x86_64 macOS wheels",
    "sign.wheel_platforms": "the platforms uv says the requested torch has wheels for",
    "sign.conda_no_torch": "conda found no package for the requested pytorch",
    "sign.gpu_index": "pip looked only in a PyTorch CUDA / ROCm index (Linux and Windows wheels)",
    "sign.lock_other_platform": "uv's lock file supports other systems only (no darwin)",
    "sign.mps_device_error": "torch could not create or reach an MPS device",
    "sign.linux_workload": "the workload ran in Linux (a container GPU request, --platform linux)",
    "sign.linux_vm_app": "an app that runs Linux guests on a Mac (UTM, Parallels, OrbStack, ...)",
    "sign.ci_runner": "a hosted CI machine (GitHub Actions' macOS runners are VMs)",
    "sign.nix_source_torch": "nixpkgs' source-built torch (not torch-bin, the wheel)",
    "sign.nix_torch": "a torch from the nix store (source build or torch-bin)",
    "sign.gpu_missing": "the paste says the GPU / MPS is not available or not used",
    "sign.metal_failure": "Metal itself failed (a shader or pipeline the GPU could not run)",
    "sign.no_metal_device": "the process got no Metal device (MTLCreateSystemDefaultDevice nil)",
    "sign.asahi": "Asahi Linux: Linux on the Mac's own hardware (no Metal there)",
    "sign.float64_said": "float64 said in words to be unsupported on MPS (.said)",
    "sign.mps_memory_said": "macOS killed the process for memory while it used MPS (in words)",
    "sign.torch_fixed_by": "the torch release the text says fixed it (.told)",
    "sign.torch_needed_said": "a torch release a sentence says is required (.told)",
    "sign.app_mps_opt_in": "an application's MPS path said to be experimental (opt-in)",
    "sign.mps_failure_said": "MPS said to fail or crash (a native crash, 'MPS ... fails')",
    "sign.newer_torch_works": "a torch release said to fail and a later one to work",
    "sign.no_wheel_for_python": "a release has no wheel for this Python (.pytags, .companions)",
    "sign.conda_no_package": "conda found no build of a package (not torch) in its channels",
    "sign.requires_other_python": "the installer refused a release: it requires another Python",
    "sign.python_filtered": "pip skipped releases for their Requires-Python (.pytags)",
    "sign.python_removed": "the code meets a Python that removed what it uses (.pyremoved)",
    "sign.python_prerelease": "the interpreter is an alpha or beta of its Python (.versions)",
    "sign.python_said_no_wheels": "torch said to have no wheels for a Python (.wheelsaid)",
    "sign.x86_64_said_dropped": "PyTorch said to publish no Intel Mac builds (.wheelsaid)",
    "sign.wheel_refused": "pip refused a wheel as not supported here (.refused)",
    "sign.every_wheel_skipped": "Poetry skipped every wheel of a release for its tags (.pytags)",
    "sign.platform_by_elimination": "macOS x86_64 inferred: no wheel fits where all others do",
    "sign.cloud_server": "a cloud machine named (an EC2 instance type, Colab, ...) (.downloads)",
    "sign.libtorch_x86_64": "a LibTorch download for macOS x86_64 past 2.2.2 (.downloads)",
    "sign.binding_no_native": "a binding's engine without a native LibTorch here (.downloads)",
    "sign.macos_fixed_by": "a macOS update said to fix an MPS op failure (.limits)",
    "sign.mps_memory_swap": "memory said to grow past the Mac's RAM (swap, freeze) while running",
    "sign.complex_said": "complex numbers / torch.fft said in words to be unsupported on MPS",
    "sign.app_torch": "the torch an application's own start-up log says it imported",
    "sign.mps_problem": "an MPS crash, compile error, error or wrong value (.trouble)",
    "sign.cpu_dtype_refused": "a CPU kernel refused float16 / bfloat16 (.cpukernel)",
    "sign.raised": "an exception said or shown to stop the run, its message cut (.trouble)",
    "sign.docker_on_mac": "Docker said to run on the Mac itself (its workload is Linux)",
    "sign.mps_chosen": "the MPS device picked by the user or the code (not merely probed)",
    "sign.cuda_torch": "the torch in use told as a CUDA / ROCm build (+cuXXX): not a Mac",
    "sign.pc_gpu": "the user's own NVIDIA RTX GPU named: a PC (no Mac has one)",
    "sign.mps_work": "torch work on MPS shown (a log's device, an MPS warning or env var)",
    "sign.fallback_fixed": "PYTORCH_ENABLE_MPS_FALLBACK=1 told as what made it run",
    "sign.mps_oom_said": "out of memory on MPS said in words, or the watermark told as the fix",
    "sign.bf16_macos_said": "bfloat16 said to need macOS 14 (Sonoma) on MPS",
    "sign.op_said_unsupported": "an operator said in words to be unsupported on MPS (.limits)",
    "sign.linux_guest": "Linux named as a VM's or container's guest (an Ubuntu VM) (.places)",
    "sign.windows_paths": "a traceback's or prompt's Windows paths (a drive letter) (.paths)",
    "sign.linux_paths": "a traceback's or prompt's Linux paths (/home, dist-packages) (.paths)",
    "sign.ext_op_no_mps": "an extension's CPU / CUDA-only operator refused an MPS tensor",
    "sign.cause_said": "a cause stated in one sentence: a topic and a limit (.claims)",
    "sign.gpu_only_package": "an installer found no build of a package with no macOS build",
    "sign.release_no_mac_wheel": "uv: a release of a package has no wheel for this Mac (.gpuonly)",
    "sign.no_release_here": "pip found no release at all of a package (from versions: none)",
    "sign.pin_past_list": "pip's list of a package ends below the release asked for (.gpuonly)",
    "sign.pin_before_list": (
        "pip's list of a package starts above the releases asked for (.gpuonly)"
    ),
    "sign.pin_said_failing": "a requirement's install said to fail for one pinned release",
    "sign.cuda_build": "a CUDA-only package's source build failed (.foreign)",
    "sign.source_build": "another package's source build failed (.foreign)",
    "sign.sdist_failed": "pip could not read a source distribution's metadata (.foreign)",
    "sign.not_mach_o": "dyld refused a library that is no Mach-O file: a Linux build (.foreign)",
    "sign.no_cpu_builds": "pip listed no +cpu build with PyTorch's own links given (.packages)",
    "sign.model_code_requires": (
        "the code asks for a missing package: a model's own code (transformers, 'model') or the "
        "attention backend it chose (diffusers, 'attention_backend')"
    ),
    "sign.package_refused": "pip found no release of a package other than torch (.foreign)",
    "sign.image_platform": "Docker: no arm64 image ('missing') or an amd64 one run ('emulated')",
    "sign.linked_wrong_format": "GNU ld refused a LibTorch library as another format (.foreign)",
    "sign.linux_only": "a package said to run on Linux only, by its check or a user (.foreign)",
    "sign.mac_named": "the Mac named, nothing more: never the OS by itself (.foreign)",
}


@dataclass(frozen=True)
class Clue:
    field: str  # a Facts field name, or a "sign.*" name
    value: Any
    line: str  # the pasted line it rests on (trimmed, personal data masked)
    weight: int = LISTED


def line_at(text: str, pos: int) -> str:
    """The whole line of `text` that holds position `pos`, trimmed for quoting."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return quote(text[start : end if end != -1 else len(text)])


_HOME = re.compile(r"(/Users/|/home/|C:\\Users\\)[^/\\\s'\"]+", re.IGNORECASE)
# an address ends in a top-level domain of letters: Homebrew's "python@3.11" is no address
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
# shell prompts name the login and the host: zsh's "user@host dir % ", bash's "user@host:dir$ ",
# fish's "user@host ~/dir> ", macOS bash's "host:dir user$ " (Homebrew/homebrew-core#67713); the
# login is masked (a container's root is no one's), and the host unless it is a Mac's own kind of
# name (its owner's part is masked below): what kind of machine it is stays readable
_PROMPT = re.compile(r"^((?:\([\w.-]*\)\s*)?)([\w.-]+)@([\w.-]+)(?=[\s:][^%$#>\n]*[%$#>]\s)")
_BASH_PROMPT = re.compile(r"^((?:\([\w.-]+\)\s*)?)([\w.'-]+)(:\S*\s+)[\w.-]+(?=\$\s)")
# macOS names a Mac after its owner and its model ("Romans-MacBook-Pro.local", "Adams-Mac-mini" in
# prompts and `uname -a`: Fooocus#3236, Homebrew/homebrew-core#67713). MAC_MODELS, the models'
# part, serves both reading such a host as a Mac (.paths.MAC_PROMPT) and masking its owner's
# part here (_MAC_HOST)
MAC_MODELS = r"(?:MacBook(?:-Pro|-Air)?|Mac-mini|Mac-Studio|Mac-Pro|iMac)"
_MAC_HOST = re.compile(r"\b[\w'\u2019-]+?-(?=" + MAC_MODELS + r"\b)")
# CJK letters (kana, CJK ideographs, Hangul, compatibility ideographs): regex counts them as word
# characters, so no "\\b" falls between one and a Latin letter or digit ("torch2.4.1没有",
# FunAudioLLM/CosyVoice#501's title); LATIN_WORD is a word character that is not one, for
# boundaries that hold against CJK text
CJK = r"\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff"
LATIN_WORD = r"[^\W" + CJK + r"]"
# system_profiler SPHardwareDataType's lines that identify one machine
_SERIAL = re.compile(
    r"((?:Serial Number(?: \(system\))?|Hardware UUID|Provisioning UDID|Platform UUID)\s*:\s*)\S+",
    re.IGNORECASE,
)


def _login(name: str) -> str:
    """A prompt's login, kept only where it is no person's (a container's root)."""
    return name if name == "root" else "..."


def _host(name: str) -> str:
    """A prompt's host name, kept only where it says what kind of Mac it is."""
    return name if _MAC_HOST.search(name) else "..."


def quote(line: str) -> str:
    """A pasted line as evidence: stripped, user names and addresses masked, cut to a length."""
    line = line.strip().strip("`").strip()
    line = _PROMPT.sub(lambda m: f"{m.group(1)}{_login(m.group(2))}@{_host(m.group(3))}", line)
    line = _BASH_PROMPT.sub(lambda m: f"{m.group(1)}{_host(m.group(2))}{m.group(3)}...", line)
    line = _HOME.sub(lambda m: m.group(1) + "...", line)
    line = _EMAIL.sub("...@...", line)
    line = _MAC_HOST.sub("...-", line)
    line = _SERIAL.sub(lambda m: m.group(1) + "...", line)
    if len(line) > MAX_EVIDENCE_CHARS:
        line = line[: MAX_EVIDENCE_CHARS - 3] + "..."
    return line


def finditer(pattern: re.Pattern[str], text: str, *needles: str) -> Iterator[re.Match[str]]:
    """pattern.finditer(text) (the first MAX_MATCHES), skipped at once when none of the needles
    is in the text (cheap substring tests keep a big paste fast). The needles only skip work:
    for a case-blind pattern they are looked for case-blind too, so "ithub" finds "GitHub"
    (docling-project/docling#286: "specially in GitHub CI" went unread)."""
    if needles:
        if pattern.flags & re.IGNORECASE:
            haystack = _folded(text)
            found = any(n.casefold() in haystack for n in needles)
        else:
            found = any(n in text for n in needles)
        if not found:
            return iter(())
    return itertools.islice(pattern.finditer(text), MAX_MATCHES)


@functools.lru_cache(maxsize=4)
def _folded(text: str) -> str:
    """The text case-folded, once per paste (every reader asks; a str keeps its hash)."""
    return text.casefold()


def clue(field: str, value: Any, text: str, m: re.Match[str], weight: int = LISTED) -> Clue:
    return Clue(field, value, line_at(text, m.start()), weight)


# words just before a phrase that make it not the user's present machine ("not using Rosetta",
# "if you are on an Intel Mac", "it worked on my Intel Mac", "support for Apple Silicon")
_NOT = {
    "not",
    "no",
    "never",
    "without",
    "isn't",
    "aren't",
    "wasn't",
    "don't",
    "doesn't",
    "didn't",
    "outside",
    "instead",
    "unlike",
    "if",
    "unless",
    "whether",
    "should",
    "would",
    "could",
    "worked",
    "works",
    "previously",
    "than",
    "vs",
    "versus",
    "support",
    "supports",
    "supported",
    "only",
    "designed",
    "optimized",
    "optimised",
    "require",
    "requires",
    # another, earlier machine: "I switched from an Intel Mac", "upgraded from my 2019 MacBook Pro"
    "from",
    "switched",
    "replaced",
    "previous",
    "former",
}
# a condition or a guess ("I suspect something isn't right with rosetta": kaixxx/noScribe#315,
# where Rosetta was not the cause)
_IF = {
    "if",
    "unless",
    "whether",
    "suppose",
    "assuming",
    "maybe",
    "perhaps",
    "suspect",
    "guess",
    "wonder",
    "possibly",
    "probably",
    "might",
}
_STATE = {
    "available",
    # Deformable-DETR's setup.py's spelling, quoted in titles: "Cuda is not availabel for macbook
    # m1" (IDEA-Research/DINO#138)
    "availabel",
    "working",
    "detected",
    "found",
    "supported",
    "usable",
    "accessible",
    "visible",
    "enabled",
    "used",
    "recognized",
    "recognised",
    "work",
    "works",
    # "Package does not exist on macOS (intel)" (triton-lang/triton#1465): what is missing there
    "exist",
    "exists",
    # a verb denied of the machine after it is still the machine: "tch-rs does not run on m1
    # MacOS" (LaurentMazare/tch-rs#629), "doesn't install on my M2"
    "run",
    "runs",
    "install",
    "installs",
    "load",
    "loads",
}
_WORD = re.compile(r"[\w']+")
WORDS_BEFORE = 3


# where a clause ends; a hyphen with spaces round it is a dash too ("GPU acceleration in Apple
# backend mode not posible - Ubuntu 22.04 ARM Guest": utmapp/UTM#4869's title)
_CLAUSE = re.compile(r"[.!?;:,\u2013\u2014]|[ \t]-[ \t]|\b(?:but|and|so|then)\b", re.IGNORECASE)


_NEGATION = {"not", "no", "never", "without"}


def stated(text: str, m: re.Match[str], window: int = WORDS_BEFORE, *, strict: bool = True) -> bool:
    """Is the phrase stated of the user's machine: none of the `window` words just before it, in
    its clause, negates it or makes it hypothetical, past or general? `strict=False` asks only
    for no negation or condition ("works on my M1" stays the M1)."""
    start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 60)
    before = _CLAUSE.split(text[start : m.start()])[-1]
    words = [w.lower() for w in _WORD.findall(before)]
    # a negation of a state ("MPS is not available inside the sandbox") is not of the place after
    # it: only the words after the last state word count
    states = [i for i, w in enumerate(words) if w in _STATE]
    if states:
        words = words[states[-1] + 1 :]
    if words[-1:] == ["from"] and _WITHIN.match(m.group(0)):
        # "from within a Docker container" is in it, not an earlier machine it was moved from
        # (tf-coreml/tf-coreml#187: "executing my conversion script from within a Docker
        # container")
        words = words[:-1]
    if any(w in _IF for w in words[-8:]):  # "if you are on an Intel Mac", whatever between
        return False
    stops = _NOT if strict else _NEGATION
    return not any(w in stops or w.endswith("n't") for w in words[-window:])


_WITHIN = re.compile(r"(?:within|inside)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?\n]")
_TAG_QUESTION = re.compile(
    r",[ \t]+(?:is|are|was|were|does|do|did|should|could|can|any|how|why|what)\b", re.IGNORECASE
)
_QUESTION_OPENS = re.compile(
    r"[ \t>*-]*(?:is|are|was|were|does|do|did|should|could|can|will|would|has|have|any|how|why|"
    r"what|where|which|who|when)\b",
    re.IGNORECASE,
)


def asked(text: str, m: re.Match[str]) -> bool:
    """Does the sentence holding the match end with a question mark ("Are you on an Intel
    Mac?", "Is it running under Rosetta?"): a question, not a statement?"""
    end = _SENTENCE_END.search(text, m.end())
    if not end or end.group(0) != "?":
        return False
    # a statement with a question tagged on after a comma ("I seem to be hitting an OOM, is this
    # expected?": huggingface/smol-course#67) states what it says, unless the sentence itself
    # opens as a question ("Are you on an Intel Mac, or ...?")
    start = max(text.rfind(c, 0, m.start()) for c in ".!?\n") + 1
    tag = _TAG_QUESTION.search(text, m.end(), end.start())
    return not (tag and not _QUESTION_OPENS.match(text, start))


# a sentence ends at ". ", "! ", "? " (not inside "2.2.2" or "torch.float64") or a line break
# (verify.diagnosis.paste.claims reads the sentences that hold its words)
_END = re.compile(r"[.!?](?=\s|$)|\n")
MAX_SENTENCE = 400


def sentence_at(text: str, pos: int) -> tuple[int, int]:
    """(start, end) of the sentence of `text` that holds position `pos`."""
    start = text.rfind("\n", 0, pos) + 1
    for m in _END.finditer(text, max(start, pos - MAX_SENTENCE), pos):
        start = m.end()
    stop = _END.search(text, pos)
    return start, stop.end() if stop else len(text)


# sys.platform's values and the OS each names (the REPL's banner, a library refusing it)
SYS_PLATFORM_OS = {"darwin": "Darwin", "linux": "Linux", "win32": "Windows"}

# macOS names: Apple's marketing names and the release each began with.
MACOS_NAMES = {
    # the Intel-only releases before Apple silicon (10.15 is the last x86_64-only macOS): too old
    # for MPS, named in reports of old Macs ("OS X Mojave 10.14.6": apple/coremltools#1320)
    "yosemite": "10.10",
    "el capitan": "10.11",
    "high sierra": "10.13",
    "mojave": "10.14",
    "catalina": "10.15",
    "big sur": "11.0",
    "monterey": "12.0",
    "ventura": "13.0",
    "sonoma": "14.0",
    "sequoia": "15.0",
    "tahoe": "26.0",
}
# the names as a regex alternation (any spacing between a two-word name's words)
MACOS_NAME_WORDS = "|".join(n.replace(" ", r"\s") for n in MACOS_NAMES)


def macos_from_darwin(kernel: str) -> str | None:
    """The macOS release a Darwin kernel version belongs to ("23.5.0" -> "14.5"), or None.

    Darwin 20-22 are macOS 11-13 with the minor one ahead (21.4.0 is 12.3, the first MPS
    release; 22.1.0 is 13.0); Darwin 23 on are macOS 14, 15 and 26 with the same minor
    (https://en.wikipedia.org/wiki/Darwin_(operating_system)#Release_history). The last minor of
    20-22 spans several point releases (21.6 is 12.5-12.7): the lower bound is given."""
    m = re.match(r"(\d+)\.(\d+)", kernel)
    if not m:
        return None
    major, minor = int(m.group(1)), int(m.group(2))
    if 20 <= major <= 22:
        return f"{major - 9}.{max(minor - 1, 0)}"
    if 23 <= major <= 24:
        return f"{major - 9}.{minor}"
    if major == 25:
        return f"26.{minor}"
    if 14 <= major <= 19:  # 10.10 - 10.15
        return f"10.{major - 4}"
    return None
