"""Lint diagnostics: when they come, for which files, how they are delivered, what they carry."""

from __future__ import annotations

from collections.abc import Callable

from lsprotocol import types

from tests.lsp.conftest import BROKEN, Session, codes, only_profiles, only_syntax_error
from tests.lsp.conftest import CLEAN as FIXED


async def test_a_broken_script_gets_a_diagnostic_on_open(lsp: Session, name: str) -> None:
    uri = lsp.open(name, BROKEN)
    found = await lsp.diagnostics(uri)
    assert codes(found) == ["SCR001"]
    (diagnostic,) = found
    assert diagnostic.source == "scriptcontract"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.range.start == types.Position(line=2, character=9)
    if not lsp.pulls:
        assert lsp.client.published[uri][-1].version == 1


async def test_each_diagnostic_carries_its_docs_link_and_fixes_as_the_client_allows(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, BROKEN)
    (diagnostic,) = await lsp.diagnostics(uri)
    caps = lsp.client.capabilities
    assert caps is not None
    publish = caps.text_document.publish_diagnostics if caps.text_document else None
    if lsp.pulls or (publish and publish.code_description_support):
        assert diagnostic.code_description is not None
        assert diagnostic.code_description.href.endswith("SCR001.md")
    else:
        assert diagnostic.code_description is None
    if lsp.pulls or (publish and publish.data_support):
        assert diagnostic.data == {"fixes": []}
    else:
        assert diagnostic.data is None


async def test_a_file_that_is_not_a_workflow_script_gets_nothing(lsp: Session) -> None:
    helper = lsp.open("lib/helper_not_a_script.py", BROKEN)
    marked = lsp.open("lib/opted_in.py", "# scriptcontract: script\n" + BROKEN)
    skipped = lsp.open("scripts/opted_out.py", "# scriptcontract: skip-file\n" + BROKEN)
    assert codes(await lsp.diagnostics(marked)) == ["SCR001"]
    assert await lsp.diagnostics(helper, lambda found: not found) == []
    assert await lsp.diagnostics(skipped, lambda found: not found) == []


async def test_a_change_is_linted_and_published_with_its_version(lsp: Session, name: str) -> None:
    uri = lsp.open(name, BROKEN)
    await lsp.diagnostics(uri)
    version = lsp.replace_all(uri, FIXED)
    assert await lsp.diagnostics(uri, lambda found: not found) == []
    if not lsp.pulls:
        assert lsp.client.published[uri][-1].version == version
    version = lsp.edit(uri, (4, 9), (4, 9), "(")  # breaks it again: `def main((inputs):`
    found = await lsp.diagnostics(uri, only_syntax_error)
    assert found[0].range.start.line == 4
    if not lsp.pulls:
        assert lsp.client.published[uri][-1].version == version


async def test_an_older_version_is_never_published_over_a_newer_one(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, FIXED)
    last = 0
    for index in range(40):
        last = lsp.replace_all(uri, BROKEN if index % 2 == 0 else FIXED)
    last = lsp.replace_all(uri, BROKEN)
    await lsp.diagnostics(uri, lambda found: codes(found) == ["SCR001"])
    if not lsp.pulls:
        await lsp.until(lambda: lsp.client.published[uri][-1].version == last)
        await lsp.round_trip()  # an older version published late would be in by now
        versions = [p.version or 0 for p in lsp.client.published[uri]]
        assert versions == sorted(versions), versions
        assert versions[-1] == last
        assert codes(list(lsp.client.published[uri][-1].diagnostics)) == ["SCR001"]


async def test_closing_a_document_clears_its_diagnostics(lsp: Session, name: str) -> None:
    uri = lsp.open(name, BROKEN)
    await lsp.diagnostics(uri)
    lsp.close(uri)
    if lsp.pulls:
        report = await lsp.pull(uri)
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        assert list(report.items) == []
    else:
        assert await lsp.diagnostics(uri, lambda found: not found) == []
        assert lsp.current(uri) == []


async def test_a_deleted_file_loses_its_diagnostics(lsp: Session, name: str) -> None:
    uri = lsp.open(name, BROKEN)
    await lsp.diagnostics(uri)
    (lsp.root / name).unlink()
    lsp.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri, type=types.FileChangeType.Deleted)]
        )
    )
    assert await lsp.diagnostics(uri, lambda found: not found) == []


async def test_unsaved_and_untitled_buffers_are_linted(lsp: Session, name: str) -> None:
    lsp.write(name, FIXED)
    unsaved = lsp.open(name, BROKEN, on_disk=False)
    untitled = lsp.open_uri(f"untitled:{name.replace('/', '-')}", BROKEN)
    assert codes(await lsp.diagnostics(unsaved)) == ["SCR001"]
    assert codes(await lsp.diagnostics(untitled)) == ["SCR001"]
    notes = f"untitled:notes-{name.replace('/', '-')}"
    lsp.client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=notes, language_id="markdown", version=1, text=BROKEN
            )
        )
    )
    assert await lsp.diagnostics(notes, lambda found: not found) == []


async def test_diagnostics_are_pulled_or_pushed_never_both(lsp: Session, name: str) -> None:
    assert lsp.client.init_result is not None
    provider = lsp.client.init_result.capabilities.diagnostic_provider
    uri = lsp.open(name, BROKEN)
    await lsp.diagnostics(uri)
    if lsp.pulls:
        assert provider is not None
        await lsp.round_trip()
        assert uri not in lsp.client.published
    else:
        assert provider is None
        assert uri in lsp.client.published


async def test_the_commands_are_listed_for_the_client(lsp: Session) -> None:
    assert lsp.client.init_result is not None
    provider = lsp.client.init_result.capabilities.execute_command_provider
    assert provider is not None
    assert set(provider.commands) == {
        "scriptcontract.run",
        "scriptcontract.runNow",
        "scriptcontract.createInputs",
        "scriptcontract.inputsTemplate",
        "scriptcontract.parseInputs",
        "scriptcontract.runCases",
        "scriptcontract.listCases",
        "scriptcontract.addCase",
        "scriptcontract.findCasesFiles",
        "scriptcontract.debug",
        "scriptcontract.debugConfiguration",
        "scriptcontract.debugRun",
        "scriptcontract.explore",
        "scriptcontract.saveExploredCase",
        "scriptcontract.usePython",
    }


@only_profiles("vscode-modern")  # the one that pulls
async def test_pulls_get_result_ids_and_unchanged_reports(lsp: Session, name: str) -> None:
    assert lsp.pulls
    uri = lsp.open(name, BROKEN)
    first = await lsp.pull(uri)
    assert isinstance(first, types.RelatedFullDocumentDiagnosticReport)
    assert codes(list(first.items)) == ["SCR001"] and first.result_id
    again = await lsp.pull(uri, previous=first.result_id)
    assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)
    assert again.result_id == first.result_id
    lsp.replace_all(uri, FIXED)
    changed = await lsp.pull(uri, previous=first.result_id)
    assert isinstance(changed, types.RelatedFullDocumentDiagnosticReport)
    assert list(changed.items) == [] and changed.result_id != first.result_id


# Three functions above `main`; the last one prints a stray line.
HELPER = FIXED.replace(
    "\n\ndef main(inputs):",
    "\n\ndef first(x):\n    return x\n\n\ndef second(x):\n    return x\n\n\n"
    'def helper(x):\n    print("debugging", x)\n    return x\n\n\ndef main(inputs):',
)


async def test_diagnostics_follow_the_text_through_edits_that_add_and_remove_lines(
    lsp: Session, name: str
) -> None:
    # The server reparses only the statements an edit touched and moves the others: each
    # finding must still be reported on the line its text is on.
    def stray_print_on(line: int) -> Callable[[list[types.Diagnostic]], bool]:
        return lambda found: (
            [(str(d.code), d.range.start.line) for d in found] == [("SCR105", line)]
        )

    uri = lsp.open(name, HELPER)
    await lsp.diagnostics(uri, stray_print_on(13))
    lsp.edit(uri, (2, 0), (2, 0), "LIMIT = 3\n\n\n")
    await lsp.diagnostics(uri, stray_print_on(16))
    lsp.edit(uri, (21, 0), (21, 0), "    # a comment typed in main\n")  # below the finding
    await lsp.diagnostics(uri, stray_print_on(16))
    lsp.edit(uri, (2, 0), (5, 0), "")
    await lsp.diagnostics(uri, stray_print_on(13))
    lsp.edit(uri, (4, 10), (4, 10), "(")  # `def first((x):`
    # The syntax error in first(), beside the finding outside it (see test_typing.py).
    await lsp.diagnostics(
        uri,
        lambda found: (
            [(str(d.code), d.range.start.line) for d in found] == [("SCR001", 4), ("SCR105", 13)]
        ),
    )
    lsp.edit(uri, (4, 10), (4, 11), "")
    await lsp.diagnostics(uri, stray_print_on(13))
    lsp.edit(uri, (13, 0), (14, 0), "")  # the print deleted
    assert await lsp.diagnostics(uri, lambda found: not found) == []
