"""The JSON Schema of cases files, generated from the model.

The generated text is committed as `cases.schema.json` beside this module (a test holds the
two equal): the VS Code extension points its JSON validation at that file, and other editors
use it through their JSON language server. Regenerate it with
`python -m scriptcontract.cases.schema > server/scriptcontract/cases/cases.schema.json`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scriptcontract.cases.model import CasesFile

SCHEMA_FILE = Path(__file__).with_name("cases.schema.json")
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def cases_schema() -> dict[str, Any]:
    schema = CasesFile.model_json_schema(by_alias=True)
    tidy = _tidy(schema)
    assert isinstance(tidy, dict)
    return {"$schema": DIALECT, **tidy}


def _tidy(node: Any) -> Any:
    """Optional keys as editors should see them: absent, never null; no generated titles."""
    if isinstance(node, list):
        return [_tidy(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: _tidy(_optional(prop)) for name, prop in value.items()}
        else:
            out[key] = _tidy(value)
    return out


def _optional(prop: dict[str, Any]) -> dict[str, Any]:
    prop = {k: v for k, v in prop.items() if k != "title"}
    if prop.get("default", ...) is None:
        del prop["default"]
    variants = prop.get("anyOf")
    if isinstance(variants, list) and {"type": "null"} in variants:
        kept = [v for v in variants if v != {"type": "null"}]
        del prop["anyOf"]
        prop = {**kept[0], **prop} if len(kept) == 1 else {**prop, "anyOf": kept}
    return prop


def schema_text() -> str:
    return json.dumps(cases_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
