"""A big paste cut down to the lines that can hold a fact, so a 5 MB log reads in well under 1 s.

Pastes up to SMALL characters are read whole. A bigger one is reduced: one over 2 x ENDS is
read from its first and last ENDS characters (an issue form's environment comes first, a
collect_env or traceback appended to a log comes last; the middle of a multi-MB paste is the
log itself), repeated lines once (logs repeat), lines over MAX_LINE split, then only the lines
holding a keyword any reader or torch's messages look for, each with the two lines after it (REPL
answers, collect_env's CPU line), in their original order, up to MAX_DIGEST characters. Cheap:
str.find per keyword (about 5 ms per keyword per MB), no regex.
"""

from __future__ import annotations

import bisect
import itertools

SMALL = 256 * 1024
ENDS = 1024 * 1024
MAX_LINE = 2000
# the readers' cost grows with the digest: 40 KB of the worst case (every line full of the words
# they look for) reads in ~0.5 s of CPU, the 5 MB paste in ~0.7 s in all
MAX_DIGEST = 40 * 1024
HITS_PER_KEYWORD = 1500
FOLLOWING = 2

# lower-case needles, the most telling first (the digest fills in this order)
KEYWORDS = (
    "pytorch version",
    "python platform",
    "is debug build",
    "productversion",
    "macos",
    "mac os",
    "darwin",
    "apple m",
    "chip",
    "processor",
    "brand_string",
    "proc_translated",
    "hw.optional",
    "hv_vmm",
    "uname",
    "platform",
    "__version__",
    "is_available",
    "is_built",
    "use_mps",
    "torch_version",
    "mps",
    "metal",
    "float64",
    "bfloat16",
    "placeholder storage",
    "expected all tensors",
    "not linked with",
    "not compiled with",
    "unknown device",
    "incompatible architecture",
    "could not find a version",
    "no matching distribution",
    "matching platform tag",
    "matching python",
    "you're on",
    "wheels are available",
    "only has wheels",
    "looking in indexes",
    "packagesnotfounderror",
    "nothing provides",
    "does not exist",
    "lockfile",
    "macosx_",
    "osx-",
    "__osx",
    "__archspec",
    "mkl",
    "intel",
    "radeon",
    "amd ",
    "linuxkit",
    "orbstack",
    "lima-",
    "linux",
    "docker",
    "device driver",
    "podman",
    "container",
    "virtual",
    "utm",
    "parallels",
    "vmware",
    "runs-on",
    "runner",
    "paravirtual",
    "vendor id",
    "asahi",
    "ggml",
    "pipeline state",
    "/nix/",
    "withpackages",
    "-darwin",
    "py-torch@",
    "sandbox",
    "ssh",
    "remote",
    "sonoma",
    "ventura",
    "monterey",
    "sequoia",
    "big sur",
    "tahoe",
    "catalina",
    "python",
    "torch",
    "arch",
    "arm64",
    "x86_64",
    "i386",
    "aarch64",
    "gpu",
    "device:",
    "cpu:",
    "os:",
    "error",
)


def digest(text: str) -> str:
    if len(text) <= SMALL:
        return text
    if len(text) > 2 * ENDS:  # whole lines of the first and the last ENDS characters
        head = text[:ENDS].rpartition("\n")[0]
        tail = text[-ENDS:].partition("\n")[2]
        text = f"{head}\n{tail}"
    lines = list(dict.fromkeys(_pieces(text.split("\n"))))
    starts = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    low = "\n".join(lines).lower()
    keep: set[int] = set()
    size = 0
    for needle in KEYWORDS:
        pos, hits = low.find(needle), 0
        while pos != -1 and hits < HITS_PER_KEYWORD and size < MAX_DIGEST:
            i = bisect.bisect_right(starts, pos) - 1
            for j in range(i, min(i + FOLLOWING + 1, len(lines))):
                if j not in keep:
                    keep.add(j)
                    size += len(lines[j]) + 1
            hits += 1
            pos = low.find(needle, starts[i + 1]) if i + 1 < len(starts) - 1 else -1
        if size >= MAX_DIGEST:
            break
    return "\n".join(lines[i] for i in sorted(keep))


def _pieces(lines: list[str]) -> list[str]:
    if max(map(len, lines), default=0) <= MAX_LINE:
        return lines
    out: list[str] = []
    for line in lines:
        if len(line) <= MAX_LINE:
            out.append(line)
        else:
            out.extend(line[i : i + MAX_LINE] for i in range(0, len(line), MAX_LINE))
    return out
