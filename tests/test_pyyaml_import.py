"""credcheck imports PyYAML without compiling its pure-Python reader's pattern (start-up)."""
from __future__ import annotations

import subprocess
import sys
import textwrap

PROBE = textwrap.dedent("""
    import re, sys
    from credcheck.pyyaml import NON_PRINTABLE, yaml
    from credcheck.lazyre import LazyPattern
    stand_in = yaml.reader.Reader.NON_PRINTABLE
    print("lazy" if isinstance(stand_in, LazyPattern) else "compiled")
    caches = [c for c in (getattr(re, "_cache", {}), getattr(re, "_cache2", {})) if isinstance(c, dict)]
    print("clean" if not any(v is stand_in for c in caches for v in c.values()) else "left in the cache")
    real = re.compile(NON_PRINTABLE)
    assert stand_in.pattern == NON_PRINTABLE  # PyYAML's own source, as credcheck writes it
    for text in ["plain", "tab\\there", "bell\\x07", "del\\x7f", "bom\\ufeff", "pua\\ue000", "nul\\x00", "surrogate\\ud800"]:
        ours, theirs = stand_in.search(text), real.search(text)
        assert (ours and ours.span()) == (theirs and theirs.span()), text
    # PyYAML's pure-Python reader still refuses what it refused
    try:
        yaml.load("a: b\\x07", Loader=yaml.SafeLoader)
    except yaml.reader.ReaderError as exc:
        print("refused", exc.character)
    print(yaml.load("a: b", Loader=yaml.SafeLoader))
""")


def test_pyyaml_gets_a_lazy_pattern_that_behaves_as_its_own() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:4] == ["lazy", "clean", "refused 7", "{'a': 'b'}"]


def test_yaml_imported_first_is_left_alone() -> None:
    probe = "import yaml, re\nfrom credcheck.pyyaml import yaml as y\nassert y is yaml and isinstance(yaml.reader.Reader.NON_PRINTABLE, re.Pattern)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
