"""SCR3xx file access, SCR4xx resources and SCR5xx dangerous calls."""

from __future__ import annotations

import pytest

from tests.contract.helpers import codes, findings, fixed, lines_of

INPUTS = "import json, sys\ninputs = json.loads(sys.stdin.read() or '{}')\n"


@pytest.mark.parametrize(
    "call",
    [
        'open("/etc/passwd")',
        'pathlib.Path("/etc/shadow").read_text()',
        'os.listdir("/home")',
        'shutil.copy("data/x", "/tmp/x")',
        'open(os.path.join("/etc", "hosts"))',
        'open(f"/etc/{name}")',
        'open("C:\\\\Windows\\\\win.ini")',
        'open("~/.netrc")',
    ],
)
def test_absolute_paths_reaching_file_access_calls(call: str) -> None:
    source = f"import os, pathlib, shutil\nname = 'x'\n{call}\n"
    assert lines_of(source, "SCR301") == [3]


@pytest.mark.parametrize(
    "source",
    [
        '"""Never read /etc/passwd."""\n',
        'MESSAGE = "see /etc/passwd"\nprint(MESSAGE, file=sys.stderr)\n',
        'open("/dev/null", "w")\n',
        'url = "https://example.org/etc/passwd"\nopen("data/x")\n',
        'open("data/../output/x", "w")\n',
    ],
)
def test_absolute_path_strings_that_are_not_file_access_are_silent(source: str) -> None:
    found = codes("import sys\n" + source)
    assert "SCR301" not in found and "SCR302" not in found


def test_constant_path_is_reported_where_it_is_written() -> None:
    source = 'SECRET = "/etc/shadow"\n\n\ndef read():\n    return open(SECRET).readline()\n'
    found = [f for f in findings(source) if f.code == "SCR301"]
    assert [f.range.start.line + 1 for f in found] == [1]
    assert found[0].related[0].range.start.line + 1 == 5


@pytest.mark.parametrize(
    "call",
    [
        'open("../secret.txt")',
        'open("data/../../x")',
        'pathlib.Path("..") / "x"',
        'os.path.join("..", name)',
    ],
)
def test_parent_directory_escapes(call: str) -> None:
    source = f"import os, pathlib\nname = input()\nx = {call}\nopen(x)\n"
    assert 3 in lines_of(source, "SCR302")


def test_unchecked_input_path_is_a_hint_for_keys_the_executor_does_not_check() -> None:
    source = INPUTS + 'open(inputs["source"])\nopen(inputs["input_file"])\n'
    found = [f for f in findings(source) if f.code == "SCR303"]
    assert [(f.range.start.line + 1, f.severity.value) for f in found] == [(3, "hint")]
    checked = INPUTS + 'src = inputs["source"]\nif os.path.realpath(src):\n    open(src)\n'
    assert "SCR303" not in codes("import os\n" + checked)
    custom = INPUTS + 'open(inputs["source"])\n'
    assert "SCR303" not in codes(custom, input_path_keys="^source$")


def test_input_paths_flow_through_function_parameters() -> None:
    source = INPUTS + "def load(cfg):\n    return open(cfg['template'])\nload(inputs)\n"
    assert lines_of(source, "SCR303") == [4]


def test_subprocess_timeouts_and_fix() -> None:
    source = "import subprocess\nsubprocess.run(['ls'], check=True)\n"
    assert lines_of(source, "SCR401") == [2]
    assert fixed(source, "SCR401").endswith("subprocess.run(['ls'], check=True, timeout=15)\n")
    assert "SCR401" not in codes("import subprocess\nsubprocess.run(['ls'], timeout=3)\n")
    assert "SCR401" not in codes("import subprocess\nsubprocess.run(['ls'], **opts)\n")
    popen = "import subprocess\np = subprocess.Popen(['cat'])\np.wait()\n"
    assert lines_of(popen, "SCR401") == [3]
    assert fixed(popen, "SCR401").endswith("p.wait(timeout=15)\n")


POLLING = (
    "import os, signal, subprocess, time\n"
    "def wait(limit=30):\n"
    "    child = subprocess.Popen(['make'])\n"
    "    started = last = time.monotonic()\n"
    "    while child.poll() is None:\n"
    "{body}"
    "        time.sleep(1)\n"
    "    return child.returncode\n"
)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "        now = time.monotonic()\n"
            "        if now - last > 60:\n"
            "            print('still building', file=sys.stderr)\n"
            "            last = now\n",
            id="a heartbeat every minute through a name",
        ),
        pytest.param(
            "        if time.monotonic() - last > 60:\n"
            "            logging.info('still building')\n"
            "            last = time.monotonic()\n",
            id="a heartbeat logged",
        ),
        pytest.param(
            "        time.sleep(min(5, limit - (time.monotonic() - started)))\n",
            id="a clock only in the pause",
        ),
    ],
)
def test_poll_loop_reading_a_clock_for_no_limit_is_reported(body: str) -> None:
    assert lines_of(POLLING.format(body=body), "SCR401") == [5]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "        if time.monotonic() - started > limit:\n"
            "            os.killpg(os.getpgid(child.pid), signal.SIGTERM)\n",
            id="the process group killed at the deadline",
        ),
        pytest.param(
            "        elapsed = time.monotonic() - started\n"
            "        if elapsed > limit:\n"
            "            stop_tree(child)\n",
            id="a helper stopping the child at the deadline, through a name",
        ),
        pytest.param(
            "        if time.monotonic() - started > limit:\n            child.terminate()\n",
            id="terminated at the deadline",
        ),
    ],
)
def test_poll_loop_acting_on_a_clock_is_bounded(body: str) -> None:
    source = POLLING.format(body=body)
    assert "SCR401" not in codes(source)
    # The positive control: the same loop without its `if` is a wait without a limit.
    unlimited = POLLING.format(body="        pass\n")
    assert lines_of(unlimited, "SCR401") == [5]


OPTIONAL_LIMIT = (
    "import subprocess, time\n"
    "def build({param}):\n"
    "    child = subprocess.Popen(['make'])\n"
    "    started = time.monotonic()\n"
    "    while child.poll() is None:\n"
    "        if {gate} and time.monotonic() - started > limit:\n"
    "            child.kill()\n"
    "            break\n"
    "        time.sleep(1)\n"
    "    return child.returncode\n"
    "build({call})\n"
)


@pytest.mark.parametrize(
    ("param", "gate", "call"),
    [
        pytest.param("limit=None", "limit", "", id="left out"),
        pytest.param("limit=None", "limit is not None", "limit=None", id="passed as None"),
        pytest.param("*, limit=None", "limit", "", id="keyword-only"),
    ],
)
def test_poll_loop_limited_only_by_an_optional_limit_is_reported(
    param: str, gate: str, call: str
) -> None:
    source = OPTIONAL_LIMIT.format(param=param, gate=gate, call=call)
    found = [f for f in findings(source) if f.code == "SCR401"]
    assert [f.range.start.line + 1 for f in found] == [5]
    assert "only when limit is given" in found[0].message


@pytest.mark.parametrize(
    ("param", "call"),
    [
        pytest.param("limit=None", "30", id="passed by position"),
        pytest.param("limit=None", "limit=30", id="passed by keyword"),
        pytest.param("limit=30", "", id="a default that is a limit"),
    ],
)
def test_poll_loop_with_a_limit_every_call_gives_is_bounded(param: str, call: str) -> None:
    assert "SCR401" not in codes(OPTIONAL_LIMIT.format(param=param, gate="limit", call=call))


def test_timeout_fix_follows_the_configured_run_timeout() -> None:
    source = "import subprocess\nsubprocess.check_output(['ls'])\n"
    assert fixed(source, "SCR401", timeout_ms=120_000).endswith("timeout=60)\n")


def test_shell_true() -> None:
    assert lines_of(
        "import subprocess\nsubprocess.run('ls', shell=True, timeout=1)\n", "SCR402"
    ) == [2]
    assert "SCR402" not in codes(
        "import subprocess\nsubprocess.run('ls', shell=False, timeout=1)\n"
    )


@pytest.mark.parametrize(
    "call",
    [
        "urllib.request.urlopen(url)",
        "requests.get(url)",
        "requests.request('GET', url)",
        "socket.create_connection((host, 80))",
    ],
)
def test_network_calls_without_a_timeout(call: str) -> None:
    source = f"import socket, urllib.request, requests\n{call}\n"
    assert lines_of(source, "SCR403") == [2]


@pytest.mark.parametrize(
    "call",
    [
        "urllib.request.urlopen(url, None, 5)",
        "urllib.request.urlopen(url, timeout=5)",
        "requests.get(url, timeout=5)",
        "httpx.get(url)",
    ],
)
def test_network_calls_with_a_timeout_are_silent(call: str) -> None:
    assert "SCR403" not in codes(f"import urllib.request, requests, httpx\n{call}\n")


def test_network_timeout_fix() -> None:
    assert fixed("import requests\nrequests.get(url)\n", "SCR403").endswith(
        "requests.get(url, timeout=15)\n"
    )


def test_endless_loops() -> None:
    assert lines_of("n = 0\nwhile True:\n    n += 1\n", "SCR404") == [2]
    assert lines_of("import time\nwhile 1:\n    time.sleep(1)\n", "SCR404") == [2]


@pytest.mark.parametrize(
    "body",
    [
        "    if n > 3:\n        break\n",
        "    return n\n",
        "    raise StopIteration\n",
        "    sys.exit(0)\n",
        "    item = queue.get_nowait()\n",
        "    yield n\n",
    ],
)
def test_loops_with_a_way_out_are_not_endless(body: str) -> None:
    indented = body.replace("\n    ", "\n        ")
    source = f"import sys\ndef f(queue, n=0):\n    while True:\n    {indented}"
    assert "SCR404" not in codes(source)
    nested_break = "while True:\n    for i in range(3):\n        break\n"
    assert lines_of(nested_break, "SCR404") == [1], "a break of an inner loop does not count"
    in_try = "try:\n    while True:\n        step()\nexcept Done:\n    pass\n"
    assert "SCR404" not in codes(in_try)


@pytest.mark.parametrize(
    "caught", ["KeyboardInterrupt", "(KeyboardInterrupt, SystemExit)", "SystemExit"]
)
def test_a_try_that_catches_only_interrupts_is_no_way_out_of_a_loop(caught: str) -> None:
    loop = "    while True:\n        time.sleep(1)\n"
    source = f"import sys, time\ntry:\n{loop}except {caught}:\n    sys.exit(0)\n"
    assert lines_of(source, "SCR404") == [3]
    nested = source.replace(loop, "    if ready:\n    " + loop.replace("\n    ", "\n        "))
    assert lines_of(nested, "SCR404") == [4]
    # The controls: a handler of an error may end the loop (a call in it raising to stop
    # it), beside the interrupt or in an outer `try`.
    beside = source.replace(f"except {caught}:", "except (KeyboardInterrupt, OSError):")
    inner_loop = "        while True:\n            time.sleep(1)\n"
    outer = (
        f"import sys, time\ntry:\n    try:\n{inner_loop}"
        f"    except {caught}:\n        sys.exit(0)\nexcept ValueError:\n    pass\n"
    )
    for control in (beside, outer):
        assert "SCR404" not in codes(control), control


@pytest.mark.parametrize(
    ("inner", "endless"),
    [
        (["for i in range(3):", "    break"], True),
        (["for i in range(3):", "    if i:", "        pass", "    else:", "        break"], True),
        (
            ["for i in items:", "    for j in i:", "        pass", "    else:", "        break"],
            True,
        ),
        (["for i in range(3):", "    pass", "else:", "    break"], False),
    ],
    ids=["in its body", "in an else of its body", "in the else of a loop in it", "in its else"],
)
def test_a_break_in_an_inner_loop_is_a_way_out_only_when_it_leaves_the_outer_one(
    inner: list[str], endless: bool
) -> None:
    source = "items = [[1]]\nwhile True:\n" + "".join(f"    {line}\n" for line in inner)
    assert lines_of(source, "SCR404") == ([2] if endless else []), source


@pytest.mark.parametrize(
    "loop",
    [
        "while child.poll() is None:\n{inner}",
        "while True:\n{inner}    if child.poll() is not None:\n        break\n",
    ],
    ids=["polling test", "while True left on the poll"],
)
@pytest.mark.parametrize("where", ["body", "else"])
def test_a_poll_loop_also_left_by_a_break_in_an_inner_loops_else_does_not_wait_on_the_child(
    loop: str, where: str
) -> None:
    # The control: the same break in the inner loop's body leaves that loop only.
    inner = "    for i in range(3):\n        time.sleep(0.05)\n"
    inner += "        break\n" if where == "body" else "    else:\n        break\n"
    source = "import subprocess, time\nchild = subprocess.Popen(['x'])\n" + loop.format(inner=inner)
    assert lines_of(source, "SCR401") == ([3] if where == "body" else []), source


def test_whole_file_reads_are_information() -> None:
    source = "with open('data/x') as f:\n    text = f.read()\n"
    found = [f for f in findings(source) if f.code == "SCR405"]
    assert [(f.range.start.line + 1, f.severity.value) for f in found] == [(2, "information")]
    assert "SCR405" not in codes("with open('data/x') as f:\n    head = f.read(4096)\n")
    assert "SCR405" not in codes("import sys\nraw = sys.stdin.read()\n")
    assert lines_of("from pathlib import Path\ntext = Path('data/x').read_text()\n", "SCR405") == [
        2
    ]


def test_sleeps_against_the_configured_timeout() -> None:
    assert lines_of("import time\ntime.sleep(30)\n", "SCR406") == [2]
    assert "SCR406" not in codes("import time\ntime.sleep(29.5)\n")
    assert lines_of("import time\ntime.sleep(5)\n", "SCR406", timeout_ms=5000) == [2]


def test_dangerous_calls_on_input_data_only() -> None:
    assert lines_of(INPUTS + "eval(inputs['expr'])\n", "SCR501") == [3]
    assert lines_of(INPUTS + "expr = inputs.get('e')\nexec(expr)\n", "SCR501") == [4]
    assert "SCR501" not in codes(INPUTS + "eval('1 + 1')\n")
    assert lines_of("import pickle\n" + INPUTS + "pickle.loads(inputs['s'])\n", "SCR502") == [4]
    reads = "import pickle\n" + INPUTS + "with open(inputs['f'], 'rb') as h:\n    pickle.load(h)\n"
    assert lines_of(reads, "SCR502") == [5]
    assert "SCR502" not in codes("import pickle\npickle.loads(open('data/x', 'rb').read())\n")


def test_commands_from_inputs() -> None:
    shell = "import os\n" + INPUTS + "os.system('ls ' + inputs['dir'])\n"
    assert lines_of(shell, "SCR503") == [4]
    program = "import subprocess\n" + INPUTS + "subprocess.run([inputs['tool'], 'x'], timeout=1)\n"
    assert lines_of(program, "SCR503") == [4]
    argument = "import subprocess\n" + INPUTS + "subprocess.run(['wc', inputs['f']], timeout=1)\n"
    assert "SCR503" not in codes(argument)


@pytest.mark.parametrize(
    "use",
    [
        'label = path.replace(os.path.expanduser("~"), "~") if path.startswith(HOME) else 0',
        'label = path.replace(HOME, "~", 1)',
        "shown = path.startswith(HOME)",
        "label = path.removeprefix(HOME)",
    ],
)
def test_the_home_folder_s_text_shortening_a_path_is_not_state(use: str) -> None:
    source = (
        "import os\n"
        'HOME = os.path.expanduser("~")\n'
        "def label_of(path):\n"
        f"    {use}\n"
        "    return path\n"
    )
    assert "SCR304" not in codes(source)


@pytest.mark.parametrize(
    "use",
    [
        "path.replace(HOME)",  # Path.replace(target): moves the file into the home folder
        'label = HOME + "/notes.txt"',
    ],
)
def test_the_home_folder_used_as_a_place_beside_text_uses_is_state(use: str) -> None:
    source = (
        "import os\n"
        'HOME = os.path.expanduser("~")\n'
        "def label_of(path):\n"
        '    label = path.replace(HOME, "~")\n'
        f"    {use}\n"
        "    return label\n"
    )
    assert "SCR304" in codes(source)
