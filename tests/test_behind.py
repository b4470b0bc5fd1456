"""verify.diagnosis.behind: an MPS problem on a torch that later releases fixed (issue 12)."""

from __future__ import annotations

import datetime
from pathlib import Path

import corpus
import pytest

from verify.diagnosis import behind, diagnose, envdump, lag, resolver
from verify.diagnosis.paste import trouble
from verify.diagnosis.timeline import Written
from verify.model import Status

DATA = Path(__file__).parent / "data"


def _pasted(text: str):
    return resolver.infer(envdump.parse(text))


def _row(text: str):
    _, results = diagnose.diagnose(text)
    return next((r for r in results if r.id == behind.ROW_ID), None), results


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # pytorch/pytorch#92222's assertion (MPSNDArray), on a Mac that used MPS
        (
            "model.to('mps')\n/AppleInternal/Library/BuildRoots/x/Library/Caches/com.apple.xbs/"
            "Sources/MetalPerformanceShaders/MPSCore/Types/MPSNDArray.mm:794: failed assertion "
            "`[MPSNDArray, initWithBuffer:descriptor:] Error: buffer is not large enough.'",
            behind.CRASH,
        ),
        ("Training on MPS:\nzsh: segmentation fault  python train.py", behind.CRASH),
        (
            "torch.compile on MPS fails: generated Metal kernel uses loop-local variable",
            behind.COMPILE,
        ),
        (
            "x = torch.randn(3, device='mps')\ntorch._inductor.exc.InductorError: SyntaxError",
            behind.COMPILE,
        ),
        (
            "a = torch.randn(10, 2, device='mps')\na.cumsum(-1)\n"
            "RuntimeError: Expected dim to be between 0 and 2 but got -1",
            behind.RUNTIME,
        ),
        ("torch.cumsum(-1) doesn't work with device='mps'.", behind.RUNTIME),
        (
            "Using the MPS backend to train a model produces much worse results than using "
            "other backends (e.g. CPU or CUDA).",
            behind.VALUES,
        ),
        ("On mps:\nAssertionError: Tensor-likes are not close!", behind.VALUES),
    ],
)
def test_the_kind_of_mps_problem_is_read(text, kind):
    found = trouble.problem(text)
    assert found is not None and found.kind == kind
    assert found.said in text


@pytest.mark.parametrize(
    "text",
    [
        "MPS no longer crashes after the update.",  # taken back
        "Does training on MPS crash for you?",  # a question
        "RuntimeError: Expected dim to be between 0 and 2 but got -1",  # no MPS named
        "Using MPS, the loss goes down as on CUDA.",  # nothing wrong
        "MPS gives different results",  # no CPU to differ from
    ],
)
def test_no_problem_where_the_paste_shows_none(text):
    assert trouble.problem(text) is None


def test_lag_counts_the_releases_out_then_and_now():
    # huggingface/transformers#31408: torch 2.3.0 in a paste of 2024-06-07 (accelerate 0.31.0)
    written = Written(datetime.date(2024, 6, 7), "- Accelerate version: 0.31.0", "why")
    found = lag.lag("2.3.0", written)
    assert (str(found.newest_then), found.behind_then) == ("2.3.1", 1)
    assert found.newest_now == max(lag.finals()) and found.behind_now > 10
    # the newest release of its day: none behind then
    assert lag.lag("2.7.0", Written(datetime.date(2025, 4, 23), "", "")).behind_then == 0
    # no date: only today's count; no torch: none
    assert lag.lag("2.7.0", None).behind_then is None
    assert lag.lag(None, written).behind_now is None


def test_a_release_behind_then_is_named_with_its_count_and_the_update_comes_first():
    text = (
        "- Platform: macOS-14.5-arm64-arm-64bit\n- Python version: 3.12.3\n"
        "- Accelerate version: 0.31.0\n- PyTorch version (GPU?): 2.3.0 (False)\n"
        "- Using GPU in script?: yes mps\n\nwhisper is unable to run on MPS with this setup\n"
    )
    row, results = _row(text)
    assert row is not None and row.status is Status.WARN and not row.required
    assert diagnose.first_cause(results) is row
    assert "torch 2.3.0, 1 release behind the newest, 2.3.1" in row.cause
    assert "accelerate 0.31.0" in row.cause
    assert row.fix.commands == ("python -m pip install --upgrade torch",)
    assert "unable to run on MPS" in row.evidence[0]


def test_the_torch_of_the_day_points_to_the_nightly_and_today_s_releases():
    # ultralytics/yolov5#9107's kind: 1.12.1 was the newest release when it failed
    text = (
        "- MacBook Pro 2021 with Apple M1 Max\n- macOS Ventura 13.5\n- PyTorch 1.12.1\n"
        "Issue when training using MPS: unsupported datatype for constant\n"
    )
    row, _ = _row(text)
    assert "1.12.1, the newest release when the paste was written" in row.cause
    assert "nightly" in row.cause and "today's newest" in row.cause


def test_a_macos_below_the_newest_torch_floor_gets_the_newest_release_it_can_run():
    text = (
        "macOS 13.6, Apple M1, Python 3.12\ntorch 2.3.0\n"
        "x = torch.ones(4, device='mps')\nzsh: bus error  python run.py\n"
    )
    row, _ = _row(text)
    pinned = row.fix.commands[0]
    assert pinned.startswith('python -m pip install --upgrade "torch==')
    assert "the newest this Mac's macOS or Python can take" in row.fix.text


def test_the_newest_torch_is_told_to_try_the_nightly():
    newest = str(max(lag.finals()))
    text = f"torch {newest} on an Apple M4, macOS 26.1\nMPS crashes: zsh: bus error python x.py\n"
    row, _ = _row(text)
    assert "nightly" in row.fix.text and row.fix.commands[0].endswith("/whl/nightly/cpu")


@pytest.mark.parametrize(
    "text",
    [
        # a recognised MPS limit has its own row (verify.known_errors)
        "torch 2.0.1 on M1\nRuntimeError: MPS backend out of memory (MPS allocated: 8.9 GB, "
        "other allocations: 1 GB, max allowed: 9.0 GB). Tried to allocate 1 GB on private pool.",
        # the environment explains it: a VM, an Intel Mac, Linux
        "macOS 14 VM (UTM) on M2, torch 2.1.0\nMPS crashes: zsh: bus error python x.py\n",
        "iMac Intel Core i9, AMD Radeon Pro 5700, torch 2.2.2\nMPS training fails with a crash\n",
        "Ubuntu 22.04 (x86_64), torch 2.1.0\ndevice='mps'\nzsh: bus error python x.py\n",
    ],
)
def test_no_row_where_a_message_or_the_environment_says_more(text):
    row, _ = _row(text)
    assert row is None


def test_wrong_values_get_a_warning_never_a_failure():
    text = (
        "torch 2.0.1, macOS 13.4, M2\nmps and cpu give far different results when training "
        "a transformer.\n"
    )
    row, results = _row(text)
    assert row is not None and row.status is Status.WARN
    assert not any(r.status is Status.FAIL for r in results)


@pytest.mark.parametrize(
    "line",
    [
        # MPSGraph's located MLIR error, then LLVM's abort (hako-mikan/sd-webui-negpip#31)
        'loc("mps_add"("(mpsFileLoc): /AppleInternal/Library/BuildRoots/810eba08/Library/Caches/'
        "com.apple.xbs/Sources/MetalPerformanceShadersGraph/mpsgraph/MetalPerformanceShadersGraph/"
        "Core/Files/MPSGraphUtilities.mm\":228:0)): error: input types 'tensor<2x6144x320xf32>' "
        "and 'tensor<320xf16>' are not broadcast compatible",
        "LLVM ERROR: Failed to infer result type(s).",
        # Metal's own (pytorch/pytorch#119968)
        "Error: command buffer exited with error status.",
        # MPSGraph's compiler giving up (lllyasviel/Fooocus#3901's title, verbatim)
        "[Bug]: Apple Silicon: `Error: MLIR pass manager failed'",
    ],
)
def test_mpsgraph_and_metal_failures_are_crashes(line):
    text = f"python main.py --device mps\n{line}\n"
    found = trouble.problem(text)
    assert found is not None and found.kind == behind.CRASH


def test_a_paste_showing_only_an_mps_compile_error_is_diagnosed_not_refused():
    # no fact about the machine, but the problem itself: the torch's age is the first answer
    text = (
        "Training on mps:\ntorch._dynamo.exc.BackendCompilerFailed: backend='inductor' raised:\n"
        "LoweringException: TypeError: 'NoneType' object is not callable\n"
    )
    row, results = _row(text)
    assert row is not None and "does not show which torch" in row.cause
    assert not any(r.status is Status.FAIL for r in results)


def test_a_missing_operator_is_not_read_as_a_bug_a_release_fixed():
    # NotImplementedError is an operator without a kernel: verify.known_errors' and
    # verify.diagnosis.opsupport's rows, not this one
    assert trouble.problem("device='mps'\nNotImplementedError: foo_op is not done yet\n") is None


def test_a_nightly_past_every_release_is_told_to_try_a_newer_nightly():
    newest = max(lag.finals())
    ahead = f"{newest.major}.{newest.minor + 1}.0.dev20261120"
    text = (
        f"torch {ahead} on an Apple M4 Max\nx = x.to('mps')\nIndexError: index 3 is out of bounds\n"
    )
    row, _ = _row(text)
    assert row is not None and "past every release: try a newer nightly" in row.fix.text


COMFY = (
    "~ % pip3 show torch\nName: torch\nVersion: {pip}\n"
    "Location: /Users/me/miniconda3/lib/python3.12/site-packages\n\n"
    "venv/bin/python main.py\n** ComfyUI startup time: 2024-12-30 18:53:13.000691\n"
    "** Platform: Darwin\nTotal VRAM 16384 MB, total RAM 16384 MB\npytorch version: {app}\n"
)


def test_an_application_running_an_older_torch_than_the_one_upgraded_is_named():
    # Comfy-Org/ComfyUI#6254's kind: ComfyUI's venv imports 2.1.2, miniconda has 2.5.1
    _, results = diagnose.diagnose(COMFY.format(pip="2.5.1", app="2.1.2"))
    row = diagnose.first_cause(results)
    assert row.id == "torch.version" and row.status is Status.WARN
    assert "imported torch 2.1.2" in row.cause and "torch 2.5.1" in row.cause
    assert "behind the newest, 2.5.1, when the paste was written" in row.cause
    assert row.evidence[0] == "pytorch version: 2.1.2"
    assert "venv/bin/python -m pip" in row.fix.commands[0]


@pytest.mark.parametrize(("pip", "app"), [("2.5.1", "2.5.1"), ("2.1.2", "2.5.1")])
def test_the_application_s_torch_is_no_finding_when_it_is_not_older(pip, app):
    _, results = diagnose.diagnose(COMFY.format(pip=pip, app=app))
    assert all(r.status is not Status.WARN for r in results if r.id == "torch.version")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("在 M2 上用 MPS 推理崩溃", True),  # MPS, then "crashes" (Code-Amadeus/Amadeus#67's words)
        ("用 mps 训练时报错\uff1a", True),
        ("MPS 没有报错\uff0c结果正常", False),  # "no error": taken back
        ("MPS 会报错吗\uff1f", False),  # a question
    ],
)
def test_mps_failing_said_in_chinese(text, found):
    assert (trouble.problem(text) is not None) is found


def test_cs_assert_as_macos_prints_it_is_an_mps_crash():
    # pytorch/pytorch#95538 (tests/data/holdout145): MPSGraph's reduction asserting through C's
    # assert() on a February 2023 nightly; a later torch fixed it (#130542)
    text = corpus.load(next((DATA / "holdout145").glob("pytorch-95538-*.txt"))).text
    found = trouble.problem(text)
    assert found is not None and found.kind == behind.CRASH
    assert "GPUReductionOps.mm" in found.said
    first = diagnose.first_cause(diagnose.diagnose(text)[1])
    assert first is not None and first.id == "error.mps.fixed_in_newer_torch"

    # pytorch/pytorch#129960's title, verbatim: the same assertion alone, MPS named only by
    # MPSGraph's source file, is the same crash, not a paste without facts
    alone = (
        'Assertion failed: (0 <= mpsAxis && mpsAxis < 4 && "Runtime canonicalization must '
        'simplify reduction axes to minor 4 dimensions."), function getKernelAxes, file '
        "GPUReductionOps.mm, line 31.\n"
    )
    first = diagnose.first_cause(diagnose.diagnose(alone)[1])
    assert first is not None and first.id == "error.mps.fixed_in_newer_torch"


@pytest.mark.parametrize(
    "text",
    [
        # pytorch/pytorch#114692's first sentence, verbatim
        "Performing in-place zeroing on a sliced PyTorch tensor located on the MPS device leads to "
        "unexpected results, which differs from the behavior observed on CPU or CUDA device.",
        # pytorch/pytorch#170360's first sentence and its comparison's line, verbatim
        'Looks like there is is a correctness issue with torch.compile when `mode="default"` on '
        "MPS for this simple broadcast and sum function.\n"
        "eager = float(f(a, b).detach().cpu())",
    ],
)
def test_unexpected_results_and_a_correctness_issue_are_wrong_values(text):
    found = trouble.problem(text)
    assert found is not None and found.kind == behind.VALUES
