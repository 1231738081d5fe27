"""Runs in headless real Neovim 0.11, as a user would notice them: one result window, one-line
messages, a run that can be cancelled, and the rule's link on hover."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from tests.cli.runner import scriptcontract
from tests.editors.conftest import NVIM_TIMEOUT_S, RunScenario
from tests.editors.screen_svg import screen_svg
from tests.editors.server_probe import ServerFeatures
from tests.editors.test_nvim import require
from tests.procs import is_alive
from tests.time_limits import GRACE_S

pytestmark = pytest.mark.timeout(NVIM_TIMEOUT_S + GRACE_S)


def wait_gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not is_alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_every_run_reuses_one_result_window(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "scriptcontract.runNow")
    run = run_scenario("results_window")
    # Code window + one result window, the code window's height unchanged run after run.
    assert run.facts["windows"] == [2, 2, 2]
    assert len(set(run.facts["heights"])) == 1, run.facts["heights"]
    assert run.facts["windows_after_another_script"] == 2
    assert run.facts["height_after_another_script"] == run.facts["heights"][0]
    assert run.facts["cursor_stays_in_code"]


def test_messages_are_one_line_that_fits(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "scriptcontract.runNow", "scriptcontract.parseInputs")
    run = run_scenario("one_line_messages")
    notifications = run.facts["notifications"]
    assert len(notifications) >= 3
    for item in notifications:
        assert "\n" not in item["message"], item
        assert item["width"] <= run.facts["echospace"], item
    # What is wrong with typed inputs, in words and with where; the prompt comes back saying it.
    assert "a comma cannot come before } in JSON at column 9" in run.facts["not_json"]
    first, again = run.facts["prompts"]
    assert first["prompt"].startswith("Inputs for long_error.py")
    assert again["prompt"].startswith("Not valid JSON: a comma cannot come before }")
    assert again["default"] == '{"name": "x",}'  # the text typed, to fix
    # A refused run is said once: the plugin's outcome, no second message from the server.
    assert "configuration has errors" in run.facts["refused"]
    refusals = [n for n in notifications if "not run" in n["message"].lower()]
    assert len(refusals) == 1, refusals
    # The configuration's error names its file and key within the line; the whole message,
    # cut there, is in :LspLog at Neovim's default level.
    assert "scriptcontract.toml" in run.facts["invalid"] and "timeout" in run.facts["invalid"]
    assert run.facts["invalid"].endswith("…"), run.facts["invalid"]
    assert any("runs are refused until it is fixed" in line for line in run.facts["logged"]), (
        run.facts["log_level"],
        run.facts["logged"],
    )


def test_a_run_shows_its_progress_and_stops_on_cancel_or_when_its_buffer_closes(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "scriptcontract.runNow")
    run = run_scenario("cancel_run")
    assert "Running wait_for_service.py with the inputs you gave" in run.facts["progress"]
    assert "ScriptContractCancel" in run.facts["progress"]
    assert run.facts["cancelled_lines"][0].startswith("wait_for_service.py: cancelled")
    assert wait_gone(run.facts["pid_by_command"]), "the script survived :ScriptContractCancel"
    assert wait_gone(run.facts["pid_by_closing"]), "the script survived closing its buffer"
    errors = [n for n in run.facts["notifications"] if n["level"] == 4]  # vim.log.levels.ERROR
    assert errors == []


def test_hover_over_a_finding_gives_the_rule_and_its_link(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "hoverProvider")
    run = run_scenario("hover_rule")
    text = "\n".join(run.facts["hover_lines"])
    assert "SCR105" in text and "stray-stdout-output" in text
    assert "/SCR105.md" in text


def test_the_docs_screens_of_a_failure_a_timeout_and_a_success(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "scriptcontract.runNow")
    run = run_scenario("docs_screens")
    for name, expected in (
        ("failure", "KeyError: 'name' — the inputs have no \"name\""),
        ("timeout", " s: it was running this line"),  # after 3.0 s, or more on a loaded machine
        ("success", "✓ hello.py"),
        # Beside the entry line, without inlay hints on, going on from the lens's outcome
        # (the time said once).
        ("success", "Run with inputs · ✓ "),
        ("success", ' ms → {"message": "Hello, World!"}'),
    ):
        screen = run.facts[name]
        text = "\n".join("".join(cell["text"] for cell in row) for row in screen["rows"])
        assert expected in text, text
        # Paths in the project are shown relative to it (tracebacks, the stack at timeout),
        # and the sandbox's own frames not at all.
        assert str(run.workspace) not in text, text
        assert "_scriptcontract_confine" not in text, text
        assert "Current thread 0x" not in text, text  # the address says nothing of the script
        assert not re.search(r"✓ \d+ ms ✓", text), text
        images = os.environ.get("SCRIPTCONTRACT_DOCS_IMAGES")
        if images:  # refreshes docs/editors/images (see docs/editors/neovim.md)
            Path(images, f"neovim-run-{name}.svg").write_text(screen_svg(screen), encoding="utf-8")


def test_a_buffer_that_is_no_file_or_cannot_be_written_is_refused_in_one_line(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "scriptcontract.runNow", "scriptcontract.runCases")
    run = run_scenario("not_a_file")
    for attempt in run.facts["unnamed"]:
        assert attempt["ok"], attempt  # no Lua error (E32: No file name) out of the command
        (said,) = attempt["said"]
        assert said.startswith("scriptcontract: write the script to a file first: "), attempt
    readonly = run.facts["readonly"]
    assert readonly["ok"], readonly
    said = readonly["said"]["message"]
    assert said.startswith("scriptcontract: cannot write greet_new.py: E45"), readonly
    assert not run.facts["written_while_readonly"]
    for item in run.facts["notifications"]:
        assert item["width"] <= run.facts["echospace"], item
    assert any("hi Ada" in line for line in run.facts["result_lines"])


def test_run_with_inputs_offers_the_inputs_file_as_edited_not_as_on_disk(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "scriptcontract.runNow", "scriptcontract.inputsTemplate")
    run = run_scenario("unsaved_inputs_file")
    assert run.facts["modified_before"]
    (prompt,) = run.facts["prompts"]
    assert json.loads(prompt["default"]) == {"name": "Unsaved edit"}
    assert any("Hello, Unsaved edit!" in line for line in run.facts["result_lines"])
    # Written first, as the script is: the run's inputs are the file's.
    assert not run.facts["modified_after"]
    sidecar = run.workspace / "scripts" / "hello.inputs.json"
    assert json.loads(sidecar.read_text(encoding="utf-8")) == {"name": "Unsaved edit"}


def test_run_file_runs_with_the_inputs_of_a_json_file_named_or_asked_for(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "scriptcontract.runNow")
    run = run_scenario("run_file")
    assert run.facts["completion"] == ["scripts/other.json"]
    assert run.facts["named"][0].startswith("✓ hello.py")
    assert any("Hello, from a file!" in line for line in run.facts["named"])
    (prompt,) = run.facts["prompts"]
    assert prompt["prompt"] == "Inputs file for hello.py: "
    assert prompt["default"] == "scripts/"
    assert any("Hello, Lighthouse!" in line for line in run.facts["asked"])
    # The path as in the project (an absolute one would fill the line, cut before the name).
    assert "cannot read the inputs file scripts/missing.json" in run.facts["missing"]
    for item in run.facts["notifications"]:
        assert item["width"] <= run.facts["echospace"], item


def test_a_refused_test_or_exploration_says_why_once(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "scriptcontract.runCases", "scriptcontract.explore")
    run = run_scenario("refusals_once")
    messages = [n["message"] for n in run.facts["notifications"]]
    assert "call_api.py has no cases" in run.facts["cases_error"]
    assert len([m for m in messages if "call_api.py has no cases" in m]) == 1, messages
    assert run.facts["explore_error"], run.facts
    said = [m for m in messages if run.facts["explore_error"][:40] in m]
    assert len(said) == 1, (run.facts["explore_error"], messages)


def test_code_lenses_come_and_follow_runs_without_an_autocommand_of_the_users(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "codeLensProvider", "scriptcontract.runNow")
    run = run_scenario("lenses_kept_up_to_date")
    assert any(title.startswith("▶ Run with inputs") for title in run.facts["first"])
    assert any("Run with inputs · ✓" in title for title in run.facts["after_run"])
    assert not any("✓" in title for title in run.facts["second_before"])
    assert any("Run with inputs · ✓" in title for title in run.facts["second_after"])
    assert run.facts["opted_out"] == []


def test_a_run_whose_server_stops_is_said_to_have_ended_at_once(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "scriptcontract.runNow")
    run = run_scenario("server_stops_during_run")
    assert run.facts["ended"].startswith(
        "scriptcontract: wait_for_service.py: not finished: the language server stopped"
    )
    assert run.facts["result_lines"][0].startswith("wait_for_service.py: not finished")
    assert run.facts["running"] == 0
    assert run.facts["cancel_said"] == "scriptcontract: no run in progress"
    # The script went with its server (the sandbox ties it to the server's life).
    assert wait_gone(run.facts["script_pid"]), "the script outlived its language server"


def test_without_a_server_the_commands_say_why_and_what_to_do(run_scenario: RunScenario) -> None:
    run = run_scenario("no_server")
    assert run.facts["filetype"] == "python" and run.facts["clients"] == 0
    messages = [n["message"] for n in run.facts["notifications"]]
    assert len(messages) == 4, messages
    missing = "scriptcontract: the command scriptcontract-absent is not found: install"
    assert all(message.startswith(missing) for message in messages[:3]), messages
    assert messages[3].startswith("scriptcontract: this is not a Python script"), messages
    for item in run.facts["notifications"]:
        assert item["width"] <= run.facts["echospace"], item


def test_a_server_command_a_run_could_have_planted_on_path_is_not_started(
    run_scenario: RunScenario,
) -> None:
    run = run_scenario("planted_server_cmd")
    assert run.facts["refused_clients"] == 0
    assert run.facts["planted_started"] is False
    messages = [n["message"] for n in run.facts["notifications"]]
    assert messages[0].startswith(
        "scriptcontract: not started, PATH finds it where runs write: "
        'setup({ cmd = { "/full/path", "serve" } })'
    ), messages
    # The command says the same, not that the command is missing.
    assert messages[1] == messages[0], messages
    for item in run.facts["notifications"]:
        assert item["width"] <= run.facts["echospace"], item
    # The control: the same program outside the project is started.
    assert run.facts["outside_started"] is True
    assert run.facts["planted_started_after"] is False
    assert "below_home" not in run.facts  # nil: nothing refused
    assert "not started" in run.facts["below_home_as_project"]


def test_a_success_shows_beside_the_entry_line_without_inlay_hints(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "scriptcontract.runNow", "inlayHintProvider")
    run = run_scenario("inline_result")
    assert not run.facts["hints_enabled"]
    (shown,) = run.facts["shown"]
    (hint,) = run.facts["server_hints"]
    # The server's words at the server's line (what VS Code shows there), less the outcome
    # the code lens on that line shows already.
    assert shown["line"] == hint["line"] and hint["label"].startswith("✓ "), (shown, hint)
    assert shown["text"] == hint["label"][hint["label"].index("→") :], (shown, hint)
    assert shown["text"].startswith("→ ") and "Hello, Ada!" in shown["text"], shown
    assert shown["hl"] == "ScriptContractResult"
    (moved,) = run.facts["after_other_edit"]
    assert moved == {**shown, "line": shown["line"] + 1}
    assert run.facts["after_line_edit"] == []
    assert "Hello, Grace!" in run.facts["second"][0]["text"]
    assert run.facts["during_next_run"] == []
    (lensless,) = run.facts["without_lenses"]
    assert lensless["text"].startswith("✓ ") and "Hello, Lensless!" in lensless["text"]
    assert run.facts["when_off"] == []
    assert run.facts["with_inlay_hints"] == []


def test_result_restart_and_log_commands_as_vscode_has_them(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "scriptcontract.runNow")
    run = run_scenario("server_commands")
    assert run.facts["before_run"].startswith("scriptcontract: no result of hello.py yet")
    assert run.facts["windows_before_run"] == 1
    assert (run.facts["windows_closed"], run.facts["windows_shown"]) == (1, 2)
    assert run.facts["shown"][0].startswith("✓ hello.py")
    assert any("Hello, Again!" in line for line in run.facts["shown"])
    assert run.facts["cursor_stays"]
    assert run.facts["old_stopped"] and run.facts["clients"] == 1
    assert run.facts["new_answers"]
    assert run.facts["restarted"] == "scriptcontract: the language server restarted"
    assert run.facts["log_opened"] == run.facts["log_path"]
    assert run.facts["tabs"] == 2


def test_test_all_runs_the_cases_files_the_cli_runs_and_none_it_leaves_out(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "scriptcontract.findCasesFiles", "scriptcontract.runCases")
    run = run_scenario("test_all_ignored")
    files = [Path(file).relative_to(run.workspace).as_posix() for file in run.facts["files"]]
    # The copy in the folder .gitignore names is not run; the same file beside it is.
    assert "scripts/kept/copy.cases.json" in files
    assert "scripts/generated/copy.cases.json" not in files
    cli = scriptcontract("test", "--format", "json", cwd=run.workspace)
    ran = [file["path"] for file in json.loads(cli.stdout)["files"]]
    assert files == sorted(ran), cli.stderr
    # Five of the examples' and the kept copy's three.
    assert run.facts["summary"].startswith("15 cases: 14 passed, 1 failed"), run.facts["summary"]


def test_inputs_the_declared_schema_refuses_run_only_when_run_anyway(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "scriptcontract.runNow")
    run = run_scenario("schema_check")
    refused = run.facts["refused"]
    assert refused[0].startswith("✗ hello.py not run: the inputs do not match"), refused
    # One line of the result window per problem, as the server lists them.
    assert "  - nam: not allowed by the schema" not in refused  # no additionalProperties
    assert "  - name: expected a value (required), got nothing" in refused, refused
    assert run.facts["offered_anyway"] == ["Run anyway"]  # (the harness stops at its choice)
    assert any("Hello, World!" in line for line in run.facts["ran_anyway"])
    # The control: an inferred schema only warns, and offers nothing.
    warned = run.facts["warned"]
    assert "--- warning ---" in warned, warned
    assert "  - nam: hello.py never reads this key (did you mean name?)" in warned, warned
    assert any("Hello, World!" in line for line in warned)
    assert run.facts["warning"] == (
        "scriptcontract: hello.py: check the inputs: nam: hello.py never reads this key (did "
        "you mean name?)"
    )
    assert run.facts["offered_after_warning"] == "nothing"
    # The cases: refused as a run is (the server's message), run once the user says so.
    assert run.facts["cases_refusal"] == (
        "scriptcontract: cases not run: 1 refused by the declared schema (see the quickfix list)"
    ), run.facts["cases_refusal"]
    # Each refused case's problems at the case, where a failing case's are.
    assert run.facts["refused_quickfix"] == [
        {
            "file": "hello.cases.json",
            "lnum": 1,
            "text": "typo: not run: name: expected a value (required), got nothing",
        }
    ], run.facts["refused_quickfix"]
    assert (
        run.facts["refused_title"]
        == "scriptcontract test: not run: 1 refused by the declared schema"
    )
    # :ScriptContractTestAll lists it the same way (not the whole refusal on one line).
    assert run.facts["test_all_refused"] == run.facts["refused_quickfix"]
    assert "1 file with errors" in run.facts["test_all_summary"], run.facts["test_all_summary"]
    refusals = [
        n
        for n in run.facts["notifications"]
        if "cases not run" in n["message"] or "Not run: inputs" in n["message"]
    ]
    assert len(refusals) == 1, refusals  # the plugin's, not the server's as well
    assert run.facts["cases_offered"] == ["Run anyway"]
    assert [case["name"] for case in run.facts["cases_run"]] == ["typo"]
