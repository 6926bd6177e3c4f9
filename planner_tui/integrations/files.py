"""Writing files so that readers never see a partial one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import UserInputError


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
