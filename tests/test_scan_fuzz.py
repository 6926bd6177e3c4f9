"""The scan never fails on what it reads: random bytes, random text in random encodings,
random layouts across chunk boundaries. Fixed seed (derandomize), modest example counts."""

from __future__ import annotations

import codecs
import datetime as dt
import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from planner_tui.catalog.bundled import load_catalog
from planner_tui.integrations.scan import reading, reference_from_catalog, scan
from planner_tui.integrations.scan.patterns import find_candidates

TODAY = dt.date(2026, 11, 22)
REFERENCE = reference_from_catalog(load_catalog())  # a catalog given: no user cache touched
IDS = ("anthropic.claude-3-haiku-20240307-v1:0", "us.amazon.nova-pro-v1:0", "meta.llama3-1-8b-instruct-v1:0",
       "arn:aws:bedrock:us-east-1::foundation-model/cohere.command-r-v1:0")
# Encodings in which an ASCII model ID stays ASCII bytes (UTF-16 via its byte-order mark).
READABLE = ("utf-8", "utf-8-sig", "latin-1", "cp1252", "mac_roman", "shift_jis", "utf-16")
UNREADABLE = ("utf-16-le", "utf-16-be", "utf-32")  # NULs without a UTF-16 BOM: binary, skipped
NO_NUL = st.characters(blacklist_characters="\x00")  # a NUL makes any file binary
FUZZ = settings(max_examples=40, derandomize=True, deadline=None)


def scan_bytes(name: str, data: bytes):  # noqa: ANN201
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / name).write_bytes(data)
        return scan([Path(folder)], REFERENCE, TODAY, workers=1)


@FUZZ
@given(data=st.binary(max_size=4000), name=st.sampled_from(["a.py", ".env", "x.tf", "t.yaml", "blob", "n.json"]))
def test_random_bytes_never_fail(data: bytes, name: str) -> None:
    result = scan_bytes(name, data)
    assert result.files_read + result.files_skipped == 1
    for finding in result.findings:
        assert finding.line >= 1 and finding.column >= 1 and finding.text.isascii()


@FUZZ
@given(before=st.text(NO_NUL, max_size=300), after=st.text(NO_NUL, max_size=300), model=st.sampled_from(IDS),
       encoding=st.sampled_from(READABLE + UNREADABLE))
def test_random_text_in_random_encodings(before: str, after: str, model: str, encoding: str) -> None:
    data = f"{before}\n{model}\n{after}".encode(encoding, errors="replace")
    result = scan_bytes("settings.conf", data)
    if encoding in READABLE:
        found = [(f.line, f.column) for f in result.findings if f.text == model]
        assert found == [(before.count("\n") + 2, 1)]
    else:
        assert result.files_skipped == 1 or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


@FUZZ
@given(layout=st.lists(st.tuples(st.integers(0, 700), st.sampled_from([" ", "\n", "é", "\r\n"]),
                                 st.sampled_from(IDS)), min_size=1, max_size=40),
       chunk=st.sampled_from([1024, 1500, 4096]))
def test_chunked_reading_agrees_with_a_whole_read(layout: list[tuple[int, str, str]], chunk: int) -> None:
    data = "".join(f"{'ab' * (size // 2)}{sep}{model}{sep}" for size, sep, model in layout).encode()
    with tempfile.TemporaryDirectory() as folder, mock.patch.object(reading, "CHUNK", chunk):
        path = Path(folder) / "long.txt"
        path.write_bytes(data)
        hits = reading.read_hits(str(path), "long.txt", REFERENCE.patterns)
    expected = []
    for candidate in find_candidates(data, REFERENCE.patterns):
        head = data[:candidate.start]
        start = head.rfind(b"\n") + 1
        expected.append((head.count(b"\n") + 1, len(head[start:].decode("utf-8", "replace")) + 1, candidate.text))
    assert [(h.line, h.column, h.text) for h in hits] == expected
