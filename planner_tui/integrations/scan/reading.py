"""Reading one file: bytes in bounded chunks (never a whole file, never a whole line of a
minified one), binary files skipped, each candidate placed at its line and column.

Columns count characters (Unicode code points), 1-based. Text is decoded as UTF-8 with
replacement characters only to count them; a Latin-1 or otherwise odd file therefore
scans as well as any (model IDs are ASCII), and nothing read is ever interpreted.
"""

from __future__ import annotations

import codecs
import io
import os
from bisect import bisect_right
from collections.abc import Iterator
from typing import BinaryIO, NamedTuple

from .kinds import FileTraits, classify, file_traits
from .patterns import LONGEST_MATCH, Candidate, Patterns, find_candidates

CHUNK = 1 << 20
SNIFF = 8192  # a NUL in the first 8 KB makes a file binary, as git and grep decide
HEAD = 1 << 16  # what file_traits looks at (CloudFormation markers, a LangChain import)
LOOKBACK = 2 * LONGEST_MATCH  # kept before a cut inside a line, for ARN heads and prefixes
UTF16_LIMIT = 16 << 20  # UTF-16 files (with a BOM) are decoded whole up to this size
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
BLOB = 4 << 20  # bytes of small files searched at once


class Hit(NamedTuple):
    line: int
    column: int
    text: str
    model_text: str
    form: str
    geo: str | None
    arn_region: str | None
    arn_resource: str | None
    language: str
    via: str | None
    key: str | None


def read_hits(path: str, name: str, patterns: Patterns) -> list[Hit] | None:
    """Every candidate reference in the file; None when it was not read (binary,
    unreadable, vanished meanwhile)."""
    try:
        with open(path, "rb") as handle:
            first = handle.read(CHUNK)
            if b"\0" in first[:SNIFF]:
                if not first.startswith(_UTF16_BOMS):
                    return None
                return _utf16_hits(first, handle, name, patterns)
            return list(_hits(first, handle, name, patterns))
    except OSError:
        return None


class Batch(NamedTuple):
    """What reading a batch of files gave: the files with candidates, and counts."""

    found: list[tuple[str, list[Hit]]]
    read: int
    skipped: int  # binary or unreadable


class _Blob:
    """Small text files read one after another into one reused buffer, to be searched at
    once: one search per few MB instead of one per file, no bytes object per file, no copy
    to join them. A newline between files ends any candidate and starts none."""

    def __init__(self, patterns: Patterns, found: list[tuple[str, list[Hit]]]) -> None:
        self.patterns, self.found = patterns, found
        self.buffer = _buffer(BLOB + CHUNK + 1)
        self.view = memoryview(self.buffer)
        self.size = 0
        self.files: list[tuple[str, str, int, int]] = []  # (path, relative path, start, end)
        self.read = self.skipped = 0

    def add(self, path: str, rel: str) -> bool | None:
        """True when the file is in; False when it must be read the careful way (1 MB or
        more); None when it cannot be read."""
        try:
            fd = os.open(path, os.O_RDONLY)  # os.open and readv: a third of open()'s cost
        except OSError:
            return None
        try:
            start = self.size
            length = os.readv(fd, [self.view[start:start + CHUNK]])
        except OSError:
            return None
        finally:
            os.close(fd)
        if length == CHUNK:
            return False
        end = start + length
        self.buffer[end] = 0x0A
        self.size = end + 1
        self.files.append((path, rel, start, end))
        return True

    def _binary(self, starts: list[int]) -> set[int]:
        """Files with a NUL in their first 8 KB: one fast pass over the whole buffer."""
        binary: set[int] = set()
        at = self.buffer.find(b"\0", 0, self.size)
        while at != -1:
            which = bisect_right(starts, at) - 1
            _, _, start, end = self.files[which]
            if at < start + SNIFF:
                binary.add(which)
            at = self.buffer.find(b"\0", end, self.size)
        return binary

    def search(self) -> None:
        starts = [start for _, _, start, _ in self.files]
        binary = self._binary(starts)
        by_file: dict[int, list[Candidate]] = {}
        for candidate in find_candidates(self.buffer, self.patterns, self.size):
            by_file.setdefault(bisect_right(starts, candidate.start) - 1, []).append(candidate)
        skipped = 0
        for which in sorted(binary):  # perhaps UTF-16 with a byte-order mark: the careful way
            path, rel, _, _ = self.files[which]
            hits = read_hits(path, rel.rsplit("/", 1)[-1], self.patterns)
            skipped += hits is None
            if hits:
                self.found.append((rel, hits))
        self.read += len(self.files) - skipped
        self.skipped += skipped
        for which, candidates in sorted(by_file.items()):
            if which in binary:
                continue
            _, rel, start, end = self.files[which]
            data = bytes(self.buffer[start:end])
            shifted = [c._replace(start=c.start - start, end=c.end - start) for c in candidates]
            traits = file_traits(rel.rsplit("/", 1)[-1], data[:HEAD])
            self.found.append((rel, list(_placed(data, shifted, 1, 0, traits))))
        self.size = 0
        self.files = []


_BUFFERS: dict[int, bytearray] = {}


def _buffer(size: int) -> bytearray:
    """One buffer per process, reused by every batch (allocating 5 MB a batch costs)."""
    buffer = _BUFFERS.get(size)
    if buffer is None:
        buffer = _BUFFERS[size] = bytearray(size)
    return buffer


def read_many(files: list[tuple[str, str]], patterns: Patterns) -> Batch:
    """read_hits for each (path, relative path): the files with candidates, in order."""
    found: list[tuple[str, list[Hit]]] = []
    read = skipped = 0
    blob = _Blob(patterns, found)
    for path, rel in files:
        added = blob.add(path, rel)
        if added is False:  # a large file: in bounded chunks
            hits = read_hits(path, rel.rsplit("/", 1)[-1], patterns)
            if hits:
                found.append((rel, hits))
            read += hits is not None
            skipped += hits is None
        elif added is None:
            skipped += 1
        if blob.size >= BLOB:
            blob.search()
    blob.search()
    return Batch(found, read + blob.read, skipped + blob.skipped)


def _utf16_hits(first: bytes, handle: BinaryIO, name: str, patterns: Patterns) -> list[Hit] | None:
    # Some Windows tools save UTF-16; transcode (bounded) and scan the UTF-8.
    rest = handle.read(UTF16_LIMIT - len(first) + 1)
    if len(first) + len(rest) > UTF16_LIMIT:
        return None
    data = (first + rest).decode("utf-16", errors="replace").encode("utf-8")
    stream = io.BytesIO(data)
    return list(_hits(stream.read(CHUNK), stream, name, patterns))


def _char_count(data: bytes) -> int:
    return len(data.decode("utf-8", errors="replace"))


def _hits(first: bytes, handle: BinaryIO, name: str, patterns: Patterns) -> Iterator[Hit]:
    traits: FileTraits | None = None  # worked out at the first candidate: most files have none
    buf = first
    pending = handle.read(CHUNK) if len(first) == CHUNK else b""
    line_base, col_base, skip_before = 1, 0, 0  # line at buf[0]; its characters before buf[0]
    while True:
        if not pending:
            cut = keep_from = len(buf)
        else:
            newline = buf.rfind(b"\n") + 1
            if newline:
                cut = keep_from = newline
            else:  # one very long line: cut inside it, keeping some context for the next round
                cut = len(buf) - LONGEST_MATCH
                keep_from = max(0, cut - LOOKBACK)
        candidates = [c for c in find_candidates(buf, patterns) if skip_before <= c.start < cut]
        if candidates:
            traits = traits or file_traits(name, first[:HEAD])
            yield from _placed(buf, candidates, line_base, col_base, traits)
        if not pending:
            return
        consumed = buf[:keep_from]
        newlines = consumed.count(b"\n")
        if newlines:
            line_base += newlines
            col_base = _char_count(consumed[consumed.rfind(b"\n") + 1:])
        else:
            col_base += _char_count(consumed)
        skip_before = cut - keep_from
        buf = buf[keep_from:] + pending
        pending = handle.read(CHUNK)


def _placed(buf: bytes, candidates: list[Candidate], line_base: int, col_base: int,
            traits: FileTraits) -> Iterator[Hit]:
    """The candidates with their lines and columns (`line_base`: the line at buf[0];
    `col_base`: the characters of that line before buf[0])."""
    line, counted_to = line_base, 0
    line_start, column, column_at = -1, 0, 0
    for candidate in candidates:
        line += buf.count(b"\n", counted_to, candidate.start)
        counted_to = candidate.start
        start = buf.rfind(b"\n", 0, candidate.start) + 1
        if start != line_start:  # a new line: count its characters from its start
            line_start, column, column_at = start, (col_base if start == 0 else 0) + 1, start
        column += _char_count(buf[column_at:candidate.start])
        column_at = candidate.start
        via, key = classify(traits, candidate, buf, line_start)
        yield Hit(line, column, candidate.text, candidate.model_text, candidate.form, candidate.geo,
                  candidate.arn_region, candidate.arn_resource, traits.language, via, key)
