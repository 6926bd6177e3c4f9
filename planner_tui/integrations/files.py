"""Writing files so that readers never see a partial one, and never over a project."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import UserInputError
from ..persistence.database import project_kind

# What SQLite keeps beside a project: its write-ahead log, shared memory, rollback journal.
SIDE_FILES = ("-wal", "-shm", "-journal")


def safe_output_target(path: Path, project_path: Path | None, force: bool = False) -> None:
    """Refuse (UserInputError, nothing written) an output file that would replace a project.

    Never the open project or the files SQLite keeps beside it, however they are named (a
    symbolic or hard link, a relative or ./ path, a linked folder), not even with `force`;
    nor those beside any other planner project. Another planner project or SQLite database
    only with `force`. Every command that writes a file the user names checks it here."""
    path = Path(path)
    # SQLite keeps the side files beside the file a link leads to: both places count.
    projects = {str(project_path), os.path.realpath(project_path)} if project_path is not None else set()
    for project in projects:
        for suffix in ("", *SIDE_FILES):
            if _same_file(path, Path(f"{project}{suffix}")):
                what = "the open project" if not suffix else f"the open project's {suffix} file"
                raise UserInputError(f"refusing to write {path}: it is {what}; name another file.")
    for suffix in SIDE_FILES:
        if path.name.endswith(suffix) and len(path.name) > len(suffix):
            owner = path.with_name(path.name.removesuffix(suffix))
            if project_kind(owner) == "a planner project":
                raise UserInputError(f"refusing to write {path}: SQLite keeps it beside the planner "
                                     f"project {owner}; name another file.")
    kind = project_kind(path)
    if kind and not force:
        raise UserInputError(f"refusing to replace {path}: it is {kind}; add --force to replace it.")


def _same_file(one: Path, other: Path) -> bool:
    """The same file, by identity where both exist (device and inode: links, relative and ./
    spellings), else by their paths with every link in them resolved."""
    try:
        if os.path.exists(one) and os.path.exists(other):
            return os.path.samefile(one, other)
        return os.path.realpath(one) == os.path.realpath(other)
    except (OSError, ValueError):
        return False


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename it over."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UserInputError(f"cannot write {path}: folder {folder} does not exist.")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise UserInputError(f"cannot write {path}: {error.strerror}.") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as error:
        Path(temp).unlink(missing_ok=True)
        raise UserInputError(f"cannot write {path}: {error.strerror}; nothing was changed.") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def read_user_text(path: Path, encoding: str = "utf-8") -> str:
    """Read a file the user named; a missing or unreadable one is a one-line error."""
    try:
        return Path(path).read_text(encoding=encoding)
    except FileNotFoundError:
        raise UserInputError(f"no file {path}.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserInputError(f"cannot read {path}: {error}.") from None
