"""Writing outputs without ever leaving a half-written or clobbered file.

A regular file (or a new one) is written to a temporary file in the same
folder, flushed to disk and renamed over the target, so a failed or killed
run leaves the previous file intact. Anything else (/dev/null, a pipe,
/dev/stdout) is written directly and never replaced (CONTRACT.md section 6).
"""
from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

from .errors import CredcheckError


def write_text(target: str | Path, text: str) -> None:
    data = text.encode("utf-8")
    if str(target) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(os.path.realpath(target))  # write through a symlink, never replace it
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise CredcheckError.single(None, "", f"{target}: cannot write: {exc.strerror}") from None
    try:
        if mode is not None and not stat.S_ISREG(mode):
            if stat.S_ISDIR(mode):
                raise CredcheckError.single(None, "", f"{target}: is a folder")
            with open(path, "wb") as handle:
                handle.write(data)
            return
        _replace_atomically(path, data, mode)
    except OSError as exc:
        raise CredcheckError.single(None, "", f"{target}: cannot write: {exc.strerror or exc}") from None


def _replace_atomically(path: Path, data: bytes, mode: int | None) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
