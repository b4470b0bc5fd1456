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
- a torch / LibTorch release asked for as a package-hyphen-version dependency ("Unable to fulfill
  pytorch-2.6 dependency on Intel mac": ankane/torch.rb#59; Homebrew and Ruby name packages
  so) -> sign.torch_requested (verify.paste.versions reads "requires LibTorch 2.6").
"""

from __future__ import annotations

import re

from verify.compat import LAST_MACOS_X86_64_WHEEL
from verify.paste.clues import LISTED, WEAK, Clue, clue, finditer, quote

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
LIBTORCH_X86 = re.compile(
    r"(?:https?://download\.pytorch\.org/libtorch/\S*?)?"
    r"libtorch-macos-x86_64-(\d+\.\d+\.\d+)(?:%2B|\+)?\w*\.zip"
)
HYPHEN_REQUEST = re.compile(
    r"(?<![\w.-])(?i:py|lib)?(?i:torch)-(\d\.\d{1,2}(?:\.\d{1,2})?)[ \t]+"
    r"(?i:dependency|dependencies|requirement|package|formula|gem|binar(?:y|ies)|builds?)\b"
)


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for pattern in (ZSH_PROMPT, BASH_PROMPT):
        for m in finditer(pattern, text, "%", "$"):
            line = f"...@...{m.group(1) or m.group(2)} % {quote(m.group(3))}"
            out.append(Clue("sign.mac_hint", True, line, WEAK))
            out.append(Clue("os", "Darwin", line, WEAK))
            break
    for m in finditer(LIBTORCH_X86, text, "libtorch-macos-x86_64-"):
        release = m.group(1)
        if _release(release) <= _release(str(LAST_MACOS_X86_64_WHEEL)):
            continue  # the archives up to 2.2.2 exist: the download says only "x86_64"
        out.append(clue("os", "Darwin", text, m, LISTED))
        out.append(clue("machine", "x86_64", text, m, LISTED))
        out.append(clue("sign.libtorch_x86_64", (release, m.group(0)), text, m, LISTED))
    for m in finditer(HYPHEN_REQUEST, text, "torch-", "Torch-", "TORCH-"):
        out.append(clue("sign.torch_requested", m.group(1), text, m, WEAK))
    return out


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())
