"""verify.diagnosis.paste.limits and verify.diagnosis.limit_rows: MPS op, dtype and memory limits
told in words, no
torch message pasted (issue 12). Positive texts are quoted verbatim from the public reports
named; the negative ones are the same sentences negated, asked or about another runtime."""

from __future__ import annotations

from pathlib import Path

import corpus
import pytest

from verify import known_errors
from verify.diagnosis import diagnose
from verify.diagnosis.paste import limits
from verify.model import Status


def _signs(text: str) -> dict[str, list]:
    out: dict[str, list] = {}
    for c in limits.read(text):
        out.setdefault(c.field, []).append(c)
    return out


# myshell-ai/MeloTTS#312 (a contributor's verified fix for the conv output-channel refusal)
MELOTTS = (
    "## Summary\n"
    "- add a troubleshooting note for the Apple Silicon MPS output channel limit error\n"
    "- document that updating macOS resolved the issue in local verification\n"
)
# resemble-ai/chatterbox#147 (the description's error line and JaDenis' comment of 2025-06-13)
CHATTERBOX = (
    "i keep getting `NotImplementedError:` Output channels > 65536 not supported at the MPS "
    "device ` error, and the only way to generate is to fallback to 'cpu'.\n"
    "So, i installed python 3.11.0 with pyenv, did pyenv global 3.11.0 and updated macOS to "
    '15.5 and now "mps" device works.\n'
)


@pytest.mark.parametrize(("text", "named"), [(MELOTTS, ""), (CHATTERBOX, "15.5")])
def test_a_macos_update_told_as_the_fix_of_an_mps_op(text: str, named: str) -> None:
    clues = _signs(text).get("sign.macos_fixed_by")
    assert clues and clues[0].value == named


@pytest.mark.parametrize(
    "text",
    [
        # negated
        MELOTTS.replace("resolved", "did not resolve"),
        # MPS not available at all: the macOS floor of MPS, not an op's (verify.rules)
        "torch.backends.mps.is_available() returns False on macOS 12.2; updating macOS to 12.6 "
        "fixed it, MPS is not supported before 12.3",
        # no MPS in the paste: a macOS update fixing some other app
        "The app crashed with an unsupported operation error; updating macOS fixed it.",
        # asked
        "MPS conv op not implemented error. Would updating macOS fix it?",
    ],
)
def test_a_macos_update_is_not_read_where_it_is_not_the_fix_of_an_mps_op(text: str) -> None:
    assert "sign.macos_fixed_by" not in _signs(text)


# index-tts/index-tts#414 (title and description, verbatim)
INDEX_TTS = (
    "M3 Ultra 256GB - macOS Sequoia, serious memory leak\n\n"
    "Everything works, however on macOS after 1 or 2 generations it would cause the entire macOS "
    "to crash and restart.\n\n"
    "On closer inspection, noticed during genning, RAM usage would shoot up from a normal "
    "10-20GB all the way to 249GB, and more often than not exceeding the 256GB capacity then "
    "hitting swap which freezes and crashes.\n"
)
# lm-sys/FastChat#1834 (its title and first sentence, with the command it ran)
FASTCHAT = (
    "Mac M2: Memory usage growing by 1g per 4-5 tokens generated\n\n"
    "When using fastchat to run the longchat model on a Mac M2, I was able to successfully "
    "generate output, but python's memory usage ballooned by about 1 gig every 5 tokens "
    "outputted until I ran out of ram at 192 gigs. \n\n"
    "`python3 -m fastchat.serve.model_cli --model-path src/longchat-13b-16k --device mps`\n"
)


@pytest.mark.parametrize("text", [INDEX_TTS, FASTCHAT])
def test_memory_past_the_ram_on_a_mac_is_the_mps_allocator(text: str) -> None:
    assert "sign.mps_memory_swap" in _signs(text)
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "error.mps.oom"
    assert first.status is Status.WARN  # told in words: a warning, never a failure
    assert "PYTORCH_MPS_HIGH_WATERMARK_RATIO" in " ".join(first.fix.commands)
    assert first.evidence


@pytest.mark.parametrize(
    "text",
    [
        # the same growth under another runtime (llama.cpp keeps its own Metal memory)
        INDEX_TTS + "\nI run it through llama.cpp with the Metal backend.\n",
        # on the CPU by choice
        FASTCHAT.replace("--device mps", "--device cpu"),
        # growth without going past the RAM
        "On my M2 Mac the memory usage grows a little during the first epoch, then stays flat.",
        # no Mac in the paste
        "RAM usage would shoot up and the box started to swap on my Linux server.",
    ],
)
def test_memory_growth_is_not_read_without_a_mac_or_past_the_ram(text: str) -> None:
    assert "sign.mps_memory_swap" not in _signs(text)


# pytorch/pytorch#90019 (title), pytorch/pytorch#78044 (title)
@pytest.mark.parametrize(
    "text",
    [
        "[feature request] Need dtype torch.complex64 support on MPS Device",
        "FFT operators are not supported on MPS device",
        "It seems MPS does not support complex numbers yet, so torch.stft fails",
    ],
)
def test_complex_said_unsupported_on_mps(text: str) -> None:
    assert "sign.complex_said" in _signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "If MPS does not support complex numbers, how does torch.stft work there?",
        "Complex numbers are supported on MPS since 2.3.",
        "MPS doesn't support float64",
    ],
)
def test_complex_not_read_from_a_question_or_another_dtype(text: str) -> None:
    assert "sign.complex_said" not in _signs(text)


def test_complex_said_with_an_old_torch_names_the_torch_and_with_macos_13_the_macos() -> None:
    said = "MPS does not support complex numbers, so my STFT loss fails.\n"
    old = said + "PyTorch version: 2.1.2\nOS: macOS 14.4 (arm64)\n"
    _, results = diagnose.diagnose(old)
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "error.mps.dtype_unsupported"
    assert "2.1.2" in first.cause and "2.3" in first.cause
    ventura = said + "PyTorch version: 2.4.0\nOS: macOS 13.6.1 (arm64)\n"
    _, results = diagnose.diagnose(ventura)
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "error.mps.op_needs_newer_macos"
    assert "13.6.1" in first.cause and first.status is Status.WARN


# Messages torch's MPS kernels print for a case they refuse (verbatim from the reports named,
# or, where none is cited, as compiled into the wheels: tests/data/torch_wheels)
@pytest.mark.parametrize(
    ("text", "pid"),
    [
        # pytorch/pytorch#143864
        (
            "RuntimeError: Adaptive pool MPS: output sizes must be divisible by input sizes. "
            "Non-divisible input sizes are not implemented on MPS device yet. For now, you can "
            "manually transfer tensor to cpu in this case.",
            "mps.op_case_unsupported",
        ),
        (
            "RuntimeError: MPS device does not support mm for non-float inputs",
            "mps.op_case_unsupported",
        ),
        (
            "RuntimeError: Max pooling for complex is not supported for MPS",
            "mps.op_case_unsupported",
        ),
        ("RuntimeError: float64 is not supported on MPS", "mps.float64"),
        (
            "NotImplementedError: MPS does not support digamma_out op with scalar type: Double",
            "mps.float64",
        ),
    ],
)
def test_kernel_refusals_are_read(text: str, pid: str) -> None:
    found = known_errors.explain(text)
    assert found is not None and found.id == pid
    assert found.severity == "warn" and not found.environment


def test_a_question_about_float64_is_not_a_torch_message() -> None:
    assert known_errors.explain("I wonder if float64 is not supported on MPS at all?") is None


# The fix told instead of the error: torch's CPU fallback (invoke-ai/InvokeAI#1693, title and a
# comment), the allocator's watermark (index-tts/index-tts#414's comment; lllyasviel/Fooocus#980's
# comment), bfloat16's macOS floor (huggingface/accelerate#3373), float64 said of the Apple GPU.
@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        ("[bug]: PYTORCH_ENABLE_MPS_FALLBACK=1 is not set", "error.mps.op_not_implemented"),
        (
            "temporary work-around for those getting 'could not generate image' type errors on "
            "console when running on M1 Mac was for me to add the PYTORCH_ENABLE_MPS_FALLBACK "
            "setting into invoke.sh as suggested above.",
            "error.mps.op_not_implemented",
        ),
        (
            "Thanks, can confirm the torch MPS watermark threshold env var workaround works. 60% "
            "RAM usage over multiple runs is more than plenty headroom with the 256GB Mac Studio.",
            "error.mps.oom",
        ),
        (
            "Error when try to generate image on Mac OS (M1), Sonoma, 8gb RAM\n"
            'its work after i added this. in the launch.py: os.environ["PYTORCH_MPS_HIGH_'
            'WATERMARK_RATIO"] = "0.0"',
            "error.mps.oom",
        ),
        (
            "BF16: autocast is supported in pytorch 2.6. Also bf16 dtype is supported for MacOS "
            "14 + . Got it from pytorch source code here.\n`--device mps` on my M1",
            "error.mps.op_needs_newer_macos",
        ),
    ],
)
def test_a_fix_told_in_words_names_the_limit(text: str, rule_id: str) -> None:
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    assert first is not None and first.id == rule_id, [(r.id, r.status) for r in results]
    assert first.status is Status.WARN and first.evidence


@pytest.mark.parametrize(
    "text",
    [
        # the variable set and still failing (pytorch/pytorch#86195's kind)
        "I set PYTORCH_ENABLE_MPS_FALLBACK=1 but it still does not work on my M1",
        # a launcher that exports it, nothing told as a fix
        "#!/usr/bin/env sh\nexport PYTORCH_ENABLE_MPS_FALLBACK=1\nset -eu\n",
        # a watermark that did not help
        "Setting PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0 did not help on my M2, still crashes",
    ],
)
def test_the_variables_alone_or_not_helping_tell_no_fix(text: str) -> None:
    signs = _signs(text)
    assert "sign.fallback_fixed" not in signs and "sign.mps_oom_said" not in signs


def test_bf16_floor_words_with_a_newer_macos_shown_give_nothing() -> None:
    """The floor said while the paste shows macOS 14+: the words are general, not this Mac's."""
    text = "bf16 requires macOS 14 on MPS.\nOS: macOS 15.2 (arm64)\nPyTorch version: 2.5.1\n"
    _, results = diagnose.diagnose(text)
    assert not [r for r in results if r.id == "error.mps.op_needs_newer_macos"]


# an operator said unsupported on MPS in words: Vaibhavs10/insanely-fast-whisper#258's sentence
WHISPER_258 = (
    "While trying to run **Insanely Fast Whisper** on a Mac with Apple Silicon (using the MPS "
    "backend), I encountered a `NotImplementedError` related to sparse tensor operations. The "
    "error suggested that the operation `aten::_sparse_coo_tensor_with_dims_and_tensors` is not "
    "implemented for MPS.  "
)


def test_an_operator_said_unsupported_on_mps() -> None:
    clues = _signs(WHISPER_258).get("sign.op_said_unsupported")
    assert clues and "aten::_sparse_coo_tensor_with_dims_and_tensors" in clues[0].value


@pytest.mark.parametrize(
    "text",
    [
        # Lightning's MPS docs (Lightning-AI/pytorch-lightning#13123): no operator named
        "The MPS accelerator as well as the PyTorch backend are still very experimental. So far "
        "not all operations are supported, but more ops are coming every day due to development "
        "from the PyTorch Team.",
        # torch's DataLoader warning (torch/utils/data/dataloader.py): pinned memory, no op
        "UserWarning: 'pin_memory' argument is set as true but not supported on MPS now, then "
        "device pinned memory won't be used.",
        # a dtype refusal is the dtype rows' (torch's own text, pytorch/pytorch#141864)
        "TypeError: BFloat16 is not supported on MPS",
    ],
)
def test_no_operator_said_unsupported_without_an_operator(text: str) -> None:
    assert "sign.op_said_unsupported" not in _signs(text)


# the kinds of text read since holdout8/11 were studied, each verbatim from its public report
SAID_THIS_SESSION = [
    # lucidrains/imagen-pytorch#68: the words first, the aten op after, MPS on the same line
    (
        "Having changed the `.cuda()` calls in the example to `.to('mps')`, it seems some of "
        "Imagen's Torch calls are still unsupported, including `aten::bitwise_and.Tensor_out`.",
        "sign.op_said_unsupported",
    ),
    # ultralytics/yolov5#8508's title: torch's words without the fallback's "will fall back"
    (
        "The operator 'aten::nonzero' is not currently supported on the MPS backend",
        "sign.op_said_unsupported",
    ),
    # huggingface/smol-course#67's title: an OOM after the device, a question tagged on
    (
        "When running set_finetuning_example.ipynb on a MacBook on the mps backend I seem to be "
        "hitting an OOM, is this expected?",
        "sign.mps_oom_said",
    ),
    # huggingface/transformers#33717's title: memory said to leak on MPS
    ("Trainer class causes massive memory leak when using mps", "sign.mps_oom_said"),
    # ace-step/ACE-Step-1.5#1135: the watermark variable that made it run, an 8 GB M2
    (
        "Hi. I am on Apple Silicon M2 8GB. Not working without setting in gradio sh 'export "
        "PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0' and disabling update from git inside UPDATE "
        "variable.",
        "sign.mps_oom_said",
    ),
    ("It only works with PYTORCH_ENABLE_MPS_FALLBACK=1 set in the shell", "sign.fallback_fixed"),
    # ivanfioravanti/qwen-image-mps#5: an Apple chip's Mac said to run out of memory
    ("I have a 32GB Mac M4, runs out of memory. how can i run this?", "sign.mps_oom_said"),
    # mace-acsl/mace#93: "64 bit floats" without the hyphen, of the Apple GPU
    (
        "Since apple GPUs don't support 64 bit floats, so one needs to set `default_dtype=float32`",
        "sign.float64_said",
    ),
    # deepinv/deepinv#1177: the Apple GPU named by the Mac, not as MPS
    (
        "Some torch functions e.g. `torch.logspace` are unsupported on Apple silicon, leading "
        "`NotImplementedError` to errors.",
        "sign.op_said_unsupported",
    ),
    # 2noise/ChatTTS#96's title and xiumaoprompt/DeepSeek-OCR_macOS#4: memory said to blow up /
    # overflow on mps, in Chinese
    ("使用mps版本内存爆掉了，芯片：Apple M2 Pro", "sign.mps_oom_said"),  # noqa: RUF001
    (
        "于是我尝试将“config_macos.py”中的DEVICE替换为mps，对单张图片进行OCR的过程中内存溢出了"  # noqa: RUF001
        "（M3 Max, 64Gb），内存占用70多G并且还在增长",  # noqa: RUF001
        "sign.mps_oom_said",
    ),
]


@pytest.mark.parametrize(("text", "sign"), SAID_THIS_SESSION)
def test_limits_said_in_other_word_orders(text: str, sign: str) -> None:
    assert sign in _signs(text)


@pytest.mark.parametrize(
    "text",
    [
        # torch's own fallback warning (aten/src/ATen/mps/MPSFallback.mm): the op ran, on the CPU
        "UserWarning: The operator 'aten::repeat_interleave.self_int' is not currently supported "
        "on the MPS backend and will fall back to run on the CPU. This may have performance "
        "implications.",
        # the aten op said unsupported with no MPS on its line
        "some calls are still unsupported, including `aten::bitwise_and.Tensor_out`.",
        # asked, not told: a question that opens as one
        "Are you hitting an OOM on the mps backend, or is it something else?",
        # negated
        "No memory leak when using mps after the fix.",
        # a leak is no out-of-memory: 2noise/ChatTTS#742's slow run
        "因为pytorch对mps的适配不完善，mps运行时内存泄漏，导致大量时间用于写入磁盘缓存。",  # noqa: RUF001
        # the Mac named, but no Apple GPU: not an operator's kernel
        "`flash_attn` is not supported on Apple hardware yet.",
        # a chip number that is no Apple chip's, and a Mac's memory asked about, not said full
        "The M2 SSD ran out of space while the model ran out of memory on the server.",
        "Does a Mac M4 with 32GB run out of memory with this model?",
    ],
)
def test_limits_not_said(text: str) -> None:
    signs = _signs(text)
    assert "sign.op_said_unsupported" not in signs and "sign.mps_oom_said" not in signs


@pytest.mark.parametrize(
    ("text", "named", "not_said"),
    [
        # ZFTurbo/Mel-Band-Roformer-Vocal-Model#11, the PR description's own sentence: the past
        # tense, with the case between
        (
            "This PR adds support for apple silicon. `torch.scatter` wasn't supported with "
            "imaginary numbers on MPS, so I changed that according to a chatgpt suggestion",
            "torch.scatter",
            (),
        ),
        # hzwer/Practical-RIFE#146, the PR description's own sentence (an M4 user's finding):
        # MPS first, the operator's case after; a dtype or the device itself after the words is
        # another row's, or no operator
        (
            "Note that in `warplayer.py`, mps backend does not support `padding_mode='border'` in "
            "`torch.nn.functional.grid_sample` function. Switching to `padding_mode='zero'` while "
            "clamping `grid` to `(-1,1)` does the trick.",
            "grid_sample",
            ("MPS does not support float64 in torch.linalg", "mps does not support multi gpu"),
        ),
        # pytorch/pytorch#140718 (torch.lobpcg, whose Cholesky had no MPS kernel), the paste cut
        # before the error line: the title and the sentence verbatim; on another device, or the
        # class named with no device at all, nothing is said
        (
            "'lobcpg' gives an output on CPU but fails on GPU('mps')\n"
            "torch.lobcpg() produces an output with tensors when run on cpu however gives a "
            "'NotImplementedError' when run on GPU 'mps'\n",
            "NotImplementedError",
            (
                "gives a 'NotImplementedError' when run on cuda",
                "raises NotImplementedError for this layer",
            ),
        ),
        # Lightning-AI/pytorch-lightning#15713, the description's sentences verbatim (the device
        # between the feature and the words); the device itself, a dtype or an exception's class
        # before the words is no operator
        (
            "Multinode standalone not working on mps\n"
            "When running on  MPS capable devices, the multinode component sets "
            'accelerator="auto", devices="auto" and strategy="ddp" which will result in '
            "MPSAccelerator. \n"
            "Since distributed on MPS is not supported, it has to be run on CPU for all apple "
            "silicon platforms instead.\n",
            "distributed",
            (
                "float64 on MPS is not supported",
                "GPU on MPS is not available",
                "ValueError: these are not supported on the MPS accelerator",
            ),
        ),
    ],
)
def test_an_operator_said_unsupported_on_mps_is_the_op_row(text, named, not_said) -> None:
    clues = _signs(text).get("sign.op_said_unsupported")
    assert clues and named in clues[0].value
    _, results = diagnose.diagnose(text)
    assert diagnose.first_cause(results).id == "error.mps.op_not_implemented"
    for other in not_said:
        assert "sign.op_said_unsupported" not in _signs(other)


def test_one_macos_failing_and_a_newer_one_working_is_the_op_on_the_older_macos() -> None:
    # pytorch/pytorch#176159 (malfet's own issue), its title and sentence verbatim
    text = (
        "[MPS] `index_add_` is broken on MacOS-14 for transposed tensors\n\n"
        "x=torch.ones(3, 4, 5, device='mps').permute(1, 0, 2)\n"
        "Leaves tensor unchanged on MacOS-14, but works fine in 15 and later\n"
    )
    clues = _signs(text).get("sign.macos_fixed_by")
    assert clues and clues[0].value == "15"
    _, results = diagnose.diagnose(text)
    assert diagnose.first_cause(results).id == "error.mps.op_needs_newer_macos"
    # the newer macOS said to fail as well: no fix by a macOS
    assert "sign.macos_fixed_by" not in _signs(text.replace("but works fine", "and fails"))
    # as copied from GitHub's rendered page, the title's backquotes gone: the in-place
    # method's trailing underscore still names an operator
    rendered = text.replace("`", "")
    assert _signs(rendered)["sign.macos_fixed_by"][0].value == "15"
    assert diagnose.first_cause(diagnose.diagnose(rendered)[1]).id == (
        "error.mps.op_needs_newer_macos"
    )


def test_an_operator_said_to_have_no_mps_kernel() -> None:
    # Comfy-Org/comfy-kitchen#92's description, verbatim (torch._int_mm on an Apple silicon Mac):
    # the operator nearest the words is the one named, not the function that calls it
    text = (
        "int8 quantized checkpoints fail immediately on Apple Silicon. The eager backend lists "
        "`int8_linear` under native ops on MPS, but `fast_int8_mm` calls `torch._int_mm`, which "
        "has no MPS kernel. It dies at the first linear layer of step 0."
    )
    clues = _signs(text).get("sign.op_said_unsupported")
    assert clues and clues[0].value.startswith("`torch._int_mm`")
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    assert first.id in ("error.mps.op_not_implemented", "error.mps.op_needs_newer_torch")
    assert "_int_mm" in first.cause
    assert "sign.op_said_unsupported" not in _signs("This op has no MPS kernel yet?")


def test_mps_memory_named_and_running_out_said_apart_is_mps_out_of_memory() -> None:
    # numz/ComfyUI-SeedVR2_VideoUpscaler#363: MPS's memory in the title ("Absurd MPS (v)RAM usage
    # on VAE decoding"), "larger images OOM right away" in the first post
    text = corpus.load(
        Path(__file__).parent
        / "data"
        / "holdout330"
        / "SeedVR2_VideoUpscaler-363-mps-vae-decode-ram-oom.txt"
    ).text
    assert [c.value for c in _signs(text)["sign.mps_oom_said"]] == ["OOM"]
    first = diagnose.first_cause(diagnose.diagnose(text)[1])
    assert first is not None and first.id == "error.mps.oom"
    # either half alone says nothing of MPS running out of memory
    assert "sign.mps_oom_said" not in _signs("Absurd MPS (v)RAM usage on VAE decoding")
    assert "sign.mps_oom_said" not in _signs("larger images OOM right away on my PC")
