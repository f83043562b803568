"""Limits on what credcheck reads and renders, and how a user changes them.

Input comes from many hands, so every resource an input can make credcheck
spend is bounded: file size, string length, nesting, alias expansion, list
length, claims and reports per file, rubric and template size, render time
and brief size. The defaults are generous for real work (a million claims);
a limit that is hit is an error (exit 2) that names the limit.

Change them with `CREDCHECK_LIMITS="claims=2M,string=4MiB"` (for a shell or
a CI job) or `--limit NAME=VALUE` on one command; the option wins.
`credcheck limits` prints every limit, its value and where it came from.
"""
from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import Any, ClassVar, Iterable, Mapping

from credcheck.errors import CredcheckError, Mark, Problem, did_you_mean
from credcheck.lazyre import LazyPattern
from credcheck.record import Record, field, replace

ENV_VAR = "CREDCHECK_LIMITS"


class Limits(Record):
    """Bounds on what one input file may hold. Generous for real work."""

    max_file_bytes: int = 2 * 1024**3
    max_string: int = 1024 * 1024
    max_depth: int = 64
    max_alias_nodes: int = 1_000_000
    max_items: int = 5_000_000  # entries in any one list (claims, reports...)
    max_claims: int = 1_000_000  # claims in one claims file (checked by load/)
    max_reports: int = 10_000_000  # reports in one claims file, all claims together (load/)
    ITEMS_LIMIT: ClassVar[str] = "list-items"  # the name max_items is raised by (--limit NAME=N)


class RubricLimits(Limits):
    """Limits on a rubric or lexicon file: its lists are bounded by their own limit, rubric-items."""

    ITEMS_LIMIT: ClassVar[str] = "rubric-items"


DEFAULT_LIMITS = Limits()

# A rubric is a page of configuration: smaller bounds than a claims file.
RUBRIC_LIMITS = RubricLimits(max_file_bytes=1024**2, max_items=10_000)


class RenderLimits(Record):
    """Bounds on rendering one brief from a (possibly hostile) template."""

    seconds: float = 120.0
    output_chars: int = 256 * 1024**2
    template_bytes: int = 1024**2


class Settings(Record):
    """Every limit, grouped by what it bounds."""

    input: Limits = DEFAULT_LIMITS
    rubric: Limits = RUBRIC_LIMITS
    render: RenderLimits = field(default_factory=RenderLimits)
    origin: Mapping[str, str] = field(default_factory=dict)  # NAME -> where a non-default value came from


class Spec(Record):
    name: str
    groups: tuple[str, ...]  # which of Settings.input / .rubric / .render it sets
    attr: str
    kind: str  # "count", "bytes", "chars" or "seconds"
    doc: str


SPECS: dict[str, Spec] = {s.name: s for s in (
    Spec("file-size", ("input",), "max_file_bytes", "bytes", "bytes in one claims or sources file"),
    Spec("string", ("input", "rubric"), "max_string", "chars", "characters in one YAML string (a key or a value)"),
    Spec("depth", ("input", "rubric"), "max_depth", "count", "nesting of YAML mappings and lists"),
    Spec("aliases", ("input", "rubric"), "max_alias_nodes", "count", "values that YAML aliases (*name) expand to, per file"),
    Spec("list-items", ("input",), "max_items", "count", "items in any one YAML list"),
    Spec("claims", ("input",), "max_claims", "count", "claims in one claims file"),
    Spec("reports", ("input",), "max_reports", "count", "reports in one claims file, all claims together"),
    Spec("rubric-size", ("rubric",), "max_file_bytes", "bytes", "bytes in one rubric or lexicon file"),
    Spec("rubric-items", ("rubric",), "max_items", "count", "items in any one list of a rubric or lexicon"),
    Spec("template-size", ("render",), "template_bytes", "bytes", "bytes in one brief template file"),
    Spec("render-seconds", ("render",), "seconds", "seconds", "time to render one brief"),
    Spec("brief-size", ("render",), "output_chars", "chars", "characters in one rendered brief"),
)}

_UNITS = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "kib": 2**10, "mib": 2**20, "gib": 2**30}
# Digits, maybe a fraction, maybe a unit, nothing else: no spaces, no separators ('1_000',
# '1,000' and ' 5' are refused, so a value means exactly what it says).
# Compiled when a first limit is given (--limit, CREDCHECK_LIMITS): most runs give none.
_VALUE: re.Pattern[str] = LazyPattern(re.compile, r"^([0-9]{1,30}(?:\.[0-9]{1,30})?)([a-zA-Z]*)$")  # type: ignore[assignment]
MAX_VALUE = 10**15  # above any real limit; a bigger number only overflows what it bounds
MAX_SECONDS = 1_000_000.0  # eleven days


def parse_value(spec: Spec, text: str) -> int | float:
    """'4MiB' -> 4194304, '2M' -> 2000000, '1000' -> 1000; seconds may be fractional."""
    match = _VALUE.match(text)
    unit = match.group(2).lower() if match else ""
    if not match or unit not in _UNITS or (spec.kind == "seconds" and unit):
        example = "30 or 2.5" if spec.kind == "seconds" else "1000, 2M or 4MiB"
        raise ValueError(f"'{text}' is not a valid value for {spec.name} (e.g. {example})")
    digits = match.group(1)
    if spec.kind == "seconds":
        seconds = float(digits)
        if seconds <= 0:
            raise ValueError(f"{spec.name} must be above 0")
        if seconds > MAX_SECONDS:
            raise ValueError(f"{spec.name} must be at most {MAX_SECONDS:,.0f}, got '{text}'")
        return seconds
    if "." in digits:
        raise ValueError(f"{spec.name} must be a whole number of at least 1, got '{text}'")
    number = int(digits) * _UNITS[unit]
    if number < 1:
        raise ValueError(f"{spec.name} must be a whole number of at least 1, got '{text}'")
    if number > MAX_VALUE:
        raise ValueError(f"{spec.name} must be at most {MAX_VALUE:,}, got '{text}'")
    return number


def parse_assignments(items: Iterable[str], where: str) -> dict[str, int | float]:
    """NAME=VALUE items -> {NAME: value}; `where` names the origin in messages."""
    values: dict[str, int | float] = {}
    for item in items:
        if not item.strip():
            continue
        name, sep, text = item.partition("=")
        name = name.strip().lower().replace("_", "-")
        if not sep:
            raise CredcheckError.single(None, "", f"{where}: expected NAME=VALUE, got '{item.strip()}'")
        spec = SPECS.get(name)
        if spec is None:
            raise CredcheckError.single(
                None, "", f"{where}: unknown limit '{name}'{did_you_mean(name, SPECS)}; limits: {', '.join(SPECS)}")
        try:
            values[name] = parse_value(spec, text)
        except ValueError as exc:
            raise CredcheckError.single(None, "", f"{where}: {exc}") from None
    return values


def apply(settings: Settings, values: Mapping[str, int | float], origin: str) -> Settings:
    groups: dict[str, Any] = {"input": settings.input, "rubric": settings.rubric, "render": settings.render}
    for name, value in values.items():
        spec = SPECS[name]
        for group in spec.groups:
            groups[group] = replace(groups[group], **{spec.attr: value})
    origins = dict(settings.origin)
    origins.update({name: origin for name in values})
    return Settings(groups["input"], groups["rubric"], groups["render"], origins)


def settings_from(options: Iterable[str] = (), environ: Mapping[str, str] | None = None) -> Settings:
    """Defaults, then CREDCHECK_LIMITS (comma-separated), then each --limit NAME=VALUE."""
    environ = os.environ if environ is None else environ
    settings = Settings()
    env_text = environ.get(ENV_VAR, "")
    if env_text.strip():
        settings = apply(settings, parse_assignments(env_text.split(","), ENV_VAR), ENV_VAR)
    return apply(settings, parse_assignments(options, "--limit"), "--limit")


def value_of(settings: Settings, name: str) -> int | float:
    spec = SPECS[name]
    return getattr(getattr(settings, spec.groups[0]), spec.attr)


def describe_value(name: str, value: int | float) -> str:
    """A value as a user would write it back: 1MiB, 1,000,000, 120 s."""
    kind = SPECS[name].kind
    if kind == "seconds":
        return f"{value:g} s"
    if kind in ("bytes", "chars"):
        for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
            if value >= size and value % size == 0:
                return f"{value // size:,}{unit}"
    return f"{value:,}"


def exceeded(name: str, what: str, value: int | float, mark: Any = None) -> CredcheckError:
    """The error for a limit that was hit, saying how to raise it."""
    limit = describe_value(name, value).replace(" ", "")
    return CredcheckError.single(mark, "", f"{what}: over the limit {name}={limit} (raise it with --limit {name}=N)")


def read_limited(path: str | Path, limit: int, name: str, what: str) -> bytes:
    """A regular file's bytes, refusing (without reading it all) one larger than `limit`.

    The one reader for every file credcheck reads (claims, sources, rubrics,
    lexicons, templates, articles). Anything but a regular file is refused
    before a byte is read: a FIFO would block the open (or the read) until some
    other program writes, a device such as /dev/zero never ends, a folder has
    no bytes. The file is opened without blocking and checked on the open
    descriptor, so it cannot be swapped between the check and the read.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(str(path), mode)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    with open(fd, "rb", closefd=True) as handle:
        return read_stream(handle, limit, name, str(path), what)


class NotRegular(CredcheckError):
    """An input path that names a folder, a FIFO, a socket or a device: never read."""

    def __init__(self, path: str, mode: int):
        self.kind = describe_mode(mode)
        hint = "" if stat.S_ISDIR(mode) else " (credcheck reads only regular files, and - for standard input)"
        super().__init__([Problem(None, "", f"{path}: is {self.kind}, not a file{hint}")])


def describe_mode(mode: int) -> str:
    for test, words in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
                        (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return words
    return "not a regular file"


_CHUNK = 1024**2


def read_stream(handle: Any, limit: int, name: str, where: str, what: str = "") -> bytes:
    """Up to `limit` bytes of an open binary stream; more is an error, `where: what of N bytes`.

    Read in chunks: `read(limit + 1)` would reserve the whole limit (2 GiB) up front.
    """
    try:
        size = os.fstat(handle.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        size = 0
    of = f"{what} of " if what else ""
    if size > limit:
        raise exceeded(name, f"{where}: {of}{size:,} bytes", limit)
    chunks, total = [], 0
    while total <= limit:
        chunk = handle.read(min(max(size + 1 - total, _CHUNK), limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise exceeded(name, f"{where}: {of}more than {limit:,} bytes", limit)
    return b"".join(chunks)


# --- looking paths up ---------------------------------------------------------------

def is_file(path: Path, reference: str, what: str, mark: Mark | None = None, field: str = "") -> bool:
    """Path.is_file(), but a name the system refuses to look up (too long, a symlink loop)
    is an error naming the reference, not an exception."""
    try:
        return path.is_file()
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return False
        raise CredcheckError.single(mark, field, f"{what} '{reference}': {os_reason(exc)}") from None


def exists(path: Path) -> bool:
    """Path.exists() that treats a name the system refuses as absent."""
    try:
        return path.exists()
    except OSError:
        return False


def os_reason(exc: BaseException) -> str:
    """Why the system refused a path, in words: 'file name too long', 'a loop of symlinks'."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return "a loop of symlinks" if isinstance(exc, RuntimeError) else str(exc)
