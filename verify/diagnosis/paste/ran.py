"""Proof that MPS ran: output only a working MPS device prints, read as facts (mps_available).

A report that shows a tensor on the MPS device, or a program's output from after the line that
put it there, comes from a machine where MPS works; what went wrong there (wrong numbers, speed,
an op) is not the environment. Two kinds of proof:

- a printed tensor on the device: torch's repr ends "device='mps:0')" (torch/_tensor_str.py
  _str_intern adds "device='<device>'" for a tensor off the CPU). Code that *asks* for the device
  says "torch.tensor(..., device='mps')" or ".to('mps')", never the repr's "tensor(" alone;
  pytorch/pytorch#100370 prints "d1 tensor(1605, device='mps:0')".
- a tensor's device printed: "device(type='mps', index=0)" (its repr), or "mps:0" on the line
  after `print(x.device)`;
- R torch's print of a tensor on the device ("[ MPSFloatType{4,4} ]": mlverse/torch#1074);
- a time measured on the device, as benchmarks print it ("mps time used : 7.67"; a time is
  measured only for work that ran);
- a `python -c` one-liner that moves something to "mps" and prints, and its printed line;
- a fenced reproducer that moves something to "mps" and prints, followed at once by a fenced
  block of printed values (no code, no error);
- a reproducer and its output: code that moves something to "mps" (`.to("mps")`,
  `device="mps"`, `torch.device("mps")`: each raises when MPS is not available) and, later in
  the same block, a print whose text then appears as an output line of the paste - the program
  got past the MPS line (pytorch/pytorch#97239-style "code, then Output:" reports);
- a run put on the device by its command line or its echoed configuration ("--device=mps",
  "Overriding: device = mps", "device: mps") followed by lines of its progress (losses, times
  per iteration, it/s) with no error between: it computed there (simonw/public-notes#11:
  nanoGPT's "train.py ... --device=mps" then "iter 1: loss 10.8206, time 139.65ms");
- torch.testing's comparison failing in a test run on the device ("AssertionError: Tensor-likes
  are not close!" under a test of test_mps.py or a test named for MPS): torch's test_mps.py
  swaps its TestCase for NoTest when MPS is not available, and a device-generic test is
  instantiated for "mps" only where it is, so a mismatch there means MPS computed the numbers
  (pytorch/pytorch#125803: TestRNNMPS.test_lstm_backward on macOS 14.4).
"""

from __future__ import annotations

import itertools
import re

from verify.diagnosis.paste.clues import LISTED, STRONG, Clue, clue, finditer, line_at, quote

# the repr of a tensor on the MPS device: "device='mps:N'" inside an open "tensor(" that is not
# "torch.tensor(" (code), looked for within REPR_SPAN characters before it
DEVICE_IN_REPR = re.compile(r"device='mps:\d+'")
OPEN_REPR = re.compile(r"(?<![\w.])tensor\(")
REPR_SPAN = 4000
# a tensor's device as printed (`x.device`): "device(type='mps', index=0)" - torch.device("mps")
# alone prints without an index (c10/core/Device.cpp; python_device repr)
DEVICE_OF_TENSOR = re.compile(r"(?<![\w.])device\(type='mps', index=\d+\)")
# the same device printed by print(), str(device): "mps:0" on the line after the print of a
# tensor's `.device` (">>> print(z.device)" / "mps:0", setiastro/setiastrosuitepro#81: a matmul on
# an Intel iMac Pro's AMD GPU)
PRINTED_DEVICE = re.compile(
    r"print\([\w.\[\]]+\.device\)[ \t]*\n(?:[ \t]*(?:>>>)?[ \t]*\n)*?[ \t]*(mps:\d+)[ \t]*$",
    re.MULTILINE,
)
# R torch's (mlverse/torch) print of a tensor on the MPS device ends with its type line:
# "[ MPSFloatType{4,4} ]" (mlverse/torch#1074, #972; "[ CPUFloatType{4,4} ]" on the CPU): libtorch's
# C++ printer, aten/src/ATen/core/Formatting.cpp, so other C++ front ends (tch-rs) print it too
R_TORCH_MPS = re.compile(r"^[ \t]*\[ MPS\w+Type\{[\d,]*\} \][ \t]*$", re.MULTILINE)
# a time measured on the device, as benchmark and training output prints it: "mps time used :
# 7.67", "MPS matmul 100次总时间: 0.0035秒", "mps: 12.3 s", "Time on mps: 467.1ms" - a line of
# output, not code (no print call, assignment or comment)
TIMED_ON_MPS = re.compile(
    r"^(?![^\n]*(?:print\(|\bf['\"]|\s=\s|\bdef\b|\bimport\b|#|\b(?:expect|should|would)|error))"
    r"[^\n]*?\bmps\b[^\n]{0,60}?(?:"
    r"(?<![\w.])\d+(?:\.\d+)?[ \t]*"
    r"(?:ms|s|sec|secs|seconds|milliseconds|minutes|hours?|it/s|s/it|秒|分钟)(?![\w/])|"
    r"(?:time|时间)[^\n]{0,20}?[:\uff1a][ \t]*\d+\.\d+)",
    re.MULTILINE | re.IGNORECASE,
)
# a line of code that puts something on the MPS device (not a conditional choice of device)
MPS_LINE = re.compile(
    r"""^([ \t]*)(?:>>> )?[^\n#]*?(?:\.to\(\s*(?:device\s*=\s*)?['"]mps(?::\d)?['"]|"""
    r"""\bdevice\s*=\s*(?:torch\.device\(\s*)?['"]mps(?::\d)?['"]|"""
    r"""torch\.device\(\s*['"]mps(?::\d)?['"]\s*\)|\.mps\(\))[^\n]*$""",
    re.MULTILINE,
)
_CONDITIONAL = re.compile(r"\bif\b|\belse\b|\bis_available\b|\bgetenv\b|\bargs?\.")
# a `python -c` one-liner that puts something on "mps" and prints, and the line it printed
# (pytorch/pytorch#91198: print(x.var().item(), x.to('mps').var().item()) -> "9.166666984558105
# 8.25")
ONE_LINER = re.compile(r"\bpython3?(?:\.\d+)?[ \t]+-c[ \t]+([\"'])([^\n]*?)\1[ \t]*$", re.MULTILINE)
_ONE_LINER_MPS = re.compile(r"""\.to\(\s*['"]mps|device\s*=\s*['"]mps|\.mps\(\)""")
MAX_MPS_LINES = 20  # a big paste: the reproducer is near its top
WINDOW = 20_000  # characters after an MPS line where its prints are looked for
PRINT = re.compile(r"""^([ \t]*)print\(\s*f?(['"])([^'"{}\\\n]{8,80})""", re.MULTILINE)


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(DEVICE_IN_REPR, text, "device='mps"):
        if not _inside_repr(text, m.start()):
            continue
        end = text.find("\n", m.end())
        line = text[text.rfind("\n", 0, m.end()) + 1 : end if end != -1 else len(text)]
        out.append(Clue("mps_available", True, quote(line), STRONG))
        out.append(Clue("os", "Darwin", quote(line), LISTED))
        break  # one printed tensor is proof enough
    for m in finditer(R_TORCH_MPS, text, "MPS"):
        out.append(clue("mps_available", True, text, m, LISTED))
        out.append(clue("os", "Darwin", text, m, LISTED))
        break
    for m in finditer(DEVICE_OF_TENSOR, text, "type='mps'"):
        out.append(clue("mps_available", True, text, m, LISTED))
        break
    for m in finditer(PRINTED_DEVICE, text, ".device)"):
        out.append(Clue("mps_available", True, line_at(text, m.start(1)), LISTED))
        break
    for m in finditer(TIMED_ON_MPS, text, "mps", "MPS", "Mps"):
        out.append(clue("mps_available", True, text, m, LISTED))
        break
    out.extend(_ran_past_mps(text))
    if "```" in text and "mps" in text:
        out.extend(_output_block_after(text))
    out.extend(_one_liner(text))
    out.extend(_run_with_progress(text))
    out.extend(_test_mismatch(text))
    return out


# a run put on the device: a command-line flag, or a configuration echo printed by the program
# (an unquoted value: `device = "mps"` in code is verify.diagnosis.paste.places' intent, not a run)
RUN_ON_MPS = re.compile(
    r"--device[= ]['\"]?mps(?::\d)?\b|"
    r"^[^\n'\"()=]*?\bdevice\b[ \t]*[=:][ \t]*mps(?::\d)?[ \t]*$|"
    # a bare "device mps" line: print("device", device) (rasbt/machine-learning-notes#3)
    r"^[ \t]*device[ \t]+mps(?::\d)?[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
# a line of a run's progress: a step counter with a loss / time / accuracy value, or a tqdm rate
PROGRESS = re.compile(
    r"^[^\n]*?\b(?:iter(?:ation)?|step|epoch|batch)\b[ \t:#]*\d+[^\n]*?"
    r"\b(?:loss|time|acc(?:uracy)?)\b[^\n]*?\d+\.\d+[^\n]*$|"
    r"^[^\n]*?\d+(?:\.\d+)?[ \t]*(?:it/s|s/it)\b[^\n]*$",
    re.MULTILINE | re.IGNORECASE,
)
OTHER_DEVICE = re.compile(
    r"--device[= ]['\"]?(?:cpu|cuda)|^[^\n'\"()=]*?\bdevice\b[ \t]*[=: \t][ \t]*(?:cpu|cuda)\b",
    re.MULTILINE | re.IGNORECASE,
)
PROGRESS_MIN = 2  # one line could be an echo of a setting; two are a run going on
PROGRESS_SPAN = 60  # lines after the device setting where its progress is looked for
_FAILED = re.compile(r"Traceback|\w*Error\b|\bFAILED\b")


def _run_with_progress(text: str) -> list[Clue]:
    for m in finditer(RUN_ON_MPS, text, "mps", "MPS"):
        if _CONDITIONAL.search(line_at(text, m.start())):
            continue
        end = m.end()
        for _ in range(PROGRESS_SPAN):
            nl = text.find("\n", end + 1)
            if nl == -1:
                end = len(text)
                break
            end = nl
        window = text[m.end() : end]
        other = OTHER_DEVICE.search(window)  # a run on another device: its progress is not MPS's
        window = window[: other.start()] if other else window
        seen = list(itertools.islice(PROGRESS.finditer(window), PROGRESS_MIN))
        if len(seen) < PROGRESS_MIN or _FAILED.search(window, 0, seen[-1].end()):
            continue
        return [
            clue("mps_available", True, text, m, LISTED),
            Clue("mps_available", True, quote(seen[-1].group(0)), LISTED),
        ]
    return []


# torch.testing's assertEqual / assert_close failing on values (torch/testing/_comparison.py:
# "Tensor-likes are not close!", "Scalars are not equal!")
MISMATCH = re.compile(r"AssertionError: (?:Tensor-likes|Scalars) are not (?:close|equal)!")
# the test ran on MPS: a frame of torch's test_mps.py, or a test class / name for the device
# (device-generic tests are instantiated as TestFooMPS, test_bar_mps)
MPS_TEST = re.compile(r"\btest_mps\.py\b|\bTest\w*MPS\b|\btest_\w+_mps(?:_\w+)?\b")
TEST_SPAN = 6000  # characters before the mismatch where the test's frames are


def _test_mismatch(text: str) -> list[Clue]:
    for m in finditer(MISMATCH, text, "are not close!", "are not equal!"):
        test = next(MPS_TEST.finditer(text, max(0, m.start() - TEST_SPAN), m.start()), None)
        if test is None:
            continue
        return [
            clue("mps_available", True, text, test, LISTED),
            clue("mps_available", True, text, m, LISTED),
        ]
    return []


def _one_liner(text: str) -> list[Clue]:
    """`python -c "...x.to('mps')...print(...)"` and, on the next line, what it printed."""
    for m in finditer(ONE_LINER, text, "-c "):
        code = m.group(2)
        if "print(" not in code or not _ONE_LINER_MPS.search(code) or _CONDITIONAL.search(code):
            continue
        printed = next((line.strip() for line in text[m.end() :].split("\n", 3)[1:3]), "")
        if printed and not re.match(r"(?:[$%#>]|Traceback|\w*Error\b|\w*Warning\b)", printed):
            if "Error" not in printed:
                return [
                    clue("mps_available", True, text, m, LISTED),
                    Clue("mps_available", True, quote(printed), LISTED),
                ]
    return []


def _inside_repr(text: str, pos: int) -> bool:
    """Is `pos` inside a "tensor(" repr: after one, with the parentheses between balanced?"""
    start = max(0, pos - REPR_SPAN)
    for opened in reversed(list(OPEN_REPR.finditer(text, start, pos))[-5:]):
        depth = 0
        for ch in text[opened.end() : pos]:
            depth += (ch == "(") - (ch == ")")
            if depth < 0:
                break
        else:
            if depth == 0:
                return True
    return False


def _ran_past_mps(text: str) -> list[Clue]:
    """A print after the code's MPS line, in the same block, whose text the paste shows as
    output: the program ran past the line that needed the device."""
    if "mps" not in text or "print(" not in text:
        return []
    shown = _output_lines(text)
    for mps in itertools.islice(finditer(MPS_LINE, text, "mps"), MAX_MPS_LINES):
        if _CONDITIONAL.search(mps.group(0)):
            continue
        indent = len(mps.group(1).expandtabs())
        end = _block_end(text, mps.end(), indent)
        for p in PRINT.finditer(text, mps.end(), end):
            if len(p.group(1).expandtabs()) != indent:
                continue
            said = p.group(3).strip()
            line = next((o for o in shown.get(said[:8], ()) if o.startswith(said)), None)
            if line is not None:
                return [
                    clue("mps_available", True, text, mps, LISTED),
                    Clue("mps_available", True, quote(line), LISTED),
                ]
    return []


FENCE = re.compile(r"^[ \t]*```[ \t]*(\w*)[^\n]*$", re.MULTILINE)
PRINT_ANY = re.compile(r"^([ \t]*)print\(", re.MULTILINE)
_CODE_LINE = re.compile(
    r"^[ \t]*(?:import |from \w|def |class |for |while |if |with |return\b|>>>|print\(|"
    r"[\w.\[\]]+[ \t]*=[^=])"
)
_OUTPUT_LABEL = re.compile(
    r"\b(?:output|outputs|result|results|returns?|prints?|printed|gives|got|get|shows?)\b",
    re.IGNORECASE,
)
_NOT_SEEN = re.compile(r"\b(?:expect|should|want|would|instead)", re.IGNORECASE)


def _output_block_after(text: str) -> list[Clue]:
    """A fenced code block that moves something to "mps" (unconditionally) and prints after it,
    then at once a fenced block of what it printed (values, no code, no error): the program got
    past its MPS line. (A block introduced as expected output is not what it printed.)"""
    fences = list(itertools.islice(FENCE.finditer(text), 40))
    for i in range(0, len(fences) - 3, 2):
        code_open, code_close, out_open, out_close = fences[i : i + 4]
        code = text[code_open.end() : code_close.start()]
        between = text[code_close.end() : out_open.start()]
        label = between.strip()
        if len(label) > 80 or (label and not _OUTPUT_LABEL.search(label)):
            continue  # not introduced as its output ("Env:", a paragraph)
        if _NOT_SEEN.search(label) or out_open.group(1) == "python":
            continue
        output = [ln for ln in text[out_open.end() : out_close.start()].split("\n") if ln.strip()]
        if not output or any(_CODE_LINE.match(ln) for ln in output):
            continue
        if any("Traceback" in ln or "Error" in ln for ln in output):
            continue
        mps = _unconditional_mps_then_print(code)
        if mps is not None:
            return [
                Clue("mps_available", True, quote(mps), LISTED),
                Clue("mps_available", True, quote(output[0]), LISTED),
            ]
    return []


def _unconditional_mps_then_print(code: str) -> str | None:
    for mps in itertools.islice(MPS_LINE.finditer(code), MAX_MPS_LINES):
        if _CONDITIONAL.search(mps.group(0)):
            continue
        indent = len(mps.group(1).expandtabs())
        end = _block_end(code, mps.end(), indent)
        for p in PRINT_ANY.finditer(code, mps.end(), end):
            if len(p.group(1).expandtabs()) == indent:
                return mps.group(0)
    return None


def _block_end(text: str, start: int, indent: int) -> int:
    """Where the block holding the line that ends at `start` ends: the first later line indented
    less (blank lines and comments aside), looked for within WINDOW characters."""
    limit = min(len(text), start + WINDOW)
    pos = start + 1
    while pos < limit:
        nl = text.find("\n", pos, limit)
        line = text[pos : nl if nl != -1 else limit]
        body = line.lstrip(" \t")
        if body and not body.startswith("#") and len(line) - len(body) < indent:
            return pos
        if nl == -1:
            break
        pos = nl + 1
    return limit


def _output_lines(text: str) -> dict[str, list[str]]:
    """The paste's lines that are not code (no print call, no comment), by their first 8
    characters."""
    out: dict[str, list[str]] = {}
    for raw in text.split("\n"):
        line = raw.strip().lstrip(">").strip()
        if len(line) >= 8 and "print(" not in line and not line.startswith(("#", "f'", 'f"')):
            out.setdefault(line[:8], []).append(line)
    return out
