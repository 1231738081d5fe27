"""The rule registry: every rule's metadata and check, by code.

`all_rules()` and `rule_by_code()` are the public API (the language server uses them for
hover text and `codeDescription` links); `RULES` holds the checks the analyser runs.
"""

from __future__ import annotations

from scriptcontract.contract.rules import (
    absolute_path,
    command_from_input,
    empty_stdin,
    endless_loop,
    error_exit_zero,
    error_shape,
    error_without_json,
    eval_input,
    except_swallows_exit,
    exit_code,
    home_directory,
    long_sleep,
    missing_main_guard,
    multiple_outputs,
    network_timeout,
    no_error_handling,
    no_json_output,
    parent_escape,
    shell_true,
    stdin_never_read,
    stdin_not_json,
    stray_stdout,
    subprocess_timeout,
    unchecked_input_path,
    undeclared_input_key,
    unsafe_deserialization,
    whole_file_read,
)
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.engine_rules import ENGINE_RULES
from scriptcontract.contract.rules.meta import RuleMeta

__all__ = ["RULES", "Report", "Rule", "RuleContext", "RuleMeta", "all_rules", "rule_by_code"]

_CHECKED = (
    stdin_never_read.RULE,
    stdin_not_json.RULE,
    empty_stdin.RULE,
    no_json_output.RULE,
    stray_stdout.RULE,
    multiple_outputs.RULE,
    undeclared_input_key.RULE,
    exit_code.RULE,
    no_error_handling.RULE,
    error_exit_zero.RULE,
    error_without_json.RULE,
    error_shape.RULE,
    except_swallows_exit.RULE,
    missing_main_guard.RULE,
    absolute_path.RULE,
    parent_escape.RULE,
    unchecked_input_path.RULE,
    home_directory.RULE,
    subprocess_timeout.RULE,
    shell_true.RULE,
    network_timeout.RULE,
    endless_loop.RULE,
    whole_file_read.RULE,
    long_sleep.RULE,
    eval_input.RULE,
    unsafe_deserialization.RULE,
    command_from_input.RULE,
)

RULES: tuple[Rule, ...] = tuple(sorted((*ENGINE_RULES, *_CHECKED), key=lambda r: r.meta.code))
_BY_CODE = {rule.meta.code: rule for rule in RULES}
_BY_NAME = {rule.meta.name: rule for rule in RULES}
if len(_BY_CODE) != len(RULES) or len(_BY_NAME) != len(RULES):  # pragma: no cover
    raise RuntimeError("two rules share a code or a name")


def all_rules() -> tuple[RuleMeta, ...]:
    """Every rule's metadata, sorted by code."""
    return tuple(rule.meta for rule in RULES)


def rule_by_code(code: str) -> RuleMeta | None:
    """The metadata of rule `code` (e.g. "SCR101"), or of the rule named `code`."""
    rule = _BY_CODE.get(code) or _BY_NAME.get(code)
    return rule.meta if rule is not None else None


def rule_object(code: str) -> Rule | None:
    return _BY_CODE.get(code)
