"""Reading a file the user names for an import: a regular file under a size limit, read in
bounded pieces, never more than the limit.

A device (/dev/zero, /dev/urandom), a FIFO, a socket or a folder is refused before anything
is read, and a FIFO is opened without waiting for a writer. A file over the limit is refused
with the limit named, from its size on disk and again while reading (a file that grows).
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from ..errors import UserInputError

MB = 1_000_000
CSV_LIMIT = 50 * MB  # `apps import`: about 500,000 rows
JSON_LIMIT = 300 * MB  # `import json`: an export of about 30,000 applications with a plan each
CHUNK = 4 * 1024 * 1024


def describe_limit(limit: int) -> str:
    return f"{limit / MB:,.0f} MB" if limit % MB == 0 else f"{limit:,} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _too_big(path: Path, size: str, limit: int, what: str) -> UserInputError:
    return UserInputError(f"{path} is {size}, over the {describe_limit(limit)} limit for {what}; "
                          "nothing was imported.")


def open_input(path: Path, limit: int, what: str) -> int:
    """A descriptor open for reading on `path`, checked to be a regular file of at most
    `limit` bytes. The caller closes it."""
    try:
        # Non-blocking: opening a FIFO for reading must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise UserInputError(f"no file {path}.") from None
    except IsADirectoryError:
        raise UserInputError(f"{path} is a folder, not a file; name the file to import.") from None
    except (OSError, ValueError) as error:
        raise UserInputError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}.") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UserInputError(f"{path} is {_kind(info.st_mode)}, not a regular file; "
                                 f"{what} reads only regular files.")
        if info.st_size > limit:
            raise _too_big(path, f"{info.st_size / MB:,.1f} MB", limit, what)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_chunks(path: Path, limit: int, what: str, chunk: int = CHUNK) -> Iterator[bytes]:
    """The file's bytes in pieces of at most `chunk`; refused once more than `limit` came."""
    fd = open_input(path, limit, what)
    total = 0
    try:
        while True:
            try:
                piece = os.read(fd, min(chunk, limit + 1 - total))
            except OSError as error:
                raise UserInputError(f"cannot read {path}: {error.strerror}.") from None
            if not piece:
                return
            total += len(piece)
            if total > limit:
                raise _too_big(path, "larger than that", limit, what)
            yield piece
    finally:
        os.close(fd)


def read_text_chunks(path: Path, limit: int, what: str, chunk: int = CHUNK) -> Iterator[str]:
    """The file as UTF-8 text (a byte order mark at its start is skipped), in pieces."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0  # bytes given to the decoder so far
    held = b""  # of which it holds these, undecoded yet (a character cut between pieces)
    first = True
    try:
        for piece in read_chunks(path, limit, what, chunk):
            held = decoder.getstate()[0]
            text = decoder.decode(piece)
            offset += len(piece)
            if first and text:
                text, first = text.removeprefix("\ufeff"), False  # a spreadsheet's byte order mark
            if text:
                yield text
        held = decoder.getstate()[0]
        tail = decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        # The error counts from the held bytes, which came before this piece.
        raise UserInputError(f"{path} is not UTF-8 text (byte {offset - len(held) + error.start + 1:,} cannot "
                             "be decoded); nothing was imported.") from None
    if tail:
        yield tail


def read_text(path: Path, limit: int, what: str) -> str:
    """The whole file as UTF-8 text (at most `limit` bytes of it)."""
    return "".join(read_text_chunks(path, limit, what))
