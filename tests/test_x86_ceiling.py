"""verify.diagnosis.x86_ceiling: an Intel Mac (or an x86_64 Python) holds torch at 2.2.2, so a
row asking for a newer torch names a fix the machine cannot take (issue 12, item 3). The texts are
real reports' own lines, cited; the whole reports are in tests/data/holdout48."""

from __future__ import annotations

from pathlib import Path

import corpus
import pytest

from verify.diagnosis import diagnose, paste, x86_ceiling
from verify.model import Status

DATA = Path(__file__).parent / "data"

# docling-project/docling#2044: an Intel Mac on torch 2.2.2, code for a newer torch
DOCLING = (
    "Seems like for Intel based Macs I'm limited to use PyTorch 2.2.2 only. But this version is "
    'missing functions like "is_dynamo_compiling" and "is_compiling". And so when I\'m trying to '
    "run Docling command ...\n"
    "I'm getting this error ...\n"
    "`AttributeError: module 'torch.compiler' has no attribute 'is_compiling'`\n"
    "Is there any Docling version suitable to work in Intel based MacBooks?\n"
    "My current MacOS version is 15.6 with Anaconda Python 3.11.7\n"
)
# SzamosiMate/tapir-archicad-MCP#26: an Intel Mac whose dependencies need torch>=2.4
TAPIR = (
    "**Environment:**\n- macOS on Intel (x86_64)\n- Python 3.12.13 (installed via uv)\n"
    "**Issue:**\nInstallation/startup fails with a dependency resolution conflict:\n"
    "- `sentence-transformers>=5.1.0` requires `transformers>=4.41.0`\n"
    "- `transformers>=4.41.0` requires `torch>=2.4`\n"
    "- PyTorch stopped publishing wheels for macOS x86_64 (Intel) after version 2.2.2\n"
    "This creates an unsatisfiable dependency chain on Intel Macs — there is no version of "
    "torch>=2.4 available for this platform.\n"
    "When forcing an older torch (2.2.2, the last version with Intel Mac wheels), the server "
    "crashes instead with a `NameError: name 'torch' is not defined`\n"
)


def _rows(text: str):
    return diagnose.diagnose(text)[1]


def test_an_intel_mac_held_at_2_2_2_is_the_cause_before_code_for_a_newer_torch():
    rows = _rows(DOCLING)
    first = diagnose.first_cause(rows)
    assert first is not None and first.id == "host.arch" and x86_ceiling.caps_torch(first)
    assert first.status is Status.FAIL and first.blocks_ready  # the verdict names it first
    blocking = [r.id for r in rows if r.blocks_ready]
    assert blocking[0] == "host.arch" and "error.mps.torch_predates_name" in blocking


def test_an_intel_mac_said_in_an_environment_list_with_a_newer_torch_required():
    first = diagnose.first_cause(_rows(TAPIR))
    assert first is not None and first.id == "host.arch" and x86_ceiling.caps_torch(first)


def test_the_same_error_on_apple_silicon_keeps_the_torch_upgrade_first():
    # no x86_64 Mac in the paste: upgrading torch is the fix
    text = DOCLING.replace(
        "Seems like for Intel based Macs I'm limited to use PyTorch 2.2.2 only. ", ""
    )
    text = "Chip: Apple M2 Pro\n" + text.replace("Intel based MacBooks", "MacBooks")
    rows = _rows(text)
    first = diagnose.first_cause(rows)
    assert first is not None and first.id == "error.mps.torch_predates_name"
    assert not any(x86_ceiling.caps_torch(r) for r in rows)


def test_an_intel_mac_below_the_ceiling_can_still_upgrade():
    # the torch shown is 1.13.1 and the chain asks for torch>=2.0: 2.2.2 still installs on that
    # Intel Mac ("macOS on Intel (x86_64)"), so the Intel Mac does not hold the torch back
    lines = [line for line in TAPIR.splitlines(keepends=True) if "2.2.2" not in line]
    text = "".join(lines).replace("torch>=2.4", "torch>=2.0") + "- torch 1.13.1\n"
    rows = _rows(text)
    arch = next(r for r in rows if r.id == "host.arch")
    assert arch.status is not Status.FAIL and not x86_ceiling.caps_torch(arch)
    assert any(r.id == "torch.version" and r.status is Status.WARN for r in rows)
    # the same chain asking for torch>=2.4: past the Intel Mac's last release, the arch fails
    rows = _rows("".join(lines) + "- torch 1.13.1\n")
    assert next(r for r in rows if r.id == "host.arch").status is Status.FAIL


# disler/always-on-ai-assistant#9: an Intel Mac, a question about the install, no error
ALWAYS_ON = (
    "Install on MAC Intel\n\n"
    "Seems like Pytorch 2.2.1  is  what we can install on Mac Intels. Uv.lock requires 2.5x how "
    "can we  override?\nAny other things we should modify to run on these MACs?\n"
)


def test_an_intel_mac_with_nothing_else_found_warns_of_what_it_cannot_have():
    rows = _rows(ALWAYS_ON)
    first = diagnose.first_cause(rows)
    assert first is not None and first.id == "host.arch" and first.status is Status.WARN
    assert "Intel Mac" in first.cause and "2.2.2" in first.cause and not first.required
    assert any("Mac Intels" in line for line in first.evidence)
    # beside another finding it stays the pass it was (the rules' "MPS not applicable")
    other = ALWAYS_ON + "ERROR: No matching distribution found for onnxruntime-gpu\n"
    arch = next(r for r in _rows(other) if r.id == "host.arch")
    assert arch.status is Status.PASS
    # an Apple silicon Mac gets nothing of it
    arm = next(r for r in _rows("macOS 14.5 on an M2, torch 2.5.1\n") if r.id == "host.arch")
    assert arm.status is not Status.WARN


def test_an_intel_mac_beside_only_upgrade_advice_still_warns():
    # diracdeltas/spleeter4max#33, verbatim lines: a 2010 MacBook Pro (no AVX) on Python 3.7,
    # whose host.python row is only advice for the next upgrade
    text = (
        "I get a text telling me - Illegal instruction: 4\n"
        "I'm Using -\nSpleeter-Native\n- Macbook Pro 2010\n - OS 10.15.3\n"
        "pip 20.0.2 from /usr/local/lib/python3.7/site-packages/pip (python 3.7)\n"
    )
    rows = _rows(text)
    first = diagnose.first_cause(rows)
    assert first.id == "host.arch" and "Intel Mac" in first.cause
    assert any(r.id == "host.python" and r.status is Status.WARN for r in rows)


def test_a_hackintosh_is_an_intel_mac():
    # w-okada/voice-changer#231's line: Hackintoshes run macOS on a PC's x86_64 CPU
    text = (
        "on my intel hackintosh i get this output immediately after starting the command file\n"
        "MMVCServerSIO: Bad CPU type in executable\n"
    )
    assert paste.read(text).has("sign.intel_cpu")
    assert paste.read("I built a Hackintosh last year").has("sign.intel_cpu")


def _case_text(folder: str, name: str) -> str:
    return corpus.load(next((DATA / folder).glob(f"{name}*.txt"))).text


def test_an_intel_macs_amd_gpu_runs_mps_so_the_mac_is_a_warning():
    # pytorch/pytorch#141973: a Radeon Pro Vega 56, macOS 15.1.1, a thread about an
    # application's CUDA calls (healthy): MPS runs there up to torch 2.2.2
    text = _case_text("holdout154", "pytorch-141973")
    rows = {r.id: r for r in _rows(text)}
    assert rows["host.arch"].status is Status.WARN
    assert "AMD GPU" in rows["host.arch"].cause and "2.2.2" in rows["host.arch"].cause
    assert "found it" not in rows["host.arch"].cause  # the paste shows no MPS device
    assert not [r for r in rows.values() if r.status is Status.FAIL]


@pytest.mark.parametrize(
    ("folder", "name"),
    [
        # macOS 10.15.7 with a Radeon Pro 5300: older than MPS itself
        ("holdout103", "carson-katri-dream-textures-222"),
        # a Radeon Pro 5700 XT under Lightning, whose MPS accelerator takes arm64 only
        ("holdout6", "lightning-15861"),
    ],
)
def test_an_amd_gpu_does_not_excuse_an_old_macos_or_lightnings_arm64_check(folder, name):
    rows = {r.id: r for r in _rows(_case_text(folder, name))}
    assert rows["host.arch"].status is Status.FAIL
