"""Facts from free-form text: one small reader per kind of text people paste (issue 12).

    read(text) -> Reading   every reader's clues, weighed into Facts fields and signs, each with
                            the pasted lines it rests on (the `evidence` of a diagnosis)

Readers (each `read(text) -> list[Clue]`, pure, order-independent): .system (platform / uname /
sw_vers / system_profiler / sysctl / a crash report's header), .versions (typed and listed
versions), .packages (pip, conda, resolver errors, wheels, dyld), .tools (accelerate / transformers
/ Lightning / ComfyUI dumps, torch.__config__.show(), printed MPS state), .forms (issue-form
headings, Markdown tables), .repl (a print of several facts and the line it printed, a labelled
print and its output line), .ran (output only a working MPS device prints), .homebrew (`brew
config`, Homebrew Python prefixes), .places (container, VM, sandbox, intent), .prose (the machine,
interpreter and place told in sentences), .loader (dyld's "built for a newer macOS", a shell's or
compiler's target triplet), .builds (nixpkgs', Spack's and source builds), .said (float64 or
memory limits of MPS told in words), .told (a newer torch said to fix it, a Mac with an AMD GPU),
.limits (a macOS update said to fix an MPS op, memory past the RAM, complex said unsupported),
.trouble (the kind of MPS problem shown: a crash, a compile error, an error, a wrong value),
.cpukernel (a CPU kernel refusing float16 / bfloat16: an op that ran on the CPU),
.mpswork (torch work on the MPS device shown: a log's device, MPS warnings, MPS env variables),
.paths (Windows / Linux / a container told by a traceback's paths and a shell's prompt),
.languages (the machine and MPS use told in other languages than English),
.wheelsaid (which torch wheels exist, said in words: none for a Python, none for Intel Macs),
.refused (a torch wheel pip refuses: built for another OS or another CPython),
.claims (a cause stated in one sentence: a topic and a limit, "float64 is not supported on MPS"),
.updated (a newer torch said in a sentence to fix it: "updating PyTorch fixes", "nightly works"),
.ceiling (torch said to stop at 2.2.2 on the Mac: "the latest wheels are 2.2.2"),
.gpuonly (an installer refusing a package with no macOS build at all: onnxruntime-gpu,
nvidia-*-cu12),
.foreign (a build for another platform on a Mac: a CUDA-only package's build failing, a library
that is no Mach-O file, the Mac named only in passing).
collect_env and our JSON are read by verify.diagnosis.envdump, which fills in from this what they
lack;
it first cuts log stamps, levels and Markdown quotes from each line (.logprefix).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from verify import compat
from verify.diagnosis.paste import (
    armonly,
    builds,
    ceiling,
    claims,
    companions,
    conflicts,
    cpukernel,
    downloads,
    extops,
    foreign,
    forms,
    gpuonly,
    homebrew,
    languages,
    limits,
    loader,
    mpswork,
    packages,
    paths,
    places,
    prose,
    pyremoved,
    pytags,
    ran,
    refused,
    repl,
    said,
    system,
    told,
    tools,
    trouble,
    updated,
    versions,
    wheelsaid,
)
from verify.diagnosis.paste.clues import LISTED, WEAK, Clue
from verify.macos import real_macos

READERS = (
    system.read,
    versions.read,
    forms.read,
    homebrew.read,
    packages.read,
    conflicts.read,
    pytags.read,
    pyremoved.read,
    wheelsaid.read,
    refused.read,
    companions.read,
    gpuonly.read,
    foreign.read,
    downloads.read,
    loader.read,
    tools.read,
    repl.read,
    ran.read,
    places.read,
    paths.read,
    prose.read,
    languages.read,
    said.read,
    told.read,
    limits.read,
    extops.read,
    cpukernel.read,
    trouble.read,
    builds.read,
    mpswork.read,
    claims.read,
    armonly.read,
    updated.read,
    ceiling.read,
)
MAX_LINES_PER_FIELD = 3


@dataclass(frozen=True)
class Reading:
    facts: dict[str, Any] = field(default_factory=dict)  # Facts field -> value
    evidence: dict[str, list[str]] = field(default_factory=dict)  # field or sign -> lines
    signs: dict[str, list[Clue]] = field(default_factory=dict)  # "sign.*" -> clues

    def has(self, sign: str) -> bool:
        return bool(self.signs.get(sign))


def _newest(found: list[Clue], weight: int) -> Clue | None:
    """Of torch versions read with equal weight, the newest: a problem told of several ("This
    happens with Pytorch 1.3.1 and 2.0.0.dev20230116", pytorch/pytorch#92265, 1.3.1 a slip for
    1.13.1) is not one an upgrade from the oldest fixes, and "torch too old" must not rest on it."""
    ranked = [(compat.parse_version(str(c.value)), c) for c in found if c.weight == weight]
    known = [(v, c) for v, c in ranked if v is not None]
    return max(known, key=lambda vc: vc[0])[1] if len(known) > 1 else None


def _finer(found: list[Clue], winner: Clue) -> Clue:
    """A release said by its name or major alone ("Cannot run on macOS 11 Big Sur", read as 11.0)
    and the same release said exactly elsewhere, however surely ("You have macOS 11.7" quoted in
    the body, divamgupta/diffusionbee-stable-diffusion-ui#38): the exact one."""
    major, _, minor = str(winner.value).partition(".")
    if minor != "0":
        return winner
    return next(
        (
            c
            for c in found
            if str(c.value).partition(".")[0] == major
            and str(c.value).partition(".")[2] not in ("0", "")
        ),
        winner,
    )


def _exact_release(found: list[Clue], winner: Clue) -> Clue:
    """A torch release said by its series alone ("The torch2.0 sample program", an issue's title)
    and exactly elsewhere ("My pytorch version is 2.0.0.dev20230127": pytorch/pytorch#93196): the
    exact one, the longest that extends the winner."""
    prefix = f"{winner.value}."
    longer = [c for c in found if str(c.value).startswith(prefix)]
    return max(longer, key=lambda c: len(str(c.value))) if longer else winner


def all_clues(text: str) -> list[Clue]:
    found: list[Clue] = []
    for reader in READERS:
        found.extend(reader(text))
    return found


def read(text: str, seeds: Iterable[Clue] = (), wrapped: str = "") -> Reading:
    """Weigh every clue: per field the heaviest wins (the first of equals), and fields that
    follow from others are derived (see _derive). `seeds`: facts known otherwise (what torch's
    error messages prove), weighed with the rest. `wrapped`: the text's lines a window wrapped,
    joined back (.unwrap), read for what the text as pasted does not say."""
    by_field: dict[str, list[Clue]] = defaultdict(list)
    signs: dict[str, list[Clue]] = defaultdict(list)
    clues = all_clues(text)
    if wrapped:
        clues = _with_wrapped(clues, all_clues(wrapped), wrapped)
    for c in [*clues, *seeds]:
        (signs if c.field.startswith("sign.") else by_field)[c.field].append(c)
    facts: dict[str, Any] = {}
    evidence: dict[str, list[str]] = {}
    weights: dict[str, int] = {}
    for name, listed in by_field.items():
        found = listed
        if name == "macos_version":  # "16.x" is macOS 26 (verify.macos); "10.16" says nothing
            found = [c for c in (_real(c) for c in listed) if c is not None]
            if not found:
                continue
        best = max(c.weight for c in found)
        winner = _newest(found, best) if name == "torch_version" else None
        winner = winner or next(c for c in found if c.weight == best)
        if name == "macos_version":
            winner = _finer(found, winner)
        elif name == "torch_version":
            winner = _exact_release(found, winner)
        facts[name] = winner.value
        weights[name] = best
        evidence[name] = _lines(c for c in found if c.value == winner.value)
    for name, found in signs.items():
        evidence[name] = _lines(found)
    places.settle_os(facts, evidence, signs, weights)  # Linux in a container / VM on a Mac
    paths.settle(facts, evidence, signs)  # Windows / Linux from a traceback's paths
    refused.settle(facts, evidence, signs)  # a refused macOS wheel where no OS is named
    _derive(facts, evidence, signs)
    return Reading(facts, evidence, dict(signs))


def _with_wrapped(clues: list[Clue], joined: list[Clue], wrapped: str) -> list[Clue]:
    """The text's clues and what its wrapped lines, joined back (.unwrap), add: a fact or a sign
    the text as pasted does not give. A clue read off a piece of a wrapped line stands only where
    the whole line says it too (a fact with the same value, a sign by its name): "python3.1" of
    ".../lib/python3.1\n1/subprocess.py" does not."""
    lines = set(wrapped.split("\n"))
    # a fact with its value, a sign (whose value often holds the words read) by its name
    confirmed = {(j.field, repr(j.value)) for j in joined}
    confirmed |= {(j.field, None) for j in joined if j.field.startswith("sign.")}

    def piece(c: Clue) -> bool:
        head = c.line.removesuffix("...")
        return bool(head) and head not in lines and head in wrapped

    def stands(c: Clue) -> bool:
        sign = c.field.startswith("sign.")
        return (c.field, None if sign else repr(c.value)) in confirmed or not piece(c)

    clues = [c for c in clues if stands(c)]
    known = {c.field for c in clues if not c.field.startswith("sign.")}
    known |= {(c.field, repr(c.value)) for c in clues}
    return clues + [
        j for j in joined if j.field not in known and (j.field, repr(j.value)) not in known
    ]


def _real(c: Clue) -> Clue | None:
    real = real_macos(str(c.value))
    return None if real is None else Clue(c.field, real, c.line, c.weight)


def _lines(found: Any) -> list[str]:
    out: list[str] = []
    for c in sorted(found, key=lambda c: -c.weight):
        if c.line and c.line not in out:
            out.append(c.line)
        if len(out) == MAX_LINES_PER_FIELD:
            break
    return out


def _derive(facts: dict[str, Any], evidence: dict[str, list[str]], signs: dict) -> None:
    """Facts that follow from other facts (each keeps the evidence it follows from)."""

    def put(name: str, value: Any, *because: str) -> None:
        if facts.get(name) is None:
            facts[name] = value
            evidence[name] = [line for b in because for line in evidence.get(b, [])][:3]

    if signs.get("sign.linux_vm_on_mac"):
        put("os", "Linux", "sign.linux_vm_on_mac")  # a linuxkit / OrbStack / Lima kernel
    if facts.get("translated") is True:
        put("machine", "x86_64", "translated")  # a translated process is an x86_64 one
    if str(facts.get("chip") or "").startswith("Apple M") and facts.get("os") is None:
        put("os", "Darwin", "chip")  # an Apple M chip with no other OS named runs macOS
    if signs.get("sign.pip_x86_only"):
        # no torch newer than 2.2.x for this interpreter: PyPI's macOS x86_64 wheels end there
        put("os", "Darwin", "sign.pip_x86_only")
        put("machine", "x86_64", "sign.pip_x86_only")
    chip = str(facts.get("chip") or "")
    mac = facts.get("os") == "Darwin" or chip.startswith("Apple M") or signs.get("sign.mac_named")
    # an x86_64 process under Rosetta 2 (verify.diagnosis.paste.tools): an x86_64 library finding
    # no AVX on a Mac (every Intel Mac since 2011 has it), an illegal instruction on an Apple chip
    rosetta = signs.get("sign.no_avx") if mac else None
    if chip.startswith("Apple M") and facts.get("machine") is None:
        rosetta = rosetta or signs.get("sign.illegal_instruction")
    if rosetta and facts.get("os") in (None, "Darwin"):
        because = rosetta[0].field
        put("os", "Darwin", because)
        put("machine", "x86_64", because)
        put("hardware_arm64", True, because)
    elif (
        facts.get("machine") is None
        and facts.get("os") in (None, "Darwin")
        and facts.get("hardware_arm64") is not False
        and not signs.get("sign.intel_cpu")
        and any(tools.ZSH_SIGILL in c.line for c in signs.get("sign.illegal_instruction") or [])
    ):
        # zsh's own words (macOS's default shell since 10.15, whose Intel Macs all have AVX)
        # with no chip named: an x86_64 process under Rosetta that met an instruction Rosetta
        # does not translate (the 5 real reports in tests/data with it were Rosetta on Apple
        # chips; zwhe99/MAPS-mt#4 names no Mac at all)
        put("os", "Darwin", "sign.illegal_instruction")
        put("machine", "x86_64", "sign.illegal_instruction")
        put("hardware_arm64", True, "sign.illegal_instruction")
    # pip found no release of a package whose Mac wheels are all arm64 ones (.gpuonly's "none",
    # .armonly's resolver conflict), on an Apple chip with a macOS its wheels are for (or none
    # shown): an x86_64 Python (.armonly), unless the Python shown has no wheel of it either, or
    # the same pip run skipped releases for their Requires-Python (.pytags): the interpreter's
    # Python was refused there, and may be here too (C0untFloyd/roop-unleashed#1046: numpy
    # 1.21.x "Requires-Python >=3.7,<3.11" skipped, onnxruntime-silicon==1.20.1 "none", a
    # Python newer than both on an M3)
    missed = armonly.missed(signs)
    if (
        missed is not None
        and chip.startswith("Apple M")
        and facts.get("machine") is None
        and not armonly.python_explains(missed[0].value, facts.get("python_version"))
        and not signs.get("sign.python_filtered")
    ):
        shown = compat.parse_version(str(facts.get("macos_version") or ""))
        if shown is None or shown >= missed[1]:
            put("os", "Darwin", *armonly.REFUSALS)
            put("machine", "x86_64", *armonly.REFUSALS)
            put("hardware_arm64", True, "chip")
    if facts.get("os") == "Darwin":
        subdir = facts.get("conda_subdir")
        if subdir is None and signs.get("sign.x86_only_conda"):
            put("conda_subdir", "osx-64", "sign.x86_only_conda")
        if signs.get("sign.mkl_build"):
            put("machine", "x86_64", "sign.mkl_build")
        if facts.get("conda_subdir") in ("osx-64", "osx-arm64"):
            arch = "x86_64" if facts["conda_subdir"] == "osx-64" else "arm64"
            put("machine", arch, "conda_subdir")
        if signs.get("sign.amd_gpu") or signs.get("sign.intel_cpu"):
            # Apple silicon Macs have neither an Intel CPU nor an AMD GPU (an arm64 process
            # or an Apple chip in the same paste says the words were about another Mac)
            arm = facts.get("machine") == "arm64" or str(facts.get("chip")).startswith("Apple")
            if facts.get("hardware_arm64") is None and not arm:
                put("hardware_arm64", False, "sign.intel_cpu", "sign.amd_gpu")
    if facts.get("mps_available") is True:
        put("mps_built", True, "mps_available")  # an available device is a built one
        # and one on macOS: torch.backends.mps.is_available() is False on every other OS
        put("os", "Darwin", "mps_available")
    if chip.startswith("Apple M"):  # (no put above sets the chip)
        put("hardware_arm64", True, "chip")
        if "(Virtual)" in chip:
            put("virtual_machine", True, "chip")
    if facts.get("hardware_arm64") is False and facts.get("os") == "Darwin":
        put("machine", "x86_64", "hardware_arm64")  # an Intel Mac runs x86_64 only
    if facts.get("machine") == "arm64" and facts.get("os") == "Darwin":
        put("hardware_arm64", True, "machine")
        facts["translated"] = False  # an arm64 process is never translated
        evidence["translated"] = evidence.get("machine", [])
    elif facts.get("machine") == "x86_64" and facts.get("os") == "Darwin":
        if facts.get("hardware_arm64") is True:
            put("translated", True, "machine", "hardware_arm64")
        elif facts.get("hardware_arm64") is False:
            put("translated", False, "hardware_arm64")


__all__ = ["LISTED", "WEAK", "Clue", "Reading", "all_clues", "read"]
