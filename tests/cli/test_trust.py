"""Configuration a run could have written loosens the sandbox only once the user trusts it.

Every refusal here is paired with its positive control: the same project with the setting
trusted (or fixed), where the loosened setting does take effect, so that no test passes
because the setting was never read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli.runner import scriptcontract, stage_in_git
from tests.executor.test_sandbox_platform import needs_landlock

# Reads a file outside the project: refused by the sandbox, read when it is off.
READS_OUTSIDE = """
import json, os
try:
    open("/etc/hostname").read()
    outcome = "read"
except OSError as exc:
    outcome = exc.strerror
print(json.dumps({"success": True, "outcome": outcome, "secret": os.environ.get("SECRET")}))
"""


@pytest.fixture
def state(tmp_path: Path) -> dict[str, str]:
    """The environment of the commands: the trust record in a folder of the test's own."""
    return {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "SECRET": "s3cret"}


def _run(root: Path, script: str, env: dict[str, str], *extra: str) -> tuple[int, str, str]:
    done = scriptcontract("run", script, "--json", *extra, cwd=root, env=env)
    return done.returncode, done.stdout, done.stderr


def _output(stdout: str) -> dict[str, object]:
    output: dict[str, object] = json.loads(stdout)["output"]
    return output


def _nested(root: Path, text: str) -> None:
    """`scripts/scriptcontract.toml`, staged as the user's: git vouches for its content, so
    what refuses it here is its loosening. Unvouched, it counts for nothing at all
    (tests/cli/test_planted_config_for_runs.py)."""
    (root / "scripts/scriptcontract.toml").write_text(text)
    stage_in_git(root, "scripts/scriptcontract.toml")


def _project(root: Path, config: str) -> Path:
    (root / "scripts").mkdir(parents=True)
    (root / "pyproject.toml").write_text(config)
    (root / "scripts/reads.py").write_text(READS_OUTSIDE)
    return root


@needs_landlock()
def test_a_planted_nested_configuration_cannot_turn_the_sandbox_off(
    tmp_path: Path, state: dict[str, str]
) -> None:
    root = _project(tmp_path / "project", "[tool.scriptcontract]\n")
    # What a run could have planted (the nearest configuration of the scripts beside it),
    # let through by git: its loosening is refused all the same.
    _nested(root, "[sandbox]\nenabled = false\n")
    code, stdout, stderr = _run(root, "scripts/reads.py", state)
    assert code == 2, stdout
    assert "loosens the sandbox (sandbox.enabled = false)" in stderr
    assert "scriptcontract trust" in stderr
    assert stdout == ""
    # The positive control: trusted, the setting takes effect (the file outside is read).
    trusted = scriptcontract("trust", "scripts", cwd=root, env=state)
    assert trusted.returncode == 0, trusted.stderr
    assert "sandbox.enabled = false" in trusted.stdout
    code, stdout, stderr = _run(root, "scripts/reads.py", state)
    assert code == 0, stderr
    assert _output(stdout)["outcome"] == "read"


def test_a_nested_configuration_may_not_loosen_what_the_outer_one_sets(
    tmp_path: Path, state: dict[str, str]
) -> None:
    root = _project(tmp_path / "project", "[tool.scriptcontract.sandbox]\nnetwork = false\n")
    _nested(root, "[sandbox]\nmemory-mb = 512\n")
    code, _stdout, stderr = _run(root, "scripts/reads.py", state)
    assert code == 2
    assert "sandbox.network = true" in stderr
    # Tightening is always allowed: with the network denied here too, it runs.
    _nested(root, "[sandbox]\nnetwork = false\n")
    code, _stdout, stderr = _run(root, "scripts/reads.py", state)
    assert code == 0, stderr


def test_pass_env_needs_trust_and_a_further_loosening_trust_again(
    tmp_path: Path, state: dict[str, str]
) -> None:
    config = '[tool.scriptcontract.executor]\npass-env = ["SECRET"]\n'
    root = _project(tmp_path / "project", config)
    code, _stdout, stderr = _run(root, "scripts/reads.py", state)
    assert code == 2
    assert 'executor.pass-env = ["SECRET"]' in stderr
    assert scriptcontract("trust", cwd=root, env=state).returncode == 0
    code, stdout, stderr = _run(root, "scripts/reads.py", state)
    assert code == 0, stderr
    assert _output(stdout)["secret"] == "s3cret"
    # One more variable is a further loosening: trusted no more.
    (root / "pyproject.toml").write_text(config.replace('"SECRET"', '"SECRET", "HOME"'))
    code, _stdout, stderr = _run(root, "scripts/reads.py", state)
    assert code == 2
    assert '["SECRET", "HOME"]' in stderr
    # Back to fewer: what was trusted covers it.
    (root / "pyproject.toml").write_text("[tool.scriptcontract.executor]\npass-env = []\n")
    assert _run(root, "scripts/reads.py", state)[0] == 0


def test_trust_can_be_shown_and_revoked(tmp_path: Path, state: dict[str, str]) -> None:
    root = _project(tmp_path / "project", "[tool.scriptcontract.sandbox]\nmemory-mb = 4096\n")
    shown = scriptcontract("trust", "--show", cwd=root, env=state)
    assert shown.returncode == 0
    assert "sandbox.memory-mb = 4096" in shown.stdout
    assert "not trusted" in shown.stdout
    assert scriptcontract("trust", cwd=root, env=state).returncode == 0
    assert _run(root, "scripts/reads.py", state)[0] == 0
    revoked = scriptcontract("trust", "--revoke", cwd=root, env=state)
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    assert _run(root, "scripts/reads.py", state)[0] == 2


def test_show_says_whether_the_content_needs_trust_where_it_is(
    tmp_path: Path, state: dict[str, str]
) -> None:
    # Outside git, the outermost configuration is used as it is from its folder: `--show`
    # said "not trusted (for a configuration a run could write)" of it all the same.
    root = _project(tmp_path / "project", "[tool.scriptcontract]\nselect = ['SCR1']\n")
    outer = scriptcontract("trust", "--show", cwd=root, env=state)
    assert outer.returncode == 0, outer.stderr
    assert f"needs no trust when check, run and test start in {root} or below it" in outer.stdout
    assert "a run could write)" not in outer.stdout
    # The control: one nested below it is said to need trust, and why.
    (root / "scripts/scriptcontract.toml").write_text("select = ['SCR1']\n")
    nested = scriptcontract("trust", "--show", "scripts", cwd=root, env=state)
    assert nested.returncode == 0, nested.stderr
    assert "its content is not trusted, and needs to be: a configuration below the one in " in (
        nested.stdout
    )
    assert scriptcontract("trust", "scripts", cwd=root, env=state).returncode == 0
    trusted = scriptcontract("trust", "--show", "scripts", cwd=root, env=state)
    assert "its content is trusted as it is now" in trusted.stdout


def test_nothing_to_trust_says_so(tmp_path: Path, state: dict[str, str]) -> None:
    root = _project(tmp_path / "project", "[tool.scriptcontract.sandbox]\nnetwork = false\n")
    done = scriptcontract("trust", cwd=root, env=state)
    assert done.returncode == 0
    assert "does not loosen the sandbox" in done.stdout


def test_the_python_flag_needs_no_trust(tmp_path: Path, state: dict[str, str]) -> None:
    import sys

    root = _project(tmp_path / "project", '[tool.scriptcontract.executor]\npython = "nope"\n')
    code, _stdout, stderr = _run(root, "scripts/reads.py", state)
    assert code == 2
    assert 'executor.python = "nope"' in stderr
    code, _stdout, stderr = _run(root, "scripts/reads.py", state, "--python", sys.executable)
    assert code == 0, stderr


@pytest.mark.parametrize(
    ("config", "says"),
    [
        ("[tool.scriptcontract.sandbox]\nnework = false\n", "nework: unknown key"),
        ("[tool.scriptcontract.sandbox\nnetwork = false\n", "invalid TOML"),
        ("[tool.scriptcontract.sandbox]\nmemory-mb = 'lots'\n", "memory-mb"),
    ],
    ids=["typo", "broken-toml", "wrong-type"],
)
def test_a_configuration_error_runs_nothing(
    tmp_path: Path, state: dict[str, str], config: str, says: str
) -> None:
    root = _project(tmp_path / "project", config)
    (root / "scripts/marks.py").write_text(
        "import json\nopen('scripts/ran', 'w').close()\nprint(json.dumps({'success': True}))\n"
    )
    code, stdout, stderr = _run(root, "scripts/marks.py", state)
    assert code == 2
    assert stdout == ""
    assert says in stderr
    assert "nothing was run" in stderr
    assert not (root / "scripts/ran").exists()
    # The positive control: with the configuration fixed, the same script runs.
    (root / "pyproject.toml").write_text("[tool.scriptcontract.sandbox]\nnetwork = false\n")
    assert _run(root, "scripts/marks.py", state)[0] == 0
    assert (root / "scripts/ran").exists()


@needs_landlock()
def test_without_configuration_the_script_folder_is_the_root(
    tmp_path: Path, state: dict[str, str]
) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "a/writes.py").write_text(
        "import json, os\n"
        "out = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'out')\n"
        "try:\n"
        "    open(os.path.join(out, 'x.txt'), 'w').close()\n"
        "    outcome = 'written'\n"
        "except OSError as exc:\n"
        "    outcome = exc.strerror\n"
        "print(json.dumps({'success': True, 'outcome': outcome}))\n"
    )
    done = scriptcontract("run", "a/writes.py", "--json", cwd=tmp_path, env=state)
    assert done.returncode == 0, done.stderr
    assert "its folder" in done.stderr and "is the project root" in done.stderr
    assert _output(done.stdout)["outcome"] == "Permission denied"
    # The positive control: with the current folder as the root, the write lands.
    done = scriptcontract(
        "run", "a/writes.py", "--json", "--root", str(tmp_path), cwd=tmp_path, env=state
    )
    assert _output(done.stdout)["outcome"] == "written"


@pytest.mark.parametrize("root", ["/", "~"], ids=["filesystem-root", "home"])
def test_a_root_holding_far_more_than_a_project_is_refused(
    tmp_path: Path, state: dict[str, str], root: str
) -> None:
    (tmp_path / "s.py").write_text("print('{}')\n")
    home = tmp_path / "home"
    home.mkdir()
    chosen = str(home) if root == "~" else root
    done = scriptcontract(
        "run", str(tmp_path / "s.py"), "--root", chosen, env={**state, "HOME": str(home)}
    )
    assert done.returncode == 2
    assert "Refusing" in done.stderr and "as the project root" in done.stderr
    assert done.stdout == ""


LOUD = """
import json, sys
what = json.load(sys.stdin).get("what")
if what == "stderr":
    sys.stderr.write("x" * 3_000_000)
print(json.dumps({"success": True, "blob": "x" * (11_000_000 if what == "stdout" else 0)}))
"""
# The default limits stop these outputs (1 MiB of stderr, 10 MiB of stdout).
WHAT = {"stderr-limit": "stderr", "stdout-limit": "stdout", "timeout-ms": "nothing"}


@pytest.mark.parametrize(
    "planted",
    ["stderr-limit = 1000000000000", "stdout-limit = 1000000000000", "timeout-ms = 2147483647"],
)
def test_a_planted_nested_configuration_cannot_raise_the_executors_limits(
    tmp_path: Path, state: dict[str, str], planted: str
) -> None:
    """A run's output is kept in the caller's memory up to these limits (the language
    server's): planted a terabyte, the next run's output took the editor's memory; a
    planted timeout let a run go on for weeks."""
    root = _project(tmp_path / "project", "[tool.scriptcontract]\n")
    (root / "scripts/loud.py").write_text(LOUD)
    _nested(root, f"[executor]\n{planted}\n")
    inputs = json.dumps({"what": WHAT[planted.split(" ")[0]]})
    code, stdout, stderr = _run(root, "scripts/loud.py", state, "--inputs", inputs)
    assert code == 2, stdout
    assert f"loosens the sandbox (executor.{planted})" in stderr
    assert stdout == ""
    # The positive control: trusted, the limit takes effect (the output the default stops
    # is kept whole).
    trusted = scriptcontract("trust", "scripts", cwd=root, env=state)
    assert trusted.returncode == 0, trusted.stderr
    code, stdout, stderr = _run(root, "scripts/loud.py", state, "--inputs", inputs)
    assert code == 0, stdout[-2000:]
    assert json.loads(stdout)["success"] is True


def test_the_timeout_flag_needs_no_trust(tmp_path: Path, state: dict[str, str]) -> None:
    root = _project(tmp_path / "project", "[tool.scriptcontract]\n")
    (root / "scripts/loud.py").write_text(LOUD)
    _nested(root, "[executor]\ntimeout-ms = 2147483647\n")
    flags = ("--timeout-ms", "20000", "--inputs", "{}")
    code, _stdout, stderr = _run(root, "scripts/loud.py", state, *flags)
    assert code == 0, stderr


def _with_nested(tmp_path: Path, name: str, text: str) -> tuple[Path, Path]:
    """A project, a script with a finding, and the configuration `name` in its scripts/
    (nobody vouched for it: no git)."""
    root = tmp_path / "project"
    (root / "scripts").mkdir(parents=True)
    (root / "scriptcontract.toml").write_text("include = ['scripts/*.py']\n")
    nested = root / "scripts" / name
    nested.write_text(text)
    (root / "scripts/job.py").write_text("print('stray')\n")
    return root, nested


def test_a_nested_pyproject_without_the_table_can_be_revoked_as_it_was_trusted(
    tmp_path: Path, state: dict[str, str]
) -> None:
    """Any `pyproject.toml` makes its folder a root, so a nested one is trusted by content
    with or without `[tool.scriptcontract]`; revoking it failed ("has no configuration")."""
    root, nested = _with_nested(tmp_path, "pyproject.toml", "[project]\nname = 'x'\n")
    refused = scriptcontract("check", "scripts", cwd=root, env=state)
    assert refused.returncode == 2 and f"{nested}: a configuration below" in refused.stderr
    trusted = scriptcontract("trust", str(nested), cwd=root, env=state)
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    # The control: trusted, it is used (a root of its own: no refusal, exit 0 or 1).
    used = scriptcontract("check", "scripts", cwd=root, env=state)
    assert used.returncode in (0, 1) and "a configuration below" not in used.stderr, used.stderr
    revoked = scriptcontract("trust", "--revoke", str(nested), cwd=root, env=state)
    assert revoked.returncode == 0, revoked.stdout + revoked.stderr
    assert f"revoked: {nested}" in revoked.stdout
    again = scriptcontract("check", "scripts", cwd=root, env=state)
    assert again.returncode == 2 and f"{nested}: a configuration below" in again.stderr


def test_a_configuration_with_a_mistake_is_trusted_for_nothing(
    tmp_path: Path, state: dict[str, str]
) -> None:
    """Trusting a nested configuration with a typo recorded its content, said "trusted",
    then refused it: the fix changes the content, so nothing is recorded, one message."""
    root, nested = _with_nested(tmp_path, "scriptcontract.toml", "nework = false\n")
    refused = scriptcontract("trust", str(nested), cwd=root, env=state)
    assert refused.returncode == 2 and refused.stdout == "", refused.stdout + refused.stderr
    assert "error: the configuration has errors; fix them first:" in refused.stderr
    assert "nework: unknown key" in refused.stderr
    # Nothing recorded: `check` still refuses it as nobody's, not for its typo.
    checked = scriptcontract("check", "scripts", cwd=root, env=state)
    assert checked.returncode == 2 and f"{nested}: a configuration below" in checked.stderr
    # The control: fixed, it is trusted and used.
    nested.write_text("[sandbox]\nnetwork = false\n")
    trusted = scriptcontract("trust", str(nested), cwd=root, env=state)
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    used = scriptcontract("check", "scripts", cwd=root, env=state)
    assert used.returncode in (0, 1) and "a configuration below" not in used.stderr, used.stderr
