"""`scriptcontract trust`: record that a project's sandbox-loosening settings are the user's."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scriptcontract.config import (
    ProjectTable,
    find_project_root,
    read_project_table,
    validate_table,
)
from scriptcontract.nested_configs import (
    CONTENT_KEY,
    bytes_as_read,
    config_files,
    digest_of,
    vouching_needed,
    work_tree_top,
)
from scriptcontract.trust import Loosening, TrustStore, baseline_for, loosenings

EXIT_OK, EXIT_USAGE = 0, 2


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        metavar="PATH",
        default=".",
        help="the project (a folder, a script in it, or its scriptcontract.toml or "
        "pyproject.toml); default: the current folder",
    )
    parser.add_argument(
        "--revoke", action="store_true", help="forget the trust given to this configuration"
    )
    parser.add_argument(
        "--show", action="store_true", help="only show the loosening settings and their trust"
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print nothing but errors when trusting or revoking (--show still shows)",
    )
    parser.epilog = (
        "Settings that loosen the sandbox (turning it or a protection off, the network when "
        "a configuration above says no, extra paths, higher limits, pass-env, another "
        "interpreter) are used by `run` and the language server only once trusted: a script "
        "can write files in its project, configuration files included. The record lives in "
        "the user's state folder ($XDG_STATE_HOME/scriptcontract/trusted.json). For a "
        "configuration nested below another, its content is trusted too: `check`, `run`, "
        "`test` and `doctor` use such a file only when git tracks it as it is, or once "
        "trusted."
    )


def _fail(message: str) -> int:
    print(f"scriptcontract trust: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    if args.quiet and not args.show:
        # Every line on stdout says what was done; what went wrong goes to stderr, kept.
        import contextlib
        import io

        with contextlib.redirect_stdout(io.StringIO()):
            return _run(args)
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    target = Path(args.path).resolve()
    if not target.exists():
        return _fail(f"{args.path} does not exist")
    start = target.parent if target.is_file() else target
    root = find_project_root(start)
    if root is None:
        return _fail(f"no scriptcontract.toml or pyproject.toml at or above {start}")
    # Without git, the editor takes a configuration below its workspace folder for one a
    # run could have written: what it vouches by is the content too.
    by_content = vouching_needed(root) is not None or work_tree_top(root) is None
    # Read once: the content trusted is the content whose settings are shown and trusted.
    project = read_project_table(root)
    if by_content and args.revoke:
        return _revoke([*config_files(root)])
    config = validate_table(project)
    if config.errors and not args.show and not args.revoke:
        # Before anything is recorded: content with a mistake is trusted for nothing (the
        # fix changes it), and "trusted" followed by this error read as both.
        return _fail(f"the configuration has errors; fix them first: {config.errors[0]}")
    if by_content:
        status = _trust_nested(root, project, show=args.show)
        if status is not None:
            return status
    if config.source is None and by_content:
        return EXIT_OK  # a pyproject.toml without the table: its content was all to trust
    if config.source is None:
        return _fail(f"{root} has no [tool.scriptcontract] configuration")
    if args.revoke:
        return _revoke([Path(config.source)])
    if config.errors:
        return _fail(f"the configuration has errors; fix them first: {config.errors[0]}")
    store = TrustStore()
    found = loosenings(config, baseline_for(root))
    if not found:
        print(f"nothing to trust: {config.source} does not loosen the sandbox")
        return EXIT_OK
    print(f"{config.source} loosens the sandbox:")
    for item in found:
        print(f"  {item}")
    if args.show:
        state = "trusted" if store.is_trusted(config.source, found) else "not trusted"
        print(f"these settings are {state}")
        return EXIT_OK
    # A nested configuration keeps the content trusted by _trust_nested beside them.
    source = Path(config.source)
    kept = [Loosening(CONTENT_KEY, digest_of(bytes_as_read(source, project)))] if by_content else []
    try:
        store.trust(config.source, found + kept)
    except OSError as exc:
        return _fail(f"cannot write {store.path}: {exc.strerror or exc}")
    print(f"trusted (recorded in {store.path})")
    return EXIT_OK


def _revoke(files: list[Path]) -> int:
    """Forget every trust given to `files` (their content's, their settings')."""
    store = TrustStore()
    for file in files:
        try:
            removed = store.revoke(str(file))
        except OSError as exc:
            return _fail(f"cannot write {store.path}: {exc.strerror or exc}")
        print(("revoked: " if removed else "was not trusted: ") + str(file))
    return EXIT_OK


def _trust_nested(root: Path, project: ProjectTable, *, show: bool) -> int | None:
    """Trust the content of the configuration files of a project nested in another, which
    `check` otherwise uses only when git tracks them as they are (a run may have written
    them); an exit status on failure, None to go on with the sandbox's settings.

    `project`: the files as read for their settings, trusted as read."""
    store = TrustStore()
    for file in config_files(root):
        data = bytes_as_read(file, project)
        if data is None:
            return _fail(f"cannot read {file} as a regular file of its project")
        item = Loosening(CONTENT_KEY, digest_of(data))
        trusted = store.is_trusted(str(file), [item])
        if show:
            print(f"{file}: {_content_state(root, trusted)}")
            continue
        if not trusted:
            try:
                store.trust(str(file), [item])
            except OSError as exc:
                return _fail(f"cannot write {store.path}: {exc.strerror or exc}")
        print(f"{file}: its content is trusted as it is now (check and the editor use it)")
    return None


def _content_state(root: Path, trusted: bool) -> str:
    """What `--show` says of a configuration's content: whether it is trusted, and whether
    that matters where it is (the outermost one outside git needs it only from above)."""
    if trusted:
        return "its content is trusted as it is now"
    needed = vouching_needed(root)
    if needed is not None:
        return (
            f"its content is not trusted, and needs to be: {needed[1]}, which a run could "
            "have written, is used by check, run, test and the editor only once trusted"
        )
    return (
        "its content is not trusted, and needs no trust when check, run and test start in "
        f"{root} or below it (the outermost configuration, used as it is); started in a "
        "folder above it, with no git to vouch for it, they take it for one a run could "
        "have written and use it only once trusted"
    )
