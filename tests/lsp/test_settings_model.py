"""The editor's settings as models: both initializationOptions shapes, invalid values, merging."""

from __future__ import annotations

from scriptcontract.contract.finding import Severity
from scriptcontract.contract.settings import LintSettings
from scriptcontract.lsp.configuration import merge_lint
from scriptcontract.lsp.lint import override
from scriptcontract.lsp.settings import parse_initialization_options, parse_settings
from scriptcontract.lsp.suppression import add_ignore, code_at


def test_every_invalid_value_is_reported_and_only_it_falls_back() -> None:
    settings, errors = parse_settings(
        {
            "lint": {"run": "sometimes", "enabled": False},
            "severity": {"SCR1": "loud", "SCR2": "off"},
            "run": {"timeoutMs": 0, "python": "python3.12"},
            "interpreter": "/usr/bin/python3",  # a client-only key: ignored
        },
        "here",
    )
    assert sorted(error.key for error in errors) == ["lint.run", "run.timeoutMs", "severity.SCR1"]
    assert settings.lint.enabled is False and settings.lint.run == "onType"
    assert settings.severity == {"SCR2": "off"}
    assert settings.run.python == "python3.12" and settings.run.timeout_ms is None
    _, errors = parse_settings({"lint": 5}, "here")
    assert [error.key for error in errors] == ["lint"]
    _, errors = parse_settings([1], "here")
    assert "expected an object" in str(errors[0])


def test_an_unknown_setting_is_reported_with_the_one_meant() -> None:
    settings, errors = parse_settings(
        {
            "run": {"timeoutms": 5000, "python": "python3.12"},
            "lnt": {"enabled": False},
            "docs": {"baseURL": "https://x"},
            "severity": {"SCR1": "off"},  # rule codes: not settings names
            # VS Code's own keys, which it sends with the section:
            "interpreter": [],
            "importStrategy": "fromEnvironment",
            "runs": {"fullResult": True},
            "trace": {"server": "off"},
            "zzz": 1,
        },
        "here",
    )
    assert [str(error) for error in errors] == [
        "here: run.timeoutms: unknown setting (did you mean run.timeoutMs?)",
        "here: lnt: unknown setting (did you mean lint?)",
        "here: docs.baseURL: unknown setting (did you mean docs.baseUrl?)",
        "here: zzz: unknown setting",
    ]
    # A severity's key selects rules: one that selects none is a typo too (SCR1: a prefix).
    _, errors = parse_settings(
        {"severity": {"SCR1": "off", "stray-stdout-output": "hint", "SCR1055": "off"}}, "here"
    )
    assert [str(error) for error in errors] == [
        "here: severity.SCR1055: no rule has this code, prefix or name (did you mean SCR105?)"
    ]
    # The known ones around them apply.
    assert settings.run.python == "python3.12" and settings.severity == {"SCR1": "off"}
    # Where the object may be anything (a client's bare initializationOptions), nothing is.
    assert not parse_settings({"zzz": 1}, "here", section=False)[1]
    assert not parse_initialization_options({"lint": {"run": "onSave"}, "other": 1}).errors
    flood = parse_settings({f"k{n}": n for n in range(1000)}, "here")[1]
    assert len(flood) == 11 and str(flood[-1]) == "here: 990 more unknown settings"


def test_a_huge_invalid_value_is_reported_in_a_line() -> None:
    deep: list[object] = []
    inner = deep
    for _ in range(500):  # a plain repr of this would pass 1,000 characters
        inner.append([])
        inner = inner[0]  # type: ignore[assignment]
    _, errors = parse_settings(
        {"lint": {"run": "s" * 100_000}, "severity": {"SCR1": deep}, "k" * 10_000: 1}, "here"
    )
    shown = {error.key[:12]: str(error) for error in errors}
    assert "lint.run" in shown and "(got 'sssss" in shown["lint.run"], shown
    assert "severity.SCR" in shown and "(got [[[[" in shown["severity.SCR"], shown
    assert all(len(text) < 300 for text in shown.values()), shown
    # The positive control: a short value is shown whole.
    _, errors = parse_settings({"lint": {"run": "sometimes"}}, "here")
    assert "(got 'sometimes')" in str(errors[0])


def test_initialization_options_in_every_accepted_shape() -> None:
    plain = parse_initialization_options({"settings": {"logLevel": "debug"}})
    assert plain.global_settings is not None and plain.global_settings.log_level == "debug"
    bare = parse_initialization_options({"lint": {"run": "onSave"}})
    assert bare.global_settings is not None and bare.global_settings.lint.run == "onSave"
    per_folder = parse_initialization_options(
        {
            "settings": [{"workspace": "file:///a/", "lint": {"run": "onSave"}}, {"nope": 1}],
            "globalSettings": {"logLevel": "error"},
        }
    )
    assert per_folder.folders["file:///a"].lint.run == "onSave"
    assert per_folder.global_settings is not None
    assert per_folder.global_settings.log_level == "error"
    assert [error.key for error in per_folder.errors] == ["workspace"]
    assert parse_initialization_options(None).global_settings is None
    assert parse_initialization_options("x").errors


def test_editor_severities_go_over_the_projects_and_off_ignores() -> None:
    project = LintSettings(severity={"SCR1": Severity.HINT}, ignore=["SCR9"])
    settings, _ = parse_settings({"severity": {"SCR101": "error", "SCR2": "off"}}, "here")
    merged = merge_lint(project, settings)
    assert merged.severity == {"SCR1": Severity.HINT, "SCR101": Severity.ERROR}
    assert merged.ignore == ["SCR9", "SCR2"]
    assert override("SCR101", {"SCR": "hint", "SCR1": "warning", "SCR101": "off"}) == "off"
    assert override("SCR102", {"SCR": "hint", "SCR1": "warning"}) == "warning"
    assert override("XYZ1", {"SCR": "hint"}) is None


def test_suppression_comments_name_codes_and_take_one_more() -> None:
    line = "x = 1  # scriptcontract: ignore[SCR101, SCR2]"
    named = code_at(line, line.index("SCR2") + 1)
    assert named is not None and named.code == "SCR2" and not named.file_level
    assert code_at(line, 2) is None
    edit = add_ignore(line, "SCR301")
    assert edit is not None and edit.new_text == ", SCR301" and edit.start == len(line) - 1
    assert add_ignore(line, "SCR101") is None
    fresh = add_ignore("x = 1   ", "SCR101")
    assert fresh is not None
    assert (fresh.start, fresh.end, fresh.new_text) == (5, 8, "  # scriptcontract: ignore[SCR101]")


def test_settings_from_several_places_add_up_key_by_key() -> None:
    from scriptcontract.lsp.settings import ClientSettings, overlay

    first, _ = parse_settings({"severity": {"SCR1": "hint"}, "lint": {"run": "onSave"}}, "a")
    second, _ = parse_settings({"lint": {"debounceMs": 5}, "severity": {"SCR2": "off"}}, "b")
    empty, _ = parse_settings({}, "c")
    merged = overlay(overlay(overlay(ClientSettings(), first), second), empty)
    assert merged.lint.run == "onSave" and merged.lint.debounce_ms == 5
    assert merged.severity == {"SCR1": "hint", "SCR2": "off"}
    assert merged.log_level == "info"
    again = overlay(merged, parse_settings({"lint": {"run": "onType"}}, "d")[0])
    assert again.lint.run == "onType" and again.lint.debounce_ms == 5
