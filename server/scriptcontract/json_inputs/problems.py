"""What is wrong in an inputs file, at the key it is about.

Against a declared schema, a problem is an error: a run would be refused. Against the one
inferred from the code, it is a warning: the inference is a guess (as `scriptcontract run`
warns and runs). Against the model a script validates its inputs with, a missing key is an
error, a value of another type a warning: the model may convert it. A key the script never
reads is information, and only when the analysis sees every read of the inputs object
(`reads_every_key`): a script that hands its inputs on whole may read any key. A file that
does not parse has one problem, where reading stopped: half-typed JSON is normal while
typing, and its other problems would be guesses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from scriptcontract.json_inputs.outline import Outline, Value
from scriptcontract.json_inputs.places import FileKind, InputsObject, KeyPath, inputs_objects
from scriptcontract.json_inputs.script_schema import ScriptSchema, schema_at

Severity = Literal["error", "warning", "information"]
_CODES = {"missing": "missing-key", "type": "wrong-type", "unexpected": "unexpected-key"}


@dataclass(frozen=True)
class LocatedProblem:
    start: int
    end: int
    message: str
    code: str
    severity: Severity


def file_problems(kind: FileKind, outline: Outline, schema: ScriptSchema) -> list[LocatedProblem]:
    """The problems of an inputs file (`kind`) read as `outline`, held to `schema`."""
    if outline.problems:
        if kind == "cases":
            return []  # the cases file's own check reports where it stops parsing
        first = outline.problems[0]
        return [LocatedProblem(first.start, first.end, first.message, "json-syntax", "error")]
    root = outline.root
    if root is None:
        return []
    if kind == "sidecar" and root.kind != "object":
        return [
            LocatedProblem(
                root.start,
                root.end,
                f"the inputs are one JSON object ({{...}}), not {_a(root.kind)}",
                "not-an-object",
                "error",
            )
        ]
    objects = [found for found in inputs_objects(kind, root) if found.checked]
    if schema.problem is not None:
        return [
            LocatedProblem(*found.holder, schema.problem, "schema-file", "warning")
            for found in objects[:1]
        ]
    found_problems: list[LocatedProblem] = []
    for found in objects:
        found_problems.extend(object_problems(found, schema))
    return found_problems


def object_problems(found: InputsObject, schema: ScriptSchema) -> list[LocatedProblem]:
    from scriptcontract.schema_check import located_problems

    out: list[LocatedProblem] = []
    reported: set[str] = set()
    for problem in located_problems(schema.schema, found.node.data):
        start, end = _span(found, problem.path, missing=problem.kind == "missing")
        if len(problem.path) == 1 and isinstance(problem.path[0], str):
            reported.add(problem.path[0])
        severity: Severity = "error" if schema.declared else "warning"
        origin = schema.origin_text
        text = f"{problem.where}: {problem.problem}"
        if _only_on_some_paths(schema, problem.path, problem.kind):
            # `if mode == "copy": inputs["dest"]`: inputs for another mode need no "dest".
            lines = ", ".join(str(r.start.line + 1) for r in schema.reads.get((problem.where,), []))
            severity = "information"
            text = (
                f"{problem.where}: not here; the script reads it only on some paths (line {lines})"
            )
        if schema.origin == "model" and problem.kind not in ("missing", "unexpected"):
            # The script validates with its model, which may convert the value (pydantic
            # reads "5" as 5): a schema cannot say which values it accepts.
            severity, origin = "warning", f"{origin}, which may convert it"
        out.append(
            LocatedProblem(
                start,
                end,
                f"{text} ({origin})",
                _CODES.get(problem.kind, "schema"),
                severity,
            )
        )
    out.extend(_unread(found, schema, reported))
    return out


def _only_on_some_paths(schema: ScriptSchema, path: KeyPath, kind: str) -> bool:
    """A top-level key the inferred schema requires, indexed only under a condition."""
    return (
        kind == "missing"
        and schema.origin == "inferred"
        and len(path) == 1
        and path[0] not in schema.surely_required
    )


def _unread(found: InputsObject, schema: ScriptSchema, reported: set[str]) -> list[LocatedProblem]:
    from scriptcontract.schema_check import did_you_mean

    if not schema.reads_every_key:
        return []
    described = schema_at(schema.schema, ())
    listed = (described or {}).get("properties") or {}
    present = [member.key for member in found.node.members]
    return [
        LocatedProblem(
            member.key_start,
            member.key_end,
            f"{json.dumps(member.key, ensure_ascii=False)}: {schema.script.name} never reads "
            f"this key{did_you_mean(member.key, listed, present)}",
            "unread-key",
            "information",
        )
        for member in found.node.members
        if member.key not in listed
        and (member.key,) not in schema.reads
        and member.key not in reported
    ]


def _span(found: InputsObject, path: KeyPath, *, missing: bool) -> tuple[int, int]:
    """The key a problem at `path` is shown on: the key itself, or for a missing key the key
    of the object that lacks it (the opening brace when it has none)."""
    if missing:
        path = path[:-1]
    if not path:
        return found.holder
    holder = found.node.find(path[:-1])
    last = path[-1]
    if holder is not None and isinstance(last, str) and holder.kind == "object":
        member = holder.member(last)
        if member is not None:
            return member.key_start, member.key_end
    node = found.node.find(path)
    if node is None:
        return found.holder
    return _opening(node)


def _opening(node: Value) -> tuple[int, int]:
    if node.kind in ("object", "array"):
        return node.start, node.start + 1
    return node.start, node.end


def _a(kind: str) -> str:
    return {"array": "an array", "object": "an object"}.get(
        kind, f"a {kind}" if kind in ("string", "number") else kind
    )
