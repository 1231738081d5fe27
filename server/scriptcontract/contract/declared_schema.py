"""The input schema a script declares: `<name>.schema.json` beside it, else the model in its
code the inputs are read into. Pure: the file's text comes from the caller (`check` reads the
disk, the language server its open documents first), through `ProjectModules`, which records
the path so that a change of the file analyses the script again."""

from __future__ import annotations

import ast
import json
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from scriptcontract.contract.input_schema import InferredInputs
    from scriptcontract.contract.project_modules import ProjectModules

# Light to import: `run` and `schema` find the file by it without loading the analyser.
SCHEMA_SUFFIX = ".schema.json"


class DeclaredSchema(NamedTuple):
    schema: dict[str, Any]
    origin: str  # how a message names it: "`order.schema.json`", "the model `Inputs`"


def schema_file_of(script: str) -> str:
    """`scripts/hello.py` -> `scripts/hello.schema.json`."""
    folder, name = os.path.split(script)
    return os.path.join(folder, os.path.splitext(name)[0] + SCHEMA_SUFFIX)


def declared_schema(
    tree: ast.Module,
    source: str,
    path: str | None,
    modules: ProjectModules | None,
    inferred: Callable[[], InferredInputs] | None = None,
) -> DeclaredSchema | None:
    """The schema the script declares, the file first; None when it declares none. A file
    that is not a JSON object is no declaration here: `run`, `test` and `schema` say why.
    `inferred`: see `declared_model_schema_of`."""
    if path is not None and modules is not None:
        file = schema_file_of(path)
        text = modules.file_text(file)
        if text is not None:
            try:
                value = json.loads(text)
            except (ValueError, RecursionError):
                return None
            if not isinstance(value, dict):
                return None
            return DeclaredSchema(value, f"`{os.path.basename(file)}`")
    from scriptcontract.contract.declared_model import declared_model_schema_of

    model = declared_model_schema_of(tree, source, inferred)
    if model is None:
        return None
    return DeclaredSchema(model[1], f"the model `{model[0]}`")
