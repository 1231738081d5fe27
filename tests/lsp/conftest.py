"""The language-server harness: the real `scriptcontract serve` process driven by pytest-lsp.

Every test runs once per client profile: Neovim 0.11, VS Code 1.65 and Emacs 29 (shipped
with pytest-lsp), and a modern VS Code that pulls diagnostics (ours, in `clients/`). One
server per profile is shared by the tests that do not change settings: each test works on
its own files, starts with the client's records empty and closes its documents at the end
(`lsp`); `fresh_session()` starts a private one for the tests that do.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import textwrap
import time
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import pytest_lsp
from lsprotocol import types
from lsprotocol.converters import get_converter
from pygls.protocol import default_converter
from pygls.uris import from_fs_path, to_fs_path
from pytest_asyncio import is_async_test
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES
from pytest_lsp.protocol import LanguageClientProtocol

from tests.interpreter import environment
from tests.time_limits import REQUEST_BOUND_S

CLIENTS = Path(__file__).parent / "clients"
PROFILES = {
    "neovim": "neovim@0.11",
    "vscode": "visual_studio_code@1.65.2",
    "emacs": "emacs@29.1",
    "vscode-modern": str(CLIENTS / "visual_studio_code_v1.96.0.json"),
}
SERVER_COMMAND = [sys.executable, "-m", "scriptcontract", "serve", "--log-level", "info"]
# The server's runs use `python3` from PATH: the interpreter under test.
SERVER_ENV = environment()
SHARED_SETTINGS: dict[str, Any] = {"lint": {"debounceMs": 5}, "logLevel": "info"}
# What the server does on its own (a lint, a registration) is waited for as long as any answer:
# a first lint on a loaded machine took more than 10 s.
WAIT_S = REQUEST_BOUND_S
# A script that keeps the contract (no finding), and one that does not parse (only SCR001,
# at line 2, column 9).
CLEAN = """import json
import sys


def main(inputs):
    return {"success": True, "count": len(inputs)}


if __name__ == "__main__":
    raw = sys.stdin.read()
    try:
        inputs = json.loads(raw) if raw.strip() else {}
        print(json.dumps(main(inputs)))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
"""
BROKEN = "import json\n\ndef main(:\n    pass\n"


def codes(found: list[types.Diagnostic]) -> list[str]:
    return [str(d.code) for d in found]


def only_syntax_error(found: list[types.Diagnostic]) -> bool:
    return codes(found) == ["SCR001"]


def capabilities_of(profile: str) -> types.ClientCapabilities:
    spec = PROFILES[profile]
    if spec.endswith(".json"):
        data = json.loads(Path(spec).read_text(encoding="utf-8"))
        return get_converter().structure(data, types.InitializeParams).capabilities
    return client_capabilities(spec)


class TestClientProtocol(LanguageClientProtocol):
    def send_request_async(  # type: ignore[override]
        self, method: str, params: Any | None = None, msg_id: Any = None
    ) -> asyncio.Future[Any]:
        # Every request is bounded: a run or a server that never answers fails the test
        # that waited, saying for what.
        msg_id = str(uuid.uuid4()) if msg_id is None else msg_id
        answer = asyncio.wrap_future(self.send_request(method, params, msg_id=msg_id))
        return asyncio.ensure_future(self._bounded(answer, method, msg_id))

    async def _bounded(self, answer: asyncio.Future[Any], method: str, msg_id: Any) -> Any:
        done, _ = await asyncio.wait({answer}, timeout=REQUEST_BOUND_S)
        if not done:
            # Left pending, not cancelled: pygls would break the session on the late answer.
            self.notify(types.CANCEL_REQUEST, types.CancelParams(id=msg_id))
            raise AssertionError(f"the server did not answer {method} in {REQUEST_BOUND_S} s")
        return answer.result()

    def get_result_type(self, method: str) -> Any:  # type: ignore[override]
        # lsprotocol reads every code action that has a `command` as a Command; the tests
        # read code action answers themselves (`code_actions()`), the way editors do.
        if method == types.TEXT_DOCUMENT_CODE_ACTION:
            return None
        return super().get_result_type(method)


def structure_code_actions(raw: Any) -> list[types.CodeAction | types.Command]:
    converter = get_converter()
    out: list[types.CodeAction | types.Command] = []
    for item in raw or []:
        if isinstance(item.get("command"), str):
            out.append(converter.structure(item, types.Command))
        else:
            out.append(converter.structure(item, types.CodeAction))
    return out


class TestClient(LanguageClient):
    """pytest-lsp's client, plus what our server asks of an editor."""

    __test__ = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.profile = ""
        self.published: dict[str, list[types.PublishDiagnosticsParams]] = {}
        self.registrations: list[types.Registration] = []
        self.applied_edits: list[types.ApplyWorkspaceEditParams] = []
        self.code_lens_refreshes = 0
        self.inlay_hint_refreshes = 0
        # Edits the server asked for that this client could not apply: a test fails on them.
        self.refused_edits: list[str] = []
        self.init_result: types.InitializeResult | None = None

    def forget_history(self) -> None:
        """Forget what the server sent so far: a test on a shared server sees its own only."""
        self.published.clear()
        self.applied_edits.clear()
        self.refused_edits.clear()
        self.code_lens_refreshes = 0
        self.inlay_hint_refreshes = 0
        self.messages.clear()
        self.shown_documents.clear()
        self.diagnostics.clear()
        self.diagnostic_refresh_count = 0
        # progress_reports stays: pytest-lsp checks each $/progress against the tokens in
        # it, and an earlier run may still report its end (tests compare with a snapshot).

    def assert_every_edit_applied(self) -> None:
        assert not self.refused_edits, (
            f"edits the test client could not apply: {self.refused_edits}"
        )


def make_client() -> TestClient:
    client = TestClient(converter_factory=default_converter, protocol_cls=TestClientProtocol)
    for method, handler in DEFAULT_CLIENT_FEATURES.items():
        if method != types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
            client.feature(method)(handler)

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)  # type: ignore[untyped-decorator]
    def publish(ls: TestClient, params: types.PublishDiagnosticsParams) -> None:
        ls.diagnostics[params.uri] = params.diagnostics
        ls.published.setdefault(params.uri, []).append(params)

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)  # type: ignore[untyped-decorator]
    def register(ls: TestClient, params: types.RegistrationParams) -> None:
        ls.registrations.extend(params.registrations)

    @client.feature(types.WORKSPACE_CODE_LENS_REFRESH)  # type: ignore[untyped-decorator]
    def lens_refresh(ls: TestClient, params: None) -> None:
        ls.code_lens_refreshes += 1

    @client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)  # type: ignore[untyped-decorator]
    def inlay_hint_refresh(ls: TestClient, params: None) -> None:
        ls.inlay_hint_refreshes += 1

    @client.feature(types.WORKSPACE_APPLY_EDIT)  # type: ignore[untyped-decorator]
    def apply_edit(
        ls: TestClient, params: types.ApplyWorkspaceEditParams
    ) -> types.ApplyWorkspaceEditResult:
        problems = apply_to_disk(params.edit)
        if problems:
            ls.refused_edits.extend(problems)
            return types.ApplyWorkspaceEditResult(applied=False, failure_reason="; ".join(problems))
        ls.applied_edits.append(params)
        return types.ApplyWorkspaceEditResult(applied=True)

    return client


def apply_to_disk(edit: types.WorkspaceEdit) -> list[str]:
    """What an editor does with the edits our tests apply: create files, and insert or
    replace text (anywhere in ASCII text, where every position encoding counts alike; at
    the start of any text). Anything else is not applied but returned, so the test fails
    instead of passing without the edit."""
    created: list[Path] = []
    problems: list[str] = []
    text_edits: list[tuple[str, list[Any]]] = [
        (uri, list(edits)) for uri, edits in (edit.changes or {}).items()
    ]
    for change in edit.document_changes or []:
        if isinstance(change, types.CreateFile):
            created.append(Path(to_fs_path(change.uri) or ""))
        elif isinstance(change, types.TextDocumentEdit):
            text_edits.append((change.text_document.uri, list(change.edits)))
        else:
            problems.append(f"the test client cannot apply a {type(change).__name__}")
    new_texts: dict[Path, str] = {}
    start = types.Position(line=0, character=0)
    for uri, edits in text_edits:
        path = Path(to_fs_path(uri) or "")
        text = new_texts.get(path, path.read_text(encoding="utf-8") if path.exists() else "")
        spans: list[tuple[int, int, int, str]] = []
        for order, text_edit in enumerate(edits):
            at_start = text_edit.range.start == text_edit.range.end == start
            if not (at_start or text.isascii()):
                problems.append(f"the test client cannot apply {text_edit} to {uri}")
                continue
            first = _offset(text, text_edit.range.start)
            last = _offset(text, text_edit.range.end)
            spans.append((first, last, order, text_edit.new_text))
        # From the end, so that offsets hold; insertions at one position in the order given.
        for first, last, _, new_text in sorted(spans, reverse=True):
            text = text[:first] + new_text + text[last:]
        new_texts[path] = text
    if problems:
        return problems
    for path in created:
        if not path.exists():
            path.write_text("", encoding="utf-8")
    for path, text in new_texts.items():
        path.write_text(text, encoding="utf-8")
    return []


def _offset(text: str, where: types.Position) -> int:
    lines = text.split("\n")
    line = min(where.line, len(lines) - 1)
    return sum(len(item) + 1 for item in lines[:line]) + min(where.character, len(lines[line]))


def initialize_params(
    profile: str,
    folders: list[Path],
    initialization_options: Any = None,
    tweak: Callable[[types.ClientCapabilities], None] | None = None,
) -> types.InitializeParams:
    capabilities = capabilities_of(profile)
    if tweak is not None:
        tweak(capabilities)
    return types.InitializeParams(
        capabilities=capabilities,
        root_uri=from_fs_path(str(folders[0])) if folders else None,
        workspace_folders=[
            types.WorkspaceFolder(uri=from_fs_path(str(f)) or "", name=f.name) for f in folders
        ]
        or None,
        initialization_options=initialization_options,
    )


class Session:
    """One client talking to one server, with helpers that speak in files and text."""

    def __init__(self, client: TestClient, root: Path, encoding: str) -> None:
        self.client = client
        self.root = root
        self.encoding = encoding
        self.versions: dict[str, int] = {}

    @property
    def profile(self) -> str:
        return self.client.profile

    @property
    def pulls(self) -> bool:
        return self.profile == "vscode-modern"

    def uri(self, relative: str) -> str:
        return from_fs_path(str(self.root / relative)) or ""

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def open(
        self,
        relative: str,
        text: str | None = None,
        *,
        on_disk: bool = True,
        language_id: str = "python",
    ) -> str:
        """Write the file (unless `on_disk` is False) and open it; returns its URI."""
        if text is not None:
            text = textwrap.dedent(text).lstrip("\n")
            if on_disk:
                self.write(relative, text)
        else:
            text = (self.root / relative).read_text(encoding="utf-8")
        uri = self.uri(relative)
        return self.open_uri(uri, text, language_id)

    def open_uri(self, uri: str, text: str, language_id: str = "python") -> str:
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id=language_id, version=1, text=text
                )
            )
        )
        return uri

    def replace_all(self, uri: str, text: str) -> int:
        return self.change(uri, [types.TextDocumentContentChangeWholeDocument(text=text)])

    def edit(self, uri: str, start: tuple[int, int], end: tuple[int, int], text: str) -> int:
        """An incremental edit; columns in the negotiated encoding."""
        change = types.TextDocumentContentChangePartial(
            range=types.Range(
                start=types.Position(line=start[0], character=start[1]),
                end=types.Position(line=end[0], character=end[1]),
            ),
            text=text,
        )
        return self.change(uri, [change])

    def change(self, uri: str, changes: list[Any]) -> int:
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=changes,
            )
        )
        return self.versions[uri]

    def save(self, uri: str) -> None:
        self.client.text_document_did_save(
            types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )

    async def pull(
        self, uri: str, previous: str | None = None
    ) -> types.RelatedFullDocumentDiagnosticReport | types.RelatedUnchangedDocumentDiagnosticReport:
        return await self.client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                identifier="scriptcontract",
                previous_result_id=previous,
            )
        )

    def current(self, uri: str) -> list[types.Diagnostic] | None:
        """What the client shows now (push only): None before the first publish."""
        published = self.client.published.get(uri)
        return list(published[-1].diagnostics) if published else None

    async def diagnostics(
        self,
        uri: str,
        until: Callable[[list[types.Diagnostic]], bool] = lambda found: bool(found),
        *,
        source: str | None = None,
        timeout: float = WAIT_S,
    ) -> list[types.Diagnostic]:
        """The document's diagnostics (of `source`), once `until` holds for them.

        Push clients: the last publication; pull clients: the answer to a pull, asked again
        until it holds. Fails the test when it never holds.
        """
        deadline = time.monotonic() + timeout
        found: list[types.Diagnostic] = []
        while time.monotonic() < deadline:
            if self.pulls:
                report = await self.pull(uri)
                assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
                found = list(report.items)
            else:
                found = self.current(uri) or []
            if source is not None:
                found = [d for d in found if d.source == source]
            if until(found):
                return found
            await asyncio.sleep(0.02)
        raise AssertionError(f"diagnostics of {uri} never matched; last: {found}")

    async def until(self, condition: Callable[[], bool], timeout: float = WAIT_S) -> None:
        """Wait for something the server does on its own (a registration, a message)."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError("the server never did it")
            await asyncio.sleep(0.02)

    async def command(self, name: str, *arguments: Any) -> Any:
        return await self.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=name, arguments=list(arguments))
        )

    async def shown(self, uri: str) -> list[types.Diagnostic]:
        """What the client shows for `uri` now: the last publication, or a pull's answer."""
        if self.pulls:
            report = await self.pull(uri)
            assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
            return list(report.items)
        return self.current(uri) or []

    async def round_trip(self) -> None:
        """Returns once every lint the server had started has been delivered.

        The server lints one document at a time, in order: once a document opened now has
        its diagnostics, every lint started before it has been published. (A lint still in
        its debounce pause has not started.) Before a "nothing arrived" check, this is what
        makes the check mean something. Needs linting on.
        """
        uri = self.open(f"scripts/round_trip_{uuid.uuid4().hex}.py", BROKEN, on_disk=False)
        await self.diagnostics(uri, only_syntax_error)
        self.close(uri)


async def start_session(
    profile: str,
    folders: list[Path],
    initialization_options: Any = None,
    configuration: dict[str, Any] | None = None,
    tweak: Callable[[types.ClientCapabilities], None] | None = None,
) -> Session:
    # The environment as it is now: a test may have set variables for its own server.
    config = ClientServerConfig(
        server_command=SERVER_COMMAND, client_factory=make_client, server_env=environment()
    )
    client = await config.start()
    assert isinstance(client, TestClient)
    client.profile = profile
    for scope, value in (configuration or {}).items():
        client.set_configuration(value, section="scriptcontract", scope_uri=scope or None)
    result = await client.initialize_session(
        initialize_params(profile, folders, initialization_options, tweak)
    )
    client.init_result = result
    encoding = str(result.capabilities.position_encoding or "utf-16")
    return Session(client, folders[0] if folders else Path("/"), encoding)


async def end_server(client: TestClient) -> None:
    """Shut the server down, and kill it if it does not exit: pygls's `stop()` waits for
    the exit for ever, and a server a test found hung (a thread holding the interpreter
    ignores SIGTERM) would outlive the suite, spinning."""
    with contextlib.suppress(Exception):
        await asyncio.wait_for(client.shutdown_session(), timeout=WAIT_S)
    server = client._server
    if server is not None and server.returncode is None:
        try:
            await asyncio.wait_for(asyncio.shield(server.wait()), timeout=WAIT_S)
        except asyncio.TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                server.kill()


async def stop_session(session: Session) -> None:
    await end_server(session.client)
    await session.client.stop()  # type: ignore[no-untyped-call]


@contextlib.asynccontextmanager
async def fresh_session(
    profile: str,
    folders: list[Path],
    initialization_options: Any = None,
    configuration: dict[str, Any] | None = None,
    tweak: Callable[[types.ClientCapabilities], None] | None = None,
) -> AsyncIterator[Session]:
    """A private server for a test that changes settings."""
    session = await start_session(profile, folders, initialization_options, configuration, tweak)
    try:
        yield session
        session.client.assert_every_edit_applied()
    finally:
        await stop_session(session)


async def watched_globs(lsp: Session) -> list[str]:
    """The globs the server registered for `workspace/didChangeWatchedFiles` (clients that
    register watchers dynamically: the VS Code profiles)."""
    await lsp.until(lambda: bool(lsp.client.registrations))
    (registration,) = [
        r for r in lsp.client.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    ]
    watched = registration.register_options
    assert isinstance(watched, dict)
    return [w["globPattern"] for w in watched["watchers"]]


def make_project(root: Path) -> Path:
    (root / "scripts").mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "demo"\n\n[tool.scriptcontract]\ninclude = ["scripts/**/*.py"]\n',
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="session")
def shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("shared") / "project")


@pytest_lsp.fixture(  # type: ignore[untyped-decorator]
    config=ClientServerConfig(
        server_command=SERVER_COMMAND, client_factory=make_client, server_env=SERVER_ENV
    ),
    scope="session",
    params=list(PROFILES),
)
async def shared_client(
    lsp_client: TestClient, request: pytest.FixtureRequest, shared_root: Path
) -> AsyncIterator[None]:
    lsp_client.profile = request.param
    lsp_client.init_result = await lsp_client.initialize_session(
        initialize_params(request.param, [shared_root], {"settings": SHARED_SETTINGS})
    )
    yield
    await end_server(lsp_client)


def only_profiles(*profiles: str) -> pytest.MarkDecorator:
    """Runs a test on the shared servers of these client profiles only: the others are
    left out of its parametrisation, not skipped while it runs."""
    unknown = set(profiles) - set(PROFILES)
    assert not unknown, unknown
    return pytest.mark.parametrize("shared_client", list(profiles), indirect=True)


@pytest_asyncio.fixture(loop_scope="session")
async def lsp(shared_client: TestClient, shared_root: Path) -> AsyncIterator[Session]:
    """The shared server of this test's profile, as if the test had it alone: what the
    client received before is forgotten, and the documents the test opened are closed
    after it (its files are its own: see `name`)."""
    shared_client.forget_history()
    assert shared_client.init_result is not None
    encoding = str(shared_client.init_result.capabilities.position_encoding or "utf-16")
    session = Session(shared_client, shared_root, encoding)
    yield session
    for uri in session.versions:
        session.close(uri)
    shared_client.assert_every_edit_applied()


@pytest.fixture
def name(request: pytest.FixtureRequest) -> str:
    """A file name of this test's own under scripts/ (tests share the server)."""
    node = request.node.name.replace("[", "_").replace("]", "").replace("-", "_")
    return f"scripts/{node}.py"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The shared servers live in the session's event loop, so these tests run in it too.
    here = Path(__file__).parent
    marker = pytest.mark.asyncio(loop_scope="session")
    for item in items:
        if is_async_test(item) and here in Path(str(item.path)).parents:
            item.add_marker(marker, append=False)


@pytest.fixture
def trust_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A trust record of the test's own (`XDG_STATE_HOME`), for the servers it starts."""
    state = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    return state


def vouch(file: Path) -> None:
    """Record a nested configuration's content as the user's, as `scriptcontract trust`
    does (in this process's `XDG_STATE_HOME`: use `trust_record`): a test of what a
    configuration can do, once used, starts from one the server uses."""
    from scriptcontract.nested_configs import CONTENT_KEY, content_digest
    from scriptcontract.trust import Loosening, TrustStore

    assert "XDG_STATE_HOME" in os.environ
    TrustStore().trust(str(file), [Loosening(CONTENT_KEY, content_digest(file))])
