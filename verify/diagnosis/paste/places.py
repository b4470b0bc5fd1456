"""Where the process runs: signs of a container, a VM, a sandbox or a remote session, and of what
the user is trying to do (the MPS device, the Mac's GPU).

Linux in a container on a Mac is plain from the kernel: Docker Desktop's VM runs a "linuxkit"
kernel (docker/for-mac), OrbStack an "orbstack" one, Lima/Colima a "lima" host; an aarch64 Linux
next to a Mac chip or macOS in the same paste is the same. Metal is not passed into any of them
(docker/roadmap#52: no GPU access for containers on Apple silicon), so MPS cannot exist there.

A workload that ran in Linux although the paste names no Linux (sign.linux_workload): the Docker
daemon refusing a GPU request ("could not select device driver "nvidia" with capabilities:
[[gpu]]", moby daemon/errors.go incompatibleDeviceRequest - `--gpus all` or a compose file's
`driver: nvidia` with no NVIDIA runtime, as on every Mac: AbdBarho/stable-diffusion-webui-docker#35,
RVC-Boss/GPT-SoVITS#598), NVIDIA's CUDA image banner "The NVIDIA Driver was not detected",
`--platform linux/amd64`, docker compose's "Attaching to <service>" and "Container <name>  Created",
and Docker's "requested image's platform (linux/amd64) does not match the
detected host platform (linux/arm64/v8)" (an amd64 image emulated on Apple silicon), /.dockerenv,
pip / uv looking for a manylinux wheel ("doesn't provide a wheel for manylinux_2_39_aarch64", uv's
"You're on Linux (`manylinux_2_39_aarch64`)": the resolver ran in Linux).
Apps that run Linux guests on a Mac (UTM, Parallels, VMware Fusion, VirtualBox, Lima / Colima,
OrbStack, Multipass): sign.linux_vm_app. `docker version` lines on the same line as a macOS
version or an Apple chip ("Macosx M1 14.6.1 (23G93)  Docker version 26.1.3"): the Mac is the
Docker host (sign.mac_hint). settle_os (below) weighs them against the paste's own OS.

Hosted CI (sign.ci_runner): GitHub's macOS runners are virtual machines ("Nested-virtualization
and Metal Performance Shaders (MPS) are not supported due to the limitation of Apple's
Virtualization Framework", docs.github.com .../github-hosted-runners#limitations-for-arm64-macos-
runners; actions/runner-images#9254: "Apple does not support nested virt"; macos-13 and older
images are Intel): their home /Users/runner/ in a traceback, `runs-on: macos-14`, "GHA", a job
log's "Current runner version:" / "Runner Image" header, a workflow matrix's `os: [macos-14]`;
other hosted macOS CI likewise (CircleCI /Users/distiller/, Travis /Users/travis/, Bitrise
/Users/vagrant/, Azure Pipelines `vmImage: macOS-...`, Cirrus's ghcr.io/cirruslabs/macos-* VMs).
torch's own build paths (/Users/runner/work/pytorch/pytorch/..., conda-bld) name where torch was
built, not where it runs, and are no sign. A Metal failure there (sign.metal_failure: ggml-metal's
"unsupported op" abort, instructlab/instructlab#1112 via runner-images#9254; torch's "Failed to
created pipeline state object" from a paravirtual GPU, kornia/kornia#4207) is the VM's GPU.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from verify.diagnosis.paste.clues import (
    LISTED,
    STRONG,
    WEAK,
    Clue,
    asked,
    clue,
    finditer,
    line_at,
    stated,
)
from verify.known_errors import BY_ID

# an application's own log line when it finds no CUDA GPU and runs on the CPU ("No GPU found, use
# CPU instead"): its choice, no user saying the GPU is missing (2noise/ChatTTS#32 on an Intel Mac:
# the models were never loaded, nothing about MPS)
_APP_CHOSE_CPU = BY_ID["mps.app_chose_cpu"].regex

_I = re.IGNORECASE
LINUX_ON_MAC = re.compile(r"\b\d+\.\d+[\w.+-]*-(linuxkit|orbstack)\b|\blima-[\w-]+\b", _I)
CONTAINER = re.compile(
    r"\b(docker(?:[ -]compose)?\s+(?:run|exec|build|compose|up)|Docker Desktop|Dockerfile|"
    r"podman\s+run|devcontainer|/\.dockerenv|inside (?:a |the )?(?:docker )?container|"
    r"(?:in|inside|within|using|via|through)\s+(?:a\s+|the\s+|my\s+)?(?:docker|podman)"
    r"(?:\s+(?:container|image))?|docker container)\b",
    _I,
)
VM = re.compile(
    r"\b(UTM|Parallels(?: Desktop)?|VMware(?: Fusion)?|VirtualBox|Apple Virtual Machine|"
    r"Apple Paravirtual device|virtuali[sz]ed (?:Mac|macOS)\w*|"
    # the VM's Metal device by its class name: "-[AppleParavirtDevice newArgumentEncoderWithLayout:]
    # : unrecognized selector" (ml-explore/mlx#31, "MacOS 14.1.1 VM running via Parallels")
    r"AppleParavirt(?:Device|GPU\w*)|"
    r"VirtualMac\d|tart\s+run|Anka|macOS (?:[\d.]+ )?(?:virtual machine|VM)|"
    r"kern\.hv_vmm_present:\s*1|"
    r"runs-on:\s*macos-[\w.-]+|GitHub[- ]hosted (?:macOS )?runners?|macos-\d+-(?:arm64|xlarge)|"
    r"GitHub Actions?(?: macOS)? runners?|macos-(?:latest|\d+)`? runners?|"
    # a macOS VM told in words: "inside a Tart VM ... `Virtualization.framework`"
    # (cirruslabs/tart#501), "in a macOS guest", "inside the VM"
    r"Tart VMs?|Virtuali[sz]ation\.?framework|macOS guests?|"
    r"(?:inside|in|within) (?:a|the|my) (?:macOS )?(?:VM|virtual machine)\b)",
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

# the workload ran in Linux (a container or a VM), wherever the paste was typed (see above)
LINUX_WORKLOAD = re.compile(
    r"(could not select device driver \"[\w.-]*\" with capabilities: \[\[[\w ,]*\]\]|"
    r"The NVIDIA Driver was not detected|nvidia-container-cli: initialization error|"
    r"--platform[= ]linux/(?:amd64|arm64|x86_64|aarch64)\b|"
    r"requested image's platform \(linux/[\w/]+\) does not match the detected host platform|"
    r"(?<![\w/])/\.dockerenv\b|"
    # docker compose's own output: "Attaching to web-1", "✔ Container reranker  Created" (its
    # containers are Linux ones, on a Mac in Docker Desktop's VM: s-kostyaev/reranker#4)
    r"^[ \t]*Attaching to [\w.-]+(?:, [\w.-]+)*[ \t]*$|"
    r"^[ \t]*(?:[\u2714\u283f][ \t]*)?Container [\w.-]+[ \t]{2,}"
    r"(?:Created|Started|Recreated|Running)\b|"
    r"(?:wheels? for |platform tag \(e\.g\., `|You're on Linux \(`)"
    r"manylinux_\d+_\d+_(?:aarch64|x86_64)|"
    # `docker build` failing a RUN step (BuildKit): the step ran in a Linux container. Its error
    # shows the Dockerfile line under a rule of dashes ("Dockerfile:80" / "-" * 20 / "  80 | >>>
    # RUN ...") and "failed to solve: process \"/bin/sh -c ...\" did not complete successfully"
    # (moby/buildkit; open-webui/open-webui#1165: device='mps' in a RUN step on a Mac)
    r"^[ \t]*Dockerfile[\w.-]*:\d+[ \t]*\n[ \t]*-{20}[ \t]*$|"
    r"failed to solve: process \"/bin/(?:ba)?sh -c)",
    _I | re.MULTILINE,
)
LINUX_VM_APP = re.compile(
    r"\b((?-i:UTM)|Parallels(?: Desktop)?|VMware Fusion|VirtualBox|colima|limactl|Lima VM|"
    r"podman machine|Rancher Desktop|"
    r"OrbStack|multipass)\b",
    _I,
)
# "Docker version 26.1.3, build b72abbb", "Docker Compose version v2.27.3", "Docker Desktop 4.x"
# on the same line as a macOS name / version or an Apple chip
_MAC_WORD = (
    r"(?:\bmac\s?os(?:\s?x)?\b|\bos\s?x\b|\bMac\b|\bApple\s+(?:silicon|M[1-9])|"
    r"\bM[1-9](?:\s?(?:Pro|Max|Ultra))?\b)"
)
_DOCKER_VERSION = r"\bDocker(?: Compose)? (?:version|Desktop)\b"
DOCKER_ON_MAC = re.compile(
    rf"^[^\n]*?{_MAC_WORD}[^\n]*?{_DOCKER_VERSION}[^\n]*|"
    rf"^[^\n]*?{_DOCKER_VERSION}[^\n]*?{_MAC_WORD}[^\n]*",
    _I | re.MULTILINE,
)
# a hosted CI machine: a traceback / tool path under the runner's home (not torch's own build
# paths), a macOS runner label, "GHA", the runner-images tracker, "nested virt"
CI_RUNNER = re.compile(
    r"(File \"/Users/runner/(?!work/pytorch/pytorch/)|"
    # (not Azure Pipelines' build layout, work/<n>/s/: a native library's compiled-in source
    # path in its message, "Exception: /Users/runner/work/1/s/onnxruntime/..." - onnxruntime's
    # CoreML provider on an M4 Mac mini, mobiusml/inswapper#30)
    r"/Users/runner/(?:hostedtoolcache|work/(?!pytorch/pytorch/|_temp/|\d+/s/)[\w.-]+/[\w.-]+/)|"
    r"\bruns-on:\s*\[?\s*['\"]?macos-[\w.-]+|"
    r"\bmacos-(?:1[1-5]|2\d|latest)(?:-(?:arm64|xlarge|large))?`? runners?\b|\bmacos-latest\b|"
    # the runners named by their chip or OS, a runner label's CI: "M1 runners currently have a
    # bug with PyTorch that errors when trying to allocate MPS memory" (weecology/deepforestr#15),
    # "fails on our `macos-14` CI" (computational-cell-analytics/micro-sam#380), "failing on
    # MacOS runners" (kitzeslab/opensoundscape#850)
    r"\b(?:M[1-5]|arm64|Apple[ \t]+silicon|macOS)[ \t]+(?:GitHub[ \t]+|hosted[ \t]+)?runners?\b|"
    r"\bmacos-(?:1[1-5]|2\d|latest)`?[ \t]+CI\b|"
    r"\bmacos-(?:1[1-5]|2\d)-(?:arm64|xlarge|large)\b|\b(?-i:GHA)\b|"
    r"github\.com/actions/runner-images|\bnested[ -]virt(?:ualization)?\b|"
    r"/Users/(?:distiller|travis|vagrant)/|\bvmImage:\s*['\"]?macOS|"
    r"\bGitHub[- ](?:Actions|CI(?:/CD)?|hosted)\b|"
    # GitHub shortened: "MPS isn't available to via GH CI", "Some GH jobs that request MacOS"
    # (pytorch/torchchat#975)
    r"\b(?-i:GH)[ \t]+(?:CI|Actions?|runners?|jobs?|machines?|workflows?)\b|"
    r"Current runner version: '|\bRunner Image(?: Provisioner)?\b|"
    r"^[ \t-]*os:[ \t]*\[?[^\n]*?\bmacos-(?:1[1-5]|2\d|latest)\b|"
    r"ghcr\.io/cirruslabs/macos-)",
    _I | re.MULTILINE,
)
# the GPU reported missing in words: "MPS is not available", "can't use the GPU", "no GPU"
GPU_MISSING = re.compile(
    r"\b(?:MPS|GPU|Metal)\b[^\n]{0,30}?\b(?:not (?:available|detected|found|supported|used|"
    r"working)|unavailable|isn't (?:available|detected|used))\b|"
    # "VMs can't run MPS" (pytorch/torchchat#667); not tests said to skip without it ("The tests
    # are designed to skip without mps backend availability", actions/runner-images#14380 as its
    # rendered page reads)
    r"\b(?:no|(?<!skip )(?<!skips )(?<!skipped )without|"
    r"can(?:no|')t (?:use|access|see|find|run)) (?:the |any )?(?:MPS|GPU|Metal)\b|"
    r"\b(?:doesn't|does not|do not|don't|cannot|can't) (?:support|have|expose|provide|pass) "
    r"(?:the |any )?(?:MPS|GPU|Metal)\b|"
    # its memory refused: "M1 runners currently have a bug with PyTorch that errors when trying to
    # allocate MPS memory" (weecology/deepforestr#15)
    r"\b(?:errors?|fails?|failed|failing|unable|can't|cannot)(?: when| while)?(?: trying)? to "
    r"allocate (?:any |the )?(?:MPS|GPU|Metal) memory\b",
    _I,
)
# the GPU work said to be unsupported or failing in a VM, in one sentence: "I ran the following
# Pytorch example inside a Tart VM and indeed it seems not supported by underlying
# `Virtualization.framework`" (cirruslabs/tart#501); "MPS does not work in a VM". Read only
# where the paste names MPS, Metal, the GPU or torch (what was not supported); a sign.gpu_missing
# that, with sign.vm, fails mps.available (verify.diagnosis.placement.vm_finding)
_FAILS = (
    r"(?:not supported|unsupported|isn't supported|(?:does|did|do)(?:n't| not) work|"
    r"(?:is|are) not available|fails?|failed)"
)
_VM_WORD = r"(?:VMs?|virtual machines?|Virtuali[sz]ation\.?framework|hypervisor|macOS guests?)"
VM_LACKS = re.compile(
    rf"\b{_FAILS}\b[^.\n]{{0,40}}?`?\b{_VM_WORD}\b|\b{_VM_WORD}\b`?[^.\n]{{0,60}}?\b{_FAILS}\b",
    _I,
)
_GPU_WORK = re.compile(r"\b(?:MPS|Metal|GPU|PyTorch|torch)\b", _I)
# a Linux distribution's name, its version and the architecture a guest may name
_DISTRO = (
    r"(?:Ubuntu|Debian|Fedora|Arch Linux|Linux|CentOS|Rocky Linux|Alpine|Kali)"
    r"(?:[ \t]+\d+(?:\.\d+)*(?:[ \t]+LTS)?)?(?:[ \t]+(?:ARM(?:64)?|aarch64|arm64))?[ \t-]+"
)
# Linux named as the guest a VM or container runs, where the code is: "in an Ubuntu VM on my M1
# MacBook", "inside a Debian container", "in an Ubuntu 22.04 guest" (not "Ubuntu VMs", a general
# statement, nor a question) - with a Mac in the paste, the workload
# is Linux inside the Mac (settle_os), where Metal does not reach (docker/roadmap#52; UTM's and
# Parallels' Linux guests get a paravirtual GPU with no Metal); a guest is a VM's whatever the
# words before it ("Ubuntu 22.04 ARM Guest": utmapp/UTM#4869's title, on an M1)
LINUX_GUEST = re.compile(
    r"\b(?:in|inside|within|using|via|under|from)[ \t]+(?:(?:an?|the|my|our)[ \t]+)?"
    r"(" + _DISTRO + r"(?:VM|virtual machine|guest|container))(?!s\b)\b"
    r"|\b(" + _DISTRO + r"guest)(?!s\b)\b",
    _I,
)
# Apple silicon seen from Linux: lscpu's "Vendor ID: Apple" (collect_env's CPU section in a Linux
# guest of UTM / Parallels / Docker Desktop, or Asahi Linux on the Mac itself), an Asahi kernel
APPLE_CPU_IN_LINUX = re.compile(
    r"^[ \t]*Vendor ID:[ \t]+Apple\b|\b\d+\.\d+[\w.+-]*-asahi\b", re.MULTILINE | re.IGNORECASE
)
# the user's own Mac in words: "I'm on an Apple silicon Mac", "my Apple Silicon MacBook"
APPLE_SILICON_MAC = re.compile(r"\b(?:on|using|my|an?)\s+(?:an?\s+)?Apple\s+silicon\b", _I)
# Metal itself failing (not torch's MPS messages, which verify.known_errors reads)
METAL_FAILURE = re.compile(
    r"(ggml_metal_\w+: error: [^\n]+|GGML_ASSERT: [^\n]*ggml-metal\.m:\d+: "
    r"!\"unsupported op\"|Failed to created? pipeline state object|"
    # a VM's paravirtual GPU lacking a Metal call the framework makes: "-[AppleParavirtDevice
    # newArgumentEncoderWithLayout:]: unrecognized selector sent to instance" (ml-explore/mlx#31)
    r"\[AppleParavirt\w+ \w+:?\]: unrecognized selector)"
)


# a place negated a few words before it is no place ("I am not running this in a sandbox")
PLACE_WORDS = 5


# torch's own list of where no Metal GPU may be found (torch 2.15's "MPS backend is unavailable:
# no supported Metal GPU was found. This can happen when running inside a virtual machine,
# sandbox or container without GPU access", read by verify.known_errors' mps.no_metal_device):
# the places it names are possibilities, not the paste's own
_TORCH_NO_GPU = BY_ID["mps.no_metal_device"].regex


def _in_torch_list(text: str, m: re.Match[str]) -> bool:
    """Does the match lie inside torch's no-Metal-GPU message on its line?"""
    start = text.rfind("\n", 0, m.start()) + 1
    end = text.find("\n", m.end())
    messages = _TORCH_NO_GPU.finditer(text, start, len(text) if end == -1 else end)
    return any(t.start() <= m.start() and m.end() <= t.end() for t in messages)


def _stated(pattern: re.Pattern[str], text: str, *needles: str) -> Iterator[re.Match[str]]:
    """finditer's matches that are stated, not negated ("not using Docker", "not in a
    sandbox"), and not torch's list of places."""
    return (
        m
        for m in finditer(pattern, text, *needles)
        if stated(text, m, PLACE_WORDS) and not _in_torch_list(text, m)
    )


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(LINUX_ON_MAC, text, "linuxkit", "orbstack", "lima-"):
        out.append(clue("sign.linux_vm_on_mac", m.group(0), text, m, STRONG))
    for m in _stated(CONTAINER, text, "ocker", "odman", "container", "devcontainer", "OCKER"):
        out.append(clue("sign.container", m.group(1), text, m, LISTED))
    for m in _stated(
        VM,
        text,
        "UTM",
        "arallels",
        "VMware",
        "aravirt",
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
    for m in _stated(SANDBOX, text, "andbox", "codex", "Codex"):
        out.append(clue("sign.sandbox", m.group(1), text, m, WEAK))
    for m in _stated(REMOTE, text, "ssh", "emote", "Screen Sharing"):
        out.append(clue("sign.remote", m.group(1), text, m, WEAK))
    for m in finditer(
        LINUX_WORKLOAD,
        text,
        "device driver",
        "NVIDIA",
        "nvidia",
        "platform",
        "/.dockerenv",
        "manylinux",
        "Attaching to",
        "Container ",
        "Dockerfile",
        "failed to solve",
    ):
        out.append(clue("sign.linux_workload", m.group(1), text, m, STRONG))
    for m in _stated(
        LINUX_VM_APP,
        text,
        "UTM",
        "arallels",
        "VM",
        "Vm",
        "irtualBox",
        "irtualbox",
        "lima",
        "Lima",
        "rbStack",
        "rbstack",
        "ultipass",
        "machine",
    ):
        out.append(clue("sign.linux_vm_app", m.group(1), text, m, LISTED))
    for m in finditer(DOCKER_ON_MAC, text, "Docker"):
        out.append(clue("sign.mac_hint", True, text, m, WEAK))
    for m in finditer(GPU_MISSING, text, "MPS", "GPU", "Metal", "mps", "gpu"):
        if _APP_CHOSE_CPU.search(line_at(text, m.start())):
            continue
        out.append(clue("sign.gpu_missing", True, text, m, WEAK))
        break
    if _GPU_WORK.search(text):
        for m in _stated(VM_LACKS, text, "VM", "irtual", "ypervisor", "guest"):
            out.append(clue("sign.gpu_missing", True, text, m, WEAK))
            break
    for m in _stated(LINUX_GUEST, text, "buntu", "ebian", "edora", "inux", "entOS", "lpine", "ali"):
        if not asked(text, m):
            out.append(clue("sign.linux_guest", m.group(1) or m.group(2), text, m, WEAK))
            break
    for m in finditer(APPLE_CPU_IN_LINUX, text, "Apple", "asahi"):
        out.append(clue("sign.mac_hint", True, text, m, LISTED))
        out.append(clue("hardware_arm64", True, text, m, LISTED))
    for m in finditer(APPLE_SILICON_MAC, text, "silicon", "Silicon"):
        out.append(clue("sign.mac_hint", True, text, m, WEAK))
    for m in finditer(
        CI_RUNNER,
        text,
        "runner",
        "runs-on",
        "macos-",
        "GHA",
        "GH ",
        "nested",
        "/Users/",
        "vmImage",
        "ithub",
    ):
        out.append(clue("sign.ci_runner", m.group(1), text, m, LISTED))
    for m in finditer(METAL_FAILURE, text, "ggml", "GGML", "pipeline state", "AppleParavirt"):
        out.append(clue("sign.metal_failure", m.group(1), text, m, STRONG))
    for m in finditer(MPS_INTENT, text, "mps", "MPS"):
        out.append(clue("sign.mps_intent", m.group(0), text, m, LISTED))
        break  # one is enough
    for m in finditer(GPU_INTENT, text, "Metal", "GPU", "gpu", "Gpu"):
        out.append(clue("sign.gpu_intent", m.group(0), text, m, WEAK))
        break
    return out


def settle_os(
    facts: dict[str, Any],
    evidence: dict[str, list[str]],
    signs: dict[str, list[Clue]],
    weights: dict[str, int],
) -> None:
    """The workload's OS where the paste shows it ran in Linux on a Mac: a container's GPU request
    (or another sign.linux_workload) next to a Mac, when no tool output of the process itself
    (platform.platform(), sw_vers, uname: weight STRONG) says macOS. The Mac's own facts (macOS
    version, chip) stay: they describe the host. Adds sign.linux_vm_on_mac, which says it."""
    workload = signs.get("sign.linux_workload") or []
    if facts.get("mps_built") is True or facts.get("mps_available") is True:
        return  # MPS existed in this process: it ran on macOS, whatever else the paste shows
    if not workload and weights.get("os", 0) <= WEAK:
        # only words say where ("I run it in Docker on my M1"): a container the user wanted the
        # GPU in and found none is where the workload ran
        wants = bool(signs.get("sign.mps_intent") or signs.get("sign.gpu_intent"))
        missing = facts.get("mps_available") is False or bool(signs.get("sign.gpu_missing"))
        if wants and missing:
            workload = signs.get("sign.container") or []
        # Docker told to run on the Mac itself (verify.diagnosis.paste.prose: "a docker image ...
        # run on
        # Mac OS arm64"): its workload is Linux in Docker's VM, wanted GPU or not
        # ... and likewise a Linux guest named ("an Ubuntu VM on my M1 MacBook")
        workload = (
            workload or signs.get("sign.docker_on_mac") or signs.get("sign.linux_guest") or []
        )
    if not workload or signs.get("sign.linux_vm_on_mac"):
        return
    chip = str(facts.get("chip") or "")
    on_mac = (
        chip.startswith("Apple M")
        or facts.get("macos_version") is not None
        or bool(signs.get("sign.mac_hint"))
        or facts.get("os") == "Darwin"
    )
    if not on_mac:
        return
    if facts.get("os") == "Darwin" and weights.get("os", 0) >= STRONG:
        return  # the process itself printed macOS: the container was something else
    if facts.get("os") not in (None, "Darwin", "Linux"):
        return  # Windows: another machine
    facts["os"] = "Linux"
    evidence["os"] = [c.line for c in workload][:3]
    signs["sign.linux_vm_on_mac"] = list(workload)
    evidence["sign.linux_vm_on_mac"] = evidence["os"]
