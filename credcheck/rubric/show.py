"""A rubric fully resolved (after `extends`) as plain data, and as YAML that loads again.

`credcheck rubric show` prints it; `credcheck rubric diff` compares two of
them. The YAML is deterministic: keys keep the rubric files' order, numbers
and words are written the same way every time.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from credcheck.rubric.model import Rubric

# The top-level keys of a resolved rubric, in the order a reader expects them.
ORDER = ("name", "version", "description", "prior", "scale", "criteria", "confidence", "rules", "bands", "copies", "examples")
FLOW_CHARS = 90  # a leaf mapping longer than this is written one key per line
_DIGITS = re.compile(r"^(0|[1-9][0-9]*)$")


def plain(value: Any) -> Any:
    """Located YAML values (LMap, LList) as plain dicts and lists.

    Keys that are whole numbers (a corroboration curve's `0:`, `1:`...) become
    numbers so they are written bare; credcheck reads every key as text anyway.
    """
    if isinstance(value, dict):
        return {(int(k) if isinstance(k, str) and _DIGITS.match(k) else k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def resolved(rubric: Rubric, examples: bool = True) -> dict[str, Any]:
    """The rubric as one self-contained mapping: no `extends`, the effective name and version."""
    tree = plain(rubric.resolved) if isinstance(rubric.resolved, dict) else {}
    tree.pop("extends", None)
    tree["name"], tree["version"] = rubric.name, rubric.version
    if rubric.description:
        tree["description"] = rubric.description
    if not examples or not tree.get("examples"):
        tree.pop("examples", None)
    tree["copies"] = rubric.copies.as_section()  # every setting, defaults included: what scoring uses
    ordered = {key: tree.pop(key) for key in ORDER if key in tree}
    ordered.update(tree)
    return ordered


class _Dumper(yaml.SafeDumper):
    """Block style for structure, flow style for small leaf mappings and lists (`{score: 90, reliability: A}`)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # indent list items under their key, as the bundled rubrics do


def _is_leaf(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _represent_dict(dumper: yaml.SafeDumper, data: dict[Any, Any]) -> yaml.MappingNode:
    small = bool(data) and all(_is_leaf(v) or _small_list(v) for v in data.values())
    flow = small and len(repr(data)) <= FLOW_CHARS  # repr's length is close to the flow text's, and cheap
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


def _small_list(value: Any) -> bool:
    return isinstance(value, list) and all(_is_leaf(v) for v in value)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=_small_list(data))


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # A control, bidi or invisible character (none is printable) is written as an escape, never
    # raw: `rubric show` prints to a terminal. Only a double-quoted scalar can hold escapes.
    if not data.isprintable():
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    return dumper.represent_str(data)


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """YAML for plain data, the same bytes for the same data; every unprintable character an escape."""
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10**6, default_flow_style=False)
    return escape_unprintable(text)


def escape_unprintable(text: str) -> str:
    """`text` with each unprintable character but the line break as a YAML escape (\\u202e).

    PyYAML escapes controls itself but writes bidi and invisible characters raw;
    _represent_str puts every string holding one in double quotes, where an escape means the character.
    """
    if text.replace("\n", "").isprintable():
        return text
    return "".join(ch if ch == "\n" or ch.isprintable() else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def flow(value: Any) -> str:
    """One value on one line, in YAML flow style: `3`, `wire_service`, `{lt: 2}`."""
    text = yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=10**6, default_flow_style=True)
    text = text.strip()
    return text[:-4].rstrip() if text.endswith("\n...") else text


def show(rubric: Rubric) -> str:
    """The resolved rubric with a header naming where it came from."""
    chain = " <- ".join(Path(f).name for f in reversed(rubric.files))
    header = escape_unprintable(f"# credcheck rubric {_line(rubric.name)} {_line(rubric.version)}, fully resolved from "
                                f"{_line(chain)}\n# sha256 of the source files: {rubric.sha256}\n")
    return header + dump(resolved(rubric))


def _line(text: str) -> str:
    """User text in a comment line: a line break in it would end the comment."""
    return " ".join(text.splitlines())
