"""The Neovim plugin in headless real Neovim 0.11 against the real language server."""

from __future__ import annotations

import json
import re
import venv
from pathlib import Path

import pytest

from scriptcontract.contract.script_template import script_text
from tests.cli.runner import scriptcontract
from tests.editors.conftest import NVIM_TIMEOUT_S, RunScenario
from tests.editors.server_probe import ServerFeatures
from tests.time_limits import GRACE_S

# Neovim itself runs under NVIM_TIMEOUT_S: the test's own limit leaves it room to say so.
pytestmark = pytest.mark.timeout(NVIM_TIMEOUT_S + GRACE_S)

RUN_NOW, TEMPLATE = "scriptcontract.runNow", "scriptcontract.inputsTemplate"
# broken_debug_print.py: the `print("Starting the count...")` that corrupts stdout (0-based).
DEBUG_PRINT_LINE = 7


def require(features: ServerFeatures, *needed: str) -> None:
    """Fails at once, saying why, when the server cannot start or lacks what the scenario
    uses (rather than in Neovim's time limit, or by a skip that would leave this green)."""
    problem = features.missing(*needed)
    if problem is not None:
        pytest.fail(problem, pytrace=False)


def test_client_attaches_at_the_project_root_and_diagnostics_arrive(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features)
    run = run_scenario("diagnostics")
    assert run.facts["root_dir"] == str(run.workspace)  # found by scriptcontract.toml
    diagnostics = run.facts["diagnostics"]
    assert diagnostics
    assert all(re.fullmatch(r"SCR\d{3}", str(d["code"])) for d in diagnostics), diagnostics
    assert any(d["lnum"] == DEBUG_PRINT_LINE for d in diagnostics), diagnostics


def test_a_configuration_changed_on_disk_outside_neovim_reaches_the_open_script(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features)
    run = run_scenario("disk_changes")
    # Neovim on Linux registers no watchers: the server's own watch saw the change.
    assert run.facts["dynamic_watchers"] is False
    assert "SCR105" in run.facts["before"]
    assert "SCR105" not in run.facts["after"]
    assert run.facts["after"], "the script's other findings stay"


def test_a_quick_fix_applies_and_its_diagnostic_goes_away(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "codeActionProvider")
    run = run_scenario("quick_fix")
    assert run.facts["chosen"], run.facts["offered"]
    assert run.facts["after"] != run.facts["before"]
    target = run.facts["target"]
    assert not any(
        d["code"] == target["code"] and d["lnum"] == target["lnum"]
        for d in run.facts["diagnostics_after"]
    )


def test_the_run_code_action_prompts_then_publishes_the_failure(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(
        server_features,
        "codeActionProvider",
        "scriptcontract.runNow",
        "scriptcontract.inputsTemplate",
    )
    run = run_scenario("run_code_action")
    (prompt,) = run.facts["prompts"]
    # Pre-filled from the keys the script reads (it reads inputs["name"]).
    assert "name" in json.loads(prompt["default"]), prompt
    errors = [d for d in run.facts["run_diagnostics"] if d["severity"] == 1]
    assert any("KeyError" in d["message"] for d in errors), run.facts["run_diagnostics"]
    lines = run.facts["result_lines"]
    assert lines[0].startswith("✗ broken_no_error_handling.py"), lines
    assert any("KeyError" in line for line in lines), lines


def test_the_run_code_lens_prompts_with_the_inputs_file_and_shows_the_result(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(
        server_features,
        "codeLensProvider",
        "scriptcontract.runNow",
        "scriptcontract.inputsTemplate",
    )
    run = run_scenario("run_code_lens")
    sidecar = json.loads((run.workspace / "scripts" / "hello.inputs.json").read_text())
    (prompt,) = run.facts["prompts"]
    assert json.loads(prompt["default"]) == sidecar
    # A success is not a problem: no diagnostic, an inlay hint on the entry line.
    assert run.facts["run_diagnostics"] == []
    (hint,) = run.facts["inlay_hints"]
    assert hint["line"] == run.facts["entry_line"] and hint["label"].startswith("✓")
    lines = run.facts["result_lines"]
    assert lines[0].startswith("✓ hello.py"), lines
    assert any("Hello, Lighthouse!" in line for line in lines), lines


def test_run_command_with_json_runs_without_prompting(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, RUN_NOW)
    run = run_scenario("run_command")
    assert any("Hello, Neovim!" in line for line in run.facts["result_lines"])
    assert "Hello, Neovim!" in run.facts["inlay_hints"][0]["label"]
    assert any("must be a JSON object" in m for m in run.facts["invalid_messages"])


def test_the_result_shows_the_output_as_the_script_wrote_it(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, RUN_NOW)
    lines = run_scenario("run_output_as_written").facts["result_lines"]
    start = lines.index("--- output ---") + 1
    assert lines[start : start + 7] == [
        "{",
        '  "success": true,',
        '  "total": 6.0,',
        '  "id": 12345678901234567890,',
        '  "b": 1,',
        '  "a": 2',
        "}",
    ], lines


def test_mistakes_in_setup_are_said_and_left_out_and_the_rest_applies(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features)
    facts = run_scenario("setup_mistakes").facts
    (said, not_a_table) = facts["messages"]
    assert said["level"] == 4  # vim.log.levels.ERROR
    text = said["message"]
    assert text.startswith("scriptcontract.setup(): ") and text.endswith(" (left out)"), text
    for problem in (
        'unknown option "codelense" (did you mean codelens?)',
        'result: expected "split" or "notify", got "popup"',
        'inline_result: expected true or false, got "no"',
    ):
        assert problem in text, text
    assert not_a_table["message"] == (
        'scriptcontract.setup(): expected a table of options, got "scriptcontract serve"'
    )
    # The valid ones applied (codelens off, the command given), the wrong ones kept defaults.
    assert facts["config"] == {"result": "split", "codelens": False, "inline_result": True}
    assert facts["attached"] == 1
    wanted = 'a list: the command and its arguments, e.g. { "scriptcontract", "serve" }'
    assert facts["cmd_messages"] == [
        f'scriptcontract.setup(): cmd: expected {wanted}, got "scriptcontract serve" (left out)',
        f'scriptcontract.setup(): cmd: expected {wanted}, got {{ "scriptcontract", 5 }} (left out)',
    ]


def test_create_inputs_writes_the_sidecar_file(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "scriptcontract.createInputs")
    run = run_scenario("create_inputs")
    sidecar = json.loads(Path(run.facts["sidecar"]).read_text(encoding="utf-8"))
    assert isinstance(sidecar, dict)
    assert "name" in sidecar


def test_on_save_mode_publishes_nothing_until_write(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features)
    run = run_scenario("on_save")
    line = run.facts["inserted_line"]
    assert not any(d["lnum"] == line for d in run.facts["before_write"]), run.facts
    assert any(d["lnum"] == line for d in run.facts["after_write"]), run.facts


def test_the_docs_lazy_nvim_spec_names_the_plugin_and_starts_the_server(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features)
    run = run_scenario("lazy_spec")
    # lazy.nvim names a plugin after its folder ("nvim") unless the spec names it.
    assert run.facts.get("name") == "scriptcontract"
    assert run.facts["dir"].endswith("/editors/nvim") and run.facts["ft"] == "python"
    assert run.facts["attached"] == 1


def test_script_contract_test_fills_the_quickfix_list_and_lenses_run_cases(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "codeLensProvider", "scriptcontract.runCases")
    run = run_scenario("cases_test")
    facts = run.facts
    meant = "a missing name is a JSON error (meant to fail: the script does not handle it)"
    assert facts["outcomes"] == {"greets by name": "passed", meant: "failed"}
    # The command line's words (`scriptcontract test`), for this script's cases: whole in the
    # quickfix list's title, in the message as far as the line allows.
    said = "broken_no_error_handling.py: 2 cases: 1 passed, 1 failed"
    assert facts["quickfix_title"] == "scriptcontract test: " + said
    (item,) = facts["quickfix"]
    assert item["file"] == "broken_no_error_handling.cases.json"
    assert item["lnum"] == 12  # the expectation that differs
    assert item["text"].startswith(meant + ": no JSON output")
    assert "KeyError: 'name'" in item["text"]
    # (Headless Neovim is 80 columns wide: the message is cut there.)
    whole = "scriptcontract: " + said
    cut = [n["message"].removesuffix("…") for n in facts["notified"]]
    assert any(len(m) > len("scriptcontract: ") and whole.startswith(m) for m in cut), cut
    assert any("KeyError" in d["message"] for d in facts["script_diagnostics"])
    assert facts["opened"] == "broken_no_error_handling.cases.json"
    assert facts["cursor_line"] == 12
    assert any(meant in d["message"] for d in facts["cases_diagnostics"])
    assert facts["lens_after"].startswith("▶ Run case · ✓ ")
    assert facts["quickfix_after_lens"] == {
        "title": "scriptcontract test: hello.py: 1 case: 1 passed",
        "size": 0,
    }
    # The positive control of the attached cases file above: a plain JSON file gets none.
    assert facts["clients_on_plain_json"] == 0
    # The run's outcome is not said twice (control: another first difference is added).
    assert facts["quickfix_texts"] == {
        "crashed": "n: failed: 'items'",
        "differs": "n: failed: 'items' — output.n: expected 1, got 2",
    }


def test_accept_actual_output_and_add_as_case_in_neovim(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "codeActionProvider", "scriptcontract.addCase")
    facts = run_scenario("cases_accept_and_add").facts
    (stale,) = facts["quickfix_stale"]
    assert stale["text"].startswith("greets by name: output differs"), stale
    assert stale["lnum"] == facts["failure"]["lnum"] + 1  # the quickfix entry is the diagnostic's
    assert 'case "greets by name": output.message: expected "Hi Ada"' in facts["failure"]["message"]
    assert 'Accept actual output of case "greets by name"' in facts["offered"]
    assert '"Hello, Ada!"' in facts["accepted_line"]
    assert facts["quickfix_accepted"] == []  # every case passed once accepted
    assert "+ Add as case" in facts["lens_choices"]
    added = facts["written"]["cases"][-1]
    assert added["inputs"] == {"name": "Zed"}
    assert added["expect"]["output"] == {"success": True, "message": "Hello, Zed!"}
    assert facts["cases_modified"] is False  # written, as `run --save-case` writes it
    assert facts["quickfix_added"] == []
    messages = [n["message"] for n in facts["notified"]]
    added_message = 'Added a case to hello.cases.json: {"name": "Zed"}'
    # The server's message, as the plugin shows every one: one line through vim.notify.
    assert any(added_message in m for m in messages), messages
    assert any("hello.py: 4 cases: 4 passed" in m for m in messages), messages


def test_the_template_code_action_fills_an_empty_script(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "codeActionProvider")
    run = run_scenario("template_code_action")
    assert "Insert workflow script template" in [a["title"] for a in run.facts["offered"]]
    assert run.facts["text"] == script_text()
    assert Path(run.facts["path"]).read_text(encoding="utf-8") == script_text()


def test_the_completion_item_expands_the_template_as_a_snippet(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "completionProvider")
    run = run_scenario("template_completion")
    assert "workflow-script" in run.facts["items"], run.facts
    assert run.facts["mode"] == "n", run.facts
    assert run.facts["snippet_active"], "Neovim expanded it as a snippet, with tab stops"
    # The snippet ends with the template's last newline and `$0`: Neovim keeps the line that
    # newline opens (the cursor's) as the buffer's last, empty line.
    assert run.facts["expanded"] == script_text() + "\n"
    assert (
        run.facts["typed"]
        == script_text().replace(
            '    value = inputs["name"]\n    return {"success": True, "result": value}',
            '    value = inputs["path"]\n    return {"success": True, "result": [value]}',
        )
        + "\n"
    ), run.facts["typed"]


def test_an_inputs_file_gets_diagnostics_key_and_value_completion_and_definition(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "completionProvider")
    facts = run_scenario("inputs_file").facts
    marked = sorted((d["lnum"], d["code"], d["severity"]) for d in facts["diagnostics"])
    # hello.py reads "name" (a text, default "World") and nothing else; no schema is declared.
    assert marked == [(1, "wrong-type", 2), (2, "unread-key", 3)]
    assert facts["completion"] == [
        {
            "label": "name",
            "detail": 'string, optional, default "World"',
            "new_text": '"name": "World"',
        }
    ]
    line = '  "name": "Wo"'
    assert facts["value_completion"] == [
        {
            "label": '"World"',
            "detail": "the default",
            "preselect": True,
            "new_text": '"World"',
            "from": line.index('"Wo'),
            "to": len(line),
        }
    ]
    # Neovim shows the hover's markdown source, concealing only its `**`: no backslash
    # before the quotes, colon, commas and dots of what is plain text.
    assert facts["hover_lines"][0] == (
        '**"name": string, optional, default "World" (schema inferred from hello.py)**'
    ), facts["hover_lines"]
    assert facts["hover_lines"][-1] == "Read on line 8 of hello.py.", facts["hover_lines"]
    definition = facts["definition"]
    assert definition["file"] == "hello.py"
    assert definition["line"] == '    name = inputs.get("name", "World")'
    assert definition["column"] == definition["line"].index('"name"')


def test_script_contract_explore_marks_the_failing_line_and_saves_its_input_as_a_case(
    run_scenario: RunScenario, server_features: ServerFeatures, examples: Path
) -> None:
    from tests.explore import scripts

    require(server_features, "codeActionProvider", "scriptcontract.explore")
    script = examples / "scripts" / "explore_divides.py"
    script.write_text(scripts.DIVIDES.lstrip("\n"), encoding="utf-8")
    facts = run_scenario("explore").facts
    line = scripts.DIVIDES_LINE
    assert facts["seed"] == 5
    division = next(item for item in facts["quickfix"] if item["lnum"] == line)
    prefix = "ZeroDivisionError; smallest input: "
    assert division["text"].startswith(prefix)
    assert json.loads(division["text"].removeprefix(prefix)) == {"total": 0, "count": 0}
    assert facts["failure"]["lnum"] == line - 1
    assert facts["failure"]["message"].startswith("ZeroDivisionError: division by zero; ")
    assert "Save input as case" in facts["offered"]
    (case,) = facts["written"]["cases"]
    assert case["name"] == f"explored: ZeroDivisionError at line {line}"
    assert case["inputs"] == {"total": 0, "count": 0}
    messages = [n["message"] for n in facts["notifications"]]
    # The message ends with why it stopped, as the server (and the CLI) say it.
    assert facts["stopped"].startswith("stopped at the run budget of 200 runs")
    summary = [m for m in messages if "explore_divides.py: 2 failures in " in m]
    assert len(summary) == 1, messages
    # One line that fits (longer would stop Neovim at "Press ENTER"); the quickfix list's
    # title, which :copen shows, has it whole.
    assert all(n["width"] <= facts["echospace"] for n in facts["notifications"]), messages
    assert summary[0].startswith("scriptcontract: explore_divides.py: 2 failures in ")
    assert facts["quickfix_title"].startswith("scriptcontract explore: explore_divides.py: 2")
    # The command line's words (its run count may differ: it stops when every input ran).
    cli = scriptcontract(
        "test", "--explore", "scripts/explore_divides.py", "--seed", "5", cwd=examples
    )
    assert cli.stdout.strip().splitlines()[-1].startswith("2 failures in "), cli.stdout
    assert facts["quickfix_title"].endswith(f" (seed 5); {facts['stopped']}")


def test_script_contract_test_all_runs_every_scripts_cases_as_the_cli_does(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "scriptcontract.runCases")
    run = run_scenario("test_all")
    files = [Path(file).relative_to(run.workspace).as_posix() for file in run.facts["files"]]
    assert files == [
        "scripts/broken_no_error_handling.cases.json",
        "scripts/create_ticket.cases.json",
        "scripts/hello.cases.json",
        "scripts/process_file.cases.json",
        "scripts/transform_data.cases.json",
    ]
    assert not run.facts["modified"]  # the unsaved script was written, so its cases ran
    # The command line's summary, in its words (the time aside).
    cli = scriptcontract("test", cwd=run.workspace)
    assert cli.returncode == 1, cli.stderr
    cli_summary = cli.stdout.strip().splitlines()[-1]
    assert (
        run.facts["summary"].split(" (")[0]
        == cli_summary.split(" (")[0]
        == "12 cases: 11 passed, 1 failed"
    )
    (failure,) = run.facts["quickfix"]
    assert failure["file"] == "broken_no_error_handling.cases.json"
    assert failure["text"].startswith("a missing name is a JSON error"), failure
    assert run.facts["quickfix_title"] == "scriptcontract test: " + run.facts["summary"]
    assert run.facts["quickfix_open"]
    said = [n for n in run.facts["notifications"] if "12 cases: " in n["message"]]
    assert said and all(n["width"] <= run.facts["echospace"] for n in said), said


IMPORTS_FANCYLIB = """import json
import sys

import fancylib

print(json.dumps({"success": True, "greeting": fancylib.shout(json.load(sys.stdin)["name"])}))
"""


def test_use_python_sets_run_python_for_the_session_and_the_run_again_succeeds(
    run_scenario: RunScenario, server_features: ServerFeatures, examples: Path
) -> None:
    require(server_features, "codeActionProvider", "scriptcontract.usePython")
    venv.EnvBuilder(symlinks=True, with_pip=False).create(examples / ".venv")
    (site,) = (examples / ".venv").glob("lib/python3.*/site-packages")
    (site / "fancylib.py").write_text("def shout(text):\n    return text.upper()\n")
    (examples / "scripts" / "uses_fancylib.py").write_text(IMPORTS_FANCYLIB, encoding="utf-8")
    run = run_scenario("use_python")
    assert "the project's .venv/ has it" in run.facts["missing"]
    assert "Use .venv/bin/python for runs" in run.facts["offered"]
    assert run.facts["settings"]["scriptcontract"]["run"] == {"python": ".venv/bin/python"}
    assert run.facts["said"] == (
        "scriptcontract: runs use .venv/bin/python until Neovim exits (settings.run.python "
        "keeps it): run again"
    )
    lines = run.facts["result_lines"]
    assert lines[0].startswith("✓ uses_fancylib.py") and '  "greeting": "ADA"' in lines, lines
