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
_SEPARATOR = b"\n\0\n"


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


def _small_text(path: str) -> bytes | None:
    """The whole file when it is text below CHUNK bytes (most files); None otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY)  # os.read: half the cost of open() per file
    except OSError:
        return None
    try:
        data = os.read(fd, CHUNK)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(data) >= CHUNK or b"\0" in data[:SNIFF]:
        return None
    return data


def read_many(files: list[tuple[str, str]], patterns: Patterns) -> list[tuple[str, list[Hit] | None]]:
    """read_hits for each (path, relative path), in order. Small text files are searched
    together, joined into blobs of a few MB: one search per blob instead of one per file
    halves the cost of a tree of small files."""
    results: list[tuple[str, list[Hit] | None]] = []
    blob: list[tuple[int, str, bytes]] = []  # (index in results, name, content)
    size = 0
    for path, rel in files:
        name = rel.rsplit("/", 1)[-1]
        data = _small_text(path)
        if data is None:  # large, binary, UTF-16 or unreadable: the careful way
            results.append((rel, read_hits(path, name, patterns)))
            continue
        results.append((rel, []))
        if data:
            blob.append((len(results) - 1, name, data))
            size += len(data)
        if size >= BLOB:
            _search_blob(blob, results, patterns)
            blob, size = [], 0
    _search_blob(blob, results, patterns)
    return results


def _search_blob(blob: list[tuple[int, str, bytes]], results: list[tuple[str, list[Hit] | None]],
                 patterns: Patterns) -> None:
    if not blob:
        return
    # The separator ends any candidate and starts none, so no match spans two files.
    joined = _SEPARATOR.join(data for _, _, data in blob)
    starts, at = [], 0
    for _, _, data in blob:
        starts.append(at)
        at += len(data) + len(_SEPARATOR)
    by_file: dict[int, list[Candidate]] = {}
    for candidate in find_candidates(joined, patterns):
        which = bisect_right(starts, candidate.start) - 1
        offset = starts[which]
        by_file.setdefault(which, []).append(
            candidate._replace(start=candidate.start - offset, end=candidate.end - offset))
    for which, candidates in by_file.items():
        index, name, data = blob[which]
        traits = file_traits(name, data[:HEAD])
        results[index] = (results[index][0], list(_placed(data, candidates, 1, 0, traits)))


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
