"""Where the process runs: signs of a container, a VM, a sandbox or a remote session, and of what
the user is trying to do (the MPS device, the Mac's GPU).

Linux in a container on a Mac is plain from the kernel: Docker Desktop's VM runs a "linuxkit"
kernel (docker/for-mac), OrbStack an "orbstack" one, Lima/Colima a "lima" host; an aarch64 Linux
next to a Mac chip or macOS in the same paste is the same. Metal is not passed into any of them
(docker/roadmap#52: no GPU access for containers on Apple silicon), so MPS cannot exist there.
"""

from __future__ import annotations

import re

from verify.paste.clues import LISTED, STRONG, WEAK, Clue, clue, finditer

_I = re.IGNORECASE
LINUX_ON_MAC = re.compile(r"\b\d+\.\d+[\w.+-]*-(linuxkit|orbstack)\b|\blima-[\w-]+\b", _I)
CONTAINER = re.compile(
    r"\b(docker(?:[ -]compose)?\s+(?:run|exec|build|compose|up)|Docker Desktop|Dockerfile|"
    r"podman\s+run|devcontainer|/\.dockerenv|inside (?:a |the )?(?:docker )?container)\b",
    _I,
)
VM = re.compile(
    r"\b(UTM|Parallels(?: Desktop)?|VMware(?: Fusion)?|VirtualBox|Apple Virtual Machine|"
    r"VirtualMac\d|tart\s+run|Anka|macOS (?:virtual machine|VM)|kern\.hv_vmm_present:\s*1|"
    r"runs-on:\s*macos-[\w.-]+|GitHub[- ]hosted (?:macOS )?runners?|macos-\d+-(?:arm64|xlarge)|"
    r"GitHub Actions?(?: macOS)? runners?|macos-(?:latest|\d+)`? runners?)",
    _I,
)
SANDBOX = re.compile(r"\b(sandbox-exec|sandboxed|sandbox|App Sandbox|codex)\b", _I)
REMOTE = re.compile(
    r"\b(ssh\s+[\w.@-]+|over ssh|via ssh|remote session|Screen Sharing|Remote Desktop)\b", _I
)
MPS_INTENT = re.compile(
    r"""device\s*=\s*['"]?mps\b|['"]mps(?::\d)?['"]|torch\.backends\.mps|\.to\(\s*['"]mps|"""
    r"""\bmps:0\b|--device[= ]mps\b|\bMPS device\b|\bon MPS\b|\bMPS backend\b|"""
    r"""\b(?:use|using|enable|with) MPS\b""",
    _I,
)
GPU_INTENT = re.compile(r"\b(?:Metal|use (?:the|my) GPU|on the GPU|GPU acceleration)\b", _I)


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(LINUX_ON_MAC, text, "linuxkit", "orbstack", "lima-"):
        out.append(clue("sign.linux_vm_on_mac", m.group(0), text, m, STRONG))
    for m in finditer(CONTAINER, text, "ocker", "odman", "container", "devcontainer"):
        out.append(clue("sign.container", m.group(1), text, m, LISTED))
    for m in finditer(
        VM,
        text,
        "UTM",
        "arallels",
        "VMware",
        "irtual",
        "tart",
        "Anka",
        "VM",
        "hv_vmm",
        "runs-on",
        "runner",
        "macos-",
    ):
        out.append(clue("sign.vm", m.group(1), text, m, LISTED))
    for m in finditer(SANDBOX, text, "andbox", "codex", "Codex"):
        out.append(clue("sign.sandbox", m.group(1), text, m, WEAK))
    for m in finditer(REMOTE, text, "ssh", "emote", "Screen Sharing"):
        out.append(clue("sign.remote", m.group(1), text, m, WEAK))
    for m in finditer(MPS_INTENT, text, "mps", "MPS"):
        out.append(clue("sign.mps_intent", m.group(0), text, m, LISTED))
        break  # one is enough
    for m in finditer(GPU_INTENT, text, "Metal", "GPU"):
        out.append(clue("sign.gpu_intent", m.group(0), text, m, WEAK))
        break
    return out
