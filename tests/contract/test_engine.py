"""The engine: positions in code points, suppression comments, selection, severities."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scriptcontract.contract.analyze import analyse
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.settings import LintSettings
from tests.contract.helpers import codes, findings


def test_columns_count_code_points_not_utf8_bytes() -> None:
    source = 'x = "héllo ✓"; print(x)\nimport sys\n'
    found = next(f for f in analyse(source) if f.code == "SCR105")
    assert (found.range.start.line, found.range.start.character) == (0, 15)
    assert found.range.end.character == 23


def test_lines_split_like_python_crlf_and_cr_and_not_form_feed() -> None:
    source = 'import sys\r\nx = 1\r\x0cprint("a")\n'
    found = next(f for f in analyse(source) if f.code == "SCR105")
    assert (found.range.start.line, found.range.start.character) == (2, 1)


def test_syntax_error_position_and_target_version() -> None:
    found = analyse("x = (1,\n")
    assert [f.code for f in found] == ["SCR001"]
    walrus = "if (n := 3):\n    pass\n"
    assert [f.code for f in analyse(walrus, settings=LintSettings(target_version="3.7"))] == [
        "SCR001"
    ]
    assert "SCR001" not in [f.code for f in analyse(walrus)]


def test_line_and_file_suppressions() -> None:
    base = 'import sys\nprint("a")\nprint("b")\n'
    assert [f.range.start.line for f in analyse(base) if f.code == "SCR105"] == [1, 2]
    line = base.replace('print("a")', 'print("a")  # scriptcontract: ignore[SCR105]')
    assert [f.range.start.line for f in analyse(line) if f.code == "SCR105"] == [2]
    blanket = base.replace('print("b")', 'print("b")  # scriptcontract: ignore')
    assert [f.range.start.line for f in analyse(blanket) if f.code == "SCR105"] == [1]
    whole = "# scriptcontract: ignore-file[SCR105]\n" + base
    assert "SCR105" not in [f.code for f in analyse(whole)]


def test_suppression_inside_a_string_is_not_a_comment() -> None:
    source = 'import sys\nprint("# scriptcontract: ignore[SCR105]")\n'
    assert "SCR105" in [f.code for f in analyse(source)]


def test_unused_and_invalid_suppressions_with_fix() -> None:
    source = "import json\nprint(json.dumps({}))  # scriptcontract: ignore[SCR105]\n"
    unused = [f for f in analyse(source) if f.code == "SCR901"]
    assert len(unused) == 1 and unused[0].severity is Severity.INFORMATION
    edit = unused[0].fixes[0].edits[0]
    assert (edit.range.start.character, edit.new_text) == (len("print(json.dumps({}))"), "")
    bad = "import sys\nprint('x')  # scriptcontract: ignore[SCR10]\n"
    assert "SCR902" in [f.code for f in analyse(bad)]
    typo = "import sys\nprint('x')  # scriptcontract: ingore\n"
    assert "SCR902" in [f.code for f in analyse(typo)]


def test_unused_suppression_not_reported_for_rules_that_did_not_run() -> None:
    source = "import json\nprint(json.dumps({}))  # scriptcontract: ignore[SCR105]\n"
    assert "SCR901" not in [
        f.code for f in analyse(source, settings=LintSettings(ignore=["SCR105"]))
    ]


@pytest.mark.parametrize(
    ("select", "ignore", "present", "absent"),
    [
        ([], [], {"SCR105", "SCR101"}, set()),
        (["SCR1"], [], {"SCR105", "SCR101"}, {"SCR207"}),
        (["SCR105"], [], {"SCR105"}, {"SCR101"}),
        (["stray-stdout-output"], [], {"SCR105"}, {"SCR101"}),
        ([], ["SCR1"], set(), {"SCR105", "SCR101"}),
        (["SCR1"], ["SCR101"], {"SCR105"}, {"SCR101"}),
        (["SCR105"], ["SCR1"], {"SCR105"}, {"SCR101"}),
        (["ALL"], ["SCR105"], {"SCR101"}, {"SCR105"}),
    ],
)
def test_select_and_ignore_by_code_prefix_and_name(
    select: list[str], ignore: list[str], present: set[str], absent: set[str]
) -> None:
    found = set(codes('import json\nprint("hi")\n', select=select, ignore=ignore))
    assert present <= found
    assert not (absent & found)


def test_severity_overrides_by_code_and_prefix_most_specific_wins() -> None:
    source = 'import json\nprint("hi")\n'
    found = findings(source, severity={"SCR1": "hint", "SCR105": "information"})
    levels = {f.code: f.severity.value for f in found}
    assert levels["SCR105"] == "information"
    assert levels["SCR101"] == "hint"


def test_findings_are_sorted_and_carry_names() -> None:
    found = analyse('import json\nprint("a")\nprint("b")\n')
    positions = [(f.range.start.line, f.range.start.character) for f in found]
    assert positions == sorted(positions)
    assert all(f.name and f.message for f in found)


def test_findings_do_not_depend_on_the_processs_string_hashing(tmp_path: Path) -> None:
    """Names are kept in sets, whose order changes from one process to the next: a rule
    that reports at "the first parse" must mean the first in the source, in every process."""
    script = tmp_path / "job.py"
    script.write_text(
        "import json, sys\n"
        "defaults = json.loads('{}')\n"
        "if __name__ == '__main__':\n"
        "    inputs = json.load(sys.stdin)\n"
        "    print(json.dumps({**defaults, **inputs}))\n"
    )
    program = (
        "import sys\n"
        "from scriptcontract.contract.analyze import analyse\n"
        "text = open(sys.argv[1]).read()\n"
        "print([(f.code, f.range.start.line) for f in analyse(text, path='scripts/job.py')])\n"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", program, str(script)],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(6)
    }
    assert len(seen) == 1, seen
    assert "('SCR202', 1)" in seen.pop(), "reported at the first parse, line 2"
