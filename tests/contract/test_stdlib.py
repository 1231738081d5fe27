"""The whole CPython standard library, analysed as if every module were a script, never makes
a rule fail. CI runs a sample; `SCRIPTCONTRACT_STDLIB=all pytest tests/contract/test_stdlib.py`
runs every file (a few minutes)."""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path

import pytest

from scriptcontract.check.sources import decode
from scriptcontract.contract.analyze import analyse
from scriptcontract.contract.settings import LintSettings

STDLIB = Path(sysconfig.get_paths()["stdlib"])
SAMPLE_EVERY = 15
SAMPLE_SIZE = 100


def stdlib_files() -> list[Path]:
    files = sorted(path for path in STDLIB.rglob("*.py") if "site-packages" not in path.parts)
    if os.environ.get("SCRIPTCONTRACT_STDLIB") == "all":
        return files
    # About the same sample on every interpreter: Debian's stdlib (no test suite) has a
    # third of the files of a python.org build.
    return files[:: max(1, min(SAMPLE_EVERY, len(files) // SAMPLE_SIZE))]


def test_stdlib_analysed_as_scripts_without_one_internal_error() -> None:
    settings = LintSettings(select=["ALL"], target_version="3.11")
    files = stdlib_files()
    assert len(files) > 50
    failures = []
    for path in files:
        try:
            source = decode(path.read_bytes())
        except (UnicodeDecodeError, SyntaxError):
            continue  # test data in other encodings; `check` reports these as SCR003
        for finding in analyse(source, path=str(path), settings=settings):
            if finding.code == "SCR002":
                failures.append(f"{path}: {finding.message}")
    assert failures == []


@pytest.mark.parametrize("name", ["subprocess.py", "tarfile.py", "argparse.py"])
def test_large_stdlib_modules_give_findings(name: str) -> None:
    source = (STDLIB / name).read_text(encoding="utf-8")
    found = analyse(source, settings=LintSettings(target_version="3.11"))
    assert found and all(f.code != "SCR002" for f in found)
