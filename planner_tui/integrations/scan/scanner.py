"""A scan: walk the trees, read the files (in worker processes for big trees), resolve
and assess every match, worst first.

Memory stays flat in the size of the tree: paths are walked lazily and handed to the
readers in small batches; only the findings are kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from ...domain.vocabulary import Status
from .assess import (
    NOT_OFFERED,
    RULE_ORDER,
    STAGES,
    UNKNOWN,
    RegionStatus,
    Resolution,
    Verdict,
    assess,
    resolve,
)
from .patterns import Patterns, patterns_for
from .reading import Batch, Hit, read_many
from .reference import ScanReference
from .walk import walk_files

BATCH = 512  # files per hand-over to a worker
PARALLEL_FROM = 2000  # files: below this a second process costs more than it saves
_SEVERITY_RANK = {"error": 0, "warning": 1, "note": 2, "none": 3}


@dataclass(frozen=True)
class Finding:
    root: str  # the PATH given to the scan
    file: str  # relative to it, with '/'
    line: int
    column: int
    text: str  # as matched
    form: str  # model-id, arn, litellm, cdk-constant
    language: str
    via: str | None  # boto3, langchain, litellm, aws-sdk, cdk, iam-policy
    key: str | None  # the key or argument the value is given to
    model_id: str
    profile_id: str | None
    model_name: str | None
    known: bool
    suggestions: tuple[str, ...]
    status: str
    rule: str
    severity: str
    days_left: int | None
    legacy_date: dt.date | None
    pea_date: dt.date | None
    eol_date: dt.date | None
    regions: tuple[RegionStatus, ...]
    replacements: tuple[str, ...]
    source: str
    fingerprint: str
    application: str | None = None
    # AWS's named replacements that are not Active themselves in the Regions this reference
    # is judged in (Legacy, PEA, EOL, not offered there): (model ID, status). A replacement
    # should be Active where it is needed; these are no way out.
    retiring_replacements: tuple[tuple[str, str], ...] = ()
    variant: str = ""  # what the ID's suffix named ("200k context", "multimodal"); '' when none

    @property
    def active_replacements(self) -> tuple[str, ...]:
        """AWS's named replacements that are Active where this reference is judged."""
        retiring = {model_id for model_id, _ in self.retiring_replacements}
        return tuple(r for r in self.replacements if r not in retiring)

    def replacements_text(self) -> str:
        """`a, b (itself Legacy)`: each named replacement, the retiring ones marked."""
        status = dict(self.retiring_replacements)
        return ", ".join(f"{r} (itself {status[r]})" if r in status else r for r in self.replacements)

    @property
    def stage(self) -> int:
        """0 Active … 3 EOL; -1 for a status outside the lifecycle (unknown, not offered)."""
        return STAGES.get(self.status, -1)

    def sort_key(self) -> tuple:
        days = self.days_left if self.days_left is not None else 1 << 30
        return (_SEVERITY_RANK[self.severity], RULE_ORDER.index(self.rule), days, self.root, self.file,
                self.line, self.column)

    def to_json(self) -> dict[str, Any]:
        iso = _iso
        return {
            "file": self.file, "root": self.root, "line": self.line, "column": self.column,
            "matched": self.text, "form": self.form, "language": self.language, "via": self.via,
            "key": self.key, "model_id": self.model_id, "profile_id": self.profile_id, "variant": self.variant or None,
            "model_name": self.model_name, "known": self.known, "did_you_mean": list(self.suggestions),
            "status": self.status, "rule": self.rule, "severity": self.severity, "days_left": self.days_left,
            "legacy_date": iso(self.legacy_date), "pea_date": iso(self.pea_date), "eol_date": iso(self.eol_date),
            "regions": [{"region": r.region, "status": r.status, "legacy_date": iso(r.legacy_date),
                         "pea_date": iso(r.pea_date), "eol_date": iso(r.eol_date), "days_left": r.days_left}
                        for r in self.regions],
            "replacements": list(self.replacements),
            "retiring_replacements": {model_id: status for model_id, status in self.retiring_replacements},
            "source": self.source,
            "fingerprint": self.fingerprint, "application": self.application,
        }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass
class ScanResult:
    findings: list[Finding]
    files_read: int = 0
    files_skipped: int = 0  # binary or unreadable
    roots: tuple[str, ...] = field(default=())


def fingerprint(file: str, text: str, occurrence: int) -> str:
    """Stable while lines move: the file, what was matched and which occurrence of it in
    the file this is; never the line number."""
    return hashlib.sha256(f"{file}\0{text}\0{occurrence}".encode()).hexdigest()[:32]


# -- reading, in this process or in workers ------------------------------------------------


def _read_batch(batch: list[tuple[str, str]], vendors: tuple[str, ...], geos: tuple[str, ...]) -> Batch:
    return read_many(batch, patterns_for(vendors, geos))


def _batches(files: Iterator[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
    while batch := list(islice(files, BATCH)):
        yield batch


def _read_all(files: Iterator[tuple[str, str]], patterns: Patterns, workers: int) -> Iterator[Batch]:
    first = list(islice(files, PARALLEL_FROM))
    if workers <= 1 or len(first) < PARALLEL_FROM:
        for batch in _batches(_chain(first, files)):
            yield _read_batch(batch, patterns.vendors, patterns.geos)
        return
    import multiprocessing

    # Batches go out lazily and come back in order, so results are the same as one
    # process gives and memory does not grow with the tree.
    with multiprocessing.get_context(_start_method()).Pool(workers) as pool:
        args = ((batch, patterns.vendors, patterns.geos) for batch in _batches(_chain(first, files)))
        yield from pool.imap(_read_batch_star, args, chunksize=1)


def _read_batch_star(args: tuple) -> Batch:
    return _read_batch(*args)


def _chain(first: list[tuple[str, str]], rest: Iterator[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    yield from first
    yield from rest


def _start_method() -> str:
    import multiprocessing

    # fork is quick and safe in the single-threaded CLI; elsewhere the platform's default.
    return "fork" if "fork" in multiprocessing.get_all_start_methods() and os.name == "posix" else "spawn"


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))


# -- the scan ------------------------------------------------------------------------------


def scan(paths: Sequence[Path], reference: ScanReference, today: dt.date, *,
         regions: tuple[str, ...] | None = None, application: str | None = None,
         workers: int | None = None) -> ScanResult:
    """Every model reference under `paths`, worst first."""
    result = ScanResult([], roots=tuple(str(p) for p in paths))
    patterns = reference.patterns
    for root in paths:
        label = root.as_posix()
        batches = _read_all(walk_files(root), patterns, default_workers() if workers is None else workers)
        for batch in batches:
            result.files_read += batch.read
            result.files_skipped += batch.skipped
            for rel, hits in batch.found:
                result.findings.extend(_findings(label, rel, hits, reference, today, regions, application))
    result.findings.sort(key=Finding.sort_key)
    return result


def _findings(root: str, rel: str, hits: Iterable[Hit], reference: ScanReference, today: dt.date,
              regions: tuple[str, ...] | None, application: str | None) -> Iterator[Finding]:
    occurrences: Counter[str] = Counter()
    for hit in hits:
        resolution = resolve(hit, reference)
        if resolution is None:
            continue
        occurrence = occurrences[hit.text]
        occurrences[hit.text] += 1
        verdict = assess(resolution, reference, today, regions)
        facts = reference.models.get(resolution.model_id)
        replacements = reference.replacements.get(resolution.model_id, ())
        yield Finding(
            root, rel, hit.line, hit.column, hit.text, hit.form, hit.language, hit.via, hit.key,
            resolution.model_id, resolution.profile_id, facts.name if facts else None, resolution.known,
            resolution.suggestions, verdict.status, verdict.rule, verdict.level, verdict.days_left,
            verdict.legacy_date, verdict.pea_date, verdict.eol_date, verdict.regions,
            replacements, verdict.source, fingerprint(rel, hit.text, occurrence), application,
            _retiring(replacements, verdict, reference, today), resolution.variant)


def _retiring(replacements: tuple[str, ...], verdict: Verdict, reference: ScanReference,
              today: dt.date) -> tuple[tuple[str, str], ...]:
    """The replacements not Active in the Regions the finding was judged in (where the model
    is offered), each with its worst status there."""
    regions = tuple(r.region for r in verdict.regions if r.status != NOT_OFFERED)
    found = []
    for model_id in replacements:
        if model_id not in reference.models:
            found.append((model_id, UNKNOWN))
            continue
        status = assess(Resolution(model_id, None, True), reference, today, regions or None).status
        if status != Status.ACTIVE.value:
            found.append((model_id, status))
    return tuple(found)
