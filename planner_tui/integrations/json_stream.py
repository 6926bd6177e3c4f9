"""A JSON document read member by member, and chosen arrays element by element, from text
that arrives in pieces: memory holds one element at a time, never the whole document.

Each value is parsed by the standard library's decoder (`raw_decode`); only the top-level
object and the streamed arrays are walked here. Numbers no project can hold are refused
while parsing: NaN and ±Infinity (not JSON), integers of more than MAX_DIGITS digits.
Nesting too deep for the decoder is a one-line error, as is every syntax error, with its
line and column in the whole document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

MAX_DIGITS = 100  # far more than any count, volume or id; Python itself stops at 4,300
_SPACE = re.compile(r"[ \t\n\r]*")


class JsonProblem(Exception):
    """The document is not valid JSON (or holds a number no project can hold)."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"line {line}, column {column}: {message}")
        self.message, self.line, self.column = message, line, column


class NotAnObject(Exception):
    """The document is valid JSON but not an object at its top."""


class DuplicateKey(Exception):
    """A member of the top-level object appears twice."""


class _Refused(ValueError):
    pass


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"a number of {len(text.lstrip('-')):,} digits (at most {MAX_DIGITS} are read)")
    return int(text)


def _number(text: str) -> float | int:
    """A number with a fraction or an exponent. A whole one beyond 64-bit integers (1e30) is
    handed on as the integer it is, so that a count or volume is refused for its own limit
    rather than for not fitting a machine integer."""
    value = float(text)
    if value.is_integer() and abs(value) >= 2**63:
        return int(value)
    return value


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(parse_int=_integer, parse_float=_number, parse_constant=_constant)


class DocumentReader:
    """The members of the top-level object of a document given as pieces of text."""

    def __init__(self, pieces: Iterable[str]) -> None:
        self._pieces = iter(pieces)
        self._text = ""
        self._pos = 0
        self._ended = False
        # Where the text held starts in the document: lines before it, and characters of
        # its first line before it.
        self._lines_before = 0
        self._column_before = 0

    # -- the text held ---------------------------------------------------------------------

    def _more(self) -> bool:
        """Add the next piece, dropping what was read; False at the end of the document."""
        if self._ended:
            return False
        piece = next(self._pieces, None)
        if piece is None:
            self._ended = True
            return False
        read = self._text[: self._pos]
        newlines = read.count("\n")
        if newlines:
            self._lines_before += newlines
            self._column_before = len(read) - read.rindex("\n") - 1
        else:
            self._column_before += len(read)
        self._text = self._text[self._pos:] + piece
        self._pos = 0
        return True

    def _grow(self) -> bool:
        """At least twice as much unread text as now (or all that is left); False if none came."""
        wanted = 2 * max(len(self._text) - self._pos, 1)
        grew = False
        while len(self._text) - self._pos < wanted and self._more():
            grew = True
        return grew

    def _peek(self) -> str:
        """The next character that is not white space, '' at the end."""
        while True:
            space = _SPACE.match(self._text, self._pos)
            if space is not None:  # always: the pattern matches where there is no space too
                self._pos = space.end()
            if self._pos < len(self._text):
                return self._text[self._pos]
            if not self._more():
                return ""

    def _problem(self, message: str, pos: int | None = None) -> JsonProblem:
        pos = self._pos if pos is None else pos
        newlines = self._text.count("\n", 0, pos)
        if newlines:
            column = pos - self._text.rindex("\n", 0, pos)
        else:
            column = self._column_before + pos + 1
        return JsonProblem(message, self._lines_before + newlines + 1, column)

    def _value(self) -> Any:
        if not self._peek():
            raise self._problem("Expecting value")
        while True:
            try:
                value, end = _DECODER.raw_decode(self._text, self._pos)
            except json.JSONDecodeError as error:
                if self._grow():  # perhaps only cut off where the piece ended
                    continue
                raise self._problem(error.msg, error.pos) from None
            except RecursionError:
                raise self._problem("arrays or objects nested too deeply") from None
            except _Refused as refused:
                raise self._problem(str(refused)) from None
            # A value ending where the text held ends may go on (a number): read on first.
            if end >= len(self._text) and self._grow():
                continue
            self._pos = end
            return value

    def _expect(self, what: str) -> None:
        if self._peek() != what:
            raise self._problem(f"Expecting {what!r} delimiter")
        self._pos += 1

    # -- the document ----------------------------------------------------------------------

    def members(self, streamed: frozenset[str] = frozenset()) -> Iterator[tuple[str, int | None, Any]]:
        """(key, None, value) for each member of the top-level object, and for a member in
        `streamed` whose value is an array, (key, index, element) for each element instead.
        Raises JsonProblem, NotAnObject or DuplicateKey."""
        if self._peek() != "{":
            self._value()  # a syntax error, if it is one
            if self._peek():
                raise self._problem("Extra data")
            raise NotAnObject()
        self._pos += 1
        seen: set[str] = set()
        if self._peek() == "}":
            self._pos += 1
        else:
            while True:
                if self._peek() != '"':
                    raise self._problem("Expecting property name enclosed in double quotes")
                key = self._value()
                if key in seen:
                    raise DuplicateKey(key)
                seen.add(key)
                self._expect(":")
                if key in streamed and self._peek() == "[":
                    yield from self._elements(key)
                else:
                    yield key, None, self._value()
                if self._peek() == ",":
                    self._pos += 1
                    continue
                self._expect("}")
                break
        if self._peek():
            raise self._problem("Extra data")

    def _elements(self, key: str) -> Iterator[tuple[str, int | None, Any]]:
        self._pos += 1  # [
        if self._peek() == "]":
            self._pos += 1
            return
        index = 0
        while True:
            yield key, index, self._value()
            index += 1
            if self._peek() == ",":
                self._pos += 1
                continue
            self._expect("]")
            return
