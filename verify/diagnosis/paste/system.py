"""The OS and the hardware from what system commands print, wherever it sits in a paste:
platform.platform() / machine() / processor(), `uname -a` / `uname -m` / `arch`, `sw_vers`,
`system_profiler`, `sysctl`, a macOS crash report's header.

platform.platform() ("macOS-14.5-arm64-arm-64bit", "Darwin-21.4.0-x86_64-i386-64bit",
"Linux-6.10.14-linuxkit-aarch64-with-glibc2.36"), platform.machine() / platform.processor() in a
REPL, `uname -a` / `uname -m` / `arch`, `sw_vers`, `system_profiler SPHardwareDataType` /
`SPSoftwareDataType` / `SPDisplaysDataType`, `sysctl` (machdep.cpu.brand_string,
sysctl.proc_translated, hw.optional.arm64, kern.hv_vmm_present; "key: value", or `sysctl -n key`
and its value on the next line). Those sysctl keys are macOS's own, so they name the OS.

What each says: platform.* describes the *Python* process (an x86_64 Python under Rosetta says
x86_64 / i386); uname and arch describe the *shell* (a Rosetta Terminal says x86_64 / i386, and a
Python started there runs its x86_64 slice when it has one); the Darwin kernel's build name
("RELEASE_ARM64_T6000", "RELEASE_X86_64") and the CPU brand string ("Apple M1",
"Intel(R) Core(TM) i7") describe the *hardware*, Rosetta or not.
"""

from __future__ import annotations

import re

from verify.diagnosis.paste.clues import (
    LISTED,
    MACOS_NAMES,
    STRONG,
    SYS_PLATFORM_OS,
    WEAK,
    Clue,
    asked,
    clue,
    finditer,
    stated,
)
from verify.diagnosis.paste.clues import macos_from_darwin as darwin

_MACHINE = {"arm64": "arm64", "arm": "arm64", "x86_64": "x86_64", "i386": "x86_64"}
_M = re.MULTILINE

PLATFORM_MAC = re.compile(
    r"\b(macOS|Darwin)-(\d+(?:\.\d+){1,2})-(arm64|x86_64|i386)(?:-(arm|i386|64bit))?"
)
PLATFORM_LINUX = re.compile(
    r"\bLinux-(\d+\.\d+[\w.+-]*?)-(x86_64|aarch64|arm64)(?:-with|-glibc|-64bit|\b)"
)
UNAME_DARWIN = re.compile(
    r"\bDarwin(?:\s+\S+)?\s+(\d+\.\d+\.\d+)\s+Darwin Kernel Version[^\n]*?"
    r"RELEASE_(ARM64|X86_64)\w*(?:\s+(arm64|x86_64|i386))?"
)
KERNEL_BUILD = re.compile(r"Darwin Kernel Version (\d+\.\d+\.\d+)[^\n]*?RELEASE_(ARM64|X86_64)")
UNAME_LINUX = re.compile(
    r"^[ \t>$#%]*Linux \S+ (\d+\.\d+[\w.+-]*) #[^\n]*?\b(x86_64|aarch64)\b", _M
)
# "Kernel: Darwin 22.3.0", `uname -sr`: the Darwin release alone (its macOS, see clues)
DARWIN_RELEASE = re.compile(r"\bDarwin[ \t]+(\d{2}\.\d{1,2}\.\d{1,2})\b")
SW_VERS = re.compile(r"^[ \t>]*ProductVersion:[ \t]*(\d+(?:\.\d+){0,2})", _M)
SP_SYSTEM = re.compile(
    r"^[ \t>]*System Version:[ \t]*(?:macOS|Mac OS X|OS X)[ \t]+(\d+(?:\.\d+){0,2})", _M
)
SP_CHIP = re.compile(r"^[ \t>*-]*Chip(?: Model)?:[ \t]*(Apple M\d[^\n]*?)[ \t]*$", _M)
SP_INTEL = re.compile(
    # system_profiler's "Processor Name: Quad-Core Intel Core i7"; About This Mac's Overview as
    # users copy it: "Processor: 2,2 GHz 6-Core Intel Core i7" (support.apple.com/HT201300
    # "Find the model of your Mac"; SWivid/F5-TTS#360, a 2018 MacBook Pro)
    r"^[ \t>*-]*Processor(?: Name)?:[ \t]*([^\n]*\bIntel\b[^\n]*?)[ \t]*$|"
    r"^[ \t>*-]*Chipset Model:[ \t]*((?:AMD|Radeon|Intel)[^\n]*?)[ \t]*$",
    _M,
)
SP_VIRTUAL = re.compile(
    r"^[ \t>*-]*Model (?:Name|Identifier):[ \t]*(Apple Virtual Machine[^\n]*|VirtualMac[^\n]*)",
    _M,
)
# system_profiler's "Model Identifier": Apple silicon from MacBookPro17,1 / MacBookAir10,1 /
# Macmini9,1 / iMac21,1 on, and every "MacNN,N" (2022-); the lower numbers, and every iMacPro,
# MacPro and (12-inch) MacBook identifier, are Intel Macs (support.apple.com "Identify your
# MacBook Pro / MacBook Air / Mac mini / iMac / Mac Pro model"; the 2023 Mac Pro is Mac14,8)
MODEL_ID = re.compile(
    # a crash report names it "Hardware Model:" (developer.apple.com/documentation/xcode/
    # examining-the-fields-in-a-crash-report)
    r"^[ \t>*-]*(?:Model Identifier|Hardware [Mm]odel):[ \t]*"
    r"(MacBookPro|MacBookAir|MacBook|Macmini|MacPro|iMacPro|iMac|Mac)(\d+),\d+",
    _M,
)
_NEVER = 10**6
_FIRST_SILICON = {
    "MacBookPro": 17,
    "MacBookAir": 10,
    "Macmini": 9,
    "iMac": 21,
    "Mac": 13,
    "MacBook": _NEVER,
    "MacPro": _NEVER,
    "iMacPro": _NEVER,
}
SYSCTL = re.compile(
    r"\b(sysctl\.proc_translated|hw\.optional\.arm64|kern\.hv_vmm_present|"
    r"machdep\.cpu\.brand_string)[ \t]*[:=][ \t]*([^\n]+?)[ \t]*$",
    _M,
)
# `sysctl -n KEY` prints the value alone, on the line after the command
SYSCTL_VALUE_ONLY = re.compile(
    r"\bsysctl[ \t]+-[a-z]*n[a-z]*[ \t]+(sysctl\.proc_translated|hw\.optional\.arm64|"
    r"kern\.hv_vmm_present)[ \t]*\n[ \t]*([01])[ \t]*$",
    _M,
)
# A macOS crash report's header ("Python quit unexpectedly" > Report...): "Code Type: ARM-64
# (Native)", "X86-64 (Translated)" for a process Rosetta runs, "X86-64 (Native)" on an Intel Mac
# (developer.apple.com/documentation/xcode/examining-the-fields-in-a-crash-report; the Translated
# form: Faisal Memon, "iOS Crash Dump Analysis", chapter "Apple Silicon"; a real one under Rosetta:
# Homebrew/homebrew-core#67713)
CRASH_CODE_TYPE = re.compile(
    r"^[ \t>]*Code Type:[ \t]*(ARM-64|X86-64)[ \t]*\((Native|Translated)\)", _M | re.IGNORECASE
)
# The same report in its JSON form (the .ips file macOS 12 and later write, which users paste
# from Console or ~/Library/Logs/DiagnosticReports): a one-line header, then a body whose keys
# say the same - "cpuType" : "X86-64" / "ARM-64", "translated" : true for a process Rosetta
# runs, "modelCode" : "MacBookPro17,1", "osVersion" : {"train" : "macOS 14.6.1"} and the
# header's "os_version":"macOS 14.6.1 (23G93)" (napari/napari#7259: an x86_64 Miniconda Python
# crashing under Rosetta on an M1; developer.apple.com/documentation/xcode/
# interpreting-the-json-format-of-a-crash-report). Read only in a paste that holds "cpuType".
IPS_CPU = re.compile(r'"cpuType"[ \t]*:[ \t]*"(ARM-64|X86-64|arm64e?|x86_64)"', re.IGNORECASE)
IPS_TRANSLATED = re.compile(r'"translated"[ \t]*:[ \t]*(true|false)\b')
IPS_MODEL = re.compile(
    r'"modelCode"[ \t]*:[ \t]*"(MacBookPro|MacBookAir|MacBook|Macmini|MacPro|iMacPro|iMac|Mac)'
    r'(\d+),\d+"'
)
IPS_OS = re.compile(
    r'"(?:os_version|train)"[ \t]*:[ \t]*"(?:macOS|Mac OS X|OS X)[ \t]+(\d+(?:\.\d+){1,2})\b'
)
# Rosetta's own memory regions in a crash report's VM region summary (text and JSON "vmSummary"):
# "Rosetta Arena 4096K 2", "Rosetta Generic", "Rosetta JIT 128.0M 1" - present only in a
# translated process (j4nf4b3l/MDMPatcher-Universal#16: an x86_64 app crashing on an M1)
ROSETTA_REGIONS = re.compile(
    r"\bRosetta (?:Arena|Generic|IndirectBranch|JIT|Return Stack|Thread Context)[ \t]+"
    r"\d+(?:\.\d+)?[KMG]\b"
)
# the crashed Python's version: the JSON report's "procName" : "python3.11" (or its header's
# "app_name"), the text report's "Identifier: org.python.python" above "Version: 3.9.5 (3.9.5)"
# (JaidedAI/EasyOCR#961's report of a translated python.org Python)
IPS_PYTHON = re.compile(r'"(?:procName|app_name)"[ \t]*:[ \t]*"[Pp]ython(3\.\d{1,2})"')
CRASH_PYTHON = re.compile(
    r"^[ \t>]*Identifier:[ \t]*org\.python\.python[ \t]*\n[ \t>]*Version:[ \t]*"
    r"(3\.\d{1,2}\.\d{1,2})\b",
    _M,
)
# Activity Monitor's "Kind" column names a process "Apple" or "Intel"; it exists on Apple silicon
# only, and "Intel" there is a process Rosetta translates (support.apple.com/HT211861, "If you
# need to install Rosetta on your Mac": "the Kind column ... Intel"): "Activity Monitor shows
# python as Intel", "in Activity Monitor the Kind is Intel"
ACTIVITY_MONITOR_INTEL = re.compile(
    r"\bActivity Monitor\b[^.\n]{0,60}?(?:\bKind\b[^.\n]{0,12}?)?[\"'`\u201c]?\bIntel\b"
    r"(?![ \t-]*(?:Mac|CPU|chip|processor|based))",
    re.IGNORECASE,
)
# the legacy text report's "System Profile" at its end (macOS 11 and older): "Model:
# MacBookPro15,1, BootROM 1037.0.78.0.0 (iBridge: ...), 6 processors, 6-Core Intel Core i7, ..."
CRASH_MODEL = re.compile(
    r"^[ \t>]*Model:[ \t]*(MacBookPro|MacBookAir|MacBook|Macmini|MacPro|iMacPro|iMac|Mac)"
    r"(\d+),\d+,[ \t]*(?:BootROM|proc|\d)",
    _M,
)


# `uname -m`, `arch`, platform.machine() / platform.processor() and their printed answers, on
# the same line ("-> 'x86_64'") or the next.
ASKED_ARCH = re.compile(
    r"(uname -m|uname -p|\barch\b|platform\.machine\(\)|platform\.processor\(\))"
    r"(?:\)*[`'\"]?\)*)[ \t]*(?:(?:->|→|=>|==|returns?|gives|says|prints?|is|:|=)[ \t]*"
    r"|[ \t]*\n(?:[ \t>]*\n)?[ \t>]*(?:Out\[\d+\]:[ \t]*)?)"
    r"[`'\"]?(arm64|x86_64|i386|aarch64|arm)[`'\"]?(?![\w-])"
)


# the interactive interpreter's banner names the platform the process itself runs on (sys.platform):
# "Python 3.12.7 (main, Oct  1 2024, 02:05:46) [Clang 16.0.6 ] on darwin" (older ones break the
# line before the compiler: "... 20:18:18)\n[GCC 9.4.0] on linux")
REPL_BANNER = re.compile(
    r"^[ \t>$]*Python (3\.\d+\.\d+)\b[^\n\[]*(?:\n[ \t]*)?\[[^\n\]]*\] on "
    r"(darwin|linux|win32)[ \t]*$",
    _M,
)


# "my M1 Pro reports platform i386" (Lightning-AI/pytorch-lightning#14634): platform.processor()
# in words
SAID_ARCH = re.compile(
    r"\b(?:reports?|says|shows?|returns?|gives)\s+(?:platform|processor)\s+[`'\"]?"
    r"(i386|arm64|arm|x86_64)\b[`'\"]?"
)


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(PLATFORM_MAC, text, "macOS-", "Darwin-"):
        kind, version, machine = m.group(1), m.group(2), m.group(3)
        out.append(clue("os", "Darwin", text, m, STRONG))
        macos = version if kind == "macOS" else darwin(version)
        if macos and macos != "10.16":  # 10.16: an old-SDK Python's stand-in for 11+
            out.append(clue("macos_version", macos, text, m, STRONG if kind == "macOS" else WEAK))
        out.append(clue("machine", _MACHINE[machine], text, m, STRONG))
    for m in finditer(PLATFORM_LINUX, text, "Linux-"):
        out.append(clue("os", "Linux", text, m, STRONG))
        out.append(clue("os_release", m.group(1), text, m, STRONG))
        out.append(clue("machine", "arm64" if m.group(2) == "arm64" else m.group(2), text, m))
    for m in finditer(UNAME_DARWIN, text, "Darwin Kernel"):
        out.append(clue("os", "Darwin", text, m, STRONG))
        macos = darwin(m.group(1))
        if macos:
            out.append(clue("macos_version", macos, text, m, WEAK))
        arm_kernel = m.group(2) == "ARM64"
        out.append(clue("hardware_arm64", arm_kernel, text, m, STRONG))
        if m.group(3):  # the shell's architecture: Rosetta when x86_64 on an arm64 kernel
            shell = _MACHINE[m.group(3)]
            out.append(clue("machine", shell, text, m, WEAK))
            if arm_kernel:
                out.append(clue("translated", shell == "x86_64", text, m, WEAK))
    for m in finditer(KERNEL_BUILD, text, "Darwin Kernel"):  # Lightning's "version:", etc.
        out.append(clue("os", "Darwin", text, m, LISTED))
        out.append(clue("hardware_arm64", m.group(2) == "ARM64", text, m, STRONG))
        macos = darwin(m.group(1))
        if macos:
            out.append(clue("macos_version", macos, text, m, WEAK))
    for m in finditer(DARWIN_RELEASE, text, "Darwin "):
        out.append(clue("os", "Darwin", text, m, LISTED))
        macos = darwin(m.group(1))
        if macos:
            out.append(clue("macos_version", macos, text, m, WEAK))
    for m in finditer(UNAME_LINUX, text, "Linux "):
        out.append(clue("os", "Linux", text, m, LISTED))
        out.append(clue("os_release", m.group(1), text, m, LISTED))
        out.append(clue("machine", m.group(2), text, m, WEAK))  # the shell's; a VM's on a Mac
    for m in finditer(SW_VERS, text, "ProductVersion"):
        out.append(clue("os", "Darwin", text, m, STRONG))
        if m.group(1) != "10.16":
            out.append(clue("macos_version", m.group(1), text, m, STRONG))
    for m in finditer(SP_SYSTEM, text, "System Version"):
        out.append(clue("os", "Darwin", text, m, STRONG))
        out.append(clue("macos_version", m.group(1), text, m, STRONG))
    for m in finditer(SP_CHIP, text, "Chip"):
        out.append(clue("os", "Darwin", text, m, WEAK))
        out.append(clue("chip", m.group(1).strip(), text, m, STRONG))
        out.append(clue("hardware_arm64", True, text, m, STRONG))
    for m in finditer(SP_INTEL, text, "Processor", "Chipset Model"):
        if m.group(1):
            out.append(clue("chip", m.group(1).strip(), text, m, LISTED))
        out.append(clue("hardware_arm64", False, text, m, LISTED))
    for m in finditer(SP_VIRTUAL, text, "Virtual"):
        out.append(clue("virtual_machine", True, text, m, STRONG))
    for m in finditer(MODEL_ID, text, "Model Identifier", "Hardware Model", "Hardware model"):
        out.extend(_model(m.group(1), m.group(2), text, m))
    for m in finditer(CRASH_CODE_TYPE, text, "Code Type"):
        arm, translated = m.group(1).upper() == "ARM-64", m.group(2).lower() == "translated"
        out.extend(_process(arm, translated, text, m, m))
    out.extend(_ips(text))
    for m in finditer(ROSETTA_REGIONS, text, "Rosetta "):
        out.append(clue("os", "Darwin", text, m, LISTED))
        out.append(clue("machine", "x86_64", text, m, STRONG))
        out.append(clue("translated", True, text, m, STRONG))
        out.append(clue("hardware_arm64", True, text, m, STRONG))
        break
    for m in finditer(ACTIVITY_MONITOR_INTEL, text, "Activity Monitor", "activity monitor"):
        negated = re.search(r"\b(?:not|never|no)\b|n't\b", m.group(0), re.IGNORECASE)
        if stated(text, m, strict=False) and not asked(text, m) and not negated:
            out.append(clue("os", "Darwin", text, m, WEAK))
            out.append(clue("machine", "x86_64", text, m, WEAK))
            out.append(clue("translated", True, text, m, WEAK))
            out.append(clue("hardware_arm64", True, text, m, WEAK))
            break
    for m in finditer(CRASH_PYTHON, text, "org.python.python"):
        out.append(clue("python_version", m.group(1), text, m, STRONG))
    for m in finditer(CRASH_MODEL, text, "Model:"):
        out.extend(_model(m.group(1), m.group(2), text, m))
    for m in finditer(SYSCTL, text, "sysctl.proc", "hw.optional", "kern.hv", "machdep.cpu"):
        out.extend(_sysctl(m.group(1), m.group(2).strip(), text, m))
    for m in finditer(SYSCTL_VALUE_ONLY, text, "sysctl -"):
        out.extend(_sysctl(m.group(1), m.group(2), text, m))
    for m in finditer(ASKED_ARCH, text, "uname", "arch", "platform."):
        probe, answer = m.group(1), m.group(2)
        machine = "arm64" if answer in ("arm", "arm64", "aarch64") else "x86_64"
        if probe.startswith("platform"):
            # the Python process itself
            out.append(clue("machine", machine, text, m, STRONG))
        else:
            out.append(clue("machine", machine, text, m, WEAK))  # the shell
    for m in finditer(SAID_ARCH, text, "platform", "processor"):
        machine = "x86_64" if m.group(1) in ("i386", "x86_64") else "arm64"
        out.append(clue("machine", machine, text, m, WEAK))
    for m in finditer(REPL_BANNER, text, "] on "):
        out.append(clue("os", SYS_PLATFORM_OS[m.group(2)], text, m, STRONG))
        out.append(clue("python_version", m.group(1), text, m, STRONG))
    for m in finditer(MARKETING, text, *_NAME_NEEDLES):
        out.append(clue("os", "Darwin", text, m, WEAK))
    return out


def _model(family: str, number: str, text: str, m: re.Match[str]) -> list[Clue]:
    """A Mac's model identifier: macOS, and Apple silicon or Intel by its number."""
    silicon = int(number) >= _FIRST_SILICON[family]
    return [clue("os", "Darwin", text, m, STRONG), clue("hardware_arm64", silicon, text, m, STRONG)]


def _process(
    arm: bool, translated: bool, text: str, m: re.Match[str], tm: re.Match[str]
) -> list[Clue]:
    """A crash report's process type: its architecture, Rosetta, and what that says of the Mac."""
    out = [
        clue("os", "Darwin", text, m, LISTED),
        clue("machine", "arm64" if arm else "x86_64", text, m, STRONG),
        clue("translated", translated, text, tm, STRONG),
    ]
    # an arm64 process, or Rosetta, runs on Apple silicon only; an x86_64 one natively on Intel
    out.append(clue("hardware_arm64", arm or translated, text, tm, STRONG))
    return out


def _ips(text: str) -> list[Clue]:
    """The JSON crash report's keys (IPS_*); its process type only where "cpuType" is given."""
    if '"cpuType"' not in text:
        return []
    out: list[Clue] = []
    cpu = IPS_CPU.search(text)
    flag = IPS_TRANSLATED.search(text)
    if cpu:
        arm = cpu.group(1).upper().startswith("ARM")
        translated = flag is not None and flag.group(1) == "true"
        out.extend(_process(arm, translated, text, cpu, flag or cpu))
    for m in finditer(IPS_MODEL, text, "modelCode"):
        out.extend(_model(m.group(1), m.group(2), text, m))
        break
    for m in finditer(IPS_PYTHON, text, "procName", "app_name"):
        out.append(clue("python_version", m.group(1), text, m, LISTED))
        break
    for m in finditer(IPS_OS, text, "os_version", "train"):
        out.append(clue("os", "Darwin", text, m, STRONG))
        out.append(clue("macos_version", m.group(1), text, m, STRONG))
        break
    return out


def _sysctl(key: str, value: str, text: str, m: re.Match[str]) -> list[Clue]:
    if key == "machdep.cpu.brand_string":
        out = [clue("chip", value, text, m, STRONG), clue("os", "Darwin", text, m, WEAK)]
        if value.startswith(("Apple", "VirtualApple")):
            out.append(clue("hardware_arm64", True, text, m, STRONG))
        elif "Intel" in value:
            out.append(clue("hardware_arm64", False, text, m, STRONG))
        return out
    flag = value.split(maxsplit=1)[0] if value.split() else ""
    if flag not in ("0", "1"):
        return []
    on = flag == "1"
    # the three keys are macOS's own (Linux's sysctl has no such names); proc_translated is 1
    # only for a process Rosetta 2 runs, which needs an Apple chip ("About the Rosetta
    # translation environment", developer.apple.com/documentation/apple-silicon)
    darwin = clue("os", "Darwin", text, m, WEAK)
    if key == "sysctl.proc_translated":
        rosetta = [clue("hardware_arm64", True, text, m, STRONG)] if on else []
        return [clue("translated", on, text, m, LISTED), darwin, *rosetta]
    if key == "hw.optional.arm64":
        return [clue("hardware_arm64", on, text, m, STRONG), darwin]
    return [clue("virtual_machine", on, text, m, STRONG), darwin]


_NAME_NEEDLES = (*(n.title() for n in MACOS_NAMES), *MACOS_NAMES, "Big Sur")
# (as typed too: "macos sonoma")
MARKETING = re.compile(
    r"\bmacOS (?:" + "|".join(n.title() for n in MACOS_NAMES) + r")\b", re.IGNORECASE
)
