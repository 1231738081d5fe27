"""Scripts that use a module of their project: editing the module updates their diagnostics."""

from __future__ import annotations

import os

from tests.lsp.conftest import Session, codes

HELPER_READS = """import json
import sys


def read_inputs():
    raw = sys.stdin.read()
    return json.loads(raw) if raw.strip() else {}
"""
HELPER_WITHOUT_STDIN = """def read_inputs():
    return {}
"""
SCRIPT = """import json
import sys

from io_helpers import read_inputs

if __name__ == "__main__":
    print("starting")
    try:
        print(json.dumps({"success": True, "count": len(read_inputs())}))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
"""


async def test_editing_a_helper_updates_the_open_scripts_that_use_it(lsp: Session) -> None:
    helper = lsp.open("scripts/projects_a/io_helpers.py", HELPER_READS)
    script = lsp.open("scripts/projects_a/job.py", SCRIPT)
    # The stray print is the positive control: the script has been analysed.
    assert codes(await lsp.diagnostics(script)) == ["SCR105"]
    # The helper no longer reads stdin, unsaved: the script, untouched, is told.
    lsp.replace_all(helper, HELPER_WITHOUT_STDIN)
    found = await lsp.diagnostics(script, lambda found: "SCR101" in codes(found))
    assert sorted(codes(found)) == ["SCR101", "SCR105"]
    lsp.replace_all(helper, HELPER_READS)
    assert codes(await lsp.diagnostics(script, lambda found: codes(found) == ["SCR105"])) == [
        "SCR105"
    ]


async def test_a_helper_beside_the_scripts_is_not_linted_as_a_script(lsp: Session) -> None:
    helper = lsp.open("scripts/projects_b/io_helpers.py", "import json, sys\n" + HELPER_READS)
    broken = lsp.open("scripts/projects_b/broken.py", "import json\n\ndef main(:\n    pass\n")
    assert codes(await lsp.diagnostics(broken)) == ["SCR001"]  # control: the server answers
    assert await lsp.diagnostics(helper, lambda found: not found) == []


async def test_a_helper_opened_after_the_script_that_imports_it_is_followed(
    lsp: Session,
) -> None:
    # No io_helpers.py on disk: the script's call proves no stdin read until the helper
    # exists, unsaved, in the editor.
    folder = f"scripts/projects_c_{lsp.profile}"
    script = lsp.open(f"{folder}/job.py", SCRIPT)
    assert sorted(codes(await lsp.diagnostics(script))) == ["SCR101", "SCR105"]
    lsp.open(f"{folder}/io_helpers.py", HELPER_READS, on_disk=False)
    found = await lsp.diagnostics(script, lambda found: "SCR101" not in codes(found))
    assert codes(found) == ["SCR105"]


async def test_a_fifo_named_like_a_helper_never_hangs_the_analysis(lsp: Session) -> None:
    # The first test of this file is the control: a helper at that path is followed.
    folder = lsp.root / f"scripts/projects_d_{lsp.profile}"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "io_helpers.py")
    script = lsp.open(f"scripts/projects_d_{lsp.profile}/job.py", SCRIPT)
    assert sorted(codes(await lsp.diagnostics(script))) == ["SCR101", "SCR105"]
    after = lsp.open(f"scripts/projects_d_{lsp.profile}/after.py", "import json\n\ndef main(:\n")
    assert codes(await lsp.diagnostics(after)) == ["SCR001"]  # still analysing
