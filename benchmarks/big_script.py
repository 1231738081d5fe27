"""Request handlers on a 20,000-line script: hover, completion and inlay hints, and whether a
small document's didChange-to-diagnostics round trip waits while a hover computes.

    python benchmarks/big_script.py [--lines 20000] [--repeat 7]

Each figure is the median of `--repeat` requests, answered by a server started with
`python -m scriptcontract serve` (lint debounce 0):

- hover cold: on an input key's string right after the script changed (the handler infers
  the script's inputs again), and warm (the same text asked again);
- completion: of a key in the script's inputs file, after the script changed;
- inlay hint: after a successful run, the script unchanged, asked again;
- code lens: right after the script changed;
- small request / small edit: a hover on a small script, and a one-line edit of it to its
  diagnostics, alone and beside (sent just after) a cold hover of the big script.

Figures on a 2-core x86_64 machine shared with other test suites (load average 11-14, so
several times a quiet machine's), median of 5, two alternated runs each, in ms; before: the
handlers worked on the event loop; after: in a worker thread, once per text, with the loop
taking the GIL back within 0.5 ms:

    figure                 before          after
    hover, cold            2108 / 2091     2237 / 2103   (the inference itself)
    hover, warm            3 / 32          8 / 6
    completion             384 / 106       242 / 325     (inputs file; not changed)
    code lens, cold        1770 / 1175     1165 / 1034   (the entry line's parse)
    inlay hint, same text  572 / 978       0.6 / 0.7     (parsed once per text now)
    small request          7 / 3           11 / 6
    ... beside a hover     2396 / 2877     1162 / 881    (before: after the whole hover)
    small edit             35 / 7          8 / 5
    ... beside a hover     2315 / 1710     805 / 364

Beside a hover the other requests are answered before it now, not after it; what is left is
the GIL the worker thread shares with the event loop (as a lint of the same script shares it).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.lsp import CAPABILITIES, Session, now_ms, script_of, servers

HOVER, COMPLETION = "textDocument/hover", "textDocument/completion"
FIGURES = (
    "hover_cold",
    "hover_warm",
    "completion",
    "code_lens",
    "inlay_hint",
    "small_request",
    "small_request_beside",
    "small_edit",
    "small_edit_beside",
)
SMALL = 'import json\nimport sys\n\nprint(json.dumps({"success": True}))\n'


class Bench:
    def __init__(self, session: Session, uri: str, text: str) -> None:
        self.session = session
        self.uri = uri
        self.lines = text.splitlines()
        self.marker = next(i for i, line in enumerate(self.lines) if "# marker" in line)
        self.key_line = next(i for i, line in enumerate(self.lines) if '"field_0"' in line)
        self.flip = False

    async def change(self) -> None:
        """One edit of the big script; returns once its diagnostics came (its lint done)."""
        old = self.lines[self.marker]
        self.flip = not self.flip
        new = old + " x" if self.flip else old
        current = old if self.flip else old + " x"
        await self.session.edit(self.uri, self.marker, len(current), new)

    async def timed(self, method: str, params: dict[str, Any]) -> float:
        started = now_ms()
        await self.session.client.request(method, params, timeout=120)
        return now_ms() - started

    def hover_params(self) -> dict[str, Any]:
        column = self.lines[self.key_line].index('"field_0"') + 2
        return {
            "textDocument": {"uri": self.uri},
            "position": {"line": self.key_line, "character": column},
        }


async def measure(lines: int, repeat: int) -> dict[str, float]:
    server = servers()[0]
    text = script_of(lines)
    with tempfile.TemporaryDirectory(prefix="big-script-") as tmp:
        root = Path(tmp)
        (root / "scripts").mkdir()
        (root / "scriptcontract.toml").write_text("")
        (root / "scripts" / "big.py").write_text(text)
        inputs_text = '{\n  "fi"\n}\n'
        (root / "scripts" / "big.inputs.json").write_text(inputs_text)
        (root / "scripts" / "small.py").write_text(SMALL)
        records = root / "scripts" / "records.json"
        records.write_text('[{"name": " Ada "}]')
        # The server keeps a run's success for its hint only for a client that shows hints.
        text_document = CAPABILITIES["textDocument"]
        assert isinstance(text_document, dict)
        text_document["inlayHint"] = {"dynamicRegistration": False}
        session, _ = await Session.start(server, root)
        try:
            uri = await session.open("scripts/big.py", text)
            await session.wait(uri, timeout=300)
            small = await session.open("scripts/small.py", SMALL)
            await session.wait(small)
            bench = Bench(session, uri, text)
            inputs_uri = (root / "scripts" / "big.inputs.json").as_uri()
            session.client.notify(
                "textDocument/didOpen",
                {
                    "textDocument": {
                        "uri": inputs_uri,
                        "languageId": "json",
                        "version": 1,
                        "text": inputs_text,
                    }
                },
            )
            figures: dict[str, list[float]] = {name: [] for name in FIGURES}
            completion = {
                "textDocument": {"uri": inputs_uri},
                "position": {"line": 1, "character": 5},
            }
            small_hover = {
                "textDocument": {"uri": small},
                "position": {"line": 0, "character": 0},
            }
            for _ in range(repeat):
                await bench.change()
                figures["hover_cold"].append(await bench.timed(HOVER, bench.hover_params()))
                figures["hover_warm"].append(await bench.timed(HOVER, bench.hover_params()))
                await bench.change()
                figures["completion"].append(await bench.timed(COMPLETION, completion))
                await bench.change()
                lens = {"textDocument": {"uri": uri}}
                figures["code_lens"].append(await bench.timed("textDocument/codeLens", lens))
                # A small script's request and edit: alone, then behind a cold hover.
                figures["small_request"].append(await bench.timed(HOVER, small_hover))
                figures["small_edit"].append(await session.edit(small, 3, 0, ""))
                await bench.change()
                hover = asyncio.ensure_future(bench.timed(HOVER, bench.hover_params()))
                await asyncio.sleep(0)  # the hover written first
                figures["small_request_beside"].append(await bench.timed(HOVER, small_hover))
                await hover
                await bench.change()
                hover = asyncio.ensure_future(bench.timed(HOVER, bench.hover_params()))
                await asyncio.sleep(0)  # the hover written first
                figures["small_edit_beside"].append(await session.edit(small, 3, 0, ""))
                await hover
            if bench.flip:
                await bench.change()  # as on disk: a run refuses unsaved changes
            ran = await session.client.request(
                "workspace/executeCommand",
                {
                    "command": "scriptcontract.runNow",
                    "arguments": [{"uri": uri, "inputs": {"input_file": str(records)}}],
                },
                timeout=120,
            )
            assert ran.get("success"), ran
            whole = {"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}}
            hint = {"textDocument": {"uri": uri}, "range": whole}
            # An edit drops the hint: the same text asked again, as a client scrolling does.
            assert await session.client.request("textDocument/inlayHint", hint), "no hint"
            for _ in range(repeat):
                figures["inlay_hint"].append(await bench.timed("textDocument/inlayHint", hint))
        finally:
            await session.client.stop()
    return {name: statistics.median(samples) for name, samples in figures.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    figures = asyncio.run(measure(args.lines, args.repeat))
    print(f"{args.lines}-line script, median of {args.repeat} (ms)")
    for name, value in figures.items():
        print(f"  {name:<12}{value:>9.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
