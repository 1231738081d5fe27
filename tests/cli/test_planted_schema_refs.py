"""A declared schema a project wrote, whose `$ref` leads out of its file.

`<script>.schema.json` lives beside its script, where runs may write and a pull request
writes. jsonschema's default registry retrieves any reference it does not hold, with
`urlopen`: `file:///...` read any file of the machine (`/dev/zero` until memory ran out), and
its values came back in the messages (`expected one of [...]`: into CI's log); an address
was fetched from outside the sandbox, with the network off too, and with no time limit (a
server that never answers held `run`, `test` and the language server). The validator
scriptcontract makes retrieves nothing (the fourteenth red team): a reference out of the
file does not resolve, and says so.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from tests.cli.runner import scriptcontract
from tests.conftest import Project

SECRET = "s3cret-outside-the-project"
SCRIPT = """
import json, sys
inputs = json.load(sys.stdin)
print(json.dumps({"success": True, "token": inputs.get("token")}))
"""


class _Serving(BaseHTTPRequestHandler):
    """Serves a schema holding the secret; `asked` (set on each server's own subclass) keeps
    the paths it was asked for."""

    asked: ClassVar[list[str]]

    def do_GET(self) -> None:
        type(self).asked.append(self.path)
        body = json.dumps({"enum": [SECRET]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """An address that serves a schema holding the secret, and the paths it was asked for."""
    asked: list[str] = []
    handler = type("Handler", (_Serving,), {"asked": asked})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/schema.json", asked
    finally:
        server.shutdown()
        server.server_close()


def _reference(kind: str, tmp_path: Path, address: str) -> str:
    if kind == "address":
        return address
    outside = tmp_path / "outside" / "values.json"
    outside.parent.mkdir(exist_ok=True)
    outside.write_text(json.dumps({"enum": [SECRET]}))
    return outside.as_uri()


def _schema(reference: str) -> dict[str, Any]:
    return {"type": "object", "properties": {"token": {"$ref": reference}}}


@pytest.mark.parametrize("kind", ["file", "address"])
def test_jsonschema_left_to_itself_retrieves_a_reference_out_of_the_file(
    kind: str, tmp_path: Path, listener: tuple[str, list[str]]
) -> None:
    """The positive control of the test below: the validator jsonschema makes by default,
    given the same schema and inputs, reads the file outside (or asks the address) and
    shows its values."""
    from jsonschema import validators

    address, asked = listener
    schema = _schema(_reference(kind, tmp_path, address))
    with pytest.warns(DeprecationWarning):
        errors = list(validators.validator_for(schema)(schema).iter_errors({"token": 1}))
    assert errors[0].validator_value == [SECRET]
    assert asked == (["/schema.json"] if kind == "address" else [])


@pytest.mark.parametrize("command", ["run", "test"])
@pytest.mark.parametrize("kind", ["file", "address"])
def test_a_declared_schema_never_retrieves_a_reference_out_of_its_file(
    project: Project, tmp_path: Path, listener: tuple[str, list[str]], kind: str, command: str
) -> None:
    address, asked = listener
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    project.write("scripts/job.py", SCRIPT)
    project.write(
        "scripts/job.schema.json", json.dumps(_schema(_reference(kind, tmp_path, address)))
    )
    project.write(
        "scripts/job.cases.json",
        '{"cases": [{"name": "c", "inputs": {"token": 1}, "expect": {"success": true}}]}\n',
    )
    if command == "run":
        done = scriptcontract("run", "scripts/job.py", cwd=project.root, stdin='{"token": 1}')
    else:
        done = scriptcontract("test", "scripts", cwd=project.root)
    shown = done.stdout + done.stderr
    assert done.returncode != 0, shown
    assert "does not resolve (only references within the schema file are followed)" in shown
    assert SECRET not in shown
    assert asked == []  # the command is over: whatever it would have asked, it has
