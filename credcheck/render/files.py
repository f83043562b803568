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
from typing import Any, BinaryIO, Iterable

from credcheck.errors import CredcheckError


def write_text(target: str | Path, text: str) -> None:
    write_chunks(target, (text,))


def write_chunks(target: str | Path, chunks: Iterable[str | bytes | FileText]) -> None:
    """As write_text, for text produced piece by piece: a large output is never held whole.

    If producing a piece fails, a regular file is left as it was.
    """
    stream = _standard_stream(str(target))
    if stream is not None:
        stream.flush()
        _write_all(stream.buffer, chunks)
        stream.buffer.flush()
        return
    check_target(target)
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


def check_target(target: str | Path) -> None:
    """Refuse a target that would not be written where its name says.

    A name ending in '/' names a folder, never a file to create. A symlink as
    the last part of the name may lead to another file of the same folder,
    but not out of it: a link planted in a shared folder must not make a run
    overwrite a file elsewhere (a shell profile, another team's brief).
    Symlinked folders on the way are the user's own layout and are followed.
    """
    name = str(target)
    if _standard_stream(name) is not None:
        return
    if name.endswith(("/", os.sep)) or os.path.basename(name) in ("", ".", ".."):
        if os.path.isdir(name):
            raise CredcheckError.single(None, "", f"{name}: is a folder; name a file in it")
        raise CredcheckError.single(None, "", f"{name}: no such folder (a name ending in '/' is a folder, not a file to write)")
    if os.path.islink(name) and _regular_or_missing(name):  # a link to a device or a pipe is written, never replaced
        folder = os.path.realpath(os.path.dirname(name) or ".")
        if os.path.dirname(os.path.realpath(name)) != folder:
            raise CredcheckError.single(None, "", f"{name}: is a symlink to a file outside its folder; credcheck does not "
                                                  "write through it (name the file it leads to, to write there)")


def _regular_or_missing(name: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(name).st_mode)
    except OSError:
        return True


def check_not_inputs(outputs: Iterable[tuple[str, str | None]], inputs: Iterable[str | Path]) -> None:
    """Refuse an output that is one of the run's inputs, or that another output also names.

    `outputs` are (option, target) pairs such as ('--brief', 'brief.md'); the
    streams (-, /dev/stdout...) and targets that do not exist yet are fine.
    Compared as files (same device and inode), so another spelling, a hard
    link or a symlink to an input is caught too.
    """
    seen: list[tuple[str, Any]] = []
    known = [(str(p), identity) for p in inputs if (identity := _identity(p)) is not None]
    for option, target in outputs:
        if target is None or _standard_stream(str(target)) is not None:
            continue
        identity = _identity(target)
        for name, other in known:
            if identity == other:
                raise CredcheckError.single(None, "", f"{target}: {option} names an input of this run ({name}); "
                                                      "credcheck never writes over its inputs")
        key = identity if identity is not None else os.path.realpath(target)  # a file to be created: by its name
        for other_option, other in seen:
            if key == other:
                raise CredcheckError.single(None, "", f"{target}: {option} names the file {other_option} writes already")
        seen.append((option, key))


def _identity(path: str | Path) -> tuple[int, int] | None:
    """(device, inode) of an existing file, through symlinks; None for nothing, a stream or a device."""
    if str(path) in ("-", "<stdin>"):
        return None
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


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


def _write_all(handle: BinaryIO, chunks: Iterable[str | bytes | FileText]) -> None:
    write = handle.write
    for chunk in chunks:
        if isinstance(chunk, FileText):
            chunk.copy_to(handle)
        elif isinstance(chunk, bytes):  # a Word or PDF brief
            write(chunk)
        else:
            write(chunk.encode("utf-8"))


def _replace_atomically(path: Path, chunks: Iterable[str | bytes | FileText], mode: int | None) -> None:
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
