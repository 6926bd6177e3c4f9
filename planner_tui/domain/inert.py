"""Text from people and from AWS, made inert for whatever shows or writes it.

A name, a note or a model name may hold anything: terminal escapes (ESC, CSI, OSC 52
clipboard writes, OSC 8 links, C1 codes such as U+009B), NUL, bidi overrides (U+202E turns
the rest of a line around), line breaks. Shown raw they drive the terminal or split a
table's rows. Every way out (terminal tables and messages, the TUI, reports, calendars)
passes such text through here: each control character becomes U+FFFD (visible, and never
acted on), a line break a space where the output is one line. Nothing is dropped silently,
so two different names never look alike because a character vanished.

The stored text is never changed; only what is shown or written.
"""

from __future__ import annotations

import re
from typing import Any

REPLACEMENT = "\ufffd"

# Bidi embeddings, overrides and isolates (Trojan Source, CVE-2021-42574) and the marks.
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# C0 but for tab and newline, DEL, C1, and the bidi controls: each replaced one for one.
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}]")
# Line breaks, tabs included (and the Unicode line and paragraph separators, NEL).
_BREAK_CHARS = "\t\n\r\x0b\x0c\x85\u2028\u2029"
_BREAKS = re.compile(f"[{_BREAK_CHARS}]+")
_ONE_FOR_ONE_BREAKS = str.maketrans(dict.fromkeys(_BREAK_CHARS, " "))
_NEWLINES = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# What tests and callers check for: anything a terminal or viewer would act on.
UNSAFE_IN_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI}\u2028\u2029]")
UNSAFE_IN_TEXT = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}\u2028\u2029]")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def one_line(value: Any) -> str:
    """A value as one line of inert text: runs of line breaks and tabs become one space,
    other control characters U+FFFD."""
    return _UNSAFE.sub(REPLACEMENT, _BREAKS.sub(" ", _text(value)))


def same_length(value: Any) -> str:
    """As `one_line`, but character for character (each break one space), so that styles
    laid over the text by position still fit it."""
    return _UNSAFE.sub(REPLACEMENT, _text(value).translate(_ONE_FOR_ONE_BREAKS))


def lines(value: Any) -> str:
    """Inert text that keeps its lines: every line break becomes '\\n', a tab a space, other
    control characters U+FFFD."""
    text = _NEWLINES.sub("\n", _text(value)).replace("\t", " ")
    return _UNSAFE.sub(REPLACEMENT, text)


def same_length_lines(value: Any) -> str:
    """As `lines`, character for character: '\\n' kept, other breaks and tabs one space each."""
    text = _text(value)
    text = text.translate({ord(c): " " for c in _BREAK_CHARS if c != "\n"})
    return _UNSAFE.sub(REPLACEMENT, text)


def is_inert(text: str, newlines: bool = False) -> bool:
    """True when `text` holds nothing a terminal or viewer acts on (newlines allowed if asked)."""
    return (UNSAFE_IN_TEXT if newlines else UNSAFE_IN_LINE).search(text) is None
