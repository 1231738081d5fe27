"""SCR105 stray-stdout-output: text that is not the JSON result goes to stdout."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import replace

from scriptcontract.contract import names as N
from scriptcontract.contract.facts import Write, WriteKind
from scriptcontract.contract.finding import Fix, Severity
from scriptcontract.contract.rules._helpers import has_star_kwargs, module_alias, name_for
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR105",
    name="stray-stdout-output",
    severity=Severity.ERROR,
    summary="Debug or progress text is written to stdout, where only the JSON result may go.",
    explanation="""
stdout carries exactly one JSON document. A progress message printed there makes the whole
output unreadable (`Invalid JSON output from script`). Debug output belongs on stderr, which
the executor keeps and shows. This rule also catches `print(some_dict)`, which writes Python's
repr (single quotes, `True`, `None`) rather than JSON (the parsed inputs, a JSON object,
count as a dict), `print(traceback.format_exc())`, a module printed by mistake (`print(json)`
writes `<module 'json' ...>`), a choice between two texts (`print("on" if x else "off")`),
a list only ever given text joined (`notes.append(f"...")`, then `print("; ".join(notes))`),
text passed to a helper of the script that writes it as it came, or with a newline added
(`log("starting")`, `def log(line): sys.stdout.write(line + "\\n")`), writes through a
name bound to stdout (`out = sys.stdout`), and logging configured to write to stdout. It is
silent inside `contextlib.redirect_stdout(...)`, in scripts that replace `sys.stdout` (except
for writes through a name bound to the original; re-wrapping stdout for an encoding is not a
replacement), and for a JSON document written in parts (`print("{")`, one `print()` per
field, `print("}")`): those lines are the result, and sending them to stderr would leave a
lone `{` on stdout. Building the object and printing `json.dumps(result)` once is safer.
""",
    bad_example="""
import json
import sys

print("Starting...")
print(json.dumps({"success": True}))
""",
    good_example="""
import json
import sys

print("Starting...", file=sys.stderr)
print(json.dumps({"success": True}))
""",
    fix="Send the text to stderr. The automatic fix adds `file=sys.stderr` to `print()` (and "
    "`import sys` if needed), turns `sys.stdout.write` into `sys.stderr.write`, wraps a printed "
    "dict in `json.dumps()`, and points logging at `sys.stderr`.",
    fixable=True,
)


def check(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    # With sys.stdout replaced, only writes through a name bound to the original stdout
    # are known to reach it.
    reassigned = facts.stdout_reassigned
    parts = facts.document_parts
    for write in facts.direct_writes:
        if reassigned and not write.alias:
            continue
        if id(write.site.node) in parts:
            continue  # one JSON document written field by field: not stray text
        if write.kind is WriteKind.TEXT:
            yield Report(
                ctx.range(write.site.node),
                "text written to stdout breaks the JSON output: send it to stderr",
                fixes=_to_stderr(ctx, write),
            )
        elif write.kind is WriteKind.REPR:
            yield Report(
                ctx.range(write.site.node),
                "print() of a dict writes Python's repr, not JSON: use json.dumps()",
                fixes=_wrap_in_dumps(ctx, write),
            )
    if reassigned:
        return
    yield from _text_through_helpers(ctx)
    for site in ctx.model.calls_to(*N.LOGGING_STREAM_SETUP):
        stream = next((kw.value for kw in site.node.keywords if kw.arg == "stream"), None)
        if stream is None and site.name == "logging.StreamHandler" and site.node.args:
            stream = site.node.args[0]
        if stream is not None and ctx.model.resolve(stream) == N.STDOUT:
            yield Report(
                ctx.range(stream),
                "logging to stdout mixes log lines into the JSON output: log to stderr",
                fixes=_replace_stream(ctx, stream),
            )


def _text_through_helpers(ctx: RuleContext) -> Iterator[Report]:
    """`def log(message): print(message)`, then `log("starting")`: the text reaches stdout
    through the helper; it is reported where it is passed."""
    facts = ctx.facts
    for site, arg, write in facts.writer_calls:
        if facts.payload_kind(arg, site.ctx.function) is WriteKind.TEXT:
            function = write.site.ctx.function
            assert function is not None
            yield Report(
                ctx.range(arg),
                f"{function.name}() writes this text to stdout, where it breaks the JSON "
                "output: send it to stderr",
                related=(ctx.related(write.site.node, "written to stdout here"),),
            )


def _to_stderr(ctx: RuleContext, write: Write) -> tuple[Fix, ...]:
    call = write.site.node
    if write.site.name == "print":
        if has_star_kwargs(call) or any(kw.arg == "file" for kw in call.keywords):
            return ()
        spelled, imports = name_for(ctx, N.STDERR)
        if not spelled:
            return ()
        last = max(
            (*call.args, *(kw.value for kw in call.keywords)),
            key=lambda n: (n.end_lineno or 0, n.end_col_offset or 0),
        )
        edit = ctx.insert(last.end_lineno or last.lineno, last.end_col_offset or 0, "")
        edit = replace(edit, new_text=f", file={spelled}")
        return (Fix(title="Write it to stderr", edits=[*imports, edit]),)
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in ("write", "writelines"):
        receiver = func.value
        if isinstance(receiver, ast.Attribute) and receiver.attr == "stdout":
            return _replace_stream(ctx, receiver)
    return ()


def _replace_stream(ctx: RuleContext, stream: ast.expr) -> tuple[Fix, ...]:
    if isinstance(stream, ast.Attribute) and stream.attr == "stdout":
        text = ctx.lines.segment(stream.value)
        if text is not None:
            return (Fix(title="Use stderr", edits=[ctx.edit(stream, f"{text}.stderr")]),)
    if isinstance(stream, ast.Name):
        spelled, imports = name_for(ctx, N.STDERR)
        if spelled:
            return (Fix(title="Use stderr", edits=[*imports, ctx.edit(stream, spelled)]),)
    return ()


def _wrap_in_dumps(ctx: RuleContext, write: Write) -> tuple[Fix, ...]:
    payload = write.payload
    alias = module_alias(ctx.model, "json")
    if payload is None or alias is None or write.site.name != "print":
        return ()
    text = ctx.lines.segment(payload)
    if text is None:
        return ()
    return (
        Fix(
            title="Print it as JSON",
            edits=[ctx.edit(payload, f"{alias}.dumps({text})")],
        ),
    )


RULE = Rule(META, check)
