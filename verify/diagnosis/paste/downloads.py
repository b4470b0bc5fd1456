"""Where an install ran and what it fetched, from the lines around it (issue 12).

- a shell prompt whose host is a Mac's: macOS names a Mac "<Name>s-MacBook-Pro", "<Name>s-MBP",
  "iMac", "Mac-mini", "<Name>s-Mac" by its model (System Settings > General > Sharing), and zsh's
  default prompt on macOS is "%n@%m %1~ %#" ("me@MY-MBP ULTRA % pip install ...":
  DeepGraphLearning/ULTRA#8, "user@USERs-Air Deep-Live-Cam %": hacksider/Deep-Live-Cam#927);
  bash's (macOS before 10.15) is "\\h:\\W \\u\\$" ("Johns-MacBook-Pro:~ john$"). The command
  ran on macOS -> os Darwin, sign.mac_hint. The host's name is personal: the evidence line
  keeps only its model word.
- a LibTorch archive for macOS x86_64 past 2.2.2 ("Error: https://download.pytorch.org/libtorch/
  cpu/libtorch-macos-x86_64-2.4.0.zip: status code 403": LaurentMazare/tch-rs#897): bindings
  (tch-rs' torch-sys build script, torch.rb's, ...) download the archive for the architecture
  they build for, and PyTorch's macOS x86_64 builds end at 2.2.2 (its download index lists
  libtorch-macos-x86_64-2.2.2.zip last, pytorch/pytorch#137281), so the file does not exist:
  an x86_64 toolchain on macOS -> os Darwin, machine x86_64, sign.libtorch_x86_64 (the release).
- a GitHub-hosted macOS runner named with what the job runs on ("`python 3.13` `macos-13` CI VM
  fails to install environment due to `torch`": sktime/sktime#8127, "runs-on: macos-13"): the
  labels name the hardware (docs.github.com, "GitHub-hosted runners" / actions/runner-images
  README: macos-11, -12, -13 and every "-large" or "-intel" label are Intel x86_64 machines;
  macos-14, -15, -26 and every "-xlarge" or "-arm64" label are Apple silicon arm64).
  "macos-latest" moved from Intel to arm64 in 2024 and says nothing. -> os Darwin, machine,
  hardware_arm64.
- a cloud server named ("Environment: - Ubuntu 22.04 LTS - AWS c5d.2xlarge image":
  lowfuel/progrock-stable#37): an EC2 instance type beside AWS / EC2 / instance / image / AMI
  (docs.aws.amazon.com "Amazon EC2 instance type naming conventions": family, generation,
  options, ".", size), Google Colab, Kaggle, SageMaker, RunPod, Lambda Labs, Paperspace, vast.ai:
  Linux machines without an Apple GPU -> sign.cloud_server. EC2's Mac instances (mac1.metal,
  mac2-m2.metal) are Macs and are left out.
- DJL's PyTorch engine finding no native library for the platform ("No PyTorch native library
  matches your operating system: cpu-osx-aarch64:1.11.0": deepjavalibrary/djl#1732, an M1; DJL's
  LibUtils names the flavor, the platform it looked for and the PyTorch release): the binding's
  release ships no LibTorch for it -> sign.binding_no_native (platform, release), and an
  osx-aarch64 / osx-x86_64 platform is macOS on arm64 / x86_64 (the JVM's own architecture).
- a torch / LibTorch release asked for as a package-hyphen-version dependency ("Unable to fulfill
  pytorch-2.6 dependency on Intel mac": ankane/torch.rb#59; Homebrew and Ruby name packages
  so) -> sign.torch_requested (verify.diagnosis.paste.versions reads "requires LibTorch 2.6").
"""

from __future__ import annotations

import re

from verify.compat import LAST_MACOS_X86_64_WHEEL, parse_version
from verify.diagnosis.paste.clues import LISTED, WEAK, Clue, clue, finditer, quote, stated

# the model word stands first or last in the host's name ("Johns-MacBook-Pro", "MBP-de-Ronald",
# "MacBook-Air-von-Max"); a bare "Mac" or "Air" only last ("Johns-Mac", "USERs-Air")
_MAC_HOST = (
    r"(?:[\w-]*?[-_])?(?:(MacBook(?:-?(?:Pro|Air))?|MBP|MBA|iMac(?:-?Pro)?|Mac-?mini|Mac-?Studio|"
    r"Mac-?Pro)(?:[-_][\w-]*)?|(Mac|Air)(?:-?\d{1,2})?)(?:\.local|\.lan|\.home)?"
)
# zsh: "(venv) me@MY-MBP ULTRA % pip install"; bash: "Johns-MacBook-Pro:~ john$ pip install"
ZSH_PROMPT = re.compile(
    r"^[ \t>]*(?:\([\w.-]+\)[ \t]*)*[\w.-]+@"
    + _MAC_HOST
    + r"[ \t]+[^\n%]{1,60}?[ \t]%[ \t]+(\S[^\n]*)",
    re.MULTILINE | re.IGNORECASE,
)
BASH_PROMPT = re.compile(
    r"^[ \t>]*(?:\([\w.-]+\)[ \t]*)*" + _MAC_HOST + r":[^\n$]{1,60}?[ \t][\w.-]+\$[ \t]+(\S[^\n]*)",
    re.MULTILINE | re.IGNORECASE,
)
LIBTORCH_X86 = re.compile(r"libtorch-macos-x86_64-(\d+\.\d+\.\d+)(?:%2B|\+)?\w*\.zip")
RUNNER = re.compile(
    r"macos-(1[1-5]|2\d)(?:-(large|xlarge|arm64|intel))?`?(?![\w.-])"
    r"(?=[^\n]{0,40}?\b(?:runners?|CI|VMs?|jobs?|images?|workers?)\b)"
)
RUNS_ON = re.compile(
    r"runs-on:[ \t]*\[?[ \t]*[\"']?macos-(1[1-5]|2\d)(?:-(large|xlarge|arm64|intel))?\b"
)
# an EC2 instance type is found by its size (a literal "." first: cheap on a big paste), then
# checked whole, with a word that says it is a machine on its line
EC2_SIZE = re.compile(r"\.(?:nano|micro|small|medium|large|\d{0,2}xlarge|metal)\b")
EC2_TYPE = re.compile(r"(?<![\w.-])(?!mac)([a-z]{1,2}\d[a-z0-9-]{0,6})$")
EC2_CONTEXT = re.compile(r"\b(?:AWS|EC2|Amazon|instance|image|AMI)\b")
CLOUD_NAME = re.compile(
    r"\b(Google Colab|(?<=in )Colab|(?<=on )Colab|Colab (?:notebook|runtime|instance)|"
    r"Kaggle (?:notebook|kernel)|SageMaker|RunPod|Lambda Labs|Paperspace|vast\.ai)\b"
)
HYPHEN_REQUEST = re.compile(
    r"(?<![\w.-])(?i:py|lib)?(?i:torch)-(\d\.\d{1,2}(?:\.\d{1,2})?)[ \t]+"
    r"(?i:dependency|dependencies|requirement|package|formula|gem|binar(?:y|ies)|builds?)\b"
)


DJL_NO_NATIVE = re.compile(
    r"No PyTorch native library matches your operating system:[ \t]*"
    r"(?:(\w+)-)?((?:osx|linux|win)-(?:aarch64|x86_64))(?::([\w.+-]+))?"
)


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(DJL_NO_NATIVE, text, "No PyTorch native library"):
        platform, release = m.group(2), m.group(3) or ""
        out.append(clue("sign.binding_no_native", (platform, release), text, m, LISTED))
        if platform.startswith("osx-"):
            out.append(clue("os", "Darwin", text, m, LISTED))
            machine = "arm64" if platform.endswith("aarch64") else "x86_64"
            out.append(clue("machine", machine, text, m, LISTED))
    for pattern in (ZSH_PROMPT, BASH_PROMPT):
        for m in finditer(pattern, text, "%", "$"):
            line = f"...@...{m.group(1) or m.group(2)} % {quote(m.group(3))}"
            out.append(Clue("sign.mac_hint", True, line, WEAK))
            out.append(Clue("os", "Darwin", line, WEAK))
            break
    for m in finditer(LIBTORCH_X86, text, "libtorch-macos-x86_64-"):
        release = m.group(1)
        if parse_version(release) <= LAST_MACOS_X86_64_WHEEL:
            continue  # the archives up to 2.2.2 exist: the download says only "x86_64"
        start = max(text.rfind(c, 0, m.start()) for c in " \t\n`'\"(") + 1
        url = text[start : m.end()]  # the URL the archive's name ends
        out.append(clue("os", "Darwin", text, m, LISTED))
        out.append(clue("machine", "x86_64", text, m, LISTED))
        out.append(clue("sign.libtorch_x86_64", (release, url), text, m, LISTED))
    found = [*finditer(RUNNER, text, "macos-"), *finditer(RUNS_ON, text, "runs-on")]
    runners = [(m, _intel_runner(m)) for m in found]
    if len({intel for _, intel in runners}) > 1:
        runners = []  # Intel and arm64 runners compared ("passes on macos-14, fails on macos-13")
    for m, intel in runners:
        out.append(clue("os", "Darwin", text, m, LISTED))
        out.append(clue("hardware_arm64", not intel, text, m, LISTED))
        out.append(clue("machine", "x86_64" if intel else "arm64", text, m, WEAK))
        if intel:
            out.append(clue("sign.intel_cpu", True, text, m, LISTED))
    for where, m in _clouds(text):
        if stated(text, m, strict=False):
            out.append(clue("sign.cloud_server", where, text, m, LISTED))
            break
    for m in finditer(HYPHEN_REQUEST, text, "torch-", "Torch-", "TORCH-"):
        out.append(clue("sign.torch_requested", m.group(1), text, m, WEAK))
    return out


def _intel_runner(m: re.Match[str]) -> bool:
    major, suffix = m.group(1), m.group(2)
    return suffix in ("large", "intel") or (not suffix and int(major) <= 13)


def _clouds(text: str) -> list[tuple[str, re.Match[str]]]:
    """(the machine's name, its match): EC2 instance types beside a word for a machine, then
    the hosted notebooks' and GPU clouds' names."""
    out = []
    sizes = ("large", ".medium", ".small", ".micro", ".nano", ".metal")
    for m in finditer(EC2_SIZE, text, *sizes):
        kind = EC2_TYPE.search(text, max(0, m.start() - 12), m.start())
        if kind is None:
            continue
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        if EC2_CONTEXT.search(text, start, len(text) if end < 0 else end):
            out.append((kind.group(1) + m.group(0), m))
    names = ("Colab", "Kaggle", "SageMaker", "RunPod", "Lambda", "Paperspace", "vast.ai")
    out.extend((m.group(1), m) for m in finditer(CLOUD_NAME, text, *names))
    return out
