"""The editor tests' precondition: a server that cannot start fails them, never skips them."""

from __future__ import annotations

import sys

import pytest

from tests.editors.server_probe import probe_server
from tests.editors.test_nvim import require


def test_a_server_that_does_not_start_fails_the_editor_tests() -> None:
    broken = probe_server([sys.executable, "-c", "raise SystemExit('no server here')"])
    with pytest.raises(pytest.fail.Exception, match=r"did not start.*no server here"):
        require(broken)


def test_a_capability_the_server_lacks_fails_the_test_that_uses_it() -> None:
    features = probe_server()
    require(features, "codeActionProvider", "scriptcontract.runNow")
    with pytest.raises(
        pytest.fail.Exception, match=r"does not offer scriptcontract\.noSuchCommand"
    ):
        require(features, "codeActionProvider", "scriptcontract.noSuchCommand")
