"""UTF-8 text that went through Windows-1252 on its way, read as it was written.

    repaired(text) -> text   each run of characters that is UTF-8 read as Windows-1252 ("â€™",
                             "â€œ", "Â " for a no-break space, "Ã©", "âœ…") decoded back; the rest
                             as it is (pure, linear, a no-op without such a run)

A paste copied through an e-mail, a CMS, an old Windows console or a forum that took the page
for Windows-1252 shows every typographic quote as "â€™" / "â€œ" / "â€" ("it doesnâ€™t",
"from the â€œMPSâ€ backend"): the readers and torch's messages, which look for ' and ", see
neither. A run is repaired only where its characters are the Windows-1252 reading of one whole
UTF-8 sequence (a lead byte and its continuation bytes), so text that merely holds an "Ã" or an
"â" stays. The bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) read as the C1
controls of the same number, as browsers do (WHATWG Encoding, "windows-1252"); a "â€" whose last
byte (0x9D, of a closing double quote) was lost on the way is that quote.
"""

from __future__ import annotations

import re


def _byte_chars() -> dict[str, int]:
    chars: dict[str, int] = {}
    for b in range(0x80, 0x100):
        try:
            chars[bytes([b]).decode("cp1252")] = b
        except UnicodeDecodeError:
            chars[chr(b)] = b  # undefined in Windows-1252: the C1 control of that number
    return chars


_BYTE = _byte_chars()
_CONT = "[" + re.escape("".join(c for c, b in _BYTE.items() if b < 0xC0)) + "]"
_RUN = re.compile(
    "[\u00c2-\u00df]" + _CONT + "|[\u00e0-\u00ef]" + _CONT + "{2}|[\u00f0-\u00f4]" + _CONT + "{3}"
)
_PAIR = re.compile("[\u00c2-\u00f4]" + _CONT)
_LOST_CLOSING_QUOTE = "\u00e2\u20ac"  # "â€": ” (E2 80 9D) without its undefined 0x9D


def repaired(text: str) -> str:
    if text.isascii() or _PAIR.search(text) is None:  # the common case, fast on 5 MB
        return text
    text = _RUN.sub(_decoded, text)
    return text.replace(_LOST_CLOSING_QUOTE, "\u201d") if _LOST_CLOSING_QUOTE in text else text


def _decoded(m: re.Match[str]) -> str:
    try:
        return bytes(_BYTE[c] for c in m.group(0)).decode("utf-8")
    except UnicodeDecodeError:
        return m.group(0)
