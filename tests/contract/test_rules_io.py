"""SCR1xx: reading stdin, parsing it, and writing exactly one JSON document."""

from __future__ import annotations

import pytest

from tests.contract.helpers import codes, findings, fixed, lines_of, project_codes

TEMPLATE_END = """
try:
    print(json.dumps({"success": True}))
except Exception as exc:
    print(json.dumps({"success": False, "error": str(exc)}))
    sys.exit(1)
"""


def test_stdin_never_read_fires_without_any_stdin_use() -> None:
    assert "SCR101" in codes("import json\nprint(json.dumps({'success': True}))\n")


@pytest.mark.parametrize(
    "read",
    [
        "inputs = json.load(sys.stdin)",
        "inputs = json.loads(sys.stdin.read())",
        "inputs = [json.loads(line) for line in sys.stdin]",
        "inputs = json.loads(sys.stdin.buffer.read())",
        "inputs = json.loads(input())",
        "inputs = json.load(open(0))",
    ],
)
def test_stdin_read_styles_all_count_as_reading(read: str) -> None:
    assert "SCR101" not in codes(f"import json, sys\n{read}\n" + TEMPLATE_END)


def test_from_sys_import_stdin_counts_as_reading() -> None:
    assert "SCR101" not in codes(
        "import json\nfrom sys import stdin\ninputs = json.loads(stdin.read() or '{}')\n"
    )


def test_stdin_never_read_silent_only_when_a_project_module_is_proven_to_read_it() -> None:
    script = "from helpers import run\nrun(lambda inputs: inputs)\n"
    reads = "import json, sys\ndef run(step):\n    return step(json.load(sys.stdin))\n"
    pure = "def run(step):\n    return step({})\n"
    assert "SCR101" in codes(script), "an unknown module proves nothing"
    assert "SCR101" not in project_codes(
        {"scripts/job.py": script, "scripts/helpers.py": reads}, "scripts/job.py"
    )
    assert "SCR101" in project_codes(
        {"scripts/job.py": script, "helpers.py": pure}, "scripts/job.py"
    )


TASK_HELPER_SUBCLASS = """
from task_helper import TaskHelper


class Greet(TaskHelper):
    def {method}(self, args):
        return {{"greeting": "hello " + args["name"]}}


if __name__ == "__main__":
    Greet().run()
"""


def test_a_task_helper_subclass_defining_task_reads_and_writes_through_the_library() -> None:
    found = codes(TASK_HELPER_SUBCLASS.format(method="task"))
    assert "SCR101" not in found
    assert "SCR104" not in found


@pytest.mark.parametrize(
    "source",
    [
        TASK_HELPER_SUBCLASS.format(method="greet"),
        "from task_helper import TaskHelper\n"
        "def main():\n    TaskHelper().start_task('sync')\n"
        "if __name__ == '__main__':\n    main()\n",
    ],
    ids=["subclass-without-task", "plain-call"],
)
def test_a_task_helper_used_otherwise_proves_no_io(source: str) -> None:
    found = codes(source)
    assert "SCR101" in found
    assert "SCR104" in found


def test_stdin_text_without_json_parse_fires_at_the_read() -> None:
    source = "import sys\nname = sys.stdin.readline()\nprint(name, file=sys.stderr)\n"
    assert lines_of(source, "SCR102") == [2]


@pytest.mark.parametrize(
    "parse", ["yaml.safe_load(sys.stdin)", "orjson.loads(sys.stdin.buffer.read())"]
)
def test_stdin_parsed_with_yaml_or_orjson_is_json_enough(parse: str) -> None:
    assert "SCR102" not in codes(f"import sys, yaml, orjson\ndata = {parse}\n")


def test_empty_stdin_fires_for_direct_parses_and_unguarded_text() -> None:
    assert lines_of("import json, sys\ndata = json.load(sys.stdin)\n", "SCR103") == [2]
    assert lines_of("import json, sys\ndata = json.loads(sys.stdin.read())\n", "SCR103") == [2]
    unguarded = "import json, sys\nraw = sys.stdin.read()\ndata = json.loads(raw)\n"
    assert lines_of(unguarded, "SCR103") == [3]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "import json, sys\nraw = sys.stdin.read()\ndata = json.loads(raw) if raw else {}\n",
            id="conditional expression",
        ),
        pytest.param(
            "import json, sys\nraw = sys.stdin.read()\nif not raw.strip():\n    raw = '{}'\n"
            "data = json.loads(raw)\n",
            id="if not raw",
        ),
        pytest.param(
            "import json, sys\ndata = json.loads(sys.stdin.read() or '{}')\n", id="or '{}'"
        ),
        pytest.param(
            "import json, sys\ntry:\n    data = json.load(sys.stdin)\nexcept ValueError:\n"
            "    data = {}\n",
            id="except ValueError",
        ),
        pytest.param(
            "import json, sys\nfrom json import JSONDecodeError\n"
            "try:\n    data = json.load(sys.stdin)\n"
            "except JSONDecodeError:\n    data = {}\n",
            id="except JSONDecodeError",
        ),
    ],
)
def test_empty_stdin_guards_are_understood(source: str) -> None:
    assert "SCR103" not in codes(source)


def test_empty_stdin_fixes() -> None:
    assert fixed("import json, sys\ndata = json.load(sys.stdin)\n", "SCR103").endswith(
        'data = json.loads(sys.stdin.read() or "{}")\n'
    )
    assert fixed("import json as j, sys\ndata = j.loads(sys.stdin.read())\n", "SCR103").endswith(
        'data = j.loads(sys.stdin.read() or "{}")\n'
    )
    source = "import json, sys\nraw = sys.stdin.read()\ndata = json.loads(raw)\n"
    assert fixed(source, "SCR103").endswith("data = json.loads(raw) if raw.strip() else {}\n")


def test_no_json_output_fires_when_nothing_reaches_stdout() -> None:
    quiet = "import json, sys\ninputs = json.load(sys.stdin)\nprint('x', file=sys.stderr)\n"
    assert "SCR104" in codes(quiet)


@pytest.mark.parametrize(
    "writes",
    [
        "print(json.dumps(inputs))",
        "json.dump(inputs, sys.stdout)",
        "sys.stdout.write(json.dumps(inputs))",
        "print(result)",
        "writer = csv.writer(sys.stdout)",
    ],
)
def test_no_json_output_is_silent_when_something_reaches_stdout(writes: str) -> None:
    source = f"import csv, json, sys\ninputs = json.load(sys.stdin)\nresult = 1\n{writes}\n"
    assert "SCR104" not in codes(source)


@pytest.mark.parametrize(
    "writer",
    [
        "def reply(result):\n    print(json.dumps(result))\n",
        "def reply(result):\n    sys.stdout.buffer.write(json.dumps(result).encode())\n",
        "def reply(result):\n    json.dump(result, sys.stdout)\n",
    ],
)
def test_no_json_output_counts_only_writes_that_may_run(writer: str) -> None:
    # A writer nothing calls writes nothing: the script still answers no one.
    source = (
        f"import json, sys\n{writer}"
        "def main():\n    inputs = json.load(sys.stdin)\n"
        "    print(len(inputs), file=sys.stderr)\n"
        "if __name__ == '__main__':\n    main()\n"
    )
    assert "SCR104" in codes(source)
    # The control: the same writer called from main() answers.
    called = source.replace("file=sys.stderr)\n", "file=sys.stderr)\n    reply(inputs)\n")
    assert "SCR104" not in codes(called)


@pytest.mark.parametrize(
    "text",
    [
        'print("Starting")',
        'print(f"count={n}")',
        'print("count=%d" % n)',
        'print("count={}".format(n))',
        'print("a", n)',
        'sys.stdout.write("done\\n")',
        "pprint.pprint(n)",
        "print(json)",
        'print("on" if n else "off")',
        'print("count " + str(n) + ": " + repr(n))',
    ],
)
def test_stray_text_on_stdout_fires_with_every_text_style(text: str) -> None:
    source = f"import json, pprint, sys\nn = 1\n{text}\nprint(json.dumps({{'n': n}}))\n"
    assert lines_of(source, "SCR105") == [3]


@pytest.mark.parametrize(
    "text",
    [
        'print("x", file=sys.stderr)',
        'print("x", file=handle)',
        'sys.stderr.write("x")',
        'print("x", **options)',
        "print(json.dumps(result))",
        'print("{}")',
        "print()",
    ],
)
def test_stdout_targets_that_are_not_stdout_are_silent(text: str) -> None:
    assert "SCR105" not in codes(f"import json, sys\nresult = {{}}\n{text}\n")


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import json\njson = load()\nprint(json)\n", id="the name rebound"),
        pytest.param("import json\ndef show(json):\n    print(json)\n", id="a parameter"),
        pytest.param("from config import settings\nprint(settings)\n", id="imported from"),
    ],
)
def test_printing_a_name_that_may_not_be_a_module_is_silent(source: str) -> None:
    assert "SCR105" not in codes(source)
    # The positive control: the module itself printed is its repr on stdout.
    assert lines_of("import config\nprint(config)\n", "SCR105") == [2]


def test_stray_print_fix_adds_file_stderr_and_the_import_when_missing() -> None:
    assert fixed('import sys\nprint("hi", end="")\n', "SCR105") == (
        'import sys\nprint("hi", end="", file=sys.stderr)\n'
    )
    assert fixed('"""Doc."""\nimport json\nprint("hi")\n', "SCR105") == (
        '"""Doc."""\nimport sys\nimport json\nprint("hi", file=sys.stderr)\n'
    )
    assert fixed('from sys import stderr\nprint("hi")\n', "SCR105") == (
        'from sys import stderr\nprint("hi", file=stderr)\n'
    )
    assert fixed('import sys as s\ns.stdout.write("hi")\n', "SCR105") == (
        'import sys as s\ns.stderr.write("hi")\n'
    )


def test_printing_a_dict_is_python_repr_and_the_fix_wraps_it() -> None:
    source = "import json\nresult = {'success': True}\nprint(result)\n"
    assert lines_of(source, "SCR105") == [3]
    assert fixed(source, "SCR105").endswith("print(json.dumps(result))\n")


def test_logging_to_stdout_is_stray_output() -> None:
    source = "import logging, sys\nlogging.basicConfig(stream=sys.stdout)\n"
    assert lines_of(source, "SCR105") == [2]
    assert fixed(source, "SCR105").endswith("logging.basicConfig(stream=sys.stderr)\n")
    assert "SCR105" not in codes("import logging, sys\nlogging.basicConfig(stream=sys.stderr)\n")


def test_multiple_outputs_in_a_loop_and_in_sequence() -> None:
    loop = "import json\nfor i in range(3):\n    print(json.dumps({'i': i}))\n"
    assert lines_of(loop, "SCR106") == [3]
    twice = "import json\nprint(json.dumps({}))\nprint(json.dumps({'a': 1}))\n"
    assert lines_of(twice, "SCR106") == [3]


def test_json_followed_by_a_newline_is_one_json_document() -> None:
    source = (
        "import json, sys\n"
        "sys.stdout.write(json.dumps({'a': 1}) + '\\n')\n"
        "sys.stdout.write(json.dumps({'b': 2}) + '\\n')\n"
    )
    assert lines_of(source, "SCR106") == [3]


WRITER = "import json, sys\ndef emit(line):\n    sys.stdout.write(line + '\\n')\n"


@pytest.mark.parametrize(
    ("body", "line"),
    [
        pytest.param(
            "for i in range(3):\n    emit(json.dumps({'i': i}))\n", 5, id="helper in a loop"
        ),
        pytest.param(
            "emit(json.dumps({'a': 1}))\nemit(json.dumps({'b': 2}))\n", 5, id="helper twice"
        ),
        pytest.param(
            "sep = ''\nfor i in range(3):\n    sys.stdout.write(sep + json.dumps([i]))\n"
            "    sep = ','\n",
            6,
            id="behind a prefix that is not text",
        ),
        pytest.param(
            "for i in range(3):\n    emit(',' if i else '' + json.dumps([i]))\n",
            None,
            id="a choice: not told",
        ),
    ],
)
def test_json_documents_through_a_writer_helper_or_behind_a_prefix(
    body: str, line: int | None
) -> None:
    source = WRITER + body
    assert lines_of(source, "SCR106") == ([] if line is None else [line])


def test_text_through_a_writer_helper_that_adds_a_newline_is_stray() -> None:
    source = WRITER + "emit('starting')\nemit(json.dumps({'a': 1}))\n"
    assert lines_of(source, "SCR105") == [4]


def test_one_json_document_through_a_writer_helper_is_silent() -> None:
    source = WRITER + "emit(json.dumps({'a': 1}))\nemit2 = None\n"
    assert "SCR106" not in codes(source)
    rebound = WRITER.replace("    sys.stdout", "    line = 'x'\n    sys.stdout") + (
        "for i in range(3):\n    emit(json.dumps({'i': i}))\n"
    )
    assert "SCR106" not in codes(rebound)


def test_stdin_read_by_pandas_json_is_parsed() -> None:
    source = "import sys\nimport pandas as pd\nframe = pd.read_json(sys.stdin)\n"
    assert "SCR102" not in codes(source)


def test_json_error_object_sent_to_stderr_is_no_json_result() -> None:
    source = (
        "import json, sys\ntry:\n    work()\nexcept Exception as exc:\n"
        "    print(json.dumps({'success': False, 'error': str(exc)}), file=sys.stderr)\n"
        "    sys.exit(1)\n"
    )
    assert lines_of(source, "SCR204") == [6]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "import json, sys\nif x:\n    print(json.dumps({}))\n    sys.exit(1)\n"
            "print(json.dumps({'a': 1}))\n",
            id="exit after the first",
        ),
        pytest.param(
            "import json\nif x:\n    print(json.dumps({}))\n"
            "else:\n    print(json.dumps({'a': 1}))\n",
            id="if and else",
        ),
        pytest.param(
            "import json\nfor i in range(3):\n    if i == 2:\n        print(json.dumps({'i': i}))\n"
            "        break\n",
            id="in a loop, then break",
        ),
        pytest.param(
            "import json\ndef main():\n    print(json.dumps({}))\n    return 0\n",
            id="in a function never called",
        ),
    ],
)
def test_one_output_per_path_is_silent(source: str) -> None:
    assert "SCR106" not in codes(source)


def test_helper_that_prints_and_caller_that_prints_again() -> None:
    source = (
        "import json\n"
        "def main():\n"
        "    print(json.dumps({'a': 1}))\n"
        "    return {'a': 1}\n"
        "print(json.dumps(main()))\n"
    )
    assert lines_of(source, "SCR106") == [5]


TEXT_LIST = (
    "import json\n"
    "notes = []\n"
    "notes.append({item})\n"
    "{use}"
    "print(json.dumps({{'n': len(notes)}}))\n"
    "print('; '.join(notes))\n"
)


def test_a_list_of_text_joined_on_stdout_is_reported() -> None:
    source = TEXT_LIST.format(item="f'moved {1}'", use="if notes:\n    pass\n")
    assert lines_of(source, "SCR105") == [7]


@pytest.mark.parametrize(
    ("item", "use"),
    [
        pytest.param("json.dumps({'n': 1})", "", id="JSON documents joined"),
        pytest.param("'moved'", "extend(notes)\n", id="handed to another call"),
    ],
)
def test_a_list_that_may_hold_more_than_text_joined_is_silent(item: str, use: str) -> None:
    assert "SCR105" not in codes(TEXT_LIST.format(item=item, use=use))


@pytest.mark.parametrize(
    "chosen", ["json.dumps(a) if a else 'none'", "json.dumps(a) if a else json.dumps(b)"]
)
def test_a_choice_that_is_not_text_on_both_sides_is_silent(chosen: str) -> None:
    assert "SCR105" not in codes(f"import json\na = b = {{}}\nprint({chosen})\n")


@pytest.mark.parametrize(
    "read",
    [
        pytest.param("raw = input()\ndata = json.loads(raw)\n", id="through a name"),
        pytest.param("\ndata = json.loads(input())\n", id="directly"),
    ],
)
def test_text_read_by_input_is_reported_without_a_fix(read: str) -> None:
    found = [f for f in findings(f"import json\n{read}") if f.code == "SCR103"]
    assert [f.range.start.line + 1 for f in found] == [3]
    assert "EOFError" in found[0].message
    assert not found[0].fixes


def test_text_read_by_input_under_eof_handling_is_silent() -> None:
    source = (
        "import json\ntry:\n    raw = input()\nexcept EOFError:\n    raise SystemExit(0)\n"
        "data = json.loads(raw)\n"
    )
    assert "SCR103" not in codes(source)
    # The control: a handler of another error leaves the EOFError to end the run.
    assert lines_of(source.replace("EOFError", "KeyError"), "SCR103") == [6]


DOCUMENT_BY_HELPERS = (
    "import json, sys\n"
    "def begin():\n    print('{')\n"
    "def item(value, last):\n    print(f'  \"v{value}\": {value}' + ('' if last else ','))\n"
    "def end():\n    print('}')\n"
    "def main():\n    values = json.loads(sys.stdin.read() or '[]')\n"
    "    begin()\n{body}    end()\n"
    "if __name__ == '__main__':\n    main()\n"
)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("    item(1, False)\n    item(2, True)\n", id="called in the run"),
        pytest.param(
            "    for i, v in enumerate(values):\n        item(v, i == len(values) - 1)\n",
            id="called in a loop of the run",
        ),
    ],
)
def test_a_document_written_in_parts_by_helpers_is_not_stray_text(body: str) -> None:
    source = DOCUMENT_BY_HELPERS.replace("{body}", body)
    assert "SCR105" not in codes(source)
    # The control: a helper also called outside the run writes its pieces as stray text.
    outside = source.replace("    end()\n", "    end()\n    item(3, True)\n")
    assert lines_of(outside, "SCR105") == [5]
    # And without the helper that closes it, nothing is a document.
    unclosed = source.replace("    end()\n", "")
    assert lines_of(unclosed, "SCR105") == [5, 7]
