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
from typing import BinaryIO, Iterable

from .errors import CredcheckError


def write_text(target: str | Path, text: str) -> None:
    write_chunks(target, (text,))


def write_chunks(target: str | Path, chunks: Iterable[str | FileText]) -> None:
    """As write_text, for text produced piece by piece: a large output is never held whole.

    If producing a piece fails, a regular file is left as it was.
    """
    stream = _standard_stream(str(target))
    if stream is not None:
        stream.flush()
        _write_all(stream.buffer, chunks)
        stream.buffer.flush()
        return
    try:
        mode = os.stat(target).st_mode  # through any symlink, as the name is given
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise CredcheckError.single(None, "", f"{target}: cannot write: {exc.strerror}") from None
    try:
        if mode is not None and not stat.S_ISREG(mode):
            if stat.S_ISDIR(mode):
                raise CredcheckError.single(None, "", f"{target}: is a folder")
            # Opened by the name given: the resolved name of a pipe or socket
            # (/proc/self/fd/1 -> 'pipe:[123]') cannot be opened.
            with open(target, "wb") as handle:
                _write_all(handle, chunks)
            return
        # A regular file is replaced where it really is: a symlink to it stays a symlink.
        _replace_atomically(Path(os.path.realpath(target)), chunks, mode)
    except OSError as exc:
        raise CredcheckError.single(None, "", f"{target}: cannot write: {exc.strerror or exc}") from None


# Names of the process's own output streams: written to the stream itself, whatever it is
# (a terminal, a pipe, a socket, a file the shell opened), and never replaced (CONTRACT.md section 6).
_STREAM_NAMES = {"-": "stdout", "/dev/stdout": "stdout", "/dev/fd/1": "stdout", "/proc/self/fd/1": "stdout",
                 "/dev/stderr": "stderr", "/dev/fd/2": "stderr", "/proc/self/fd/2": "stderr"}


def _standard_stream(target: str):  # type: ignore[no-untyped-def]
    name = _STREAM_NAMES.get(target)
    return getattr(sys, name) if name else None


class FileText:
    """UTF-8 text that is already in a file (a scoring worker's part of the output).

    It is written by copying its bytes: decoding and encoding it again cost
    ~0.3 s of a 100,000-claim run.
    """

    __slots__ = ("file",)

    def __init__(self, file: BinaryIO) -> None:
        self.file = file

    def copy_to(self, handle: BinaryIO) -> None:
        import shutil
        self.file.seek(0)
        shutil.copyfileobj(self.file, handle, 1 << 20)

    def text(self) -> str:
        self.file.seek(0)
        return self.file.read().decode("utf-8")


def _write_all(handle: BinaryIO, chunks: Iterable[str | FileText]) -> None:
    write = handle.write
    for chunk in chunks:
        if isinstance(chunk, FileText):
            chunk.copy_to(handle)
        else:
            write(chunk.encode("utf-8"))


def _replace_atomically(path: Path, chunks: Iterable[str | FileText], mode: int | None) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as handle:
            _write_all(handle, chunks)
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
