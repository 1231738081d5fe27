"""`scriptcontract run`: output, exit codes and messages."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.runner import scriptcontract
from tests.conftest import Project


def test_readme_command_runs_hello(examples: Path) -> None:
    done = scriptcontract(
        "run",
        "examples/scripts/hello.py",
        "--root",
        "examples",
        "--inputs",
        '{"name": "Lighthouse"}',
        cwd=examples.parent,  # as the README has it, from the checkout's top
    )
    assert done.returncode == 0, done.stderr
    assert "✓ success" in done.stderr
    assert json.loads(done.stdout) == {"success": True, "message": "Hello, Lighthouse!"}


def test_json_output_is_the_whole_result(examples: Path) -> None:
    done = scriptcontract(
        "run",
        "scripts/transform_data.py",
        "--root",
        str(examples),
        "--json",
        "--inputs-file",
        str(examples / "scripts/transform_data.inputs.json"),
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["success"] is True
    assert result["output"]["transformed"] == ["North", "South", "East"]
    assert set(result) >= {"exit_code", "stderr", "execution_time_ms", "timed_out", "sandbox"}


def test_root_found_from_the_script(examples: Path) -> None:
    done = scriptcontract("run", str(examples / "scripts/hello.py"), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["output"]["message"] == "Hello, World!"


def test_failed_script_exits_1_with_its_error(examples: Path) -> None:
    done = scriptcontract(
        "run", "scripts/broken_no_error_handling.py", "--root", str(examples), "--inputs", "{}"
    )
    assert done.returncode == 1
    assert "✗ failed (exit 1" in done.stderr
    assert "Script exited with code 1" in done.stderr
    assert "KeyError: 'name'" in done.stderr  # the script's stderr is shown


def test_timeout_exits_1(examples: Path) -> None:
    done = scriptcontract(
        "run",
        "scripts/broken_endless.py",
        "--root",
        str(examples),
        "--timeout-ms",
        "500",
    )
    assert done.returncode == 1
    assert "Script execution timed out after 500ms" in done.stderr
    assert "hint: the run reached its time limit: `--timeout-ms` for one run" in done.stderr
    assert "broken_endless.py" in done.stderr  # where it was when the time ran out
    assert "where it was when the time ran out, innermost call first:" in done.stderr
    # Neither faulthandler's thread heading nor the sandbox's own start-up frames.
    assert "Current thread" not in done.stderr and "boot.py" not in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--inputs", "{not json"], "--inputs is not valid JSON"),
        (["--inputs", "[1]"], "--inputs must be a JSON object, got list"),
        (["--inputs-file", "missing.json"], "cannot read --inputs-file missing.json"),
        (["--timeout-ms", "0"], "--timeout-ms must be a positive number"),
        (["--root", "no/such/dir"], "--root no/such/dir is not a directory"),
    ],
)
def test_usage_errors_exit_2(examples: Path, args: list[str], message: str) -> None:
    done = scriptcontract("run", "scripts/hello.py", *args, cwd=examples)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_validation_errors_exit_2_on_stderr(examples: Path) -> None:
    bad_input = scriptcontract(
        "run",
        "scripts/hello.py",
        "--root",
        str(examples),
        "--inputs",
        '{"input_file": "/etc/passwd"}',
    )
    assert bad_input.returncode == 2
    assert "scriptcontract run: error: Input path validation failed" in bad_input.stderr
    assert "--root DIR" not in bad_input.stderr  # the input is refused, not the root
    assert bad_input.stdout == ""


def test_a_script_outside_the_project_names_the_root_and_root_flag(examples: Path) -> None:
    given = scriptcontract("run", "../outside.py", "--root", str(examples), "--inputs", "{}")
    assert given.returncode == 2 and given.stdout == ""
    assert f"outside the project root {examples.resolve()} (given with --root)" in given.stderr
    assert "--root DIR" in given.stderr


def test_missing_interpreter_exits_2(examples: Path) -> None:
    done = scriptcontract(
        "run", "scripts/hello.py", "--root", str(examples), "--python", "python-nope"
    )
    assert done.returncode == 2
    assert "Python interpreter not found: python-nope" in done.stderr


def test_script_arguments_after_double_dash(project: Project) -> None:
    project.write(
        "scripts/argv.py", "import json, sys\nprint(json.dumps({'argv': sys.argv[1:]}))\n"
    )
    done = scriptcontract(
        "run", "scripts/argv.py", "--root", str(project.root), "--json", "--", "-x", "y"
    )
    assert json.loads(done.stdout)["output"] == {"argv": ["-x", "y"]}


def test_bad_project_config_is_an_error_and_runs_nothing(examples: Path) -> None:
    (examples / "scriptcontract.toml").write_text("[sandbox]\nmemory-mb = 'lots'\n")
    done = scriptcontract("run", "scripts/hello.py", "--root", str(examples))
    assert done.returncode == 2
    # One error, one line: what to fix, and that nothing ran.
    (line,) = done.stderr.splitlines()
    assert line.startswith("scriptcontract run: error: ") and "[sandbox] memory-mb: " in line
    assert "Input should be a valid integer" in line and line.endswith("; nothing was run")
    assert done.stdout == ""
    # Several: the count, then each on its own line.
    (examples / "scriptcontract.toml").write_text("[sandbox]\nnework = false\ntimeout = 3\n")
    two = scriptcontract("run", "scripts/hello.py", "--root", str(examples))
    assert two.returncode == 2 and two.stdout == ""
    first, *listed = two.stderr.splitlines()
    assert first == (
        "scriptcontract run: error: the project's configuration has 2 errors; nothing was run:"
    )
    assert [line.split("scriptcontract.toml: ")[1] for line in listed] == [
        "[sandbox] nework: unknown key (did you mean network?)",
        "[sandbox] timeout: unknown key",
    ]


def test_no_command_prints_help_and_exits_2() -> None:
    done = scriptcontract()
    assert done.returncode == 2
    assert "check" in done.stderr and "run" in done.stderr


def test_piped_stdin_is_the_inputs(examples: Path) -> None:
    done = scriptcontract("run", "scripts/hello.py", cwd=examples, stdin='{"name": "Pipe"}')
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["message"] == "Hello, Pipe!"
    dash = scriptcontract(
        "run", "scripts/hello.py", "--inputs-file", "-", cwd=examples, stdin='{"name": "Dash"}'
    )
    assert json.loads(dash.stdout)["message"] == "Hello, Dash!"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        ([], "", "stdin is empty: pipe a JSON object in"),
        (["--inputs-file", "-"], "  \n", "stdin is empty"),
        ([], "[1, 2]", "the inputs on stdin must be a JSON object, got list"),
        ([], "{oops", "the inputs on stdin is not valid JSON"),
    ],
)
def test_stdin_is_never_silently_replaced(
    examples: Path, args: list[str], stdin: str, message: str
) -> None:
    done = scriptcontract("run", "scripts/hello.py", *args, cwd=examples, stdin=stdin)
    assert done.returncode == 2 and done.stdout == ""
    assert message in done.stderr


def _on_a_terminal(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`scriptcontract run ARGS` with a terminal for stdin, as typed at a prompt."""
    controller, terminal = pty.openpty()
    try:
        return subprocess.run(
            [sys.executable, "-m", "scriptcontract", "run", *args],
            cwd=cwd,
            stdin=terminal,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(terminal)
        os.close(controller)


def test_no_inputs_on_a_terminal_runs_with_the_scripts_inputs_file(examples: Path) -> None:
    """What the editor's "Run with inputs" starts from: `hello.inputs.json` beside it."""
    done = _on_a_terminal(examples, "scripts/hello.py")
    assert done.returncode == 0, done.stderr
    assert (
        "no inputs given (--inputs, --inputs-file or a pipe): using the script's inputs file "
        "scripts/hello.inputs.json" in done.stderr
    )
    assert json.loads(done.stdout)["message"] == "Hello, Lighthouse!"


def test_no_inputs_on_a_terminal_and_no_inputs_file_gives_an_empty_object(
    project: Project,
) -> None:
    project.write("scripts/hello.py", SHOWS_INPUTS)
    done = _on_a_terminal(project.root, "scripts/hello.py")
    assert done.returncode == 0, done.stderr
    assert "no inputs given (--inputs, --inputs-file or a pipe): the script gets {}" in done.stderr
    assert json.loads(done.stdout)["seen"] == {}


def test_a_broken_inputs_file_beside_the_script_is_an_error_on_a_terminal(
    project: Project,
) -> None:
    project.write("scripts/hello.py", SHOWS_INPUTS)
    project.write("scripts/hello.inputs.json", '{"name": ')
    done = _on_a_terminal(project.root, "scripts/hello.py")
    assert done.returncode == 2 and done.stdout == ""
    assert "scripts/hello.inputs.json is not valid JSON" in done.stderr


@pytest.mark.parametrize("stdin", ["", "{}"], ids=["empty", "an-object"])
def test_a_mistyped_script_is_said_before_anything_about_the_inputs(
    project: Project, stdin: str
) -> None:
    project.write("scripts/hello.py", SHOWS_INPUTS)
    done = scriptcontract("run", "scripts/helo.py", cwd=project.root, stdin=stdin)
    assert done.returncode == 2 and done.stdout == ""
    # Alone: not after a note on which folder is the root of a script that is not there.
    assert done.stderr.splitlines() == [
        "scriptcontract run: error: Script not found: scripts/helo.py"
    ]
    # The control: the script that is there gets the note (the project has no configuration).
    found = scriptcontract("run", "scripts/hello.py", cwd=project.root, stdin="{}")
    assert "note: no scriptcontract.toml or pyproject.toml at or above" in found.stderr


@pytest.mark.parametrize("stdin", ["", "{}"], ids=["empty", "an-object"])
@pytest.mark.parametrize("folder", ["scripts", ".", "{root}/scripts"])
def test_a_folder_named_as_the_script_is_said_to_be_one(
    project: Project, stdin: str, folder: str
) -> None:
    """Not "stdin is empty", nor a refusal of the folder above as the project root."""
    project.write("scripts/hello.py", SHOWS_INPUTS)
    named = folder.format(root=project.root)
    done = scriptcontract("run", named, cwd=project.root, stdin=stdin)
    assert done.returncode == 2 and done.stdout == "", done.stdout + done.stderr
    assert done.stderr.splitlines() == [
        f"scriptcontract run: error: {named} is a directory: name the script to run, a .py "
        "file in it"
    ]
    # The control: the script in it runs.
    ran = scriptcontract("run", "scripts/hello.py", cwd=project.root, stdin="{}")
    assert ran.returncode == 0, ran.stderr


def test_a_reader_that_goes_away_ends_the_command_quietly(project: Project) -> None:
    project.write("scripts/big.py", "import json\nprint(json.dumps({'n': list(range(100000))}))\n")
    command = [sys.executable, "-m", "scriptcontract", "run", "scripts/big.py", "--inputs", "{}"]
    with subprocess.Popen(
        command, cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline() == b"{\n"
        process.stdout.close()  # what `| head -1` does
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=60) == 141
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr


def test_short_version_flag() -> None:
    done = scriptcontract("-V")
    assert done.returncode == 0 and done.stdout.startswith("scriptcontract ")
    assert done.stdout == scriptcontract("--version").stdout


@pytest.mark.parametrize("command", ["run", "check", "doctor"])
def test_help_names_both_configuration_files(command: str) -> None:
    done = scriptcontract(command, "--help")
    text = " ".join(done.stdout.split())
    assert "scriptcontract.toml" in text and "pyproject.toml" in text


SHOWS_INPUTS = """
import json, sys
print(json.dumps({"success": True, "seen": json.load(sys.stdin)}))
"""
SECRET = '{"token": "outside-secret"}'


def test_an_inputs_file_symlinked_out_of_the_project_is_refused(
    project: Project, tmp_path: Path
) -> None:
    (tmp_path / "secret.json").write_text(SECRET)
    project.write("scripts/show.py", SHOWS_INPUTS)
    (project.root / "scripts" / "show.json").symlink_to(tmp_path / "secret.json")
    args = ["run", "scripts/show.py", "--root", str(project.root), "--json", "--inputs-file"]
    done = scriptcontract(*args, "scripts/show.json", cwd=project.root)
    assert done.returncode == 2 and done.stdout == ""
    assert (
        "cannot read --inputs-file scripts/show.json: "
        "a symbolic link in its path leads outside the project"
    ) in done.stderr
    # The positive control: the same JSON as a regular file of the project reaches the script.
    (project.root / "scripts" / "show.json").unlink()
    (project.root / "scripts" / "show.json").write_text(SECRET)
    done = scriptcontract(*args, "scripts/show.json", cwd=project.root)
    assert json.loads(done.stdout)["output"]["seen"] == {"token": "outside-secret"}


def test_an_inputs_file_outside_the_project_may_be_a_pipe_the_user_named(
    project: Project,
) -> None:
    # `--inputs-file <(jq ...)` and `/dev/stdin` are pipes the user started the writer of.
    project.write("scripts/show.py", SHOWS_INPUTS)
    done = scriptcontract(
        "run",
        "scripts/show.py",
        "--root",
        str(project.root),
        "--json",
        "--inputs-file",
        "/dev/stdin",
        stdin='{"from": "a pipe"}',
    )
    assert json.loads(done.stdout)["output"]["seen"] == {"from": "a pipe"}, done.stderr


def test_fifos_in_the_project_never_hang_a_run(project: Project) -> None:
    project.write("scripts/show.py", SHOWS_INPUTS)
    os.mkfifo(project.root / "scripts" / "pipe.json")
    os.mkfifo(project.root / "scripts" / "pipe.py")
    started = time.monotonic()
    inputs = scriptcontract(
        "run",
        "scripts/show.py",
        "--root",
        str(project.root),
        "--inputs-file",
        "scripts/pipe.json",
        cwd=project.root,
        timeout=20,
    )
    assert inputs.returncode == 2
    assert "scripts/pipe.json: it is a FIFO (named pipe), not a regular file" in inputs.stderr
    script = scriptcontract("run", "scripts/pipe.py", "--root", str(project.root), timeout=20)
    assert script.returncode == 2
    assert "Script path is not a file: scripts/pipe.py" in script.stderr
    os.mkfifo(project.root / "scriptcontract.toml")
    config = scriptcontract("run", "scripts/show.py", "--root", str(project.root), timeout=20)
    assert "scriptcontract.toml: cannot read: it is a FIFO (named pipe)" in config.stderr
    assert "Traceback" not in inputs.stderr + script.stderr + config.stderr
    assert time.monotonic() - started < 30


def test_a_configuration_nested_too_deeply_is_a_configuration_error(project: Project) -> None:
    project.write("scripts/show.py", SHOWS_INPUTS)
    (project.root / "scriptcontract.toml").write_text("a = " + "[" * 100_000 + "]" * 100_000)
    done = scriptcontract("run", "scripts/show.py", "--root", str(project.root), timeout=20)
    assert "scriptcontract.toml: invalid TOML: nested too deeply" in done.stderr
    assert "Traceback" not in done.stderr


def test_inputs_nested_too_deeply_are_refused_before_the_run(
    project: Project, tmp_path: Path
) -> None:
    project.write("scripts/show.py", SHOWS_INPUTS)
    # One argument may hold 128 KiB: 60,000 levels fit, and Python's parser stops near 1,000.
    deep = '{"a": ' + "[" * 60_000 + "]" * 60_000 + "}"
    (tmp_path / "deep.json").write_text('{"a": ' * 100_000 + "1" + "}" * 100_000)
    with pytest.raises(RecursionError):  # the positive control: what `run` did with it
        json.loads(deep)
    base = ["run", "scripts/show.py", "--root", str(project.root)]
    argument = scriptcontract(*base, "--inputs", deep)
    assert argument.returncode == 2
    assert "--inputs is nested too deeply to be read as JSON" in argument.stderr
    file = scriptcontract(*base, "--inputs-file", str(tmp_path / "deep.json"))
    assert file.returncode == 2 and "deep.json is nested too deeply" in file.stderr
    parsed = scriptcontract(*base, "--inputs", '{"a": ' * 300 + "1" + "}" * 300)
    assert parsed.returncode == 2
    assert "Inputs are nested more than 200 levels deep" in parsed.stderr
    assert "Traceback" not in argument.stderr + file.stderr + parsed.stderr


def test_quiet_leaves_what_went_wrong_alone_on_stderr(project: Project) -> None:
    """`-q`, as ruff's: no notes (the root chosen), no success line, no sandbox line; a
    failure is still said."""
    project.write("scripts/ok.py", "import json\nprint(json.dumps({'success': True}))\n")
    project.write(
        "scripts/fails.py",
        "import json, sys\nprint(json.dumps({'success': False, 'error': 'no'}))\nsys.exit(1)\n",
    )
    loud = scriptcontract("run", "scripts/ok.py", cwd=project.root)
    quiet = scriptcontract("run", "-q", "scripts/ok.py", cwd=project.root)
    assert loud.returncode == quiet.returncode == 0, loud.stderr + quiet.stderr
    assert json.loads(quiet.stdout) == json.loads(loud.stdout) == {"success": True}
    # The control: without -q, the note on the root (no configuration), the success line
    # and the sandbox line.
    assert "note: no scriptcontract.toml" in loud.stderr and "✓ success" in loud.stderr
    assert "sandbox: " in loud.stderr
    assert quiet.stderr == ""
    failed = scriptcontract("run", "--quiet", "scripts/fails.py", cwd=project.root)
    assert failed.returncode == 1 and json.loads(failed.stdout)["error"] == "no"
    (line,) = failed.stderr.splitlines()  # the failure alone, no sandbox line
    assert line.startswith("✗ failed (exit 1, ") and line.endswith("): no"), line
