"""Causes told in words rather than shown by a message: what a thread's sentences establish.

Users and maintainers often state the cause instead of pasting torch's message: "manually
updating torch to 2.9.1 fixes this issue", "MPS support on MacOS Ventura with an AMD Radeon Pro
5700 XT GPU", "VMs can't run MPS". Each reading is a WEAK clue (a sentence is the least certain
source: verify.diagnosis.paste.clues); a negated, conditional or past phrase gives nothing
(verify.diagnosis.paste.clues.stated), and a question gives nothing where it says so below.

- a newer PyTorch said to fix it ("updating torch to 2.9.1 fixes this issue", "upgrading to
  PyTorch 2.1 fixed it", "fixed by upgrading pytorch to 2.0.1", "needs torch 2.9.1 or newer") ->
  sign.torch_fixed_by: the release named (verify.diagnosis.told_rows: torch older than it;
  invoke-ai/InvokeAI#8835). A requirement's lower bound ("torch>=2.5.1") is
  verify.diagnosis.paste.prose's sign.torch_at_least, not this; one said in a sentence ("requires
  pytorch>2") is sign.torch_needed_said, read only against a torch the paste shows;
  transformers' "Disabling PyTorch because PyTorch >= 2.1 is required but found 2.0.1" gives
  both the floor and the torch installed (XiaoxinHe/G-Retriever#48).
- a Mac named with an AMD / Radeon GPU in the same line ("MPS support on MacOS Ventura with an
  AMD Radeon Pro 5700 XT GPU": Lightning-AI/pytorch-lightning#15861, "支持intel AMD GPU 的macos")
  -> os Darwin, sign.mac_hint: only Intel Macs have AMD GPUs (verify.diagnosis.paste then reads an
  Intel
  Mac from the AMD GPU, verify.diagnosis.paste.versions' sign.amd_gpu). A question names the
  hardware in
  question too: only a negation gives nothing here.
- an application's MPS path said to be experimental ("an experimental feature of using MPS",
  "the MPS is experimental") -> sign.app_mps_opt_in: the application keeps MPS off unless
  switched on (verify.diagnosis.told_rows: a warning naming the switch as the thing to look for,
  nothing
  against the environment; 2noise/ChatTTS#772, suno-ai/bark#266).
"""

from __future__ import annotations

import re

from verify.diagnosis.paste.clues import LISTED, WEAK, Clue, asked, clue, finditer, stated

_I = re.IGNORECASE

_RELEASE = r"v?(\d\.\d{1,2}(?:\.\d{1,2})?)(?![\d.]*\d)"
_TORCH = r"(?:torch|pytorch|PyTorch)"
_UPGRADE = r"(?:updat|upgrad)(?:e|es|ed|ing)"
# the words between: no negation ("updating torch to 2.9.1 did not fix this issue")
_GAP = r"(?:(?!\b(?:not|never|no)\b|n't)[^.!?\n]){0,30}?"
_FIXES = r"(?:fix(?:es|ed)?|solve[sd]?|resolve[sd]?|works?|worked|helps?|helped)"
# a newer torch said to fix it: "updating torch to 2.9.1 fixes this issue", "upgrading PyTorch to
# 2.0.1 solved it", "fixed it by upgrading torch to 2.1", "works after updating pytorch to 2.3",
# "needs torch 2.9.1 or newer"
TORCH_FIXED_BY = re.compile(
    rf"\b{_UPGRADE}[ \t]+(?:the[ \t]+)?`?{_TORCH}`?[ \t]+(?:version[ \t]+)?(?:to|=|==)[ \t]*`?"
    rf"{_RELEASE}`?{_GAP}\b{_FIXES}\b|"
    rf"\b{_FIXES}[^.!?\n]{{0,30}}?\b(?:by|after|when)[ \t]+{_UPGRADE}[ \t]+(?:the[ \t]+)?`?"
    rf"{_TORCH}`?[ \t]+(?:version[ \t]+)?(?:to|=|==)[ \t]*`?{_RELEASE}|"
    rf"\b{_FIXES}[^.!?\n]{{0,30}}?\b(?:by|after|when)[ \t]+{_UPGRADE}[ \t]+to[ \t]+`?{_TORCH}"
    rf"(?:[ \t]+|[ \t]*==[ \t]*)(?:version[ \t]+)?{_RELEASE}|"
    # a maintainer closing it: "Issue no longer reproduces on `torch==2.5.1`. Closing as fixed."
    # (pytorch/pytorch#97552), "fixed in PyTorch 2.1"
    rf"\bno[ \t]+longer[ \t]+(?:reproduces|happens|occurs)[ \t]+(?:on|with|in)[ \t]+`?{_TORCH}"
    rf"(?:[ \t]+|[ \t]*==[ \t]*){_RELEASE}|"
    rf"\b(?:fixed|resolved)[ \t]+in[ \t]+`?{_TORCH}(?:[ \t]+|[ \t]*==[ \t]*){_RELEASE}|"
    # a feature the torch in use lacks, said to come with a release: "AMP Autocast is not
    # available on current pytorch, will be added in 2.5+ version" (kijai/ComfyUI-
    # CogVideoXWrapper#152, a Mac user's own finding on an M3)
    rf"\bnot[ \t]+(?:yet[ \t]+)?(?:available|supported|implemented)[ \t]+(?:on|in|with)[ \t]+"
    rf"(?:the[ \t]+)?(?:current|this|my)[ \t]+`?{_TORCH}`?[ \t]*,?[ \t]*(?:it[ \t]+|and[ \t]+)?"
    rf"will[ \t]+be[ \t]+(?:added|available|supported|fixed)[ \t]+in[ \t]+(?:`?{_TORCH}`?[ \t]+)?"
    rf"{_RELEASE}|"
    rf"\bneeds?[ \t]+(?:at[ \t]+least[ \t]+)?`?{_TORCH}`?[ \t]*(?:>=[ \t]*)?{_RELEASE}"
    r"(?:[ \t]*\+|[ \t]+or[ \t]+(?:newer|later|above|higher))?",
    _I,
)
# a bound said in a sentence, a major alone too: "does not work with pytorch-1.8.1 but requires
# pytorch>2" (wasserth/TotalSegmentator#127) -> sign.torch_needed_said; it says nothing of the
# torch installed, so verify.diagnosis.told_rows reads it only against a torch the paste shows
TORCH_NEEDED = re.compile(
    rf"\b(?:needs?|requires?)[ \t]+(?:at[ \t]+least[ \t]+)?`?{_TORCH}`?[ \t]*>=?[ \t]*"
    r"v?(\d(?:\.\d{1,2}){0,2})(?![\d.]*\d)",
    _I,
)
# transformers' own check, the floor and the torch it found: "Disabling PyTorch because PyTorch
# >= 2.1 is required but found 2.0.1" (transformers/utils/import_utils.py is_torch_available's
# warning; XiaoxinHe/G-Retriever#48) -> sign.torch_needed_said, and the torch installed
TRANSFORMERS_FLOOR = re.compile(
    r"Disabling PyTorch because PyTorch >= ?(\d(?:\.\d{1,2}){0,2}) is required but found "
    r"(\d\.\d{1,2}(?:\.\d{1,2})?(?:(?:a|b|rc|\.dev|\.post)\d+)?(?:\+[\w.]+)?)"
)
# a Mac and an AMD GPU named in one line (the GPU is verify.diagnosis.paste.versions' sign.amd_gpu)
_MAC = (
    r"(?:mac\s?OS(?:\s?X)?|OS\s?X|Mac(?:Book(?:\s?Pro)?|\s?Pro|\s?mini)?|iMac(?:\s?Pro)?|"
    r"Hackintosh)"
)
_AMD = r"(?:AMD(?:\s+Radeon)?|Radeon)"
MAC_WITH_AMD = re.compile(
    rf"\b{_MAC}(?![\w-])[^\n]{{0,60}}?\b{_AMD}\b|"
    # a whole word: "a ubuntu amd machine" names no Mac (Ubuntu-R2/RepoST#2, a Linux PC)
    rf"\b{_AMD}\b[^\n]{{0,60}}?(?<![A-Za-z0-9_-]){_MAC}(?![\w-])",
    _I,
)

# an application's MPS path said to be experimental, so off unless switched on: "It seems there
# is an experimental feature of using MPS, may I know how to turn it on?" (2noise/ChatTTS#772:
# `Chat.load(experimental=True)`), "Understanding the MPS is experimental" (suno-ai/bark#266:
# SUNO_ENABLE_MPS). torch's own MPS backend is not called experimental in its messages.
APP_MPS_OPT_IN = re.compile(
    r"\bexperimental[ \t]+(?:feature|support|option|flag|mode|switch)[ \t]+(?:of|for)[ \t]+"
    r"(?:using[ \t]+)?(?:the[ \t]+)?MPS\b|"
    r"\bMPS(?:[ \t]+(?:support|mode|backend|acceleration|path))?[ \t]+(?:is|as)[ \t]+"
    r"(?:an?[ \t]+|still[ \t]+|only[ \t]+)*experimental\b|"
    r"\bexperimental[ \t]+MPS[ \t]+(?:support|mode|acceleration|flag|option|switch)\b",
    _I,
)


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(TORCH_FIXED_BY, text, "orch", "ORCH"):
        if not stated(text, m, strict=False) or asked(text, m):
            continue
        release = next(g for g in m.groups() if g)
        out.append(clue("sign.torch_fixed_by", release, text, m, WEAK))
        break
    for m in finditer(TRANSFORMERS_FLOOR, text, "Disabling PyTorch"):
        out.append(clue("sign.torch_needed_said", m.group(1), text, m, LISTED))
        out.append(clue("torch_version", m.group(2), text, m, LISTED))
        break
    else:
        for m in finditer(TORCH_NEEDED, text, "orch", "ORCH"):
            if stated(text, m, strict=False) and not asked(text, m):
                out.append(clue("sign.torch_needed_said", m.group(1), text, m, WEAK))
                break
    for m in finditer(MAC_WITH_AMD, text, "AMD", "Radeon", "radeon", "amd"):
        if not stated(text, m, strict=False):
            continue
        out.append(clue("os", "Darwin", text, m, WEAK))
        out.append(clue("sign.mac_hint", True, text, m, WEAK))
        break
    for m in finditer(APP_MPS_OPT_IN, text, "xperimental", "XPERIMENTAL"):
        if stated(text, m, strict=False):
            out.append(clue("sign.app_mps_opt_in", m.group(0), text, m, WEAK))
            break
    return out
