"""Which files a scan reads: a tree walked with os.scandir, as git would see it.

Skipped: what any `.gitignore` of the tree ignores (nested ones too, and those of the
folders above the root up to the repository's top), vendored and generated folders, and
every symlink. Symlinks are not followed at all: a link inside the tree points either
into it (the target is scanned where it is) or out of it (never scanned), and no link
loop can trap the walk. Binary files are told by their content, when read (reading.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

# Dependencies, virtual environments, build output and tool caches: other people's code
# or copies of ours. Skipped by name at any depth, whatever .gitignore says.
VENDORED = frozenset({
    ".git", ".hg", ".svn", "node_modules", ".venv", "venv", "vendor", "dist", "build",
    "__pycache__", ".terraform", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache",
    "bower_components", ".cdk.staging", "cdk.out", ".aws-sam", ".serverless", "target",
})

# Scan reports (this command's own --sarif output among them) quote every reference they
# found: read back, each would be counted again on the next run.
REPORT_SUFFIXES = (".sarif", ".sarif.json")


@dataclass(frozen=True)
class _Ignore:
    """One .gitignore: its patterns apply to paths below `base` (relative, '' = root)."""

    base: str
    spec: GitIgnoreSpec
    any_pattern: re.Pattern[str]  # matches whenever one of the patterns may

    def verdict(self, rel: str, is_dir: bool) -> bool | None:
        """True ignored, False re-included (`!pattern`), None not mentioned."""
        if self.base:
            if not rel.startswith(self.base + "/"):
                return None
            rel = rel[len(self.base) + 1:]
        return self.check(rel + "/" if is_dir else rel)

    def check(self, path: str) -> bool | None:
        # Most paths match no pattern at all: one combined regex says so at a fifth of the
        # cost of asking each pattern; pathspec decides whenever any pattern matches.
        if self.any_pattern.match(path) is None:
            return None
        return self.spec.check_file(path).include


def _any_pattern(spec: GitIgnoreSpec) -> re.Pattern[str]:
    try:  # pathspec names a group in each pattern: unnamed here, as one name may not repeat
        return re.compile("|".join(
            "(?:" + re.sub(r"\(\?P<\w+>", "(?:", p.regex.pattern) + ")"
            # pathspec compiles a regex for every pattern that includes or excludes
            for p in spec.patterns if p.include is not None and p.regex is not None))
    except (re.error, AttributeError, TypeError):
        return re.compile("")  # matches every path: pathspec judges each


def _read_spec(path: str) -> GitIgnoreSpec | None:
    from pathspec import GitIgnoreSpec  # a quarter of a second to import: only when needed

    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read(1 << 20).splitlines()  # a sane .gitignore is far smaller
        spec = GitIgnoreSpec.from_lines(lines)
    except (OSError, ValueError):
        return None  # missing, unreadable, or a pattern pathspec refuses: git carries on too
    return spec if len(spec) else None


def _ignored(ignores: list[_Ignore], rel: str, is_dir: bool) -> bool:
    # A deeper .gitignore overrides a shallower one; within one file the last match wins.
    for ignore in reversed(ignores):
        verdict = ignore.verdict(rel, is_dir)
        if verdict is not None:
            return verdict
    return False


@dataclass(frozen=True)
class _Above(_Ignore):
    """A .gitignore of a folder above the root: `base` is the root's path below that
    folder, so a path of the walk is matched as `base/rel`."""

    def verdict(self, rel: str, is_dir: bool) -> bool | None:
        path = f"{self.base}/{rel}"
        return self.check(path + "/" if is_dir else path)


def _enclosing_ignores(root: Path) -> list[_Ignore]:
    """The .gitignore files of the folders above `root` up to the repository's top (the
    first folder with a `.git`), shallowest first; none outside a repository."""
    if (root / ".git").exists():
        return []
    found: list[_Ignore] = []
    for folder in root.parents:
        spec = _read_spec(str(folder / ".gitignore"))
        if spec is not None:
            found.append(_Above(root.relative_to(folder).as_posix(), spec, _any_pattern(spec)))
        if (folder / ".git").exists():
            return found[::-1]
    return []


def walk_files(root: Path) -> Iterator[tuple[str, str]]:
    """(path, path relative to `root` with '/') of every file to read, depth first."""
    if root.is_file():
        yield str(root), root.name
        return
    # An explicit stack, not recursion: each file passes through one generator, not one
    # per folder level (a tenth of the walk's time in a deep tree).
    stack: list[tuple[str, str, list[_Ignore]]] = [(str(root), "", _enclosing_ignores(root.resolve()))]
    while stack:
        folder, rel_folder, ignores = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)  # in the file system's order: findings are sorted at the end
        except OSError:
            continue  # unreadable folder: nothing to report from it
        local = next((e for e in entries if e.name == ".gitignore" and e.is_file(follow_symlinks=False)), None)
        spec = _read_spec(local.path) if local is not None else None
        if spec is not None:
            ignores = [*ignores, _Ignore(rel_folder, spec, _any_pattern(spec))]
        prefix = f"{rel_folder}/" if rel_folder else ""
        for entry in entries:
            try:
                if entry.is_symlink():
                    continue
                is_dir = entry.is_dir(follow_symlinks=False)
                if not is_dir and not entry.is_file(follow_symlinks=False):
                    continue  # sockets, FIFOs, devices: reading one could block forever
            except OSError:
                continue
            if is_dir and entry.name in VENDORED:
                continue
            if not is_dir and entry.name.endswith(REPORT_SUFFIXES):
                continue
            rel = prefix + entry.name
            if ignores and _ignored(ignores, rel, is_dir):
                continue
            if is_dir:
                stack.append((entry.path, rel, ignores))
            else:
                yield entry.path, rel
