"""Whether anything in a script can raise on its inputs or its environment.

A script that parses nothing, opens nothing, runs nothing and calls nothing it does not
define (an inventory printed from constants, a greeting built from `sys.argv` behind a
length check) cannot end with a traceback, so telling its author to wrap it in
`try`/`except` helps nobody. The test is conservative: any call it does not know to be
harmless, any index into data it cannot see, any `raise` or `assert`, counts as a way to
fail; an index into a dict the script built with that key, or behind `if key in table:`,
does not (`own_dicts`).
"""

from __future__ import annotations

import ast

from scriptcontract.contract import names as N
from scriptcontract.contract.model import ScriptModel
from scriptcontract.contract.own_dicts import OwnDicts

# Calls that do not raise whatever values they are given (for the values a script builds
# from constants, its arguments and its inputs' text). Dotted ones count only when their
# module is imported.
HARMLESS_CALLS = frozenset(
    {
        "print",
        "len",
        "str",
        "repr",
        "bool",
        "isinstance",
        "range",
        "enumerate",
        "zip",
        "sorted",
        "reversed",
        "list",
        "dict",
        "set",
        "tuple",
        "any",
        "all",
        "type",
        "exit",
        "quit",
        "json.dumps",
        "sys.exit",
        "sys.stdin.read",
        "sys.stdin.readline",
        "sys.stdin.readlines",
        "sys.stdout.write",
        "sys.stdout.flush",
        "sys.stderr.write",
        "sys.stderr.flush",
        "fileinput.input",
        "random.random",
        "random.randint",
        "random.uniform",
        "time.time",
        "os.getenv",
        "os.environ.get",
        "argparse.ArgumentParser",
        "logging.getLogger",
        "logging.basicConfig",
    }
)

# Methods, on values the script made itself, that do not raise: text, lists, dicts, an
# argument parser (which exits 2 with a usage line on bad arguments, no traceback), a logger.
HARMLESS_METHODS = frozenset(
    {
        "append",
        "extend",
        "get",
        "items",
        "keys",
        "values",
        "setdefault",
        "copy",
        "strip",
        "lstrip",
        "rstrip",
        "lower",
        "upper",
        "join",
        "split",
        "splitlines",
        "startswith",
        "endswith",
        "replace",
        "add_argument",
        "parse_args",
        "debug",
        "info",
        "warning",
    }
)

# What may raise or stop half-way whatever it is given (an `await` or `yield` hands control
# to code the script does not show).
RAISING_STATEMENTS = (ast.Raise, ast.Assert, ast.Await, ast.Yield, ast.YieldFrom)

# Calls that end the script: a block ending in one does not fall through. Matched as written
# (`sys.exit`, not what the name resolves to), and without the `builtins.` spellings, which
# this check has never counted (counting them would be a change of what it reports).
EXITS = frozenset(name for name in N.EXITS if not name.startswith("builtins."))


def may_raise(model: ScriptModel) -> bool:
    """Whether some statement of the script may raise (True when unsure)."""
    # Most scripts call something that may fail: the model's index of named calls says so
    # without walking the tree.
    for sites in model.calls.values():
        if not _harmless_call(model, sites[0].node):
            return True
    argv_bound: int | None = None
    own_dicts: OwnDicts | None = None
    for node in ast.walk(model.tree):
        kind = type(node)
        if kind is ast.Call:
            if not _harmless_call(model, node):  # type: ignore[arg-type]
                return True
        elif kind is ast.Subscript:
            if argv_bound is None:
                argv_bound = _argv_length_bound(model)
            if not _harmless_index(model, node, argv_bound):  # type: ignore[arg-type]
                if own_dicts is None:
                    own_dicts = OwnDicts(model)
                if not own_dicts.harmless(node):  # type: ignore[arg-type]
                    return True
        elif kind in RAISING_STATEMENTS or (
            kind is ast.BinOp and not _harmless_operation(node)  # type: ignore[arg-type]
        ):
            return True
    return False


def _harmless_call(model: ScriptModel, call: ast.Call) -> bool:
    func = call.func
    if type(func) is ast.Name:
        if model.local_function(func.id) is not None:
            return True  # its body is walked with the rest
        return func.id not in model.aliases and func.id in HARMLESS_CALLS
    if type(func) is not ast.Attribute:
        return False
    head: ast.expr = func
    while type(head) is ast.Attribute:
        head = head.value
    if type(head) is ast.Name and head.id in model.aliases:
        return model.resolve(func) in HARMLESS_CALLS  # a function of an imported module
    return func.attr in HARMLESS_METHODS


def _harmless_index(model: ScriptModel, node: ast.Subscript, argv_bound: int) -> bool:
    if type(node.slice) is ast.Slice:
        return True  # slicing never raises
    if model.resolve(node.value) != "sys.argv":
        return False
    index = node.slice
    return (
        type(index) is ast.Constant and type(index.value) is int and 0 <= index.value < argv_bound
    )


def _argv_length_bound(model: ScriptModel) -> int:
    """How many items `sys.argv` is checked to hold before it is indexed: 1 (the script's own
    name) unless an `if` compares `len(sys.argv)` with a constant, and either leaves when
    there are too few (`if len(sys.argv) < 3: sys.exit(...)`) or uses them inside (`if
    len(sys.argv) > 1: name = sys.argv[1]`). Where in the script the index stands is not
    checked: a script that tests the length of its arguments indexes them behind the test."""
    bound = 1
    for node in ast.walk(model.tree):
        if type(node) is not ast.If or type(node.test) is not ast.Compare:
            continue
        test = node.test
        if len(test.ops) != 1 or not _is_argv_length(test.left):
            continue
        op, right = test.ops[0], test.comparators[0]
        if type(right) is not ast.Constant or type(right.value) is not int:
            continue
        if type(op) in (ast.Lt, ast.NotEq) and _leaves(model, node.body):
            bound = max(bound, right.value)
        elif type(op) is ast.LtE and _leaves(model, node.body):
            bound = max(bound, right.value + 1)
        elif type(op) in (ast.GtE, ast.Eq):
            bound = max(bound, right.value)
        elif type(op) is ast.Gt:
            bound = max(bound, right.value + 1)
    return bound


def _leaves(model: ScriptModel, body: list[ast.stmt], depth: int = 0) -> bool:
    """Whether a block ends by returning or exiting, also through a function of the script
    that exits (`usage()`)."""
    last = body[-1]
    if type(last) is ast.Return:
        return True
    if type(last) is not ast.Expr or type(last.value) is not ast.Call:
        return False
    func = last.value.func
    if type(func) is ast.Name:
        helper = model.local_function(func.id)
        if helper is not None:
            if depth > 2:
                return False
            inner = helper.node.body
            return _ends_in_exit(model, inner, depth + 1)
        return func.id in EXITS
    return (
        type(func) is ast.Attribute
        and type(func.value) is ast.Name
        and f"{func.value.id}.{func.attr}" in EXITS
    )


def _ends_in_exit(model: ScriptModel, body: list[ast.stmt], depth: int) -> bool:
    """Whether a function's body ends by exiting (a `return` there goes back to the caller)."""
    return type(body[-1]) is not ast.Return and _leaves(model, body, depth)


def _is_argv_length(node: ast.expr) -> bool:
    if type(node) is not ast.Call or len(node.args) != 1:
        return False
    func, arg = node.func, node.args[0]
    return (
        type(func) is ast.Name
        and func.id == "len"
        and type(arg) is ast.Attribute
        and arg.attr == "argv"
        and type(arg.value) is ast.Name
        and arg.value.id == "sys"
    )


def _harmless_operation(node: ast.BinOp) -> bool:
    """`+` and `*` of the script's own values, and `%` formatting of a literal text; a
    division may divide by zero."""
    if type(node.op) in (ast.Add, ast.Mult, ast.BitOr, ast.BitAnd):
        return True
    return (
        type(node.op) is ast.Mod
        and type(node.left) is ast.Constant
        and type(node.left.value) is str
    )
