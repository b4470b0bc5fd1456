"""Mixed precision on MPS against the torch that ran it (verify.amp_mps, verify.diagnosis.amp_rows,
scripts/recipes/amp_mps.py) and the early-torch readings of verify.diagnosis.behind (issue 12).

The texts are real reports' lines, each cited; the releases are read from torch's wheels."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import corpus
import pytest
import torch.amp.autocast_mode
import torch.amp.grad_scaler
from packaging.version import Version

from scripts.recipes import amp_mps as recipe
from verify import amp_mps
from verify.diagnosis import amp_rows, behind, diagnose, envdump, resolver
from verify.diagnosis.paste import said, trouble
from verify.errors import InputError
from verify.model import Status

DATA = Path(amp_mps.__file__).parent / "data" / amp_mps.RESOURCE


def _rows(text: str):
    _, results = diagnose.diagnose(text)
    return results


def _flagged(results) -> dict[str, Status]:
    return {r.id: r.status for r in results if r.status in (Status.FAIL, Status.WARN)}


def test_each_release_is_bracketed_by_the_wheels_read():
    """Every first release is a wheel read, and an older wheel read lacks the part: the data says
    where the part came, not merely that the oldest wheel read had it."""
    doc = json.loads(DATA.read_text("utf-8"))
    read = sorted(Version(w["release"]) for w in doc["wheels"])
    assert all(len(w["sha256"]) == 64 for w in doc["wheels"])
    for feature in recipe.FEATURES:
        first = Version(doc["first"][feature])
        assert first in read and read[0] < first, feature
    # the order the parts came in: float16 autocast, then bfloat16, then the GradScaler
    assert Version(amp_mps.first_text(amp_mps.AUTOCAST)) < Version(
        amp_mps.first_text(amp_mps.BFLOAT16)
    )
    assert Version(amp_mps.first_text(amp_mps.BFLOAT16)) < Version(
        amp_mps.first_text(amp_mps.GRAD_SCALER)
    )


def test_the_recipe_reads_a_real_torch_source():
    """The installed torch's own amp sources: its GradScaler special-cases the MPS device."""
    found = recipe.features(
        inspect.getsource(torch.amp.autocast_mode), inspect.getsource(torch.amp.grad_scaler)
    )
    assert "grad_scaler" in found
    assert recipe.features("", "") == set()
    assert recipe.first_seen([("2.6.0", {"grad_scaler"}), ("2.5.0", set())])["grad_scaler"] == (
        "2.6.0"
    )


# https://github.com/flairNLP/flair/issues/3506: torch 2.3.1, "got past this error by upgrading
# to torch 2.5.0"
AUTOCAST = "RuntimeError: User specified an unsupported autocast device_type 'mps'"


def test_torchs_autocast_refusal_names_the_torch_first():
    results = _rows(f"torch 2.3.1\n{AUTOCAST}\n")
    first = diagnose.first_cause(results)
    assert first is not None and first.id == amp_rows.ROW_ID
    assert first.status is Status.WARN  # a library that starts calling autocast does the same
    assert "2.5" in first.cause


def test_a_torch_with_autocast_on_mps_drops_the_refusal():
    """The message came from another torch than the one the paste shows as new enough."""
    assert amp_rows.ROW_ID not in _flagged(_rows(f"torch 2.6.0\n{AUTOCAST}\n"))


# https://github.com/huggingface/accelerate/issues/3718 (M2 Pro, accelerate 1.9.0, torch 2.6.0;
# "It works now with torch==2.8.0")
FP16 = (
    "MBP M2 Pro 18-core CPU 19-core GPU 16 GB RAM\naccelerate 1.9.0\n{torch}\n"
    "ValueError: fp16 mixed precision requires a GPU (not 'mps').\n"
)


def test_fp16_refused_on_a_torch_before_the_mps_grad_scaler_names_the_torch_first():
    results = _rows(FP16.format(torch="torch 2.6.0"))
    flagged = _flagged(results)
    assert flagged[amp_rows.ROW_ID] is Status.FAIL
    assert "error.mps.hf_mixed_precision" in flagged  # the framework's row stays
    first = diagnose.first_cause(results)
    assert first is not None and first.id == amp_rows.ROW_ID
    assert amp_mps.minor(amp_mps.GRAD_SCALER) in first.cause


def test_fp16_refused_on_a_new_enough_torch_is_the_frameworks():
    results = _rows(FP16.format(torch="torch 2.8.0"))
    assert amp_rows.ROW_ID not in _flagged(results)
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "error.mps.hf_mixed_precision"


# https://github.com/huggingface/accelerate/issues/3064 ("bf16 accelerator is unavailable on
# MPS"; "latest accelerate, pytorch 2.4"; bf16 autocast for MPS "still on nightly")
BF16 = (
    "bf16 accelerator is unavailable on {where}\n### System Info\n```Shell\n"
    "latest accelerate, pytorch 2.4\n```\n"
    "ValueError: bf16 mixed precision requires PyTorch >= 1.10 and a supported device\n"
)


def test_bf16_refused_on_mps_before_bf16_autocast_names_the_torch():
    results = _rows(BF16.format(where="MPS"))
    first = diagnose.first_cause(results)
    assert first is not None and first.id == amp_rows.ROW_ID
    assert amp_mps.minor(amp_mps.BFLOAT16) in first.cause


def test_bf16_refusal_that_names_no_mps_is_not_read():
    """accelerate's bf16 text names no device: a CUDA box without bf16 prints it too."""
    assert amp_rows.ROW_ID not in _flagged(_rows(BF16.format(where="this machine")))


def test_a_list_comma_ends_what_latest_says():
    f = resolver.infer(envdump.parse("latest accelerate, pytorch 2.4\n")).facts
    assert f.torch_version == "2.4"


# https://github.com/DLR-RM/stable-baselines3/issues/914 (the maintainer pointed to the nightly)
SB3 = (
    'ppo = PPO("MlpPolicy", env, device="mps")\n\n'
    "With current pip version of PyTorch ({torch}), it raises the following exception:\n\n"
    "```log\nTraceback (most recent call last):\n"
)


def test_an_exception_on_a_prototype_mps_torch_is_behind():
    results = _rows(SB3.format(torch="1.12"))
    first = diagnose.first_cause(results)
    assert first is not None and first.id == behind.ROW_ID


def test_an_error_said_to_come_on_a_prototype_mps_torch_is_behind():
    text = SB3.format(torch="1.13.1").replace("it raises the following exception", "I get an error")
    first = diagnose.first_cause(_rows(text.split("```log")[0]))
    assert first is not None and first.id == behind.ROW_ID


def test_an_exception_without_its_message_on_a_later_torch_is_not_read():
    assert behind.ROW_ID not in _flagged(_rows(SB3.format(torch="2.5.1")))


# https://github.com/CompVis/stable-diffusion/issues/745 (pasted lower-cased; "Updating to
# Pytorch to 2.1 fixed the bug")
LOWER = (
    "/appleinternal/library/buildroots/1a7a4148-f669-11ed-9d56-f6357a1003e8/library/caches/"
    "com.apple.xbs/sources/metalperformanceshadersgraph/mpsgraph/metalperformanceshadersgraph/"
    "runtimes/mpsruntime/operations/gpuaneregionops.mm:332: failed assertion `ane evaluation "
    "error`"
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (LOWER, trouble.CRASH),
        # https://github.com/huggingface/transformers/issues/20415's title (torch 1.12.1)
        (
            "GPT2LMHeadModel not working with mps device, RuntimeError: tensors must be 2-D",
            trouble.RUNTIME,
        ),
    ],
)
def test_more_ways_of_showing_an_mps_problem(text, kind):
    found = trouble.problem(text)
    assert found is not None and found.kind == kind


# https://github.com/rasbt/LLMs-from-scratch/pull/324
COMPARED = (
    "It's pretty bad in PyTorch 2.1, but it gets almost the same loss than on CPU and cuda "
    "devices in PyTorch 2.4. I.e., it seems usable now :)"
)


def test_two_releases_compared_in_one_line():
    clues = [c for c in said.read(COMPARED) if c.field == "sign.newer_torch_works"]
    assert clues and clues[0].value[:2] == ("2.1", "2.4")
    swapped = COMPARED.replace("2.1", "X").replace("2.4", "2.1").replace("X", "2.4")
    assert not [c for c in said.read(swapped) if c.field == "sign.newer_torch_works"]


# torch 2.5.0's and 2.5.1's own warning (torch/amp/autocast_mode.py, read from the wheels): MPS
# autocast asked for a dtype other than float16
AUTOCAST_25 = (
    "UserWarning: In MPS autocast, but the target dtype is not supported. Disabling autocast.\n"
    "MPS Autocast only supports dtype of torch.bfloat16 currently.\n"
)


def test_torch_25s_mps_autocast_warning_is_bfloat16_autocast_to_come():
    results = _rows(f"torch 2.5.1\n{AUTOCAST_25}")
    row = next(r for r in results if r.id == amp_rows.ROW_ID)
    assert row.status is Status.WARN
    # the warning inside a longer paste (lines after it) reads the same
    assert amp_rows.ROW_ID in _flagged(_rows(f"torch 2.5.1\n{AUTOCAST_25}```\nmore\n"))
    # 2.6's wording (bfloat16 and float16 taken) is another dtype asked for: not this reading
    later = AUTOCAST_25.replace(
        "dtype of torch.bfloat16 currently", "dtypes of torch.bfloat16, torch.float16 currently"
    )
    assert amp_rows.ROW_ID not in _flagged(_rows(f"torch 2.6.0\n{later}"))
    # a torch past the first with bfloat16 autocast shown beside it: the message came from
    # another; the first one's own nightlies printed it (pytorch/pytorch#139190, "pytorch 2.6.0
    # nightly"), so that release shown keeps the row
    assert amp_rows.ROW_ID not in _flagged(_rows(f"torch 2.7.0\n{AUTOCAST_25}"))
    assert amp_rows.ROW_ID in _flagged(_rows(f"torch 2.6.0\n{AUTOCAST_25}"))


def test_mps_shown_in_use_on_a_prototype_torch_counts_as_picked():
    # PyTorch's MPS variable set for the run (sign.mps_work, not a device picked in code)
    text = (
        "torch 1.12.1\nexport PYTORCH_ENABLE_MPS_FALLBACK=1\nTraceback (most recent call last):\n"
    )
    first = diagnose.first_cause(_rows(text))
    assert first is not None and first.id == behind.ROW_ID


# hiyouga/LlamaFactory#2329 (torch 2.1.2 on an M3 Max; the maintainer: remove --fp16): the
# message of transformers' TrainingArguments, which refuses fp16 on MPS whatever the torch
LLAMAFACTORY_2329 = "llamafactory-2329-fp16-amp-flag-not-for-mps.txt"
TRAINING_ARGS = (
    "ValueError: FP16 Mixed precision training with AMP or APEX (`--fp16`) and FP16 half "
    "precision evaluation (`--fp16_full_eval`) can only be used on CUDA or NPU devices or "
    "certain XPU devices (with IPEX)."
)


def test_transformers_fp16_refusal_is_the_frameworks_whatever_the_torch():
    case = corpus.load(Path(__file__).parent / "data" / "holdout48" / LLAMAFACTORY_2329)
    results = _rows(case.text)
    flagged = _flagged(results)
    assert flagged == {"error.mps.hf_mixed_precision": Status.WARN}  # no torch row: 2.1.2 shown
    # its words, on a Mac or with MPS named, and on neither
    assert _flagged(_rows(f"M1 Pro, torch 2.1.2\n{TRAINING_ARGS}")) == {
        "error.mps.hf_mixed_precision": Status.WARN
    }
    # a CUDA-less PC prints it too: no MPS finding there, nor in the words alone
    assert "error.mps.hf_mixed_precision" not in _flagged(_rows(f"Ubuntu 22.04\n{TRAINING_ARGS}"))
    with pytest.raises(InputError):
        diagnose.diagnose(TRAINING_ARGS)
