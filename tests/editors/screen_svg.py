"""Headless Neovim's screen (its cells and their colours, see `h.screen()` in harness.lua) as
an SVG picture: the screenshots docs/editors/neovim.md shows, taken by the editor tests."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

CELL_W = 8.4
CELL_H = 18
FONT = "DejaVu Sans Mono, Menlo, Consolas, monospace"


def _colour(value: Any, default: str) -> str:
    return f"#{int(value):06x}" if isinstance(value, (int, float)) else default


def screen_svg(screen: dict[str, Any]) -> str:
    """The SVG of one screen dump: every run of cells at its column, in its colours."""
    fg = _colour(screen.get("fg"), "#e0e2ea")
    bg = _colour(screen.get("bg"), "#14161b")
    rows: list[list[dict[str, Any]]] = screen["rows"]
    width = round(screen["columns"] * CELL_W)
    height = len(rows) * CELL_H
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="14">',
        f'<rect width="{width}" height="{height}" fill="{bg}"/>',
    ]
    for index, runs in enumerate(rows):
        column = 0
        y = index * CELL_H
        for run in runs:
            run_fg, run_bg = _colour(run.get("fg"), fg), _colour(run.get("bg"), bg)
            if run.get("reverse"):
                run_fg, run_bg = run_bg, run_fg
            x, span = round(column * CELL_W, 1), round(run["cells"] * CELL_W, 1)
            if run_bg != bg:
                parts.append(
                    f'<rect x="{x}" y="{y}" width="{span}" height="{CELL_H}" fill="{run_bg}"/>'
                )
            text = run["text"]
            if text.strip():
                style = "".join(
                    [
                        ' font-weight="bold"' if run.get("bold") else "",
                        ' font-style="italic"' if run.get("italic") else "",
                        ' text-decoration="underline"' if run.get("underline") else "",
                    ]
                )
                parts.append(
                    f'<text x="{x}" y="{y + CELL_H - 5}" fill="{run_fg}" textLength="{span}" '
                    f'lengthAdjust="spacingAndGlyphs" xml:space="preserve"{style}>'
                    f"{escape(text)}</text>"
                )
            column += run["cells"]
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
