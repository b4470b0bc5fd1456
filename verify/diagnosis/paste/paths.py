"""Where the code ran, told by the file paths and shell prompts of what it printed (issue 12).

A traceback names the files of the process that raised it, and a prompt the shell it ran in;
their form gives away the OS, whatever the user wrote about it:

- Windows (sign.windows_paths): a frame or a path with a drive letter and backslashes
  (`File "F:\\talker\\venv\\lib\\site-packages\\torch\\nn\\modules\\module.py"`: mkara44/
  liveportrait_talker#4, a Windows PC whose config asked for device mps), cmd's prompt
  `(venv) F:\\talker>`, PowerShell's `PS C:\\Users\\...>`, `\\AppData\\Local\\Programs\\Python\\`,
  a `...-win_amd64.pyd` extension module. macOS and Linux paths have no drive letter.
- Linux (sign.linux_paths): a home under /home/ (macOS's are /Users/), Debian's and Ubuntu's
  `dist-packages` (their system Python's own folder: wiki.debian.org/Python), an extension
  module built for `x86_64-linux-gnu` / `aarch64-linux-gnu` (a Mac's say `darwin`), `/root/`
  (root's home on Linux; macOS's is /var/root), Colab's `/content/` and Kaggle's `/kaggle/`
  in a frame, bash's Debian / Ubuntu prompt `user@host:~/dir$` (macOS's zsh prints
  `user@host dir %`, its old bash `host:dir user$`).
- a container's Linux (sign.linux_workload, verify.diagnosis.paste.places): a frame under a
  top-level /venv/, /app/, /workspace/ or /opt/conda/ (images' install roots; macOS's system
  volume is read-only since 10.15, so no Mac Python lives there: support.apple.com/HT210650),
  or a prompt `root@<container id>:/dir#` (Docker names the host by the 12 hex digits of the
  container's id). jim60105/docker-whisperX#20: `/venv/lib/python3.10/site-packages` frames
  after `docker run` on a Mac.

`settle(...)` makes the paths the OS only where the paste names no Mac at all (no macOS, Apple
chip, Mac hint or Darwin clue): a Linux server's traceback pasted beside a Mac's ("works on my
Linux box, fails on my MacBook") says nothing about the Mac. Pure: text in, clues out.
"""

from __future__ import annotations

import re
from typing import Any

from verify.diagnosis.paste.clues import LISTED, STRONG, Clue, clue, finditer

_I = re.IGNORECASE
_M = re.MULTILINE
WINDOWS = re.compile(
    # a traceback frame or a path with a drive letter and backslashes
    r"\bFile \"[A-Z]:\\[^\"\n]+\"|"
    r"(?<![\w\\/])[A-Z]:\\(?:[^\\\n\"'<>|]+\\)*?(?:Lib|lib)\\site-packages\\|"
    # cmd's prompt (after an activated environment's name) and PowerShell's
    r"^[ \t>]*(?:\([\w.-]+\)[ \t]*)?(?:PS[ \t]+)?[A-Z]:\\[^\n<>|\"]*>[ \t]*\S|"
    r"\\AppData\\(?:Local|Roaming)\\|-win_amd64\.pyd\b|\\Scripts\\(?:python|pip)\w*\.exe\b",
    _M,
)
LINUX = re.compile(
    r"\bFile \"/(?:home/[^/\"\n]+|root|content|kaggle)/|"
    r"/(?:usr/(?:local/)?lib/python3(?:\.\d+)?|[\w.-]+)/dist-packages/|"
    r"\.cpython-3\d+-(?:x86_64|aarch64)-linux-gnu\.so\b|"
    r"^[ \t]*(?:\([\w.-]+\)[ \t]*)?[a-z_][\w.-]*@[\w.-]+:(?:~|/)[^\n$#]*\$[ \t]",
    _M,
)
CONTAINER = re.compile(
    r"\bFile \"/(?:venv|app|workspace|opt/conda)/|"
    r"^[ \t]*(?:\([\w.-]+\)[ \t]*)?root@[0-9a-f]{12}:[~/][^\n#]*#[ \t]",
    _M,
)


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(WINDOWS, text, ":\\", "\\AppData\\", "win_amd64", "\\Scripts\\"):
        out.append(clue("sign.windows_paths", "Windows", text, m, LISTED))
        break
    for m in finditer(LINUX, text, 'File "/', "dist-packages", "linux-gnu", "@"):
        out.append(clue("sign.linux_paths", "Linux", text, m, LISTED))
        break
    for m in finditer(CONTAINER, text, 'File "/', "root@"):
        out.append(clue("sign.linux_workload", m.group(0).strip(), text, m, STRONG))
        out.append(clue("sign.linux_paths", "Linux", text, m, LISTED))
        break
    return out


_MAC_SIGNS = ("sign.mac_hint", "sign.intel_cpu", "sign.ci_runner", "sign.asahi")


def settle(facts: dict[str, Any], evidence: dict[str, list[str]], signs: dict) -> None:
    """The OS from the paths, where no reader named one and the paste names no Mac (see the
    module doc); both Windows and Linux paths say nothing."""
    if facts.get("os") is not None:
        return
    windows, linux = signs.get("sign.windows_paths"), signs.get("sign.linux_paths")
    if bool(windows) == bool(linux):
        return
    mac = (
        facts.get("macos_version") is not None
        or str(facts.get("chip") or "").startswith("Apple")
        or facts.get("hardware_arm64") is not None
        or any(signs.get(s) for s in _MAC_SIGNS)
    )
    if mac:
        return
    found = windows or linux
    facts["os"] = found[0].value
    evidence["os"] = [c.line for c in found][:3]
