"""The schema a script's inputs are held to in the editor, and where the script reads each key.

Declared wins over inferred, as everywhere: the script's `<name>.schema.json`, else the model
the script reads its inputs into, else the schema inferred from the code. The texts come
from the caller (the editor's buffers, unsaved edits included), so nothing here reads files.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from scriptcontract.contract.finding import Range

Origin = Literal["file", "model", "inferred"]


@dataclass(frozen=True)
class ScriptSchema:
    """What the inputs of one script are checked against."""

    script: Path
    schema: dict[str, Any]
    origin: Origin
    origin_text: str  # said after each problem: where the expectation comes from
    # Where the script reads each key, by path ("[]" for any item of an array).
    reads: dict[tuple[str, ...], list[Range]] = field(default_factory=dict)
    reads_every_key: bool = False
    problem: str | None = None  # the declared schema file cannot be used: why
    # Of the keys the inferred schema requires, those the script indexes outside any
    # condition (`key_reads.InputReads`); the others are needed only on some paths.
    surely_required: frozenset[str] = frozenset()

    @property
    def declared(self) -> bool:
        return self.origin != "inferred"


def parsed(source: str) -> ast.Module | None:
    """The script's tree; None when it does not parse (half typed, most often)."""
    # A SyntaxWarning (an invalid escape...) is no business of the editor's inputs files:
    # it would land in the server's log at every edit.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None


def script_schema(script: Path, source: str, schema_text: str | None) -> ScriptSchema:
    """The schema of `script` (its text `source`), with its schema file's text if it has one."""
    return script_schema_of(script, parsed(source), source, schema_text)


def script_schema_of(
    script: Path, tree: ast.Module | None, source: str, schema_text: str | None
) -> ScriptSchema:
    """`script_schema` of the tree `parsed` from `source` (None: it does not parse)."""
    from scriptcontract.contract.declared_model import declared_model_schema_of
    from scriptcontract.contract.input_schema import inferred_inputs_of
    from scriptcontract.contract.key_reads import reads_of
    from scriptcontract.schema_files import SchemaFileError, parse_schema_text, schema_path

    # One parse and one inference give the reads, the model declared in the code (found
    # with that inference, as SCR107 finds it) and, when nothing is declared, the schema.
    inference = inferred_inputs_of(tree, source)  # a source that does not parse: none known
    found = reads_of(inference)
    reads, every = found.reads, found.every_read_seen
    if schema_text is not None:
        path = schema_path(script)
        try:
            from scriptcontract.schema_check import checked_schema

            declared = checked_schema(parse_schema_text(schema_text, path), path)
        except SchemaFileError as exc:
            return ScriptSchema(script, {}, "file", path.name, reads, every, str(exc))
        except RecursionError:
            problem = f"{path} is nested too deeply to be used"
            return ScriptSchema(script, {}, "file", path.name, reads, every, problem)
        return ScriptSchema(
            script, declared, "file", f"schema declared in {path.name}", reads, every
        )
    # A model is a class: most scripts have none, and are spared the model's analysis.
    model = (
        declared_model_schema_of(tree, source, lambda: inference)
        if tree is not None and "class" in source
        else None
    )
    if model is not None:
        origin = f"schema declared by the model {model[0]} in {script.name}"
        return ScriptSchema(script, model[1], "model", origin, reads, every)
    return ScriptSchema(
        script,
        inference.schema,
        "inferred",
        f"schema inferred from {script.name}",
        reads,
        every,
        surely_required=found.surely_required,
    )


def read_path(path: tuple[str | int, ...]) -> tuple[str, ...]:
    """A path into an inputs object as `reads` spells it: any index is "[]"."""
    return tuple("[]" if isinstance(part, int) else part for part in path)


def schema_at(schema: dict[str, Any], path: tuple[str | int, ...]) -> dict[str, Any] | None:
    """The part of `schema` that describes the value at `path` (keys, and indexes of
    arrays), following local `$ref`s; None when the schema says nothing of it."""
    node: Any = resolved(schema, schema)
    for part in path:
        if not isinstance(node, dict):
            return None
        if isinstance(part, int):
            node = node.get("items")
        else:
            properties = node.get("properties")
            node = properties.get(part) if isinstance(properties, dict) else None
        node = resolved(schema, node)
    return node if isinstance(node, dict) else None


def resolved(root: dict[str, Any], node: Any, depth: int = 0) -> Any:
    """`node`, or what its local `$ref` points at (followed, at most 16 deep)."""
    """`node`, or what its local `$ref` points at (followed, up to 16 deep)."""
    if not isinstance(node, dict) or depth > 16:
        return node
    reference = node.get("$ref")
    if not isinstance(reference, str) or not reference.startswith("#/"):
        return node
    target: Any = root
    for part in reference[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        target = target.get(part) if isinstance(target, dict) else None
    return resolved(root, target, depth + 1) if isinstance(target, dict) else node
