"""Claims and sources files: located YAML -> validated Claim/Source values.

Validation reports every problem at once. Claims are converted one by one as
the parser completes them, so a large file never holds its whole YAML tree.
Cross-references (report sources, `via`, `derived_from`) are checked at the
end, when every source is known.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from credcheck.errors import CredcheckError, Mark, Problem, Problems, did_you_mean
from credcheck.limits import exceeded, read_limited, read_stream
from credcheck.load.fast import (PROGRESS_EVERY, Fallback, Parsed, Progress, Vocabulary, check_references, detect_format,
                       paused_gc, read_fast)
from credcheck.model import ACCESS, STANCES, Claim, ClaimSet, Evidence, Pos, Report, Source
from credcheck.record import Record
from credcheck.load.schema import INVALID, Bool, Ctx, Enum, Field, Id, ListOf, Obj, Str, describe, value_mark
from credcheck.load.located_yaml import DEFAULT_LIMITS, LList, LMap, Limits, load_yaml

if TYPE_CHECKING:
    from credcheck.rubric.model import Rubric  # only its vocabularies are read

LETTERS = ("A", "B", "C", "D", "E", "F")


class Schemas(Record):
    """The claims-file schema for one rubric's vocabulary (source and evidence types)."""

    source: Obj
    report: Obj
    evidence: Obj
    claim: Obj
    claims_file: Obj
    sources_file: Obj


def schemas(source_types: Sequence[str] | None, evidence_types: Sequence[str] | None) -> Schemas:
    """None for a vocabulary accepts any word (the JSON Schema of rubric examples, whose rubric is unknown)."""
    source = Obj({
        "id": Field(Id(), required=True, doc="unique across all sources"),
        "name": Field(Str(), required=True, doc="who the source is, in words"),
        "type": Field(_vocabulary(source_types, "source type"), required=True, doc="a source type the rubric defines"),
        "reliability": Field(Enum(LETTERS, "reliability"), doc="analyst's A-F rating; overrides the type default"),
        "owner": Field(Id(), doc="sources with one owner are not independent of each other"),
        "derived_from": Field(ListOf(Id(), unique=True), default=list, doc="sources this one republishes"),
        "note": Field(Str(nonempty=False), doc="free text for the analyst"),
    }, what="source")
    report = Obj({
        "source": Field(Id(), required=True, doc="an id from sources"),
        "stance": Field(Enum(STANCES, "stance"), default="supports"),
        "access": Field(Enum(ACCESS, "access"), default="unknown"),
        "via": Field(ListOf(Id(), unique=True), default=list, doc="sources this report relays"),
        "note": Field(Str(nonempty=False), doc="free text for the analyst"),
    }, what="report")
    evidence = Obj({
        "type": Field(_vocabulary(evidence_types, "evidence type"), required=True, doc="an evidence type the rubric defines"),
        "verified": Field(Bool(), default=False),
        "note": Field(Str(nonempty=False), doc="what it is, who checked it"),
    }, what="evidence item")
    claim = Obj({
        "id": Field(Id(), required=True, doc="unique across claims"),
        "text": Field(Str(), required=True, doc="the assertion, in one sentence"),
        "tags": Field(ListOf(Str()), default=list),
        "reports": Field(ListOf(report), default=list, doc="who reports the claim"),
        "evidence": Field(ListOf(evidence), default=list, doc="what could verify it"),
        "judgment": Field(Str(), doc="the brief's wording of this claim as a key judgment, after 'It is likely that'"),
        "key": Field(Bool(), default=False, doc="a key judgment: the brief's bottom line holds it"),
        "draft": Field(Bool(), default=False, doc="written by `credcheck extract`; remove once an analyst has reviewed the claim"),
    }, what="claim")
    claims_file = Obj({
        "title": Field(Str(), doc="used in the brief heading"),
        "as_of": Field(Str(), doc="date of the assessment (YYYY-MM-DD)"),
        "sources": Field(ListOf(source), default=list),
        "claims": Field(ListOf(claim), required=True),
    }, what="claims file")
    sources_file = Obj({"sources": Field(ListOf(source), required=True)}, what="sources file")
    return Schemas(source, report, evidence, claim, claims_file, sources_file)


def _vocabulary(words: Sequence[str] | None, what: str) -> Enum | Str:
    return Str() if words is None else Enum(tuple(words), what)


def _pos(container: Any, key: Any) -> Pos | None:
    mark = value_mark(container, key)
    return (mark.file, mark.line, mark.col) if mark else None


def _item_ctx(item: Any, file: str, path: str, mark: Mark | None = None) -> Ctx:
    if isinstance(item, (LMap, LList)):
        return Ctx(item.mark, path)
    return Ctx(mark or (Mark(file, 1, 1) if file else None), path)


def _positions(raw: Any, key: str) -> tuple[Pos, ...]:
    items = raw.get(key) if isinstance(raw, dict) else None
    if isinstance(items, LList):
        return tuple((f, line, col) for f, line, col in items.marks)
    return ()


def convert_source(raw: Any, index: int, schema: Obj, problems: Problems, file: str, mark: Mark | None = None) -> Source | None:
    data = schema.check(raw, _item_ctx(raw, file, f"sources[{index}]", mark), problems)
    if data is INVALID or "id" not in data:
        return None
    # A field that failed validation is absent from `data` (its problem is already
    # recorded); keep the source anyway, so a typo in its type is one problem and
    # not also an "unknown source" at every report that names it.
    return Source(
        id=data["id"], name=data.get("name", data["id"]), type=data.get("type", "unknown"), reliability=data.get("reliability"),
        owner=data.get("owner"), derived_from=tuple(data.get("derived_from", ())),
        pos=_pos(raw, "id"), derived_pos=_positions(raw, "derived_from"),
    )


def convert_claim(raw: Any, index: int, s: Schemas, problems: Problems, file: str, mark: Mark | None = None) -> Claim | None:
    data = s.claim.check(raw, _item_ctx(raw, file, f"claims[{index}]", mark), problems)
    if data is INVALID:
        return None
    # A claim with a missing id or text is already a problem; keep it so its reports are checked too.
    data.setdefault("id", f"#{index}")
    data.setdefault("text", "")
    # As in convert_source: invalid fields are absent (already reported), so read with defaults.
    raw_reports = raw.get("reports") if isinstance(raw, dict) else None
    nodes = [r for r in raw_reports if isinstance(r, dict)] if isinstance(raw_reports, list) else []
    reports = []
    for i, rep in enumerate(data.get("reports", ())):
        # ListOf drops items that are not mappings, so the i-th result is the i-th mapping
        node = nodes[i] if i < len(nodes) else None
        if "source" not in rep:
            continue
        reports.append(Report(
            source=rep["source"], stance=rep.get("stance", "supports"), access=rep.get("access", "unknown"),
            via=tuple(rep.get("via", ())), pos=_pos(node, "source"), via_pos=_positions(node, "via"),
        ))
    evidence = tuple(Evidence(e["type"], e.get("verified", False), e.get("note"))
                     for e in data.get("evidence", ()) if "type" in e)
    return Claim(data["id"], data["text"], tuple(data.get("tags", ())), tuple(reports), evidence, pos=_pos(raw, "id"),
                 judgment=data.get("judgment"), key=data.get("key", False), draft=data.get("draft", False))


def _mark(pos: Pos | None) -> Mark | None:
    return Mark(*pos) if pos else None


class _Reader:
    """Reads one file, converting list items as they complete."""

    def __init__(self, s: Schemas, problems: Problems, limits: Limits, progress: Progress | None = None):
        self.s = s
        self.problems = problems
        self.limits = limits
        self.reports = 0
        self.progress = progress

    def read(self, data: bytes, file: str, kind: str, fmt: str = "yaml") -> tuple[Any, list[Source], list[Claim]]:
        if fmt != "yaml":
            from credcheck.load.json_input import load_located
            return self.read_tree(load_located(data, file, fmt, kind, self.limits), file, kind)
        sources: list[Source] = []
        claims: list[Claim] = []
        lines = data.count(b"\n") + 1 if self.progress is not None else 1
        hooks = self._hooks(file, kind, sources, claims, lines)
        tree = load_yaml(data, file, self.limits, hooks)
        return self._finish(tree, file, kind, hooks, sources, claims)

    def read_tree(self, tree: Any, file: str, kind: str) -> tuple[Any, list[Source], list[Claim]]:
        """As read, for a located tree loaded whole (JSON; a reference loader in the tests)."""
        sources: list[Source] = []
        claims: list[Claim] = []
        hooks = self._hooks(file, kind, sources, claims, 0)  # read already: progress is all reading
        _apply_hooks(tree, hooks)
        return self._finish(tree, file, kind, hooks, sources, claims)

    def _hooks(self, file: str, kind: str, sources: list[Source], claims: list[Claim],
               lines: int) -> dict[str, Callable[[Any, int, Mark], Any]]:
        problems, s = self.problems, self.s

        def on_source(raw: Any, index: int, mark: Mark | None = None) -> None:
            src = convert_source(raw, index, s.source, problems, file, mark)
            if src is not None:
                sources.append(src)

        def on_claim(raw: Any, index: int, mark: Mark | None = None) -> None:
            if index >= self.limits.max_claims:
                raise exceeded("claims", f"more than {self.limits.max_claims:,} claims", self.limits.max_claims, mark)
            claim = convert_claim(raw, index, s, problems, file, mark)
            if claim is not None:
                claims.append(claim)
                self.reports += len(claim.reports)
                if self.reports > self.limits.max_reports:
                    raise exceeded("reports", f"more than {self.limits.max_reports:,} reports", self.limits.max_reports, mark)
            if self.progress is not None and index % PROGRESS_EVERY == 0 and mark is not None:
                self.progress(index, min(1.0, mark.line / lines) if lines else 1.0)

        hooks: dict[str, Callable[[Any, int, Mark], Any]] = {"sources": on_source}
        if kind == "claims":
            hooks["claims"] = on_claim
        return hooks

    def _finish(self, tree: Any, file: str, kind: str, hooks: dict[str, Callable[[Any, int, Mark], Any]],
                sources: list[Source], claims: list[Claim]) -> tuple[Any, list[Source], list[Claim]]:
        if kind == "sources" and isinstance(tree, LList):  # a bare list of sources is fine too
            for i, raw in enumerate(tree):
                hooks["sources"](raw, i, tree.item_mark(i))
            return tree, sources, claims
        self._check_top(tree, file, kind)
        return tree, sources, claims

    def _check_top(self, tree: Any, file: str, kind: str) -> None:
        schema = self.s.claims_file if kind == "claims" else self.s.sources_file
        if not isinstance(tree, LMap):
            self.problems.add(Mark(file, 1, 1), "", f"expected a {schema.what} (a YAML mapping with {', '.join(schema.fields)})")
            return
        top = Obj({k: (Field(_Checked(), f.required) if k in ("sources", "claims") else f)
                   for k, f in schema.fields.items()}, what=schema.what)
        top.check(tree, Ctx(Mark(file, 1, 1), ""), self.problems)


def _apply_hooks(tree: Any, hooks: dict[str, Callable[[Any, int, Mark], Any]]) -> None:
    """What load_yaml's item hooks do while parsing (in file order), for a tree read whole."""
    if not isinstance(tree, LMap):
        return
    for key, items in tree.items():
        hook = hooks.get(key)
        if hook is not None and isinstance(items, LList):
            for i, raw in enumerate(items):
                hook(raw, i, items.item_mark(i))


class _Checked(ListOf):
    """The lists whose items the reader has already converted: only the list itself is checked."""

    def check(self, value: Any, ctx: Ctx, problems: Problems) -> Any:
        if value is not None and not isinstance(value, list):
            problems.add(ctx.mark, ctx.path, f"expected a list, got {describe(value)}")
        return value


def read_input(path: str | Path, max_bytes: int = DEFAULT_LIMITS.max_file_bytes, what: str = "a claims file") -> tuple[bytes, str]:
    """Bytes of a file, or of standard input for '-'; never more than `max_bytes` are read."""
    if str(path) == "-":
        import sys
        return read_stream(sys.stdin.buffer, max_bytes, "file-size", "<stdin>"), "<stdin>"
    try:
        return read_limited(path, max_bytes, "file-size", what), str(path)
    except FileNotFoundError:
        raise CredcheckError.single(None, "", f"{path}: no such file") from None
    except IsADirectoryError:
        raise CredcheckError.single(None, "", f"{path}: is a folder, not {what}") from None
    except OSError as exc:
        raise CredcheckError.single(None, "", f"{path}: cannot read: {exc.strerror}") from None


def load_claims(
    path: str | Path,
    rubric: Rubric,
    sources: Iterable[str | Path] = (),
    *,
    data: bytes | None = None,
    limits: Limits = DEFAULT_LIMITS,
    input_format: str | None = None,
    progress: Progress | None = None,
) -> ClaimSet:
    """Read and validate a claims file (and any sources files) against a rubric's vocabulary.

    `input_format` is yaml, json or jsonl (default: by the file's extension; YAML
    for standard input); sources files go by their own extensions. `progress`, if
    given, is called now and then with (claims read, fraction of the file read).
    Raises CredcheckError listing every problem found, each with file, line and column.
    """
    if data is None:
        data, name = read_input(path, limits.max_file_bytes)
    else:
        name = str(path)
    fmt = detect_format("-" if str(path) == "-" else name, input_format)
    extras, read_error = read_sources_files(sources, limits)
    with paused_gc():  # millions of small acyclic objects: collections would only cost time
        main: Parsed | None = None
        if read_error is None:
            try:
                main, table = _read_fast(data, name, fmt, extras, rubric, limits, progress)
            except Fallback:  # something unusual, maybe wrong: the located checker decides and reports
                pass
        if main is None:
            main, table = _read_located(data, name, fmt, extras, read_error, rubric, limits, progress)
    assert main.claims is not None
    return claim_set(main.claims, table, main.title, main.as_of, (data, name), extras)


def claim_set(claims: Sequence[Claim], table: dict[str, Source], title: Any, as_of: Any,
              main: tuple[bytes, str], extras: list[tuple[bytes, str]]) -> ClaimSet:
    """The ClaimSet of checked claims and sources, naming its files (the claims file, then
    the sources files) and the digest of their bytes."""
    digest = hashlib.sha256(main[0])
    for extra_data, _ in extras:
        digest.update(extra_data)
    files = (main[1], *(extra_name for _, extra_name in extras))
    return ClaimSet(tuple(claims), table, _text(title), _text(as_of), files, digest.hexdigest())


def read_sources_files(paths: Iterable[str | Path], limits: Limits) -> tuple[list[tuple[bytes, str]], CredcheckError | None]:
    """The sources files, in order, up to the first one that cannot be read."""
    out: list[tuple[bytes, str]] = []
    for extra in paths:
        try:
            out.append(read_input(extra, limits.max_file_bytes, "a sources file"))
        except CredcheckError as exc:
            return out, exc
    return out, None


def _read_fast(data: bytes, name: str, fmt: str, extras: list[tuple[bytes, str]], rubric: Rubric,
               limits: Limits, progress: Progress | None) -> tuple[Parsed, dict[str, Source]]:
    vocab = Vocabulary.of(rubric.source_types, rubric.evidence_types)
    extra_sources = read_sources_fast(extras, vocab, limits)
    main = read_fast(data, name, fmt, "claims", vocab, limits, progress)
    assert main.sources is not None and main.claims is not None
    return main, check_references(main.sources + extra_sources, main.claims)


def read_sources_fast(extras: list[tuple[bytes, str]], vocab: Vocabulary, limits: Limits) -> list[Source]:
    """The sources of the sources files, in order, on the fast path (Fallback on anything unusual)."""
    found: list[Source] = []
    for extra_data, extra_name in extras:
        found.extend(read_fast(extra_data, extra_name, detect_format(extra_name), "sources", vocab, limits).sources or ())
    return found


def _read_located(data: bytes, name: str, fmt: str, extras: list[tuple[bytes, str]], read_error: CredcheckError | None,
                  rubric: Rubric, limits: Limits, progress: Progress | None) -> tuple[Parsed, dict[str, Source]]:
    s = schemas(rubric.source_types, rubric.evidence_types)
    problems = Problems()
    reader = _Reader(s, problems, limits, progress)
    all_sources: list[Source] = []
    for extra_data, extra_name in extras:
        _, found, _ = reader.read(extra_data, extra_name, "sources", detect_format(extra_name))
        all_sources.extend(found)
    if read_error is not None:
        raise read_error
    tree, found, claims = reader.read(data, name, "claims", fmt)
    all_sources = found + all_sources
    table = check_sources(all_sources, problems)
    check_claims(claims, table, problems)
    problems.raise_if_any()
    title = tree.get("title") if isinstance(tree, dict) else None
    as_of = tree.get("as_of") if isinstance(tree, dict) else None
    return Parsed(title, as_of, all_sources, claims), table


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def check_sources(sources: list[Source], problems: Problems) -> dict[str, Source]:
    table: dict[str, Source] = {}
    for src in sources:
        if src.id in table:
            first = table[src.id].pos
            problems.add(_mark(src.pos), "sources.id", f"duplicate source id '{src.id}' (first defined at {_where(first)})")
            continue
        table[src.id] = src
    for src in table.values():
        parents = src.derived_from
        if not parents or src.id not in parents and table.keys() >= set(parents):
            continue  # the common case, checked in C: a source republishing thousands costs no Python loop
        for parent, pos in zip(parents, src.derived_pos or (src.pos,) * len(parents)):
            if parent not in table:
                problems.add(_mark(pos), f"sources[{src.id}].derived_from", f"unknown source '{parent}'{did_you_mean(parent, table)}")
            elif parent == src.id:
                problems.add(_mark(pos), f"sources[{src.id}].derived_from", "a source cannot derive from itself")
    for cycle in find_cycles(table):
        first = table[cycle[0]]
        problems.add(_mark(first.derived_pos[0] if first.derived_pos else first.pos), f"sources[{first.id}].derived_from",
                     f"derived_from cycle: {' -> '.join(cycle + [cycle[0]])}; a source cannot (indirectly) republish itself")
    return table


def find_cycles(table: dict[str, Source]) -> list[list[str]]:
    """Each derived_from cycle once, found by an iterative depth-first search."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    cycles: list[list[str]] = []
    for start in table:
        if state.get(start):
            continue
        # (node, its known parents, next parent to visit): parents listed once per node,
        # not once per visit, or a source with 30,000 parents costs 30,000 squared steps
        stack: list[tuple[str, list[str], int]] = [(start, _parents(table, start, state), 0)]
        path: list[str] = [start]
        state[start] = 1
        while stack:
            node, parents, i = stack[-1]
            if i >= len(parents):
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            stack[-1] = (node, parents, i + 1)
            nxt = parents[i]
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):])
            elif not state.get(nxt):
                state[nxt] = 1
                stack.append((nxt, _parents(table, nxt, state), 0))
                path.append(nxt)
    return cycles


def _parents(table: dict[str, Source], node: str, state: dict[str, int] | None = None) -> list[str]:
    """The parents of `node` still worth visiting: known, not itself, not already done (in one
    comprehension: 3,000 sources each republishing the same 3,000 stepped through 9 million)."""
    if state is None:
        return [p for p in table[node].derived_from if p in table and p != node]
    return [p for p in table[node].derived_from if state.get(p) != 2 and p != node and p in table]


def check_claims(claims: Sequence[Claim], sources: dict[str, Source], problems: Problems) -> None:
    seen: dict[str, Pos | None] = {}
    for ci, claim in enumerate(claims):
        if claim.id in seen:
            problems.add(_mark(claim.pos), f"claims[{ci}].id", f"duplicate claim id '{claim.id}' (first defined at {_where(seen[claim.id])})")
        else:
            seen[claim.id] = claim.pos
        for ri, report in enumerate(claim.reports):
            if report.source in sources and (not report.via or _via_fine(report, sources)):
                continue  # the common case: no path to write for a report with nothing wrong
            path = f"claims[{ci}].reports[{ri}]"
            if report.source not in sources:
                problems.add(_mark(report.pos), f"{path}.source", f"unknown source '{report.source}'{did_you_mean(report.source, sources)}")
            for vi, via in enumerate(report.via):
                pos = report.via_pos[vi] if vi < len(report.via_pos) else report.pos
                if via not in sources:
                    problems.add(_mark(pos), f"{path}.via[{vi}]", f"unknown source '{via}'{did_you_mean(via, sources)}")
                elif via == report.source:
                    problems.add(_mark(pos), f"{path}.via[{vi}]", f"a report cannot relay its own source '{via}' (a via cycle)")


def _via_fine(report: Report, sources: dict[str, Source]) -> bool:
    """Every source a report relays is known, and none is the report's own."""
    return all(via in sources and via != report.source for via in report.via)


def _where(pos: Pos | None) -> str:
    return f"{pos[0]}:{pos[1]}:{pos[2]}" if pos else "another file"


# --- where a claim or source of a JSON file is, when a later step needs to say so ---------------
#
# The JSON readers keep no positions (the C decoder gives none), so a problem the engine
# finds after loading (a claim too tangled to match, a republication graph too tangled to
# trace) names the claim or source by id only. Then, and only then, the file is read again
# and the id looked for, so the message still reads FILE:LINE:COL.

_PROBLEM_ID = re.compile(r"^(claims|sources)\[(.+?)\]")


def locate_problems(error: CredcheckError, claims: ClaimSet) -> CredcheckError:
    """`error` with each unplaced problem about `claims[ID]` or `sources[ID]` placed in its file."""
    if all(p.mark is not None for p in error.problems):
        return error
    placed = []
    for problem in error.problems:
        found = _PROBLEM_ID.match(problem.path) if problem.mark is None else None
        mark = _find_id(claims.files, found.group(1), found.group(2)) if found else None
        if mark is None and problem.mark is None and claims.files:
            mark = Mark(claims.files[0], 1, 1) if found else None
        placed.append(Problem(mark or problem.mark, problem.path, problem.message))
    return CredcheckError(placed)


def _find_id(files: Sequence[str], kind: str, item_id: str) -> Mark | None:
    """Where the claim (kind "claims") or source with this id is in a JSON or JSON Lines file."""
    import json
    spellings = {json.dumps(item_id, ensure_ascii=False), json.dumps(item_id)}
    pattern = re.compile(r'"id"[ \t\r\n]*:[ \t\r\n]*(?:' + "|".join(map(re.escape, spellings)) + ")")
    for file in files[:1] if kind == "claims" else files:
        fmt = detect_format(file)
        if file == "<stdin>" or fmt == "yaml":  # YAML readers keep positions; standard input is gone
            continue
        try:
            text = read_limited(file, DEFAULT_LIMITS.max_file_bytes, "file-size", "a claims file").decode("utf-8", "replace")
        except (OSError, CredcheckError):
            continue
        for match in pattern.finditer(text):
            line_start = text.rfind("\n", 0, match.start()) + 1
            if fmt == "jsonl":  # a record of its own line: {"source": {...}} or {"sources": [...]} hold sources
                in_source = text[line_start:match.start()].lstrip().startswith(('{"source"', '{"sources"'))
            else:
                in_source = _inside_sources(text, match.start())
            if in_source == (kind == "sources"):
                return Mark(file, text.count("\n", 0, match.start()) + 1, match.start() - line_start + 1)
    return None


def _inside_sources(text: str, at: int) -> bool:
    """In a JSON document: whether `at` lies in the top-level sources list (after its key, before the claims key
    when the sources come first), as far as a plain search can tell."""
    sources = text.rfind('"sources"', 0, at)
    claims = text.rfind('"claims"', 0, at)
    return sources > claims
