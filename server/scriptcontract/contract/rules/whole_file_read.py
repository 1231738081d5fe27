"""SCR405 whole-file-read: a file is read whole where chunks or lines would do (information)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract import names as N
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.model import CallSite, FunctionInfo
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR405",
    name="whole-file-read",
    severity=Severity.INFORMATION,
    summary="A whole file is loaded into memory with `.read()`, `.readlines()` or `read_text()`.",
    explanation="""
Scripts run with a memory cap and a timeout. Reading a large file whole can exceed both;
iterating over the file object (`for line in handle:`) or reading fixed-size chunks
(`handle.read(65536)`) keeps memory flat whatever the size. Small files are fine: this is
advice, not a contract violation; files small by their name (`settings.json`, `README.md`,
`app.toml`) are not reported, nor stdin opened as a file (`open(0)`, `/dev/stdin`).
""",
    bad_example="""
with open("data/large.csv") as handle:
    rows = handle.read().splitlines()
""",
    good_example="""
with open("data/large.csv") as handle:
    rows = [line.rstrip("\\n") for line in handle]
""",
    fix="Iterate over the file, or read it in chunks.",
)

OPENERS = frozenset({"open", "io.open", "codecs.open", "gzip.open", "bz2.open", "lzma.open"})
PATHS = frozenset({"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath"})


def check(ctx: RuleContext) -> Iterator[Report]:
    model = ctx.model
    if not (model.calls_to(*OPENERS) or model.calls_to(*PATHS)):
        return
    for site in model.method_calls(*N.WHOLE_READ_METHODS, *N.PATH_WHOLE_READS):
        call = site.node
        if call.args or call.keywords:
            continue
        func = call.func
        assert isinstance(func, ast.Attribute)
        wanted = PATHS if func.attr in N.PATH_WHOLE_READS else OPENERS
        if _receiver_is(ctx, func.value, site, wanted, depth=0) and not _small_file(
            ctx, func.value, site.ctx.function, 0
        ):
            yield Report(
                ctx.range(call),
                f".{func.attr}() loads the whole file into memory: "
                "iterate over it or read it in chunks if it can be large",
            )


# Files that are small by nature: configuration, notes, markers, lock files.
SMALL_SUFFIXES = (
    ".json",
    ".toml",
    ".yaml",
    ".yml",
    ".ini",
    ".cfg",
    ".conf",
    ".env",
    ".md",
    ".rst",
    ".pid",
    ".lock",
    ".version",
)
STDIN = (0, "/dev/stdin", "/dev/fd/0")
PATH_WRAPPERS = frozenset(
    {"os.path.expanduser", "os.path.abspath", "os.path.realpath", "os.path.normpath", "str"}
)


def _small_file(ctx: RuleContext, expr: ast.expr, scope: FunctionInfo | None, depth: int) -> bool:
    """The file read is a configuration or notes file by its name (`settings.json`,
    `README.md`): reading it whole is what it is for."""
    if depth > 4:
        return False
    if isinstance(expr, ast.Constant) and expr.value in STDIN:
        return True  # the inputs: read whole by the contract
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value.lower().endswith(SMALL_SUFFIXES)
    if isinstance(expr, ast.JoinedStr) and expr.values:
        last = expr.values[-1]
        return isinstance(last, ast.Constant) and str(last.value).lower().endswith(SMALL_SUFFIXES)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Div, ast.Add)):
        return _small_file(ctx, expr.right, scope, depth + 1)
    if isinstance(expr, ast.Name):
        values = ctx.facts.assigned_values(expr.id, scope)
        return bool(values) and all(
            v is not None and _small_file(ctx, v, scope, depth + 1) for v in values
        )
    if isinstance(expr, ast.Call) and expr.args:
        name = ctx.model.resolve(expr.func)
        if name in OPENERS or name in PATHS or name in PATH_WRAPPERS:
            return _small_file(ctx, expr.args[0], scope, depth + 1)
        if name in N.PATH_JOIN:
            return _small_file(ctx, expr.args[-1], scope, depth + 1)
    return False


def _receiver_is(
    ctx: RuleContext, expr: ast.expr, site: CallSite, wanted: frozenset[str], depth: int
) -> bool:
    if depth > 2:
        return False
    if isinstance(expr, ast.Call):
        return ctx.model.resolve(expr.func) in wanted
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
        return _receiver_is(ctx, expr.left, site, wanted, depth + 1)
    if isinstance(expr, ast.Name):
        values = ctx.facts.assigned_values(expr.id, site.ctx.function)
        return bool(values) and all(
            value is not None and _receiver_is(ctx, value, site, wanted, depth + 1)
            for value in values
        )
    return False


RULE = Rule(META, check)
