"""Parse what people paste: `python -m torch.utils.collect_env` text, our JSON report or facts.

Text in, `Pasted` out; no I/O. A fact the text does not show stays None ("unknown"): nothing is
guessed. The collect_env formats this reads (torch/utils/collect_env.py, pytorch/pytorch):

- every release: "PyTorch version: X" ("N/A" when `import torch` failed), "Is debug build:",
  "CUDA used to build PyTorch:", "OS: ...", "Python version: ...", "Is CUDA available:",
  "GPU models and configuration:", "Versions of relevant libraries:" then "[pip3] torch==X" and
  "[conda] name version build channel" lines (`conda list | grep ...`).
- OS line: "Mac OSX 10.15.5 (x86_64)" (torch <= 1.7), "macOS 13.4 (arm64)" (1.8 on), the
  parenthesised word being the interpreter's platform.machine(); Linux "Ubuntu 22.04.3 LTS
  (x86_64)"; Windows "Microsoft Windows 11 Pro".
- "Python version: 3.8 (64-bit runtime)" (<= 1.7), then sys.version on one line:
  "3.10.9 (main, Mar  1 2023, 12:33:47) [Clang 14.0.6 ] (64-bit runtime)".
- "Python platform: macOS-13.4-arm64-arm-64bit" (1.8 on; platform.platform(), which says
  "macOS-10.16-..." for an interpreter built against an old SDK: not a real macOS version), with a
  "-Mach-O" tail on Python 3.13.
- "CPU:" then the CPU section on the next lines (2.0 on): on macOS `sysctl -n
  machdep.cpu.brand_string`, e.g. "Apple M1 Pro" (the hardware, also under Rosetta: pytorch/pytorch
  #146236 shows "OS: macOS 15.3 (x86_64)" with "CPU: Apple M2 Pro"), "Apple M1 (Virtual)" in a
  macOS VM; on Linux lscpu output.

Rosetta 2 shows up as an x86_64 interpreter (OS line "(x86_64)", Python platform "-x86_64-") on
Apple silicon hardware (CPU line "Apple M..."): hardware_arm64=True, translated=True. An arm64
interpreter is never translated. Intel MKL / intel-openmp in a macOS conda env prove an osx-64 env
(those packages are built for x86_64 only).
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from verify.diagnosis import paste
from verify.diagnosis.paste import mojibake, mpswork, unwrap
from verify.diagnosis.paste.clues import STRONG, WEAK, Clue, quote
from verify.diagnosis.paste.digest import SMALL, digest
from verify.diagnosis.paste.logprefix import unprefix
from verify.errors import InputError
from verify.facts import Facts
from verify.known_errors import MAC_SAID, KnownError, explain_all
from verify.macos import real_macos
from verify.messages import COLLECT_ENV_NO_TORCH

MAX_CHARS = 5 * 1024 * 1024
PASTED = "pasted"
Kind = Literal["collect_env", "report", "facts", "freeform"]

WHAT_TO_PASTE = (
    "Paste the output of `python -m torch.utils.collect_env`, a `python -m verify --json` report "
    "or `python -m verify facts` output, and the error message."
)
# No fact at all in the text: the commands whose output settles it, run on the machine itself.
SETTLE = (
    "Run `python -m torch.utils.collect_env` (or `python -m verify facts`) with the same Python "
    "on the machine in question and paste its output with the error."
)


@dataclass(frozen=True)
class Pasted:
    kind: Kind
    facts: Facts
    errors: list[KnownError] = field(default_factory=list)
    report: dict[str, Any] | None = None
    # Facts field or "sign.*" -> the pasted lines it rests on (verify.diagnosis.paste)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    signs: dict[str, list[Clue]] = field(default_factory=dict)
    # the text read: a big paste's digest (verify.diagnosis.paste.digest), log prefixes and time
    # stamps
    # kept (they date it: verify.diagnosis.timeline); empty for our JSON
    text: str = ""

    def has(self, sign: str) -> bool:
        return bool(self.signs.get(sign))

    def from_a_mac(self) -> bool:
        """Is the paste a Mac's: macOS read, or the text saying it comes from a Mac?"""
        return self.facts.os == "Darwin" or self.has("sign.mac_hint")

    def mac_in_words(self) -> bool:
        """Is the paste a Mac's, or, with no system read, is a Mac named in words ("I'm on OS X":
        facebookresearch/perception_models#110)? Enough where the failure names no other system:
        a CUDA / ROCm index or build serves Linux and Windows only, a CUDA-only package installs
        on no Mac."""
        return self.from_a_mac() or (self.facts.os is None and self.has("sign.mac_named"))

    def mac_lines(self) -> list[str]:
        """The pasted line that shows the Mac: its chip, its OS, or the words naming it."""
        for name in ("chip", "os"):
            if self.evidence.get(name):
                return self.evidence[name][:1]
        said = self.signs.get("sign.mac_hint") or self.signs.get("sign.mac_named") or []
        return [said[0].line] if said else []


# --- entry point ---------------------------------------------------------------------------------


def parse(text: str) -> Pasted:
    """Recognise what was pasted; InputError (one line) when nothing usable is in it."""
    if not isinstance(text, str):
        raise InputError("the input is not text", WHAT_TO_PASTE)
    if len(text) > MAX_CHARS:
        raise InputError(f"the input is larger than {MAX_CHARS // (1024 * 1024)} MB", WHAT_TO_PASTE)
    if not text.strip():
        raise InputError("the input is empty", WHAT_TO_PASTE)
    if _looks_binary(text):
        raise InputError("the input is binary data, not text", WHAT_TO_PASTE)
    text = as_read(text)
    body = _json_body(text)
    if body is not None and not _foreign_json(body):
        return _parse_json(body)
    digested = digest(text)  # a big paste: only the lines that can hold a fact
    if len(text) > SMALL:  # what as_read leaves for the digest
        digested = _as_typed(digested)
    text = unprefix(digested)
    # the lines a window wrapped, joined back (verify.diagnosis.paste.unwrap): what the text
    # as pasted does not say, they may (a pip error's version list, torch's message, a path)
    wrapped = _with_links_read(text, unprefix(unwrap.rejoined(digested)))
    errors = explain_all(text, wrapped=wrapped)
    fields, lines = _collect_env_fields(text)
    # collect_env's package lines list the *active* conda env, not necessarily the
    # interpreter's (see _packages): only _packages reads them, with its checks
    from_errors = _facts_from_errors(errors)
    seeds = [  # what the error messages prove, so that facts derived from them follow
        Clue(
            name,
            getattr(from_errors, name),
            quote(errors[0].match),
            _seed_weight(name, from_errors),
        )
        for name in ("os", "mps_built", "mps_available")
        if errors and getattr(from_errors, name) is not None
    ]
    reading = paste.read(_PKG.sub("", text) if fields else text, seeds, wrapped)
    freeform = Facts(source=PASTED, **_known_fields(reading.facts))
    signs = dict(reading.signs)
    if fields:
        facts = _facts_from_fields(fields, text)
        if facts.torch_import_error:  # "PyTorch version: N/A": no other torch is the imported one
            # the release the text names (or asks for) is the one wanted
            named = [
                dataclasses.replace(c, field="sign.torch_wanted")
                for c in reading.signs.get("sign.torch_requested", [])
            ]
            if freeform.torch_version:
                line = (reading.evidence.get("torch_version") or [""])[0]
                named.insert(0, Clue("sign.torch_wanted", freeform.torch_version, line, WEAK))
            if named:
                signs["sign.torch_wanted"] = named
            freeform = freeform.merged(torch_version=None)
        if facts.torch_import_error and (errors or freeform.mps_available):
            # torch raised a message of its own in the code's run, or its work on the MPS device
            # is shown (verify.diagnosis.paste.ran): collect_env ran in another Python than the
            # one that imported torch (pytorch/pytorch#149537: "PyTorch version: N/A" beside
            # torch.distributed's ValueError on MPS; #98612: beside "Out[4]: tensor([[...]],
            # device='mps:0')" in IPython)
            facts = dataclasses.replace(facts, torch_import_error=None)
        facts = _merge_known(facts, freeform)
        kind: Kind = "collect_env"
    elif (
        errors
        or _telling(freeform, reading)
        or mpswork.shown(reading.signs)
        or MAC_SAID.search(text)
    ):
        # torch work on the MPS device shown, machine facts or not, or the paste about a Mac or
        # MPS at all ("Support for Apple silicon", "可以在mac电脑M芯片上面跑吗"): diagnosed, the
        # rows the paste cannot settle skipped (verify.diagnosis.paste.mpswork,
        # verify.diagnosis.settle), the text model's likeness free to speak (docs/diagnose.md,
        # "Pastes with few facts")
        facts = freeform
        kind = "freeform"
    else:
        raise InputError(_nothing_found(reading), SETTLE)
    facts = _merge_known(facts, from_errors)
    evidence = dict(reading.evidence)
    evidence.update(_collect_env_evidence(fields, lines))
    if fields and not fields.get("torch_version") and facts.torch_version:
        pip = pip3_torch(text)
        if pip is not None and pip[0] == facts.torch_version:
            evidence["torch_version"] = [pip[1]]
    for e in errors:
        for name in _ERROR_FACTS.get(e.id, ()):
            if getattr(facts, name) is not None and name not in evidence:
                evidence[name] = [quote(e.match)]
    if "sign.torch_wanted" in signs:
        evidence["sign.torch_wanted"] = [c.line for c in signs["sign.torch_wanted"] if c.line]
    if facts.os not in (None, "Darwin"):  # off a Mac the code's device choice is no MPS finding
        errors = [e for e in errors if e.id not in DEVICE_CHOICE_ERRORS]
    return Pasted(
        kind,
        facts,
        errors,
        evidence=evidence,
        signs=signs,
        text=f"{digested}\n\n{wrapped}" if wrapped else digested,
    )


# a Markdown link of words in a sentence, "[dropped support](https://dev-discuss.pytorch.org/
# ...) for MacOS x86_64" (aiwithbrandon/building-with-llms-made-simple#7), where the link cuts
# what they say; not an image's "![alt](url)", nor one word ("PyTorch [1.12](url)" cites the
# release that brought MPS: ...torchsharp#652)
_MD_LINK = re.compile(
    r"(?<!!)\[([^\[\]\n ]{1,40}(?: [^\[\]\n ]{1,40}){1,6})\]\((?:https?://|/)[^)\s]{1,300}\)"
)


def _with_links_read(text: str, wrapped: str) -> str:
    """The wrapped lines joined back (.unwrap) and, after them, each line with a Markdown link
    of words read as the words it shows: what the readers find there and not in the text as
    pasted is added (verify.diagnosis.paste.read)."""
    if "](" not in text:
        return wrapped
    linked = [_MD_LINK.sub(r"\1", line) for line in text.split("\n") if _MD_LINK.search(line)]
    if not linked:
        return wrapped
    return "\n".join([wrapped or text, *linked])


def as_read(text: str) -> str:
    """The text as the readers see it (and as findings quote it): one line ending, no terminal
    colour codes, no spaces ending a line, straight quotes, plain spaces, no zero-width
    characters, a terminal's characters for their HTML entities (_AS_TYPED, _ENTITIES), UTF-8
    once read as Windows-1252 decoded back (paste.mojibake), a rendered list's bullets as the
    "- " they were typed as (tests/test_envdump.py)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text:  # a terminal's colours, as a raw log or a CI service's download keeps them
        text = _TERMINAL_CODE.sub("", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: _ENTITIES[m.group(0).lower()], text)
    # a big paste is so read once cut down (parse: its digest): 5 MB in milliseconds
    return _as_typed(text, whole=len(text) <= SMALL)


# ECMA-48 control sequences (colours, cursor moves: "\x1b[31m", "\x1b[0K") and a lone escape
_TERMINAL_CODE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
# "`RuntimeError: Error compiling objects for extension`" (open-mmlab/mmcv#2218): one backquote
# pair around a whole line, which a rendered page's copy does not have
_LINE_AS_CODE = re.compile(r"^([ \t>]*)`([^`\n]+)`$", re.MULTILINE)


def _as_typed(text: str, whole: bool = True) -> str:
    if whole:  # ~50 ms on 5 MB, done on a big paste's digest
        text = mojibake.repaired(text)  # "doesnâ€™t": UTF-8 once read as Windows-1252
        if " \n" in text or "\t\n" in text:  # Markdown's line breaks, an editor's padding
            text = _TRAILING_SPACE.sub("", text)
        if "`\n" in text or text.endswith("`"):  # a whole line as inline code: the line itself
            text = _LINE_AS_CODE.sub(r"\1\2", text)
    for copied, typed in _AS_TYPED:  # str.replace: a 5 MB paste in milliseconds
        if copied in text:
            text = text.replace(copied, typed)
    if whole and ("\u2022" in text or "\u25e6" in text):  # a rendered list: "• x", "- x"
        text = _typed_bullets(text)
    return text


def _typed_bullets(text: str) -> str:
    """Each list item's "•" / "◦" (a line's first character after its indent, a space or tab
    after it) as "-", the line as long as it was (unwrap measures it). A loop over the bullets:
    a regex over every line start takes 70 ms on 5 MB."""
    pieces, last = [], 0
    for m in _BULLET.finditer(text):
        at = m.start()
        start = text.rfind("\n", 0, at) + 1
        if text[at + 1 : at + 2] in (" ", "\t") and not text[start:at].strip(" \t"):
            pieces += [text[last:at], "-"]
            last = at + 1
    return "".join([*pieces, text[last:]])


def _seed_weight(name: str, from_errors: Facts) -> int:
    """An error torch raises because it has no MPS device outweighs any line that says MPS was
    picked or ran ("Using device: mps" is printed before the failure); other facts the errors
    imply yield to what the paste says outright."""
    return STRONG + 1 if name == "mps_available" and from_errors.mps_available is False else 0


# messages of code that picked its device itself (asked for CUDA, or chose the CPU): on a Mac they
# are the code's choice, on Linux / Windows not an MPS matter (host.os says why)
DEVICE_CHOICE_ERRORS = {"mps.cuda_requested", "mps.app_chose_cpu"}


# signs that are findings by themselves (what an installer or the loader said)
TELLING_SIGNS = (
    "sign.pip_no_torch",
    "sign.pip_x86_only",
    "sign.linux_vm_on_mac",
    "sign.binary_needs_macos",
    "sign.app_needs_newer_macos",  # macOS refused an app built for a newer one (.paste.loader)
    "sign.conda_no_torch",
    "sign.lock_other_platform",
    "sign.no_metal_device",  # Metal gave the process no device (verify.diagnosis.paste.prose)
    "sign.float64_said",  # float64 said unsupported on MPS (verify.diagnosis.paste.said)
    "sign.mps_memory_said",  # killed for memory while on MPS (verify.diagnosis.paste.said)
    "sign.torch_fixed_by",  # a newer torch said to fix it (verify.diagnosis.paste.told)
    "sign.app_mps_opt_in",  # the application's MPS said experimental (verify.diagnosis.paste.told)
    "sign.pc_gpu",  # the user's own NVIDIA RTX GPU: a PC (verify.diagnosis.paste.prose)
    "sign.cuda_torch",  # a +cuXXX torch in use: Linux / Windows (verify.diagnosis.paste.prose)
    "sign.mps_problem",  # an MPS crash or error no message explains
    # (verify.diagnosis.paste.trouble)
    "sign.no_wheel_for_python",  # a release without this Python's wheels
    "sign.requires_other_python",  # a release refused: it requires another Python (.pytags)
    "sign.python_removed",  # the code meets a Python that removed what it uses (.pyremoved)
    "sign.python_prerelease",  # an alpha or beta interpreter (verify.diagnosis.paste.versions)
    # (verify.diagnosis.paste.pytags)
    "sign.conda_no_package",  # conda found no other package here (.packages)
    "sign.cuda_conda_package",  # a CUDA-only conda package refused (verify.diagnosis.resolver)
    "sign.gpu_only_package",  # a package with no macOS build refused (.paste.gpuonly)
    "sign.release_no_mac_wheel",  # uv: a release with no wheel for this Mac (.paste.gpuonly)
    "sign.no_release_here",  # pip: no release of a package at all (.paste.gpuonly)
    "sign.pin_past_list",  # pip: a package's list ends below the pin (.paste.gpuonly)
    "sign.pin_before_list",  # pip: a package's list starts above the pin (.paste.gpuonly)
    "sign.pin_said_failing",  # an install said to fail for a pinned release (.paste.wheelsaid)
    "sign.cuda_build",  # a CUDA-only package's build failed (.paste.foreign)
    "sign.source_build",  # another package's source build failed (.paste.foreign)
    "sign.sdist_failed",  # pip's metadata step of a source build failed (.paste.foreign)
    "sign.not_mach_o",  # dyld refused a library that is no Mach-O file (.paste.foreign)
    "sign.cuda_import",  # a package no Mac can install failed to import (.paste.foreign)
    "sign.torch_not_imported",  # "No module named 'torch'" (.paste.packages)
    # MPS op / dtype / memory limits told in words (verify.diagnosis.paste.limits)
    "sign.macos_fixed_by",
    "sign.mps_memory_swap",
    "sign.complex_said",
    "sign.fallback_fixed",
    "sign.mps_oom_said",
    "sign.bf16_macos_said",
    "sign.op_said_unsupported",
    "sign.ext_op_no_mps",  # an extension's CPU / CUDA-only op on MPS (.paste.extops)
    "sign.cause_said",  # a cause stated in one sentence (verify.diagnosis.paste.claims)
)
# signs that are a finding together: Metal / MPS failing on a hosted CI runner
# (verify.diagnosis.placement)
TELLING_TOGETHER = (
    ("sign.ci_runner", "sign.metal_failure"),
    ("sign.ci_runner", "sign.gpu_missing"),  # "MPS is not available" on a hosted runner
    ("sign.sandbox", "sign.metal_failure"),  # Metal failing in a sandbox (fencesandbox/fence#210)
    ("sign.sandbox", "sign.gpu_missing"),  # "MPS is not available inside the sandbox"
    ("sign.vm", "sign.gpu_missing"),  # "Inside a UTM macOS VM ..., MPS is not available"
    ("sign.vm", "sign.metal_failure"),  # Metal failing in a macOS guest (ml-explore/mlx#31)
    # a CPU kernel refusing float16 where a Mac is named ("macOS half not implemented":
    # kijai/ComfyUI-Marigold#9): an op that ran on the CPU (verify.diagnosis.cpu_fallback)
    ("sign.cpu_dtype_refused", "sign.mac_named"),
)


def _telling(facts: Facts, reading: paste.Reading) -> bool:
    """Does the free-form text give a fact of the machine (its OS alone counts: "I had the same
    error on Mac Os 26.2") or a sign that is a finding by itself (an installer's verdict...)?
    Issue 12 keeps exit 2 for a paste that "holds no facts at all". A paste with the OS and
    nothing against it is diagnosed: the rules it cannot settle are skipped and
    verify.diagnosis.settle's paste.facts row names the command that settles them; so is one
    that shows torch work on MPS or names the Mac or MPS at all (parse, docs/diagnose.md,
    "Pastes with few facts")."""
    if any(reading.has(sign) for sign in TELLING_SIGNS):
        return True
    if any(all(reading.has(sign) for sign in signs) for signs in TELLING_TOGETHER):
        return True
    return any(
        getattr(facts, name) not in (None, {})
        for name in Facts.__dataclass_fields__
        if name != "source"
    )


def _nothing_found(reading: paste.Reading) -> str:
    what = (
        "no facts about the machine (OS, chip, Python, PyTorch, MPS state), no Mac or MPS named"
        " and no known MPS error"
    )
    shown = [s[5:].replace("_", " ") for s in sorted(reading.signs)]
    if shown:
        return f"the input holds {what}; it shows only: {', '.join(shown)}."
    return f"the input holds {what}."


def _known_fields(found: dict[str, Any]) -> dict[str, Any]:
    names = set(Facts.__dataclass_fields__) - {"source", "env"}
    return {k: v for k, v in found.items() if k in names}


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:65536]
    odd = len(_ODD.findall(sample))  # control characters other than whitespace and ESC
    return odd > max(8, len(sample) // 20)


# what a rich editor, a web page or a chat app puts in place of the characters a terminal
# printed, one character for one (or none), so every reader sees a message as torch printed it:
# - quotes turned typographic (U+2018-U+201F): torch's "Could not run
#   'aten::_sparse_coo_tensor_with_dims_and_tensors' with arguments from the 'SparseMPS' backend"
#   with its quotes curled (pytorch/pytorch#141711);
# - no-break, narrow and other typographic spaces (a forum's or a chat app's copy, where
#   "Python 3.11" is no longer two words) become a space;
# - zero-width characters, word joiners, byte-order marks and soft hyphens are removed.
_AS_TYPED = (
    *((quote, "'") for quote in "\u2018\u2019\u201a\u201b"),
    *((quote, '"') for quote in "\u201c\u201d\u201e\u201f"),
    *((space, " ") for space in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"),
    *((space, " ") for space in "\u2008\u2009\u200a\u202f\u205f\u3000"),
    *((invisible, "") for invisible in "\u200b\u200c\u200d\u2060\ufeff\u00ad"),
)
# a paste copied out of a page's HTML, or through a tool that escapes it: "from the &#39;MPS&#39;
# backend". Only the entities that stand for a terminal's characters, each with its semicolon:
# html.unescape would also turn a URL's "&para=1" into "¶=1".
_ENTITIES = {
    "&quot;": '"',
    "&#34;": '"',
    "&#39;": "'",
    "&#x27;": "'",
    "&apos;": "'",
    "&lt;": "<",
    "&gt;": ">",
    "&amp;": "&",
    "&nbsp;": " ",
}
# a list item's bullet as a browser copies a rendered Markdown list (GitHub's, a chat app's): the
# "- " the paste had before it was rendered (conda's "  - torchaudio" pasted unfenced)
# ("•", a nested list's "◦")
_BULLET = re.compile("[\u2022\u25e6]")
_ENTITY = re.compile("|".join(map(re.escape, _ENTITIES)), re.IGNORECASE)
_ODD = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\ufffd]")


# --- JSON: our report (schema 1) or our facts ----------------------------------------------------

# other tools' JSON, read as text like any paste: the Stable Diffusion web UIs' "Sysinfo" file,
# collect_env's SystemEnv under "Torch env info" (AUTOMATIC1111 modules/sysinfo.py;
# AUTOMATIC1111/stable-diffusion-webui#13621), whole or cut - keys no verify JSON has
_FOREIGN_JSON = re.compile(r'"(?:Torch env info|is_debug_build|python_platform|is_cuda_available)"')


def _foreign_json(body: str) -> bool:
    if '"schema"' in body or '"facts_schema"' in body:
        return False
    return _FOREIGN_JSON.search(body) is not None


_FENCE_JSON = re.compile(r"```[ \t]*(?:json|JSON)?[ \t]*\n(\{.*?)\n[ \t]*```", re.DOTALL)


def _json_body(text: str) -> str | None:
    """The JSON document in the text: the whole text, or a fenced ```json block; else None."""
    stripped = text.strip()
    if stripped.startswith("{"):
        return stripped
    # a list of reports (refused: one report at a time); not a line that starts with a bracketed
    # tag ("[\n[P0] Intel-Mac ..."), nor a stray "[" before a quoted title ('[\n"Adaptive pool
    # MPS: ...", I keep getting this error'): a list only where it is one
    if re.match(r"\[\s*(?:[{\"\]]|\[\s*[\[{\"\]\d-])", stripped) and _is_json(stripped):
        return stripped
    m = _FENCE_JSON.search(text)
    if m and ('"schema"' in m.group(1) or '"facts_schema"' in m.group(1)):
        return m.group(1)
    return None


def _is_json(body: str) -> bool:
    try:
        json.loads(body)
    except (ValueError, RecursionError):
        return False
    return True


def _parse_json(body: str) -> Pasted:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, or an int over 4300 digits
        where = (
            f" (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        raise InputError(
            f"the input looks like JSON but is not valid or is cut off{where}",
            "Paste the whole file.",
        ) from None
    if not isinstance(data, dict):
        raise InputError("the JSON input is not an object", WHAT_TO_PASTE)
    if "schema" in data:
        if data.get("schema") != 1 or not isinstance(data.get("host"), dict):
            raise InputError(
                f"unsupported report (schema {data.get('schema')!r}, or no 'host' object)",
                "Paste a report from `python -m verify --json -` (schema 1).",
            )
        facts = _facts_from_mapping(data["host"])
        checks = data.get("checks")
        if checks is not None and not isinstance(checks, list):
            raise InputError("the report's 'checks' is not a list", "Paste the whole report.")
        errors = _errors_in_report(data)
        return Pasted("report", facts, errors, report=data)
    known = {f for f in Facts.__dataclass_fields__ if f != "source"}
    if "facts_schema" in data or (data and known & set(data)):
        return Pasted("facts", _facts_from_mapping(data), [])
    raise InputError("the JSON input is neither a verify report nor verify facts", WHAT_TO_PASTE)


def _facts_from_mapping(data: dict[str, Any]) -> Facts:
    try:
        return Facts.from_dict(data, source=PASTED)
    except (ValueError, TypeError) as exc:
        raise InputError(
            f"the facts in the input are not valid: {exc}",
            "Create them with `python -m verify facts`.",
        ) from None


def _errors_in_report(data: dict[str, Any]) -> list[KnownError]:
    texts = []
    for check in data.get("checks") or []:
        if isinstance(check, dict):
            texts.extend(str(check.get(k, "")) for k in ("detail", "cause"))
    return explain_all("\n".join(texts))


# --- collect_env text ----------------------------------------------------------------------------

# "Key: value" lines collect_env prints; the key set is closed, so chatter rarely matches.
_KEYS = {
    "PyTorch version": "torch_version",
    "Is debug build": "debug",
    "CUDA used to build PyTorch": "cuda_built",
    "ROCM used to build PyTorch": "rocm_built",
    "OS": "os",
    "Python version": "python_version",
    "Python platform": "python_platform",
    "Is CUDA available": "cuda_available",
    "GPU models and configuration": "gpu",
    "Libc version": "libc",
    "Clang version": "clang",
    "GCC version": "gcc",
    "CMake version": "cmake",
}
# Optional decorations people's pastes add before a line: quote marks, list bullets, backticks.
_PREFIX = r"^[ \t]*(?:>[ \t]*)*(?:[-*][ \t]+)?`?"
_LINE = re.compile(
    _PREFIX + r"(" + "|".join(re.escape(k) for k in _KEYS) + r"):[ \t]*(.*?)`?[ \t]*$", re.MULTILINE
)
_CPU_HEADER = re.compile(_PREFIX + r"CPU:[ \t]*$", re.MULTILINE)
_PKG = re.compile(_PREFIX + r"\[(pip3?|conda)\][ \t]+(.*?)[ \t]*$", re.MULTILINE)
# The fields only collect_env prints; a text needs one of them (not just "OS:") to count as one.
_STRONG = {"torch_version", "debug", "cuda_built", "python_platform", "cuda_available"}


_BLOCK_START = re.compile(
    _PREFIX + r"PyTorch version:.*\n(?:.*\n){0,2}?.*Is debug build:", re.MULTILINE
)


def _collect_env_fields(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """The collect_env fields and the line each was read from: from its block (which starts at
    "PyTorch version:" just before "Is debug build:") first, so a "PyTorch version: ..." the user
    printed earlier cannot win."""
    found: dict[str, str] = {}
    lines: dict[str, str] = {}
    if "PyTorch version:" not in text and "Python platform:" not in text:
        return {}, {}  # every collect_env prints one of them
    block = _BLOCK_START.search(text)
    regions = [text[block.start() :], text] if block else [text]
    for region in regions:
        for m in _LINE.finditer(region):
            key = _KEYS[m.group(1)]
            if key not in found:  # the first occurrence wins
                found[key] = m.group(2).strip()
                lines[key] = quote(m.group(0))
    if not _STRONG & set(found):
        return {}, {}
    cpu = _cpu_line(text)
    if cpu:
        found["cpu"] = cpu
        lines["cpu"] = quote(cpu)
    if not found.get("gpu"):
        # several GPUs: collect_env starts the list on the next line ("GPU 0: ...")
        first = re.search(
            r"GPU models and configuration:[ \t]*\n[ \t>]*(GPU 0: .+?)[ \t]*$", text, re.MULTILINE
        )
        if first:
            found["gpu"] = first.group(1)
    return found, lines


# Facts field -> the collect_env lines it is read from
_FIELD_LINES = {
    "os": ("os", "python_platform"),
    "os_release": ("python_platform",),
    "macos_version": ("os", "python_platform"),
    "machine": ("os", "python_platform"),
    "hardware_arm64": ("cpu", "os"),
    "translated": ("os", "python_platform", "cpu"),
    "chip": ("cpu",),
    "virtual_machine": ("cpu",),
    "python_version": ("python_version",),
    "python_build": ("python_version",),
    "python_implementation": ("python_version",),
    "torch_version": ("torch_version",),
    "torch_import_error": ("torch_version",),
    "cuda_version": ("cuda_built",),
    "cuda_available": ("cuda_available",),
    "gpu_name": ("gpu", "cpu"),
}


def _collect_env_evidence(fields: dict[str, str], lines: dict[str, str]) -> dict[str, list[str]]:
    out = {}
    for name, keys in _FIELD_LINES.items():
        quoted = [lines[k] for k in keys if k in lines and fields.get(k)]
        if quoted:
            out[name] = quoted
    return out


# what an error message proves (see _facts_from_errors), quoted as that fact's evidence
_ERROR_FACTS = {
    "mps.oom": ("os", "mps_built", "mps_available"),
    "mps.no_gpu_memory": ("os", "mps_built", "mps_available"),
    "mps.op_not_implemented": ("os", "mps_built", "mps_available"),
    "mps.device_mismatch": ("os", "mps_built", "mps_available"),
    "mps.float64": ("os", "mps_built"),
    "mps.op_needs_newer_macos": ("os", "mps_built"),
    "mps.macos_too_old": ("os", "mps_built", "mps_available", "mps_unavailable_reason"),
    "mps.no_metal_device": ("os", "mps_built", "mps_available", "mps_unavailable_reason"),
    "mps.no_unified_memory": ("os", "mps_built"),
    "mps.not_built": ("mps_built", "mps_available"),
    "mps.not_linked": ("mps_built", "mps_available"),
    "mps.op_needs_newer_torch": ("os", "mps_built", "mps_available"),
    "mps.op_runs_on_cpu": ("os", "mps_built", "mps_available"),
    "mps.op_falls_back_on_old_macos": ("os", "mps_built", "mps_available"),
    "mps.dtype_unsupported": ("os", "mps_built", "mps_available"),
    "mps.bfloat16_unsupported": ("os", "mps_built", "mps_available"),
}


def _cpu_line(text: str) -> str | None:
    """The line after "CPU:" (macOS: the brand string), or lscpu's "Model name:" on Linux."""
    m = _CPU_HEADER.search(text)
    if not m:
        return None
    block = []
    for raw in text[m.end() :].lstrip("\n").split("\n"):
        line = re.sub(r"^[ \t]*(?:>[ \t]*)*", "", raw).strip().strip("`").strip()
        if not line:
            break
        block.append(line)
    for line in block:
        model = re.match(r"Model name:[ \t]*(.+)$", line)
        if model:
            return model.group(1).strip()
    if not block or ":" in block[0]:
        return None  # lscpu / wmic output without a model name, or the next section
    return block[0]


_YES = {"true": True, "yes": True, "false": False, "no": False}
_UNKNOWN = {"", "n/a", "could not collect", "none", "no cuda", "unknown"}
_OS_LINE = re.compile(
    r"^(?:macOS|Mac OSX|Mac OS X)[ \t]+(\d+(?:\.\d+){0,2})[ \t]*(?:\(([\w-]+)\))?"
)
_PLATFORM_MAC = re.compile(r"^macOS-(\d+(?:\.\d+){0,2})-(arm64|x86_64|i386)\b")
_PLATFORM_LINUX = re.compile(r"^Linux-(\S+?)-(x86_64|aarch64|arm64|ppc64le|s390x)(?:-|$)")
_TORCH_VERSION = re.compile(r"^\d+\.\d+(?:\.\d+)?[\w.+-]*$")
_PY_VERSION = re.compile(r"^(\d+\.\d+(?:\.\d+)?(?:[a-z]+\d*)?)\b[ \t]*(.*)$")
_MACHINE = {"arm64": "arm64", "aarch64": "aarch64", "x86_64": "x86_64", "amd64": "x86_64"}
# Intel-only conda packages: present in a macOS env only when the env is osx-64.
_X86_ONLY_CONDA = {"mkl", "mkl-service", "mkl_fft", "mkl_random", "intel-openmp", "mkl-include"}


def _value(raw: str | None) -> str | None:
    if raw is None or raw.strip().lower() in _UNKNOWN:
        return None
    return raw.strip()


def _facts_from_fields(f: dict[str, str], text: str) -> Facts:
    kw: dict[str, Any] = {"source": PASTED}
    os_raw = f.get("os", "")
    plat = f.get("python_platform", "")
    machines: set[str] = set()

    mac_os = _OS_LINE.match(os_raw)
    mac_plat = _PLATFORM_MAC.match(plat)
    linux_plat = _PLATFORM_LINUX.match(plat)
    if mac_os or mac_plat or plat.startswith("Darwin"):
        kw["os"] = "Darwin"
    elif linux_plat or os_raw.lower().startswith(
        (
            "linux",
            "ubuntu",
            "debian",
            "centos",
            "fedora",
            "red hat",
            "rocky",
            "arch linux",
            "amazon linux",
        )
    ):
        kw["os"] = "Linux"
    elif os_raw.lower().startswith(("microsoft windows", "windows")) or plat.startswith("Windows"):
        kw["os"] = "Windows"

    versions = []
    if mac_os:
        versions.append(mac_os.group(1))
        if mac_os.group(2):
            machines.add(mac_os.group(2))
    if mac_plat:
        versions.append(mac_plat.group(1))
        machines.add(mac_plat.group(2))
    # "10.16" (any macOS 11+) and "16.x" (macOS 26) are what old-SDK builds are told.
    real = [r for r in map(real_macos, versions) if r]
    if real:
        kw["macos_version"] = real[0]
    if linux_plat:
        kw["os_release"] = linux_plat.group(1)
        machines.add(linux_plat.group(2))
    elif kw.get("os") == "Linux":
        m = re.search(r"\((x86_64|aarch64|ppc64le|s390x)\)\s*$", os_raw)
        if m:
            machines.add(m.group(1))
    machines = {_MACHINE.get(m, m) for m in machines if m != "i386"}
    if len(machines) == 1:
        kw["machine"] = machines.pop()

    py = _PY_VERSION.match(f.get("python_version", "").strip())
    if py:
        kw["python_version"] = py.group(1)
        if py.group(2):
            kw["python_build"] = py.group(2)
        if "PyPy" in py.group(2):
            kw["python_implementation"] = "PyPy"

    torch_raw = f.get("torch_version", "")
    if torch_raw and torch_raw.strip().lower() == "n/a":
        kw["torch_import_error"] = COLLECT_ENV_NO_TORCH
    elif _TORCH_VERSION.match(torch_raw.strip()):
        kw["torch_version"] = torch_raw.split()[0]
    elif not torch_raw and (pip := pip3_torch(text)) is not None:
        kw["torch_version"] = pip[0]  # a collect_env cut above "PyTorch version:"
    cuda = _value(f.get("cuda_built"))
    if cuda:
        kw["cuda_version"] = cuda
    avail = _YES.get(f.get("cuda_available", "").strip().lower())
    if avail is not None:
        kw["cuda_available"] = avail
    gpu = _value(f.get("gpu"))
    if gpu:
        kw["gpu_name"] = re.sub(r"^GPU \d+:\s*", "", gpu)

    cpu = f.get("cpu")
    if kw.get("os") == "Darwin":
        kw.update(_mac_hardware(cpu, kw.get("machine")))
    elif cpu:
        kw["chip"] = cpu

    kw.update(_packages(text, kw.get("os"), kw.get("machine"), kw.get("torch_version")))
    return Facts(**kw)


# collect_env's "[pip3] torch==2.7.0": `python -m pip list --format=freeze` run by the same
# interpreter (torch/utils/collect_env.py get_pip_packages), so the interpreter's own torch;
# read where the paste is cut above "PyTorch version:" (pytorch/pytorch#152155's tail)
_PIP3_TORCH = re.compile(_PREFIX + r"\[pip3?\][ \t]+torch==(\d+\.\d+[\w.+]*)[ \t]*$", re.MULTILINE)


def pip3_torch(text: str) -> tuple[str, str] | None:
    """The torch version of collect_env's "[pip3] torch==X" line, and the line."""
    m = _PIP3_TORCH.search(text)
    return (m.group(1), quote(m.group(0))) if m else None


def _mac_hardware(cpu: str | None, machine: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if machine == "arm64":
        # an arm64 process runs only on Apple silicon, and never under Rosetta
        out.update(hardware_arm64=True, translated=False)
    if not cpu:
        return out
    out["chip"] = cpu
    if re.match(r"Apple M\d", cpu):
        out["hardware_arm64"] = True
        out["gpu_name"] = re.sub(r"\s*\(Virtual\)\s*$", "", cpu)
        if "(Virtual)" in cpu:
            out["virtual_machine"] = True
        if machine == "x86_64":
            out["translated"] = True
    elif cpu.startswith("VirtualApple"):
        # the brand string a Rosetta-translated process is given ("VirtualApple @ 2.50GHz
        # processor"; verify.rules.APPLE_CHIP_PREFIXES): Apple silicon, translated
        out.update(hardware_arm64=True, translated=True)
    elif re.match(r"Intel\(R\)|Intel ", cpu):
        # machdep.cpu.brand_string names the real chip even under Rosetta (Apple M...): an Intel
        # brand string is an Intel Mac, where nothing is translated.
        out["hardware_arm64"] = False
        out["translated"] = False
    return out


def _packages(
    text: str, os_name: str | None, machine: str | None, torch_version: str | None
) -> dict[str, Any]:
    """torch_source and conda_subdir from the "[pip3] ..." / "[conda] ..." lines.

    `conda list` columns are name, version, build, channel; the channel column is empty for the
    defaults channel, "pypi" for pip-installed packages, or a URL ending in the subdir. collect_env
    runs `conda list` of the *active* conda env, which need not be the interpreter's own env
    (pytorch/pytorch#48145: /usr/bin/python3 with an x86_64 Anaconda base active), so a conda
    line counts only where it agrees with the interpreter: the torch line when its version is
    the imported torch's, the Intel-only packages when the interpreter is x86_64 too.
    """
    out: dict[str, Any] = {}
    conda_names = set()
    for m in _PKG.finditer(text):
        tool, parts = m.group(1), m.group(2).split()
        if not parts:
            continue
        if tool != "conda":
            if re.match(r"torch\s*@\s*file:", m.group(2)):
                out.setdefault("torch_source", "local")
            continue
        conda_names.add(parts[0].lower())
        if parts[0] in ("pytorch", "torch") and len(parts) >= 4 and _same(parts[1], torch_version):
            channel = parts[3].rstrip("/")
            sub = re.search(r"/(osx-arm64|osx-64|linux-64|linux-aarch64|win-64)$", channel)
            if sub:
                out["conda_subdir"] = sub.group(1)
                channel = channel[: sub.start()]
            out["torch_source"] = channel.rsplit("/", 1)[-1]
    if (
        os_name == "Darwin"
        and machine == "x86_64"
        and "conda_subdir" not in out
        and conda_names & _X86_ONLY_CONDA
    ):
        out["conda_subdir"] = "osx-64"
    return out


def _same(listed: str, imported: str | None) -> bool:
    """Is the listed package version the imported torch? A local part ("+git61a83fc") is
    compared only when both have one (pip metadata often drops it)."""
    if imported is None:
        return False
    a, _, a_local = listed.partition("+")
    b, _, b_local = imported.partition("+")
    return a == b and (not a_local or not b_local or a_local == b_local)


# --- error messages ---------------------------------------------------------------

_FROM_MPS_CODE = {
    "mps.oom",
    "mps.op_runs_on_cpu",
    "mps.op_falls_back_on_old_macos",
    "mps.no_gpu_memory",
    "mps.float64",
    "mps.op_not_implemented",
    "mps.device_mismatch",
    "mps.op_needs_newer_macos",
    "mps.macos_too_old",
    "mps.no_metal_device",
    "mps.no_unified_memory",
    "mps.op_needs_newer_torch",
    "mps.dtype_unsupported",
    "mps.bfloat16_unsupported",
}
_NEEDS_MPS_DEVICE = {
    "mps.oom",
    "mps.op_runs_on_cpu",
    "mps.op_falls_back_on_old_macos",
    "mps.no_gpu_memory",
    "mps.op_not_implemented",
    "mps.device_mismatch",
    "mps.op_needs_newer_torch",
    "mps.dtype_unsupported",
    "mps.bfloat16_unsupported",
}


def _facts_from_errors(errors: list[KnownError]) -> Facts:
    """What torch's own messages prove about the MPS build (see known_errors for their sources)."""
    kw: dict[str, Any] = {}
    for e in errors:
        if e.id in _FROM_MPS_CODE:
            # raised by the MPS backend itself, which exists only in macOS builds with MPS
            kw.update(os="Darwin", mps_built=True)
        if e.id in _NEEDS_MPS_DEVICE:
            # these need a live MPS tensor: the device was created
            kw["mps_available"] = True
        if e.id in ("mps.not_built", "mps.not_linked"):
            kw.update(mps_built=False, mps_available=False)
        elif e.id in ("mps.macos_too_old", "mps.no_metal_device"):
            # printed by MPS code (MPSDevice / EmptyTensor), which exists only in an MPS build
            kw.update(mps_built=True, mps_available=False, mps_unavailable_reason=e.match)
    return Facts(source=PASTED, **kw)


def _merge_known(base: Facts, extra: Facts) -> Facts:
    """base, with extra's known fields filled in where base does not know them."""
    changes = {}
    for name in Facts.__dataclass_fields__:
        if name in ("source", "env"):
            continue
        value = getattr(extra, name)
        if value is not None and getattr(base, name) is None:
            changes[name] = value
    return base.merged(**changes) if changes else base
