"""Whether a file runs as a script at all: its entry point, and the work it does on import.

A workflow script does its work when it runs: under an `if __name__ == "__main__":` guard,
or in statements at module level (`inputs = json.load(sys.stdin)`, `main()`). A module that
only defines functions and constants (a helper beside the scripts, a package's
`__init__.py`) does nothing when run, so the rules about what one run does (reads its
inputs, writes one result, handles its errors) do not apply to it.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from scriptcontract.contract.framework_io import declares_graph, declares_only
from scriptcontract.contract.model import FUNCTION_TYPES, TRY_TYPES, is_main_guard

if TYPE_CHECKING:
    from scriptcontract.contract.facts import Facts

# Calls that set a module up rather than do its work, when made as a statement of their own.
SETUP_CALLS = frozenset(
    {
        "sys.path.insert",
        "sys.path.append",
        "sys.path.extend",
        "sys.setrecursionlimit",
        "logging.basicConfig",
        "logging.disable",
        "logging.captureWarnings",
        "warnings.filterwarnings",
        "warnings.simplefilter",
        "dotenv.load_dotenv",
        "os.environ.setdefault",
        "os.environ.update",
        "random.seed",
        "faulthandler.enable",
        "atexit.register",
        "signal.signal",
        "matplotlib.use",
        "locale.setlocale",
        "mimetypes.add_type",
        "codecs.register",
        "sys.stdout.reconfigure",
        "sys.stderr.reconfigure",
        "sys.stdin.reconfigure",
    }
)

# Methods that start the program's work, not set it up: `plugin.run()`, `app.serve()` at
# module level run the script on import, whoever made the object.
RUN_METHODS = frozenset(
    {
        "run",
        "run_forever",
        "start",
        "serve",
        "serve_forever",
        "main",
        "execute",
        "mainloop",
    }
)


def import_time_work(facts: Facts) -> list[ast.stmt]:
    """The module-level statements (outside definitions and the `__main__` guard) that do
    the script's work: read stdin, write stdout, exit, or call something that does."""
    return [stmt for stmt in _module_statements(facts.model.tree.body) if _works(facts, stmt)]


def _loop_works(facts: Facts, loop: ast.For | ast.AsyncFor | ast.While) -> bool:
    """`while True: collect("/data")` at module level: the loop runs the script's work.
    Its statements are asked as module-level ones (a stack, not recursion: loops nest)."""
    pending: list[ast.stmt] = [loop]
    while pending:
        outer = pending.pop()
        for inner in _module_statements([*outer.body, *outer.orelse]):  # type: ignore[attr-defined]
            if isinstance(inner, (ast.For, ast.AsyncFor, ast.While)):
                pending.append(inner)
            elif _works(facts, inner):
                return True
    return False


def _module_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements run at import, in order, the blocks of `if`, `with` and `try` opened (so
    that the one reported is the statement doing the work, not the `try:` around it)."""
    # A stack of iterators, not recursion: an elif chain nests as deep as it is long.
    pending: list[Iterator[ast.stmt]] = [iter(body)]
    while pending:
        stmt = next(pending[-1], None)
        if stmt is None:
            pending.pop()
            continue
        if isinstance(stmt, (*FUNCTION_TYPES, ast.ClassDef, ast.Import, ast.ImportFrom)):
            continue
        if isinstance(stmt, ast.If) and is_main_guard(stmt.test):
            continue
        if isinstance(stmt, (ast.If, ast.With, ast.AsyncWith, *TRY_TYPES)):
            pending.append(
                itertools.chain(
                    getattr(stmt, "body", ()),
                    *(handler.body for handler in getattr(stmt, "handlers", ())),
                    getattr(stmt, "orelse", ()),
                    getattr(stmt, "finalbody", ()),
                )
            )
            continue
        yield stmt


def _works(facts: Facts, stmt: ast.stmt) -> bool:
    if facts.statement_touches_streams(stmt):
        return True
    if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
        return _loop_works(facts, stmt)
    model = facts.model
    for site in facts.calls_in(stmt):
        function = model.local_function(site.name)
        if function is not None and not declares_only(model, function.node):
            return True  # `main()`, `result = run(inputs)`
    if isinstance(stmt, ast.Expr):
        call = stmt.value.value if isinstance(stmt.value, ast.Await) else stmt.value
        if not isinstance(call, ast.Call):
            return False
        func = call.func
        name = model.resolve(func)
        if name in SETUP_CALLS or declares_graph(model, call):
            return False
        if model.local_function(name) is not None:
            return False  # only a declaring one is left (an Airflow `@dag` function)
        if type(func) is ast.Name:
            return True  # `cli()`, `app()`: a bare call of something imported
        if type(func) is not ast.Attribute:
            return False
        if type(func.value) is ast.Name and func.value.id in model.aliases:
            return True  # `asyncio.run(main())`, `unittest.main()`: of an imported module
        # A method further down (`abc.Sequence.register(tuple)`) or of a variable set up at
        # module level (`parser.add_argument(...)`) is set-up, unless it starts the work.
        return func.attr in RUN_METHODS and type(func.value) in (ast.Name, ast.Call)
    return False
