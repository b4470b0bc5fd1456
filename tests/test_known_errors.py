"""verify.known_errors against torch itself: every message a pattern cites is checked against the
strings of real PyPI wheels (tests/data/torch_wheels/, sha256-checked), real reports' text is
explained as the cause their threads established, and a real (CPU-only) torch's own errors for
'mps' are recognised. Issue 15 points 3, 4, 7 and issue 12 point 2."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import wheel_evidence
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from verify import known_errors
from verify import messages as msg

WHEELS = wheel_evidence.all_wheels()
BY_ID = {p.id: p for p in known_errors.PATTERNS}
NO_WHEEL_STRING = {
    "mps.not_built",  # compiled only into builds without MPS; docs' script text
    "mps.lightning_unavailable",  # Lightning's text, not torch's
    "mps.hf_mixed_precision",  # accelerate's and diffusers' texts, not torch's
    "mps.half_mixed_types",  # MPSGraph's (Apple's) verifier text, not torch's
    "mps.compile_unsupported",  # torch/_inductor (Python), not in the native libraries
    "mps.checkpoint_needs_newer_torch",  # torch/serialization.py (Python)
    "mps.dist_backend_needs_newer_torch",  # torch/distributed/distributed_c10d.py (Python)
    "mps.cuda_requested",  # torch/cuda/__init__.py, torch/amp/autocast_mode.py (Python)
    "mps.cuda_checkpoint",  # torch/serialization.py (Python)
    "mps.app_chose_cpu",  # applications' own log lines, not torch's
    "mps.app_step_on_cpu",  # applications' own log lines, not torch's
    "mps.torch_predates_name",  # the interpreter's AttributeError (verify/data/torch_names.json)
    "mps.amp_needs_newer_torch",  # torch/amp/autocast_mode.py (Python) and accelerate's texts
    "mps.duplicate_openmp",  # the OpenMP runtime's own text (libomp / libiomp5), not torch's
    "mps.workers_spawn",  # Python's pickle and multiprocessing texts, not torch's
    "mps.library_quarantined",  # macOS's dyld and Finder texts (Gatekeeper), not torch's
    "mps.apple_framework_off_mac",  # coremltools' text (Python), not torch's
    "mps.mlx_off_mac",  # the dynamic loader's text for MLX's library, not torch's
    "mps.no_distributed",  # Python's AttributeError / ImportError for torch/distributed
    # Convolution.cpp's check with the tensor types formatted in: the recorded strings keep
    # only messages that name MPS themselves
    "mps.dtype_mismatch",
    # the first MPS nightlies' check, in no release: `strings` on the 1.12.0 wheel's libraries
    # finds no "Placeholder buffer size" (its comment in verify.known_errors)
    "mps.fixed_in_newer_torch",
}


# patterns of a row id that has wheel strings elsewhere, whose own message names no MPS (so
# scripts/recipes/wheel_strings.py keeps none of it), by title
NO_WHEEL_STRING_TITLES = {
    # ": min and input tensors must be of the same shape": `strings` on the 1.12.0 / 1.12.1 /
    # 1.13.1 wheels' libtorch_cpu.dylib (verify.known_errors' comment)
    "clamp with broadcast bounds needs a newer PyTorch",
    # MetalPerformanceShaders' own assertion (Apple's framework, not torch's strings)
    "gather of this index shape refused by Apple's MPS",
    # transformers' generation/utils.py (Python) around torch.isin's missing MPS kernel
    "torch.isin on MPS (transformers' attention mask) needs PyTorch 2.4",
    # torch/csrc/StorageSharing.cpp, in libtorch_python (the recorded strings keep libtorch_cpu's
    # and libc10's MPS messages only)
    "MPS tensors cannot be shared between processes",
    # torch/csrc/Generator.cpp, in libtorch_python (its comment in verify.known_errors)
    "torch.Generator on MPS needs PyTorch 2.0",
}


def test_every_pattern_cites_where_torch_prints_it() -> None:
    for p in known_errors.PATTERNS:
        if p.id in NO_WHEEL_STRING or p.title in NO_WHEEL_STRING_TITLES:
            continue
        assert p.printed, p.id
        for pr in p.printed:
            assert pr.source.startswith(("aten/", "c10/")), (p.id, pr.source)
            SpecifierSet(pr.torch)  # a valid range
            assert not pr.report or pr.report.startswith("https://github.com/"), pr.report


@pytest.mark.parametrize(
    "printed",
    [
        pytest.param((p.id, pr), id=f"{p.id}:{pr.needle[:40]}")
        for p in known_errors.PATTERNS
        for pr in p.printed
    ],
)
def test_printed_range_is_exactly_the_wheels_that_carry_it(printed) -> None:
    """A pattern's message is in every recorded wheel of its torch range and in no other."""
    pid, pr = printed
    spec = SpecifierSet(pr.torch)
    carriers = {str(w.version) for w in WHEELS if w.has(pr.needle)}
    expected = {str(w.version) for w in WHEELS if w.version in spec}
    assert carriers == expected, (pid, pr.needle)


def complete_strings() -> list[tuple[str, str]]:
    """(pattern id, text) for each cited message that the wheels hold as a whole string: the
    very text torch prints (fragments of formatted messages end in a space and are left out)."""
    out = []
    for p in known_errors.PATTERNS:
        for pr in p.printed:
            if pr.needle.endswith((" ", ": ")) or not pr.needle[0].isupper():
                if not pr.needle.startswith(("torch.", "linalg.", "scatter_reduce")):
                    continue
            lines = {ln.split("\t", 1)[1] for w in WHEELS for ln in w.strings}
            if pr.needle in lines:
                out.append((p.id, pr.needle))
    return out


@pytest.mark.parametrize(("pid", "text"), complete_strings())
def test_each_compiled_message_is_explained_by_its_pattern(pid: str, text: str) -> None:
    found = known_errors.explain(text)
    assert found is not None and found.id == pid, (text, found)


# Real text from public reports (verbatim), with the pattern and severity their threads support.
REPORTS = [
    # https://github.com/pytorch/pytorch/issues/132110 (torch 2.4 on macOS 13.4: runs, warns)
    (
        "/opt/anaconda3/envs/andrej_gpt2/lib/python3.10/site-packages/torch/_tensor_str.py:138: "
        "UserWarning: MPS: nonzero op is supported natively starting from macOS 13.0. Falling back "
        "on CPU. This may have performance implications. (Triggered internally at "
        "/Users/runner/work/pytorch/pytorch/pytorch/aten/src/ATen/native/mps/operations/"
        "Indexing.mm:335.)",
        "mps.op_falls_back_on_old_macos",
        "warn",
    ),
    # https://github.com/invoke-ai/InvokeAI/issues/728 (PYTORCH_ENABLE_MPS_FALLBACK at work)
    (
        "/stable-diffusion/ldm/modules/embedding_manager.py:153: UserWarning: The operator "
        "'aten::nonzero' is not currently supported on the MPS backend and will fall back to run "
        "on the CPU. This may have performance implications. (Triggered internally at "
        "/Users/runner/work/_temp/anaconda/conda-bld/pytorch_1663657712311/work/aten/src/ATen/mps/"
        "MPSFallback.mm:11.)",
        "mps.op_runs_on_cpu",
        "warn",
    ),
    # https://github.com/pytorch/torchchat/issues/616
    (
        "TypeError: MPS BFloat16 is only supported on MacOS 14 or newer",
        "mps.op_needs_newer_macos",
        "fail",
    ),
    # https://github.com/invoke-ai/InvokeAI/issues/262 (torch 1.12: "not current implemented")
    (
        "NotImplementedError: The operator 'aten::_index_put_impl_' is not current implemented for "
        "the MPS device. If you want this op to be added in priority during the prototype phase of "
        "this feature, please comment on https://github.com/pytorch/pytorch/issues/77764. As a "
        "temporary fix, you can set the environment variable `PYTORCH_ENABLE_MPS_FALLBACK=1` to "
        "use the CPU as a fallback for this op. WARNING: this will be slower than running natively "
        "on MPS.",
        "mps.op_not_implemented",
        "warn",
    ),
    # https://github.com/huggingface/diffusers/issues/10986 (float64 frequencies made complex)
    (
        "`TypeError: Trying to convert ComplexDouble to the MPS backend but it does not have "
        "support for that dtype.`",
        "mps.float64",
        "warn",
    ),
    # https://github.com/pytorch/pytorch/issues/77781 (1.12.0.dev20220518: float64 itself)
    (
        "TypeError: Trying to convert Double to the MPS backend but there is no mapping for it.",
        "mps.float64",
        "warn",
    ),
    # https://github.com/pytorch/pytorch/issues/78042's title (1.13.0.dev20220521; fixed in the
    # next day's nightly, absent from the 1.12.0 wheel)
    (
        "Device MPS: -> RuntimeError Placeholder buffer size is not large enough to contain the "
        "Tensor storage of size",
        "mps.fixed_in_newer_torch",
        "warn",
    ),
    # https://github.com/AUTOMATIC1111/stable-diffusion-webui/issues/5127 (torchsde's generator
    # in the DPM++ SDE samplers, a torch before 2.0)
    (
        "RuntimeError: Device type MPS is not supported for torch.Generator() api.",
        "mps.op_needs_newer_torch",
        "fail",
    ),
    # https://github.com/ultralytics/ultralytics/issues/1728 (a Core ML model validated on
    # Ubuntu 18.04) and prisma-ai/torch2coreml#2 (coremltools 0.x's wording, on Linux)
    (
        "Exception: Model prediction is only supported on macOS version 10.13 or later.",
        "mps.apple_framework_off_mac",
        "fail",
    ),
    (
        "Exception: Model prediction is only supported on macOS version 10.13.",
        "mps.apple_framework_off_mac",
        "fail",
    ),
    # https://github.com/conda-forge/pytorch-cpu-feedstock/issues/46 (conda-forge's macOS build
    # without distributed), invoke-ai/InvokeAI#485 (an M1, miniconda) and Python 3.6's wording
    (
        "module 'torch.distributed' has no attribute 'init_process_group'",
        "mps.no_distributed",
        "fail",
    ),
    (
        "ImportError: cannot import name 'ReduceOp' from 'torch.distributed' "
        "(/Users/x/miniconda3/envs/ldm/lib/python3.9/site-packages/torch/distributed/__init__.py)",
        "mps.no_distributed",
        "fail",
    ),
    (
        "from torch.distributed import ReduceOp\nImportError: cannot import name 'ReduceOp'",
        "mps.no_distributed",
        "fail",
    ),
    # pytorch/pytorch#17900 (conda's pytorch 1.0.0 on a Mac): the attribute is_available() asks
    (
        "AttributeError: module 'torch._C' has no attribute '_c10d_init'",
        "mps.no_distributed",
        "fail",
    ),
    # pytorch/pytorch#105093 (an M2, mmcv's scatter): a function only CUDA builds compile in
    (
        "AttributeError: module 'torch._C' has no attribute '_scatter'",
        "mps.cuda_requested",
        "warn",
    ),
    # https://github.com/apple/ml-simplefold/issues/11 (MLX imported on a Linux server; the
    # Linux wheel's library comes with its cpu / cuda extras)
    (
        "causing `ImportError: libmlx.so: cannot open shared object file`.",
        "mps.mlx_off_mac",
        "fail",
    ),
    # https://github.com/welltop-cn/ComfyUI-TeaCache/issues/26 (torch.compile's Metal codegen
    # has no float64: torch/_inductor/codegen/mps.py DTYPE_TO_METAL)
    (
        '  File "/opt/miniconda3/envs/comfyenv_py312/lib/python3.12/site-packages/torch/_inductor/'
        'codegen/mps.py", line 257, in dtype_to_str\n    return DTYPE_TO_METAL[dtype]\n'
        "           ~~~~~~~~~~~~~~^^^^^^^\n"
        "torch._inductor.exc.InductorError: KeyError: torch.float64",
        "mps.float64",
        "warn",
    ),
    # https://github.com/pytorch/pytorch/issues/166426 (torch 2.8, a sparse CSR tensor on mps)
    (
        "NotImplementedError: Could not run 'new_compressed_tensor' from the 'mps:0' device.)",
        "mps.op_not_implemented",
        "warn",
    ),
    # https://github.com/rasbt/machine-learning-notes/issues/4 (torch before 1.12)
    (
        "RuntimeError: Expected one of cpu, cuda, xpu, mkldnn, opengl, opencl, ideep, hip, ve, "
        "ort, mlc, xla, lazy, vulkan, meta, hpu device type at start of device string: mps",
        "mps.torch_too_old",
        "fail",
    ),
    # https://github.com/pytorch/pytorch/issues/177819
    (
        "RuntimeError: The MPS backend is supported on macOS 14.0+. Current OS version can be "
        "queried using `sw_vers`",
        "mps.macos_too_old",
        "fail",
    ),
    # https://github.com/pytorch/pytorch/issues/104191 (torch 2.0.1)
    (
        "TypeError: Trying to convert BFloat16 to the MPS backend but it does not have support for "
        "that dtype.",
        "mps.dtype_unsupported",
        "warn",
    ),
    # https://github.com/generative-computing/mellea/issues/421 (torch 2.7.0 pinned, a MacBook;
    # accelerate/utils/modeling.py's get_grad_scaler)
    (
        "ValueError: Grad Scaler with MPS device requires a Pytorch >= 2.8.0",
        "mps.amp_needs_newer_torch",
        "warn",
    ),
    # https://github.com/huggingface/accelerate/issues/3718 (M2 Pro, accelerate 1.9.0, torch 2.6)
    (
        "ValueError: fp16 mixed precision requires a GPU (not 'mps').",
        "mps.hf_mixed_precision",
        "fail",
    ),
    # https://github.com/MIC-DKFZ/nnUNet/issues/2244 (M3 Max, torch.compile on mps)
    (
        "torch._dynamo.exc.BackendCompilerFailed: backend='inductor' raised:\n"
        "AssertionError: Device mps not supported",
        "mps.compile_unsupported",
        "fail",
    ),
    # https://github.com/lllyasviel/Fooocus/issues/690 (an M1, macOS 14.0)
    (
        "`Device mps:0 does not support the torch.fft functions used in the FreeU node, "
        "switching to CPU.",
        "mps.app_step_on_cpu",
        "warn",
    ),
    # https://github.com/flairNLP/flair/issues/3506 (torch 2.3.1; gone on torch 2.5.0)
    (
        "RuntimeError: User specified an unsupported autocast device_type 'mps'",
        "mps.amp_needs_newer_torch",
        "warn",
    ),
    # https://github.com/pytorch/pytorch/issues/149537 (torch 2.6.0 on an M2 Ultra)
    (
        "> ValueError: We detected accelerator mps on your machine. But we don't know which "
        "communication backend to use for this accelerator. Please specify the `backend` argument "
        "in the `init_process_group` call.",
        "mps.dist_backend_needs_newer_torch",
        "warn",
    ),
    # https://github.com/kijai/ComfyUI-LivePortraitKJ/issues/94 (ComfyUI's log, torch 2.3.1)
    (
        "!!! Exception during processing!!! **User specified an unsupported autocast device_type "
        "'mps'**",
        "mps.amp_needs_newer_torch",
        "warn",
    ),
    # https://github.com/mcmonkeyprojects/sd-dynamic-thresholding/issues/15 (torch 1.12.1)
    (
        "Mac M1 Error - min and input tensors must be of the same shape",
        "mps.op_needs_newer_torch",
        "fail",
    ),
    # https://github.com/dbolya/tomesd/issues/4 (Apple's gatherND assertion, an M1)
    (
        "/AppleInternal/Library/BuildRoots/c651a45f-806e-11ed-a221-7ef33c48bc85/Library/"
        "Caches/com.apple.xbs/Sources/MetalPerformanceShaders/MPSNDArray/Kernels/"
        "MPSNDArrayGatherND.mm:234: failed assertion `Rank of updates array (1) must be "
        "greater than or equal to inner-most dimension of indices array (2048)'",
        "mps.op_case_unsupported",
        "warn",
    ),
    # https://github.com/huggingface/accelerate/issues/4226 (the limit set low on purpose)
    (
        "RuntimeError: MPS backend out of memory (MPS allocated: 0 bytes, other allocations: "
        "448.00 KiB, max allowed: 242.48 MiB). Tried to allocate 256.00 MiB on shared pool. Use "
        "PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0 to disable upper limit for memory allocations (may "
        "cause system failure).",
        "mps.oom",
        "warn",
    ),
    # the same under a limit of gigabytes is the Mac's memory
    # (https://github.com/mattmireles/gemma-tuner-multimodal/issues/18)
    (
        "RuntimeError: MPS backend out of memory (MPS allocated: 9.48 GiB, other allocations: "
        "480.00 KiB, max allowed: 9.47 GiB).",
        "mps.oom",
        "fail",
    ),
    # https://github.com/zai-org/GLM-4/issues/210 (transformers' wrapper: torch.isin on MPS)
    (
        "ValueError: Can't infer missing attention mask on mps device. Please provide an "
        "attention_mask or use a different device.",
        "mps.op_needs_newer_torch",
        "fail",
    ),
    # https://github.com/adieyal/sd-dynamic-prompts/issues/740
    ('"TypeError: BFloat16 is not supported on MPS"', "mps.bfloat16_unsupported", "fail"),
    # the kernels' complex checks, which name no device: facebookresearch/sam2's video inference
    # (SAMv2#14) and ZFTurbo's mel_band_roformer (SUC-DriverOld/MSST-WebUI#81)
    ("RuntimeError: repeat(): Not supported for complex yet!", "mps.op_case_unsupported", "warn"),
    ("RuntimeError: scatter(): Yet not supported for complex", "mps.op_case_unsupported", "warn"),
    # index_add_mps_out's int64 check (sktime/pytorch-forecasting#1309)
    (
        "RuntimeError: index_add(): Expected non int64 dtype for source.",
        "mps.op_case_unsupported",
        "warn",
    ),
    # index_put with accumulate on a bfloat16 tensor (QwenLM/Qwen3-Embedding#49, verbatim)
    (
        "RuntimeError: Expected scalar_type == ScalarType::Float || inputTensor.scalar_type() "
        "== ScalarType::Int || scalar_type == ScalarType::Bool to be true, but got false.",
        "mps.op_case_unsupported",
        "warn",
    ),
    # two OpenMP runtimes (kuprel/min-dalle#12's title, verbatim; pytorch/vision#6087)
    (
        "OMP: Error #15: Initializing libiomp5.dylib, but found libomp.dylib already initialized.",
        "mps.duplicate_openmp",
        "fail",
    ),
    # Gatekeeper refusing a downloaded, unsigned library, verbatim: dyld's text
    # (opendreamnet/dreampower#107), newer macOS's (opensim-org/opensim-core#4238) and Finder's
    # dialogs (pytorch/pytorch#120606's title; dreampower#107's; FaceRecognitionDotNet#177's)
    (
        "/Users/123/Downloads/DreamPower-v1.3.0-canary-macos-cpuonly/libiomp5.dylib: code "
        "signature in (/Users/123/Downloads/DreamPower-v1.3.0-canary-macos-cpuonly/libiomp5.dylib) "
        "not valid for use in process using Library Validation: library load disallowed by "
        "system policy",
        "mps.library_quarantined",
        "fail",
    ),
    (
        "libSimTKcommon.3.8.dylib' not valid for use in process: library load disallowed by "
        "system policy",
        "mps.library_quarantined",
        "fail",
    ),
    (
        "\u201clibc10.dylib\u201d can\u2019t be opened because Apple cannot check it for malicious "
        "software.",
        "mps.library_quarantined",
        "fail",
    ),
    (
        "When I try open dreampower on Mac OS, I have this error **\u00ablibiomp5.dylib\u00bb is "
        "damaged and can't be opened**. How can I fix this?",
        "mps.library_quarantined",
        "fail",
    ),
    (
        'Mac os 11 "libDlibDotNetNativeDnn.dylib" cannot be opened because the developer can not '
        "be verified",
        "mps.library_quarantined",
        "fail",
    ),
    # MPSNDArraySort's axis limit on a 5-D tensor (huchenlei/ComfyUI-layerdiffuse#20, verbatim)
    (
        "/AppleInternal/Library/BuildRoots/2acced82-df86-11ed-9b95-428477786501/Library/Caches/"
        "com.apple.xbs/Sources/MetalPerformanceShaders/MPSNDArray/Kernels/MPSNDArraySort.mm:283: "
        'failed assertion `(null)" Axis = 4. This class only supports axis = 0, 1, 2, 3',
        "mps.op_case_unsupported",
        "warn",
    ),
    # MPSGraphExecutable fed bfloat16 for a float32 graph (hvoss-tech/AutoForge#35)
    (
        "MPSGraphExecutable.mm:2565: failed assertion `Incompatible element type for parameter "
        "at index 1, mlir module expected element type f32 but received bf16'",
        "mps.half_mixed_types",
        "warn",
    ),
    # the device-generic checks with an MPS tensor and a CPU one: DanielAvdar/tabnet#277,
    # m87-labs/moondream#282, Gourieff/comfyui-reactor-node#77 (verbatim)
    (
        "RuntimeError: Tensor for argument #2 'mat2' is on CPU, but expected it to be on MPS "
        "(while checking arguments for mm)",
        "mps.device_mismatch",
        "warn",
    ),
    (
        "RuntimeError: torch.cat(): all input tensors must be on the same device. Received cpu "
        "and mps:0",
        "mps.device_mismatch",
        "warn",
    ),
    (
        "RuntimeError: slow_conv2d_forward_mps: input(device='cpu') and weight(device=mps:0')  "
        "must be on the same device",
        "mps.device_mismatch",
        "warn",
    ),
    # Metal's own out-of-memory, as MLX prints it (ml-explore/mlx#479: mx.eye(28000) on an 8 GB
    # Mac), as llama.cpp logs it (ggml-org/llama.cpp#7010) and as Metal's debug layer says it
    # (gfx-rs/wgpu#9545), verbatim
    (
        "libc++abi: terminating due to uncaught exception of type std::runtime_error: [METAL] "
        "Command buffer execution failed: Insufficient Memory "
        "(00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)",
        "mps.oom",
        "fail",
    ),
    (
        "ggml_metal_graph_compute: command buffer 6 failed with status 5\n"
        "error: Insufficient Memory (00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)",
        "mps.oom",
        "fail",
    ),
    (
        "Execution of the command buffer was aborted due to an error during execution. "
        "Insufficient Memory (00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)",
        "mps.oom",
        "fail",
    ),
]


def test_a_command_buffer_that_failed_for_another_reason_is_not_out_of_memory() -> None:
    # AUTOMATIC1111/stable-diffusion-webui#9973 and WebODM/OpenSplat#198 (verbatim): MPS's log of
    # a failed command buffer whose Metal error is an internal one, not memory
    text = (
        "Error: command buffer exited with error status.\n"
        "\tThe Metal Performance Shaders operations encoded on it may not have completed.\n"
        "\tError: \n"
        "\t(null)\n"
        "\tInternal Error (0000000e:Internal Error)\n"
    )
    assert all(e.id != "mps.oom" for e in known_errors.explain_all(text))
    # torch 2.15's raise of it names Metal's description after its own words (MPSStream.mm)
    found = known_errors.explain(
        "RuntimeError: MPS command buffer execution failed: Insufficient Memory "
        "(00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)"
    )
    assert found is not None and found.id == "mps.oom"
    assert found.title == "Metal out of GPU memory"


@pytest.mark.parametrize(("text", "pid", "severity"), REPORTS)
def test_real_reports_are_explained(text: str, pid: str, severity: str) -> None:
    found = known_errors.explain(text)
    assert found is not None and found.id == pid
    assert found.severity == severity


def test_sharing_a_tensor_between_processes_counts_where_mps_is_named() -> None:
    # pytorch/rl#3066, the title and the traceback's last line verbatim: the message names no
    # device (XPU storages meet it too), so the Mac or MPS must be named elsewhere
    error = "RuntimeError: _share_filename_: only available on CPU"
    found = known_errors.explain("[BUG] Data collection error on M1 Macs\n" + error)
    assert found is not None and found.id == "mps.op_case_unsupported"
    assert found.title == "MPS tensors cannot be shared between processes"
    assert not found.environment  # the workload's hand-over, not the setup
    assert known_errors.explain("[BUG] Data collection error on XPU\n" + error) is None
    # the traceback frame of that method is no message
    frame = "line 526, in _share_filename_cpu_\n    return super()._share_filename_cpu_(*args)"
    assert known_errors.explain("on my M1 Mac\n" + frame) is None


def test_workers_spawned_on_macos_that_cannot_pickle_or_restart_the_script() -> None:
    # yizhiwang96/deepvecfont#3 (OS X, DataLoader workers and a lambda), the title and the
    # description's first line verbatim; Python's pickle and multiprocessing words name no device
    title = "AttributeError: Can't pickle local object 'get_loader.<locals>.<lambda>'"
    said = (
        "Just a note for anyone attempting to train the model on OS X and coming across this "
        "error message"
    )
    found = known_errors.explain(f"{title}\n{said}")
    assert found is not None and found.id == "mps.workers_spawn"
    assert found.severity == "warn" and not found.environment and "num_workers=0" in found.fix.text
    assert "__main__" in found.fix.text
    assert known_errors.explain(title) is None  # no Mac named: fork or spawn is not known
    # spawn's own refusal (multiprocessing/spawn.py), the words wrapped as Python prints them
    bootstrap = (
        "RuntimeError:\n        An attempt has been made to start a new process before the\n"
        "        current process has finished its bootstrapping phase."
    )
    found = known_errors.explain(f"on my MacBook M2\n{bootstrap}")
    assert found is not None and found.id == "mps.workers_spawn"


@pytest.mark.parametrize(
    ("text", "pid"),
    [
        # deforum/sd-webui-deforum#394's title: the half cast applied for "cuda" only
        (
            "[Bug]: Input type (MPSFloatType) and weight type (MPSHalfType) should be the same",
            "mps.dtype_mismatch",
        ),
        # bmaltais/kohya_ss#1077's line: fp16 training mixing half inputs with float weights
        (
            "RuntimeError: Input type (MPSHalfType) and weight type (MPSFloatType) should be the "
            "same",
            "mps.dtype_mismatch",
        ),
        # sczhou/CodeFormer-pip#3's title: the weights left on the CPU
        (
            "Input type (MPSFloatType) and weight type (torch.FloatTensor) should be the same",
            "mps.device_mismatch",
        ),
    ],
)
def test_the_convolutions_type_check_on_mps_is_the_codes_mismatch(text: str, pid: str) -> None:
    found = known_errors.explain(text)
    assert found is not None and found.id == pid
    assert found.severity == "warn" and not found.environment  # the code's, not the setup's
    # the same types on both sides, or two CPU tensors, are no mismatch of these
    same = "Input type (MPSFloatType) and weight type (MPSFloatType) should be the same"
    cpu = "Input type (torch.FloatTensor) and weight type (torch.HalfTensor) should be the same"
    assert known_errors.explain(same) is None and known_errors.explain(cpu) is None


def test_fallback_warnings_are_not_environment_failures() -> None:
    """Issue 15 point 3: an op that falls back to the CPU ran; that is a warning about speed."""
    for pid in ("mps.op_falls_back_on_old_macos", "mps.op_runs_on_cpu"):
        assert BY_ID[pid].severity == "warn" and not BY_ID[pid].environment
    text = REPORTS[0][0]
    ids = [e.id for e in known_errors.explain_all(text)]
    assert ids == ["mps.op_falls_back_on_old_macos"]
    # the same words without "Falling back" are an error (BinaryOps.mm's TORCH_CHECK)
    err = known_errors.explain(
        "RuntimeError: MPS: power op with int64 input is supported natively starting from "
        "macOS 13.2"
    )
    assert err is not None and err.id == "mps.op_needs_newer_macos" and err.severity == "fail"


@pytest.mark.parametrize(
    ("text", "macos"),
    [
        ("torch.int32 is only supported on MacOS15+", "15"),
        ("linalg.matrix_exp on MPS requires macOS 15.0 or newer", "15.0"),
        ("scatter_reduce(amin/amax) on int64 requires macOS 15 or newer", "15"),
        ("FFT operations are only supported on MacOS 14+", "14"),
        ("MPS complex types are only supported on MacOS 14.0 or newer.", "14.0"),
        (
            "MPS does not support cumsum op with int64 input. Support has been added in macOS 13.3",
            "13.3",
        ),
    ],
)
def test_macos_gates_name_their_macos(text: str, macos: str) -> None:
    found = known_errors.explain(f"RuntimeError: {text}")
    assert found is not None and found.id == "mps.op_needs_newer_macos"
    assert known_errors.required_macos(found) == macos


def test_op_coverage_link_follows_the_torch_version() -> None:
    """Issue 15 point 4: from torch 2.6 the message points to #141287, before to #77764."""
    for w in WHEELS:
        if w.version < Version("1.12"):
            continue
        names_new = w.has("issues/141287")
        assert names_new != w.has("issues/77764"), w.wheel
        expected = msg.OP_COVERAGE_ISSUE_NEW if names_new else msg.OP_COVERAGE_ISSUE_OLD
        assert msg.op_coverage_issue(str(w.version)) == expected, w.wheel
    bare = (
        "NotImplementedError: The operator 'aten::foo' is not currently implemented for the MPS "
        "device."
    )
    assert known_errors.explain(bare, "2.5.1").fix.url == msg.OP_COVERAGE_ISSUE_OLD
    assert known_errors.explain(bare, "2.13.0").fix.url == msg.OP_COVERAGE_ISSUE_NEW
    named = known_errors.explain(REPORTS[3][0], "2.13.0")
    assert named.fix.url == msg.OP_COVERAGE_ISSUE_OLD  # the issue the message itself names


def _raise(func) -> str:
    try:
        func()
    except Exception as exc:  # torch raises RuntimeError or NotImplementedError
        return f"{type(exc).__name__}: {exc}"
    pytest.skip("this torch has an MPS device")


@pytest.mark.parametrize(
    "call",
    [
        lambda torch: torch.zeros(1).to("mps"),
        lambda torch: torch.zeros(1, device="mps"),
        lambda torch: torch.mps.synchronize(),
    ],
    ids=["to-mps", "factory-on-mps", "mps-synchronize"],
)
def test_a_torch_without_mps_is_recognised(call) -> None:
    """Real torch here is a Linux CPU build: its own errors for 'mps' read as 'built without
    MPS', never as a macOS or memory problem."""
    torch = pytest.importorskip("torch")
    if torch.backends.mps.is_built():
        pytest.skip("this torch is built with MPS")
    text = _raise(lambda: call(torch))
    found = known_errors.explain(text)
    assert found is not None and found.id == "mps.not_linked", text
    assert "x86_64" not in found.cause


def test_wheel_messages_name_macos_only_through_known_patterns() -> None:
    """Every compiled string of the arm64 wheels that refuses an op or dtype below a macOS
    version ("only supported on macOS", "requires macOS") is explained: nothing that names a
    macOS floor slips through. (The "supported natively starting from macOS X. " halves of the
    fallback warnings are completed at run time with "Falling back on CPU...".)"""
    gate = re.compile(
        r"(?i:only supported on mac ?os|requires mac ?os)|supported starting from MacOS"
    )
    for w in wheel_evidence.arm64():
        for line in w.strings:
            text = line.split("\t", 1)[1]
            if gate.search(text):
                assert known_errors.explain(text) is not None, (w.wheel, text)


def test_cuda_less_fp16_refusal_is_not_read_as_mps() -> None:
    """accelerate's message without "(not 'mps')" comes from a machine with no CUDA GPU
    (bmaltais/kohya_ss#719, on Windows): no MPS finding for it."""
    text = 'raise ValueError(err.format(mode="fp16", requirement="a GPU"))\n'
    text += "ValueError: fp16 mixed precision requires a GPU"
    assert known_errors.explain(text) is None


def test_a_message_inside_a_string_literal_is_read_as_printed():
    # a traceback quoted through repr() / a JSON log: \' and \n instead of ' and a line break
    quoted = (
        "'Traceback (most recent call last):\\n  ...\\nNotImplementedError: The operator "
        "\\'aten::roll\\' is not currently implemented for the MPS device. If you want this op "
        "to be added in priority during the prototype phase of this feature, please comment on "
        "https://github.com/pytorch/pytorch/issues/77764.\\n'"
    )
    (known,) = known_errors.explain_all(quoted)
    assert known.id == "mps.op_not_implemented"
    assert known.match.startswith("The operator 'aten::roll' is not currently implemented")
    assert known.fix.url == "https://github.com/pytorch/pytorch/issues/77764"
    assert known_errors.unescaped("C:/plain text") == "C:/plain text"


def test_a_message_wrapped_at_a_terminals_width_is_read_joined():
    # huggingface/diffusers#10986's message, wrapped at 80 columns as a narrow terminal or rich's
    # traceback prints it
    wrapped = (
        "TypeError: Trying to convert ComplexDouble to the MPS backend but it does not have\n"
        "support for that dtype."
    )
    found = known_errors.explain_all(wrapped)
    assert [e.id for e in found] == ["mps.float64"]
    # a short line is no wrapped one: two messages' halves are not joined
    assert known_errors.explain_all("Trying to convert ComplexDouble\nto the MPS backend") == []


def test_a_wrapped_message_whose_first_line_reads_alone_is_explained_once():
    # MPSAllocator.mm's out-of-memory over three lines, as a GitHub-hosted macOS runner's log
    # shows it (lululxvi/deepxde#1973): its first line alone reads as mps.oom, the lines joined
    # as mps.no_gpu_memory (nothing allocated); one message, one row
    wrapped = (
        "RuntimeError: MPS backend out of memory (MPS allocated: 0 bytes, other allocations: 0 "
        "bytes, max allowed: 7.93 GB).\nTried to allocate 256 bytes on shared pool.\n"
        "Use PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0 to disable upper limit for memory allocations "
        "(may cause system failure).\n"
    )
    assert len(known_errors.explain_all(wrapped)) == 1


def test_the_out_of_memory_advice_cut_short_as_a_title_is_read():
    # pytorch/pytorch#152351's title
    found = known_errors.explain("Use PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0 to disable upper limit")
    assert found is not None and found.id == "mps.oom"


# MPSGraph's element-type refusals, as users pasted them: a float16 / float32 mix is half
# precision the kernel did not cast (Comfy-Org/ComfyUI#3084, vladmandic/sdnext#337 with the
# float32 side first, AUTOMATIC1111/stable-diffusion-webui#1890's verifier form); a float32 /
# int64 mix is another bug (pytorch/pytorch#100717) and is not read as half precision
_VARIANCE_EPS = (
    'loc("varianceEps"("(mpsFileLoc): /AppleInternal/Library/BuildRoots/ce725a5f-c761-11ee-a4ec-'
    "b6ef2fd8d87b/Library/Caches/com.apple.xbs/Sources/MetalPerformanceShadersGraph/mpsgraph/"
    'MetalPerformanceShadersGraph/Core/Files/MPSGraphUtilities.mm":233:0)): error: input types '
    "'tensor<1x257x1xf16>' and 'tensor<1xf32>' are not broadcast compatible\n"
    "LLVM ERROR: Failed to infer result type(s)."
)
_MPS_ADD = (
    'loc("mps_add"("(mpsFileLoc): /AppleInternal/Library/BuildRoots/97f6331a-ba75-11ed-a4bc-'
    "863efbbaf80d/Library/Caches/com.apple.xbs/Sources/MetalPerformanceShadersGraph/mpsgraph/"
    'MetalPerformanceShadersGraph/Core/Files/MPSGraphUtilities.mm":228:0)): error: input types '
    "'tensor<2x1280xf32>' and 'tensor<1280xf16>' are not broadcast compatible"
)
_VERIFIER = (
    "(mpsFileLoc): /AppleInternal/Library/BuildRoots/9e200cfa-7d96-11ed-886f-a23c4f261b56/Library/"
    "Caches/com.apple.xbs/Sources/MetalPerformanceShadersGraph/mpsgraph/"
    "MetalPerformanceShadersGraph/Core/Files/MPSGraphUtilities.mm:228:0: error: 'mps.add' op "
    "requires the same element type for all operands and results\n"
    "(mpsFileLoc): /AppleInternal/Library/BuildRoots/9e200cfa-7d96-11ed-886f-a23c4f261b56/Library/"
    "Caches/com.apple.xbs/Sources/MetalPerformanceShadersGraph/mpsgraph/"
    "MetalPerformanceShadersGraph/Core/Files/MPSGraphUtilities.mm:228:0: note: see current "
    'operation: %5 = "mps.add"(%4, %arg2) : (tensor<2x4096x640xf16>, tensor<*xf32>) -> '
    "tensor<*xf16>"
)

# batch_norm with float32 statistics and a float16 input (pytorch/pytorch#154887, verbatim)
_BATCH_NORM = (
    'loc("mps_normalization"("(mpsFileLoc): /AppleInternal/Library/BuildRoots/79ef05cb-ffe7-11ef-'
    "b000-f2a857e00a32/Library/Caches/com.apple.xbs/Sources/MetalPerformanceShadersGraph/mpsgraph/"
    'MetalPerformanceShadersGraph/Core/Files/MPSGraphUtilities.mm":45:0)): error: output type '
    "'tensor<2x3x4xf16>' and mean type 'tensor<1x3x1xf32>' are not broadcast compatible\n"
    "LLVM ERROR: Failed to infer result type(s)."
)


@pytest.mark.parametrize("text", [_VARIANCE_EPS, _MPS_ADD, _VERIFIER, _BATCH_NORM])
def test_half_and_float32_in_one_mpsgraph_op_is_half_precision(text):
    ids = [e.id for e in known_errors.explain_all(text)]
    assert ids == ["mps.half_mixed_types"]
    assert known_errors.explain_all(text)[0].severity == "warn"


def test_a_graph_fed_its_own_precision_is_not_half_precision():
    same = (
        "failed assertion `Incompatible element type for parameter at index 0, mlir module "
        "expected element type f16 but received f16'"
    )
    assert "mps.half_mixed_types" not in [e.id for e in known_errors.explain_all(same)]


def test_float32_and_int64_in_one_mpsgraph_op_is_not_half_precision():
    text = _MPS_ADD.replace("1280xf16", "1280xsi64")
    assert "mps.half_mixed_types" not in [e.id for e in known_errors.explain_all(text)]
    text = _BATCH_NORM.replace("1x3x1xf32", "1x3x1xsi64")
    assert "mps.half_mixed_types" not in [e.id for e in known_errors.explain_all(text)]
    verifier = _VERIFIER.replace("640xf16>, tensor", "640xsi64>, tensor")
    assert "mps.half_mixed_types" not in [e.id for e in known_errors.explain_all(verifier)]


def test_a_message_inside_code_that_prints_it_is_no_error_shown():
    # kha-white/manga-ocr#29 (a feature request quoting the MPS notes' check), verbatim lines
    code = (
        "if not torch.backends.mps.is_available():\n"
        '        print("MPS not available because the current MacOS version is not 12.3+ "\n'
        '              "and/or you do not have an MPS-enabled device on this machine.")\n'
    )
    assert known_errors.explain_all(code) == []
    # what that code prints is the message itself
    printed = (
        "MPS not available because the current MacOS version is not 12.3+ and/or you do not "
        "have an MPS-enabled device on this machine.\n"
    )
    assert [e.id for e in known_errors.explain_all(printed)] == ["mps.macos_too_old"]


# Whole strings of the recorded wheels that name MPS but are no finding for a user's paste, each
# with why. Everything else whole in tests/data/torch_wheels must be explained by a pattern
# (test below): a new torch's new MPS message fails it until it is read or set aside here.
_TAIL = "the tail of a message assembled at run time, whose pattern reads the whole"
_INTERNAL = "an internal invariant or developer check that no user call reaches with a cause"
_PROFILER = "the MPS profiler's or event timer's own diagnostics"
_UNAVAILABLE = "MPS unavailable with no cause named: the paste's other facts decide (mps.available)"
SET_ASIDE: dict[str, str] = {
    "on the MPS backend and will fall back to run on the CPU.": _TAIL,
    "please comment on https://github.com/pytorch/pytorch/issues/141287 and mention use-case, "
    "that resulted in missing op": _TAIL,
    "File a feature request for this use case against the MPS backend at "
    "https://github.com/pytorch/pytorch/issues": _TAIL,
    "on MPS.": _TAIL,
    "MPS: dot op doesn't support int64 input": _TAIL + ' ("... on MacOS13")',
    "@  MPS": "a profiler label",
    "kthvalue MPS": "a profiler label",
    "CPU to MPS": "a copy-direction label of the profiler",
    "MPS to CPU": "a copy-direction label of the profiler",
    "MPS to MPS": "a copy-direction label of the profiler",
    "MPS to CH": "a copy-direction label of the profiler",
    "MPS to MH": "a copy-direction label of the profiler",
    "Cannot install SIGINT handler for MPSProfiler.": _PROFILER,
    "There are no MPS operations logged for profiling": _PROFILER,
    "unknown SignpostType in MPS profiler": _PROFILER,
    "MPS event timing failed because the GPU work for an event did not complete": _PROFILER,
    "Timing-enabled MPS events must commit when recorded": _PROFILER,
    "invalid argument to isOnMacOS13orNewer()": _INTERNAL,
    "mps_linear_backward: grad_output needs to be mps layout": _INTERNAL,
    "Expected _stream.device_type() == DeviceType::MPS to be true, but got false.  (Could this "
    "error message be improved?  If so, please report an enhancement request to PyTorch.)": (
        _INTERNAL
    ),
    "mps_copy_ is implemented only for *->MPS; MPS->*": _INTERNAL,
    "Unsupported scalar type on MPS backend.": _INTERNAL,
    "getHostAliasStorage: storage was not allocated by the MPSAllocator": _INTERNAL,
    "Cannot map Backend SparseCsr(CPU|CUDA|HIP|VE|XPU|MPS) to a unique layout.": _INTERNAL,
    "DispatchStub: missing MPS kernel": _INTERNAL,
    "MPS device expected": _INTERNAL,
    "Output tensor is not MPS": _INTERNAL,
    "Not implemented for MPS": _INTERNAL,
    "MPS pinned allocator: failed to map shared buffer": _INTERNAL,
    "as_strided_tensorimpl does not work with MPS; call self.as_strided(...) instead": (
        _INTERNAL + " (a TORCH_INTERNAL_ASSERT in aten/src/ATen/native/TensorShape.cpp)"
    ),
    "MPS QR requires tensors addressable with 32-bit indices": _INTERNAL,
    "MPS _scaled_mm_v2 requires m, n and k to fit in int32": _INTERNAL,
    "MPS does not support swizzle.": _INTERNAL,
    "sparse_mask: expected tensors to be on MPS device": _INTERNAL,
    "sparse_mask_projection: expected MPS tensors": _INTERNAL,
    "sparse_sparse_matmul_mps: both inputs must be on MPS device": _INTERNAL,
    "MPS mm implementation has a known issue with this shape, dtype and slice. Dispatching to "
    "metal implementation instead. This may impact performance.": "a performance note, no failure",
    "Failed to allocate memory on MPS device": "AOTInductor's runtime (aoti_torch_mps_malloc)",
    "MPS backend is not available.": _UNAVAILABLE,
    "MPS allocator is not available": _UNAVAILABLE,
    "MPSDeviceAllocator requires MPS.": _UNAVAILABLE,
    "Failed to get MPS device": _UNAVAILABLE,
    # torch 2.0's casts of int64 min / max and reductions to int32 (operations/ReduceOps.mm): a
    # warning, the step runs. Read as a cause it came first in the three real reports that hold
    # it, each failing for another (pytorch/pytorch#103868: an operator MPS lacks,
    # zai-org/ChatGLM2-6B#32: memory, facebookresearch/demucs#432: complex numbers)
    "MPS: no support for int64 min/max ops, casting it to int32": "a harmless warning",
    "MPS: no support for int64 reduction ops, casting it to int32": "a harmless warning",
}


def _whole_messages() -> dict[str, set[str]]:
    """Each recorded string that is a message on its own (not a piece that a format completes:
    one ending in a space, a colon, a quote or a parenthesis, or starting with one), with the
    wheels that carry it."""
    out: dict[str, set[str]] = {}
    for w in WHEELS:
        for line in w.strings:
            text = line.split("\t", 1)[1]
            if " " not in text or text.endswith((" ", "(", "'", ":", "=")):
                continue
            if text.startswith(("-[", "+[", " ", "'", ",", ".", "(")):
                continue
            out.setdefault(text, set()).add(w.wheel)
    return out


def test_every_whole_mps_message_in_the_wheels_is_explained_or_set_aside() -> None:
    """The audit against torch's own binaries: no whole MPS message of a recorded release is
    left unread by accident. At b735aad 72 of the 182 were, 28 of them not set aside since
    (2.13's "MPS backend is only supported on devices with unified memory", "Passed CPU tensor
    to MPS op" among them). Pieces a format completes (2.15's "MPS backend is unavailable: no
    supported Metal GPU was found. ") are the cited needles' matter (tests above)."""
    whole = _whole_messages()
    unread = sorted(t for t in whole if t not in SET_ASIDE and known_errors.explain(t) is None)
    assert unread == []
    for text in SET_ASIDE:
        assert text in whole, f"set aside but in no recorded wheel: {text!r}"
        assert known_errors.explain(text) is None, f"set aside but explained: {text!r}"


def _raised_strings(path: Path) -> list[str]:
    """The messages a Python file raises, f-string fields as "X"."""

    def text(node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            return "".join(v.value if isinstance(v, ast.Constant) else "X" for v in node.values)
        return None

    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            out.extend(t for a in node.exc.args if (t := text(a)) is not None)
    return out


def test_the_metal_code_generators_float64_refusal_is_the_float64_row() -> None:
    """torch.compile's Metal code generator refuses a float64 input in its own words, read from
    the installed torch's source (torch/_inductor/codegen/mps.py)."""
    torch = pytest.importorskip("torch")
    source = Path(torch.__file__).parent / "_inductor" / "codegen" / "mps.py"
    said = [t for t in _raised_strings(source) if "float64" in t]
    assert said, "the refusal moved: read torch/_inductor/codegen/mps.py again"
    for text in said:
        found = known_errors.explain(f"RuntimeError: {text}")
        assert found is not None and found.id == "mps.float64", text


def test_flex_attentions_refusals_on_mps_are_case_refusals() -> None:
    """torch 2.13's FlexAttention runs on MPS for inference only: every refusal naming MPS that
    the installed torch's Python raises is read as a case MPS does not take."""
    torch = pytest.importorskip("torch")
    root = Path(torch.__file__).parent
    files = [
        root / "_inductor" / "kernel" / "flex" / "flex_mps.py",
        root / "_inductor" / "codegen" / "metal_flex_attention_template.py",
        root / "nn" / "attention" / "flex_attention.py",
    ]
    said = [
        t
        for f in files
        if f.exists()
        for t in _raised_strings(f)
        # the device list ("only supported on CUDA, CPU, HPU, or MPS devices") is another
        # matter, and "not supported on CPU/MPS" names no Mac
        if "MPS" in t and "or MPS devices" not in t and "CPU/MPS" not in t
    ]
    if not said:
        pytest.skip("this torch has no FlexAttention on MPS (2.13 added it)")
    for text in said:
        found = known_errors.explain(f"NotImplementedError: {text}")
        assert found is not None and found.id == "mps.op_case_unsupported", text


def test_a_torch_without_distributed_is_what_torch_says_of_macos_builds() -> None:
    # the row's claim, from the real torch installed here: torch.distributed exposes its API
    # only when built with it, and a source build's default on macOS is without
    import torch.distributed

    doc = " ".join(torch.distributed.is_available.__doc__.split())
    assert "``USE_DISTRIBUTED=0`` for MacOS" in doc
    assert (
        "USE_DISTRIBUTED=0, the default of a source build on macOS"
        in BY_ID["mps.no_distributed"].cause
    )
    # every name the pattern reads is one this torch's distributed package has
    names = known_errors._C10D_NAMES.split("|")
    assert all(hasattr(torch.distributed, n) for n in names), names
    # a name newer releases added is not this row: an older torch lacks it (verify.torch_names)
    newer = known_errors.explain("module 'torch.distributed' has no attribute 'device_mesh'")
    assert newer is not None and newer.id == "mps.torch_predates_name"
