"""A brief template from another team is untrusted: every injection payload is refused and leaks nothing."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml

from .helpers import CORPUS, EXAMPLE, assert_refused, invoke, run_process

PAYLOADS: dict[str, str] = yaml.safe_load((CORPUS / "templates" / "ssti-payloads.yaml").read_text())
ENV_CANARY = "CANARY-ENV-91c4e7"
FILE_CANARY = "CANARY-FILE-5f1d2c"
OUTSIDE_CANARY = "CANARY-OUTSIDE-0d3a"
HIDDEN_CANARY = "CANARY-HIDDEN-3b9e"
CANARIES = (ENV_CANARY, FILE_CANARY, OUTSIDE_CANARY, HIDDEN_CANARY, "root:x:0:0")
# Allocation bombs run again in a process capped at 1 GiB: refusing them must not need the memory.
IN_A_PROCESS = ("power-bomb", "repeat-bomb", "pad-bomb", "format-width-bomb", "batch-bomb", "doubling-macro", "deep-nesting")


@pytest.fixture()
def team_folder(tmp_path: Path) -> Path:
    """A team's template folder with a secret next to it, a hidden template, and a symlink leading out."""
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "canary-secret.txt").write_text(f"{FILE_CANARY}: the analyst's API key\n")
    (folder / ".hidden.j2").write_text(f"{HIDDEN_CANARY} {{{{ brief.title }}}}\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "canary.j2").write_text(f"{OUTSIDE_CANARY}\n")
    (folder / "link-out.j2").symlink_to(outside / "canary.j2")
    return folder


def _install(folder: Path, payload: str) -> Path:
    text = (payload.replace("@CANARY_FILE@", str(folder / "canary-secret.txt"))
            .replace("@OUTSIDE@", str(folder.parent / "outside" / "canary.j2"))
            .replace("@NESTED@", "{% for i in [1] %}" * 40 + "x" + "{% endfor %}" * 40))
    path = folder / "evil.md.j2"
    path.write_text(payload if payload.startswith("#") else text)
    return path


def _assert_nothing_leaked(folder: Path, *texts: str) -> None:
    for text in texts:
        for canary in CANARIES:
            assert canary not in text, canary
    assert not (folder / "out.md").exists()


@pytest.mark.slow
@pytest.mark.parametrize("name", list(PAYLOADS))
def test_injection_payload_is_refused_without_leaking(name: str, team_folder: Path) -> None:
    template = _install(team_folder, PAYLOADS[name])
    out = team_folder / "out.md"
    started = time.monotonic()
    run = invoke(["score", str(EXAMPLE), "-q", "--format", "md", "-o", str(out), "--template", str(template),
                  "--limit", "render-seconds=20"], env={"CREDCHECK_CANARY": ENV_CANARY})
    assert_refused(run)
    assert "template" in run.stderr
    assert time.monotonic() - started < 15  # refused, not timed out
    _assert_nothing_leaked(team_folder, run.stdout, run.stderr)


@pytest.mark.slow
@pytest.mark.parametrize("name", IN_A_PROCESS)
def test_allocation_bombs_are_refused_before_allocating(name: str, team_folder: Path) -> None:
    template = _install(team_folder, PAYLOADS[name])
    run = run_process(["score", str(EXAMPLE), "-q", "--format", "md", "-o", str(team_folder / "out.md"),
                       "--template", str(template)], env={"CREDCHECK_CANARY": ENV_CANARY}, limit_memory=1024**3, timeout=60)
    assert_refused(run)
    _assert_nothing_leaked(team_folder, run.stdout, run.stderr)


@pytest.mark.parametrize("payload,fragment", [
    ("x\n{% include 'canary-secret.txt' %}", "evil.md.j2:2:1: template 'canary-secret.txt' refused: only template files"),
    ("{% include '.hidden.j2' %}", "template '.hidden.j2' refused: hidden files are not templates"),
    ("{% include 'link-out.j2' %}", "template 'link-out.j2' refused: it leads outside its template folder"),
    ("{% include '../outside/canary.j2' %}", "includes '../outside/canary.j2', which is not in the template folders"),
    ("\n\n{{ ''.__class__ }}", "evil.md.j2:3:1: template"),
    ("{{ ''.__class__ }}", "refused by the sandbox: access to attribute '__class__' of a value of type 'str' is not allowed"),
    ("{{ 'A' * 10 ** 10 }}", "a repetition of 10,000,000,000 bytes (above the brief-size limit)"),
    ("{{ 9 ** (9 ** 9) }}", "9 ** 387420489 (over 10,000 bits) is not allowed in a template"),
    ("{{ brief.claims | random }}", "No filter named 'random'"),
    ("{% for i in [1] %}" * 40 + "{% endfor %}" * 40, "too complex to compile (too many statically nested blocks)"),
])
def test_refusals_say_what_and_where(payload: str, fragment: str, team_folder: Path) -> None:
    template = _install(team_folder, payload)
    run = invoke(["score", str(EXAMPLE), "-q", "--format", "md", "--template", str(template)])
    assert_refused(run)
    assert fragment in run.stderr, run.stderr


def test_a_runaway_loop_stops_at_the_time_limit(team_folder: Path) -> None:
    template = _install(team_folder, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    started = time.monotonic()
    run = invoke(["score", str(EXAMPLE), "-q", "--format", "md", "--template", str(template), "--limit", "render-seconds=0.1"])
    assert_refused(run)
    assert time.monotonic() - started < 5
    assert "rendering took too long (a runaway loop?): over the limit render-seconds=0.1s" in run.stderr


def test_output_stops_at_the_brief_size_limit(team_folder: Path) -> None:
    template = _install(team_folder, "{% for i in range(100000) %}{{ brief.title }}{% endfor %}")
    run = invoke(["score", str(EXAMPLE), "-q", "--format", "md", "--template", str(template), "--limit", "brief-size=50K"])
    assert_refused(run)
    assert "the brief is too long: over the limit brief-size=50,000" in run.stderr
    # and a value built inside the template is held to the same bound
    template = _install(team_folder, "{% set s = brief.title * 2000 %}ok")
    run = invoke(["score", str(EXAMPLE), "-q", "--format", "md", "--template", str(template), "--limit", "brief-size=50K"])
    assert_refused(run)
    assert "a repetition of" in run.stderr


def test_template_size_limit(team_folder: Path) -> None:
    template = _install(team_folder, "{# padding #}\n" * 1000)
    run = invoke(["score", str(EXAMPLE), "-q", "--format", "md", "--template", str(template), "--limit", "template-size=1K"])
    assert_refused(run)
    assert f"template {template}: " in run.stderr and "over the limit template-size=1,000" in run.stderr


def test_a_template_that_is_not_utf8_is_refused_at_its_byte(team_folder: Path) -> None:
    template = team_folder / "evil.md.j2"
    template.write_bytes(b"# Brief\n\xff{{ brief.title }}\n")
    run = invoke(["score", str(EXAMPLE), "-q", "--format", "md", "--template", str(template)])
    assert_refused(run)
    assert f"error: {template}:2:1: " in run.stderr and "not valid UTF-8 (byte 0xff)" in run.stderr


def test_an_honest_custom_template_still_works(team_folder: Path) -> None:
    """The sandbox refuses attacks, not layouts: filters, macros, includes of pieces, the bundled parts."""
    (team_folder / "_row.md.j2").write_text("| {{ c.admiralty }} | {{ c.text }} | {{ c.id | code }} |\n")
    template = _install(team_folder, (
        "{% macro count(n) %}{{ '{:,}'.format(n) }}{% endmacro %}"
        "# {{ brief.title | upper }} ({{ count(brief.counts.claims) }} claims, {{ '%.1f' % 3.14159 }})\n\n"
        "| Grade | Claim | Id |\n|---|---|---|\n"
        "{% for c in brief.claims[:3] %}{% include '_row.md.j2' %}{% endfor %}\n"
        "{{ brief.claims | map(attribute='admiralty') | unique | sort | join(', ') }} · {{ 'x' | center(9) }}|{{ brief.title ~ '!' }}\n"
        "{% include '_methodology.md.j2' %}"))
    run = invoke(["score", str(EXAMPLE), "-q", "--format", "md", "--template", str(template)])
    assert run.code == 0, run.stderr
    assert run.stdout.startswith("# KPA DESERTIONS ALONG THE DMZ (17 claims, 3.1)\n")
    assert "| B1 | Some deserting KPA soldiers" in run.stdout and "## Methodology" in run.stdout
    extended = _install(team_folder, "{% extends 'brief.md.j2' %}")
    assert invoke(["score", str(EXAMPLE), "-q", "--format", "md", "--template", str(extended)]).stdout == \
        invoke(["score", str(EXAMPLE), "-q", "--format", "md"]).stdout


def test_canary_is_really_reachable_without_the_sandbox(team_folder: Path) -> None:
    """The leak tests can fail: plain Jinja reads the canary file that credcheck refuses."""
    import jinja2
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(team_folder)))
    assert FILE_CANARY in env.from_string("{% include 'canary-secret.txt' %}").render()
    assert os.environ.get("CREDCHECK_CANARY") is None
