"""`scriptcontract schema SCRIPT`: the JSON Schema of a script's inputs.

A declared `<name>.schema.json` beside the script wins and is printed as written; without
one, the model the script reads its inputs into (a TypedDict, dataclass or pydantic model,
read statically), else the schema inferred from the code, is printed, or with `--write`
saved as that file so that it becomes the declared one (to edit and keep with the script).
Which one was printed is said on stderr, so stdout stays one JSON document
(`schema x.py | jq`).
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path
from typing import Any

from scriptcontract.check.sources import read_script_text
from scriptcontract.contract.script_files import companion_of
from scriptcontract.project_files import ProjectFileError
from scriptcontract.schema_files import SchemaFileError, read_declared_schema, schema_path
from scriptcontract.shown_values import typed_path

EXIT_OK, EXIT_USAGE = 0, 2


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("script", metavar="SCRIPT", help="the workflow script")
    parser.add_argument(
        "--write",
        action="store_true",
        help="save the inferred schema as `<name>.schema.json` beside the script",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="with --write: replace an existing `<name>.schema.json`",
    )
    parser.add_argument(
        "--inferred",
        action="store_true",
        help="print the schema inferred from the code even when one is declared (as a file "
        "or as a model in the script)",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print the schema and nothing else (not where it comes from, nor what was written)",
    )


def _fail(message: str) -> int:
    print(f"scriptcontract schema: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    from scriptcontract.contract.declared_model import declared_model_schema
    from scriptcontract.contract.input_schema import infer_input_schema
    from scriptcontract.contract.output_schema import infer_output_schemas

    script = Path(args.script)
    if args.force and not args.write:
        return _fail("--force only goes with --write")
    companion = companion_of(script.name)
    if companion is not None:
        what, script_name = companion
        beside = typed_path(script.with_name(script_name))
        return _fail(
            f"{args.script} is the {what} of {script_name}, not a script: "
            f"scriptcontract schema {beside}"
        )
    try:
        source = read_script_text(script)
    except ProjectFileError as exc:
        return _fail(str(exc))
    try:
        ast.parse(source)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else ""
        return _fail(f"{script} does not parse{where}: no schema can be inferred from it")
    except (RecursionError, MemoryError):
        return _fail(f"{script} is nested too deeply to be analysed")
    target = schema_path(script)
    if not args.write and not args.inferred:
        try:
            declared = read_declared_schema(script)
        except SchemaFileError as exc:
            return _fail(str(exc))
        if declared is not None:
            _say(args, f"declared in {target}")
            _note_undeclared(declared[0], infer_input_schema(source))
            text = declared[1]
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
            return EXIT_OK
    model = None if args.inferred else declared_model_schema(source)
    if model is not None:
        origin = f"declared by the model {model[0]} in the script"
        schema = model[1]
        _note_undeclared(schema, infer_input_schema(source))
    else:
        origin = "inferred from the code"
        schema = _titled(infer_input_schema(source), script)
    outputs = infer_output_schemas(source)
    if outputs:
        # Beside the inputs' schema, not in it: the file stays a schema of the inputs that
        # any validator or editor can use, with the output's shapes under `$defs`.
        schema["$defs"] = outputs
    text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    if not args.write:
        _say(args, origin)
        sys.stdout.write(text)
        return EXIT_OK
    status = _write(target, text, force=args.force)
    if status == EXIT_OK:
        _say(args, f"wrote {target}")
    return status


def _say(args: argparse.Namespace, message: str) -> None:
    """Where the schema comes from, or what was written: not with `-q`."""
    if not args.quiet:
        print(f"scriptcontract schema: {message}", file=sys.stderr)


def _note_undeclared(declared: dict[str, Any], inferred: dict[str, Any]) -> None:
    from scriptcontract.contract.input_schema import undeclared_keys

    missing = undeclared_keys(declared, inferred)
    if missing:
        print(
            "scriptcontract schema: note: the code reads keys the declared schema lacks: "
            + ", ".join(missing),
            file=sys.stderr,
        )


def _titled(schema: dict[str, Any], script: Path) -> dict[str, Any]:
    first, rest = next(iter(schema.items())), list(schema.items())[1:]
    return dict([first, ("title", f"inputs of {script.name}"), *rest])


def _write(target: Path, text: str, *, force: bool) -> int:
    """Write the schema beside its script. Without `--force`, only a new file; with it, a
    new file in place of whatever entry is there: a run may have left a symbolic link to a
    file of the user's outside the project, which writing through overwrote; the link itself
    is replaced instead. A regular file keeps its mode. The folder is the script's, as
    named, walked without following a link a run could have swapped in
    (`project_writes`)."""
    import os

    from scriptcontract.project_writes import ANYTHING, ProjectFileChanged, write_project_file

    path = os.path.abspath(target)
    try:
        write_project_file(
            os.path.dirname(path), path, text.encode("utf-8"), expect=ANYTHING if force else None
        )
    except ProjectFileChanged:
        return _fail(
            f"{target} exists: it is the declared schema, which wins over inference "
            "(--force replaces it with the inferred one)"
        )
    except ProjectFileError as exc:
        return _fail(str(exc))
    return EXIT_OK
