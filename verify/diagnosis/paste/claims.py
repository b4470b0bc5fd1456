"""A cause stated in one sentence: a TOPIC and a LIMIT predicate together (issue 12).

Users and maintainers often write the cause their thread found as a plain statement instead of
pasting the message that shows it: "Torch>2.2.2 is incompatible with the x86-64 version of python
on macOS" (sensein/b2aiprep#127), "the operations uses float64 instead of float32, whit the
former not being supported on MPS" (meta-pytorch/botorch#2724), "The problem is that Metal doesn't
support certain data types." (facebookresearch/demucs#432). The narrower readers
(verify.diagnosis.paste.said, .wheelsaid, .limits, .prose) read set phrases of some of these
causes; this one reads any sentence that holds one of the TOPICS below together with a LIMIT
predicate ("not supported", "doesn't support", "incompatible", "lack of", "no ... wheels",
"only provides", "dropped", ...), so the wording may vary.

A sentence counts only when it is a statement about this report: not a question (clues.asked),
not opened by a condition ("if", "when", "whether"), and neither its limit nor its topic negated
or made hypothetical by the words just before it (clues.stated). Each topic found gives one WEAK
clue `sign.cause_said` whose value is the topic name and whose line is the sentence, quoted
(verify.diagnosis.claim_rows turns it into a warning on the check that states the cause, ranked
after every other finding).

An install said to fail with a Python named ("Problem installing on macOS with Python 3.13.1":
SYSTRAN/faster-whisper#1231's title; "Can't install for python 3.12.4": lucasvanmol/
latex-ocr-server#3) needs no limit predicate: the sentence ties the failure to that Python
(`python_install_fails`, for Python 3.11 or newer: of the real reports in tests/data it reads,
all were the Python's but one Intel Mac's, whose host.arch warning comes first). A container
stated in a text that names a Mac needs none either (`container_on_mac`), but it is the weakest
reading: verify.diagnosis.claim_rows adds its row only where nothing else was found.

Precision over recall: each topic was measured over every real report in tests/data
(tests/test_claims.py asserts it fires only on reports whose thread established that cause).
"""

from __future__ import annotations

import re
import string

from packaging.version import Version

from verify import compat
from verify.diagnosis.paste.clues import (
    MAX_SENTENCE,
    WEAK,
    Clue,
    asked,
    quote,
    sentence_at,
    stated,
)
from verify.diagnosis.paste.forms import EXAMPLE
from verify.known_errors import MAC_WORDS

_I = re.IGNORECASE


# the limit predicate: what the sentence says is missing, refused or incompatible
_LIMIT_WORDS = (
    # "not supported", "not yet supported", "isn't supported", "unsupported" (botorch#2724:
    # "the former not being supported on MPS"; demucs#432: "Metal doesn't support")
    r"\bnot[ \t]+(?:yet[ \t]+|being[ \t]+|be(?:en)?[ \t]+|currently[ \t]+)*supported\b|"
    r"\b(?:is|are)n'?t[ \t]+(?:yet[ \t]+)?supported\b|\bunsupported\b|"
    r"\b(?:does|do|did)[ \t]*n[o']?t[ \t]+(?:yet[ \t]+|currently[ \t]+)?support\b|"
    r"\b(?:does|do|did)n'?t[ \t]+(?:yet[ \t]+)?support\b|\bno[ \t]+(?:\w+[ \t]+)?support\b|"
    # "incompatible with the x86-64 version of python" (b2aiprep#127)
    r"\bincompatible\b|\bnot[ \t]+compatible\b|"
    # "because of the lack of an arm64 torchvision" (pytorch/vision#6050), "missing macos arm
    # wheels for pytorch 2.2" (rusty1s/pytorch_scatter#422's title)
    r"\black(?:s|ing)?\b|\bmissing\b|"
    # "no arm64 wheels", "no builds for", "not available" (as typed too: "triton not avaiable on
    # macOS": fla-org/flash-linear-attention#113)
    r"\bno[ \t]+(?:[\w-]+[ \t]+){0,3}(?:builds?|wheels?|binar(?:y|ies)|packages?|"
    r"distributions?)\b|"
    r"\bnot[ \t]+(?:yet[ \t]+)?(?:available|avaiable)\b|\bunavailable\b|"
    # "the latest torch wheels still provided for this architecture are torch v2.2.2"
    # (huggingface/peft#2431), "only provides", "only ships"
    r"\bonly[ \t]+(?:supports?|provides?|ships?|available)\b|\bstill[ \t]+provided\b|"
    # the platforms after the verb, then "only": "Python 3.14 wheels published for Windows
    # only" (StarTrail-org/LEANN#385's title: no macOS wheel of a dependency for that Python)
    r"\b(?:published|provided|available|built|shipped|released)[ \t]+for[ \t]+"
    r"(?:[\w-]+[ \t]+){0,2}?[\w-]+[ \t]+only\b|"
    # "Pytorch has deprecated support for intel macs" (climatepolicyradar/knowledge-graph#55)
    r"\b(?:dropped|deprecated|discontinued)\b|"
    # "cannot benefit from this" (pytorch/vision#6050), "can't run MPS"
    r"\b(?:can'?t|cannot|can[ \t]+not)[ \t]+(?:use|run|benefit|install|access|reach|see)\b|"
    # "Installation fails or requires workarounds due to `flashinfer-python` and `triton` build
    # requirements on Darwin platforms" (nari-labs/nari-qwen3-tts#3)
    r"\binstall(?:ation)?[ \t]+fails\b|"
    r"\bunable[ \t]+to[ \t]+(?:install|use|run|find)\b|"
    # the passive: "bitsandbytes==0.43.3 can't be installed on mac" (axolotl-ai-cloud/axolotl#1826)
    r"\b(?:can'?t|cannot|can[ \t]+not|could[ \t]*n'?t|could[ \t]+not)[ \t]+be[ \t]+"
    r"(?:installed|used|built)\b|"
    # "I can't find an ARM64 version of this library" (pyg-team/pytorch_geometric#2736)
    r"\b(?:can'?t|cannot|can[ \t]+not|could[ \t]*n'?t|could[ \t]+not)[ \t]+find\b|"
    # what a project publishes: "PyTorch does not publish +cu124 wheels for arm64"
    # (remsky/Kokoro-FastAPI#228), "no PyTorch for Python 3.12 yet" (simonw/llm#315), "no longer
    # supports", "there are no wheels", "isn't available"
    r"\b(?:does|do|did)[ \t]*n[o']?t[ \t]+(?:yet[ \t]+)?(?:provide|publish|ship|offer|release)\b|"
    r"\bnot[ \t]+(?:yet[ \t]+)?(?:provided|published|shipped|released)[ \t]+for\b|"
    r"\bno[ \t]+longer\b|\bthere[ \t]+(?:is|are)[ \t]+no\b|"
    # "there doesn't appear to be a decord build form ARMv8/M1" (dmlc/decord#225)
    r"\bthere[ \t]+(?:does|do)[ \t]*n[o']?t[ \t]+(?:appear|seem)[ \t]+to[ \t]+be\b|"
    r"\bno[ \t]+(?:py)?torch(?:vision|audio)?[ \t]+(?:[\w.]+[ \t]+)?for\b|"
    r"\b(?:is|are)n'?t[ \t]+(?:yet[ \t]+)?available\b|"
    # a ceiling: "Pytorch 2.2 is the last version supporting macOS with Rosetta2"
    # (lassoan/SlicerNNUnet#22, a comment in its fix), "the last release for Intel Macs"
    r"\blast[ \t]+(?:\w+[ \t]+)?(?:versions?|releases?|builds?|wheels?)[ \t]+(?:that[ \t]+"
    r"supports?|supporting|to[ \t]+support|with[ \t]+support[ \t]+for|for|available[ \t]+for)\b"
)
LIMIT = re.compile(_LIMIT_WORDS, _I)

# torch and the packages released with it (the "torch-family")
_FAMILY = r"(?:torch|pytorch|torchvision|torchaudio|torchtext|libtorch)"
_ARM = r"(?:arm64|aarch64|osx-arm64|apple[ \t]+silicon|arm(?=[ \t]+(?:wheels?|builds?|binar)))"
_BUILD = r"(?:builds?|wheels?|binar(?:y|ies)|packages?|distributions?)"
_SHELL = r"(?:python|conda|anaconda|miniconda|miniforge|interpreter|terminal|homebrew|brew)"
# MPS or Metal named in the sentence (the dtype topics are only about them)
_ON_MPS = re.compile(r"\bMPS\b|\bMetal\b|\bApple[ \t]+(?:silicon|GPUs?)\b", _I)

# topic -> its pattern; a topic whose sentence must also name MPS / Metal is in _NEEDS_MPS
TOPICS: dict[str, re.Pattern[str]] = {
    # float64 said refused on MPS (meta-pytorch/botorch#2724: "uses float64 instead of float32,
    # whit the former not being supported on MPS"; invoke-ai/InvokeAI#7063 "MPS doesn't support
    # float64"); torch's own message is aten/src/ATen/mps/EmptyTensor.cpp's "the MPS framework
    # doesn't support float64"
    "float64": re.compile(
        r"\bfloat[ \t]?64\b|\bfp64\b|\bdouble[ \t-]precision\b|\btorch\.double\b|\bcomplex128\b",
        _I,
    ),
    # data types in general said not supported by MPS / Metal (facebookresearch/demucs#432: "The
    # problem is that Metal doesn't support certain data types.", where the complex STFT was
    # refused)
    "dtypes": re.compile(r"\b(?:data[ \t]+types?|dtypes)\b", _I),
    # operators in general said missing on MPS, none named (torchgeo/torchgeo#1188: "the MPS
    # backend is still missing implementations of many operators, so the tests will fail";
    # EveryVoiceTTS/EveryVoice#332: "Some operators a currently not implemented for MPS device");
    # a named one is verify.diagnosis.paste.limits' reading
    # (not a package's name: "autoawq-kernels")
    # one op only where it is said missing: "IntToFloatTensor failing on Mac mps due to missing
    # op" (fastai/fastai#3761's title). A single operator, op or operation is mostly torch's own
    # fallback warning ("The operator 'aten::nonzero' is not currently supported on the MPS
    # backend", verify.known_errors reads it) or another matter ("the same operation in MPS,
    # there is no error": pytorch/pytorch#122045)
    "ops_missing": re.compile(
        r"(?<![\w-])(?:operators|ops|operations|kernels)(?![\w-])|\bmissing[ \t]+op\b", _I
    ),
    # no arm64 (Apple silicon) build of a torch-family package (pytorch/vision#6050: "M1 users
    # like me still cannot benefit from this, because of the lack of an arm64 torchvision")
    "no_arm64_build": re.compile(
        rf"\b{_ARM}[ \t-]+(?:[\w-]+[ \t-]+){{0,2}}?(?:{_FAMILY}|{_BUILD})\b|"
        # "an ARM64 version of this library" (pyg-team/pytorch_geometric#2736)
        rf"\b{_ARM}[ \t]+versions?[ \t]+of\b|"
        rf"\b{_BUILD}[ \t]+(?:for|on|of)[ \t]+(?:the[ \t]+)?(?:macOS[ \t]+)?{_ARM}\b",
        _I,
    ),
    # an x86_64 / Intel interpreter on Apple silicon, or Rosetta (sensein/b2aiprep#127: "Torch>
    # 2.2.2 is incompatible with the x86-64 version of python on macOS"; MuJoCo's message quoted
    # in PKU-Alignment/safety-gymnasium#119: "You are running an x86_64 build of Python on an
    # Apple Silicon machine. This is not supported by MuJoCo")
    "x86_64_python": re.compile(
        r"\b(?:x86(?:[-_ ]?64)?|intel|i386)[ \t-]+"
        r"(?:(?:version|build)[ \t]+of[ \t]+(?:the[ \t]+)?)?"
        rf"{_SHELL}\b|"
        rf"\b{_SHELL}[ \t]+(?:is[ \t]+|was[ \t]+)?(?:running[ \t]+)?"
        r"(?:as[ \t]+|under[ \t]+|in[ \t]+|on[ \t]+)?(?:x86[-_ ]?64|rosetta)\b|"
        # "Rosetta", "Rosetta 2", "Rosetta2" (lassoan/SlicerNNUnet#22)
        r"\brosetta(?:[ \t]?2)?\b",
        _I,
    ),
    # an Intel Mac, or a CI runner that is one (huggingface/peft#2431: "the MacOS GitHub runners
    # use macos-13, which uses Intel x86 ... latest torch wheels still provided for this
    # architecture are torch v2.2.2"; sktime/sktime#8495: "incompatible with intel based mac
    # architectures"; climatepolicyradar/knowledge-graph#55: "Pytorch has deprecated support for
    # intel macs"; lanbinleo/bili2text#95: "whisper depends on torch which does not support
    # Intel Mac")
    "intel_mac": re.compile(
        r"\bintel[ \t-]+(?:based[ \t]+|chip[ \t]+|cpu[ \t]+|(?:core[ \t]+)?i[3579][ \t-]+)?"
        r"(?:macs?|macbooks?(?:[ \t]+pro)?|"
        r"imacs?|mac[ \t]?os|runners?)\b|"
        r"\b(?:macs?|macbooks?|imacs?)[ \t]+(?:with|on)[ \t]+(?:an[ \t]+)?intel\b|"
        r"\bx86(?:[-_ ]?64)?(?:[ \t-]+based)?[ \t]+macs?\b|"
        # the platform as wheel pages name it: "Missing wheels for macos x86_64"
        # (faiss-wheels/faiss-wheels#109)
        r"\bmac[ \t]?os(?:[ \t]?x)?[ \t]+x86[-_ ]?64\b|"
        r"\bmacos-1[23]\b",
        _I,
    ),
    # any package said to have no build for the Mac at all: "It looks like lmdeploy has no wheel
    # for MacOS" (ysharma3501/MiraTTS#3), "No distribution for M1 Mac" (dmlc/dgl#4344)
    "no_mac_build": re.compile(
        rf"\b{_BUILD}[ \t]+(?:(?:available|published|provided)[ \t]+)?(?:for|on)[ \t]+"
        r"(?:the[ \t]+)?(?:mac[ \t]?os(?:[ \t]?x)?|macs?|osx|apple[ \t]+silicon|M[1-5])\b"
        r"(?![ \t]*v?\d)|"
        # a package said not to install on the Mac ("TorchDrug library can not be installed on
        # the apple silicon platform": DeepGraphLearning/torchdrug#88)
        r"\bbe[ \t]+installed[ \t]+(?:on|in)[ \t]+(?:the[ \t]+|an?[ \t]+|my[ \t]+)?"
        r"(?:mac[ \t]?os(?:[ \t]?x)?|macs?|osx|apple[ \t]+silicon|M[1-5])\b(?![ \t]*v?\d)",
        _I,
    ),
    # a Python torch has no wheels for, the limit about wheels or support (jaredpalmer/kev#34's
    # title: "Quickstart fails on Python 3.14: torch pin (<2.9) has no cp314 wheels")
    "python_no_wheels": re.compile(r"\bpython[ \t]?3\.\d{1,2}\b|\bcp3\d{1,2}\b", _I),
    # a package built for NVIDIA GPUs or Linux only, said not to install or work on a Mac
    # (zheng-chong/CatVTON#13's title: "xformers is not compatible with MacOS"; predibase/
    # lorax#167: "triton is not supported for windows or mac as of now"): PyPI has no macOS
    # build of them (verify/data/gpu_only_packages.json, .foreign's CUDA_BUILD) or none for
    # Apple silicon (decord, pyg-lib); auto-gptq's sdist builds CUDA kernels ("auto-gptq does
    # not yet support macOS": heshengtao/comfyui_LLM_party#7, which its maintainer then dropped)
    "cuda_only_package": re.compile(
        r"\b(?:xformers|flash[-_ ]?attn|flash[-_ ]?attention(?:[-_ ]?2)?|mamba[-_]ssm|triton|"
        r"bitsandbytes|vllm|decord|pyg[-_]lib|torch[-_]xla|cupy|onnxruntime[-_]gpu|tensorrt|"
        r"fbgemm[-_]gpu|deepspeed|auto[-_]?gptq)\b",
        _I,
    ),
    # a CUDA build of torch said not to install or work on a Mac (liugangcode/InfoAlign#4: "The
    # file currently specifies pytorch with CUDA, this is not compatible with the MacOSX M1
    # architecture"; RosettaCommons/RFdiffusion#118: "does not install due to cudatoolkit and
    # dgl, which are unavailable for M1/M2"): PyTorch's CUDA builds (+cuXXX wheels, conda's
    # pytorch-cuda and cudatoolkit) are Linux and Windows ones
    "cuda_torch_build": re.compile(
        rf"\b{_FAMILY}[ \t]+(?:with|for|built[ \t]+(?:with|for))[ \t]+CUDA\b|"
        rf"\bCUDA[ \t]+(?:versions?|builds?|wheels?)[ \t]+of[ \t]+{_FAMILY}\b|"
        rf"\b{_FAMILY}[ \t]*(?:==[ \t]*[\d.]+)?\+cu\d{{2,3}}\b|\bcudatoolkit\b|\bpytorch-cuda\b",
        _I,
    ),
}
_NEEDS_MPS = {"float64", "dtypes", "ops_missing"}
# a named dtype makes "data types" that one's sentence (float64 is its own topic, bfloat16 or an
# integer type is another limit): only "data types" in general is this topic
_NAMED_DTYPE = re.compile(
    r"\b(?:b?float\d+|fp\d+|half|double|int\d+|u?int\d*|complex\d*|bool)\b", _I
)
# the verb forms of the limit: "Metal doesn't support", "not supported"; "unsupported datatype" is
# MPSGraph's own message (verify.known_errors), "only supports dtypes of" a list of the allowed
_VERB_LIMIT = re.compile(
    r"\b(?:does|do|did)[ \t]*n[o']?t[ \t]+(?:yet[ \t]+)?support\b|"
    r"\b(?:is|are)(?:n'?t|[ \t]+not)[ \t]+(?:yet[ \t]+)?supported\b|\bnot[ \t]+supported\b",
    _I,
)
# what is missing for an arm64 build: a lack, not a list of what there is ("Later torch versions
# only provide wheels for MacOS arm64": huggingface/peft#2431, an Intel runner)
_LACK = re.compile(
    r"\black(?:s|ing)?\b|\bno[ \t]+|\bnot[ \t]+(?:yet[ \t]+)?(?:available|avaiable)\b|"
    r"\bunavailable\b|"
    r"\b(?:does|do|did)[ \t]*n[o']?t[ \t]+(?:have|provide|ship|offer|exist)\b|\bmissing\b|"
    r"\b(?:can'?t|cannot|can[ \t]+not)\b",
    _I,
)
# a CUDA build's wheels missing for arm64 is the CUDA build's matter, not a missing arm64 torch
_NOT_ARM = re.compile(rf"\bnot[ \t]+(?:on[ \t]+|for[ \t]+)?(?:{_ARM}|ARM|M[1-5])\b", _I)
_CUDA = re.compile(r"\bCUDA\b|\+cu\d{2,3}\b|\bcu\d{3}\b", _I)
_TORCH_NAMED = re.compile(rf"\b{_FAMILY}\b", _I)
_WHEELS = re.compile(r"\bwheels?\b", _I)
# the Python's wheels: the sentence is about builds or support of torch for it, not on an Intel
# Mac or under x86_64 (no wheel for "macOS x86_64 + Python 3.13" is the Intel Mac's:
# langflow-ai/langflow#12469; _intel_mac_platform)
_WHEEL_WORDS = re.compile(rf"\b{_BUILD}\b|\bsupport|\bno[ \t]+(?:py)?torch\b|\binstall", _I)
# torch itself said not available for the Python ("it uses Python 3.12 and PyTorch isn't available
# for that yet": simonw/llm#397), where the sentence names no device whose availability it could be
_TORCH_UNAVAILABLE = re.compile(
    rf"\b{_FAMILY}[ \t]+(?:is|are)(?:n'?t|[ \t]+not)[ \t]+(?:yet[ \t]+)?available\b", _I
)
# A platform named beside the Python: an arm64 one is the Mac's own, the Python is what no wheel
# fits ("PyTorch v2.2.x wheels unavailable for macOS arm64 + Python 3.13": graphnet-team/
# graphnet#798's title; "Wheel not available for Python 3.11 Windows x86-64": pytorch/pytorch#92826,
# the Python on another OS); an Intel one on a Mac (or with no OS named) is the Intel Mac's
_X86_WORDS = re.compile(r"\bintel\b|\bx86[-_ ]?64\b|\bamd64\b|\bi386\b", _I)
_NOT_MAC_OS = re.compile(r"\bwindows\b|\bwin(?:32|_amd64)\b|\blinux\b|\bmanylinux", _I)
_MAC_WORDS = re.compile(r"\bmac|\bosx\b|\bdarwin\b|\brosetta\b|\bapple\b", _I)


def _intel_mac_platform(sentence: str) -> bool:
    """An Intel (x86_64) platform named, on a Mac or on no other OS."""
    return bool(_X86_WORDS.search(sentence)) and (
        bool(_MAC_WORDS.search(sentence)) or not _NOT_MAC_OS.search(sentence)
    )


# a VM (or a VM app) running a Windows or Linux guest on a Mac, told in one sentence: Metal does not
# reach the guest, so no limit predicate is needed ("Running in Win11 VIRTUAL at Parallels
# Desktop 17 for MAC M1 takes 5 hours": Anjok07/ultimatevocalremovergui#226; "my setup is Mac M1
# with Ubuntu 22.04 running via VMWare Fusion": pytorch/pytorch#120557). A macOS guest is
# another cause (no Metal device: cirruslabs/tart#501) and is not read here.
VM_APP = re.compile(
    r"\b(?:Parallels(?:[ \t]+Desktop)?|VMware(?:[ \t]+Fusion)?|VirtualBox|UTM|"
    r"virtual[ \t]+machines?|VMs?)\b",
    _I,
)
GUEST = re.compile(r"\b(?:Windows|Win[ \t]?1[01]|Linux|Ubuntu|Debian|Fedora)\b", _I)
ON_MAC = re.compile(
    r"\b(?:Mac(?:Book(?:[ \t]+(?:Pro|Air))?|[ \t]+mini|[ \t]+Studio)?|iMac|M[1-5](?:[ \t]+"
    r"(?:Pro|Max|Ultra))?|Apple[ \t]+silicon)\b",
    _I,
)
# a Linux container on a Mac said to get no GPU: Docker Desktop, Colima, OrbStack and Podman run
# their containers in a Linux VM, which Metal does not reach ("Running a docker container on a mac
# running Mac OS 13.0 can't run pytorch operations on the GPU.": pytorch/pytorch#96066; "MPS usage
# is limited as docker container is linux-based and MPS reqiure macOS to run":
# pantelis/eng-ai-agents#9). The sentence names the container, the GPU (MPS, Metal) and the Mac
# or Linux, with a limit or Linux; a CUDA / NVIDIA container is a Linux server's matter
# (huggingface/diffusers#892: NGC's container, "torch.backends.mps doesn't exist").
CONTAINER = re.compile(r"\b(?:docker|containers?|podman|colima|orbstack|devcontainers?)\b", _I)
_GPU_WORDS = re.compile(r"\bMPS\b|\bMetal\b|\bGPUs?\b", _I)
_DEVICE_WORDS = re.compile(_GPU_WORDS.pattern + r"|\bCUDA\b|\bdevice\b|\bbackend\b", _I)
_LINUX = re.compile(r"\blinux\b", _I)
# (Darwin, macOS's kernel, as package platforms name it: "build requirements on Darwin platforms":
# nari-labs/nari-qwen3-tts#3)
MAC_NAMED = re.compile(rf"\b(?:{MAC_WORDS})\b", _I)
_NO_GPU = re.compile(
    r"\bnot[ \t]+(?:yet[ \t]+)?(?:supported|available|possible)\b|"
    r"\bn[o']?t[ \t]+(?:support|access|use|run|pass|expose|have)\b|\bcan'?t\b|\bcannot\b|"
    r"\bimpossible\b|\bunable\b|\blimited\b|\bno[ \t]+(?:access|gpu|mps|metal)\b|"
    r"\bunavailable\b",
    _I,
)
_CUDA_CONTAINER = re.compile(r"\bcuda\b|\bnvidia\b|--gpus\b", _I)
# the Mac's GPU as a question about containers names it: MPS, Metal, the GPU, Apple's MLX (which
# runs on Metal) or the unified memory it shares
_GPU_ASKED = re.compile(_GPU_WORDS.pattern + r"|\bMLX\b|\bunified[ \t]+memory\b", _I)
_CONTAINER_NEEDLES = ("docker", "container", "podman", "colima", "orbstack")
# program output, not a person's sentence: a file path, a log level or an exception's name
# before a colon, a resolver's tree, a requirement's marker
_MACHINE_TEXT = re.compile(
    r"[/\\][\w.-]+[/\\]|\b\w+(?:Error|Warning|Exception):|^[\s>]*(?:ERROR|WARNING|error|"
    r"warning)\b|\[(?:ERROR|WARN(?:ING)?|INFO)\]|[\u2500-\u257f\u25b6]|platform_machine|"
    r"\b\d{4}-\d\d-\d\d[ T]\d\d:\d\d",
)
# a link cited after a person's sentence is no program's output ("flash_attn has not been
# supported on m1 .[ issue](https://github.com/Dao-AILab/flash-attention/issues/412)":
# QwenLM/qwen.cpp#9); a link inside the sentence still makes it no statement of its own
_CITED_AFTER = re.compile(r"(?<=[.!?])[ \t]*\[[^\]\n]*\]\(https?://[^)\s]*\)[ \t]*$")
# a sentence that opens with a condition or a wish is no statement of what happened
_CONDITIONAL = re.compile(
    r"^[\s>*#-]*(?:if|when|whether|unless|once|maybe|perhaps|hopefully|i[ \t]+(?:think|guess|"
    r"wonder|suspect)|is[ \t]+it|could|would|should)\b",
    _I,
)


# cheap substring tests (on the lowercased text) that find the sentences worth the patterns: a
# limit's words, and a topic's; a big log holds many, and the report's own words come first or
# last (MAX_CANDIDATES)
_LIMIT_NEEDLES = (
    "support",
    "compatib",
    "lack",
    "missing",
    "available",
    "avaiable",
    "only ",
    "provide",
    # LIMIT's other words: "there is no", "no longer", "unable to", "does not publish / ship /
    # offer / release" ("There is no 12.1 or 11.6 versions of pytorch-cuda for MacOS":
    # unslothai/unsloth#386's title)
    "there ",
    "no longer",
    "unable",
    "publish",
    "ship",
    "offer",
    "release",
    "dropped",
    "deprecated",
    "discontinued",
    "last ",
    "can't",
    "cannot",
    "can not",
    "cant ",
    "couldn",
    "could not",
    "build",
    "wheel",
    "binar",
    "package",
    "distribution",
    "install fails",
    "installation fails",
)
_TOPIC_NEEDLES = (
    "float",
    "operat",
    "ops",
    "kernels",
    "fp64",
    "double",
    "complex128",
    "type",
    "arm64",
    "aarch64",
    "silicon",
    "arm w",
    "arm b",
    "x86",
    "intel",
    "i386",
    "rosetta",
    "macos-1",
    # no_mac_build's "for macOS", "on Mac", "for M1"
    "for m",
    "on m",
    "for osx",
    "for apple",
    "on apple",
    "python",
    "cp3",
    # the packages of cuda_only_package
    "xformers",
    "flash",
    "mamba",
    "triton",
    "bitsandbytes",
    "vllm",
    "decord",
    "pyg",
    "xla",
    "cupy",
    "onnxruntime",
    "tensorrt",
    "fbgemm",
    "deepspeed",
    "gptq",
    # cuda_torch_build's
    "cuda",
)
_VM_NEEDLES = ("parallels", "vmware", "virtualbox", "utm", "virtual machine", " vm")
MAX_CANDIDATES = (300, 100)  # sentences read from the start and from the end of the text
# a big paste (a log) is searched in its first and last characters only: a report's own words
# open or close it (its title and description, a comment after the log)
HEAD, TAIL = 100_000, 50_000


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def lower_same_length(text: str) -> str:
    """`text` lowercased, position for position (str.lower lengthens a few letters, "İ")."""
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


def candidates(text: str, low: str, needles: tuple[str, ...]) -> list[tuple[int, int]]:
    """The sentences that hold one of the needles, in text order (the first and last ones)."""
    starts: dict[int, int] = {}
    windows = [(0, len(text))]
    if len(text) > HEAD + TAIL:
        windows = [(0, HEAD), (len(text) - TAIL, len(text))]
    for lo, hi in windows:
        for needle in needles:
            at = low.find(needle, lo, hi)
            while at != -1:
                start, end = sentence_at(text, at)
                starts[start] = end
                at = low.find(needle, max(end, at + 1), hi)
    spans = sorted(starts.items())
    first, last = MAX_CANDIDATES
    return spans if len(spans) <= first + last else spans[:first] + spans[-last:]


# the torch release and the Python a sentence names ("PyTorch v2.2.x wheels unavailable for macOS
# arm64 + Python 3.13": 2.2 and 3.13)
_RELEASE_NAMED = re.compile(
    rf"\b{_FAMILY}`?(?:[ \t]*(?:==|=)[ \t]*|[ \t]+v?|-)(\d\.\d{{1,2}})(?:\.\d{{1,2}})?", _I
)
_PYTHON_NAMED = re.compile(r"\bpython[ \t]?(3\.\d{1,2})\b|\bcp3(\d{1,2})\b", _I)
# no_mac_build's neighbours' words: an arm64 build, an x86_64 / Intel one
_ARM_WORD = re.compile(r"\b(?:arm64|aarch64|arm)\b", _I)
_X86_WORD = re.compile(_X86_WORDS.pattern + r"|\bx86\b", _I)
_ARM_NAMED = re.compile(rf"\b{_ARM}|\bM[1-5]\b", _I)
# the first torch release of the release table (verify/data/torch_releases.json): older ones are
# not known here, so their lack of an arm64 wheel for a Python is not taken for the Python's
_TABLE_FIRST = Version("1.12")


def _wheels_exist_for_it(sentence: str) -> bool:
    """Does the sentence's own torch release contradict it: PyPI has macOS wheels of that release
    for that Python (the limit is another), or the release predates the release table while
    the sentence names arm64 ("PyTorch 1.4.0 is unavailable for Python 3.8 (arm64) on macOS 14":
    Tony-Y/pytorch_warmup#20, a release from before Apple silicon, whatever the Python)?"""
    release = _RELEASE_NAMED.search(sentence)
    python = _PYTHON_NAMED.search(sentence)
    if release is None or python is None:
        return False
    version = compat.parse_version(release.group(1))
    if version is None:
        return False
    if version < _TABLE_FIRST:
        return _ARM_NAMED.search(sentence) is not None
    py = python.group(1) or f"3.{python.group(2)}"
    return compat.supports_python(release.group(1), py) is True


def _fits(topic: str, sentence: str, limit: re.Match[str]) -> bool:
    """The topic's own conditions on the sentence, beyond holding the topic and a limit."""
    if topic in _NEEDS_MPS and not _ON_MPS.search(sentence):
        return False
    if topic == "dtypes":
        return _VERB_LIMIT.search(sentence) is not None and not _NAMED_DTYPE.search(sentence)
    if topic == "no_arm64_build":
        return (
            _LACK.search(sentence) is not None
            and _TORCH_NAMED.search(sentence) is not None
            and not _CUDA.search(sentence)
        )
    if topic == "cuda_only_package":
        return MAC_NAMED.search(sentence) is not None
    if topic == "no_mac_build":
        # no build for the Mac at all; the neighbours' words leave it to their topics: a CUDA
        # build (cuda_torch_build) or a CUDA-only package (cuda_only_package), a Python ("a
        # missing `torch==1.11.0` distribution for Mac" with Python 3.11, Quicksetup-ai#27:
        # python_no_wheels), x86_64 / Intel ("Missing
        # wheels for macos x86_64", faiss-wheels/faiss-wheels#109: intel_mac) and arm64
        # (no_arm64_build reads torch's family only: another package's missing arm64 build was
        # Rosetta's x86_64 Python as often, google-deepmind/mujoco#195)
        return (
            _LACK.search(sentence) is not None
            and not _CUDA.search(sentence)
            and not TOPICS["cuda_only_package"].search(sentence)
            and not _ARM_WORD.search(sentence)
            and not TOPICS["python_no_wheels"].search(sentence)
            and not _X86_WORD.search(sentence)
        )
    if topic == "cuda_torch_build":
        # not in a container on the Mac (a Linux one: iris-sast/iris#36's "Docker runs Linux
        # containers using the aarch64 architecture, for which ... pytorch-cuda=12.1 is not
        # available"): Metal not reaching the container is that sentence's cause
        return MAC_NAMED.search(sentence) is not None and not CONTAINER.search(sentence)
    if topic == "intel_mac":
        # a package built for Intel Macs only, "not ARM ones" (deepchem/deepchem#2871), "which
        # only supports x86 macs" (pytorch/tutorials#3104): the missing build is the arm64 one,
        # not the machine's being an Intel Mac
        return _NOT_ARM.search(sentence) is None and not limit.group(0).lower().startswith("only")
    if topic == "python_no_wheels":
        return (
            # torch named, or wheels of any package: a Python its wheels leave out is the same
            # cause for any package an install needs ("PyPI is missing the macOS Python 3.8
            # wheel for version 0.4.3": dmlc/dgl#1415)
            (_TORCH_NAMED.search(sentence) is not None or _WHEELS.search(sentence) is not None)
            and (
                _WHEEL_WORDS.search(sentence) is not None
                or (_TORCH_UNAVAILABLE.search(sentence) and not _DEVICE_WORDS.search(sentence))
            )
            and not _intel_mac_platform(sentence)
            and not _wheels_exist_for_it(sentence)
            # what the sentence says is missing is an arm64 build, the Python only told beside
            # it (pyg-team/pytorch_geometric#2736: "Python 3.8 ... can't find an ARM64 version")
            and not TOPICS["no_arm64_build"].search(sentence)
        )
    return True


def _vm_guest(text: str, start: int, end: int) -> bool:
    """A Windows / Linux guest in a VM app on a Mac, stated in the sentence."""
    app = VM_APP.search(text, start, end)
    if app is None or asked(text, app) or not stated(text, app, strict=False):
        return False
    return bool(GUEST.search(text, start, end) and ON_MAC.search(text, start, end))


def _container_guest(text: str, start: int, end: int) -> bool:
    """A Linux container on a Mac said to get no GPU (MPS / Metal), in the sentence."""
    box = CONTAINER.search(text, start, end)
    if box is None or asked(text, box) or not stated(text, box, strict=False):
        return False
    sentence = text[start:end]
    if not _GPU_WORDS.search(sentence) or _CUDA_CONTAINER.search(sentence):
        return False
    linux = _LINUX.search(sentence)
    return bool((linux or MAC_NAMED.search(sentence)) and (linux or _NO_GPU.search(sentence)))


# a sentence that goes on about the one before it ("... which uses Intel x86. This has the
# disadvantage that the latest torch wheels still provided for this architecture are torch
# v2.2.2": huggingface/peft#2431): its limit may be the earlier sentence's topic's
_GOES_ON = re.compile(
    r"[\s>*-]*(?:this|that|these|those|it|so|therefore|hence|thus)\b(?![ \t]+(?:is|was)[ \t]+"
    r"(?:why|how|what)\b)",
    _I,
)


# an install, a setup or a build said to fail "with / on / for / under" a Python 3.X, in one
# sentence: the install verb before the Python, a failure word anywhere in it. Only a Python from
# 3.11 on: of the real reports that say so of 3.10 or an older one, more had another cause (no
# arm64 build: huggingface/datasets#7267's decord) than the Python; uv's "Using Python 3.12.9
# environment at: venv" is a log line, not a sentence about the Python (no "using"). The Pythons
# past one count too: "torchaudio fails to install with Python>3.12" (MontrealCorpusTools/
# Montreal-Forced-Aligner#940's title)
INSTALL_WITH_PYTHON = re.compile(
    r"\b(?:install\w*|set[ \t]?up|setting[ \t]up|build\w*)\b[^.\n]{0,60}?\b(?:with|on|for|under|"
    r"in)[ \t]+(?:the[ \t]+)?(?:latest[ \t]+)?python[ \t]?(?:>=?[ \t]?)?3\.(1[1-9])\b",
    _I,
)
_FAILS = re.compile(
    r"\bfail|\berrors?\b|\bproblems?\b|\bcan'?t\b|\bcannot\b|\bunable\b|\bissues?\b|"
    # "I just tried to install from pip on Python 3.11 but wasn't able to" (isl-org/Open3D#6536)
    r"\bnot[ \t]+work|\bbroken\b|\b(?:was|were)(?:n'?t|[ \t]+not)[ \t]+able\b",
    _I,
)


def _install_fails_with_python(text: str, start: int, end: int) -> bool:
    """An install said to fail with a Python (3.11 or newer) named, stated (not asked, not
    negated)."""
    found = INSTALL_WITH_PYTHON.search(text, start, end)
    if found is None or asked(text, found) or not stated(text, found, strict=False):
        return False
    return _FAILS.search(text, start, end) is not None


# a conda environment file exported on Linux (build strings, Linux-only packages) said not to
# work on a Mac (RameenAbdal/StyleFlow#17: "`conda env create -f environment.yml` fails on macOS
# because of the Linux builds in the enironment.yml file"; abhishekkrthakur/approachingalmost#2:
# "Your environment.yml file is platform-specific (for Linux) and a strict export, which means
# that I can't use this file to recreate the conda environment in OSX"): a platform's packages
# and builds, not this Mac's. Needs no limit predicate: the failure word, Linux and a Mac in the
# one sentence.
_ENV_FILE = re.compile(
    r"\benv(?:ironment)?[\w-]*\.ya?ml\b|\bconda[ \t]+env[ \t]+(?:export|create)\b", _I
)
_LINUX_BUILT = re.compile(r"\blinux\b|\bplatform[ \t-]specific\b", _I)
_MAC_OR_OSX = re.compile(r"\bmac(?:[ \t]?os(?:[ \t]?x)?|books?|s)?\b|\bos[ \t]?x\b", _I)


def _linux_conda_env(text: str, start: int, end: int) -> bool:
    found = _ENV_FILE.search(text, start, end)
    if found is None or asked(text, found) or not stated(text, found, strict=False):
        return False
    return bool(
        _LINUX_BUILT.search(text, start, end)
        and _MAC_OR_OSX.search(text, start, end)
        and _FAILS.search(text, start, end)
    )


def _container_on_mac(text: str, low: str) -> list[Clue]:
    """A container the report runs, in a text that names a Mac, no limit said: the weakest
    reading of a Linux container on a Mac (zylon-ai/private-gpt#1873: "I've been also able to
    dockerize it and run it inside a container", a MacBook M1 named before; 38 of the 50 real
    reports naming Docker or a container and a Mac were that cause). A question about running in
    a container counts where the text names the GPU too: whether the container on the Mac keeps
    it is what the asker wants to know, and it does not ("How can a project developed on top of
    the Mlx Python library be run in a container ... without losing the metal framework and
    unified memory advantage on an Apple silicon chip device?": ml-explore/mlx#1945; all 9 real
    reports asking so were that cause). claim_rows adds its row only where nothing else was
    found."""
    if MAC_NAMED.search(text) is None:
        return []
    gpu_named = _GPU_ASKED.search(text) is not None
    for start, end in candidates(text, low, _CONTAINER_NEEDLES):
        found = CONTAINER.search(text, start, end)
        if found is None or not statement(text[start:end]):
            continue
        if asked(text, found) and not gpu_named:
            continue
        if not stated(text, found, strict=False) or _offered(text, found):
            continue
        said = quote(" ".join(text[start:end].split()))
        return [Clue("sign.cause_said", "container_on_mac", said, WEAK)]
    return []


# an issue form's choices, left as the template gave them: "- Environment location: [Bare-metal,
# Docker, Cloud(specify cloud provider - AWS, Azure, GCP, Collab)]" (NVIDIA/NeMo#8707)
_CHOICES = re.compile(r"\[[^\[\]\n]*,[^\[\]\n]*\]")


# a template field's example (.forms.EXAMPLE), and a field left with only its example: "- Docker
# version (e.g., funasr-runtime-sdk-cpu-0.4.1)" (modelscope/FunASR#1802, no Docker in use)
_UNANSWERED = re.compile(r"\)[ \t]*:?[ \t]*(?:\**(?:n/?a|none|no)\**)?[ \t]*$", _I)


def _offered(text: str, found: re.Match[str]) -> bool:
    """Is the container one of a form's bracketed choices or examples, or the name of a field
    left unanswered, not the report's own?"""
    start = text.rfind("\n", 0, found.start()) + 1
    end = text.find("\n", found.end())
    line = text[start : end if end != -1 else len(text)]
    at = found.start() - start
    if any(m.start() < at < m.end() for m in _CHOICES.finditer(line)):
        return True
    example = EXAMPLE.search(line)
    return example is not None and (
        example.start() < at < example.end()
        or _UNANSWERED.match(line, example.end() - 1) is not None
    )


def statement(sentence: str) -> bool:
    """A person's statement: not too long, not a program's output, not a condition."""
    return (
        len(sentence) <= MAX_SENTENCE
        and not _MACHINE_TEXT.search(_CITED_AFTER.sub("", sentence))
        and not _CONDITIONAL.match(sentence)
    )


def _limit_of(text: str, start: int, end: int) -> re.Match[str] | None:
    """The sentence's limit predicate, stated (not asked, negated or conditional)."""
    limit = LIMIT.search(text, start, end)
    if limit is None or asked(text, limit) or not stated(text, limit, strict=False):
        return None
    return limit


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    seen: set[str] = set()
    low = lower_same_length(text)
    for start, end in candidates(text, low, _VM_NEEDLES):
        if statement(text[start:end]) and _vm_guest(text, start, end):
            out.append(Clue("sign.cause_said", "vm_guest", quote(text[start:end]), WEAK))
            break
    for start, end in candidates(text, low, _CONTAINER_NEEDLES):
        if statement(text[start:end]) and _container_guest(text, start, end):
            said = quote(" ".join(text[start:end].split()))
            out.append(Clue("sign.cause_said", "container_guest", said, WEAK))
            break
    else:
        out.extend(_container_on_mac(text, low))
    for start, end in candidates(text, low, ("python",)):
        if statement(text[start:end]) and _install_fails_with_python(text, start, end):
            said = quote(" ".join(text[start:end].split()))
            out.append(Clue("sign.cause_said", "python_install_fails", said, WEAK))
            break
    for start, end in candidates(text, low, (".yml", ".yaml", "conda env")):
        if statement(text[start:end]) and _linux_conda_env(text, start, end):
            said = quote(" ".join(text[start:end].split()))
            out.append(Clue("sign.cause_said", "linux_conda_env", said, WEAK))
            break
    for start, end in candidates(text, low, _LIMIT_NEEDLES):
        sentence = text[start:end]
        if not statement(sentence):
            continue
        limit = _limit_of(text, start, end)
        if limit is None:
            continue
        # the topic in this sentence, or in the one before when this one goes on about it
        spans = [(start, end)]
        if _GOES_ON.match(sentence) and start > 0:
            before = sentence_at(text, start - 1)
            if statement(text[before[0] : before[1]]):
                spans.insert(0, before)
        for tstart, tend in spans:
            if not any(n in low[tstart:tend] for n in _TOPIC_NEEDLES):
                continue
            said = text[tstart:end]
            for topic, pattern in TOPICS.items():
                if topic in seen or not _fits(topic, said, limit):
                    continue
                found = pattern.search(text, tstart, tend)
                # a topic after the limit is what the limit is of ("Metal doesn't support
                # certain data types"): the limit's own negation check covers it
                if found is None or (
                    found.start() < limit.start() and not stated(text, found, strict=False)
                ):
                    continue
                seen.add(topic)
                out.append(Clue("sign.cause_said", topic, quote(" ".join(said.split())), WEAK))
    return out
