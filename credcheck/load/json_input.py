"""Claims as JSON or JSON Lines: fast decoding, and a located reader for when something is wrong.

JSON (`.json`) holds one document shaped like the YAML claims file. JSON Lines
(`.jsonl`, `.ndjson`) holds one JSON object per line (docs/formats.md):

    {"title": "...", "as_of": "2026-11-20"}        # optional: the file's title and date
    {"source": {"id": "nis", "name": "...", "type": "intelligence_service"}}
    {"sources": [{...}, {...}]}                     # several sources in one record
    {"id": "c1", "text": "...", "reports": [...]}   # any other object is a claim

The fast path decodes with the json module (duplicate keys give up, as in YAML
they are errors). The located path parses again, keeping for every value the
line and column it starts at, into the same LMap/LList trees yamlload builds,
so the schema reports JSON mistakes exactly as it reports YAML ones.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_right
from json.decoder import scanstring
from typing import Any, Iterator

from credcheck.errors import STOPPED, CredcheckError, Mark, Problem, Problems
from credcheck.lazyre import LazyPattern
from credcheck.load.contract import CLAIMS_FILE, Vocabulary
from credcheck.load.fast import PROGRESS_EVERY, Fallback, JsonConverter, Parsed, Progress, check_counts
from credcheck.load.schema import describe
from credcheck.limits import Limits
from credcheck.load.located_yaml import LList, LMap, decode_utf8

RECORD_KINDS = 'a claim, or a {"source": {...}} or {"sources": [...]} record, or a {"title": ..., "as_of": ...} record'
_META_KEYS = frozenset(k.name for k in CLAIMS_FILE.keys if k.kind != "records")  # the title and date


# --- fast path -------------------------------------------------------------------------------

def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        raise Fallback  # a duplicate key: the located reader says where
    return value


def loads(text: str | bytes) -> Any:
    """json.loads, but Fallback on anything unusual (a syntax error, a duplicate key, deep nesting)."""
    try:
        return json.loads(text, object_pairs_hook=_unique_pairs)
    except (ValueError, RecursionError):  # JSONDecodeError, over-long integers, deep nesting
        raise Fallback from None


def text_of(data: bytes, start: int = 0, end: int | None = None) -> str:
    """The text of data[start:end] (no copy of the bytes), without the file's byte order mark;
    Fallback if it is not UTF-8 or escapes a lone surrogate (the located reader says where)."""
    try:
        text = str(memoryview(data)[start:end], "utf-8")
    except UnicodeDecodeError:
        raise Fallback from None
    if lone_surrogate_escape(text):
        raise Fallback
    return text[1:] if start == 0 and text.startswith("\ufeff") else text


# A `\uD800`-`\uDFFF` escape not preceded by an escaped backslash: JSON writes characters
# beyond U+FFFF as two such escapes, a high surrogate then a low one. Either alone decodes
# to a lone surrogate, which is no character: no UTF-8 writer can put it in an output.
_SURROGATE_ESCAPE = LazyPattern(re.compile, r"(?<!\\)(?:\\\\)*\\u([dD][89a-fA-F][0-9a-fA-F]{2})")
_LONE_SURROGATE = LazyPattern(re.compile, "[\ud800-\udfff]")


def lone_surrogate_escape(text: str) -> bool:
    """Whether JSON text escapes a surrogate outside a high-low pair (cheap when it escapes none)."""
    if "\\ud" not in text and "\\uD" not in text:
        return False
    pending = -1  # where a high surrogate's escape ends, waiting for its low half
    for match in _SURROGATE_ESCAPE.finditer(text):
        high = int(match.group(1), 16) < 0xDC00
        start = match.end() - 6
        if pending >= 0:
            if high or start != pending:
                return True
            pending = -1
        elif high:
            pending = match.end()
        else:
            return True
    return pending >= 0


def read_json(data: bytes, fmt: str, kind: str, vocabulary: Vocabulary, limits: Limits,
              progress: Progress | None = None) -> Parsed:
    """A well-formed JSON or JSON Lines file, converted; Fallback on anything unusual."""
    if len(data) > limits.max_file_bytes:
        raise Fallback
    conv = JsonConverter(vocabulary, limits)
    if fmt == "json":
        parsed = conv.document(decode(data), kind)
    else:
        parsed = read_lines_of(data, 0, len(data), kind, conv, progress)
    check_counts(parsed.claims or (), limits)
    return parsed


def decode(data: bytes) -> Any:
    """A JSON document's values (Fallback if it is not well-formed, or holds a duplicate key)."""
    return loads(text_of(data))


# --- a claims document in shares (split.py) ----------------------------------------------------
#
# A claims document is cut at commas between two claims, so that each process decodes
# its own part of the text. The first share decodes the text up to its cut, closed with
# "]}": that is valid JSON only if the cut lies, outside any string, inside an array that
# is a value of the root object, and that array is the root's last key so far, which
# must be "claims". So a cut is proven right by the share before it, and each later share
# proves the next cut by reaching it exactly, as the separator after one of its items;
# the last share must reach the end of the claims list and of the document. Anything else
# is a Fallback, and the caller reads the document whole.

# Two objects in an array, the second starting with an "id" key: two claims, or two sources.
# Never inside a string, where a quote is always escaped.
_CUT = re.compile(r'\}[ \t\n\r]*(,)[ \t\n\r]*\{[ \t\n\r]*"id"[ \t\n\r]*:')
_CLAIMS_KEY = re.compile(r'"claims"[ \t\n\r]*:[ \t\n\r]*\[')
_CLOSE = re.compile(r"\][ \t\n\r]*\}[ \t\n\r]*\Z")


def claims_start(text: str) -> int:
    """Where a claims document's claims list starts, usually after the sources (0 if not
    found). Only to balance the shares and size them: each share proves its own cut."""
    found = _CLAIMS_KEY.search(text)
    return found.end() if found else 0


def claims_estimate(text: str) -> int:
    """About how many claims a claims document holds: "id" keys in its claims list."""
    return text.count('"id"', claims_start(text))


def claim_cuts(text: str, shares: int) -> list[int]:
    """Offsets of the commas at which to cut a claims document into `shares` parts holding
    about as many claims each (fewer if the candidates run out): only candidates (see above)."""
    cuts: list[int] = []
    start = claims_start(text)
    for k in range(1, shares):
        found = _CUT.search(text, max(cuts[-1] + 1 if cuts else 0, start + (len(text) - start) * k // shares))
        if found is None:
            break
        cuts.append(found.start(1))
    return cuts


def read_document_head(text: str, cut: int, conv: JsonConverter) -> Parsed:
    """The document up to the first cut: its title, date and sources, and its first claims."""
    root = loads(text[:cut] + "]}")
    if type(root) is not dict or not root or next(reversed(root)) != "claims":
        raise Fallback  # not cut inside the root's claims list
    out, decoded = conv.head(root, "claims")
    out.claims = conv.claims(decoded)
    return out


def read_document_claims(text: str, cut: int, next_cut: int | None, conv: JsonConverter) -> Parsed:
    """The claims between the comma at `cut` and the one at `next_cut` (None: to the end)."""
    scan, blank, claim = _SCAN, _WS.match, conv.claim
    claims: list[Any] = []
    pos = cut
    while True:  # at a comma after a claim
        pos = blank(text, pos + 1).end()  # type: ignore[union-attr]
        try:
            item, pos = scan(text, pos)
        except (StopIteration, ValueError, RecursionError):
            raise Fallback from None
        claims.append(claim(item))
        pos = blank(text, pos).end()  # type: ignore[union-attr]
        if pos == next_cut:
            break
        if text.startswith(",", pos) and (next_cut is None or pos < next_cut):
            continue
        if next_cut is None and _CLOSE.match(text, pos):
            break
        raise Fallback
    return Parsed(sources=[], claims=claims)  # the whole list's length: split._check_whole


def read_share(data: bytes, start: int, end: int, conv: JsonConverter, progress: Progress | None = None) -> Parsed:
    """The records of a JSON Lines claims file from byte `start` to byte `end`, both at the
    start of a line (see split.py), converted as read_fast converts a whole file."""
    return read_lines_of(data, start, end, "claims", conv, progress)


# JSON Lines are decoded this many bytes at a time (cut after a line): the text of a large
# file is never held whole beside its bytes (a million claims: 461 MB less at the peak).
LINES_CHUNK = 8 * 1024 * 1024


def read_lines_of(data: bytes, start: int, end: int, kind: str, conv: JsonConverter,
                  progress: Progress | None = None) -> Parsed:
    """The JSON Lines records of data[start:end] (`start` at the start of a line), converted:
    sources, claims, the title and date; Fallback on anything unusual, or on no record at all."""
    out = Parsed(sources=[], claims=[])
    records, pos = 0, start
    while pos < end:
        cut = data.find(b"\n", min(pos + LINES_CHUNK, end), end)
        cut = end if cut == -1 else cut + 1
        records += read_lines(text_of(data, pos, cut), kind, conv, out,
                              None if progress is None else _chunk_progress(progress, pos - start, cut - pos, end - start))
        pos = cut
    if not records:
        raise Fallback  # an empty file is an error: the located reader says so
    return out


def _chunk_progress(progress: Progress, before: int, size: int, total: int) -> Any:
    """Progress through one chunk, as a fraction of the whole range."""
    return lambda claims, fraction: progress(claims, (before + fraction * size) / max(1, total))


def read_lines(text: str, kind: str, conv: JsonConverter, out: Parsed, progress: Any = None) -> int:
    """JSON Lines records added to `out` (sources, claims, the title and date); how many records there were.
    `progress`, if given, is called now and then with (claims so far, where in `text` the last one ends)."""
    claim, claims = conv.claim, out.claims
    assert claims is not None
    records = 0
    for record, end in _records(text):
        records += 1
        if type(record) is not dict:
            raise Fallback
        if _is_claim(record, kind):
            claims.append(claim(record))
            if progress is not None and len(claims) % PROGRESS_EVERY == 0:
                progress(len(claims), end / max(1, len(text)))
        else:
            _fast_record(record, kind, conv, out)
    return records


_BLANK = re.compile(r"[ \t\r]*")  # JSON's whitespace, but for the line break
_SCAN = json.JSONDecoder(object_pairs_hook=_unique_pairs).scan_once


def _records(text: str) -> Iterator[tuple[Any, int]]:
    """(record, where it ends) for each non-blank line: the json module's C scanner, called
    once per line on the whole text, rather than json.loads on each line's own copy."""
    blank, scan, find, size = _BLANK.match, _SCAN, text.find, len(text)
    pos = 0
    while pos < size:
        start = blank(text, pos).end()
        if start >= size:
            return
        if text[start] == "\n":
            pos = start + 1
            continue
        try:
            record, end = scan(text, start)
        except (StopIteration, ValueError, RecursionError):  # not a value, a syntax error, too deep
            raise Fallback from None
        end = blank(text, end).end()
        if end < size and text[end] != "\n" or find("\n", start, end) != -1:
            raise Fallback  # more after the value, or a value over several lines: not JSON Lines
        yield record, end
        pos = end + 1


def _is_claim(record: dict[str, Any], kind: str) -> bool:
    """As _place files records: a lone "source"/"sources" key, or only title/as_of, is not a claim."""
    if len(record) == 1 and ("source" in record or "sources" in record):
        return False
    return kind == "claims" and not (record and record.keys() <= _META_KEYS)


def _fast_record(record: dict[str, Any], kind: str, conv: JsonConverter, out: Parsed) -> None:
    """A record that is not a claim: sources, or the title and date."""
    assert out.sources is not None
    if "source" in record:
        out.sources.append(conv.source(record["source"]))
    elif "sources" in record:
        out.sources.extend(conv.items(record["sources"], conv.source))
    elif kind != "claims":
        raise Fallback
    else:
        for key, value in record.items():
            if getattr(out, key) is not None:
                raise Fallback
            setattr(out, key, conv.text(value))


# --- located path ----------------------------------------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_CONSTANTS = (("null", None), ("true", True), ("false", False),
              ("NaN", float("nan")), ("Infinity", float("inf")), ("-Infinity", float("-inf")))


class _LocatedParser:
    """JSON to LMap/LList/scalars with 1-based positions; iterative, so depth is bounded by Limits."""

    def __init__(self, text: str, file: str, limits: Limits, line: int = 1):
        self.text, self.file, self.limits, self.first_line = text, file, limits, line
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def mark(self, pos: int) -> tuple[int, int]:
        index = bisect_right(self.starts, pos) - 1
        return self.first_line + index, pos - self.starts[index] + 1

    def fail(self, pos: int, message: str) -> CredcheckError:
        return CredcheckError.single(Mark(self.file, *self.mark(pos)), "", message)

    def partial(self) -> Any:
        """After parse() failed: the document as far as it went, its top-level lists holding
        only the items completed before the failure (a claim cut short is left out)."""
        stack = self.stack
        if not stack:
            return None
        root = stack[0][0]
        if len(stack) > 1 and type(root) is LMap and stack[0][1] is not None and type(stack[1][0]) is LList:
            items = stack[1][0]
            root[stack[0][1]] = items
            root.marks[stack[0][1]] = (self.file, stack[0][2], stack[0][3], items.line, items.col)
        return root

    def parse(self) -> Any:
        text, limits, file = self.text, self.limits, self.file
        stack: list[list[Any]] = []  # [container, pending key, key line, key col]
        self.stack = stack  # for partial(), should parsing fail
        pos = _WS.match(text, 0).end()  # type: ignore[union-attr]
        while True:
            line, col = self.mark(pos)
            ch = text[pos:pos + 1]
            if ch in ("{", "["):
                if len(stack) >= limits.max_depth:
                    raise self.fail(pos, f"nesting deeper than {limits.max_depth} levels")
                node: Any = LMap() if ch == "{" else LList()
                node.file, node.line, node.col, node.size = file, line, col, 1
                node.marks = {} if ch == "{" else []
                pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
                if text[pos:pos + 1] == ("}" if ch == "{" else "]"):
                    value, pos = node, pos + 1
                else:
                    stack.append([node, None, 0, 0])
                    if ch == "{":
                        pos = self._key(stack[-1], pos)
                    continue
            else:
                value, pos = self._scalar(pos)
            while True:  # attach the finished value; close every container it finishes
                if not stack:
                    end = _WS.match(text, pos).end()  # type: ignore[union-attr]
                    if end != len(text):
                        raise self.fail(end, "JSON syntax error: extra data after the document")
                    return value
                frame = stack[-1]
                parent = frame[0]
                if type(parent) is LMap:
                    parent[frame[1]] = value
                    parent.marks[frame[1]] = (file, frame[2], frame[3], line, col)
                else:
                    parent.append(value)
                    parent.marks.append((file, line, col))
                    if len(parent) > limits.max_items:
                        raise self.fail(pos, f"more than {limits.max_items:,} items in one list")
                pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
                ch = text[pos:pos + 1]
                if ch == ",":
                    pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
                    if type(parent) is LMap:
                        pos = self._key(frame, pos)
                    break
                if ch != ("}" if type(parent) is LMap else "]"):
                    raise self.fail(pos, "JSON syntax error: expected ',' or a closing bracket")
                pos += 1
                stack.pop()
                value, line, col = parent, parent.line, parent.col

    def _key(self, frame: list[Any], pos: int) -> int:
        text = self.text
        if text[pos:pos + 1] != '"':
            raise self.fail(pos, "JSON syntax error: expected a key in double quotes")
        line, col = self.mark(pos)
        key, pos = self._string(pos)
        node = frame[0]
        if key in node:
            first = node.marks[key]
            raise CredcheckError.single(Mark(self.file, line, col), "", f"duplicate key '{key}' (first defined at line "
                                        f"{first[1]}); most JSON readers would silently keep only the last")
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        if text[pos:pos + 1] != ":":
            raise self.fail(pos, "JSON syntax error: expected ':' after a key")
        frame[1], frame[2], frame[3] = key, line, col
        return _WS.match(text, pos + 1).end()  # type: ignore[union-attr]

    def _string(self, pos: int) -> tuple[str, int]:
        try:
            value, end = scanstring(self.text, pos + 1, True)
        except json.JSONDecodeError as exc:
            raise self.fail(exc.pos, f"JSON syntax error: {exc.msg}") from None
        if len(value) > self.limits.max_string:
            raise self.fail(pos, f"string of {len(value):,} characters exceeds the limit of {self.limits.max_string:,}")
        if not value.isascii():
            lone = _LONE_SURROGATE.search(value)
            if lone is not None:
                raise self.fail(pos, f"the string escapes a lone surrogate (\\u{ord(lone.group(0)):04x}): half of a pair "
                                     "that writes one character beyond U+FFFF, not a character itself")
        return value, end

    def _scalar(self, pos: int) -> tuple[Any, int]:
        text = self.text
        if text[pos:pos + 1] == '"':
            return self._string(pos)
        number = _NUMBER.match(text, pos)
        if number and not text.startswith("-Infinity", pos):
            whole, frac, exp = number.groups()
            try:
                value: Any = float(whole + (frac or "") + (exp or "")) if frac or exp else int(whole)
            except ValueError:  # more digits than Python converts
                raise self.fail(pos, f"number of {len(whole):,} digits is too long") from None
            return value, number.end()
        for word, constant in _CONSTANTS:
            if text.startswith(word, pos):
                return constant, pos + len(word)
        raise self.fail(pos, "JSON syntax error: expected a value")


class StoppedReading(CredcheckError):
    """Reading a JSON document stopped at a problem; `partial` holds what was read before it
    (or None), so the claims completed there can still be checked and their problems reported."""

    def __init__(self, problems: list[Problem], partial: Any):
        super().__init__(problems)
        self.partial = partial


def _syntax_error(file: str, exc: json.JSONDecodeError, line_offset: int = 0) -> CredcheckError:
    return CredcheckError.single(Mark(file, exc.lineno + line_offset, exc.colno), "", f"JSON syntax error: {exc.msg}")


def load_located(data: bytes, file: str, fmt: str, kind: str, limits: Limits) -> Any:
    """The located tree of a JSON document, or of a JSON Lines file as if it were one claims document."""
    if len(data) > limits.max_file_bytes:
        raise CredcheckError.single(Mark(file, 1, 1), "", f"file of {len(data):,} bytes exceeds the limit of {limits.max_file_bytes:,}")
    text = decode_utf8(data, file)
    if fmt == "jsonl":
        return _located_lines(text, file, kind, limits)
    if not text.strip(" \t\r\n"):
        raise CredcheckError.single(Mark(file, 1, 1), "", "the file is empty: expected a JSON object")
    try:
        json.loads(text)  # its syntax errors read best; the located parser then only meets valid JSON
    except json.JSONDecodeError as exc:
        # What came before the error is still checked: parsed up to it, the claims completed there.
        before = _LocatedParser(text[:exc.pos], file, limits)
        try:
            partial = before.parse()
        except CredcheckError:
            partial = before.partial()
        problem = _syntax_error(file, exc).problems[0]
        raise StoppedReading([Problem(problem.mark, problem.path, problem.message + STOPPED)], partial) from None
    except (ValueError, RecursionError):
        pass  # over-long numbers, deep nesting: the located parser says where
    parser = _LocatedParser(text, file, limits)
    try:
        tree = parser.parse()
    except CredcheckError as exc:  # a duplicate key, a limit: what came before it is still checked
        raise StoppedReading(exc.problems, parser.partial()) from None
    if not isinstance(tree, LMap) and not (kind == "sources" and isinstance(tree, LList)):
        what = "a claims file" if kind == "claims" else "a sources file"
        raise CredcheckError.single(Mark(file, 1, 1), "", f"expected {what}: a JSON object, got {describe(tree)}")
    return tree


def _located_lines(text: str, file: str, kind: str, limits: Limits) -> LMap:
    problems = Problems()
    root, sources, claims = _new_map(file, 1, 1), _new_list(file, 1, 1), _new_list(file, 1, 1)
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip(" \t\r"):  # blank: JSON's own whitespace only
            continue
        try:
            json.loads(line)
        except json.JSONDecodeError as exc:
            problems.add(Mark(file, number, exc.colno), "", f"JSON syntax error: {exc.msg}")
            continue
        except (ValueError, RecursionError):
            pass
        try:
            record = _LocatedParser(line, file, limits, number).parse()
        except CredcheckError as exc:
            for problem in exc.problems:
                problems.add(problem.mark, problem.path, problem.message)
            continue
        _place(record, number, line, kind, root, sources, claims, problems)
    problems.raise_if_any()
    if not text.strip(" \t\r\n"):
        raise CredcheckError.single(Mark(file, 1, 1), "", "the file is empty: expected JSON Lines, one JSON object a line")
    root["sources"] = sources
    root.marks["sources"] = (file, 1, 1, 1, 1)
    if kind == "claims":
        root["claims"] = claims
        root.marks["claims"] = (file, 1, 1, 1, 1)
    return root


def _place(record: Any, number: int, line: str, kind: str, root: LMap, sources: LList, claims: LList,
           problems: Problems) -> None:
    """File one JSON Lines record under the sources, the claims, or the title and date."""
    file = root.file
    if not isinstance(record, LMap):
        col = len(line) - len(line.lstrip(" \t\r")) + 1
        problems.add(Mark(file, number, col), "", f"expected a JSON object: {RECORD_KINDS}; got {describe(record)}")
        return
    keys = set(record)
    if keys == {"source"}:
        _append(sources, record["source"], record.value_mark("source"))
    elif keys == {"sources"}:
        items = record["sources"]
        if not isinstance(items, LList):
            mark = record.value_mark("sources")
            problems.add(mark, "sources", f"expected a list of sources, got {describe(items)}")
            return
        for i, item in enumerate(items):
            _append(sources, item, items.item_mark(i))
    elif kind != "claims":
        problems.add(record.mark, "", 'a sources file holds only {"source": {...}} and {"sources": [...]} records')
    elif keys and keys <= _META_KEYS:
        for key in record:
            if key in root:
                first = root.marks[key]
                problems.add(record.key_mark(key), key, f"'{key}' is given twice (first at line {first[1]})")
                continue
            root[key] = record[key]
            root.marks[key] = record.marks[key]
    else:
        _append(claims, record, record.mark)


def _append(items: LList, value: Any, mark: Mark) -> None:
    items.append(value)
    items.marks.append((mark.file, mark.line, mark.col))


def _new_map(file: str, line: int, col: int) -> LMap:
    node = LMap()
    node.file, node.line, node.col, node.size, node.marks = file, line, col, 1, {}
    return node


def _new_list(file: str, line: int, col: int) -> LList:
    node = LList()
    node.file, node.line, node.col, node.size, node.marks = file, line, col, 1, []
    return node
