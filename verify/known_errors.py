"""The error messages torch prints about MPS, recognised in exceptions and in pasted text.

Used by the worker (an exception a check raised -> cause and fix) and by `diagnose` (an error
message pasted with the environment). Pure: text in, `KnownError` out, no I/O.
Each pattern cites where torch prints it (paths in pytorch/pytorch) and a real report of it.
Patterns are ordered most specific first: `explain` returns the first that matches.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from verify import amp_mps, torch_names
from verify.messages import CHECK_MPS_AVAILABLE, OP_COVERAGE_ISSUE_NEW, op_coverage_issue
from verify.model import Fix

Severity = Literal["fail", "warn"]


@dataclass(frozen=True)
class KnownError:
    id: str  # e.g. "mps.oom"
    cause: str
    fix: Fix
    expected_on_mps: bool = False  # float64 refusal: the expected outcome on MPS
    match: str = ""  # the text that matched
    title: str = ""  # a short name for a report row
    severity: Severity = "fail"  # fail: the run cannot go on; warn: it can, with a change
    # True when the message is about the environment (torch build, macOS, device), so the
    # environment is not ready; False when it is about the workload (memory, an op, a dtype).
    environment: bool = True


@dataclass(frozen=True)
class Printed:
    """Where torch prints one message of a pattern, as checked against the wheels.

    `needle`: a constant part of the message as compiled into libtorch_cpu.dylib / libc10.dylib
    (tests/data/torch_wheels/ holds the strings of 20 PyPI wheels, sha256-checked);
    `torch`: the releases whose wheels carry it (a packaging specifier; tests assert it against
    every recorded wheel); `source`: the torch source file; `report`: a public report of it."""

    needle: str
    torch: str
    source: str
    report: str = ""


@dataclass(frozen=True)
class _Pattern:
    id: str
    regex: re.Pattern[str]
    title: str
    cause: str
    fix: Fix
    severity: Severity = "fail"
    environment: bool = True
    expected_on_mps: bool = False
    printed: tuple[Printed, ...] = ()
    # a match this pattern stands by (None: every match), for a regex that reads a shape and
    # a table that says which instances are known (verify.torch_names)
    accepts: Callable[[re.Match[str]], bool] | None = None
    # a message that names no device (a library's "can only be used on CUDA ... devices"):
    # it is an MPS finding only in a paste that names MPS or a Mac somewhere else
    needs_mac_said: bool = False

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        mac_said = None  # looked for once, and only where the message is there
        for m in self.regex.finditer(text):
            if self.accepts is None or self.accepts(m):
                if self.needs_mac_said:
                    if mac_said is None:
                        mac_said = MAC_SAID.search(text) is not None
                    if not mac_said:
                        return
                yield m

    def known(self, m: re.Match[str], torch_version: str | None = None) -> KnownError:
        said = m.groupdict().get("line") or m.group(0)  # a match read with its context: its line
        return KnownError(
            self.id,
            self.cause,
            self._fix_for(m.group(0), torch_version),
            self.expected_on_mps,
            said.strip(),
            self.title,
            self.severity,
            self.environment,
        )

    def _fix_for(self, text: str, torch_version: str | None) -> Fix:
        """The fix, its op-coverage link made to match the torch that printed it: the
        pytorch/pytorch issue the message itself names, else that torch version's issue."""
        if self.fix.url != OP_COVERAGE_ISSUE_NEW:
            return self.fix
        named = _ISSUE.search(text)
        url = named.group(0) if named else op_coverage_issue(torch_version)
        return self.fix if url == self.fix.url else dataclasses.replace(self.fix, url=url)


_ISSUE = re.compile(r"https://github\.com/pytorch/pytorch/issues/\d+")
# "mps" / "MPS" as a word of its own; letters of Chinese or Japanese may touch it ("float16不能用
# mps推理吗": \b sees no edge between them and the Latin letters)
MPS_SAID = re.compile(r"(?<![A-Za-z0-9_])mps(?![A-Za-z0-9_])", re.IGNORECASE)
# a Mac by its names ("macOS 14.3", "mac os", "MacBook", "on Macs", "OS X", "Darwin", "Apple
# silicon", "M3"): the one vocabulary of MAC_SAID and verify.diagnosis.paste.claims' MAC_NAMED
MAC_WORDS = r"mac(?:[ \t]?os|books?|s)?|os[ \t]?x|darwin|apple[ \t]+silicon|M[1-5]"
# MPS, or a Mac by its names ("Mac M系芯片", "Apple M3 Max"); letters of Chinese or Japanese may
# touch them
MAC_SAID = re.compile(rf"(?<![A-Za-z0-9_])(?:mps|{MAC_WORDS})(?![A-Za-z0-9_])", re.IGNORECASE)

# the operators that create the first MPS tensor or copy one to MPS: a build without MPS stops
# there (`torch.zeros(1, device="mps")` -> empty.memory_format, `torch.zeros_like(x,
# device="mps")` -> empty_strided, on this project's torch 2.13.0+cpu; a copy -> _copy_from);
# any other operator refused on 'MPS' was handed an MPS tensor that already existed
MAKES_MPS_TENSOR = (
    r"aten::(?:empty\.memory_format|empty_strided|empty\.names|_copy_from(?:_and_resize)?)"
)
# MPSAllocator.mm's out-of-memory message, in every wheel from 1.13 on
_OOM_PRINTED = Printed(
    "MPS backend out of memory (MPS allocated: ",
    ">=1.13",
    "aten/src/ATen/mps/MPSAllocator.mm",
    "https://github.com/pytorch/pytorch/issues/130112",
)
_UPDATE_MACOS = "Update macOS (System Settings > General > Software Update)"
_MPS_OPS = "aten/src/ATen/native/mps/operations/"
_MPS_ATEN = "aten/src/ATen/mps/"


# torch.distributed's names that every build with the package has (mps.no_distributed)
_C10D_NAMES = (
    r"ReduceOp|init_process_group|destroy_process_group|is_initialized|get_rank|get_world_size|"
    r"all_reduce|all_gather|barrier|broadcast|new_group|ProcessGroup|Backend|group"
)


def _two_precisions(m: re.Match[str]) -> bool:
    """mps.half_mixed_types: the types its message names differ (the verifier's note is
    checked by its pattern's lookaheads)."""
    if m.group("left2") is not None:
        return m.group("left2") != m.group("right2")
    return m.group("left") is None or m.group("left") != m.group("right")


PATTERNS: tuple[_Pattern, ...] = (
    # The same MPSAllocator.mm message with nothing allocated yet and a tiny request refused
    # ("MPS allocated: 0 bytes, other allocations: 0 bytes, max allowed: 7.93 GB). Tried to
    # allocate 256 bytes"): the device exists but has no usable memory - GitHub's macOS VM
    # runners (actions/runner-images#9918, computational-cell-analytics/micro-sam#380,
    # kitzeslab/opensoundscape#850 with "Tried to allocate 0 bytes"). A real out-of-memory has
    # either something allocated or a large request.
    _Pattern(
        "mps.no_gpu_memory",
        re.compile(
            r"MPS backend out of memory \(MPS allocated: 0 bytes[^)]*\)\. "
            r"Tried to allocate \d{1,4}(?:\.\d+)? bytes[^\n]*",
            re.IGNORECASE,
        ),
        "MPS has no usable memory",
        "The MPS device exists but refuses even a tiny allocation with nothing allocated: the "
        "process runs in a macOS virtual machine whose paravirtual GPU gives MPS no usable "
        "memory, as on GitHub-hosted macOS runners (actions/runner-images#9918).",
        Fix(
            "Run MPS work on a bare-metal Apple silicon Mac or a self-hosted runner; in CI on "
            "hosted macOS runners, test on the CPU (torch.device('cpu')). Lifting the allocator "
            "limit lets some runners allocate (kitzeslab/opensoundscape#851), but a VM's MPS "
            "results say little about a real Mac.",
            ("export PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0",),
            url="https://github.com/actions/runner-images/issues/9918",
        ),
        printed=(
            Printed(
                "MPS backend out of memory (MPS allocated: ",
                ">=1.13",
                "aten/src/ATen/mps/MPSAllocator.mm",
                "https://github.com/actions/runner-images/issues/9918",
            ),
        ),
    ),
    # The same message under a limit below 1 GB ("max allowed: 242.48 MiB"): the limit is the
    # high watermark ratio (PYTORCH_MPS_HIGH_WATERMARK_RATIO, default 1.7: MPSAllocator.h) times
    # the GPU's recommended working set, which on every Apple silicon Mac (8 GB of memory or
    # more) is gigabytes; a limit that small is a ratio set low on purpose, or by the program
    # (huggingface/accelerate#4226: "The watermark ratio makes the allocator refuse anything
    # above about 240 MiB, so the OOM fires without filling the GPU"). A warning: the Mac's
    # memory is not what ran out.
    _Pattern(
        "mps.oom",
        re.compile(
            r"MPS backend out of memory \([^\n)]*\bmax allowed: \d+(?:\.\d+)? ?"
            r"(?:bytes|KB|KiB|MB|MiB)\)[^\n]*"
        ),
        "MPS out of memory under a limit set low",
        'The MPS allocator refused memory under a limit below 1 GB (its "max allowed"), far '
        "below what any Apple silicon Mac has: PYTORCH_MPS_HIGH_WATERMARK_RATIO was set that "
        "low (by the shell or by the program), so the limit ran out, not the Mac's memory.",
        Fix(
            "Unset PYTORCH_MPS_HIGH_WATERMARK_RATIO (the default is 1.7) or set it higher, in the "
            "same shell before Python starts; if it was set on purpose to test running out of "
            "memory, this is that test working.",
            ("unset PYTORCH_MPS_HIGH_WATERMARK_RATIO",),
        ),
        severity="warn",
        environment=False,
        printed=(
            dataclasses.replace(
                _OOM_PRINTED, report="https://github.com/huggingface/accelerate/issues/4226"
            ),
        ),
    ),
    # aten/src/ATen/mps/MPSAllocator.mm: "MPS backend out of memory (MPS allocated: %s, other
    # allocations: %s, max allowed: %s). Tried to allocate %s on %s pool. Use
    # PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0 to disable upper limit for memory allocations (may
    # cause system failure)." The ratio is read when the allocator starts: exporting it in
    # another shell, or after Python started, does nothing (pytorch/pytorch#130112).
    _Pattern(
        "mps.oom",
        re.compile(
            r"MPS backend out of memory[^\n]*|"
            # the same message's advice, when the paste lost its first half to a line break
            # (or cut shorter still, as an issue's title: pytorch/pytorch#152351's "Use
            # PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0 to disable upper limit")
            r"Use PYTORCH_MPS_HIGH_WATERMARK_RATIO=0\.0 to disable upper limit[^\n]*|"
            # MPSAllocator.mm (alloc_buffer_block): TORCH_CHECK(size < m_max_buffer_size,
            # "Invalid buffer size: ", format_size(size)) - one buffer larger than the GPU's
            # largest (MTLDevice.maxBufferLength), whatever the watermark; torch formats the size
            # with a unit ("9.00 GB", "19.38 GiB"), other programs' "Invalid buffer size: 0" have
            # none. Reports: CAREamics/careamics#380 (batch_size=512, 9.00 GB on an M2),
            # pytorch/pytorch#141909 (2.6.0, bmm, 19.45 GB)
            r"Invalid buffer size: \d+(?:\.\d+)? ?[KMGT]i?B\b[^\n]*|"
            # MPSAllocator.mm (init_allocator / setHighWatermarkRatio): "invalid high watermark
            # ratio ", "invalid low watermark ratio " - PYTORCH_MPS_HIGH_WATERMARK_RATIO outside
            # 0.0-2.0 (1.0 without unified memory), or the low ratio (default 1.4) above a high
            # one set alone (numz/ComfyUI-SeedVR2_VideoUpscaler#336: "invalid low watermark
            # ratio 1.4", fixed by setting both); torch 1.13 on x86 refused its own default 1.7
            # (pytorch/pytorch#91268)
            r"invalid (?:high|low) watermark ratio -?\d[^\n]*",
            re.IGNORECASE,
        ),
        "MPS out of memory",
        "The MPS allocator hit its memory limit (the high watermark), so the allocation was "
        "refused.",
        Fix(
            "Use a smaller batch or model, free tensors you no longer need "
            "(torch.mps.empty_cache()), or raise the limit with PYTORCH_MPS_HIGH_WATERMARK_RATIO "
            "set in the same shell before Python starts (0.0 removes it, which can make macOS "
            "unstable under memory pressure).",
            ("export PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0",),
        ),
        environment=False,
        printed=(_OOM_PRINTED,),
    ),
    # Metal's own out-of-memory: the GPU aborted a command buffer (MTLCommandBufferError
    # OutOfMemory, whose description is "Insufficient Memory (00000008:
    # kIOGPUCommandBufferCallbackErrorOutOfMemory)"), past any allocator limit of the program's.
    # torch 2.15 raises it as "MPS command buffer execution failed: " + Metal's description
    # (MPSStream.mm); MPS's own log of a failed command buffer ("Error: command buffer exited
    # with error status.") names Metal's description in the same form (an internal error in
    # AUTOMATIC1111/stable-diffusion-webui#9973); MLX says "[METAL] Command buffer execution
    # failed: Insufficient Memory" (ml-explore/mlx#479 on an 8 GB Mac; jjang-ai/vmlx#58, a 17 GB
    # model on a 64 GB M1 Max), llama.cpp
    # "error: Insufficient Memory (00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)"
    # (ggml-org/llama.cpp#7010, ollama/ollama#6257), Metal's debug layer "Execution of the command
    # buffer was aborted due to an error during execution. Insufficient Memory (...)"
    # (gfx-rs/wgpu#9545, 80 x 256 MiB on a 48 GB M5 Pro). Other descriptions (a GPU timeout, an
    # internal error) name other causes and are not read.
    _Pattern(
        "mps.oom",
        re.compile(
            r"(?:[Cc]ommand buffer execution failed: )?Insufficient Memory "
            r"\(\w+:kIOGPUCommandBufferCallbackErrorOutOfMemory\)|"
            r"[Cc]ommand buffer execution failed: Insufficient Memory\b[^\n]*"
        ),
        "Metal out of GPU memory",
        "Metal ran out of GPU memory while running the work and aborted it "
        "(kIOGPUCommandBufferCallbackErrorOutOfMemory): the model, batch and intermediate "
        "results needed more than the memory macOS lets the GPU use.",
        Fix(
            "Use a smaller batch, resolution, context or model (or a quantized one), free GPU "
            "memory (quit other programs that use the GPU, drop tensors and caches you no longer "
            "need), or run on a Mac with more memory."
        ),
        environment=False,
        printed=(
            Printed(
                "MPS command buffer execution failed: ",
                ">=2.15",
                "aten/src/ATen/mps/MPSStream.mm",
            ),
        ),
    ),
    # aten/src/ATen/mps/EmptyTensor.cpp: MPS_ERROR_DOUBLE_NOT_SUPPORTED (a TypeError from
    # .to('mps')). Reports: pytorch/pytorch#79019 (closed as the known limitation, #122602),
    # thu-ml/tianshou#1237.
    _Pattern(
        "mps.float64",
        re.compile(
            r"MPS framework doesn't support float64[^\n]*|"
            r"Cannot convert a MPS Tensor to float64[^\n]*|"
            # TORCH_CHECK(dtype != at::kDouble, "float64 is not supported on MPS") in the MPS
            # kernels of torch 2.0+ (operations/BinaryKernel.mm, CrossKernel.mm,
            # HistogramKernel.mm, OperationUtils.mm exec_binary_kernel: a Python float scalar
            # makes the common dtype double); not a sentence that only asks ("if float64 ...");
            # torch.compile's Metal code generator says "by MPS" (torch/_inductor/codegen/mps.py:
            # a float64 input buffer of a compiled kernel)
            r"(?<!if )(?<!whether )\bfloat64 is not supported (?:on|by) MPS\b[^\n]*|"
            # UnaryOps.mm (digamma / lgamma / polygamma / erfinv), torch 2.1-2.11: "MPS does not
            # support digamma_out op with scalar type: Double"
            r"MPS does not support \w+ op with scalar type: Double[^\n]*|"
            # complex128 is two float64s: OperationUtils.mm's getMPSDataType has no case for
            # it, so it meets the generic "Trying to convert ComplexDouble to the MPS backend
            # but it does not have support for that dtype." in every release, where complex64
            # converts from 2.3 on (huggingface/diffusers#10986: Wan's rotary embedding built in
            # float64, then torch.view_as_complex); the first 1.12 nightlies said so of float64
            # itself: "TypeError: Trying to convert Double to the MPS backend but there is no
            # mapping for it." (pytorch/pytorch#77781, 1.12.0.dev20220518; PR #77966 then gave
            # the clearer float64 error above)
            r"Trying to convert (?:Complex)?Double to the MPS backend[^\n]*|"
            # torch.compile's prototype Metal code generator (torch/_inductor/codegen/mps.py):
            # DTYPE_TO_METAL has no float64, so dtype_to_str raises KeyError: torch.float64
            # (welltop-cn/ComfyUI-TeaCache#26: Flux under the inductor backend on a Mac)
            r"_inductor/codegen/mps\.py\", line \d+, in dtype_to_str\n(?:[^\n]*\n){0,4}?"
            r"(?P<line>[^\n]*KeyError: torch\.float64\b[^\n]*)",
            re.IGNORECASE,
        ),
        "float64 refused on MPS",
        "The MPS framework has no float64 (double) support, so torch refuses float64 tensors on "
        "mps.",
        Fix(
            "Use float32 on MPS: convert with tensor.to(torch.float32) before moving it to 'mps' "
            "(numpy arrays are float64 by default; complex128 becomes complex64), or keep "
            "float64 work on the CPU."
        ),
        severity="warn",
        environment=False,
        expected_on_mps=True,
        printed=(
            Printed(
                "Cannot convert a MPS Tensor to float64 dtype as the MPS framework doesn't "
                "support float64. Please use float32 instead.",
                ">=1.12",
                "aten/src/ATen/mps/EmptyTensor.cpp",
                "https://github.com/pytorch/pytorch/issues/79019",
            ),
            Printed("float64 is not supported on MPS", ">=2.0", _MPS_OPS + "BinaryKernel.mm"),
            Printed(" op with scalar type: Double", ">=2.1,<2.12", _MPS_OPS + "UnaryOps.mm"),
        ),
    ),
    # aten/src/ATen/mps/MPSFallback.mm: "The operator '%s' is not currently implemented for the
    # MPS device. If you want this op to be added in priority during the prototype phase of this
    # feature, please comment on https://github.com/pytorch/pytorch/issues/77764. As a temporary
    # fix, you can set the environment variable `PYTORCH_ENABLE_MPS_FALLBACK=1` ..." (torch 1.12
    # printed "not current implemented": invoke-ai/InvokeAI#262); from 2.6 it points to
    # pytorch/pytorch#141287 instead. Report: pytorch/pytorch#86195 (the variable, set with
    # `conda env config vars` after start, had no effect).
    # Before the MPS fallback was registered (the first 1.12 nightlies), and for sparse tensors,
    # the dispatcher itself refused (c10/core/dispatch/OperatorEntry.cpp, reportError): "Could
    # not run 'aten::index.Tensor' with arguments from the 'MPS' backend." (pytorch/pytorch#77794,
    # #77959 on 1.12 nightlies; closed once the op got its kernel), "... from the 'SparseMPS'
    # backend" (a sparse tensor moved to mps: janhq/ichigo#101, pytorch/pytorch#87886). An MPS
    # tensor reached that op, so MPS is built and working; only the creation / copy ops that
    # make the first MPS tensor say that a build has no MPS at all (mps.not_linked below).
    _Pattern(
        "mps.op_not_implemented",
        re.compile(
            # (a terminal or a log viewer may wrap it: any whitespace between the words, and
            # "device" may be on the next line)
            r"The operator '([^']+)' is not\s+current(?:ly)?\s+implemented\s+for\s+the\s+MPS"
            r"\b[^\n]*|"
            r"ConvTranspose 3D (?:with BF16 or FP16 types )?is not supported on MPS[^\n]*|"
            r"Could not run '(?!" + MAKES_MPS_TENSOR + r"')[\w:.]+' with arguments from the "
            r"'MPS' backend[^\n]*|"
            r"Could not run '[\w:.]+' with arguments from the 'Sparse(?:Csr)?MPS' backend[^\n]*|"
            # a compressed sparse (CSR / CSC / BSR) tensor made on mps: the constructor refuses
            # by itself (aten/src/ATen/native/sparse/SparseCsrTensor.cpp, new_compressed_tensor:
            # "Could not run 'new_compressed_tensor' from the 'mps:0' device.)", compiled into
            # torch 2.13's libtorch_cpu; pytorch/pytorch#166426 on torch 2.8, closed as a
            # duplicate of #129842, MPS sparse support)
            r"Could not run '\w+' from the 'mps(?::\d+)?' device[^\n]*|"
            # the same refusal's second sentence pasted alone, right under words about "mps"
            # (discuss.pytorch.org/t/152189: "'aten::_slow_conv2d_forward' is only available
            # for these backends: SparseCPU ..." on a May 2022 nightly)
            r"(?i:\bmps\b)[^\n]*\n(?:[^\n]*\n){0,2}?[ \t>]*(?P<line>['\u2018\"`]aten::(?!"
            + MAKES_MPS_TENSOR[len("aten::") :]
            + r"['\u2019\"`])[\w.]+['\u2019\"`] is only available for these backends:"
            r"(?![^\n]*\bMPS\b)[^\n]*)|"
            # mmcv's ops (mmcv/ops/csrc/common/pytorch_device_registry.hpp, Dispatch): "nms_impl:
            # implementation for device mps:0 not found." - no MPS kernel in mmcv
            # (open-mmlab/mmdetection#11437 on an M2, open-mmlab/mmcv#2732)
            r"\b\w+: implementation for device mps(?::\d+)? not found[^\n]*|"
            # xformers' memory_efficient_attention dispatch: "No operator found for
            # `memory_efficient_attention_forward` with inputs: ... `cutlassF` is not supported
            # because: device=mps (supported: {'cuda'})" (xformers/ops/fmha/common.py,
            # not_supported_reasons: f"device={device_type} (supported: {cls.SUPPORTED_DEVICES})")
            # - every xformers kernel is CUDA's (kijai/ComfyUI-SUPIR#84: removing xformers fixed it)
            r"device=mps \(supported: \{[^}\n]*\}\)"
        ),
        "Operator not implemented on MPS",
        "This PyTorch has no MPS kernel for an operator the code uses.",
        Fix(
            "Set PYTORCH_ENABLE_MPS_FALLBACK=1 in the shell before Python starts to run that "
            "operator on the CPU (slower), or upgrade PyTorch: newer releases implement more "
            "operators on MPS.",
            ("export PYTORCH_ENABLE_MPS_FALLBACK=1",),
            OP_COVERAGE_ISSUE_NEW,
        ),
        severity="warn",
        environment=False,
        printed=(
            Printed(
                "' is not current implemented ",
                "==1.12.*",
                "aten/src/ATen/mps/MPSFallback.mm",
                "https://github.com/invoke-ai/InvokeAI/issues/262",
            ),
            Printed(
                "' is not currently implemented ", ">=1.13", "aten/src/ATen/mps/MPSFallback.mm"
            ),
            Printed("issues/77764", ">=1.12,<2.6", "aten/src/ATen/mps/MPSFallback.mm"),
            Printed("issues/141287", ">=2.6", "aten/src/ATen/mps/MPSFallback.mm"),
            # TORCH_CHECKs in operations/Convolution.mm: no 3-D transposed convolution on MPS
            # before 2.8 (report: MIC-DKFZ/nnUNet#1862), none in half precision since
            Printed(
                "ConvTranspose 3D is not supported on MPS",
                ">=2.0,<2.8",
                _MPS_OPS + "Convolution.mm",
                "https://github.com/MIC-DKFZ/nnUNet/issues/1862",
            ),
            Printed(
                "ConvTranspose 3D with BF16 or FP16 types is not supported on MPS",
                ">=2.8",
                _MPS_OPS + "Convolution.mm",
            ),
        ),
    ),
    # aten/src/ATen/mps/MPSFallback.mm with PYTORCH_ENABLE_MPS_FALLBACK=1: "The operator '%s' is
    # not currently supported on the MPS backend and will fall back to run on the CPU. This may
    # have performance implications." - a UserWarning: the op runs, on the CPU. Reports:
    # invoke-ai/InvokeAI#728, mrdbourke/pytorch-deep-learning#356.
    _Pattern(
        "mps.op_runs_on_cpu",
        re.compile(
            r"The operator '[^']+' is not currently supported on the MPS backend and will fall "
            r"back to run on the CPU[^\n]*"
        ),
        "Operator runs on the CPU (MPS fallback)",
        "An operator has no MPS kernel in this PyTorch, and PYTORCH_ENABLE_MPS_FALLBACK=1 made "
        "it run on the CPU: the results are right, that step is slower.",
        Fix(
            "Nothing is broken; to run it on the GPU, upgrade PyTorch (newer releases implement "
            "more operators on MPS).",
            ("nox -s install",),
            OP_COVERAGE_ISSUE_NEW,
        ),
        severity="warn",
        environment=False,
        printed=(
            Printed(
                "on the MPS backend and will fall back to run on the CPU.",
                ">=1.12",
                "aten/src/ATen/mps/MPSFallback.mm",
                "https://github.com/invoke-ai/InvokeAI/issues/728",
            ),
        ),
    ),
    # torch's own CPU fallback past an MPS kernel's size limit, warned once (TORCH_WARN_ONCE in
    # operations/LinearAlgebra.mm): "linalg.svd: matrix too large to stage in MPS threadgroup
    # memory (294912 > 32768 bytes); falling back to CPU." (torch.linalg.svdvals / eigh on a
    # large matrix), "linalg_qr: MPS implementation is currently limited to min(m,n) <= 512,
    # falling back to CPU." No PYTORCH_ENABLE_MPS_FALLBACK needed: the op runs, slower.
    _Pattern(
        "mps.op_runs_on_cpu",
        re.compile(
            r"linalg\.(?:svd|eigh): matrix too large to stage in MPS threadgroup memory[^\n]*|"
            r"linalg_qr: MPS implementation is currently limited to min\(m,n\) <= \d+, falling "
            r"back to CPU[^\n]*"
        ),
        "Operator runs on the CPU past an MPS size limit",
        "This PyTorch's MPS kernel for the operator handles matrices up to a size; past it torch "
        "runs the operator on the CPU by itself and warns: the results are right, that step is "
        "slower.",
        Fix(
            "Nothing is broken; to keep the step on the GPU, use smaller matrices (or batches of "
            "them) than the limit the warning names.",
            url=OP_COVERAGE_ISSUE_NEW,
        ),
        severity="warn",
        environment=False,
        printed=(
            Printed(
                "linalg.svd: matrix too large to stage in MPS threadgroup memory (",
                ">=2.14",
                _MPS_OPS + "LinearAlgebra.mm",
            ),
            Printed(
                "linalg.eigh: matrix too large to stage in MPS threadgroup memory (",
                ">=2.14",
                _MPS_OPS + "LinearAlgebra.mm",
            ),
            Printed(
                "linalg_qr: MPS implementation is currently limited to min(m,n) <= 512, falling "
                "back to CPU.",
                ">=2.12,<2.14",
                _MPS_OPS + "LinearAlgebra.mm",
            ),
        ),
    ),
    # an application's own fallback when a step fails on MPS: it names the MPS device, says it
    # is not supported there and moves that step to the CPU - ComfyUI's FreeU node
    # (comfy_extras/nodes_freelunch.py: "Device {} does not support the torch.fft functions used
    # in the FreeU node, switching to CPU.", copied by Fooocus: lllyasviel/Fooocus#690 on an M1,
    # where torch.fft had no MPS kernel before the 2.3.0 wheel) and "... not supported on MPS,
    # falling back to CPU" lines. The same line naming cuda:0 (a ROCm / ZLUDA / DirectML card)
    # is not read: it must name mps. MPS ran; one step is slower.
    _Pattern(
        "mps.app_step_on_cpu",
        re.compile(
            r"^(?=[^\n]*\bmps(?::\d+)?\b)"
            r"(?=[^\n]*(?:\bnot (?:be )?(?:fully )?supported\b|\bunsupported\b|"
            r"\bdo(?:es)? not support\b|\bdoesn't support\b))"
            r"[^\n]*\b(?:switching|switched|falling back|fall(?:s|ing)? back|defaulting)"
            r"(?: to)? (?:the )?CPU\b[^\n]*",
            re.IGNORECASE | re.MULTILINE,
        ),
        "A step runs on the CPU (the application's fallback)",
        "The application found that this PyTorch cannot run one step on MPS (e.g. torch.fft, which "
        "has MPS kernels from PyTorch 2.3 on macOS 14) and runs that step on the CPU: the "
        "results are right, that step is slower, the rest runs on MPS.",
        Fix(
            "Nothing is broken; to run that step on the GPU too, upgrade PyTorch (and macOS): "
            "newer releases implement more operators on MPS.",
            ("nox -s install",),
            OP_COVERAGE_ISSUE_NEW,
        ),
        severity="warn",
        environment=False,
    ),
    # The same convolution check with both tensors on MPS and of two dtypes: "Input type
    # (MPSFloatType) and weight type (MPSHalfType) should be the same" - the code (or a
    # pipeline) cast the model to float16 and left its input float32 (huggingface/diffusers#8233,
    # deforum/sd-webui-deforum#394: the half cast applied for "cuda" only), or the other way round.
    # MPS ran both; the dtypes are the code's (all 6 real reports with it were healthy setups).
    _Pattern(
        "mps.dtype_mismatch",
        re.compile(
            r"Input type \(MPS(\w*)Type\) and weight type \(MPS(?!\1Type\))\w*Type\) should be "
            r"the same[^\n]*"
        ),
        "Input and weights of two dtypes",
        "A layer on MPS received an input of one dtype and weights of another (float32 and "
        "float16): the code, or the pipeline it uses, cast the model to half precision and not "
        "its input, or the other way round. MPS itself ran both; the setup is not at fault.",
        Fix(
            "Cast the input to the model's dtype before the call (`x.to(model.dtype)`), or run "
            "the model in float32 (in an application, its full-precision / no-half option); in a "
            "library, use the release that fixed it or report it there.",
        ),
        severity="warn",
        environment=False,
    ),
    # aten/src/ATen/native/mps/OperationUtils.mm (Placeholder): "Placeholder storage has not
    # been allocated on MPS device!" - an op on MPS got a tensor that lives on the CPU
    # (pytorch/pytorch#145229). Also the generic device check in aten (TensorIterator /
    # checkSameDevice): "Expected all tensors to be on the same device, but found at least two
    # devices, mps:0 and cpu!"
    _Pattern(
        "mps.device_mismatch",
        re.compile(
            r"Placeholder storage has not been allocated on MPS device[^\n]*|"
            r"Expected all tensors to be on the same device[^\n]*\bmps(?::\d+)?\b[^\n]*|"
            # the convolution's check (aten/src/ATen/native/Convolution.cpp, check_input_same_
            # type_as_parameters) with the tensors' types formatted in, one of them on MPS and
            # the other a CPU tensor: "Input type (MPSFloatType) and weight type
            # (torch.FloatTensor) should be the same" (sczhou/CodeFormer-pip#3's title)
            r"Input type \(MPS\w*Type\) and weight type \(torch\.\w+Tensor\) should be the "
            r"same[^\n]*|"
            r"Input type \(torch\.\w+Tensor\) and weight type \(MPS\w*Type\) should be the "
            r"same[^\n]*|"
            # the Metal kernels' own check (OperationUtils.h, mtl_setBuffer): a CPU tensor that
            # is no scalar handed to an MPS kernel
            r"Passed CPU tensor to MPS op[^\n]*|"
            # GradScaler's unscale on MPS (operations/Amp.mm) given a gradient off the device,
            # and the kernels' argument checks: "found_inf must be a MPS tensor." (Amp.mm),
            # "input must be an MPS tensor" (LossOps.mm, 2.15)
            r"Tensor is not on the MPS device\.[^\n]*|"
            r"\b\w+ must be (?:an? )?MPS tensors?\b[^\n]*|"
            r"\bone of scaled_grads was not a MPS tensor[^\n]*|"
            # F.linear's own device check (operations/Linear.mm, 2.4 on): "Tensor for argument
            # input is on cpu but expected on mps"
            r"Tensor for argument \w+ is on \S+ but expected on mps\b[^\n]*|"
            # the device-generic checks with the devices formatted in, one of them MPS: aten's
            # argument check ("Tensor for argument #2 'mat2' is on CPU, but expected it to be on
            # MPS (while checking arguments for mm)": DanielAvdar/tabnet#277), torch.cat's
            # ("all input tensors must be on the same device. Received cpu and mps:0":
            # aszc-dev/ComfyUI-CoreMLSuite#3, m87-labs/moondream#282) and the MPS convolution's
            # ("slow_conv2d_forward_mps: input(device='cpu') and weight(device=mps:0')  must be on
            # the same device": Gourieff/comfyui-reactor-node#77)
            r"Tensor for argument #\d+ '\w+' is on (?:CPU|MPS)(?::\d+)?, but expected (?:it|them) "
            r"to be on (?:MPS|CPU)\b[^\n]*|"
            r"all input tensors must be on the same device\. Received "
            r"(?:cpu and mps|mps(?::\d+)? and cpu)\b[^\n]*|"
            r"\w+_mps: input\(device='?\w+(?::\d+)?'?\) and weight\(device='?\w+(?::\d+)?'?\)"
            r"\s+must be on the same device[^\n]*"
        ),
        "Tensors on different devices",
        "An operation on MPS received a tensor that is still on the CPU (or the other way round): "
        "the model and its inputs are on different devices.",
        Fix(
            "Move the model and every input to the same device, e.g. "
            "`inputs = {k: v.to(device) for k, v in inputs.items()}` after `model.to(device)`; "
            "with a library that picks 'mps' by itself, pass it device='cpu' or device='mps' "
            "explicitly."
        ),
        # warn: MPS works (the tensor reached it); the code or the library mixes devices
        severity="warn",
        environment=False,
        printed=(
            Printed(
                "Placeholder storage has not been allocated on MPS device!",
                ">=1.12",
                "aten/src/ATen/native/mps/OperationUtils.mm",
                "https://github.com/pytorch/pytorch/issues/145229",
            ),
            Printed(
                "Passed CPU tensor to MPS op", ">=2.6", "aten/src/ATen/native/mps/OperationUtils.h"
            ),
            Printed("Tensor is not on the MPS device.", ">=2.8", _MPS_OPS + "Amp.mm"),
            Printed("found_inf must be a MPS tensor.", ">=2.8", _MPS_OPS + "Amp.mm"),
            Printed("input must be an MPS tensor", ">=2.15", _MPS_OPS + "LossOps.mm"),
            Printed(" but expected on mps", ">=2.4", _MPS_OPS + "Linear.mm"),
            Printed(
                " should not be called for both tensors on MPS device",
                ">=1.13",
                _MPS_OPS + "Convolution.mm",
                "https://github.com/Gourieff/comfyui-reactor-node/issues/77",
            ),
        ),
    ),
    # Errors that name the macOS an op or dtype needs (TORCH_CHECK: the call fails), and conv's
    # "Output channels > 65536 not supported at the MPS device", checked only before macOS 15
    # (operations/Convolution.mm; QwenAudio/CosyVoice#672: "upgrading to macOS 15.1 solves it";
    # issue 12). The floors
    # 13.x/14 went away with 2.9 (MPS itself needs macOS 14 since), the 15 ones remain.
    # Reports: pytorch/torchchat#616 and pytorch/pytorch#146236 (bfloat16; the latter under
    # Rosetta on macOS 15.3), Plachtaa/VALL-E-X#127 (power with int64, macOS 13.2).
    _Pattern(
        "mps.op_needs_newer_macos",
        re.compile(
            r"MPS BFloat16 is only supported on MacOS \d+(?: or newer)?|"
            r"MPS bfloat16 type is supported on MacOS \d+(?:\.\d+)? or newer\.?|"
            r"MPS complex types are only supported on MacOS \d+(?:\.\d+)? or newer\.?|"
            r"Complex types are supported starting from MacOS \d+(?:\.\d+)?\+|"
            r"FFT operations are only supported on MacOS \d+\+|"
            r"MPS does not support \w+ op with int64 input\.\s+Support\s+has\s+been\s+added\s+in\s+"
            r"macOS\s+\d+(?:\.\d+)?|"
            r"MPS: [^\n]*?supported natively starting from macOS \d+(?:\.\d+)?"
            r"(?![\d.]*\s*Falling\s+back)|"
            r"torch\.int32 is only supported on MacOS ?\d+\+|"
            r"scatter_reduce\(amin/amax\) on int64 requires macOS \d+ or newer|"
            r"linalg\.matrix_exp on MPS requires macOS \d+(?:\.\d+)? or newer|"
            r"isin_Tensor_Tensor_out only works on floating types on MPS for pre MacOS_14_0"
            r"[^\n]*|"
            r"Conv3D is only supported on MPS for MacOS_13_2 or newer|"
            # (the 2.5 wording, with torch's fallback advice after it, is a refusal on every
            # macOS: mps.op_needs_newer_torch below)
            r"Output channels > 65536 not supported at the MPS device(?!\.?\s*As\s+a\s+temporary)|"
            # TORCH_CHECKs of torch 2.0-2.8 (BinaryOps.mm / UnaryOps.mm, RnnOps.mm,
            # LinearAlgebra.mm, UnaryOps.mm angle): the refusal names the macOS it needs
            r"MPS support (?:binary|unary) op with uint8 natively starting from macOS "
            r"\d+(?:\.\d+)?|"
            r"(?<!Native )multi-layer LSTM support in MPS available only on MacOS \d+ onwards|"
            r"Tiling of batch matmul for larger than 2\*\*32 entries only available from "
            r"MacOS ?\d+ onwards|"
            r"MPS does not support angle with complex im?n?put on macOS ?\d+|"
            r"MPS complex tensors conjugation needs MacOS ?\d+\+?|"
            r"MPS: dot op doesn't support int64 input on MacOS ?\d+",
            re.IGNORECASE,
        ),
        "Feature needs a newer macOS",
        "This operation or dtype on MPS needs a newer macOS than the one torch detected: macOS "
        "is older than the version the message names, or the Python runs under Rosetta, where "
        "torch reads an old macOS version.",
        Fix(
            f"{_UPDATE_MACOS} to the version the message names; make sure Python is native "
            "arm64, not x86_64 under Rosetta; or use a dtype the op supports on this macOS "
            "(float16/float32 instead of bfloat16, int32 instead of int64)."
        ),
        printed=(
            Printed(
                "MPS BFloat16 is only supported on MacOS 14 or newer",
                ">=2.3,<2.9",
                "aten/src/ATen/mps/EmptyTensor.cpp",
                "https://github.com/pytorch/torchchat/issues/616",
            ),
            Printed(
                "MPS bfloat16 type is supported on MacOS 14.0 or newer.",
                ">=2.3,<2.9",
                "aten/src/ATen/native/mps/OperationUtils.mm",
            ),
            Printed(
                "MPS complex types are only supported on MacOS 14.0 or newer.",
                ">=2.3,<2.9",
                "aten/src/ATen/native/mps/OperationUtils.mm",
            ),
            Printed(
                "Complex types are supported starting from MacOS 14.0+",
                ">=2.3,<2.9",
                "aten/src/ATen/native/mps/",
            ),
            Printed(
                "FFT operations are only supported on MacOS 14+",
                ">=2.3,<2.9",
                _MPS_OPS + "FastFourierTransform.mm",
            ),
            Printed(
                " op with int64 input. Support has been added in macOS 13.3",
                ">=2.1,<2.9",
                _MPS_OPS + "UnaryOps.mm",
            ),
            Printed(
                " op with int64 input is supported natively starting from macOS 13.2",
                ">=2.0,<2.9",
                _MPS_OPS + "BinaryOps.mm",
                "https://github.com/Plachtaa/VALL-E-X/issues/127",
            ),
            Printed(
                "torch.int32 is only supported on MacOS15+",
                ">=2.6,<2.13",
                _MPS_OPS + "ScatterGather.mm",
            ),
            Printed(
                "scatter_reduce(amin/amax) on int64 requires macOS 15 or newer",
                ">=2.13,<2.15",
                _MPS_OPS + "ScatterGather.mm",
            ),
            Printed(
                "linalg.matrix_exp on MPS requires macOS 15.0 or newer",
                ">=2.14",
                _MPS_OPS + "LinearAlgebra.mm",
            ),
            # TORCH_CHECK in operations/TensorCompare.mm (isin on integers before macOS 14);
            # report: jianyun8023/soulx-tts-metal#1 (macOS Ventura 13.6.7)
            Printed(
                "isin_Tensor_Tensor_out only works on floating types on MPS for pre MacOS_14_0.",
                ">=2.4,<2.9",
                _MPS_OPS + "TensorCompare.mm",
            ),
            # TORCH_CHECK in operations/Convolution.mm (5-D input before macOS 13.2)
            Printed(
                "Conv3D is only supported on MPS for MacOS_13_2 or newer",
                ">=2.3,<2.9",
                _MPS_OPS + "Convolution.mm",
            ),
            Printed(
                "Output channels > 65536 not supported at the MPS device",
                ">=2.5",
                _MPS_OPS + "Convolution.mm",
                "https://github.com/FunAudioLLM/CosyVoice/issues/672",
            ),
            Printed(
                "MPS support binary op with uint8 natively starting from macOS 13.0",
                ">=2.0,<2.5",
                _MPS_OPS + "BinaryOps.mm",
            ),
            Printed(
                "MPS support unary op with uint8 natively starting from macOS 13.0",
                ">=2.0,<2.5",
                _MPS_OPS + "UnaryOps.mm",
            ),
            Printed(
                "Multi-layer LSTM support in MPS available only on MacOS 13 onwards",
                "==2.0.*",
                _MPS_OPS + "RnnOps.mm",
            ),
            Printed(
                "Tiling of batch matmul for larger than 2**32 entries only available from MacOS15",
                ">=2.5,<2.15",
                _MPS_OPS + "LinearAlgebra.mm",
            ),
            Printed(
                "MPS does not support angle with complex i",
                ">=2.7,<2.9",
                _MPS_OPS + "UnaryOps.mm",
            ),
        ),
    ),
    # TORCH_WARN_ONCE fallbacks (the op runs, on the CPU): "MPS: nonzero op is supported
    # natively starting from macOS 13.0. Falling back on CPU. This may have performance
    # implications." (Indexing.mm, pytorch/pytorch#132110; 14.0 from 2.5, pytorch/pytorch#132127),
    # the same for median, randperm, unique, upsample, pixel_shuffle ("supported starting from
    # macOS 13.0", PixelShuffle.mm)..., and "torch.sort is supported by MPS on
    # MacOS 13+, please upgrade. Falling back to CPU" (Sort.mm). Gone with 2.9.
    _Pattern(
        "mps.op_falls_back_on_old_macos",
        re.compile(
            r"MPS: [^\n]*?supported (?:natively )?starting from macOS \d+(?:\.\d+)?\.?\s*"
            r"Falling back on CPU[^\n]*|"
            r"[\w.]+ is supported by MPS on MacOS \d+\+, please upgrade\.? Falling back to CPU"
            r"[^\n]*|"
            # more TORCH_WARN_ONCE fallbacks and casts of torch 2.0-2.8 (UnaryOps.mm cumsum,
            # Shape.mm topk, RnnOps.mm, Repeat.mm, ReduceOps.mm / OperationUtils.h, Indexing.mm)
            r"torch\.cumsum supported by MPS on MacOS \d+\+, please upgrade[^\n]*|"
            r"torch\.topk support for k>16 by MPS on MacOS \d+\+, please upgrade[^\n]*|"
            r"Native multi-layer LSTM support in MPS available only on MacOS \d+ onwards[^\n]*|"
            r"MPS: no support for int64 [^\n]*?(?:Native support for int64|Support) has been "
            r"added in macOS \d+(?:\.\d+)?[^\n]*|"
            r"MPS: nonzero op is not natively supported for the provided input on MacOS ?\d+"
            r"[^\n]*",
            re.IGNORECASE,
        ),
        "Operator runs on the CPU on this macOS",
        "This operator runs natively on MPS only on a newer macOS, so torch ran it on the CPU "
        "(a warning: the results are right, that step is slower).",
        Fix(
            f"Nothing is broken; for full speed, {_UPDATE_MACOS[0].lower()}{_UPDATE_MACOS[1:]} "
            "to the version the warning names, and make sure Python is native arm64 (under "
            "Rosetta torch reads an old macOS version).",
            url="https://github.com/pytorch/pytorch/issues/132110",
        ),
        severity="warn",
        environment=False,
        printed=(
            Printed(
                "supported natively starting from macOS 13.0. ",
                ">=2.0,<2.5",
                _MPS_OPS + "Indexing.mm",
                "https://github.com/pytorch/pytorch/issues/132110",
            ),
            Printed(
                "MPS: nonzero op is supported natively starting from macOS 14.0. ",
                ">=2.5,<2.9",
                _MPS_OPS + "Indexing.mm",
            ),
            Printed(
                "torch.sort is supported by MPS on MacOS 13+, please upgrade. Falling back to CPU",
                ">=2.0,<2.5",
                _MPS_OPS + "Sort.mm",
            ),
            Printed(
                "torch.cumsum supported by MPS on MacOS 13+, please upgrade",
                "==2.0.*",
                _MPS_OPS + "UnaryOps.mm",
            ),
            Printed(
                "torch.topk support for k>16 by MPS on MacOS 13+, please upgrade",
                ">=2.0,<2.5",
                _MPS_OPS + "Shape.mm",
            ),
            Printed(
                "Native multi-layer LSTM support in MPS available only on MacOS 13 onwards.",
                ">=2.1,<2.5",
                _MPS_OPS + "RnnOps.mm",
            ),
            Printed(
                "MPS: no support for int64 repeats mask, casting it to int32. Support has been",
                ">=2.1,<2.9",
                _MPS_OPS + "Repeat.mm",
            ),
            Printed(
                ", downcasting to a smaller data type (int32/float32). Native support for int64",
                ">=2.1,<2.9",
                "aten/src/ATen/native/mps/OperationUtils.h",
            ),
            Printed(
                "MPS: nonzero op is not natively supported for the provided input on MacOS14",
                ">=2.5,<2.12",
                _MPS_OPS + "Indexing.mm",
            ),
        ),
    ),
    # torch 2.0's int64 gates without a macOS named, e.g. "MPS does not support cumsum op with
    # int64 input" (aten/src/ATen/native/mps/operations/UnaryOps.mm in 2.0; from 2.1 the op runs
    # natively on macOS 13.3+ and the message names it). Report: h2oai/h2ogpt#464, fixed by
    # installing torch 2.1 (h2oai/h2ogpt#491).
    _Pattern(
        "mps.op_needs_newer_torch",
        re.compile(
            # (a window may wrap the message: any whitespace between its words)
            r"MPS does not support [\w/]+ ops? with int64 input"
            r"(?!\.\s+Support\s+has\s+been\s+added)[^\n]*|"
            # the 2.0 nightlies' min / max gate, an INTERNAL ASSERT before 2.0.1's message above
            # (operations/ReduceOps.mm; pytorch/pytorch#91565: "This is indeed not currently
            # supported")
            r"\bmin/max not supported for Long dtype on MPS[^\n]*|"
            r"Conv3D is not supported on MPS[^\n]*|"
            # operations/Convolution.mm of torch 2.5 (pytorch/pytorch#129484, 2024-06-28): any
            # output dimension above 2**16 refused on every macOS, with the fallback advice that
            # does not work there (pytorch/pytorch#134416); 2.6 dropped the advice
            # (pytorch/pytorch#134770) and refuses only below macOS 15.1 (pytorch/pytorch#140726).
            # Reports: RVC-Project/Retrieval-based-Voice-Conversion-WebUI#2393 (macOS 15),
            # SparkAudio/Spark-TTS#181
            r"Output channels > 65536 not supported at the MPS device\.?\s*As\s+a\s+temporary\s+fix"
            r"[^\n]*"
        ),
        "Operator needs a newer PyTorch",
        "This PyTorch's MPS backend lacks what this operation needs: an int64 kernel (PyTorch 2.1 "
        "and newer run it natively on macOS 13.3+), Conv3D (PyTorch 2.3 and newer, on macOS "
        "13.2+) or convolutions with an output dimension above 65536 (PyTorch 2.6 and newer, on "
        "macOS 15.1+).",
        Fix(
            "Upgrade PyTorch (2.1 or newer for int64 on macOS 13.3+, 2.3 or newer for Conv3D on "
            "macOS 13.2+, 2.6 or newer for convolutions above 65536 on macOS 15.1+), or cast the "
            "input to int32 / float32 before the operator, or run that step on the CPU.",
            ("nox -s install",),
        ),
        environment=False,
        printed=(
            Printed(
                "MPS does not support cumsum op with int64 input",
                "==2.0.*",
                _MPS_OPS + "UnaryOps.mm",
                "https://github.com/h2oai/h2ogpt/issues/464",
            ),
            Printed(
                "MPS does not support min/max ops with int64 input",
                "==2.0.*",
                _MPS_OPS + "ReduceOps.mm",
                "https://github.com/pytorch/pytorch/issues/91565",
            ),
            Printed(
                "MPS does not support median ops with int64 input",
                "==2.0.*",
                _MPS_OPS + "ReduceOps.mm",
            ),
            # TORCH_CHECK in operations/Convolution.mm until Conv3D came to MPS in 2.3
            # (pytorch/pytorch#114183, on macOS 13.2+); report: Comfy-Org/ComfyUI#2044
            Printed(
                "Conv3D is not supported on MPS",
                ">=1.13,<2.3",
                _MPS_OPS + "Convolution.mm",
                "https://github.com/Comfy-Org/ComfyUI/issues/2044",
            ),
            Printed(
                "Output channels > 65536 not supported at the MPS device",
                ">=2.5",
                _MPS_OPS + "Convolution.mm",
                "https://github.com/pytorch/pytorch/issues/134416",
            ),
        ),
    ),
    # torch.Generator(device="mps") before torch 2.0: torch/csrc/Generator.cpp (THPGenerator_pynew)
    # built CPU and CUDA generators only and refused the rest with "Device type MPS is not
    # supported for torch.Generator() api." 2.0 added the MPS one: its macOS arm64 wheel's
    # libtorch_python.dylib constructs MPSGeneratorImpl (make_generator<MPSGeneratorImpl>), the
    # 1.13.1 wheel's has no MPSGeneratorImpl at all (PyPI's cp310 wheels, sha256 53e1c33c... and
    # 0122806b..., read 2026-12-02). Reports: AUTOMATIC1111/stable-diffusion-webui#5127 (torchsde's
    # generator in the DPM++ SDE samplers), AmadeusGPT's README ("run `pip install --upgrade
    # torch`").
    _Pattern(
        "mps.op_needs_newer_torch",
        re.compile(r"Device type MPS is not supported for torch\.Generator\(\) api[^\n]*"),
        "torch.Generator on MPS needs PyTorch 2.0",
        "This PyTorch has no random-number generator for the MPS device: torch.Generator(device="
        "'mps') exists from PyTorch 2.0 on; older releases make CPU and CUDA generators only.",
        Fix(
            "Upgrade PyTorch (2.0 or newer), or create the generator on the CPU "
            "(`torch.Generator()`) and draw the random numbers there.",
            ("nox -s install",),
        ),
        environment=False,
    ),
    # torch 2.0's repeat_interleave on MPS with int64 repeats: cumsum had no int64 kernel, so
    # Repeat.mm cast the repeats to int32 and warned, on every macOS; 2.1 to 2.8 warn only below
    # macOS 13.3 and say so ("... Support has been added in macOS 13.3": the op-falls-back
    # pattern above), later releases run it natively. Reports: oobabooga/text-generation-webui
    # #1686 and rsxdalv/tts-generation-webui#257 (fixed by a newer torch), ttunguz/voibe#3 (fixed
    # by the nightly). A warning: the op runs and its results are right while the counts fit in
    # int32.
    _Pattern(
        "mps.int64_cast_needs_newer_torch",
        re.compile(
            r"MPS: no support for int64 repeats mask, casting it to int32"
            r"(?!\.?\s*Support\s+has\s+been\s+added)[^\n]*"
        ),
        "int64 cast to int32 by this PyTorch",
        "This PyTorch (2.0) has no int64 repeat_interleave on MPS: it casts the repeats to int32 "
        "and warns. The step runs; PyTorch 2.1 and newer run it natively on macOS 13.3+.",
        Fix(
            "Upgrade PyTorch (2.1 or newer) on macOS 13.3 or newer; until then the warning is "
            "harmless while the repeat counts fit in int32.",
            ("nox -s install",),
        ),
        severity="warn",
        environment=False,
        printed=(
            # 2.0's whole message; 2.1-2.8 add ". Support has been added in macOS 13.3"
            Printed(
                "MPS: no support for int64 repeats mask, casting it to int32",
                ">=2.0,<2.9",
                _MPS_OPS + "Repeat.mm",
                "https://github.com/oobabooga/text-generation-webui/issues/1686",
            ),
        ),
    ),
    # torch 2.5's fused optimizers on MPS (Adam / AdamW / SGD with fused=True, new in 2.5) check
    # the parameters' dtype in operations/MultiTensorApply.h and take float32 and float16 only:
    # "Only float and half are supported" (no device named; the 2.5.1 wheel is the only one
    # that carries it). 2.6 added bfloat16 ("Only float, bfloat and half are supported").
    # Report: pytorch/torchtune#1942 (bf16 QLoRA on an M2, fixed with optimizer fused=False).
    _Pattern(
        "mps.op_needs_newer_torch",
        re.compile(r"\bOnly float and half are supported(?=[ \t]*$)", re.MULTILINE),
        "Fused optimizer needs a newer PyTorch for bfloat16",
        "PyTorch 2.5's fused optimizers on MPS (Adam, AdamW or SGD with fused=True) take float32 "
        "and float16 parameters only; bfloat16 parameters are refused. PyTorch 2.6 and newer "
        "run them in bfloat16 too (bfloat16 on MPS needs macOS 14 or newer).",
        Fix(
            "Upgrade PyTorch to 2.6 or newer, or create the optimizer with fused=False (or keep "
            "the parameters in float32), e.g. torch.optim.AdamW(params, fused=False).",
            ("nox -s install",),
        ),
        environment=False,
        printed=(
            Printed(
                "Only float and half are supported",
                "==2.5.*",
                _MPS_OPS + "MultiTensorApply.h",
                "https://github.com/pytorch/torchtune/issues/1942",
            ),
        ),
    ),
    # torch 1.12's clamp on MPS takes tensor bounds of the input's own shape only: aten/src/ATen/
    # native/mps/operations/TensorCompare.mm (clamp_tensor_out_mps) checks `op_name + ": min and
    # input tensors must be of the same shape"` (and max). The strings are in the 1.12.0 and
    # 1.12.1 macOS arm64 wheels' libtorch_cpu.dylib and in none from 1.13.1 on, which broadcasts
    # the bounds (verify.diagnosis.opsupport's feature; `strings` on the wheels: the message
    # names no MPS, so tests/data/torch_wheels keeps none of it). Reports:
    # mcmonkeyprojects/sd-dynamic-thresholding#15 (the web UI's torch 1.12.1 on an M1, fixed by
    # switching TORCH_COMMAND to torch 1.13.1); downstream code works around it ("# MPS
    # complains min and input tensors must be of the same shape": clamping on the CPU).
    _Pattern(
        "mps.op_needs_newer_torch",
        re.compile(r"\b(?:min|max) and input tensors must be of the same shape[^\n]*"),
        "clamp with broadcast bounds needs a newer PyTorch",
        "PyTorch 1.12's MPS clamp takes min / max tensors of the input's own shape only; "
        "PyTorch 1.13 and newer broadcast them.",
        Fix(
            "Upgrade PyTorch to 1.13 or newer; or expand the bounds to the input's shape "
            "(`min.expand_as(x)`), or clamp on the CPU.",
            ("python -m pip install --upgrade torch",),
        ),
        environment=False,
    ),
    # torch 1.13's MPS topk takes k <= 16 only: aten/src/ATen/native/mps/operations/Shape.mm
    # (topk_out_mps) checks "Currently topk on mps works only for k<=16 ". The string is in the
    # 1.13.1 macOS arm64 wheel's libtorch_cpu.dylib and in neither 1.12.0's (no MPS topk: the
    # operator was not implemented) nor 2.0.1's: pytorch/pytorch#94639 (2023-02, for
    # pytorch/pytorch#78915) lifted the limit. Report: facebookresearch/detectron2#4342 (a 1.13
    # nightly); downstream code comments quote it beside top_k=50 sampling.
    _Pattern(
        "mps.op_needs_newer_torch",
        re.compile(r"Currently topk on mps works only for k<=16[^\n]*"),
        "topk above k=16 needs a newer PyTorch",
        "PyTorch 1.13's MPS topk takes k up to 16 only (sampling with top_k above 16 meets "
        "it); PyTorch 2.0 lifted that limit.",
        Fix(
            "Upgrade PyTorch to 2.0 or newer; until then use k <= 16 (e.g. top_k=16) or run "
            "that topk on the CPU.",
            ("nox -s install",),
        ),
        environment=False,
        printed=(
            Printed(
                "Currently topk on mps works only for k<=16",
                "==1.13.*",
                _MPS_OPS + "Shape.mm",
                "https://github.com/facebookresearch/detectron2/issues/4342",
            ),
        ),
    ),
    # torch 2.5-2.7's fused SGD on MPS refuses a GradScaler's state: operations/FusedSgdKernel.mm
    # checks "grad_scale and found_inf are not supported on MPS" (SGD(fused=True) stepped through
    # torch.amp.GradScaler); the 2.8 wheel no longer carries the check.
    _Pattern(
        "mps.op_needs_newer_torch",
        re.compile(r"grad_scale and found_inf are not supported on MPS[^\n]*"),
        "Fused SGD with a GradScaler needs a newer PyTorch",
        "PyTorch 2.5 to 2.7 run SGD(fused=True) on MPS without a GradScaler only: stepping it "
        "through a GradScaler (mixed precision) is refused. The check is gone from PyTorch "
        "2.8's wheel.",
        Fix(
            "Upgrade PyTorch to 2.8 or newer, or create the optimizer with fused=False, e.g. "
            "torch.optim.SGD(params, lr=lr, fused=False).",
            ("nox -s install",),
        ),
        environment=False,
        printed=(
            Printed(
                "grad_scale and found_inf are not supported on MPS",
                ">=2.5,<2.8",
                _MPS_OPS + "FusedSgdKernel.mm",
            ),
        ),
    ),
    # transformers' wrapper around a missing MPS kernel: generate() infers a missing attention
    # mask with torch.isin, which had no MPS kernel before PyTorch 2.4 (aten::isin.Tensor_Tensor
    # is first in the 2.4.1 wheel read: verify/data/mps_kernels.json), so
    # generation/utils.py's _prepare_attention_mask_for_generation raises "Can't infer missing
    # attention mask on `mps` device. Please provide an `attention_mask` or use a different
    # device." (transformers 4.42-4.43, whatever the torch), later only "... for torch<2.4"
    # (huggingface/transformers#31744, the fix asked for there). Reports: zai-org/GLM-4#210 and
    # huggingface/transformers#31744 (tests/data/holdout134).
    _Pattern(
        "mps.op_needs_newer_torch",
        re.compile(r"Can't infer missing attention mask on `?mps`? device[^\n]*"),
        "torch.isin on MPS (transformers' attention mask) needs PyTorch 2.4",
        "transformers' generate() infers a missing attention mask with torch.isin, which has no "
        "MPS kernel before PyTorch 2.4, so it refuses on MPS (transformers 4.42-4.43 refuse on "
        "MPS whatever the torch; later releases only below torch 2.4).",
        Fix(
            "Pass the attention mask to generate() (the tokenizer returns it: `inputs = "
            "tokenizer(text, return_tensors='pt').to('mps')`, then `model.generate(**inputs)`), "
            "or upgrade PyTorch to 2.4 or newer together with transformers.",
            ("python -m pip install --upgrade torch transformers",),
        ),
        environment=False,
    ),
    # aten/src/ATen/native/mps/OperationUtils.mm (getMPSDataType / getMPSScalarType): "Trying to
    # convert ComplexFloat to the MPS backend but it does not have support for that dtype."
    # torch 2.1-2.2 say "Complex types are unsupported on MPS" (the wheels' strings). Report:
    # ljleb/sd-webui-freeu#12 (torch.fft on MPS with torch 2.0.1; workaround: the fft on
    # the CPU).
    _Pattern(
        "mps.dtype_unsupported",
        re.compile(
            r"Trying to convert \w+ to the MPS backend but it does not have support for that "
            r"dtype[^\n]*|Complex types are unsupported on MPS[^\n]*|"
            # operations/UnaryOps.mm before 2.0: "Operation 'abs_out_mps()' does not support
            # input type 'int64' in MPS backend." (1.13 nightlies: "doesn not"; reports:
            # pytorch/pytorch#79200, #86319 'neg_out_mps()'; 2.0 lifted it,
            # verify.diagnosis.opsupport)
            r"Operation '\w+\(\)' does(?:n)? not support input type '\w+' in MPS backend[^\n]*"
        ),
        "Data type not supported on MPS",
        "The MPS backend of this PyTorch has no support for this data type (complex numbers "
        "before PyTorch 2.3, or before macOS 14 with 2.3-2.8, for instance), so the operation "
        "cannot run on MPS.",
        Fix(
            "Run that operation on the CPU (move its input with .cpu() and the result back with "
            ".to('mps')), or set PYTORCH_ENABLE_MPS_FALLBACK=1; newer PyTorch on macOS 14+ "
            "supports more dtypes.",
            ("export PYTORCH_ENABLE_MPS_FALLBACK=1",),
        ),
        severity="warn",
        environment=False,
        printed=(
            Printed(
                " to the MPS backend but it does not have support for that dtype.",
                ">=1.12",
                "aten/src/ATen/native/mps/OperationUtils.mm",
                "https://github.com/ljleb/sd-webui-freeu/issues/12",
            ),
            Printed(
                "Complex types are unsupported on MPS",
                ">=2.1,<2.3",
                "aten/src/ATen/native/mps/OperationUtils.mm",
            ),
            Printed(
                "()' does not support input type 'int64' in MPS backend.",
                ">=1.13,<2.0",
                _MPS_OPS + "UnaryOps.mm",
                "https://github.com/pytorch/pytorch/issues/80784",
            ),
        ),
    ),
    # Apple's MPS gather asserting on an index shape it takes elsewhere: "MPSNDArrayGatherND.mm:
    # 256: failed assertion `Rank of updates array (1) must be greater than or equal to
    # inner-most dimension of indices array (300)'" (MetalPerformanceShaders' own check, no
    # torch string). torch.gather / take_along_dim reach it through MPSGraph's gatherND; "The
    # issue is on the MPS side so the proper fix will roll out in a future OS release"
    # (jhavukainen, pytorch/pytorch#135240, with a torch workaround in #135543), "got fixed on
    # MacOS-15.2" (malfet, ibid.). Reports: ultralytics/ultralytics#17054 (YOLOv10's
    # post-processing, patched with a CPU gather in #17057), dbolya/tomesd#4 (unsqueeze before the
    # gather, #15). A warning: the process aborts, but the step runs on the CPU or reshaped.
    _Pattern(
        "mps.op_case_unsupported",
        re.compile(r"MPSNDArrayGatherND\.mm:\d+: failed assertion `?Rank of updates array[^\n]*"),
        "gather of this index shape refused by Apple's MPS",
        "Apple's MPS gather (MPSNDArrayGatherND, which torch.gather and torch.take_along_dim "
        "use on MPS) asserts on this index shape and aborts the process: a bug on the MPS side, "
        "fixed in macOS 15.2 (pytorch/pytorch#135240), not in this setup.",
        Fix(
            "Update macOS to 15.2 or newer, or upgrade PyTorch (later releases work around some "
            "shapes: pytorch/pytorch#135543); until then run that gather on the CPU "
            "(`torch.gather(x.cpu(), dim, index.cpu()).to('mps')`) or add a trailing dimension "
            "to the index before it (`index.unsqueeze(-1)`, then squeeze the result).",
            (),
            "https://github.com/pytorch/pytorch/issues/135240",
        ),
        severity="warn",
        environment=False,
    ),
    # torch.multiprocessing hands tensors to another process through shared memory, which only
    # CPU storages (and CUDA's own IPC) support: an MPS tensor put on a Queue, a DataLoader
    # worker's batch or a collector's policy weights fails in THPStorage_shareFilename /
    # _shareFd ("_share_filename_: only available on CPU", torch/csrc/StorageSharing.cpp,
    # libtorch_python, whose strings tests/data/torch_wheels does not keep). The message names
    # no device (XPU storages meet it too), so it counts where the paste names MPS or a Mac.
    # Reports: pytorch/rl#3066 (a ParallelEnv of MPS envs on an M1; pytorch/rl#3867 made such
    # envs default to use_buffers=False), pytorch/rl#2858 (a MultiSyncDataCollector on "mps";
    # its fix, pytorch/rl#2859: "serializing mps weights is not possible").
    _Pattern(
        "mps.op_case_unsupported",
        re.compile(r"_share_(?:filename|fd)_: only available on CPU[^\n]*"),
        "MPS tensors cannot be shared between processes",
        "torch.multiprocessing shares tensors between processes through CPU shared memory: an "
        "MPS tensor sent to another process (a multiprocessing Queue, a DataLoader worker, a "
        "parallel environment or collector) cannot be shared, so the hand-over fails.",
        Fix(
            "Move what crosses the process boundary to the CPU first (`t.cpu()`, "
            "`{k: v.cpu() for k, v in model.state_dict().items()}`) and back to 'mps' inside "
            "the worker, or keep the work in one process (DataLoader num_workers=0).",
            (),
            "https://github.com/pytorch/rl/issues/3066",
        ),
        environment=False,
        needs_mac_said=True,
    ),
    # Refusals inside an MPS kernel that exists: the operator runs on MPS, but not for this
    # dtype, mode or size (TORCH_CHECKs in aten/src/ATen/native/mps/, read from the wheels'
    # strings, tests/data/torch_wheels). PYTORCH_ENABLE_MPS_FALLBACK does not reroute them (it
    # covers operators with no MPS kernel), so the step has to move to the CPU or change.
    # Reports: "Adaptive pool MPS: input sizes must be divisible by output sizes"
    # (pytorch/pytorch#96056, which the message itself cites); "MPS device does not support mm
    # for non-float inputs" (integer matmul, LinearAlgebra.mm).
    _Pattern(
        "mps.op_case_unsupported",
        re.compile(
            # complex inputs: "Max pooling for complex is not supported for MPS",
            # "grid_sampler_2d is not supported for complex on MPS", "nansum on MPS does not
            # support complex inputs", "linalg.lu_factor(): MPS doesn't support complex types."
            r"\b[\w.()]+(?: [\w]+){0,3} for (?:complex|bool) is not supported for MPS[^\n]*|"
            r"\b\w+ is not supported for complex on MPS[^\n]*|"
            r"\b\w+ (?:on|for) MPS does not support complex inputs[^\n]*|"
            r"\bbernoulli is not implemented for complex types on MPS[^\n]*|"
            r"linalg\.lu_factor\(\): MPS doesn't support complex types[^\n]*|"
            r"\bmps linear does not support complex types[^\n]*|"
            r"MPS: nonzero op is not supported for complex datatypes[^\n]*|"
            # the kernels' own complex checks, which name no device: "repeat(): Not supported
            # for complex yet!" (operations/Repeat.mm), "scatter(): Yet not supported for
            # complex" / "gather(): ..." (operations/ScatterGather.mm),
            # "linalg.solve.triangular(); Not supported for complex yet!" (LinearAlgebra.mm):
            # facebookresearch/sam2 video inference, ZFTurbo's mel_band_roformer on MPS
            r"\b[\w.]+\(\)[;:] (?:Not supported for complex yet|Yet not supported for complex)"
            r"[^\n]*|"
            r"index_reduce for MPS does not support torch\.\w+ dtype[^\n]*|"
            # index_add_mps_out's own check (operations/Indexing.mm), which names no device:
            # an int64 source (sktime/pytorch-forecasting#1309, a TFT's lr finder on an M1 Pro)
            r"index_add\(\): Expected non int64 dtype for source[^\n]*|"
            # index_put with accumulate=True (index_put_ / index_add through indexing): "No
            # atomic support for the rest of dtypes" (operations/Indexing.mm's bare TORCH_CHECK,
            # which names no device): a float16 / bfloat16 tensor (QwenLM/Qwen3-Embedding#49,
            # a bfloat16 fine-tune on an M3)
            r"Expected scalar_type == ScalarType::Float \|\| inputTensor\.scalar_type\(\) == "
            r"ScalarType::Int \|\| scalar_type == ScalarType::Bool to be true[^\n]*|"
            # integer / half / long inputs
            r"MPS device does not support [\w ]+ for (?:non-float (?:inputs?|bias|weights)|"
            r"this input type)[^\n]*|"
            r"softmax with half to float conversion is not supported on MPS[^\n]*|"
            r"scaled_dot_product_attention for MPS does not support (?:dtype|dropout)[^\n]*|"
            r"\bunique is not supported on MPS for dtype[^\n]*|"
            r"\bNot implemented for long on MPS[^\n]*|"
            r"\bLong batch norm is not supported with MPS[^\n]*|"
            r"MPS: does not support trunc_divide op with float16 input[^\n]*|"
            r"\blogspace is not implemented for integral dtypes on MPS[^\n]*|"
            r"\b\w+: MPS currently supports float32 only[^\n]*|"
            r"cholesky_inverse: MPS only supports float type[^\n]*|"
            r"linalg[._]\w+(?:\(\))?: (?:the )?MPS (?:backend )?(?:only )?supports? (?:only )?"
            r"float32[^\n]*|"
            # modes and sizes an MPS kernel does not handle
            r"LSTM with projections is not currently supported with MPS[^\n]*|"
            r"Scatter reduce mean mode not yet supported in MPS[^\n]*|"
            r"sparse_grad not supported in MPS yet[^\n]*|"
            r"MPS: Unsupported (?:Bicubic interpolation|Border padding mode)[^\n]*|"
            r"Adaptive pool MPS: (?:input|output) sizes must be divisible by (?:output|input) "
            r"sizes[^\n]*|"
            r"Adaptive pool MPS: If output is larger than input, output sizes must be multiples "
            r"of input sizes[^\n]*|"
            r"MPS supports tensors with dimensions <= \d+[^\n]*|"
            r"Current limit allows up to 16 indices to be used in MPS indexing kernels[^\n]*|"
            r"(?:MPS (?:pooling )?does not support tensors that require 64-bit indexing|"
            r"tensors requiring 64-bit indexing are not supported on MPS|"
            r"MPS norm: tensors requiring 64-bit indexing are not supported)[^\n]*|"
            r"MPSGr?aph does not support tensor dims larger than INT_MAX[^\n]*|"
            r"Output dim sizes larger than 2\*\*32 elements for matmul not supported on MPS "
            r"device[^\n]*|"
            r"Output size of the matrix multiplication is larger than currently supported by the "
            r"MPS backend[^\n]*|"
            r"grid_sampler_3d backward on MPS only supports bilinear and nearest[^\n]*|"
            r"linalg\.svd: driver= is not supported on MPS[^\n]*|"
            r"MPS FFT only supports transforming up to \d+ dimensions[^\n]*|"
            # sparse (non-strided) tensors on MPS (aten/src/ATen/mps/EmptyTensor.cpp), integer
            # inputs of log_softmax / smooth_l1_loss (operations/SoftMax.mm, LossOps.mm), LU
            # options, histogramdd weights
            r"only strided tensors are supported on MPS[^\n]*|"
            r"MPS doesn't know how to do \w+_i64[^\n]*|"
            r"linalg\.lu_factor\(\): MPS (?:only supports floats|doesn't allow pivot == False)"
            r"[^\n]*|"
            r"histogramdd\(\): weight should be contiguous on MPS[^\n]*|"
            # FlexAttention on MPS (torch 2.13+, Python: torch/_inductor/kernel/flex/flex_mps.py,
            # metal_flex_attention_template.py, torch/nn/attention/flex_attention.py): inference
            # only, and not every dtype, head layout or score_mod capture
            r"\bflex_attention (?:on MPS(?: (?:does not (?:yet )?support|only supports|supports "
            r"\S+, got|requires)|: captured buffer)|backward\b[^\n]*?is not yet supported on "
            r"MPS)[^\n]*|"
            r"\bFlexAttention does not support backward on MPS[^\n]*|"
            r"\bMixed dtypes for query, key, value not supported on MPS[^\n]*|"
            # adaptive pooling that grows one side and shrinks the other
            # (operations/AdaptivePooling.mm; 1.13 spelled it "greather")
            r"Adaptive pool MPS: Input height and width must both be greath?er than,? or equal "
            r"to, or lesser than,? output height and width[^\n]*|"
            # topk / kthvalue refused past MPSGraph's 4 innermost axes (2.8-2.12), to avoid
            # the MPSNDArraySort crash below (pytorch/pytorch#154890)
            r"On-going issue on MPSGraph topk when ndims\(\) - axis > 4[^\n]*|"
            # MPSNDArraySort's assertion on a 5-D or larger tensor (sort, topk, argsort; torch's
            # native Metal topk since PR #184106 avoids it for topk): pytorch/pytorch#154890,
            # huchenlei/ComfyUI-layerdiffuse#20
            r"\bAxis = \d+\. This class only supports axis = 0, 1, 2, 3\b[^\n]*|"
            # the fused optimizers from 2.6 (operations/MultiTensorApply.h): float64 or integer
            # parameters with fused=True; see torch 2.5's message above
            r"\bOnly float, bfloat and half are supported(?=[ \t]*$)"
        ),
        "Operator case not supported on MPS",
        "This PyTorch runs the operator on MPS, but its MPS kernel refuses this case: a dtype it "
        "does not handle there (complex, integer, half or long inputs), a mode, or a size past "
        "an MPS limit (dimensions, indices, elements). PYTORCH_ENABLE_MPS_FALLBACK=1 does not "
        "help: it covers operators with no MPS kernel at all.",
        Fix(
            "Run that step on the CPU (move its inputs with .cpu() and the result back with "
            ".to('mps')), or change the case the message names: float32 inputs instead of "
            "complex / integer / half ones, sizes within the limit (e.g. input sizes divisible "
            "by the adaptive pool's output size). Newer PyTorch releases lift some of these "
            "limits.",
            url=OP_COVERAGE_ISSUE_NEW,
        ),
        severity="warn",
        environment=False,
        printed=(
            Printed(" for complex is not supported for MPS", ">=2.10", _MPS_OPS + "Pooling.mm"),
            Printed(
                "Only float, bfloat and half are supported",
                ">=2.6",
                _MPS_OPS + "MultiTensorApply.h",
            ),
            Printed(" is not supported for complex on MPS", ">=2.10", _MPS_OPS + "GridSampler.mm"),
            Printed(
                "nansum on MPS does not support complex inputs",
                ">=2.8,<2.13",
                _MPS_OPS + "ReduceOps.mm",
            ),
            Printed(
                "upsample for MPS does not support complex inputs",
                ">=2.10,<2.15",
                _MPS_OPS + "UpSample.mm",
            ),
            Printed(
                "bernoulli is not implemented for complex types on MPS",
                ">=2.15",
                _MPS_OPS + "Distributions.mm",
            ),
            Printed(
                "mps linear does not support complex types", ">=2.8,<2.12", _MPS_OPS + "Linear.mm"
            ),
            Printed(
                "linalg.lu_factor(): MPS doesn't support complex types.",
                ">=2.5,<2.15",
                _MPS_OPS + "LinearAlgebra.mm",
            ),
            Printed(
                "MPS: nonzero op is not supported for complex datatypes",
                ">=2.4,<2.12",
                _MPS_OPS + "Indexing.mm",
            ),
            Printed(
                "index_reduce for MPS does not support torch.", ">=2.12", _MPS_OPS + "Indexing.mm"
            ),
            Printed("for non-float input", ">=1.13", _MPS_OPS + "LinearAlgebra.mm"),
            Printed(
                "softmax with half to float conversion is not supported on MPS",
                ">=1.12,<2.15",
                _MPS_OPS + "SoftMax.mm",
            ),
            Printed(
                "scaled_dot_product_attention for MPS does not support dtype ",
                ">=2.10",
                _MPS_OPS + "Attention.mm",
            ),
            Printed(
                "scaled_dot_product_attention for MPS does not support dropout.",
                ">=2.13",
                _MPS_OPS + "Attention.mm",
            ),
            Printed("unique is not supported on MPS for dtype ", ">=2.14", _MPS_OPS + "Unique.mm"),
            Printed("Not implemented for long on MPS", ">=2.10", _MPS_OPS),
            Printed(
                "Long batch norm is not supported with MPS",
                ">=2.10,<2.14",
                _MPS_OPS + "Normalization.mm",
            ),
            Printed(
                "MPS: does not support trunc_divide op with float16 input",
                ">=2.1,<2.8",
                _MPS_OPS + "BinaryOps.mm",
            ),
            Printed(
                "logspace is not implemented for integral dtypes on MPS",
                ">=2.15",
                _MPS_OPS + "RangeFactories.mm",
            ),
            Printed("MPS currently supports float32 only", ">=2.12", _MPS_OPS + "LinearAlgebra.mm"),
            Printed(
                "cholesky_inverse: MPS only supports float type!",
                ">=2.11",
                _MPS_OPS + "LinearAlgebra.mm",
            ),
            Printed(
                "linalg.svd: the MPS backend supports only float32",
                ">=2.14",
                _MPS_OPS + "LinearAlgebra.mm",
            ),
            Printed(
                "LSTM with projections is not currently supported with MPS.",
                ">=2.0",
                _MPS_OPS + "RnnOps.mm",
            ),
            Printed(
                "Scatter reduce mean mode not yet supported in MPS",
                ">=1.12,<2.13",
                _MPS_OPS + "ScatterGather.mm",
            ),
            Printed(
                "sparse_grad not supported in MPS yet", ">=1.12,<2.13", _MPS_OPS + "Indexing.mm"
            ),
            Printed(
                "MPS: Unsupported Bicubic interpolation",
                ">=2.1,<2.11",
                _MPS_OPS + "GridSampler.mm",
            ),
            Printed(
                "MPS: Unsupported Border padding mode", ">=2.1,<2.11", _MPS_OPS + "GridSampler.mm"
            ),
            Printed(
                "only strided tensors are supported on MPS", ">=2.3", _MPS_ATEN + "EmptyTensor.cpp"
            ),
            Printed("MPS doesn't know how to do exponent_i64", ">=2.10", _MPS_OPS + "SoftMax.mm"),
            Printed("MPS doesn't know how to do square_i64", ">=2.10", _MPS_OPS + "LossOps.mm"),
            Printed(
                "linalg.lu_factor(): MPS only supports floats.",
                ">=2.10,<2.14",
                _MPS_OPS + "LinearAlgebra.mm",
            ),
            Printed(
                "linalg.lu_factor(): MPS doesn't allow pivot == False.",
                ">=2.5",
                _MPS_OPS + "LinearAlgebra.mm",
            ),
            Printed(
                "Adaptive pool MPS: Input height and width must both be greather than or equal "
                "to, or lesser than, output height and width",
                "==1.13.*",
                _MPS_OPS + "AdaptivePooling.mm",
            ),
            Printed(
                "Adaptive pool MPS: Input height and width must both be greater than, or equal "
                "to, or lesser than output height and width",
                ">=2.0",
                _MPS_OPS + "AdaptivePooling.mm",
            ),
            Printed(
                "On-going issue on MPSGraph topk when ndims() - axis > 4, see issue #154890",
                ">=2.8,<2.13",
                _MPS_OPS + "Shape.mm",
                "https://github.com/pytorch/pytorch/issues/154890",
            ),
            Printed(
                "histogramdd(): weight should be contiguous on MPS",
                ">=2.1,<2.12",
                _MPS_OPS + "HistogramKernel.mm",
            ),
            Printed(
                "Adaptive pool MPS: input sizes must be divisible by output sizes",
                ">=2.0",
                _MPS_OPS + "AdaptivePooling.mm",
                "https://github.com/pytorch/pytorch/issues/96056",
            ),
            Printed(
                "Adaptive pool MPS: If output is larger than input, output sizes must be "
                "multiples of input sizes",
                "==1.13.*",
                _MPS_OPS + "AdaptivePooling.mm",
            ),
            Printed(
                "MPS supports tensors with dimensions <= ",
                ">=2.1",
                "aten/src/ATen/native/mps/OperationUtils.mm",
            ),
            Printed(
                "Current limit allows up to 16 indices to be used in MPS indexing kernels",
                ">=1.13",
                _MPS_OPS + "Indexing.mm",
            ),
            Printed(
                "MPS does not support tensors that require 64-bit indexing", ">=2.15", _MPS_OPS
            ),
            Printed(
                "tensors requiring 64-bit indexing are not supported on MPS", "==2.14.*", _MPS_OPS
            ),
            Printed(
                "does not support tensor dims larger than INT_MAX",
                ">=2.9",
                "aten/src/ATen/native/mps/OperationUtils.mm",
            ),
            Printed(
                "Output dim sizes larger than 2**32 elements for matmul not supported on MPS "
                "device.",
                ">=2.6",
                _MPS_OPS + "LinearAlgebra.mm",
            ),
            Printed(
                "Output size of the matrix multiplication is larger than currently supported by "
                "the MPS backend",
                "==2.5.*",
                _MPS_OPS + "LinearAlgebra.mm",
            ),
            Printed(
                "grid_sampler_3d backward on MPS only supports bilinear and nearest",
                ">=2.13",
                _MPS_OPS + "GridSampler.mm",
            ),
            Printed(
                "linalg.svd: driver= is not supported on MPS.",
                ">=2.14",
                _MPS_OPS + "LinearAlgebra.mm",
            ),
            Printed(
                "MPS FFT only supports transforming up to ",
                ">=2.14",
                _MPS_OPS + "FastFourierTransform.mm",
            ),
        ),
    ),
    # torch <= 2.2 (and every x86_64 build: Intel Macs stop at 2.2.2) refuse bfloat16 on MPS:
    # "TypeError: BFloat16 is not supported on MPS" (aten/src/ATen/native/mps/OperationUtils.mm,
    # getMPSDataType). Reports: pytorch/pytorch#141864 (an Intel Mac with an AMD GPU),
    # pytorch/torchchat#616. torch 2.3+ on macOS 14+ has it (pytorch/pytorch#119641).
    _Pattern(
        "mps.bfloat16_unsupported",
        re.compile(r"BFloat16 is not supported on MPS[^\n]*"),
        "bfloat16 not supported on MPS",
        "This PyTorch refuses bfloat16 on MPS: bfloat16 came to MPS with PyTorch 2.3 on macOS "
        "14 (Sonoma), and an Intel Mac cannot get a PyTorch newer than 2.2.2.",
        Fix(
            "Use float16 or float32 on MPS (e.g. load models with torch_dtype=torch.float16), or "
            "upgrade to PyTorch 2.3+ on macOS 14+ on an Apple silicon Mac.",
        ),
        printed=(
            Printed(
                "BFloat16 is not supported on MPS",
                ">=2.1,<2.3",
                "aten/src/ATen/native/mps/OperationUtils.mm",
                "https://github.com/pytorch/pytorch/issues/141864",
            ),
        ),
    ),
    # Before MPS (torch < 1.12) the device string is unknown: c10/core/Device.cpp parse_type
    # "Expected one of cpu, cuda, ... device type at start of device string: mps"
    # (rasbt/machine-learning-notes#4), and torch.backends has no `mps` module: "AttributeError:
    # module 'torch.backends' has no attribute 'mps'" (pharmapsychotic/clip-interrogator#50,
    # pytorch/examples#1134). "module 'torch' has no attribute 'mps'" is the torch.mps module,
    # which `import torch` loads only from 2.1 (the diagnosis says so: platform_messages).
    _Pattern(
        "mps.torch_too_old",
        re.compile(
            r"Expected one of [^\n]*device type at start of device string: mps[^\n]*|"
            r"module 'torch\.backends' has no attribute 'mps'[^\n]*|"
            r"module 'torch' has no attribute 'mps'[^\n]*"
        ),
        "PyTorch predates MPS",
        "This PyTorch is older than 1.12, the first release with the MPS backend: it does not "
        "know the 'mps' device.",
        Fix(
            "Upgrade PyTorch (MPS needs 1.12 or newer, on Apple silicon with macOS 12.3+); code "
            "that must also run on other machines should test "
            "`getattr(torch.backends, 'mps', None)` before using it.",
            ("python -m pip install --upgrade torch",),
        ),
        printed=(
            Printed(
                "ort, mlc, xla, lazy, vulkan, meta, hpu device type at start of device string: ",
                "<1.12",
                "c10/core/Device.cpp",
                "https://github.com/rasbt/machine-learning-notes/issues/4",
            ),
        ),
    ),
    # A message of MPS's first nightlies that no release prints: "RuntimeError Placeholder buffer
    # size is not large enough to contain the Tensor storage of size" (pytorch/pytorch#78042, on
    # 1.13.0.dev20220521: gone the next day, "fixed in the latest nightly"). The 1.12.0 wheel
    # (torch-1.12.0-cp310-none-macosx_11_0_arm64.whl, sha256 13c7cca6..., as PyPI lists it) has
    # no "Placeholder buffer size" in any of its libraries: the check was replaced before the
    # first release, so whoever sees it runs a May 2022 nightly.
    _Pattern(
        "mps.fixed_in_newer_torch",
        re.compile(
            r"Placeholder buffer size\b[^\n]{0,40}?is not large enough to contain the Tensor "
            r"storage[^\n]*"
        ),
        "An early MPS nightly's bug, fixed before PyTorch 1.12",
        "This message comes only from the first MPS nightlies (May 2022): no PyTorch release "
        "prints it, the check was fixed before 1.12.0.",
        Fix(
            "Upgrade PyTorch to a release (1.12 or newer; the newest your macOS takes) instead "
            "of the early nightly, and re-run.",
            ("python -m pip install --upgrade torch",),
        ),
        severity="warn",
        environment=False,
    ),
    # Code written for a newer PyTorch: "AttributeError: module 'torch' has no attribute 'amp'"
    # (karpathy/nanoGPT#150 on an M1, torch before 1.12) or "No module named 'torch.compiler'",
    # a module one level down too: "No module named 'torch.nn.attention'" (2.3: fishaudio/
    # fish-speech#441), "No module named 'torch.mps'" (2.0), "... 'torch.backends.mps'" (1.12),
    # and a name such a module binds: "module 'torch.nn.functional' has no attribute
    # 'scaled_dot_product_attention'" (2.0: NVlabs/MambaVision#9, "The torch version is most
    # likely outdated").
    # Only the torch.X that some macOS arm64 release lacks are matched, each with the first
    # release that has it (verify.torch_names, read from the wheels on PyPI); the diagnosis
    # names it ("needs torch >= N") and drops the row when the pasted torch already has it.
    _Pattern(
        "mps.torch_predates_name",
        torch_names.SAID,
        "PyTorch older than the code",
        "This PyTorch predates a module or function of torch the code uses (torch.amp came with "
        "1.12, torch.compile and torch.func with 2.0, torch.compiler with 2.1, ...: the first "
        "release of each is read from the macOS arm64 wheels); the diagnosis names the release "
        "the code needs.",
        Fix(
            "Upgrade PyTorch to the release the code needs (`torch>=N`, N named in the diagnosis).",
            ("python -m pip install --upgrade torch",),
        ),
        accepts=lambda m: torch_names.missing(m.group(0)) is not None,
    ),
    # torch/serialization.py (default_restore_location): "don't know how to restore data location
    # of torch.storage.UntypedStorage (tagged with mps:0)" - torch.load found no deserializer for
    # the checkpoint's (or map_location's) MPS location tag. Read from the macOS arm64 wheels'
    # torch/serialization.py: 1.11.0 and 1.12.0 have no MPS deserializer at all (any 'mps' tag
    # fails: pytorch/pytorch#79384, fixed by #79465 for 1.13); 1.13.1 and 2.0.1 restore only
    # the exact tag 'mps' (`if location == 'mps'`), so 'mps:0' fails; 2.1.0 and every later wheel
    # read (to 2.15.0) accept any `location.startswith('mps')` (pytorch/pytorch#98834, "[MPS]
    # Handle deserialization more permissively"). Report: eloialonso/diamond#6 (torch 2.0.1 on
    # an M1, "Works after upgrading to torch==2.4.1"). The message is Python's, so it says
    # nothing about the machine: a Linux box loading a Mac's checkpoint prints it too.
    _Pattern(
        "mps.checkpoint_needs_newer_torch",
        re.compile(
            r"don't know how to restore data location of [\w.]+ \(tagged with "
            r"['\"]?mps(?::\d+)?['\"]?\)[^\n]*"
        ),
        "torch.load cannot restore MPS tensors",
        "This PyTorch cannot restore tensors saved on (or mapped to) an MPS device: torch.load "
        "accepts the location 'mps' only from PyTorch 1.13, and 'mps:0' / 'mps:N' only from "
        "PyTorch 2.1 (pytorch/pytorch#98834).",
        Fix(
            "Upgrade PyTorch to 2.1 or newer; or load onto the CPU and move the model afterwards: "
            "`torch.load(path, map_location='cpu')`, then `model.to('mps')`.",
            ("python -m pip install --upgrade torch",),
            "https://github.com/pytorch/pytorch/pull/98834",
        ),
    ),
    # torch/distributed/distributed_c10d.py (Backend.__init__ / init_process_group with no backend
    # named): "We detected accelerator mps on your machine. But we don't know which communication
    # backend to use for this accelerator. Please specify the `backend` argument in the
    # `init_process_group` call." Read from the macOS arm64 wheels (sha256 checked against PyPI,
    # 2026-12-01): default_device_backend_map has no "mps" in 2.6.0 and 2.7.0 and maps it to gloo
    # from 2.8.0 (pytorch/pytorch#149538, "Specify the default PyTorch Distributed backend for
    # MPS", fixing #149537: torchft's tests on an M2 Ultra with 2.6.0).
    _Pattern(
        "mps.dist_backend_needs_newer_torch",
        re.compile(
            r"We detected accelerator mps on your machine\. But we don't know which "
            r"communication backend to use for this accelerator\.[^\n]*"
        ),
        "torch.distributed has no default backend for MPS here",
        "torch.distributed's init_process_group, called without a backend, picks one for the "
        "machine's accelerator, and this PyTorch has none for MPS: the default (gloo) for 'mps' "
        "arrived in PyTorch 2.8 (pytorch/pytorch#149538). MPS itself works; only the default "
        "is missing.",
        Fix(
            "Name the backend: `torch.distributed.init_process_group(backend='gloo', ...)` (gloo "
            "is the backend for a Mac), or upgrade PyTorch to 2.8 or newer.",
            ("python -m pip install --upgrade torch",),
            "https://github.com/pytorch/pytorch/pull/149538",
        ),
        severity="warn",
        environment=False,
    ),
    # torch.compile's default backend without an MPS code generator: torch/_inductor/graph.py
    # (init_wrapper_code) asserts f"Device {device_type} not supported" (pytorch/pytorch#112001;
    # the assert is in every wheel from 2.2.2 to 2.15.0 read here), and Inductor's MPS code
    # generator (torch/_inductor/codegen/mps.py) first ships in the 2.7.1 wheel (2.6.0 has
    # none). Reports: pytorch/pytorch#125254 (torch 2.3.0), MIC-DKFZ/nnUNet#2244.
    _Pattern(
        "mps.compile_unsupported",
        re.compile(r"Device mps not supported[^\n]*"),
        "torch.compile has no MPS backend here",
        "torch.compile's default backend (Inductor) in this PyTorch generates no code for MPS "
        "(Inductor's MPS code generator arrived in PyTorch 2.7), so compiling a model on 'mps' "
        "fails; the model itself runs on MPS without torch.compile.",
        Fix(
            "Run without torch.compile on MPS (or with backend='aot_eager'), or upgrade PyTorch "
            "to 2.7 or newer, where Inductor compiles for MPS (pytorch/pytorch#150121 tracks "
            "what it covers).",
            ("nox -s install",),
            "https://github.com/pytorch/pytorch/issues/125254",
        ),
        environment=False,
    ),
    # MPSGraph (Apple's framework under torch's MPS kernels) refusing a float16 / bfloat16 and a
    # float32 tensor in one operation: half precision (a --force-fp16 / --half flag, a model
    # loaded in float16, fp16 autocast) meets a float32 tensor the torch of that run did not
    # cast, most often LayerNorm's float32 epsilon ('loc("varianceEps"...): error: input types
    # 'tensor<1x77x1xf16>' and 'tensor<1xf32>' are not broadcast compatible' then "LLVM ERROR:
    # Failed to infer result type(s).", Comfy-Org/ComfyUI#1352 with --force-fp16 and #3084,
    # where --force-fp32 ran; vladmandic/sdnext#824, where --no-half ran; kijai/ComfyUI-SUPIR#70,
    # where the model had to be fp32 on a Mac; huggingface/diffusers#4266, gone with
    # --mixed_precision="no"), or MPSGraph's verifier saying it of an add ("'mps.add' op
    # requires the same element type for all operands and results" with a "(tensor<...xf16>,
    # tensor<*xf32>)" note: AUTOMATIC1111/stable-diffusion-webui#1890). Apple's text, not
    # torch's: the wheels do not hold it. A float32 / int64 mix is not read here (a kernel bug
    # of its own, pytorch/pytorch#100717).
    _Pattern(
        "mps.half_mixed_types",
        re.compile(
            # or batch_norm's statistics in float32 under a float16 input: "output type
            # 'tensor<2x3x4xf16>' and mean type 'tensor<1x3x1xf32>' are not broadcast
            # compatible" (pytorch/pytorch#154887, float32 statistics with a float16 input)
            r"(?:input|output) types? 'tensor<[^'\n]*?x?(?P<left>b?f16|f32)>' and "
            r"(?:\w+ type )?'tensor<[^'\n]*?x?(?P<right>b?f16|f32)>' are not broadcast "
            r"compatible[^\n]*|"
            r"'mps\.\w+' op requires the same element type for all operands and results[^\n]*"
            r"\n[^\n]*? : \((?=[^)\n]*xb?f16>)(?=[^)\n]*xf32>)[^)\n]*\)[^\n]*|"
            # MPSGraphExecutable's assertion for a graph compiled for one precision and fed the
            # other: "failed assertion `Incompatible element type for parameter at index 1, mlir
            # module expected element type f32 but received bf16'" (bfloat16 autocast on MPS:
            # hvoss-tech/AutoForge#35, float32 ran)
            r"Incompatible element type for parameter at index \d+, mlir module expected element "
            r"type (?P<left2>b?f16|f32) but received (?P<right2>b?f16|f32)[^\n]*"
        ),
        "Half precision meets float32 on MPS",
        "MPSGraph refused an operation on a float16 (or bfloat16) tensor and a float32 tensor "
        "together: the model runs in half precision (a --force-fp16 / --half option, weights "
        "loaded in float16, fp16 mixed precision) and this PyTorch's MPS kernel for that "
        "operation (often LayerNorm's epsilon) did not cast the float32 side, so the process "
        "aborts. The MPS device itself works.",
        Fix(
            "Run the model in float32 on MPS: the application's full-precision option (ComfyUI "
            "--force-fp32, the Stable Diffusion web UIs' --no-half, accelerate "
            "--mixed_precision no), or load the weights with torch_dtype=torch.float32; a newer "
            "PyTorch casts more of these mixed inputs.",
            url=OP_COVERAGE_ISSUE_NEW,
        ),
        severity="warn",
        environment=False,
        accepts=_two_precisions,
    ),
    # Hugging Face's wrappers refusing mixed precision on MPS (the model itself can still run in
    # float16): accelerate's Accelerator ("fp16 mixed precision requires a GPU (not 'mps').",
    # accelerate/accelerator.py; transformers' Trainer reaches it through TrainingArguments(
    # fp16=True): huggingface/accelerate#3718 on an M2 Pro with accelerate 1.9.0 and torch 2.6.0;
    # amp on MPS came with huggingface/accelerate#3373) and the diffusers example training
    # scripts' own check ("Mixed precision training with bfloat16 is not supported on MPS. Please
    # use fp16 (recommended) or fp32 instead.", citing pytorch/pytorch#99272). Only the texts that
    # name MPS: accelerate's "fp16 mixed precision requires a GPU" without "(not 'mps')" is a
    # CUDA-less Windows or Linux machine (bmaltais/kohya_ss#719).
    _Pattern(
        "mps.hf_mixed_precision",
        re.compile(
            r"fp16 mixed precision requires a GPU \(not 'mps'\)[^\n]*|"
            r"Mixed precision training with bfloat16 is not supported on MPS[^\n]*"
        ),
        "Mixed precision refused on MPS",
        "A Hugging Face library (accelerate, or transformers' Trainer through it, or a diffusers "
        "training script) refused mixed-precision training on MPS: its automatic mixed "
        "precision supports MPS only in recent versions, and bfloat16 not at all in those "
        "scripts. The MPS device itself works.",
        Fix(
            "Turn mixed precision off (accelerate: mixed_precision='no'; Trainer: fp16=False, "
            "bf16=False) and load the model in float16 or float32 directly; or upgrade "
            "accelerate and PyTorch, whose amp supports MPS since huggingface/accelerate#3373.",
            ("accelerate config default --mixed_precision no",),
            "https://github.com/huggingface/accelerate/issues/3718",
        ),
        environment=False,
    ),
    # transformers' TrainingArguments (training_args.py, 4.2x-4.4x) refusing fp16 on any device
    # but CUDA (later NPU, XPU, MLU): "FP16 Mixed precision training with AMP or APEX (`--fp16`)
    # and FP16 half precision evaluation (`--fp16_full_eval`) can only be used on CUDA or NPU
    # devices or certain XPU devices (with IPEX)." It names no MPS (a CUDA-less PC prints it
    # too): read only where the paste names MPS or a Mac. Reports: hiyouga/LlamaFactory#2434
    # ("float16不能用mps推理吗"), #3815 (maintainer: only fp32 on M-series Macs), #2329 (remove
    # --fp16). A warning: the device works, and fp16=False trains (in float32).
    _Pattern(
        "mps.hf_mixed_precision",
        re.compile(
            r"FP16 Mixed precision training with AMP or APEX \(`?--fp16`?\) and FP16 half "
            r"precision\s+evaluation \(`?--fp16_full_eval`?\) can only be used on CUDA[^\n]*"
        ),
        "Mixed precision refused on MPS",
        "transformers' Trainer (TrainingArguments) refused fp16 mixed precision: that "
        "transformers allows it on CUDA (and NPU / XPU / MLU) devices only, not on MPS. The MPS "
        "device itself works.",
        Fix(
            "Train without fp16 (TrainingArguments(fp16=False, fp16_full_eval=False); drop "
            "--fp16) in float32; or upgrade transformers, accelerate and PyTorch, whose mixed "
            "precision supports MPS since huggingface/accelerate#3373 (PyTorch 2.5 or newer).",
            ("python -m pip install --upgrade transformers accelerate torch",),
        ),
        severity="warn",
        environment=False,
        needs_mac_said=True,
    ),
    # Automatic mixed precision asked of a torch older than its MPS support: torch/amp/
    # autocast_mode.py raises "User specified an unsupported autocast device_type 'mps'" where
    # it has no branch for the device (the 2.4.1 wheel; 2.5.0 has one: verify.amp_mps, read from
    # the macOS arm64 wheels; pytorch/pytorch#99272); accelerate (1.11.0 on) names the torch it
    # needs itself: "fp16 mixed precision with MPS device requires a Pytorch >= 2.5.0", "bf16
    # ... >= 2.6.0" (accelerate/accelerator.py), "Grad Scaler with MPS device requires a Pytorch
    # >= 2.8.0" (accelerate/utils/modeling.py, get_grad_scaler: generative-computing/mellea#421,
    # torch 2.7.0 pinned, LoRA training on a MacBook). Reports: flairNLP/flair#3506 (torch 2.3.1,
    # "got past this error by upgrading to torch 2.5.0"), kijai/ComfyUI-LivePortraitKJ#94. A
    # warning: a library that starts calling autocast breaks a working setup the same way
    # (oobabooga/text-generation-webui#5695: transformers 4.38.2, fixed by going back to
    # 4.38.1), and the diagnosis drops it where the pasted torch already has autocast on MPS.
    _Pattern(
        "mps.amp_needs_newer_torch",
        re.compile(
            r"User specified an unsupported autocast device_type '?mps'?[^\n]*|"
            r"(?:(?:fp16|bf16) mixed precision|Grad Scaler) with MPS device requires a Pytorch "
            r">= [\d.]+[^\n]*|"
            # 2.5's warning when autocast on MPS is asked for another dtype than float16 (its
            # text says bfloat16, its supported_dtype holds float16 only: the 2.5.0 and 2.5.1
            # wheels); 2.6 takes bfloat16 and words it "... bfloat16 and torch.float16 ..."
            r"MPS Autocast only supports dtype of torch\.bfloat16 currently\.?(?m:(?=[ \t]*$))"
        ),
        "Mixed precision on MPS needs a newer PyTorch",
        f"This PyTorch is older than automatic mixed precision on MPS: torch.autocast takes "
        f"device_type 'mps' from PyTorch {amp_mps.minor(amp_mps.AUTOCAST)} (float16; bfloat16 "
        f"from {amp_mps.minor(amp_mps.BFLOAT16)}, on macOS 14+), and fp16 training's GradScaler "
        f"runs on MPS from {amp_mps.minor(amp_mps.GRAD_SCALER)} (read from the macOS arm64 "
        "wheels). The code (or a library it calls) asks for autocast on 'mps'.",
        Fix(
            f"Upgrade PyTorch to {amp_mps.minor(amp_mps.AUTOCAST)} or newer "
            f"({amp_mps.minor(amp_mps.GRAD_SCALER)}+ for fp16 training with a GradScaler); or "
            "turn mixed precision off for MPS (the application's or library's fp16 / bf16 / "
            "autocast option, or `torch.autocast('mps', enabled=False)`).",
            ("python -m pip install --upgrade torch",),
            "https://github.com/pytorch/pytorch/pull/99272",
        ),
        severity="warn",
        environment=False,
    ),
    # torch/cuda/__init__.py (_lazy_init): "Torch not compiled with CUDA enabled" - code that
    # asks for CUDA (`.cuda()`, device="cuda") on a torch built without it, as every macOS build
    # is; torch/amp/autocast_mode.py warns "User provided device_type of 'cuda', but CUDA is not
    # available. Disabling" for torch.autocast("cuda") (kandinskylab/kandinsky-5#36 on an M3).
    # On a Mac the device is the code's choice: dwrensha/acronymy-assistant#2 ("mps works" with
    # `--device mps`), kijai/ComfyUI-LivePortraitKJ#31 (a node hard-coding CUDA on an M3 Pro).
    _Pattern(
        "mps.cuda_requested",
        re.compile(
            r"Torch not compiled with CUDA enabled[^\n]*|"
            r"User provided device_type of 'cuda', but CUDA is not available[^\n]*|"
            # a function only a CUDA build compiles into torch._C (torch/csrc/cuda/
            # python_comm.cpp's _scatter / _gather / _broadcast*, Module.cpp's _cuda_*; none is
            # in torch 2.13.0+cpu): "AttributeError: module 'torch._C' has no attribute
            # '_scatter'" (pytorch/pytorch#105093, mmcv's data-parallel scatter with device mps
            # on an M2)
            r"module 'torch\._C' has no attribute '_(?:cuda_\w+|scatter|gather|broadcast\w*|"
            r"nccl_\w+)'[^\n]*"
        ),
        "The code asks for CUDA",
        "The code (an application, a node, a script) asks for a CUDA device, and this PyTorch "
        "has no CUDA - no macOS build of PyTorch has: a Mac's GPU is reached through MPS. The "
        "device is the code's choice; this message says nothing against MPS.",
        Fix(
            "On a Mac, make the code use MPS: the application's device option (e.g. `--device "
            "mps`), or in the code `device = 'mps' if torch.backends.mps.is_available() else "
            "'cpu'` in place of 'cuda' / `.cuda()`. On Linux or Windows with an NVIDIA GPU, "
            "install a CUDA build of PyTorch instead.",
            (CHECK_MPS_AVAILABLE,),
        ),
        severity="warn",
        environment=False,
    ),
    # coremltools running a Core ML model off macOS: MLModel.predict raises "Model prediction is
    # only supported on macOS version 10.13." (coremltools/models/model.py, where
    # `_sys.platform != 'darwin'` or the macOS is older; "... 10.13 or later." in newer releases).
    # Core ML is Apple's framework, as Metal is: conversion runs on Linux and Windows, prediction
    # does not (prisma-ai/torch2coreml#2 on Linux, "to run models you need macOS 10.13 or iOS 11";
    # ultralytics/ultralytics#1728 on Ubuntu 18.04). Expecting it is expecting a Mac, so the OS
    # rows judge the paste as they do an MPS attempt.
    _Pattern(
        "mps.apple_framework_off_mac",
        re.compile(r"Model prediction is only supported on macOS version 10\.13\b[^\n]*"),
        "Core ML prediction needs macOS",
        "coremltools runs a Core ML model only on macOS (10.13 or newer): Core ML is Apple's "
        "framework, like Metal and MPS, and this process does not run on macOS. Converting a "
        "model works on Linux and Windows; predicting with it does not.",
        Fix(
            "Run the Core ML model on a Mac (or an iPhone / iPad); on Linux or Windows, run the "
            "original PyTorch model (CPU or CUDA) instead of its Core ML conversion.",
        ),
    ),
    # A PyTorch built without its distributed package: torch/distributed/__init__.py exposes its
    # API only `if is_available()` (hasattr(torch._C, "_c10d_init")), and its is_available()
    # docstring (1.12.1 through 2.13.0, read from the wheels) says the source build's default is
    # "USE_DISTRIBUTED=0 for MacOS". PyPI's macOS wheels have it from 1.3.0 (read from the
    # x86_64 wheels of 1.3.0 to 1.7.0 and both 1.12.1 ones, sha256 checked, 2026-12-02:
    # libtorch_python holds _c10d_init and ProcessGroupGloo; 1.1.0's has neither,
    # pytorch/pytorch#20380); conda-forge's osx builds did not
    # (conda-forge/pytorch-cpu-feedstock#46: "cannot import name 'ReduceOp'", then "module
    # 'torch.distributed' has no attribute 'init_process_group'"; invoke-ai/InvokeAI#485 on an
    # M1 with miniconda; deepspeedai/DeepSpeed#2830 with conda on macOS 12.3). Only the names
    # every torch with distributed has, so no newer API missing from an older torch is read.
    _Pattern(
        "mps.no_distributed",
        re.compile(
            r"module 'torch\.distributed' has no attribute '(?:" + _C10D_NAMES + r")'[^\n]*|"
            # the very hasattr torch.distributed.is_available() asks (torch/distributed/
            # __init__.py): "AttributeError: module 'torch._C' has no attribute '_c10d_init'"
            # (pytorch/pytorch#17900, conda's pytorch 1.0.0 on a Mac and on Windows 7)
            r"module 'torch\._C' has no attribute '_c10d_init'[^\n]*|"
            r"cannot import name '(?:" + _C10D_NAMES + r")' from 'torch\.distributed'[^\n]*|"
            # Python before 3.8 names no module: the import line above says it
            r"from torch\.distributed import [^\n]*\n[^\n]*cannot import name '(?:"
            + _C10D_NAMES
            + r")'[^\n]*"
        ),
        "PyTorch built without torch.distributed",
        "This PyTorch was built without its distributed package (USE_DISTRIBUTED=0, the default "
        "of a source build on macOS): torch.distributed.is_available() is False and names such "
        "as ReduceOp and init_process_group do not exist, so code that imports them fails at "
        "once. PyPI's macOS wheels have it from PyTorch 1.3 on; some conda and source builds "
        "for macOS did not.",
        Fix(
            "Install PyTorch from PyPI in this environment (`python -m pip install "
            "--force-reinstall torch`), or a conda build made with USE_DISTRIBUTED=1; or take the "
            "code path that needs no torch.distributed (one device, no DeepSpeed or other "
            "multi-process launcher).",
            ('python -c "import torch.distributed as d; print(d.is_available())"',),
        ),
    ),
    # MLX (Apple's array framework) imported on Linux with no backend: "ImportError: libmlx.so:
    # cannot open shared object file" (apple/ml-simplefold#11, "a Linux server", the project
    # importing mlx even for its torch backend). Read from PyPI's mlx 0.32.4 manylinux x86_64 wheel
    # (sha256 checked, 2026-12-02): it holds no libmlx.so, which comes with its `cpu` / `cuda`
    # extras (mlx-cpu, mlx-cuda-12), and its Metal backend (mlx-metal) is required on Darwin only.
    # Code written for MLX on Apple silicon expects a Mac, as MPS code does, so the OS rows judge
    # the paste as they do an MPS attempt.
    _Pattern(
        "mps.mlx_off_mac",
        re.compile(r"libmlx\.so: cannot open shared object file[^\n]*"),
        "MLX without a backend, off macOS",
        "MLX, Apple's array framework, is imported here on Linux, and its Linux wheel brings no "
        "backend (no libmlx.so): that comes only with its `cpu` or `cuda` extra, and its Metal "
        "backend, the one code written for Apple silicon uses, exists only on macOS.",
        Fix(
            "On Linux, use the project's PyTorch path (CPU or CUDA) where it has one, or install "
            'MLX with a backend: `pip install "mlx[cpu]"` (or `mlx[cuda]`); MLX on a GPU through '
            "Metal needs a Mac.",
        ),
    ),
    # torch/serialization.py (_validate_device): "Attempting to deserialize object on a CUDA device
    # but torch.cuda.is_available() is False. If you are running on a CPU-only machine, please use
    # torch.load with map_location=torch.device('cpu') ..." - a checkpoint saved from CUDA tensors,
    # loaded without map_location. Every Mac gets it, MPS working or not: the loading code's to
    # mend (resemble-ai/chatterbox#85, anothermartz/Easy-Wav2Lip#71 on an M3,
    # FireRedTeam/FireRedTTS2#24 "We can't run the project on MacOS").
    _Pattern(
        "mps.cuda_checkpoint",
        re.compile(
            r"Attempting to deserialize object on a CUDA device but torch\.cuda\.is_available\(\) "
            r"is False[^\n]*"
        ),
        "A CUDA checkpoint loaded without map_location",
        "The code loads a checkpoint whose tensors were saved on a CUDA GPU, and torch.load "
        "restores them to CUDA unless told otherwise. No macOS build of PyTorch has CUDA, so "
        "this fails on every Mac; it says nothing against MPS.",
        Fix(
            "Load the checkpoint onto this Mac's device: `torch.load(path, map_location='mps')` "
            "(or `'cpu'`, then move the model with `.to('mps')`). In an application, look for "
            "its device option or report the torch.load call without map_location upstream.",
            (CHECK_MPS_AVAILABLE,),
        ),
        severity="warn",
        environment=False,
    ),
    # an application's own log line when its device check finds no CUDA GPU and it picks the CPU
    # ("WARNING:ChatTTS.utils.gpu_utils:No GPU found, use CPU instead" on an M1: 2noise/ChatTTS#60,
    # whose check looked for CUDA only; "CUDA not available, using CPU"): the application's
    # choice, not a finding about MPS
    _Pattern(
        "mps.app_chose_cpu",
        re.compile(
            r"\bNo (?:GPU|CUDA(?: GPU| device)?)s? (?:found|detected|available)[,;.]?[ \t]*"
            r"(?:use|using|fall(?:ing)? back to|switching to|defaulting to)[ \t]+(?:the[ \t]+)?"
            r"CPU\b[^\n]*|"
            r"\bCUDA (?:is )?not available[,;.]?[ \t]*(?:use|using|fall(?:ing)? back to|switching "
            r"to|defaulting to)[ \t]+(?:the[ \t]+)?CPU\b[^\n]*",
            re.IGNORECASE,
        ),
        "The application chose the CPU",
        "The application looked for a GPU, found none it uses and chose the CPU itself. Many "
        "applications look for CUDA (NVIDIA) only and never try MPS, so on a Mac this line "
        "alone does not mean that MPS is unavailable.",
        Fix(
            "Check MPS itself with the command below. If it prints True, select the MPS device "
            "in the application (its device option or MPS switch, e.g. `--device mps`); if "
            "False, run `python -m verify` to see why.",
            (CHECK_MPS_AVAILABLE,),
        ),
        severity="warn",
        environment=False,
    ),
    # Two OpenMP runtimes in one process, a Mac install's classic: Intel's libiomp5 (conda's MKL /
    # intel-openmp) beside LLVM's libomp (PyTorch's macOS wheels, conda-forge), and the LLVM
    # runtime's abort (openmp/runtime/src/i18n/en_US.txt: "Initializing %1$s, but found %2$s
    # already initialized."; kuprel/min-dalle#12, pytorch/vision#6087, both fixed by an
    # environment installed from one source)
    _Pattern(
        "mps.duplicate_openmp",
        re.compile(
            r"OMP: Error #15: Initializing lib\w+\.dylib, but found lib\w+\.dylib already "
            r"initialized\.?"
        ),
        "Two OpenMP runtimes loaded",
        "Two OpenMP runtimes were loaded into this Python: Intel's libiomp5 (from MKL or "
        "intel-openmp, which conda's defaults channel installs with numpy and friends) and "
        "LLVM's libomp (which PyTorch's macOS wheels and conda-forge's packages use). The "
        "runtime aborts the process; PyTorch itself is not at fault.",
        Fix(
            "Install the environment from one source: a new conda environment from conda-forge "
            "only (`conda create -n torch -c conda-forge --override-channels pytorch`), or a "
            "venv with pip's wheels only; in an existing defaults environment `conda install "
            "nomkl` drops MKL. KMP_DUPLICATE_LIB_OK=TRUE only hides the clash (it can give "
            "wrong results).",
            ("conda list | grep -i -E 'mkl|openmp'",),
        ),
    ),
    # Gatekeeper refusing a library that carries a download's quarantine flag and no valid
    # signature: dyld's "code signature in (...libiomp5.dylib) not valid for use in process using
    # Library Validation: library load disallowed by system policy" (opendreamnet/dreampower#107,
    # fixed by `xattr -d com.apple.quarantine`; #114), newer macOS's "...dylib' not valid for use
    # in process: library load disallowed by system policy" (opensim-org/opensim-core#4238), and
    # Finder's dialogs, in curly quotes: "libc10.dylib can't be opened because Apple cannot
    # check it for malicious software." (pytorch/pytorch#120606: LibTorch from pytorch.org;
    # malfet: "PyTorch, like binaries for many other open source projects are unsigned"),
    # "«libiomp5.dylib» is damaged and can't be opened", '"libDlibDotNetNativeDnn.dylib" cannot
    # be opened because the developer can not be verified' (takuya-takeuchi/FaceRecognitionDotNet
    # #177)
    _Pattern(
        "mps.library_quarantined",
        re.compile(
            r"code signature in \([^\n)]*\) not valid for use in process[^\n]*|"
            r"\bnot valid for use in process(?: using Library Validation)?: library load "
            r"disallowed by system policy|"
            r"[\u201c\"\u00ab']?\blib[\w.+-]*\.(?:dylib|so)[\u201d\"\u00bb']? "
            r"(?:is damaged and can['\u2019]t be opened|"
            r"can(?:['\u2019]t|not) be opened because "
            r"(?:Apple cannot check it for malicious software|the developer can ?not be verified))"
            r"[^\n]*"
        ),
        "macOS refused a downloaded library",
        "macOS refused to load a library: it came from a download (a browser or an app's "
        "archive marks it with the quarantine flag) and carries no signature Gatekeeper accepts. "
        "PyTorch's LibTorch archives, and the torch bundled in many downloaded apps, are "
        "unsigned; the library itself is fine.",
        Fix(
            "Clear the quarantine flag on the folder you unpacked, if you trust where it came "
            "from (opendreamnet/dreampower#107), or fetch it with curl / pip, which set no "
            "flag; System Settings > Privacy & Security can allow one file at a time.",
            ("xattr -dr com.apple.quarantine /path/to/libtorch",),
        ),
    ),
    # DataLoader workers (and any multiprocessing) started with spawn, macOS's default since
    # Python 3.8 (Windows' always): each worker re-imports the main module and gets the dataset by
    # pickle, so a lambda or a function defined inside another cannot be sent (Python's pickle:
    # "AttributeError: Can't pickle local object 'get_loader.<locals>.<lambda>'", the worker's
    # "Can't get local object ..."; yizhiwang96/deepvecfont#3 on OS X, fixed by num_workers=0),
    # and a script without `if __name__ == '__main__':` starts itself again (multiprocessing/
    # spawn.py's "An attempt has been made to start a new process before the current process has
    # finished its bootstrapping phase."). On Linux, fork sends neither: a Mac's (or Windows')
    # failure, so only where the paste names a Mac.
    _Pattern(
        "mps.workers_spawn",
        re.compile(
            r"Can't (?:pickle|get) local object\b[^\n]*|"
            r"An attempt has been made to start a new process before(?:\s+the)?\s+current\s+"
            r"process\s+has\s+finished\s+its\s+bootstrapping\s+phase\.?"
        ),
        "Worker processes are spawned on macOS",
        "Python on macOS starts DataLoader workers (and other multiprocessing) with spawn, not "
        "fork as on Linux: each worker imports the main script afresh and receives the dataset "
        "by pickling it, so a lambda or a function defined inside another function cannot be "
        "sent, and a script that starts workers at import time (no `if __name__ == "
        "'__main__':`) starts itself again. PyTorch and MPS are not at fault.",
        Fix(
            "Define the dataset's functions (collate_fn, transforms, worker_init_fn) at module "
            "level instead of as lambdas or nested functions, and start training under `if "
            "__name__ == '__main__':`; or set `num_workers=0` in the DataLoader (slower "
            "loading).",
        ),
        # warn: the code's hand-over to its workers, as with tensors on two devices
        severity="warn",
        environment=False,
        needs_mac_said=True,
    ),
    # Lightning's wrapper when its MPS accelerator is not available (lightning/pytorch/trainer/
    # connectors/accelerator_connector.py): "MPSAccelerator can not run on your system since the
    # accelerator is not available." Lightning 1.7 also required platform.processor() == "arm",
    # which an x86_64 (Rosetta) Python fails (Lightning-AI/pytorch-lightning#14634) and, until
    # PR #13992, a native "arm64" one too (#13991).
    _Pattern(
        "mps.lightning_unavailable",
        # (Lightning's message quotes the name in backticks: Lightning-AI/pytorch-lightning#15861)
        re.compile(r"`?MPSAccelerator`? can not run on your system[^\n]*"),
        "Lightning finds no MPS",
        "Lightning found no usable MPS device: torch.backends.mps.is_available() is False here, "
        "or (Lightning 1.7) its platform check refused the interpreter (an x86_64 Python under "
        "Rosetta reports processor 'i386').",
        Fix(
            'Check `python -c "import platform, torch; print(platform.machine(), '
            "torch.backends.mps.is_available())\"` prints 'arm64 True'; if not, use a native "
            "arm64 Python and PyTorch; with Lightning 1.7 upgrade Lightning.",
            ("python -m verify",),
        ),
    ),
    # c10/core/impl/DeviceGuardImplInterface.h: "PyTorch is not linked with support for mps
    # devices" (getDeviceGuardImpl): no MPS device guard is registered, i.e. a build without the
    # MPS backend. torch 2.13.0+cpu on Linux (this project's dev environment) raises it for
    # `tensor.to('mps')`, and for `torch.zeros(1, device='mps')` the dispatcher's "Could not run
    # 'aten::empty.memory_format' with arguments from the 'MPS' backend" (pytorch/pytorch#77748
    # on an early 1.12 nightly); the MPS hooks' stubs say "Cannot execute deviceSynchronize()
    # without MPS backend." (aten/src/ATen/detail/MPSHooksInterface.h). A Linux or Windows
    # build, an osx-64 conda package, a source build with USE_MPS=0; PyPI's macOS wheels,
    # x86_64 ones up to 2.2.2 included, do have MPS.
    _Pattern(
        "mps.not_linked",
        re.compile(
            r"PyTorch is not linked with support for mps devices[^\n]*|"
            r"Could not run '" + MAKES_MPS_TENSOR + r"' with arguments from the 'MPS' backend"
            r"[^\n]*|"
            r"Cannot (?:execute \w+\(\)|initialize MPS|synchronize MPS device|get default MPS "
            r"generator) without MPS backend[^\n]*|"
            # torch/csrc/Storage.cpp (THPStorage_pynew): "torch.UntypedStorage(): Storage device
            # not recognized: mps" - the same build asked for an MPS storage, mostly by torch.load
            # of a checkpoint saved on a Mac's MPS device (torch >= 2.1 sends any 'mps...' tag to
            # obj.mps(): pytorch/pytorch#194584; this project's torch 2.13.0+cpu prints it for
            # map_location='mps'). Reports: chemprop/chemprop#1251 (fixed by map_location='cpu',
            # chemprop#1252), Lightning-AI/pytorch-lightning#17618 (an Ubuntu CI runner).
            r"Storage device not recognized: mps\b[^\n]*",
            re.IGNORECASE,
        ),
        "PyTorch built without MPS",
        "This PyTorch was built without the MPS backend: a Linux or Windows build, an osx-64 "
        "conda package, or a source build without USE_MPS (PyPI's macOS wheels include it).",
        Fix(
            "Install an arm64 (osx-arm64) PyTorch from a native arm64 Python: "
            "`nox -s install`, or `pip install torch` from an arm64 interpreter."
        ),
        printed=(
            Printed(
                "PyTorch is not linked with support for ",
                ">=1.11",
                "c10/core/impl/DeviceGuardImplInterface.h",
                "https://github.com/pytorch/pytorch/issues/77748",
            ),
        ),
    ),
    # aten/src/ATen/mps/EmptyTensor.cpp: MPS_ERROR_NOT_COMPILED "PyTorch code is not compiled with
    # MPS enabled" (compiled only into builds without MPS, so in no macOS wheel);
    # docs/source/notes/mps.rst's check prints "MPS not available because the current PyTorch
    # install was not built with MPS enabled." (copied into many scripts).
    _Pattern(
        "mps.not_built",
        re.compile(
            r"MPS not available because the current PyTorch install was not built with "
            r"MPS enabled[^\n]*|PyTorch code is not compiled with MPS enabled[^\n]*"
        ),
        "PyTorch built without MPS",
        "This PyTorch was built without the MPS backend (a Linux, CPU-only or osx-64 conda "
        "build, or a source build without USE_MPS).",
        Fix("Install an arm64 (osx-arm64) PyTorch from a native arm64 Python: `nox -s install`."),
    ),
    # torch 2.15 tells the no-device case apart from an old macOS: aten/src/ATen/mps/
    # EmptyTensor.cpp (mps_unavailable_error) raises "MPS backend is unavailable: no supported
    # Metal GPU was found. This can happen when running inside a virtual machine, sandbox or
    # container without GPU access" (the 2.15 wheel's libtorch_cpu.dylib, beside "The MPS
    # backend is supported on macOS 15.0+."); earlier releases said the macOS one for both
    # (mps.macos_too_old below).
    _Pattern(
        "mps.no_metal_device",
        re.compile(r"MPS backend is unavailable: no supported Metal GPU was found[^\n]*"),
        "No Metal GPU visible to this process",
        "torch found no Metal GPU it can use: the process runs where the Mac's GPU does not "
        "reach it (a virtual machine, a sandbox or a container without GPU access), as the "
        "message itself says.",
        Fix(
            "Run Python directly on the Mac, outside the VM, sandbox or container (in CI: a "
            "bare-metal Apple silicon runner); where that cannot be, use the CPU "
            "(torch.device('cpu')).",
            (CHECK_MPS_AVAILABLE,),
        ),
        printed=(
            Printed(
                "MPS backend is unavailable: no supported Metal GPU was found. ",
                ">=2.15",
                _MPS_ATEN + "EmptyTensor.cpp",
            ),
        ),
    ),
    # aten/src/ATen/mps/MPSAllocator.mm (init_allocator, from 2.13): TORCH_CHECK(m_device.
    # hasUnifiedMemory, "MPS backend is only supported on devices with unified memory"). Apple
    # silicon GPUs share memory with the CPU; a Mac whose Metal GPU has its own (an Intel Mac's
    # AMD or external GPU, which ran MPS in earlier releases) is refused.
    _Pattern(
        "mps.no_unified_memory",
        re.compile(r"MPS backend is only supported on devices with unified memory[^\n]*"),
        "The GPU has no unified memory (not Apple silicon)",
        "PyTorch 2.13 and newer run MPS only on GPUs that share memory with the CPU (Apple "
        "silicon): this Mac's Metal GPU has memory of its own, as an Intel Mac's AMD or external "
        "GPU has.",
        Fix(
            "Run MPS work on an Apple silicon Mac; on this Mac use the CPU "
            "(torch.device('cpu')), or a PyTorch older than 2.13, whose MPS backend still ran on "
            "such GPUs.",
        ),
        printed=(
            Printed(
                "MPS backend is only supported on devices with unified memory",
                ">=2.13",
                _MPS_ATEN + "MPSAllocator.mm",
            ),
        ),
    ),
    # aten/src/ATen/mps/EmptyTensor.cpp: MPS_ERROR_RUNTIME_TOO_LOW "The MPS backend is supported
    # on MacOS 12.3+." "Current OS version can be queried using `sw_vers`". The version it names
    # is each release's declared floor (verify.compat.MPS_FLOORS, checked against every recorded
    # wheel) and lagged behind the enforced one: 2.5.1 said 12.3+ while needing 13.0
    # (pytorch/pytorch#139425); 2.15 says 15.0+ while running on 14. torch raises it whenever no
    # MPS device could be created, so it also appears on a new enough macOS when the process
    # cannot see a Metal device (a sandbox: openai/codex#10199; #177819).
    # docs/source/notes/mps.rst's check prints "MPS not available because the current MacOS
    # version is not 12.3+ and/or you do not have an MPS-enabled device on this machine."
    _Pattern(
        "mps.macos_too_old",
        re.compile(
            r"The MPS backend is supported on MacOS (\d+(?:\.\d+)?)\+[^\n]*|"
            r"MPS not available because the current MacOS version is not (\d+(?:\.\d+)?)\+"
            r"[^\n]*",
            re.IGNORECASE,
        ),
        "MPS device could not be created",
        "torch could not create an MPS device: macOS is older than this PyTorch's MPS backend "
        "needs, or this process cannot see a Metal device (a VM, a sandbox, a remote session).",
        Fix(
            f"{_UPDATE_MACOS}, or install an older PyTorch whose MPS backend supports this "
            "macOS; if macOS is already new enough, run Python directly on the Mac (not in a VM "
            "or sandbox)."
        ),
        printed=(
            Printed(
                "The MPS backend is supported on MacOS 12.3+.",
                ">=1.12,<2.6",
                "aten/src/ATen/mps/EmptyTensor.cpp",
                "https://github.com/pytorch/pytorch/issues/139425",
            ),
            Printed(
                "The MPS backend is supported on MacOS 13.0+.",
                ">=2.6,<2.9",
                "aten/src/ATen/mps/EmptyTensor.cpp",
                "https://github.com/pytorch/pytorch/issues/164943",
            ),
            Printed(
                "The MPS backend is supported on MacOS 14.0+.",
                ">=2.9,<2.12",
                "aten/src/ATen/mps/EmptyTensor.cpp",
            ),
            Printed(
                "The MPS backend is supported on macOS 14.0+.",
                ">=2.12,<2.15",
                "aten/src/ATen/mps/EmptyTensor.cpp",
                "https://github.com/pytorch/pytorch/issues/177819",
            ),
            Printed(
                "The MPS backend is supported on macOS 15.0+.",
                ">=2.15",
                "aten/src/ATen/mps/EmptyTensor.cpp",
            ),
        ),
    ),
)


def required_macos(known: KnownError) -> str | None:
    """The macOS version a macOS message names ("12.3", "14.0", "13.2"), if any."""
    m = re.search(r"MacOS_(\d+)_(\d+)", known.match)  # "pre MacOS_14_0", "MacOS_13_2 or newer"
    if m is not None:
        return f"{m.group(1)}.{m.group(2)}"
    # "... on macOS13" / "not natively supported ... on MacOS14": refused on that release, so the
    # next one is the floor
    m = re.search(r"\bon mac ?os ?(\d+)(?![\d.+]|\s*(?:or\b|and\b|\+|onwards))", known.match, re.I)
    if m is not None:
        return f"{int(m.group(1)) + 1}.0"
    m = re.search(r"mac ?os ?(?:version is not )?(\d+(?:\.\d+)?)\+?", known.match, re.IGNORECASE)
    if m is None:
        m = re.search(r"starting from macOS (\d+(?:\.\d+)?)", known.match, re.IGNORECASE)
    return m.group(1) if m else None


def explain(text: str, torch_version: str | None = None) -> KnownError | None:
    """The first known MPS error in `text`, or None. `torch_version`, when known, picks the
    links that match it (the op-coverage issue moved in 2.6)."""
    text = unescaped(text)
    for p in PATTERNS:
        for m in p.matches(text):
            return p.known(m, torch_version)
    return None


_ESCAPES = (("\\'", "'"), ('\\"', '"'), ("\\n", "\n"))


def unescaped(text: str) -> str:
    """A message as printed, when the paste shows it inside a Python or JSON string literal
    (`NotImplementedError: The operator \\'aten::roll\\' ...` from a repr, a JSON log's
    `\\n`)."""
    if "\\" not in text:
        return text
    for escaped, plain in _ESCAPES:
        text = text.replace(escaped, plain)
    return text


# a line a terminal, a log viewer or rich's traceback wrapped at its width: a line of 60 or more
# characters, then one that goes on with a word ("... but it does not have support for that\n
# dtype.", "... implemented for the\nMPS device")
_WRAPPED = re.compile(r"(?<=[^\n]{60})[ \t]*\n[ \t]*(?=[A-Za-z0-9(`'\"])")


# a pattern's place in PATTERNS (the first, where several share an id): the more specific first
_ORDER = {p.id: i for i, p in reversed(list(enumerate(PATTERNS)))}
# id -> its first pattern (the one whose cause, fix and title a row of that id gives)
BY_ID = {pattern_id: PATTERNS[i] for pattern_id, i in _ORDER.items()}


def explain_all(text: str, torch_version: str | None = None, wrapped: str = "") -> list[KnownError]:
    """Every known MPS error in `text`, once per id, in pattern order. A message explained by a
    more specific pattern is not explained again by a general one (e.g. mps.no_gpu_memory's
    message also reads as mps.oom): each pattern takes its first match outside those spans.
    A message wrapped over lines is read with its lines joined, where the text as pasted
    explains nothing of it; `wrapped`: lines the caller found wrapped and joined back, read
    the same way (verify.diagnosis.paste.unwrap)."""
    text = unescaped(text)
    found = _explain(text, torch_version)
    joined = _WRAPPED.sub(" ", text)
    if wrapped:
        joined = f"{joined}\n\n{unescaped(wrapped)}"
    if joined != text:
        ids = {e.id for e in found}
        whole = _explain(joined, torch_version)
        # the tail of a wrapped message read as a message of its own ("Use
        # PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0 ..." as mps.oom after mps.no_gpu_memory's
        # head) is no other message: the joined reading shows it inside the one explained
        found = [f for f in found if not any(_inside(f, e, ids) for e in whole)]
        found += [
            e
            for e in whole
            if e.id not in ids and not any(_same_message(e.match, f.match) for f in found)
        ]
    return found


def _inside(part: KnownError, whole: KnownError, ids: set[str]) -> bool:
    """`part` is a piece of the message `whole` explains, by a more specific pattern (one before
    it in PATTERNS) that explained its head too."""
    if whole.id == part.id or whole.id not in ids or _ORDER[whole.id] > _ORDER[part.id]:
        return False
    a, b = " ".join(part.match.split()), " ".join(whole.match.split())
    return len(a) < len(b) and a in b


def _same_message(a: str, b: str) -> bool:
    """One match within the other, whitespace aside: the same message read twice (its first
    line as pasted, and the whole of it joined) is explained once."""
    a, b = " ".join(a.split()), " ".join(b.split())
    return a in b or b in a


# a message inside a print() call's string: code that prints it, not its output (the MPS notes'
# own check, `print("MPS not available because the current MacOS version is not 12.3+ "`, quoted
# in a feature request: kha-white/manga-ocr#29)
_PRINTED_BY_CODE = re.compile(r"\bprint\(\s*[fFrRuU]?['\"]$")


def _explain(text: str, torch_version: str | None) -> list[KnownError]:
    found = []
    taken: list[tuple[int, int]] = []
    for p in PATTERNS:
        for m in p.matches(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            if _PRINTED_BY_CODE.search(text, text.rfind("\n", 0, m.start()) + 1, m.start()):
                continue
            found.append(p.known(m, torch_version))
            taken.append(m.span())
            break
    return found
