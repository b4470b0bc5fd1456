"""MPS op, dtype and memory limits told in words, with torch's own message missing (issue 12).

What users and maintainers write instead of pasting the refusal:

- a macOS update said to fix an MPS failure of an op ("document that updating macOS resolved
  the issue": myshell-ai/MeloTTS#312 for the conv "Output channels > 65536" refusal; "这个可以升级
  macOS15.1以及更新版本解决": FunAudioLLM/CosyVoice#672) -> sign.macos_fixed_by, the macOS
  named (or ""). Only in a paste about an MPS op / dtype failure: an MPS device that was not
  available at all before the update is verify.rules' macOS floor, not this.
- memory said to grow past the Mac's RAM while a model runs, until macOS swaps, freezes or
  crashes ("RAM usage would shoot up ... exceeding the 256GB capacity then hitting swap which
  freezes and crashes": index-tts/index-tts#414, fixed by lowering
  PYTORCH_MPS_HIGH_WATERMARK_RATIO; "python's memory usage ballooned ... until I ran out of ram":
  lm-sys/FastChat#1834 with --device mps) -> sign.mps_memory_swap. Needs a Mac (an Apple chip,
  macOS or MPS named) and no other runtime (llama.cpp / ggml / MLX / Ollama keep their own
  memory).
- an operator said in words to be unsupported on MPS ("aten::grid_sampler_3d is not supported on
  MPS yet", "`grid_sample` ... is not supported by mps", an application's "FlashAttention is not
  supported on MPS") -> sign.op_said_unsupported (dtypes are the float64 / bfloat16 / complex
  readings', torch's DataLoader "pin_memory ... not supported on MPS" is no op);
- complex numbers or torch.fft said to be unsupported on MPS ("Need dtype torch.complex64
  support on MPS Device": pytorch/pytorch#90019; "FFT operators are not supported on MPS
  device": pytorch/pytorch#78044) -> sign.complex_said.

- torch's CPU fallback told as what made it run ("fixed it by setting
  PYTORCH_ENABLE_MPS_FALLBACK=1", "work-around ... was for me to add the
  PYTORCH_ENABLE_MPS_FALLBACK setting", or its absence as the bug: "PYTORCH_ENABLE_MPS_FALLBACK=1
  is not set": invoke-ai/InvokeAI#1693) -> sign.fallback_fixed: an operator without an MPS
  kernel (the variable does nothing else);
- the allocator's watermark told as what fixed it ("can confirm the torch MPS watermark threshold
  env var workaround works": index-tts/index-tts#414; "its work after i added this ...
  PYTORCH_MPS_HIGH_WATERMARK_RATIO": lllyasviel/Fooocus#980), or an out-of-memory on MPS said in
  words ("MPS out of memory", "OOM on mps") -> sign.mps_oom_said;
- bfloat16 said to need macOS 14 / Sonoma ("bf16 dtype is supported for MacOS 14 +":
  huggingface/accelerate#3373) -> sign.bf16_macos_said;
- float64 said unsupported by Metal or the Apple GPU ("float64 is not supported by Metal",
  "Apple Silicon GPUs don't support float64") -> sign.float64_said (verify.diagnosis.paste.said
  reads
  the same said of MPS).

Pure: text in, clues out. A negated, conditional or asked phrase gives nothing.
"""

from __future__ import annotations

import re

from verify.diagnosis.paste.clues import (
    MACOS_NAMES,
    MPS_NAMED,
    WEAK,
    Clue,
    asked,
    clue,
    finditer,
    stated,
)
from verify.known_errors import MPS_SAID

_I = re.IGNORECASE
_UPGRADE = r"(?:updat|upgrad)(?:e|es|ed|ing)"
_MACOS_NAME = "|".join(n.replace(" ", r"[ \t]") for n in MACOS_NAMES)
# "macOS", "macOS 15.1", "macOS to 15.5", "to macOS Sequoia", "the Mac to macOS 15"
_MACOS = (
    r"(?:(?:my|the)[ \t]+Mac[ \t]+to[ \t]+)?(?:the[ \t]+latest[ \t]+)?"
    r"(?:mac[ \t]?OS|OS[ \t]?X)(?:[ \t]+(?:to[ \t]+)?(?:version[ \t]+)?v?"
    r"(?P<version>1[1-5](?:\.\d{1,2}){0,2}|2[6-9](?:\.\d{1,2}){0,2})|"
    rf"[ \t]+(?:to[ \t]+)?(?P<name>{_MACOS_NAME}))?"
)
# the words between: no negation ("updating macOS did not fix it", "nothing works")
_GAP = r"(?:(?!\b(?:not|never|no|nothing|neither)\b|n't)[^.!?\n]){0,40}?"
_FIXES = (
    r"(?:fix(?:es|ed)?|solve[sd]?|resolve[sd]?|works?|worked|helps?|helped|"
    r"made[ \t]+(?:it|MPS|\w+)[ \t]+work)"
)
MACOS_FIXED = (
    # "updating macOS resolved the issue", "upgrading to macOS 15.1 solves it"
    re.compile(rf"\b{_UPGRADE}[ \t]+(?:to[ \t]+)?{_MACOS}{_GAP}\b{_FIXES}\b", _I),
    # "fixed after updating macOS", "it works now that I upgraded to macOS 15.5"
    re.compile(
        rf"\b{_FIXES}\b[^.!?\n]{{0,40}}?\b(?:after|by|once|since|when|now[ \t]+that)[ \t]+"
        rf"(?:I[ \t]+|we[ \t]+)?{_UPGRADE}[ \t]+(?:to[ \t]+)?{_MACOS}",
        _I,
    ),
    # "the error is gone after updating to macOS 15"
    re.compile(
        rf"\b(?:gone|disappeared|went[ \t]+away)\b[^.!?\n]{{0,30}}?\bafter[ \t]+{_UPGRADE}"
        rf"[ \t]+(?:to[ \t]+)?{_MACOS}",
        _I,
    ),
    # one macOS failing, a newer one working: "Leaves tensor unchanged on MacOS-14, but works
    # fine in 15 and later" (malfet, pytorch/pytorch#176159: index_add_ on transposed tensors)
    re.compile(
        r"\bon[ \t]+mac[ \t]?OS[- \t]?(?:1[1-5]|2[6-9])(?:\.\d{1,2})?,?[ \t]+but[ \t]+"
        r"(?:it[ \t]+)?works?(?:[ \t]+(?:fine|well|correctly))?[ \t]+(?:in|on|with)[ \t]+"
        r"(?:mac[ \t]?OS[- \t]?)?(?P<version>1[1-5]|2[6-9])(?:\.\d{1,2})?[ \t]+and[ \t]+"
        r"(?:later|newer|above)\b",
        _I,
    ),
)
# in Chinese: "升级macOS15.1以及更新版本解决" (upgrading to macOS 15.1 or newer solves it)
CJK_MACOS_FIXED = re.compile(
    r"(?:升级|更新)[ \t]*(?:到|至)?[ \t]*(?i:mac[ \t]?OS)[ \t]*(?P<version>1[1-5](?:\.\d{1,2})?|"
    r"2[6-9](?:\.\d{1,2})?)?[^\n\u3002]{0,20}?(?:解决|修复|正常|可以|好了)"
)
# what makes a paste about an op / dtype failing on MPS, not about the device as a whole
OP_FAILURE = re.compile(
    r"NotImplementedError|\bnot[ \t]+(?:yet[ \t]+)?(?:implemented|supported)\b|\bunsupported\b|"
    r"\b(?:op|ops|operator|operators|operation|kernel|dtype|bfloat16|bf16|complex\w*|int64|"
    r"channels?|conv\w*|fft)\b|"
    r"`[\w.]*_[\w.]*`|"  # an operator's name in backticks ("`index_add_` is broken on MacOS-14")
    # or bare, as copied from a rendered page: an in-place method ("index_add_ is broken"), a
    # torch function ("torch.linalg.svd fails")
    r"\b[a-z]\w*[a-z0-9]_(?!\w)|\btorch\.[a-z_][\w.]*",
    _I,
)
# the MPS device itself missing: the macOS floor of MPS (verify.rules), not an op's
MPS_UNAVAILABLE = re.compile(
    r"is_available\(\)[^\n]{0,20}?\bFalse\b|\bMPS\b[^.\n]{0,20}?\bnot[ \t]+available\b|"
    r"MPS backend is supported on MacOS 12\.3|requires? (?:at least )?macOS 12\.3",
    _I,
)

# memory said to grow, and past what the Mac has
MEMORY_GROWS = re.compile(
    r"\b(?:RAM|memory)(?:[ \t]+(?:usage|use|consumption|footprint|pressure))?\b[^.\n]{0,40}?"
    r"\b(?:shoot(?:s|ing)?[ \t]+up|shot[ \t]+up|grows?|growing|grew|climbs?|climbing|"
    r"balloon(?:s|ed|ing)?|skyrocket\w*|explod(?:es|ed|ing)|spik(?:es|ed|ing)|"
    r"keeps?[ \t]+(?:growing|increasing|rising|climbing|going[ \t]+up)|increas(?:es|ed|ing))\b|"
    r"\bmemory[ \t]+leak\b|"
    # "memory pressure went red", "swap reached 80GB"
    r"\bmemory[ \t]+pressure\b[^.\n]{0,20}?\b(?:red|high|critical|spik\w*|max\w*)\b|"
    r"\bswap\b[^.\n]{0,20}?\b(?:reach\w*|hit|grew|grows|climb\w*|went[ \t]+up)\b[^.\n]{0,10}?"
    r"\d+[ \t]*(?:GB|GiB|G)\b",
    _I,
)
PAST_RAM = re.compile(
    r"\bswap(?:s|ped|ping)?\b|\bexceed\w*[^.\n]{0,30}?\b(?:capacity|RAM|memory)\b|"
    r"\b(?:ran|runs?|running)[ \t]+out[ \t]+of[ \t]+(?:RAM|memory|physical[ \t]+memory)\b|"
    r"\b(?:whole|entire)[ \t]+(?:Mac|macOS|system|computer|machine)\b[^.\n]{0,30}?"
    r"\b(?:crash\w*|freez\w*|restart\w*|reboot\w*|hang\w*)|\bkernel[ \t]+panic\b",
    _I,
)
CJK_MEMORY_SWAP = re.compile(
    r"内存[^\n\u3002]{0,20}?(?:一直|不断|持续)?(?:增加|增长|上涨|飙升)[^\n\u3002]{0,30}?"
    r"(?:swap|交换)"
)
_MAC = re.compile(
    r"(?i:\bmac[ \t]?OS\b)|\bMac(?:Book|[ \t]?Studio|[ \t]?mini|[ \t]?Pro)?\b|"
    r"\bApple[ \t]+M[1-9]\b|"
    r"\bM[1-9](?:[ \t]?(?:Pro|Max|Ultra))?\b|(?<![A-Za-z])MPS(?![a-z])|--device[ \t=]+mps\b"
)
# runtimes that manage the GPU memory themselves (not torch's MPS allocator)
OTHER_RUNTIME = re.compile(r"\b(?:ggml|llama\.cpp|llama-cpp|mlx|ollama|LM[ \t]?Studio)\b", _I)
# a process on the CPU by choice: its memory is not the MPS allocator's
ON_CPU = re.compile(r"--device[ \t=]+cpu\b|device[ \t]*=[ \t]*['\"]cpu['\"]", _I)

# complex numbers / torch.fft said unsupported on MPS
_COMPLEX = r"(?:(?:torch\.)?complex(?:64|128)?|torch\.cfloat|ComplexFloat|ComplexDouble)"
_FFT = r"(?:torch\.)?fft(?:\.\w+|\w*)?|FFT(?:[ \t]+(?:operators?|operations?|ops?|functions?))?"
COMPLEX_SAID = re.compile(
    # "MPS does not support complex numbers", "MPS can't handle ComplexFloat"
    rf"\bMPS\b[^.\n]{{0,30}}?\b(?:doesn'?t|does[ \t]+not|can'?t|cannot)[ \t]+(?:yet[ \t]+)?"
    rf"(?:support|handle)[ \t]+(?:the[ \t]+)?(?:{_COMPLEX}|{_FFT})|"
    # "complex numbers are not supported on MPS", "FFT operators are not supported on MPS device"
    rf"(?:\b{_COMPLEX}|\b{_FFT})(?:[ \t]+(?:numbers?|dtypes?|types?|tensors?|values?))?"
    r"[^.\n]{0,20}?\b(?:is|are)(?:[ \t]+not|n't)[ \t]+(?:yet[ \t]+)?(?:supported|implemented|"
    r"available)[ \t]+(?:on|by|for|in|with)[ \t]+(?:the[ \t]+)?MPS\b|"
    # "Need dtype torch.complex64 support on MPS Device"
    rf"\b(?:need|needs|want|request)\w*[^.\n]{{0,20}}?{_COMPLEX}[^.\n]{{0,10}}?\bsupport\w*"
    r"[ \t]+(?:on|for|in)[ \t]+(?:the[ \t]+)?MPS\b",
    _I,
)


# "not working without", "won't run without", "only works with": what follows made it run
_ONLY_WITH = (
    r"\b(?:(?:not|doesn'?t|does[ \t]+not|won'?t|can'?t|cannot)[ \t]+(?:work|run|start|load)\w*"
    r"[ \t]+without|only[ \t]+(?:works?|runs?|starts?)[ \t]+(?:with|after|when))\b"
)
FALLBACK_FIXED = (
    # "Setting PYTORCH_ENABLE_MPS_FALLBACK=1 fixed it"
    re.compile(
        rf"PYTORCH_ENABLE_MPS_FALLBACK\b[ \t]*=?[ \t]*['\"]?1?['\"]?`?{_GAP}\b{_FIXES}\b", _I
    ),
    # "it works after setting PYTORCH_ENABLE_MPS_FALLBACK=1"
    re.compile(
        rf"\b{_FIXES}\b[^.!?\n]{{0,40}}?\b(?:after|by|once|when|with|using)[ \t]+"
        r"(?:setting|adding|exporting|export|set|using)?[ \t]*(?:the[ \t]+)?(?:env(?:ironment)?"
        r"[ \t]+var(?:iable)?[ \t]+)?`?PYTORCH_ENABLE_MPS_FALLBACK\b",
        _I,
    ),
    # "doesn't run without PYTORCH_ENABLE_MPS_FALLBACK=1", "only works with ..."
    re.compile(rf"{_ONLY_WITH}[^\n]{{0,60}}?PYTORCH_ENABLE_MPS_FALLBACK\b", _I),
    # "temporary work-around ... was for me to add the PYTORCH_ENABLE_MPS_FALLBACK setting"
    # (invoke-ai/InvokeAI#1693)
    re.compile(r"\bwork[ -]?arounds?\b[^.!?\n]{0,160}?PYTORCH_ENABLE_MPS_FALLBACK\b", _I),
    # "PYTORCH_ENABLE_MPS_FALLBACK=1 is not set. It needs to be set before `invoke.py` is run"
    # (the same thread's title and description)
    re.compile(
        r"PYTORCH_ENABLE_MPS_FALLBACK(?:=1)?`?[ \t]+(?:is[ \t]+not|isn't|was[ \t]+not|wasn't)"
        r"[ \t]+set\b",
        _I,
    ),
)
_WATERMARK = (
    r"(?:PYTORCH_MPS_(?:HIGH|LOW)_WATERMARK_RATIO|(?:MPS[ \t]+)?(?:high[ \t]+|low[ \t]+)?"
    r"watermark(?:[ \t]+(?:ratio|threshold|limit))?)"
)
WATERMARK_FIXED = (
    # "can confirm the torch MPS watermark threshold env var workaround works"
    re.compile(rf"{_WATERMARK}{_GAP}\b{_FIXES}\b", _I),
    # "its work after i added this. in the launch.py: os.environ[...WATERMARK_RATIO"] = "0.0""
    re.compile(
        rf"\b{_FIXES}\b[^.!?\n]{{0,40}}?\b(?:after|by|once|when|with)\b[^\n]{{0,60}}?"
        r"PYTORCH_MPS_(?:HIGH|LOW)_WATERMARK_RATIO",
        _I,
    ),
    # "Not working without setting in gradio sh 'export PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0'"
    # (ace-step/ACE-Step-1.5#1135, an 8 GB M2)
    re.compile(rf"{_ONLY_WITH}[^\n]{{0,60}}?PYTORCH_MPS_(?:HIGH|LOW)_WATERMARK_RATIO", _I),
)
# a Mac named with its Apple chip: "Mac M4", "MacBook Pro M3 Max", "Apple M2", "M1 Ultra"
_APPLE_CHIP_MAC = (
    r"(?:\b(?:Apple|Mac(?:Book)?(?:[ \t]+(?:Pro|Air|Studio|mini))?)[ \t]+M[1-9]\b|"
    r"\bM[1-9][ \t]+(?:Pro|Max|Ultra)\b)"
)
MPS_OOM_SAID = re.compile(
    # "MPS out of memory", "mps OOM", "MPS runs out of memory"
    r"\bMPS\b(?:[ \t]+(?:backend|device|GPU))?[ \t]+(?:(?:ran|runs|running)[ \t]+)?"
    r"(?:out[ \t]+of[ \t]+memory|OOM)\b|"
    # "out of memory on MPS", "OOM errors with mps"
    r"\b(?:out[ \t]+of[ \t]+memory|OOM)(?:[ \t]+(?:error|errors|issue|issues|crash))?[ \t]+"
    r"(?:on|with|using|in)[ \t]+(?:the[ \t]+)?(?:device[ \t]+)?['\"`]?MPS\b|"
    # the device first, the OOM hit after it: "on the mps backend I seem to be hitting an OOM"
    # (huggingface/smol-course#67, fixed by a smaller batch size)
    r"\b(?:on|with|using|in)[ \t]+(?:the[ \t]+)?['\"`]?MPS\b['\"`]?(?:[ \t]+(?:backend|device))?"
    r"[^.!?\n]{0,40}?\b(?:hit(?:s|ting)?|get(?:s|ting)?|got|r[au]n(?:s|ning)?[ \t]+into)[ \t]+"
    r"(?:an?[ \t]+|the[ \t]+)?(?:OOM|out[ \t]+of[ \t]+memory)\b|"
    # memory said to leak while MPS runs: "Trainer class causes massive memory leak when using
    # mps" (huggingface/transformers#33717: MPSGraph keeps a graph per shape, memory grows
    # until the allocator's limit)
    r"\bmemory[ \t]+leaks?\b[^.!?\n]{0,30}?\b(?:on|with|using|in)[ \t]+(?:the[ \t]+)?['\"`]?"
    r"MPS\b|"
    # an Apple chip's Mac said to run out of memory: its unified memory is what MPS allocates
    # from ("I have a 32GB Mac M4, runs out of memory": ivanfioravanti/qwen-image-mps#5, a bf16
    # model too large for 32 GB)
    rf"{_APPLE_CHIP_MAC}[^.!?\n]{{0,40}}?\b(?:r[au]ns?|running|hits?|hitting|gets?|getting|got)"
    r"[ \t]+(?:an?[ \t]+)?(?:out[ \t]+of[ \t]+memory|OOM)\b|"
    r"\b(?:r[au]ns?|running)[ \t]+out[ \t]+of[ \t]+memory\b[^.!?\n]{0,30}?\b(?:on|with)[ \t]+"
    rf"(?:my[ \t]+|an?[ \t]+|the[ \t]+)?{_APPLE_CHIP_MAC}",
    _I,
)
# MPS's memory named in one place and running out said in another: a title's "Absurd MPS (v)RAM
# usage on VAE decoding" over "larger images OOM right away" (numz/ComfyUI-SeedVR2_VideoUpscaler
# #363, an allocator cache that grew between tiles). Of the labelled reports holding both, 5 of 7
# were MPS running out of memory and the other 2 a leak fixed in a newer torch and a CI runner's
# missing GPU memory, both memory on MPS too.
MPS_MEMORY_NAMED = re.compile(r"\bMPS\b[ \t]+(?:\(v\)|v)?(?:RAM|VRAM|memory)\b", _I)
OOM_WORD = re.compile(r"\b(?:OOMs?|out[ \t]+of[ \t]+memory)\b", _I)
# the same in Chinese: memory that "blew up" / overflowed / ran short while the MPS device (or the
# Apple chip) is named in the sentence: "使用mps版本内存爆掉了" (2noise/ChatTTS#96, fine on the
# CPU), "mac m1芯片下打开output_timestamp 内存溢出" (FunAudioLLM/SenseVoice#218). A leak (泄漏)
# is not it: "mps运行时内存泄漏" was a slow run (2noise/ChatTTS#742)
_CJK_DEVICE = r"(?i:(?<![a-z])(?:mps|m[1-9])(?![a-z0-9]))"
_CJK_OUT_OF_MEMORY = r"(?:(?:内存|显存)(?:爆|溢出|不足|不够|耗尽)|爆(?:内存|显存))"
CJK_MPS_OOM = re.compile(
    rf"{_CJK_DEVICE}[^\n\u3002\uff01\uff1f?]{{0,40}}?{_CJK_OUT_OF_MEMORY}|"
    rf"{_CJK_OUT_OF_MEMORY}[^\n\u3002\uff01\uff1f?]{{0,40}}?{_CJK_DEVICE}"
)
# "bf16 requires macOS 14", "bf16 dtype is supported for MacOS 14 +" (huggingface/accelerate#3373),
# "Support for bf16 was added in MacOS v14+" (ollama/ollama#11585, the same floor in Metal)
BF16_MACOS_SAID = re.compile(
    r"\b(?:bfloat16|bf16)\b[^.\n]{0,40}?\b(?:requires?|needs?|"
    r"(?:is|was|were|are)[ \t]+(?:only[ \t]+)?(?:supported|available|added|introduced)|"
    r"only[ \t]+(?:supported|available|works?))"
    r"(?:[ \t]+(?:on|from|with|in|since|for))?[ \t]+(?:mac[ \t]?OS[ \t]*)?(?:v?14\b|Sonoma\b)",
    _I,
)
_APPLE_GPU = (
    r"(?:Metal|Apple[ \t]+(?:Silicon|M[1-9])(?:[ \t]+(?:GPUs?|chips?|Macs?))?|Apple[ \t]+GPUs?|"
    r"the[ \t]+M[1-9][ \t]+GPU)"
)
FLOAT64_APPLE_SAID = re.compile(
    rf"\b{_APPLE_GPU}[ \t]+(?:doesn'?t|does[ \t]+not|don'?t|do[ \t]+not|can'?t|cannot)[ \t]+"
    r"(?:yet[ \t]+)?(?:support|handle)[ \t]+(?:float64|fp64|double(?:[ \t]+precision)?|"
    r"64[- \t]?bit[ \t]+floats?)\b|"
    r"\b(?:float64|fp64|double(?:[ \t]+precision)?)\b[^.\n]{0,20}?\b(?:is|are)(?:[ \t]+not|n't)"
    rf"[ \t]+(?:yet[ \t]+)?supported[ \t]+(?:on|by|in)[ \t]+(?:the[ \t]+)?{_APPLE_GPU}",
    _I,
)


# an operator said in words to be unsupported on MPS, with no torch message: "aten::grid_sampler_3d
# is not supported on MPS yet", "`grid_sample` with padding_mode="border" is not supported by mps",
# "the upsample_bicubic2d operator is missing on MPS", "FlashAttention is not supported on MPS"
# (an application's own refusal). dtypes are other rows' (float64, bfloat16, complex), and torch's
# DataLoader warning "'pin_memory' argument is set as true but not supported on MPS now" is no op.
_OP_NAME = (
    r"(?:aten::[\w.]+|torch(?:\.\w+)+|`[\w.:]+(?:\(\))?`|[\w.]+(?:\(\))?[ \t]+(?:op|ops|operator|"
    r"operators|operation|function|kernel|layer)|"
    # a CamelCase name, not an exception's class ("ValueError: ... DDP family are not supported")
    r"(?-i:[A-Z][a-z]+[A-Z]\w+)\b(?<!Error)(?<!Exception)(?<!Warning)|\w+_\w+(?:\(\))?|"
    # a torch.nn module of N dimensions: "Conv3d is not currently supported on MPS"
    # (OpenTalker/SadTalker#526), "nn.AvgPool3d", "ConvTranspose3D"
    r"(?-i:(?:nn\.)?(?:[A-Z][a-z]+)+[1-3][dD])\b|"
    # torch.distributed, which has no MPS backend: "Since distributed on MPS is not supported, it
    # has to be run on CPU" (Lightning-AI/pytorch-lightning#15713, DDP on Apple silicon)
    r"\b(?:distributed(?:[ \t]+training)?|DDP|FSDP)\b)"
)
_DTYPE_WORDS = re.compile(
    r"float64|fp64|double|bfloat16|bf16|float16|fp16|half|complex|int64|pin_?memory|pinned", _I
)
# a subject that is no operator: the device itself, or an exception's class ("TypeError:")
_NOT_AN_OP = re.compile(r"\bmps\b|\bmac|\bgpu\b|\bdevice\b|(?:Error|Exception|Warning)$", _I)
OP_SAID_UNSUPPORTED = re.compile(
    rf"(?P<op>{_OP_NAME})[^.!?\n]{{0,60}}?\b(?:(?:is|are|was|were)(?:[ \t]+not|n't)[ \t]+"
    r"(?:(?:yet|currently)[ \t]+)?"
    r"(?:supported|available|implemented)|(?:is|are|was|were)[ \t]+(?:missing|unsupported))"
    # the case between ("`torch.scatter` wasn't supported with imaginary numbers on MPS":
    # ZFTurbo/Mel-Band-Roformer-Vocal-Model#11, complex scatter)
    r"(?:[ \t]+with[ \t]+[\w-]+(?:[ \t]+[\w-]+)?)?"
    r"[ \t]+(?:yet[ \t]+)?(?:on|by|for|in|with)"
    r"[ \t]+(?:the[ \t]+)?['\"`]?(?:mps|Metal|"
    # the Apple GPU by the Mac's name: "Some torch functions e.g. `torch.logspace` are
    # unsupported on Apple silicon" (deepinv/deepinv#1177, a NotImplementedError on an M5)
    r"(?-i:Apple)[ \t]+(?:silicon|M[1-9])|(?-i:M[1-9])(?:[ \t]+(?:Pro|Max|Ultra))?[ \t]+"
    r"(?:Macs?|chips?))\b"
    # torch's own fallback warning ("... is not currently supported on the MPS backend and will
    # fall back to run on the CPU") is known_errors' mps.op_runs_on_cpu: the op ran
    r"(?![ \t]+(?:backend[ \t]+)?and[ \t]+will[ \t]+fall)|"
    # the words first, the aten op after: "some of Imagen's Torch calls are still unsupported,
    # including `aten::bitwise_and.Tensor_out`" (lucidrains/imagen-pytorch#68, after moving the
    # model .to('mps')); only an aten:: name, only with MPS on its line (_op_said_unsupported)
    r"\b(?:unsupported|not[ \t]+(?:yet[ \t]+)?(?:supported|implemented))\b[^.!?\n]{0,30}?"
    r"\b(?:including|like|such[ \t]+as|e\.g\.)[ \t]+['\"`]?(?P<aten>aten::[\w.]+)|"
    # a title naming the operator after the words: "Unsupported Ops in MPS:
    # _upsample_bilinear2d_aa" (meta-pytorch/torchtune#1723); an ATen-like name (an underscore
    # or aten::), so "Unsupported ops on MPS: see below" names none
    r"\b(?:unsupported|missing|unimplemented)[ \t]+(?:ops?|operators?|operations?|kernels?)[ \t]+"
    r"(?:in|on|for)[ \t]+(?:the[ \t]+)?['\"`]?MPS\b['\"`]?[ \t]*[:\u2013-][ \t]*['\"`]?"
    r"(?P<named>(?:aten::)?\w*_\w+)|"
    # MPS first, the operator (or its case) after: "mps backend does not support
    # `padding_mode='border'` in `torch.nn.functional.grid_sample` function" (hzwer/Practical-RIFE
    # #146, a Mac user's own finding on an M4)
    r"\bMPS(?:[ \t]+(?:backend|device))?[ \t]+(?:does[ \t]+not|doesn'?t|can(?:not|'t))[ \t]+"
    rf"(?:yet[ \t]+)?support[ \t]+(?P<object>[^.!?\n]{{0,80}}{_OP_NAME})|"
    # the device between the operator and the words: "Since distributed on MPS is not
    # supported" (Lightning-AI/pytorch-lightning#15713)
    rf"(?P<before>{_OP_NAME})[ \t]+(?:on|with|for)[ \t]+(?:the[ \t]+)?MPS"
    r"(?:[ \t]+(?:backend|device))?[ \t]+(?:is|are)(?:[ \t]+not|n't)[ \t]+"
    r"(?:(?:yet|currently)[ \t]+)?"
    r"(?:supported|available|implemented)\b|"
    # torch's refusal of an operator told by its class, on MPS: "gives a 'NotImplementedError'
    # when run on GPU 'mps'" (pytorch/pytorch#140718: torch.lobpcg, whose Cholesky had no MPS
    # kernel then)
    r"(?-i:(?P<raised>NotImplementedError))['\"`]?[^.!?\n]{0,40}?\b(?:on|with|for|in)[ \t]+"
    r"(?:the[ \t]+)?(?:GPU[ \t]+)?[('\"`]*mps\b|"
    # the operator said to have no MPS kernel: "`fast_int8_mm` calls `torch._int_mm`, which has
    # no MPS kernel" (Comfy-Org/comfy-kitchen#92)
    rf"(?P<nokernel>{_OP_NAME}),?[ \t]+(?:which[ \t]+)?(?:has|have)[ \t]+no[ \t]+MPS[ \t]+"
    r"(?:kernel|implementation)s?\b",
    _I,
)
# a paste that names MPS or the Mac's GPU at all (cheap substring tests first)
_OP_SAID_NEEDLES = (
    "mps",
    "MPS",
    "Mps",
    "Metal",
    "aten::",
    "Apple",
    *(f"M{n} " for n in range(1, 10)),
)


def _op_said_unsupported(text: str) -> list[Clue]:
    for m in finditer(OP_SAID_UNSUPPORTED, text, *_OP_SAID_NEEDLES):
        if m.group("aten"):
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.end())
            if not MPS_SAID.search(text, line_start, line_end if line_end >= 0 else len(text)):
                continue
        elif m.group("named"):
            if _DTYPE_WORDS.search(m.group("named")):
                continue
        elif m.group("object"):
            if _DTYPE_WORDS.search(m.group("object")) or _NOT_AN_OP.search(m.group("object")):
                continue
        elif (op := m.group("op") or m.group("before") or m.group("nokernel")) and (
            _DTYPE_WORDS.search(m.group(0)) or _NOT_AN_OP.search(op)
        ):
            continue  # (a NotImplementedError's class alone names an operator without a kernel)
        if not stated(text, m, strict=False):
            continue
        if asked(text, m):
            continue
        return [clue("sign.op_said_unsupported", m.group(0).strip(), text, m, WEAK)]
    return []


def _first_stated_match(patterns, text: str, *needles: str) -> re.Match[str] | None:
    for pattern in patterns:
        for m in finditer(pattern, text, *needles):
            if stated(text, m, strict=False) and not asked(text, m):
                return m
    return None


def _first_stated(patterns, text: str, sign: str, *needles: str) -> list[Clue]:
    m = _first_stated_match(patterns, text, *needles)
    return [clue(sign, m.group(0).strip(), text, m, WEAK)] if m else []


def _macos_named(m: re.Match[str]) -> str:
    version = m.groupdict().get("version")
    if version:
        return version
    name = m.groupdict().get("name")
    return MACOS_NAMES.get(re.sub(r"\s+", " ", name.lower()), "") if name else ""


def _macos_fixed(text: str) -> list[Clue]:
    if not MPS_NAMED.search(text) or not OP_FAILURE.search(text) or MPS_UNAVAILABLE.search(text):
        return []
    for pattern in MACOS_FIXED:
        for m in finditer(pattern, text, "acOS", "acos", "MACOS", "OS X", "OS x"):
            if stated(text, m, strict=False) and not asked(text, m):
                return [clue("sign.macos_fixed_by", _macos_named(m), text, m, WEAK)]
    for m in finditer(CJK_MACOS_FIXED, text, "升级", "更新"):
        return [clue("sign.macos_fixed_by", _macos_named(m), text, m, WEAK)]
    return []


def _memory_past_ram(text: str) -> list[Clue]:
    if not _MAC.search(text) or OTHER_RUNTIME.search(text) or ON_CPU.search(text):
        return []
    for m in finditer(MEMORY_GROWS, text, "emory", "RAM", "EMORY"):
        if not stated(text, m, strict=False) or asked(text, m):
            continue
        # the same paragraph says it went past the RAM (swap, a crash of the whole Mac)
        stop = text.find("\n\n", m.end())
        start = text.rfind("\n\n", 0, m.start())
        paragraph = text[start + 1 if start >= 0 else 0 : stop if stop >= 0 else len(text)]
        if PAST_RAM.search(paragraph):
            return [clue("sign.mps_memory_swap", m.group(0).strip(), text, m, WEAK)]
    for m in finditer(CJK_MEMORY_SWAP, text, "内存"):
        return [clue("sign.mps_memory_swap", m.group(0).strip(), text, m, WEAK)]
    return []


def _complex_said(text: str) -> list[Clue]:
    for m in finditer(COMPLEX_SAID, text, "MPS", "mps", "Mps"):
        if stated(text, m, strict=False) and not asked(text, m):
            return [clue("sign.complex_said", m.group(0).strip(), text, m, WEAK)]
    return []


def read(text: str) -> list[Clue]:
    out = [*_macos_fixed(text), *_memory_past_ram(text), *_complex_said(text)]
    out += _first_stated(FALLBACK_FIXED, text, "sign.fallback_fixed", "MPS_FALLBACK")
    if not OTHER_RUNTIME.search(text):
        out += _first_stated(WATERMARK_FIXED, text, "sign.mps_oom_said", "atermark", "ATERMARK")
        if not any(c.field == "sign.mps_oom_said" for c in out):
            out += _first_stated((MPS_OOM_SAID,), text, "sign.mps_oom_said", "OOM", "emory")
        if not any(c.field == "sign.mps_oom_said" for c in out):
            out += _first_stated((CJK_MPS_OOM,), text, "sign.mps_oom_said", "内存", "显存")
        if not any(c.field == "sign.mps_oom_said" for c in out) and _first_stated_match(
            (MPS_MEMORY_NAMED,), text, "MPS", "mps", "Mps"
        ):
            out += _first_stated((OOM_WORD,), text, "sign.mps_oom_said", "OOM", "emory")
    out += _first_stated((BF16_MACOS_SAID,), text, "sign.bf16_macos_said", "16")
    out += _first_stated((FLOAT64_APPLE_SAID,), text, "sign.float64_said", "64", "ouble")
    out += _op_said_unsupported(text)
    return out
