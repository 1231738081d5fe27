"""Turn what the child did (exit status, stdout, stderr, report) into an `ExecutionResult`.

Pure functions: no process, no I/O, so every rule of the contract's result is tested
directly. The first words of each message are the seed's, which users search for.
"""

from __future__ import annotations

import json
import math
import re
import signal
from typing import Any

from scriptcontract.executor.child_process import ChildOutcome
from scriptcontract.executor.group_watch import Caps
from scriptcontract.executor.json_depth import MAX_JSON_DEPTH, nested_deeper_than
from scriptcontract.executor.result import ExecutionResult, SandboxReport
from scriptcontract.executor.sandbox import REFUSED_EXIT_CODE

INVALID_JSON = "Invalid JSON output from script"
POLICY_OFF = "off in the policy"  # the sandbox's reason for a protection the policy turned off
QUOTE_CHARS = 120
# JSON may escape lone UTF-16 surrogates ("\\ud800"); Python decodes them to code points
# that no UTF-8 encoder accepts, so a result holding one could never be printed or sent.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
TOO_DEEP = f"{INVALID_JSON}: the JSON is nested more than {MAX_JSON_DEPTH} levels deep"
# The last line of a Python traceback: `KeyError: 'name'`, `mod.CustomError: text`.
_EXCEPTION_LINE = re.compile(
    r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning)\b|\w+)(?::|$)"
)


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """The start of `text` for a message, as a Python literal so that control chars show."""
    return repr(text[:limit] + ("…" if len(text) > limit else ""))


def parse_report(raw: bytes) -> tuple[SandboxReport, dict[str, Any]]:
    """The sandbox report: one JSON object, written by the bootstrap before the script's
    first line and closed then, so that nothing the script writes can end up in it."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    details = data.get("details")
    report = SandboxReport(
        platform=_text(data.get("platform", "")),
        enforced=_texts(data.get("enforced")),
        missing=_texts(data.get("missing")),
        details={
            _text(k): _text(v) for k, v in (details.items() if isinstance(details, dict) else ())
        },
    )
    return report, data


def _text(value: Any) -> str:
    """A report value as text; whatever else a broken report holds (a nested structure
    whose `str()` would recurse) becomes its type's name."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return printable(str(value))
    return f"<{type(value).__name__}>"


def _texts(value: Any) -> list[str]:
    return [_text(item) for item in value] if isinstance(value, list) else []


def parse_stdout(raw: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """(the JSON object, None) or (None, why stdout is not exactly one JSON object)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, (
            f"{INVALID_JSON}: stdout is not valid UTF-8 (byte 0x{raw[exc.start]:02x} "
            f"at offset {exc.start}): {quote(raw.decode('utf-8', 'replace'))}"
        )
    stripped = text.strip()
    if not stripped:
        return None, f"{INVALID_JSON}: the script wrote nothing to stdout"
    start = len(text) - len(text.lstrip())
    try:
        value, end = _DECODER.raw_decode(text, start)
    except ValueError as exc:  # JSONDecodeError, int-too-large and non-finite numbers alike
        return None, _explain_undecodable(text, stripped, exc)
    except RecursionError:
        return None, TOO_DEEP
    rest = text[end:].strip()
    if rest:
        return None, (
            f"{INVALID_JSON}: more than one JSON document, or text after the JSON; "
            f"stdout starts {quote(stripped)}, and after the first document: {quote(rest)}"
        )
    if not isinstance(value, dict):
        kind = _json_kind(value)
        return None, f"{INVALID_JSON}: expected a JSON object, got {kind}: {quote(stripped)}"
    if nested_deeper_than(raw):  # what is around the JSON is whitespace: no brackets
        return None, TOO_DEEP
    if _SURROGATE_ESCAPE.search(text):
        value = _replace_surrogates(value)
    return value, None


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value (write null or a string)")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"the number {quote(text, 40)} is too large for a float")
    return value


# Python's JSON parser, minus what is not JSON: `NaN` and `Infinity` (which Python accepts),
# and numbers too large for a float (`1e400`, which it turns into infinity). Either would
# become `null` in the result without a word.
_DECODER = json.JSONDecoder(parse_constant=_not_json, parse_float=_finite_float)


def printable(text: str) -> str:
    """`text` with lone surrogates written as escapes, so that it serialises: a file name
    that is not UTF-8 on disk shows its bytes (`\\xff`), any other surrogate its code
    (`\\ud800`)."""
    if text.isascii() or _SURROGATE.search(text) is None:
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _replace_surrogates(value: dict[str, Any]) -> dict[str, Any]:
    """A copy of `value` with lone surrogates in keys and strings replaced by U+FFFD.

    Iterative: the parsed object may be nested as deeply as the parser allowed.
    """
    result: dict[str, Any] = {}
    todo: list[tuple[Any, Any]] = [(value, result)]
    while todo:
        source, target = todo.pop()
        items = source.items() if isinstance(source, dict) else enumerate(source)
        for key, item in items:
            new: Any = item
            if isinstance(item, dict):
                new = {}
                todo.append((item, new))
            elif isinstance(item, list):
                new = []
                todo.append((item, new))
            elif isinstance(item, str):
                new = _SURROGATE.sub("\ufffd", item)
            if isinstance(target, dict):
                target[_SURROGATE.sub("\ufffd", str(key))] = new
            else:
                target.append(new)
    return result


def _explain_undecodable(text: str, stripped: str, exc: ValueError) -> str:
    first_brace = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)
    if first_brace > 0 and text[:first_brace].strip():
        before = text[:first_brace].strip()
        return (
            f"{INVALID_JSON}: text before the JSON (print debug output to stderr): {quote(before)}"
        )
    return f"{INVALID_JSON}: {exc}; stdout starts {quote(stripped)}"


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"


def exception_type_from_stderr(stderr: str) -> str | None:
    """The exception name of a traceback at the end of stderr, if there is one."""
    if "Traceback (most recent call last):" not in stderr:
        return None
    for line in reversed(stderr.strip().splitlines()):
        if line and not line.startswith(" "):
            match = _EXCEPTION_LINE.match(line)
            return match.group(1).rsplit(".", 1)[-1] if match else None
    return None


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def build_result(
    outcome: ChildOutcome,
    *,
    timeout_ms: int,
    stdout_limit: int,
    stderr_limit: int,
    caps: Caps | None,
) -> ExecutionResult:
    report, raw_report = parse_report(outcome.report)
    stack = outcome.stacks.decode("utf-8", "replace").strip() or None
    stdout_text = outcome.stdout.decode("utf-8", "replace")
    stderr_text = outcome.stderr.decode("utf-8", "replace")
    base: dict[str, Any] = {
        "stdout": stdout_text,
        "stderr": stderr_text,
        "stdout_truncated": outcome.stdout_truncated,
        "stderr_truncated": outcome.stderr_truncated,
        "execution_time_ms": round(outcome.elapsed_ms, 3),
        "sandbox": report,
        "error_kind": None,
    }
    code = outcome.returncode
    exit_code = code if code is not None and code >= 0 else None

    def fail(error: str, kind: str, **extra: Any) -> ExecutionResult:
        fields = {**base, "exit_code": exit_code, "error_kind": kind, **extra}
        return ExecutionResult(success=False, error=error, **fields)

    if outcome.timed_out:
        return fail(
            f"Script execution timed out after {timeout_ms}ms",
            "timeout",
            exit_code=None,
            timed_out=True,
            timeout_stack=stack,
            error_type="TimeoutError",
        )
    if outcome.stopped_by in ("stdout", "stderr"):
        limit = stdout_limit if outcome.stopped_by == "stdout" else stderr_limit
        return fail(
            f"Script wrote more than {_size(limit)} to {outcome.stopped_by}; the run was stopped",
            "output",
            exit_code=None,
            error_type="OutputLimitExceeded",
        )
    if outcome.stopped_by in ("processes", "threads") and caps is not None:
        what = outcome.stopped_by
        cap = caps.processes if what == "processes" else caps.tasks
        return fail(
            f"Script started more than {cap} {what} at once; the run was stopped",
            "limits",
            exit_code=None,
            error_type="ProcessLimitExceeded" if what == "processes" else "ThreadLimitExceeded",
        )
    if code == REFUSED_EXIT_CODE and "refused" in raw_report:
        return fail(
            _refusal_message(_texts(raw_report["refused"]), report.details),
            "setup",
            error_type="SandboxUnavailable",
        )
    if code is not None and code < 0:
        name = signal_name(-code)
        hint = " (memory limit?)" if name in ("SIGKILL", "SIGSEGV") else ""
        return fail(f"Script was killed by {name}{hint}", "signal", error_type=name)

    output, json_error = parse_stdout(outcome.stdout)
    if code == 0:
        if output is None:
            return fail(json_error or INVALID_JSON, "output", error_type="InvalidJSONOutput")
        if output.get("success") is False:
            message = output.get("error")
            return fail(
                "Script reported failure but exited with code 0"
                + (f": {message}" if message is not None else ""),
                "exit",
                output=output,
                error_type=_str_or_none(output.get("error_type")),
            )
        return ExecutionResult(success=True, output=output, exit_code=0, **base)

    if output is not None and output.get("error") is not None:
        return fail(
            str(output["error"]),
            "exit",
            output=output,
            error_type=_str_or_none(output.get("error_type"))
            or exception_type_from_stderr(stderr_text),
        )
    return fail(
        f"Script exited with code {code}",
        "exit",
        output=output,
        error_type=exception_type_from_stderr(stderr_text),
    )


def _refusal_message(refused: list[str], details: dict[str, str]) -> str:
    """Say which required protections are missing, and whether the policy or the machine is why."""
    everything_off = "disabled" in details  # `enabled = false`: no protection was even tried
    off = [name for name in refused if everything_off or details.get(name) == POLICY_OFF]
    unavailable = [name for name in refused if name not in off]
    parts = []
    if unavailable:
        reasons = "; ".join(f"{name}: {details[name]}" for name in unavailable if name in details)
        parts.append(
            f"{', '.join(unavailable)} unavailable on this machine"
            + (f" ({reasons})" if reasons else "")
        )
    if off:
        parts.append(f"{', '.join(off)} required but turned off in the sandbox policy")
    return "Sandbox requirement not met: " + "; ".join(parts)


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _size(limit: int) -> str:
    if limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MiB"
    if limit % 1024 == 0:
        return f"{limit // 1024} KiB"
    return f"{limit} bytes"
