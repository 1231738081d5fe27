"""The template every new workflow script starts from, for the CLI, the server and the docs.

`script_text(keys)` is the file `scriptcontract new` writes, reading each input key into a
variable and returning them as the result. `snippet_text()` is the same file as an LSP
snippet, with a tab stop at the input key (`$1`) and one at the result (`$2`); accepted with
its defaults it is exactly `script_text()`, which is what a client without snippet support
gets. The snippet has no mirrors nor nested placeholders, which not every client expands
(Neovim's `vim.snippet` leaves a nested one empty): so one key alone is read into `value`.
`cases_text(inputs)` is its cases file: one case that the template passes. A test runs
the template through `check`, `run` and `test`, so it keeps the contract.
"""

from __future__ import annotations

import json
import keyword
import re
from collections.abc import Sequence

# The input a new script reads when the user names none, and its value in the inputs file.
DEFAULT_KEY = "name"
DEFAULT_INPUTS = {DEFAULT_KEY: "World"}

_TEMPLATE = '''\
#!/usr/bin/env python3
"""A workflow script: JSON inputs on stdin, one JSON object on stdout, exit 0 or 1."""

import json
import sys


def main(inputs):
@READS@
    return {"success": True, "result": @RESULT@}


if __name__ == "__main__":
    raw = sys.stdin.read()
    try:
        inputs = json.loads(raw) if raw.strip() else {}  # empty stdin: no inputs
        print(json.dumps(main(inputs)))
    except Exception as exc:
        # A failure is still one JSON object on stdout, with exit status 1.
        error = {"success": False, "error": str(exc), "error_type": type(exc).__name__}
        print(json.dumps(error))
        sys.exit(1)
'''
_SLOT = re.compile(r"@(READS|RESULT)@")
# Names the template itself uses: a variable named like them would shadow them in `main`.
_TAKEN = frozenset({"inputs", "json", "sys", "main"})
_VALUE = "value"
_SNIPPET_SPECIAL = re.compile(r"[\\$}]")


def variable_names(keys: Sequence[str]) -> list[str]:
    """A distinct Python identifier for each input key (`input-file` -> `input_file`); one
    key alone is read into `value`, as in the snippet."""
    if len(keys) == 1:
        return [_VALUE]
    names: list[str] = []
    for key in keys:
        name = re.sub(r"\W", "_", key) or "value"
        if name[0].isdigit():
            name = f"_{name}"
        if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in _TAKEN:
            name = f"{name}_"
        unique, number = name, 2
        while unique in names:
            unique, number = f"{name}_{number}", number + 1
        names.append(unique)
    return names


def _key_literal(key: str) -> str:
    return json.dumps(key, ensure_ascii=False)


def script_text(keys: Sequence[str] = (DEFAULT_KEY,)) -> str:
    """The new script's source, reading `keys` from the inputs (at least one)."""
    if not keys:
        raise ValueError("a new script reads at least one input key")
    names = variable_names(keys)
    reads = "\n".join(
        f"    {name} = inputs[{_key_literal(key)}]" for key, name in zip(keys, names, strict=True)
    )
    if len(keys) == 1:
        result = names[0]
    else:
        pairs = (f"{_key_literal(key)}: {name}" for key, name in zip(keys, names, strict=True))
        result = "{" + ", ".join(pairs) + "}"
    slots = {"READS": reads, "RESULT": result}
    return _SLOT.sub(lambda match: slots[match.group(1)], _TEMPLATE)


def snippet_text() -> str:
    """The template in LSP snippet syntax: `$1` the input key, `$2` the result, `$0` the end."""
    slots = {
        "READS": f'    {_VALUE} = inputs["${{1:{DEFAULT_KEY}}}"]',
        "RESULT": f"${{2:{_VALUE}}}",
    }
    parts: list[str] = []
    last = 0
    for match in _SLOT.finditer(_TEMPLATE):
        parts.append(_escape(_TEMPLATE[last : match.start()]))
        parts.append(slots[match.group(1)])
        last = match.end()
    parts.append(_escape(_TEMPLATE[last:]))
    return "".join(parts) + "$0"


def _escape(text: str) -> str:
    """Literal text in a snippet: `\\`, `$` and `}` are escaped with a backslash."""
    return _SNIPPET_SPECIAL.sub(lambda match: "\\" + match.group(0), text)


def inputs_text(inputs: dict[str, object] | None = None) -> str:
    """The new script's inputs file: `inputs` (default: `DEFAULT_INPUTS`), pretty-printed."""
    value = DEFAULT_INPUTS if inputs is None else inputs
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def template_output(inputs: dict[str, object]) -> dict[str, object]:
    """What `script_text(list(inputs))` writes on stdout when run with `inputs`."""
    values = list(inputs.values())
    return {"success": True, "result": values[0] if len(values) == 1 else dict(inputs)}


def cases_text(inputs: dict[str, object]) -> str:
    """The new script's cases file: one case, with `inputs`, that the template passes."""
    case = {
        "name": "answers with its inputs",
        "inputs": inputs,
        "expect": {"output": template_output(inputs)},
    }
    return json.dumps({"cases": [case]}, indent=2, ensure_ascii=False) + "\n"
