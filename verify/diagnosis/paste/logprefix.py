"""Log lines without what a logger or a quote put before them, so that every reader sees the
line the tool printed: "2026-07-22T23:08:27.270326 - ** Platform: Darwin" is "** Platform:
Darwin", "[INFO] Device: mps" is "Device: mps", "> Set vram state to: SHARED" is "Set vram state
to: SHARED".

    unprefix(text) -> text   the same lines, their prefixes cut (pure, linear in the text)

Prefixes cut at the start of a line (several in a row: "[2024-12-22 18:10:31.982] [INFO] "), each
as real pastes show it:
- ISO time stamps and " - ": ComfyUI's log (app/logger.py writes "<isoformat> - <message>", and
  the desktop app's log runs several of them into one line: Comfy-Org/ComfyUI#15029), GitHub
  Actions' raw log ("2024-05-23T10:11:12.1234567Z ");
- bracketed stamps and levels: "[2024-12-22 18:10:31.982] " (ComfyUI-Manager's prestartup log,
  Comfy-Org/ComfyUI#6168), "[21:58:16.120] " (numz/ComfyUI-SeedVR2_VideoUpscaler#446),
  "[INFO] " / "[WARNING] " (ComfyUI's logging since 2024, Comfy-Org/ComfyUI#15053),
  "[09/29 18:36:14 d2.engine.hooks]: " (detectron2's logger, facebookresearch/detectron2#4581),
  "[2025-02-21 12:48:55,582]::[InvokeAI]::INFO --> " (InvokeAI's, invoke-ai/InvokeAI#7667);
- Python logging's "2023-10-17 12:00:00,123 - INFO - " / "2023-10-17 12:00:00,123 INFO ",
  "INFO:root:"; SD.Next's "09:58:13-372025 INFO     " (vladmandic/sdnext installer.log);
  VS Code's "13:19:48.655 [info] ";
- docker compose's service column: "webui-1  | ", "comfyui_1  | ";
- Markdown quotes: "> ", "> > " (a REPL's ">>> " is not a quote and stays).

and the Markdown an issue form or a hand-written list wraps around a line's key, so that
"**PyTorch version**: N/A", "- **OS:** macOS 13.2" and a two-column table row "| Python version |
3.11.1 |" read as collect_env's "PyTorch version: N/A" (a table of more columns stays a table).
"""

from __future__ import annotations

import re

_ISO = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?"
_LEVEL = r"(?:DEBUG|INFO|WARN|WARNING|ERROR|CRITICAL|TRACE)"
_PREFIX = (
    r"(?:"
    + _ISO
    + r"Z?[ \t]+-[ \t]+(?:"
    + _LEVEL
    + r"[ \t]+-[ \t]+)?|"  # "2026-...T...326 - ", "2023-10-17 12:00:00,123 - INFO - "
    + _ISO
    + r"Z[ \t]|"  # GitHub Actions
    + _ISO
    + r"[ \t]+"
    + _LEVEL
    + r"\b:?[ \t]+|"  # "2023-10-17 12:00:00,123 INFO "
    + r"\[(?:"
    + _ISO
    + r"|\d{2}:\d{2}:\d{2}(?:\.\d+)?|"
    + _LEVEL
    + r"|\d{2}/\d{2}[ \t]+\d{2}:\d{2}:\d{2}[ \t]+[\w.]+)\](?::)?[ \t]+|"
    + r"\["
    + _ISO
    + r"\]::\[[\w.-]+\]::"
    + _LEVEL
    + r"[ \t]+-->[ \t]+|"  # InvokeAI's "[2025-02-21 12:48:55,582]::[InvokeAI]::INFO --> "
    + r"\d{2}:\d{2}:\d{2}(?:[.-]\d+)?[ \t]+(?:\[(?i:"
    + _LEVEL
    + r")\]|"
    + _LEVEL
    + r")[ \t]+|"  # "13:19:48.655 [info] ", "09:58:13-372025 INFO     "
    + _LEVEL
    + r":[\w.]+:|"  # "INFO:root:"
    + r"[\w.-]+[-_]\d+[ \t]+\|[ \t]?|"  # docker compose
    + r">[ \t]+(?=\S)|>[ \t]*$"  # a Markdown quote
    + r")"
)
PREFIXES = re.compile(r"^(?:" + _PREFIX + r")+", re.MULTILINE)
# the desktop app's stamps in the middle of a line ("** Log path:2026-07-22T23:08:27.270333 -  ")
INNER_STAMP = re.compile(_ISO + r"[ \t]+-[ \t]")


# "**Key**: value", "**Key:** value", "__Key__: value", after a list bullet or not
BOLD_KEY = re.compile(
    r"^([ \t]*(?:[-*+][ \t]+)?)(\*\*|__)([^*_:\n]{1,40}?)(?::\2|\2[ \t]*:)", re.MULTILINE
)
# "| Key | value |": a row of two cells (the separator row "|---|---|" has no letters)
TABLE_ROW = re.compile(
    r"^\|[ \t]*([A-Za-z][^|\n]{0,39}?)[ \t]*\|[ \t]*([^|\n]*?)[ \t]*\|[ \t]*$", re.MULTILINE
)


def unprefix(text: str) -> str:
    """The text with each line's log / quote prefixes cut and Markdown around its key taken
    off; unchanged when it has none."""
    text = INNER_STAMP.sub("", PREFIXES.sub("", text))
    if "**" in text or "__" in text:
        text = BOLD_KEY.sub(r"\1\3:", text)
    if "|" in text:
        text = TABLE_ROW.sub(r"\1: \2", text)
    return text
