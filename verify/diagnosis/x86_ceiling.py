"""An x86_64 Mac's torch ceiling behind a "torch too old" finding (issue 12, item 3).

PyTorch's macOS x86_64 wheels end at 2.2.2 (verify.compat.LAST_MACOS_X86_64_WHEEL). On an Intel
Mac, or under an x86_64 Python on Apple silicon, a row that asks for a newer torch (code written
for one, an op or fix that came later) names a fix the machine cannot take: the x86_64
interpreter is the cause, and host.arch's finding says what to do. Where a paste shows both -
host.arch failing or warning for an Intel Mac or an x86_64 interpreter (the facts, or a sentence:
verify.diagnosis.claim_rows), a torch-too-old row, and torch held at the ceiling (the torch
shown is 2.2.x, or the text names 2.2.2) - host.arch's row fails (a sentence's warning
included: with the torch row beside it, the code cannot run on this machine) and is marked
`caps_torch`, which verify.diagnosis.diagnose.first_cause puts first (docling-project/
docling#2044: "for Intel based Macs I'm limited to use PyTorch 2.2.2 only", then
torch.compiler.is_compiling missing; SzamosiMate/tapir-archicad-MCP#26: transformers needs
torch>=2.4 on an Intel Mac). Pure: rows and Pasted in, rows out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from verify import compat, rules
from verify import messages as msg
from verify.diagnosis import resolver
from verify.diagnosis.advice import upgrade_advice
from verify.diagnosis.claim_rows import TORCH_TOO_OLD_ROWS
from verify.diagnosis.envdump import Pasted
from verify.model import Result, Status, warned

# the sentences (verify.diagnosis.paste.claims, .ceiling) that name an x86_64 Mac
_X86_CLAIMS = frozenset({"intel_mac", "x86_64_ceiling"})
_CEILING = str(compat.LAST_MACOS_X86_64_WHEEL)


def rows(results: Sequence[Result], pasted: Pasted) -> list[Result]:
    """`results`, host.arch's x86_64 finding failing and marked `caps_torch` where it holds
    torch back."""
    out = list(results)
    at = next((i for i, r in enumerate(out) if r.id == "host.arch"), None)
    if at is None or not _x86_64_mac(out[at], pasted):
        return out
    if not any(r.id in TORCH_TOO_OLD_ROWS and _flagged(r) for r in out):
        return out
    if not _at_ceiling(pasted):
        return out
    out[at] = dataclasses.replace(
        out[at],
        status=Status.FAIL,
        required=True,  # the environment cannot run this code: the verdict is not ready
        data={**out[at].data, "caps_torch": _CEILING},
    )
    return out


def intel_mac_alone(results: Sequence[Result], pasted: Pasted) -> list[Result]:
    """`results`, with host.arch's pass for an Intel Mac ("MPS not applicable": the paste shows
    no MPS attempt) made a warning where nothing else fails or warns (advice for the next upgrade
    aside: a 2010 MacBook Pro's Python 3.7, diracdeltas/spleeter4max#33): a report from an Intel
    Mac about PyTorch is most often about what the Mac cannot have - torch past 2.2.2, MPS
    without a discrete AMD GPU ("Install on MAC Intel": disler/always-on-ai-assistant#9)."""
    out = list(results)
    at = next((i for i, r in enumerate(out) if r.id == "host.arch"), None)
    if at is None or out[at].status is not Status.PASS:
        return out
    if any(_flagged(r) and not upgrade_advice(r) for r in out):
        return out
    f = pasted.facts
    if not rules.is_macos(f) or rules.apple_silicon(f) is not False or f.machine != "x86_64":
        return out
    outcome = warned(msg.INTEL_MAC_CAUSE, msg.INTEL_MAC_FIX, machine=f.machine)
    row = Result.from_outcome(out[at].id, out[at].title, outcome, required=False)
    out[at] = row.with_evidence(
        [
            line
            for name in ("sign.intel_cpu", "chip", "machine")
            for line in pasted.evidence.get(name, [])
        ][:2]
    )
    return out


def amd_gpu_shown(results: Sequence[Result], pasted: Pasted) -> list[Result]:
    """`results`, with host.arch's Intel Mac failure made a warning where the paste shows an AMD
    GPU and no torch past the ceiling: MPS runs on an Intel Mac's AMD GPU up to torch 2.2.2, so
    the Mac is no failure there (pytorch/pytorch#141973: a Radeon Pro Vega 56, torch 2.1.1, a
    thread about an application's CUDA calls; #141864: the same Mac kind, MPS found). Kept
    failing where it holds a newer torch back (`rows`: caps_torch; a torch past 2.2.2 asked
    for or refused: verify.diagnosis.resolver), on a macOS older than MPS
    (carson-katri/dream-textures#222: Catalina) and beside Lightning's refusal, whose MPS
    accelerator takes arm64 only (Lightning-AI/pytorch-lightning#15861: a Radeon Pro 5700 XT)."""
    out = list(results)
    at = next((i for i, r in enumerate(out) if r.id == "host.arch"), None)
    if at is None or out[at].status is not Status.FAIL or caps_torch(out[at]):
        return out
    f = pasted.facts
    if not pasted.has("sign.amd_gpu") or rules.apple_silicon(f) is not False:
        return out
    if f.machine != "x86_64" or out[at].cause != msg.INTEL_MAC_CAUSE:
        return out
    release = compat.release_of(f.torch_version)
    if release is not None and release > compat.LAST_MACOS_X86_64_WHEEL:
        return out
    macos = compat.release_of(f.macos_version)
    if macos is not None and macos < compat.MPS_MIN_MACOS:
        return out
    if any(r.id == "error.mps.lightning_unavailable" for r in out):
        return out
    if resolver.asks_past_x86_64(pasted) or resolver.x86_64_ceiling(pasted):
        return out  # a torch past 2.2.2 asked for or refused (BoBo0037/bobo-fun#2: pytorch 2.4.1)
    cause, fix = msg.intel_mac_amd_gpu(f.torch_version, found=False)
    out[at] = dataclasses.replace(
        out[at], status=Status.WARN, cause=cause, detail=cause, fix=fix, required=False
    )
    return out


def caps_torch(row: Result) -> bool:
    """Is this host.arch's x86_64 finding the reason the torch cannot be newer?"""
    return "caps_torch" in row.data


def _flagged(row: Result) -> bool:
    return row.status in (Status.FAIL, Status.WARN)


def _x86_64_mac(row: Result, pasted: Pasted) -> bool:
    if not _flagged(row):
        return False
    if row.data.get("claimed") in _X86_CLAIMS:
        return True
    f = pasted.facts
    return rules.is_macos(f) and (rules.apple_silicon(f) is False or bool(rules.under_rosetta(f)))


def _at_ceiling(pasted: Pasted) -> bool:
    release = compat.release_of(pasted.facts.torch_version)
    if release is not None:
        return release.major == 2 and release.minor == 2
    return _CEILING in pasted.text
