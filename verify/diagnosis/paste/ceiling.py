"""The macOS x86_64 ceiling, torch 2.2.2, stated in a sentence (issue 12).

PyTorch's last release with macOS x86_64 wheels is 2.2.2 (verify.compat.LAST_MACOS_X86_64_WHEEL):
a report that says torch stops there on its Mac tells, without naming it, that the interpreter
is x86_64 - an Intel Mac, or an x86_64 Python under Rosetta on Apple silicon. Both are the
host.arch check's cause (tests/corpus.py LABELS: intel-mac and rosetta). The wordings:
- "it appears pytorch is capped for macOS at python3.12 and the latest wheels are 2.2.2"
  (pytorch/pytorch#169874, an Intel Mac), "the latest torch wheels still provided for this
  architecture are torch v2.2.2" (huggingface/peft#2431);
- "our GH MacOS runners can only install torch v2.2.2" (huggingface/peft#2431), "it can only
  install torch=2.2.2" (astral-sh/uv#13512, an x86_64 Python on an M3 Pro), "i can only install
  versions up to 2.2.2" (resemble-ai/chatterbox#277);
- "for Intel based Macs I'm limited to use PyTorch 2.2.2 only" (docling-project/docling#2044),
  "for Mac Intel only torch 2.2.2 is available" (huggingface/sentence-transformers#3661);
- "torch stopped building for Intel Macs after 2.2.2" (idiap/coqui-ai-TTS#112), "no version is
  supported beyond 2.2.2" (vllm-project/vllm#17212), "dropped macOS x86_64 (Intel) binary support
  after v2.2.2" (langflow-ai/langflow#12469).
No version of another package (numpy and pandas have a 2.2.2 too): the sentence names torch and
the word before the release is torch's, a version word or the ceiling's own. One WEAK clue
sign.cause_said = "x86_64_ceiling" (verify.diagnosis.claim_rows: a warning on host.arch, ranked
after every other finding). Pure: text in, clues out.
"""

from __future__ import annotations

import re

from verify.diagnosis.paste.claims import statement
from verify.diagnosis.paste.clues import WEAK, Clue, asked, finditer, quote, sentence_at, stated

TOPIC = "x86_64_ceiling"
_I = re.IGNORECASE
_V = r"(?:(?:py)?torch[ \t]*(?:==|=)?[ \t]*|v)?2\.2\.2\b"
CEILING = re.compile(
    r"\b(?:can|could)[ \t]+only[ \t]+(?:install|get|find|use|download)\b[^.\n]{0,30}?"
    + _V
    + r"|\b(?:latest|last|newest|highest|max(?:imum)?|final)[ \t]+(?:\w+[ \t]+){0,3}?"
    r"(?:versions?|releases?|wheels?|builds?|binar(?:y|ies))[ \t]+(?:\w+[ \t]+){0,4}?"
    r"(?:is|are|was|were|=|:)[ \t]+"
    + _V
    + r"|\b(?:capped|stuck|stops?|stopped|limited|topped[ \t]+out|maxe[sd][ \t]+out)[ \t]+"
    r"(?:\w+[ \t]+){0,3}?(?:at|on|to)[ \t]+(?:(?:use|using|install|installing|run)[ \t]+)?"
    + _V
    # "for Mac Intel only torch 2.2.2 is available" (huggingface/sentence-transformers#3661)
    + r"|\bonly[ \t]+"
    + _V
    + r"[ \t]+(?:is|are|was|were)[ \t]+(?:still[ \t]+)?available\b"
    + r"|\bup[ \t]+(?:to|until)[ \t]+(?:versions?[ \t]+)?"
    + _V
    + r"|\b2\.2\.2[ \t]+(?:is|was)[ \t]+the[ \t]+(?:last|latest|final|newest|highest)\b|"
    r"\b(?:after|past|beyond|newer[ \t]+than|above)[ \t]+" + _V,
    _I,
)
_TORCH = re.compile(r"\b(?:py)?torch\b", _I)
# the word just before "2.2.2": torch's name, a version word or the ceiling's own words
_BEFORE = re.compile(r"([A-Za-z]+)[ \t]*(?:==|=)?[ \t]*v?$")
_OWN = {
    "torch",
    "pytorch",
    "v",
    "to",
    "at",
    "on",
    "until",
    "after",
    "past",
    "beyond",
    "than",
    "above",
    "is",
    "are",
    "was",
    "were",
    "version",
    "versions",
    "install",
    "get",
    "find",
    "use",
    "download",
}
# an address in the sentence is no program output ("Projects (e.g. github.com/orbital-materials/
# orb-models) make use of ...": pytorch/pytorch#169874)
_ADDRESS = re.compile(r"(?:https?://|\b[\w-]+(?:\.[\w-]+)+/)\S*")
# another OS or a CUDA build is no Mac's x86_64 ceiling
_ELSEWHERE = re.compile(r"\b(?:linux|windows|cuda|cu\d{3}|rocm)\b", _I)


def _torch_release(text: str, m: re.Match[str]) -> bool:
    at = text.find("2.2.2", m.start(), m.end())
    before = _BEFORE.search(text, max(0, at - 30), at)
    return before is None or before.group(1).lower() in _OWN


def read(text: str) -> list[Clue]:
    for m in finditer(CEILING, text, "2.2.2"):
        start, end = sentence_at(text, m.start())
        sentence = text[start:end]
        if (
            not statement(_ADDRESS.sub("URL", sentence))
            or asked(text, m)
            or not stated(text, m, strict=False)
            or not _TORCH.search(sentence)
            or _ELSEWHERE.search(sentence)
            or not _torch_release(text, m)
        ):
            continue
        return [Clue("sign.cause_said", TOPIC, quote(" ".join(sentence.split())), WEAK)]
    return []
