"""SCR2xx: exit codes, error handling and the shape of error objects."""

from __future__ import annotations

import pytest

from tests.contract.helpers import codes, findings, fixed, lines_of, project_codes


@pytest.mark.parametrize(
    "call",
    ["sys.exit(2)", "exit(3)", "quit(-1)", "os._exit(4)", "raise SystemExit(5)", "sys.exit(CODE)"],
)
def test_exit_codes_other_than_0_and_1_in_every_spelling(call: str) -> None:
    assert lines_of(f"import os, sys\nCODE = 7\n{call}\n", "SCR201") == [3]


@pytest.mark.parametrize(
    "call",
    [
        "sys.exit(0)",
        "sys.exit(1)",
        "sys.exit()",
        "sys.exit(True)",
        'sys.exit("failed")',
        "sys.exit(code)",
        "raise SystemExit",
    ],
)
def test_exit_codes_that_are_fine(call: str) -> None:
    assert "SCR201" not in codes(f"import sys\ncode = compute()\n{call}\n")


def test_exit_code_returned_by_main_is_followed() -> None:
    source = (
        "import sys\ndef main():\n    if x:\n        return 2\n    return 0\nsys.exit(main())\n"
    )
    assert lines_of(source, "SCR201") == [4]
    found = next(f for f in findings(source) if f.code == "SCR201")
    assert found.related and found.related[0].range.start.line == 5
    assert not any(fix.safe for fix in found.fixes), "changing an exit code is not automatic"


CODE_THROUGH_A_NAME = (
    "import subprocess, sys\n"
    "def run():\n"
    "    done = subprocess.run(['make'], timeout=60)\n"
    "    return {returned}\n"
    "def main():\n"
    "    failed = run() != 0\n"
    "    {bind}\n"
    "    sys.exit(code)\n"
    "main()\n"
)


@pytest.mark.parametrize(
    ("bind", "returned", "line"),
    [
        pytest.param("code = 2 if failed else 0", "done.returncode", 7, id="a choice of literals"),
        pytest.param("code = run()", "3", 4, id="the helper's literal through a name"),
        pytest.param("code = run()", "done.returncode", 4, id="a child's code through a helper"),
        pytest.param("code = 0\n    if failed:\n        code = 4", "0", 9, id="a name bound twice"),
    ],
)
def test_exit_code_passed_through_a_name_is_followed(bind: str, returned: str, line: int) -> None:
    source = CODE_THROUGH_A_NAME.format(bind=bind, returned=returned)
    assert lines_of(source, "SCR201") == [line]
    found = next(f for f in findings(source) if f.code == "SCR201")
    assert found.related, "the exit the code reaches is shown"


@pytest.mark.parametrize(
    ("bind", "returned"),
    [
        pytest.param("code = 1 if failed else 0", "done.returncode", id="mapped to 0 or 1"),
        pytest.param("code = run()", "0 if done.returncode == 0 else 1", id="mapped by the helper"),
        pytest.param("code = 0\n    if failed:\n        code = 1", "0", id="bound to 0 and 1"),
        pytest.param(
            "code = 0\n    for code in (2, 3):\n        pass", "0", id="a loop's item: unsure"
        ),
    ],
)
def test_exit_code_through_a_name_mapped_to_0_or_1_is_fine(bind: str, returned: str) -> None:
    source = CODE_THROUGH_A_NAME.format(bind=bind, returned=returned)
    assert "SCR201" not in codes(source)


def test_no_error_handling_fires_only_without_any_handler() -> None:
    bare = "import json, sys\ninputs = json.load(sys.stdin)\nprint(json.dumps(inputs))\n"
    assert "SCR202" in codes(bare)
    import_only = "try:\n    import orjson\nexcept ImportError:\n    orjson = None\n" + bare
    assert "SCR202" in codes(import_only)
    handled = bare.replace("print(", "try:\n    print(") + "except Exception:\n    sys.exit(1)\n"
    assert "SCR202" not in codes(handled)
    hooked = "import sys\nsys.excepthook = lambda *a: None\n" + bare
    assert "SCR202" not in codes(hooked)


@pytest.mark.parametrize(
    "caught",
    ["KeyboardInterrupt", "SystemExit", "(KeyboardInterrupt, SystemExit)", "GeneratorExit"],
)
def test_a_handler_of_interrupts_alone_handles_no_error(caught: str) -> None:
    source = (
        "import json, sys\ntry:\n    raw = sys.stdin.read()\n"
        f"except {caught}:\n    sys.exit(1)\n"
        "inputs = json.loads(raw or '{}')\nprint(json.dumps(inputs))\n"
    )
    assert lines_of(source, "SCR202") == [6]
    # The control: a handler that also catches errors counts.
    broad = source.replace(f"except {caught}:", f"except ({caught.strip('()')}, Exception):")
    assert "SCR202" not in codes(broad)


@pytest.mark.parametrize(
    "handler",
    [
        pytest.param("except OSError as err:\n    raise err\n", id="raises the same again"),
        pytest.param(
            "except OSError as err:\n    raise RuntimeError('no key') from err\n",
            id="raises another",
        ),
    ],
)
def test_a_handler_that_only_raises_again_handles_nothing(handler: str) -> None:
    source = (
        "import json, sys\ntry:\n    key = open('key.txt').read(64)\n"
        + handler
        + "inputs = json.load(sys.stdin)\nprint(json.dumps(inputs))\n"
    )
    assert lines_of(source, "SCR202") == [6]
    # The control: a handler that answers before raising handles the error its own way.
    answered = source.replace("    raise", "    sys.exit(1)\n    raise")
    assert "SCR202" not in codes(answered)


def test_error_exit_zero_in_handler_after_error_object_and_falling_off() -> None:
    in_handler = "import sys\ntry:\n    work()\nexcept Exception:\n    sys.exit(0)\n"
    assert lines_of(in_handler, "SCR203") == [5]
    after_error = (
        "import json, sys\nif bad:\n    print(json.dumps({'success': False, 'error': 'x'}))\n"
        "    sys.exit(0)\n"
    )
    assert lines_of(after_error, "SCR203") == [4]
    falls_off = (
        "import json\ntry:\n    work()\nexcept Exception as exc:\n"
        "    print(json.dumps({'success': False, 'error': str(exc)}))\n"
    )
    assert lines_of(falls_off, "SCR203") == [4]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "import json, sys\ntry:\n    work()\nexcept FileNotFoundError:\n"
            "    print(json.dumps({'success': True, 'items': []}))\n    sys.exit(0)\n",
            id="a specific exception handled as a success",
        ),
        pytest.param(
            "import json, sys\ntry:\n    work()\nexcept Exception as exc:\n"
            "    print(json.dumps({'success': False, 'error': str(exc)}))\n    sys.exit(1)\n",
            id="the handler exits 1",
        ),
        pytest.param(
            "import json, sys\nok = True\ntry:\n    work()\nexcept Exception as exc:\n"
            "    print(json.dumps({'success': False, 'error': str(exc)}))\n    ok = False\n"
            "sys.exit(0 if ok else 1)\n",
            id="something after the try decides the exit code",
        ),
        pytest.param(
            "import json, sys\ndef main():\n    try:\n        work()\n        return 0\n"
            "    except Exception as exc:\n"
            "        print(json.dumps({'success': False, 'error': 'x'}))\n"
            "        return 1\nsys.exit(main())\n",
            id="main returns 1 from its handler and the caller exits with it",
        ),
    ],
)
def test_error_exit_zero_silent_cases(source: str) -> None:
    assert "SCR203" not in codes(source)


BRANCH = (
    "import json, sys\n"
    "def main():\n"
    "    inputs = json.loads(sys.stdin.read() or '{{}}')\n"
    "    if not inputs.get('text'):\n"
    "        print(json.dumps({error}))\n"
    "{after}"
    "    print(json.dumps({{'success': True, 'length': len(inputs['text'])}}))\n"
    "{tail}"
)


@pytest.mark.parametrize(
    ("error", "after", "tail"),
    [
        pytest.param(
            "{'success': False, 'error': 'no text'}",
            "        return\n",
            "if __name__ == '__main__':\n    main()\n",
            id="then a bare return from main",
        ),
        pytest.param(
            "{'error': f'no text in {sorted(inputs)}'}",
            "        return None\n",
            "main()\n",
            id="an error message built, then return None",
        ),
        pytest.param(
            "{'status': 'failed', 'message': 'no text'}",
            "        return\n",
            "main()\n",
            id="an error status",
        ),
    ],
)
def test_error_object_written_on_a_branch_then_exit_zero(error: str, after: str, tail: str) -> None:
    source = BRANCH.format(error=error, after=after, tail=tail)
    assert lines_of(source, "SCR203") == [5]


def test_error_object_on_the_last_branch_of_the_script() -> None:
    source = (
        "import json, sys\ninputs = json.loads(sys.stdin.read() or '{}')\n"
        "if 'name' not in inputs:\n    print(json.dumps({'ok': False, 'error': 'no name'}))\n"
        "else:\n    print(json.dumps({'ok': True, 'greeting': 'hi ' + inputs['name']}))\n"
    )
    assert lines_of(source, "SCR203") == [4]
    exits = source.replace("'no name'}))\n", "'no name'}))\n    sys.exit(1)\n")
    assert "SCR203" not in codes(exits)


@pytest.mark.parametrize(
    ("error", "after", "tail"),
    [
        pytest.param(
            "{'success': False, 'error': 'no text'}",
            "        sys.exit(1)\n",
            "main()\n",
            id="exits 1",
        ),
        pytest.param(
            "{'success': False, 'error': 'no text'}",
            "        return\n",
            "main()\nsys.exit(1)\n",
            id="the script exits 1 after main",
        ),
        pytest.param(
            "{'success': False, 'error': 'no text'}",
            "        return\n",
            "main()\nmain()\nprint('done')\n",
            id="main is not the script's last act",
        ),
        pytest.param(
            "{'text': '', 'errors': []}",
            "        return\n",
            "main()\n",
            id="an empty list of errors is an answer",
        ),
        pytest.param(
            "{'text': '', 'error': inputs.get('error')}",
            "        return\n",
            "main()\n",
            id="an error value that may be None",
        ),
        pytest.param(
            "{'success': False, 'error': 'no text'}",
            "        inputs['text'] = 'default'\n",
            "main()\n",
            id="the branch goes on to the success path",
        ),
    ],
)
def test_error_object_on_a_branch_silent_cases(error: str, after: str, tail: str) -> None:
    source = BRANCH.format(error=error, after=after, tail=tail)
    assert "SCR203" not in codes(source)


NAMED_HANDLER = (
    "import json, sys\n"
    "def main():\n"
    "    try:\n"
    "        inputs = json.loads(sys.stdin.read() or '{{}}')\n"
    "    except json.JSONDecodeError as exc:\n"
    "        print(json.dumps({answer}))\n"
    "{after}"
    "    print(json.dumps({{'success': True, 'keys': sorted(inputs)}}))\n"
    "main()\n"
)


def test_error_object_in_a_named_handler_then_exit_zero() -> None:
    source = NAMED_HANDLER.format(
        answer="{'ok': False, 'error': f'bad inputs: {exc}'}", after="        return\n"
    )
    assert lines_of(source, "SCR203") == [6]


@pytest.mark.parametrize(
    ("answer", "after"),
    [
        pytest.param("{'ok': False, 'error': str(exc)}", "        sys.exit(1)\n", id="exits 1"),
        pytest.param("{'found': False}", "        return\n", id="an expected outcome"),
    ],
)
def test_named_handler_silent_cases(answer: str, after: str) -> None:
    assert "SCR203" not in codes(NAMED_HANDLER.format(answer=answer, after=after))


FAIL_HELPER = (
    "import json, sys\n"
    "def fail(message):\n"
    "    print(json.dumps({{'success': False, 'error': message}}))\n"
    "    return {code}\n"
    "def main():\n"
    "    inputs = json.loads(sys.stdin.read() or '{{}}')\n"
    "    if 'name' not in inputs:\n"
    "        return fail('no name')\n"
    "    print(json.dumps({{'success': True}}))\n"
    "    return 0\n"
    "raise SystemExit(main())\n"
)


@pytest.mark.parametrize("code", ["0", "None"])
def test_exit_code_from_a_helper_returning_0_after_an_error_object(code: str) -> None:
    assert lines_of(FAIL_HELPER.format(code=code), "SCR203") == [8]


def test_exit_code_from_a_helper_returning_1_after_an_error_object_is_fine() -> None:
    assert "SCR203" not in codes(FAIL_HELPER.format(code="1"))


RETURNED_ERROR = (
    "import json, sys\n"
    "def run(inputs):\n"
    "    if 'name' not in inputs:\n"
    "        return {error}\n"
    "    return {{'success': True, 'name': inputs['name']}}\n"
    "inputs = json.loads(sys.stdin.read() or '{{}}')\n"
    "{write}"
)


@pytest.mark.parametrize(
    "write",
    [
        pytest.param("print(json.dumps(run(inputs)))\n", id="written directly"),
        pytest.param("result = run(inputs)\njson.dump(result, sys.stdout)\n", id="through a name"),
        pytest.param(
            "def main():\n    print(json.dumps(run(inputs)))\n    return 0\n"
            "raise SystemExit(main())\n",
            id="then return 0 as the exit code",
        ),
    ],
)
def test_error_object_returned_by_a_helper_then_exit_zero(write: str) -> None:
    source = RETURNED_ERROR.format(error="{'error': 'no name'}", write=write)
    assert lines_of(source, "SCR203") == [4]


@pytest.mark.parametrize(
    ("error", "write"),
    [
        pytest.param(
            "{'error': 'no name'}",
            "result = run(inputs)\nprint(json.dumps(result))\n"
            "sys.exit(1 if 'error' in result else 0)\n",
            id="the exit code follows the answer",
        ),
        pytest.param(
            "{'error': None, 'found': False}",
            "print(json.dumps(run(inputs)))\n",
            id="no error in the object",
        ),
        pytest.param(
            "{'error': 'no name'}",
            "def main():\n    print(json.dumps(run(inputs)))\n    return 1\n"
            "raise SystemExit(main())\n",
            id="then return 1 as the exit code",
        ),
        pytest.param(
            "{'error': 'no name'}",
            "result = run(inputs)\nif 'error' in result:\n"
            "    print(json.dumps(result))\n    sys.exit(1)\nprint(json.dumps(result))\n",
            id="the error answered with exit 1 before the last write",
        ),
    ],
)
def test_error_object_returned_by_a_helper_silent_cases(error: str, write: str) -> None:
    assert "SCR203" not in codes(RETURNED_ERROR.format(error=error, write=write))


ENDS_WITH_EXIT_ZERO = (
    "import json, sys\ninputs = json.loads(sys.stdin.read() or '{}')\n"
    "if not inputs.get('text'):\n    print(json.dumps({'success': False, 'error': 'no text'}))\n"
    "{other}"
    "sys.exit(0)\n"
)


def test_error_object_before_an_explicit_exit_zero_is_reported_once() -> None:
    # The error object is the last write before `sys.exit(0)`: reported at the exit only.
    assert lines_of(ENDS_WITH_EXIT_ZERO.replace("{other}", ""), "SCR203") == [5]
    # A success written on the other branch is the last write before the exit: the error
    # branch is reported at its write.
    other = "else:\n    print(json.dumps({'success': True}))\n"
    assert lines_of(ENDS_WITH_EXIT_ZERO.replace("{other}", other), "SCR203") == [4]


def test_error_without_json_for_message_exits_and_bare_exits() -> None:
    message = "import sys\nif bad:\n    sys.exit('bad input')\n"
    assert lines_of(message, "SCR204") == [3]
    bare = "import sys, traceback\ntry:\n    work()\nexcept Exception:\n    traceback.print_exc()\n"
    bare += "    sys.exit(1)\n"
    assert lines_of(bare, "SCR204") == [6]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "import json, sys\nprint(json.dumps(result))\nif not result['success']:\n"
            "    sys.exit(1)\n",
            id="the result printed first",
        ),
        pytest.param(
            "import json, sys\nif bad:\n    print(json.dumps({'success': False, 'error': 'x'}))\n"
            "    sys.exit(1)\n",
            id="an error object first",
        ),
        pytest.param(
            "import json, sys\ndef fail(msg):\n"
            "    print(json.dumps({'success': False, 'error': msg}))\n"
            "    sys.exit(1)\nfail('x')\n",
            id="in a helper that prints the error object",
        ),
        pytest.param("import sys\nprint(output)\nsys.exit(1)\n", id="an unknown value printed"),
    ],
)
def test_error_without_json_silent_when_json_came_first_or_may_have(source: str) -> None:
    assert "SCR204" not in codes(source)


def test_error_without_json_after_a_project_helper_only_when_it_is_proven_to_write() -> None:
    script = "import sys\nfrom common import report\nreport('x')\nsys.exit(1)\n"
    writes = "import json\ndef report(message):\n    print(json.dumps({'error': message}))\n"
    quiet = "import sys\ndef report(message):\n    print(message, file=sys.stderr)\n"
    assert "SCR204" in project_codes({"scripts/job.py": script}, "scripts/job.py")
    assert "SCR204" not in project_codes(
        {"scripts/job.py": script, "common.py": writes}, "scripts/job.py"
    )
    assert "SCR204" in project_codes(
        {"scripts/job.py": script, "common.py": quiet}, "scripts/job.py"
    )


def test_error_shape_needs_the_configured_keys() -> None:
    source = (
        "import json, sys\ntry:\n    work()\nexcept Exception as exc:\n"
        "    print(json.dumps({'error': str(exc)}))\n    sys.exit(1)\n"
    )
    assert lines_of(source, "SCR205") == [5]
    assert "SCR205" not in codes(source, error_keys=["error"])
    shaped = source.replace("{'error': str(exc)}", "{'success': False, 'error': str(exc)}")
    assert "SCR205" not in codes(shaped)
    spread = source.replace("{'error': str(exc)}", "{**base, 'error': str(exc)}")
    assert "SCR205" not in codes(spread), "a **spread may carry the keys"


def test_bare_except_swallowing_exit_and_its_fix() -> None:
    source = "import sys\ntry:\n    sys.exit(0)\nexcept:\n    pass\n"
    assert lines_of(source, "SCR206") == [4]
    assert "except Exception:\n" in fixed(source, "SCR206")
    base = source.replace("except:", "except BaseException:")
    assert lines_of(base, "SCR206") == [4]
    assert "except Exception:\n" in fixed(base, "SCR206")


def test_bare_except_silent_when_it_reraises_or_nothing_exits() -> None:
    reraise = "import sys\ntry:\n    sys.exit(0)\nexcept:\n    cleanup()\n    raise\n"
    assert "SCR206" not in codes(reraise)
    no_exit = "import sys\ntry:\n    work()\nexcept:\n    pass\nsys.exit(0)\n"
    assert "SCR206" not in codes(no_exit)


def test_bare_except_after_a_handler_that_reraises_system_exit_is_fine() -> None:
    source = "import sys\ntry:\n    sys.exit(0)\nexcept SystemExit:\n    raise\nexcept:\n    pass\n"
    assert "SCR206" not in codes(source)


def test_exit_through_a_helper_is_seen_by_the_bare_except_rule() -> None:
    source = "import sys\ndef done():\n    sys.exit(0)\ntry:\n    done()\nexcept:\n    pass\n"
    assert lines_of(source, "SCR206") == [6]


def test_missing_main_guard_is_information_only() -> None:
    flat = "import json, sys\ninputs = json.load(sys.stdin)\nprint(json.dumps(inputs))\n"
    found = [f for f in findings(flat) if f.code == "SCR207"]
    assert [f.severity.value for f in found] == ["information"]
    guarded = "import json, sys\nif __name__ == '__main__':\n    print(json.dumps({}))\n"
    assert "SCR207" not in codes(guarded)


ANSWERED_BRANCH = (
    "import json, sys\n"
    "def main():\n"
    "    inputs = json.loads(sys.stdin.read() or '{{}}')\n"
    "    if inputs.get('cached'):\n"
    "        print(json.dumps({{'success': True}}))\n"
    "{ending}"
    "    if 'name' not in inputs:\n"
    "        return 1\n"
    "    print(json.dumps({{'success': True, 'name': inputs['name']}}))\n"
    "    return 0\n"
    "if __name__ == '__main__':\n"
    "    raise SystemExit(main())\n"
)


@pytest.mark.parametrize(
    "ending",
    [
        "        return 0\n",
        "        sys.exit(0)\n",
        "        return 0\n"
        "    elif inputs.get('other'):\n"
        "        print(json.dumps({'success': True}))\n"
        "        sys.exit(0)\n",
    ],
    ids=["return", "exit", "elif"],
)
def test_an_error_exit_after_a_branch_that_wrote_and_ended_is_reported(ending: str) -> None:
    assert "SCR204" in codes(ANSWERED_BRANCH.format(ending=ending))


@pytest.mark.parametrize(
    "ending",
    ["", "        pass\n", "    else:\n        return 0\n"],
    ids=["falls-through", "carries-on", "other-branch-ends"],
)
def test_an_error_exit_after_a_branch_that_wrote_and_carried_on_is_silent(ending: str) -> None:
    assert "SCR204" not in codes(ANSWERED_BRANCH.format(ending=ending))


SETUP_FALLBACK = (
    "import json, sys\n"
    "try:\n"
    "    {body}\n"
    "except Exception:\n"
    "    print(json.dumps({{'success': False, 'error': 'cannot start'}}))\n"
    "    sys.exit(1)\n"
    "def main():\n"
    "    print(json.dumps({{'success': True}}))\n"
    "if __name__ == '__main__':\n"
    "    main()\n"
)


@pytest.mark.parametrize(
    "body",
    ["import yaml", "sys.path.insert(0, 'lib')\n    import helpers", "LIMIT = int('10')"],
)
def test_the_fallback_of_a_module_level_set_up_is_not_work(body: str) -> None:
    assert "SCR207" not in codes(SETUP_FALLBACK.format(body=body))


def test_a_module_level_try_that_reads_the_inputs_is_work() -> None:
    source = SETUP_FALLBACK.format(body="inputs = json.load(sys.stdin)")
    assert lines_of(source, "SCR207") == [3]


MAIN_GUARD = (
    "import json, sys\n"
    "def main():\n"
    "    print(json.dumps(json.loads(sys.stdin.read() or '{{}}')))\n"
    "if __name__ == {name!r}:\n"
    "    main()\n"
)


def test_a_mistyped_main_guard_is_reported_at_the_guard() -> None:
    found = [f for f in findings(MAIN_GUARD.format(name="main")) if f.code == "SCR207"]
    assert [f.range.start.line + 1 for f in found] == [4]
    assert "never holds" in found[0].message


@pytest.mark.parametrize("name", ["__main__", "tools"])
def test_a_guard_on_main_or_the_module_s_own_name_is_not_mistyped(name: str) -> None:
    found = [f for f in findings(MAIN_GUARD.format(name=name)) if f.code == "SCR207"]
    assert all("never holds" not in f.message for f in found)
