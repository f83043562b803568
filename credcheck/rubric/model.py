"""Rubrics: YAML files teams edit, resolved through `extends`, validated, then frozen.

A rubric holds a prior and criteria (tables of decibans: the weight of
evidence each line of reporting, evidence item or wording signal adds), the
thresholds of confidence, rules that cap or set the credibility grade, and
bands from probability to credibility. See rubrics/README.md for the format.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Mapping

from credcheck.rubric import confine
from credcheck.rubric.search import search_path
from credcheck.rubric.conditions import FACTS, Condition, parse_condition
from credcheck.rubric.confine import RubricFolders
from credcheck.rubric.copies import SCHEMA as COPIES, CopyRules
from credcheck.rubric import reliability
from credcheck.rubric.criteria import REGISTRY, REQUIRED, included_files
from credcheck.errors import CredcheckError, Mark, Problem, Problems, did_you_mean, one_of, reading
from credcheck.model import ACCESS, LETTERS
from credcheck.record import Record, field, replace
from credcheck.load.schema import INVALID, Any_, Bool, Ctx, Field, ListOf, Num, Obj, Str, join_path, value_mark
from credcheck.limits import RUBRIC_LIMITS, Limits, NotRegular, exists, is_file, read_limited
from credcheck.load.fast import Fallback
from credcheck.load.located_yaml import LList, LMap, load_yaml
from credcheck.load.plain_yaml import read_plain

RULE = Obj({
    "id": Field(Str(), required=True, doc="a short name, unique in the rubric; a rubric that extends this one replaces a rule by its id"),
    "when": Field(Any_(json={"type": "object"}), required=True, doc="the condition (see rubrics/README.md)"),
    "cap": Field(Num(1, 6, integer=True), doc="credibility at best this code (1 best, 6 worst)"),
    "set": Field(Num(1, 6, integer=True), doc="credibility exactly this code"),
    "flag": Field(Str(), doc="a flag to raise when the rule fires"),
    "reason": Field(Str(), required=True, doc="why, in words an analyst would use"),
    "enabled": Field(Bool(), default=True, doc="false switches off an inherited rule"),
}, what="rule")

BAND_CREDIBILITY = Obj({
    "code": Field(Num(1, 5, integer=True), required=True),
    "min": Field(Num(0, 100), required=True),
    "max": Field(Num(0, 100), required=True),
}, what="credibility band")
BANDS = Obj({
    "credibility": Field(ListOf(BAND_CREDIBILITY), required=True,
                         doc="probability ranges, in percent (the score) -> credibility 1-5"),
}, what="bands", removed={
    "likelihood": "removed: the likelihood term is now the ICD 203 term whose range holds the claim's "
                  "probability (CONTRACT.md section 3); delete `bands.likelihood`",
})

LEVEL = Obj({
    "lines": Field(Num(0, integer=True), required=True,
                   doc="at least this many independent lines, supporting or refuting, and verified evidence types"),
    "kinds": Field(Num(0, integer=True), default=1,
                   doc="of at least this many kinds (source types; verified evidence is a kind of its own)"),
    "decibans": Field(Num(0), required=True,
                      doc="weighing at least this much together: each line's decibans, whatever its direction, "
                          "and verified evidence's"),
}, what="confidence level")

CONFIDENCE = Obj({
    "moderate": Field(LEVEL, required=True, doc="what moderate confidence needs (less is low)"),
    "high": Field(LEVEL, required=True, doc="what high confidence needs"),
}, what="confidence thresholds")

_NO_WEIGHT = ("removed: criteria are no longer averaged; each line of reporting, evidence item and wording "
              "signal adds its own weight of evidence in decibans (see rubrics/README.md); delete `weight`")


def _criteria_schema() -> Obj:
    def with_switch(cid: str, config: Obj) -> Obj:
        fields = {}
        if cid not in REQUIRED:
            fields["enabled"] = Field(Bool(), default=True, doc="false switches an inherited optional criterion off")
        fields.update(config.fields)
        return Obj(fields, what=config.what, doc=config.doc, removed={"weight": _NO_WEIGHT, **config.removed})

    return Obj({cid: Field(with_switch(cid, mod.CONFIG), doc=(mod.__doc__ or "").strip().splitlines()[0])
                for cid, mod in REGISTRY.items()}, what="criteria")


class _Examples(Any_):
    """Taken as is when a rubric loads; `credcheck rubric test` checks it against the resolved vocabulary."""

    def json_schema(self) -> dict[str, Any]:
        from credcheck.rubric.example_schema import examples_schema  # here: only `credcheck schema` asks (0.7 ms of start-up)
        return examples_schema().json_schema()


RUBRIC = Obj({
    "name": Field(Str(), doc="the rubric's name (default: the file name)"),
    "version": Field(Str(), doc="the rubric's version; quote it ('1.0')"),
    "description": Field(Str(), doc="one line on what this rubric is for"),
    "extends": Field(Str(), doc="a rubric name or path to inherit from"),
    "prior": Field(Num(-30, 30), default=0, doc="decibans before any report is weighed (0: even odds)"),
    "scale": Field(Num(0.05, 20), default=1, doc="every weight of evidence is multiplied by this before it is added to "
                                                 "the prior (1: as the tables say; `calibrate --fit` fits it)"),
    "criteria": Field(_criteria_schema(), required=True),
    "confidence": Field(CONFIDENCE, required=True, doc="what moderate and high confidence need"),
    "rules": Field(ListOf(RULE), default=list),
    "bands": Field(BANDS, required=True),
    "copies": Field(COPIES, doc="copies credcheck infers from excerpts, addresses and dates; defaults when left out"),
    "examples": Field(_Examples(), default=list, doc="claims with the grade they must get (credcheck rubric test)"),
}, what="rubric")


class Band(Record):
    low: float
    high: float
    value: Any  # a credibility code


class Rule(Record):
    id: str
    when: Condition
    effect: str  # "cap" or "set"
    credibility: int
    reason: str
    flag: str | None = None


class Rubric(Record):
    name: str
    version: str
    description: str
    criteria: dict[str, dict[str, Any]]  # criterion id -> config
    rules: tuple[Rule, ...]
    credibility_bands: tuple[Band, ...]  # over the score: the probability in percent
    sha256: str
    files: tuple[str, ...]  # the rubric and the rubrics it extends, the rubric itself last
    examples: Any = ()  # the raw examples block; () when loaded with examples=False
    resolved: Any = field(default=None, repr=False, compare=False)  # the merged tree, for `rubric show`
    prior: float = 0.0  # decibans before any report is weighed
    scale: float = 1.0  # what every weight of evidence is multiplied by (fitted to outcomes by calibrate --fit)
    confidence: dict[str, dict[str, float]] = field(default_factory=dict)  # level -> {lines, kinds, decibans}
    copies: CopyRules = field(default_factory=CopyRules)  # the `copies` section, defaults filled in

    @property
    def source_types(self) -> tuple[str, ...]:
        return tuple(self.criteria["source"]["types"])

    @property
    def evidence_types(self) -> tuple[str, ...]:
        return tuple(self.criteria["verifiability"]["decibans"])

    @property
    def all_files(self) -> tuple[str, ...]:
        """Every file this rubric was read from: itself, what it extends, and what its criteria read (the lexicon)."""
        return self.files + tuple(file for file, _ in included_files(self.criteria))


def band_for(bands: tuple[Band, ...], score: float) -> Band:
    """The band holding `score`: above its `min`, up to and including its `max`.

    `bands` run from the highest down; the lowest band also holds its own `min` (0).
    """
    for band in bands:
        if score > band.low:
            return band
    return bands[-1]


# --- loading -------------------------------------------------------------------

def find_rubric(spec: str, search: tuple[Path, ...] = (), skip: Path | None = None,
                searched: tuple[Path, ...] | None = None) -> Path:
    """A path as given, else NAME.yaml in `search` folders, then where rubric names are looked up
    (rubric/search.py: rubrics/ here and up to the repository root, CREDCHECK_RUBRIC_PATH, built-ins;
    `searched`: those folders, when the caller has them already)."""
    candidate = Path(spec)
    if candidate.suffix in (".yaml", ".yml") or "/" in spec or "\\" in spec:
        if is_file(candidate, spec, "rubric file") or exists(candidate):  # read_limited refuses what is not a file
            return candidate
        raise CredcheckError.single(None, "", f"rubric file '{spec}' not found")
    skipped = skip.resolve() if skip is not None else None
    for folder in (*search, *(search_path() if searched is None else searched)):
        path = folder / f"{spec}.yaml"
        if is_file(path, spec, "rubric") and (skipped is None or path.resolve() != skipped):
            return path
    names = available_rubric_names(search)
    raise CredcheckError.single(None, "", f"unknown rubric '{spec}'{did_you_mean(spec, names)}; available: {one_of(names)} "
                                "(where each is found: credcheck rubrics)")


def _by_name(spec: str | Path) -> bool:
    """A rubric named by NAME (looked up in the rubric folders), not given as a path."""
    text = str(spec)
    return not isinstance(spec, Path) and Path(text).suffix not in (".yaml", ".yml") and "/" not in text and "\\" not in text


def available_rubric_names(search: tuple[Path, ...] = ()) -> list[str]:
    names: dict[str, None] = {}
    for folder in (*search, *search_path()):
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")):
                names.setdefault(path.stem, None)
    return list(names)


def load_rubric(spec: str | Path = "default", search: tuple[Path, ...] = (), limits: Limits = RUBRIC_LIMITS,
                examples: bool = True) -> Rubric:
    """Load, resolve `extends`, validate (every problem at once) and freeze a rubric.

    With `examples=False` (scoring), the examples block is parsed but not built:
    it is half of the default rubric, and only `credcheck rubric test` reads it.
    Scoring needs no position in a valid rubric either, so a rubric that extends
    none is first read without them (`_read_plain`); at anything off it is read
    again with them, and that read alone reports problems.
    """
    searched = search_path()  # once: walking up to the repository root costs 0.15-0.25 ms
    path = spec if isinstance(spec, Path) else find_rubric(spec, search, searched=searched)
    folders = RubricFolders.around(path, search, limits, searched)
    if _by_name(spec):  # found by credcheck, not named by the user: it must lie in the rubric folders too
        folders.admit(path, str(spec), "rubric", None, "")
    skip = frozenset() if examples else frozenset({"examples"})
    digest = hashlib.sha256()  # over the bytes parsed, in chain order (root ancestor first)
    rubric = None if examples else _read_plain(path, folders, skip, digest)
    if rubric is None:
        digest = hashlib.sha256()
        with confine.loading(folders):
            chain = _read_chain(path, search, folders, digest, skip)
            merged = chain[0][1]
            for _, tree in chain[1:]:
                merged = _merge(merged, tree)
            with reading(str(path)):
                rubric = build_rubric(merged, path, tuple(p for p, _ in chain), digest.hexdigest())
    extra = included_files(rubric.criteria)  # e.g. the language lexicon: it changes scores, so the digest covers it
    for _, file_digest in extra:
        digest.update(bytes.fromhex(file_digest))
    return replace(rubric, sha256=digest.hexdigest()) if extra else rubric


def _read_plain(path: Path, folders: RubricFolders, skip: frozenset[str], digest: Any) -> Rubric | None:
    """The rubric at `path` read and checked without positions (load/plain_yaml.py), its lexicon too;
    None at anything off: a problem, something the plain reader gives up on, or an `extends`
    (a value an ancestor gives is looked up from the ancestor's folder, which only positions tell)."""
    file = str(path)
    try:
        data = read_limited(path, folders.limits.max_file_bytes, "rubric-size", "a rubric")
        tree = read_plain(data, folders.limits, skip)
    except (Fallback, OSError, CredcheckError):
        return None
    if "extends" in tree:
        return None
    digest.update(data)
    try:
        with confine.loading(replace(folders, positions=False)), reading(file):
            return build_rubric(tree, path, (file,), digest.hexdigest())
    except CredcheckError:
        return None


def _read_chain(path: Path, search: tuple[Path, ...], folders: RubricFolders, digest: Any,
                skip: frozenset[str] = frozenset()) -> list[tuple[str, LMap]]:
    """[(file, tree)] from the root ancestor down to `path`; `digest` is fed the same bytes, root first.

    Every rubric `extends` names must lie in the rubric folders (confine.py)."""
    limits = folders.limits
    chain: list[tuple[str, LMap]] = []
    datas: list[bytes] = []
    seen: list[str] = []
    current: Path | None = path
    extends_mark: Mark | None = None  # where the rubric that led to `current` names it
    while current is not None:
        key = str(current.resolve())
        if key in seen:
            cycle = " -> ".join(Path(s).name for s in seen + [key])
            raise CredcheckError.single(extends_mark, "extends", f"rubric 'extends' cycle: {cycle}")
        seen.append(key)
        file = str(current)
        try:
            data = read_limited(current, limits.max_file_bytes, "rubric-size", "a rubric")
        except NotRegular as exc:  # said where the rubric that led here names it
            raise CredcheckError.single(extends_mark, "extends" if extends_mark else "", exc.problems[0].message) from None
        except OSError as exc:
            raise CredcheckError.single(extends_mark, "extends" if extends_mark else "",
                                        f"cannot read rubric {file}: {exc.strerror}") from None
        with reading(file):
            tree = load_yaml(data, file, limits, skip=skip)
        if not isinstance(tree, LMap):
            raise CredcheckError.single(Mark(file, 1, 1), "", "a rubric must be a YAML mapping")
        chain.insert(0, (file, tree))
        datas.insert(0, data)
        parent = tree.get("extends")
        if parent is None:
            current = None
        elif not isinstance(parent, str):
            raise CredcheckError.single(tree.value_mark("extends"), "extends", "expected a rubric name or path")
        else:
            extends_mark = tree.value_mark("extends")
            current = folders.admit(_find_parent(parent, current, search, extends_mark), parent, "rubric", extends_mark,
                                    "extends")
    for data in datas:
        digest.update(data)
    return chain


def _find_parent(spec: str, child: Path, search: tuple[Path, ...], mark: Mark) -> Path:
    relative = child.parent / spec

    def found(path: Path) -> bool:
        return is_file(path, spec, "rubric", mark, "extends")

    # Only YAML files: a rubric from another team must not make credcheck parse (and
    # quote in its errors) a key file or an .env that happens to sit nearby.
    if relative.suffix in (".yaml", ".yml") and (found(relative) or exists(relative)):
        return relative
    if ("/" in spec or "\\" in spec) and relative.suffix not in (".yaml", ".yml"):
        raise CredcheckError.single(mark, "extends", f"'{spec}' is not a rubric: extends takes a rubric name or a .yaml file")
    sibling = child.parent / f"{spec}.yaml"
    if found(sibling) and sibling.resolve() != child.resolve():
        return sibling
    try:
        # A rubric may extend the one its own name shadows (a desk's `default` that
        # extends the bundled `default`): the search goes on past the rubric itself.
        return find_rubric(spec, search, skip=child)
    except CredcheckError as exc:
        raise CredcheckError.single(mark, "extends", exc.problems[0].message) from None


def _merge(base: Any, override: Any) -> Any:
    """Deep merge for `extends`: mappings merge, rules merge by id, other values replace."""
    if not (isinstance(base, LMap) and isinstance(override, LMap)):
        return override
    out = LMap()
    out.file, out.line, out.col, out.size = override.file, override.line, override.col, 0
    out.marks = dict(base.marks)
    for key, value in base.items():
        if key not in ("examples", "name", "version", "description", "extends"):
            out[key] = value
    for key, value in override.items():
        if value is None and key in out:
            continue  # a key left empty (`rules:` with every rule commented out) inherits, it does not erase
        if key == "rules" and isinstance(value, list) and isinstance(base.get("rules"), list):
            out[key] = _merge_rules(base["rules"], value)
        elif key == "bands" or key not in out:
            out[key] = value
        else:
            out[key] = _merge(out[key], value)
        out.marks[key] = override.marks[key]
    return out


def _merge_rules(base: LList, override: LList) -> LList:
    def rule_id(rule: Any) -> Any:
        return rule.get("id") if isinstance(rule, dict) else None

    replaced = {rule_id(r): (r, m) for r, m in zip(override, override.marks) if rule_id(r) is not None}
    out = LList()
    out.file, out.line, out.col, out.size = override.file, override.line, override.col, 0
    out.marks = []
    used = set()
    for rule, mark in zip(base, base.marks):
        rid = rule_id(rule)
        if rid in replaced:
            rule, mark = _merge_rule(rule, replaced[rid][0]), replaced[rid][1]
            used.add(rid)
        out.append(rule)
        out.marks.append(mark)
    for rule, mark in zip(override, override.marks):
        if rule_id(rule) not in used:
            out.append(rule)
            out.marks.append(mark)
    return out


def _merge_rule(base: Any, override: Any) -> Any:
    """An inherited rule with the fields the override gives replaced (`when` as a whole).

    So `{id: x, enabled: false}` switches a rule off and `{id: x, cap: 4}` changes
    only its grade. Giving `cap` drops an inherited `set`, and the other way round.
    """
    if not (isinstance(base, LMap) and isinstance(override, LMap)):
        return override
    out = LMap()
    out.file, out.line, out.col, out.size = override.file, override.line, override.col, 0
    out.marks = {}
    dropped = {"cap": "set", "set": "cap"}
    skip = {dropped[e] for e in dropped if e in override}
    for key, value in base.items():
        if key not in skip and key not in override:
            out[key] = value
            out.marks[key] = base.marks[key]
    for key, value in override.items():
        out[key] = value
        out.marks[key] = override.marks[key]
    return out


def build_rubric(tree: Any, path: Path, files: tuple[str, ...], sha256: str) -> Rubric:
    problems = Problems()
    root = Ctx(Mark(str(path), 1, 1), "")
    data = RUBRIC.check(tree, root, problems)
    if data is INVALID:
        problems.raise_if_any()
    criteria = {cid: conf for cid, conf in data.get("criteria", {}).items()
                if conf is not None and conf.pop("enabled", True)}
    _check_criteria(criteria, tree, root, problems)
    facts = dict(FACTS)
    facts.update({f"{cid}_score": ("number", f"the {cid} criterion's score") for cid in criteria})
    rules = _build_rules(data.get("rules", []), tree, problems, facts)
    bands = data.get("bands") or {}
    cred = _build_bands(bands.get("credibility", []), "code", tree, problems, "credibility")
    if cred:
        _require_all(sorted(b.value for b in cred), [1, 2, 3, 4, 5], tree, problems, "bands.credibility", "credibility code")
    confidence = data.get("confidence") or {}
    _check_confidence(confidence, tree, problems)
    # every problem names a file, at worst the rubric's first line
    problems.items = [p if p.mark else Problem(root.mark, p.path, p.message) for p in problems.items]
    problems.raise_if_any()
    return Rubric(
        name=data.get("name") or path.stem,
        version=str(data.get("version") or "unversioned"),
        description=data.get("description") or "",
        criteria=criteria,
        rules=tuple(rules),
        credibility_bands=tuple(sorted(cred, key=lambda b: -b.low)),
        sha256=sha256,
        files=files,
        examples=tree.get("examples") or (),
        resolved=tree,
        prior=float(data.get("prior") or 0),
        scale=float(data.get("scale") or 1),
        confidence={level: {k: float(v) for k, v in need.items()} for level, need in confidence.items()},
        copies=CopyRules.of(data.get("copies")),
    )


def _node(tree: Any, path: list[str | int]) -> tuple[Any, Any]:
    """(container, key) at a path in the located tree, for marks."""
    node = tree
    for key in path[:-1]:
        node = node[key]
    return node, path[-1]


def _node_at(tree: Any, path: list[str | int]) -> Any:
    """The located value at a path, or None."""
    node = tree
    for key in path:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _mark_of(tree: Any, path: list[str | int]) -> Mark | None:
    """Where `path` is in the located tree or, when it is missing, its nearest ancestor."""
    for depth in range(len(path), 0, -1):
        try:
            container, key = _node(tree, path[:depth])
            mark = value_mark(container, key)
        except (KeyError, IndexError, TypeError):
            continue
        if mark is not None:
            return mark
    return None


def _check_criteria(criteria: dict[str, Any], tree: Any, root: Ctx, problems: Problems) -> None:
    for cid in REQUIRED:
        if cid not in criteria:
            problems.add(_mark_of(tree, ["criteria"]) or root.mark, f"criteria.{cid}", f"missing required criterion '{cid}'")
    source = criteria.get("source")
    if source:
        _check_source(source, tree, problems)
    verifiability = criteria.get("verifiability")
    if verifiability:
        for etype, row in verifiability.get("decibans", {}).items():
            if "verified" in row and "unverified" in row and row["verified"] < row["unverified"]:
                problems.add(_mark_of(tree, ["criteria", "verifiability", "decibans", etype]),
                             f"criteria.verifiability.decibans.{etype}", "verified evidence cannot weigh less than unverified")


def _check_source(source: dict[str, Any], tree: Any, problems: Problems) -> None:
    types = source.get("types", {})
    if "unknown" not in types:
        problems.add(_mark_of(tree, ["criteria", "source", "types"]), "criteria.source.types", "the source type 'unknown' must be defined")
    elif types["unknown"].get("reliability") != "F":
        problems.add(_mark_of(tree, ["criteria", "source", "types", "unknown", "reliability"]),
                     "criteria.source.types.unknown.reliability", "an unknown source's reliability cannot be judged: it must be F")
    raw = _node_at(tree, ["criteria", "source"])
    for key, needed in (("holds_up", LETTERS), ("access", ACCESS)):
        given = raw.get(key) if isinstance(raw, dict) else None
        # an entry the file gives with a bad value is reported as such, not as missing too
        missing = [k for k in needed if k not in source.get(key, {}) and not (isinstance(given, dict) and k in given)]
        if missing and key in source:
            problems.add(_mark_of(tree, ["criteria", "source", key]), f"criteria.source.{key}", f"missing entries: {', '.join(missing)}")
    held = source.get("holds_up", {})
    ranked = [(letter, held[letter]) for letter in LETTERS[:-1] if letter in held]
    for (better, a), (worse, b) in zip(ranked, ranked[1:]):
        if b > a:
            problems.add(_mark_of(tree, ["criteria", "source", "holds_up", worse]), f"criteria.source.holds_up.{worse}",
                         f"a {worse} source cannot hold up more often than a {better} source ({b:g} > {a:g})")
    if source.get("track_record"):
        for message in reliability.check_bands(source["track_record"].get("letters", {})):
            problems.add(_mark_of(tree, ["criteria", "source", "track_record", "letters"]),
                         "criteria.source.track_record.letters", message)
    access = source.get("access", {})
    if "unknown" in access and "second_hand" in access and access["unknown"] < access["second_hand"]:
        problems.add(_mark_of(tree, ["criteria", "source", "access", "unknown"]), "criteria.source.access.unknown",
                     f"a report of unknown access cannot count for less than a second-hand one "
                     f"({access['unknown']:g} < {access['second_hand']:g}): most reports that do not say are second-hand")
    if "first_hand" in access and "second_hand" in access and access["first_hand"] < access["second_hand"]:
        problems.add(_mark_of(tree, ["criteria", "source", "access", "first_hand"]), "criteria.source.access.first_hand",
                     "a first-hand report cannot count for less than a second-hand one")


def _check_confidence(confidence: dict[str, Any], tree: Any, problems: Problems) -> None:
    moderate, high = confidence.get("moderate"), confidence.get("high")
    if not (isinstance(moderate, dict) and isinstance(high, dict)):
        return
    for key in ("lines", "kinds", "decibans"):
        if key in moderate and key in high and high[key] < moderate[key]:
            problems.add(_mark_of(tree, ["confidence", "high", key]), f"confidence.high.{key}",
                         f"high confidence cannot need less than moderate ({high[key]:g} < {moderate[key]:g})")


def _build_rules(raw_rules: list[dict[str, Any]], tree: Any, problems: Problems, facts: Mapping[str, Any]) -> list[Rule]:
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    raw_list = tree.get("rules") if isinstance(tree, dict) else None
    # RULE validation dropped the items that are not mappings (already reported):
    # pair each validated rule with its position in the located list.
    positions = [i for i, r in enumerate(raw_list) if isinstance(r, dict)] if isinstance(raw_list, list) else []
    for n, raw in enumerate(raw_rules):
        index = positions[n] if n < len(positions) else n
        node = raw_list[index] if isinstance(raw_list, list) and index < len(raw_list) else {}
        ctx = Ctx(_mark_of(tree, ["rules", index]), f"rules[{index}]")
        rid = raw.get("id")
        if rid is not None and rid in seen:
            problems.add(ctx.mark, ctx.path + ".id", f"duplicate rule id '{rid}' (also rules[{seen[rid]}])")
        if rid is not None:
            seen[rid] = index
        # counted on the file's keys, so an invalid `cap: 9` is one problem, not two
        effects = [e for e in ("cap", "set") if (node if isinstance(node, dict) else raw).get(e) is not None]
        if len(effects) != 1:
            problems.add(ctx.mark, ctx.path, "a rule needs exactly one of 'cap' or 'set'")
        when_ctx = Ctx(value_mark(node, "when") or ctx.mark, join_path(ctx.path, "when"))
        cond = parse_condition(raw.get("when"), when_ctx, problems, facts) if "when" in raw else None
        complete = all(k in raw for k in ("id", "reason")) and len(effects) == 1 and effects[0] in raw
        if cond is None or not complete or not raw.get("enabled", True):
            continue
        rules.append(Rule(rid, cond, effects[0], int(raw[effects[0]]), raw["reason"], raw.get("flag")))
    return rules


def _build_bands(raw: list[dict[str, Any]], value_key: str, tree: Any, problems: Problems, name: str) -> list[Band]:
    bands: list[tuple[Band, int]] = []
    for index, item in enumerate(raw):
        if not all(k in item for k in ("min", "max", value_key)):
            continue  # a missing or invalid field, already reported
        if item["min"] >= item["max"]:
            problems.add(_mark_of(tree, ["bands", name, index]), f"bands.{name}[{index}]", f"min ({item['min']:g}) must be below max ({item['max']:g})")
            continue
        bands.append((Band(float(item["min"]), float(item["max"]), item[value_key]), index))
    if not bands:
        return []
    ordered = sorted(bands, key=lambda pair: pair[0].low)
    path = f"bands.{name}"
    if ordered[0][0].low != 0:
        problems.add(_mark_of(tree, ["bands", name, ordered[0][1]]), path, f"bands leave a gap: nothing covers scores from 0 to {ordered[0][0].low:g}")
    if ordered[-1][0].high != 100:
        problems.add(_mark_of(tree, ["bands", name, ordered[-1][1]]), path, f"bands leave a gap: nothing covers scores from {ordered[-1][0].high:g} to 100")
    for (a, _), (b, ib) in zip(ordered, ordered[1:]):
        if b.low < a.high:
            problems.add(_mark_of(tree, ["bands", name, ib]), f"{path}[{ib}]", f"bands overlap: {a.value} covers up to {a.high:g} but {b.value} starts at {b.low:g}")
        elif b.low > a.high:
            problems.add(_mark_of(tree, ["bands", name, ib]), f"{path}[{ib}]", f"bands leave a gap between {a.high:g} and {b.low:g}")
    return [b for b, _ in bands]


def _require_all(have: list[Any], want: list[Any], tree: Any, problems: Problems, path: str, what: str) -> None:
    dupes = sorted({str(v) for v in have if have.count(v) > 1})
    missing = [str(v) for v in want if v not in have]
    where = _mark_of(tree, path.split("."))
    if dupes:
        problems.add(where, path, f"each {what} needs exactly one band; repeated: {', '.join(dupes)}")
    if missing:
        problems.add(where, path, f"no band for {what}: {', '.join(missing)}")
