"""Every hand-made bad file in tests/corpus: scored, or refused at the right line. Never a traceback."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import everyday_subset
from .helpers import CORPUS, assert_refused, invoke, run_process

# claims file -> (exit code, [(where, message fragment)]); `where` is LINE:COL in that file.
CLAIMS = {
    "bad-enums.yaml": (2, [("2:32", "unknown source type 'intelligence_servise' (did you mean 'intelligence_service'?)"),
                           ("6:37", "unknown stance 'maybe'"), ("7:23", "unknown evidence type 'hearsay'")]),
    "bad-escape.yaml": (2, [("3:31", "YAML syntax error: found invalid Unicode character escape code")]),
    "bad-merge.yaml": (2, [("3:5", "'<<' merge needs a mapping or a list of mappings")]),
    "billion-laughs.yaml": (2, [("7:63", "aliases expanding to too many values (an alias bomb?): over the limit aliases=1,000,000")]),
    "binary-ascii-controls.yaml": (2, [("4:1", "character U+001B is not allowed in YAML")]),
    "binary-junk.bin": (2, [("1:1", "not valid UTF-8 (byte 0x89)")]),
    "bom-crlf.yaml": (0, []),
    "comments-only.yaml": (2, [("1:1", "the file is empty: expected a YAML mapping")]),
    "complex-key.yaml": (2, [("2:7", "mapping keys must be plain scalars")]),
    "deep-nesting-maps.yaml": (2, [("33:67", "nesting of 65 levels: over the limit depth=64")]),
    "deep-nesting.yaml": (2, [("1:72", "nesting of 65 levels: over the limit depth=64 (raise it with --limit depth=N)")]),
    "derived-cycle.yaml": (2, [("5:63", "sources[d].derived_from: a source cannot derive from itself"),
                               ("2:63", "derived_from cycle: a -> c -> b -> a"),
                               ("7:80", "a report cannot relay its own source 'c' (a via cycle)")]),
    "duplicate-ids.yaml": (2, [("3:10", "duplicate source id 'nis'"), ("6:10", "duplicate claim id 'same'")]),
    "duplicate-key.yaml": (2, [("6:5", "duplicate key 'id' (first defined at line 4)")]),
    "duplicate-top-key.yaml": (2, [("3:1", "duplicate key 'claims' (first defined at line 1)")]),
    "empty-values.yaml": (2, [("2:10", "sources[0].id: must not be empty"), ("4:20", "claims[0].text: must not be empty")]),
    "empty.yaml": (2, [("1:1", "the file is empty: expected a YAML mapping")]),
    "huge-hex.yaml": (2, [("3:11", "is not a valid !!int")]),
    "huge-int.yaml": (0, []),
    "local-tag.yaml": (2, [("3:11", "YAML tag '!include' is not allowed")]),
    "not-utf8.yaml": (2, [("3:15", "not valid UTF-8 (byte 0xe9); save the file as UTF-8")]),
    "nul-byte.yaml": (2, [("3:13", "character U+0000 is not allowed in YAML")]),
    "null-document.yaml": (2, [("1:1", "the document is null: expected a YAML mapping")]),
    "null.yaml": (2, [("1:1", "the document is null: expected a YAML mapping")]),
    "odd-numbers.yaml": (0, []),
    "python-name.yaml": (2, [("3:11", "YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed")]),
    "python-object.yaml": (2, [("1:9", "YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed")]),
    "python-tag-directive.yaml": (2, [("3:9", "python/object/apply:subprocess.check_output' is not allowed")]),
    "root-list.yaml": (2, [("1:1", "expected a claims file (a YAML mapping")]),
    "root-scalar.yaml": (2, [("1:1", "expected a claims file (a YAML mapping")]),
    "self-alias.yaml": (2, [("2:5", "alias *loop refers to a node that contains it")]),
    "spoofing.yaml": (0, []),
    "tabs.yaml": (2, [("2:1", "that is a tab: YAML indents with spaces only")]),
    "trailing-garbage.yaml": (2, [("3:1", "YAML syntax error: did not find expected key")]),
    "truncated.yaml": (2, [("4:7", "YAML syntax error: did not find expected ',' or '}'")]),
    "two-documents.yaml": (2, [("2:1", "expected a single YAML document, found another ('---')")]),
    "unknown-alias.yaml": (2, [("2:5", "unknown alias *never-defined")]),
    "unknown-references.yaml": (2, [("2:67", "unknown source 'kcan' (did you mean 'kcna'?)"),
                                    ("8:18", "unknown source 'yonhapp' (did you mean 'yonhap'?)"),
                                    ("9:32", "claims[0].reports[1].via[0]: unknown source 'ghost'")]),
    "unsafe-std-tags.yaml": (2, [("3:11", "YAML tag 'tag:yaml.org,2002:binary' is not allowed")]),
    "utf16.yaml": (2, [("1:1", "not valid UTF-8 (byte 0xff)")]),
    "wrong-types.yaml": (2, [("1:8", "title: expected text, got a list"), ("4:9", "sources[0].id: expected text, got a list"),
                             ("8:19", "derived_from: expected a list, got string 'yonhap'"),
                             ("10:9", "claims[0].id: expected text, got boolean true"),
                             ("16:5", "claims[1]: expected a claim (key: value pairs), got string 'a claim is a mapping'")]),
}
# sources file (given with --sources next to claims/odd-numbers.yaml) -> same shape
SOURCES = {
    "bare-list-bad.yaml": (2, [("2:3", "sources[1]: expected a source (key: value pairs), got number 42")]),
    "duplicate-with-claims.yaml": (2, [("2:10", "duplicate source id '0b_' (first defined at ")]),
    "not-a-list.yaml": (2, [("1:10", "sources: expected a list, got a mapping")]),
}
# rubric file (given with --rubric) -> same shape; `where` may name another file as FILE:LINE:COL
RUBRICS = {
    "deep-condition.yaml": (2, [("4:113", "condition nested too deeply (more than 16 levels)")]),
    "empty.yaml": (2, [("1:1", "the file is empty")]),
    "extends-cycle-a.yaml": (2, [("extends-cycle-b.yaml:1:10", "rubric 'extends' cycle: extends-cycle-a.yaml -> extends-cycle-b.yaml")]),
    "extends-cycle-b.yaml": (2, [("extends-cycle-a.yaml:1:10", "rubric 'extends' cycle: extends-cycle-b.yaml -> extends-cycle-a.yaml")]),
    "extends-secret.yaml": (2, [("2:10", "is not a rubric: extends takes a rubric name or a .yaml file")]),
    "list.yaml": (2, [("1:1", "a rubric must be a YAML mapping")]),
    "nan-weight.yaml": (2, [("2:8", "prior: expected a number, got number nan"),
                            ("4:35", "expected a number, got string '0x_'"), ("5:50", "expected a number, got string '1e999'")]),
    "python-tag.yaml": (2, [("2:8", "YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed")]),
    "unknown-fact.yaml": (2, [("4:12", "rules[2].when.__import__: unknown fact '__import__'")]),
}
CASES = ([("claims", name, spec) for name, spec in CLAIMS.items()] + [("sources", name, spec) for name, spec in SOURCES.items()]
         + [("rubrics", name, spec) for name, spec in RUBRICS.items()])
# Run as real processes too: one of each kind of trouble (parser, loader limits, tags, encoding, semantics).
IN_A_PROCESS = {"billion-laughs.yaml", "binary-junk.bin", "deep-nesting.yaml", "python-object.yaml", "wrong-types.yaml",
                "tabs.yaml", "nul-byte.yaml", "spoofing.yaml"}
# ... of which the everyday run starts one, the alias bomb under the memory cap; every file goes
# through the command in-process above.
IN_A_PROCESS_EVERYDAY = {"billion-laughs.yaml"}


def _args(kind: str, name: str) -> list[str]:
    path = f"{kind}/{name}"
    if kind == "claims":
        return ["score", path, "--format", "json"]
    if kind == "sources":
        return ["score", "claims/odd-numbers.yaml", "--sources", path, "--format", "json"]
    return ["score", "claims/odd-numbers.yaml", "--rubric", path, "--format", "json"]


def _check(kind: str, name: str, spec: tuple[int, list[tuple[str, str]]], code: int, stderr: str) -> None:
    want_code, wanted = spec
    assert "Traceback" not in stderr
    assert code == want_code, stderr
    for where, fragment in wanted:
        place = where if ".yaml:" in where else f"{kind}/{name}:{where}"
        lines = [line for line in stderr.splitlines() if fragment in line]
        assert lines, f"{fragment!r} not in:\n{stderr}"
        assert any(place in line.split(": ")[1] for line in lines), f"{place} not in {lines}"


@pytest.fixture(autouse=True)
def _in_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS)  # messages name files as the user typed them: claims/x.yaml


@pytest.mark.parametrize("kind,name,spec", CASES, ids=[f"{k}/{n}" for k, n, _ in CASES])
def test_corpus_file_is_scored_or_refused_at_its_line(kind: str, name: str, spec: tuple[int, list[tuple[str, str]]]) -> None:
    run = invoke(_args(kind, name))
    _check(kind, name, spec, run.code, run.stderr)
    if run.code == 2:
        assert_refused(run)
        assert run.stdout == ""


@pytest.mark.parametrize("kind,name,spec", everyday_subset([c for c in CASES if c[1] in IN_A_PROCESS],
                                                            [c for c in CASES if c[1] in IN_A_PROCESS_EVERYDAY]),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_corpus_file_through_the_installed_command(kind: str, name: str, spec: tuple[int, list[tuple[str, str]]], tmp_path: Path) -> None:
    # the real entry point, in a fresh process, with its address space capped at 1 GiB: a bomb cannot hide in memory
    run = run_process(_args(kind, name), cwd=CORPUS, limit_memory=1024**3, timeout=60)
    _check(kind, name, spec, run.code, run.stderr)


def test_every_corpus_file_has_an_expectation() -> None:
    for kind, table in (("claims", CLAIMS), ("sources", SOURCES), ("rubrics", RUBRICS)):
        assert sorted(p.name for p in (CORPUS / kind).iterdir()) == sorted(table), kind


def test_yaml_tags_never_run_code(tmp_path: Path) -> None:
    for name in ("python-object.yaml", "python-tag-directive.yaml"):
        shutil.copy(CORPUS / "claims" / name, tmp_path / name)
        os.chdir(tmp_path)
        invoke(["score", name])
    invoke(["score", str(CORPUS / "claims" / "odd-numbers.yaml"), "--rubric", str(CORPUS / "rubrics" / "python-tag.yaml")])
    assert not list(tmp_path.glob("PWNED*")) and not list(CORPUS.glob("PWNED*"))


def test_a_rubric_cannot_make_credcheck_read_a_secret_next_to_it() -> None:
    run = invoke(["score", "claims/odd-numbers.yaml", "--rubric", "rubrics/extends-secret.yaml"])
    secret = (CORPUS / "templates" / "canary-secret.txt").read_text().split(":")[0]
    assert secret not in run.stderr + run.stdout
