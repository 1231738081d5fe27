"""Whether `check` may use a nested configuration: one that a run could have written.

A run may write anywhere below its project's top level, so it can leave a
`scriptcontract.toml`, or a `pyproject.toml` (with or without `[tool.scriptcontract]`: any
makes its folder a project root), in the folder of the scripts it lies beside: `ignore =
["ALL"]`, an `exclude`, or a root where `include` no longer matches, and the user's
`check`, their pre-commit hook, reports nothing and exits 0. The outermost configuration
(the runs' project root) is one of the protected paths, which no run can write, so only a
configuration with another above it is in question. So is one below the top of the git
work tree it lies in when none is above it: in a project with no configuration at its top,
a run's root is its script's folder, and a configuration it plants in a folder below is the
outermost `check` sees. `check` uses such a file only when it is the user's:

- git tracks it as it is: its content is what the index holds (committed or staged by the
  user: a run cannot write `.git`), so CI on a clean checkout needs nothing more;
- or the user trusted this very content (`scriptcontract trust FILE`, recorded in the
  user's state folder as its digest, like the sandbox's loosening settings).

Otherwise `check` fails closed, naming the file and both ways to vouch for it.
"""

from __future__ import annotations

import os
from pathlib import Path

from scriptcontract.config import (
    CONFIG_FILES,
    ConfigError,
    ProjectConfig,
    ProjectTable,
    read_config_bytes,
    read_project_table,
    validate_table,
)
from scriptcontract.git_queries import git_output

# The trust record's key for a configuration trusted by content: its SHA-256.
CONTENT_KEY = "configuration.sha256"


def config_files(root: Path) -> list[Path]:
    """The configuration files in `root` (each makes it a project root)."""
    return [root / name for name in CONFIG_FILES if (root / name).is_file()]


def above(root: Path) -> Path | None:
    """The nearest folder above `root` holding a configuration, below the home folder.

    Not stopped by a `.git`: a run can make `scripts/.git` as well as
    `scripts/sub/pyproject.toml`. Neither the home folder nor anything above it is a
    project root (`/` and home are refused as roots), so a `~/pyproject.toml` makes no
    project of the home's nested."""
    home = Path(os.path.abspath(Path.home()))
    for directory in Path(os.path.abspath(root)).parents:
        if home.is_relative_to(directory):
            return None
        if config_files(directory):
            return directory
    return None


def check_top(cwd: Path) -> Path | None:
    """The top `check` takes for a project with no configuration above and no git: the
    folder it was started in (no run is rooted at the home folder or above it)."""
    here = Path(os.path.abspath(cwd))
    return None if Path(os.path.abspath(Path.home())).is_relative_to(here) else here


def git_indexes(root: Path) -> list[Path]:
    """The index of every repository whose `.git` lies at or above `root`, below the home
    folder: the outer one's, and a submodule's (in the outer `.git/modules/`). Staging a
    file in either changes what vouches for it."""
    home = Path(os.path.abspath(Path.home()))
    found: list[Path] = []
    for directory in (Path(os.path.abspath(root)), *Path(os.path.abspath(root)).parents):
        if home.is_relative_to(directory):
            break
        if os.path.lexists(directory / ".git"):
            repository = _git_dir(directory)
            if repository is not None:
                found.append(Path(repository) / "index")
    return found


def work_tree_top(root: Path) -> Path | None:
    """The outermost folder at or above `root` holding a `.git`, below the home folder.

    The outermost, not the nearest: a run can make `scripts/sub/.git` beside the
    configuration it plants, but no `.git` above its own root."""
    home = Path(os.path.abspath(Path.home()))
    top: Path | None = None
    for directory in (Path(os.path.abspath(root)), *Path(os.path.abspath(root)).parents):
        if home.is_relative_to(directory):
            break
        if os.path.lexists(directory / ".git"):
            top = directory
    return top


WORKSPACE = "the top of the workspace folder"
STARTED_IN = "the folder check was started in"
# `run`, `test` (and its `--explore`) and `doctor`: a configuration's neutral settings choose
# how the scripts run (`[executor] env`, `input-path-keys`), so a planted one counts no more
# for them than for `check` (its loosening settings need `scriptcontract trust` besides).
RUN_STARTED_IN = "the folder run was started in"
TEST_STARTED_IN = "the folder test was started in"
DOCTOR_STARTED_IN = "the folder doctor was started in"
# `new` writes where the configuration's `include` and `exclude` say a script belongs, and
# the script then runs under it: a planted one chooses no more for it.
NEW_STARTED_IN = "the folder new was started in"
_FOR_RUNS = (RUN_STARTED_IN, TEST_STARTED_IN, DOCTOR_STARTED_IN, NEW_STARTED_IN)


def vouching_needed(
    root: Path, workspace: Path | None = None, named: str = WORKSPACE
) -> tuple[Path, str] | None:
    """The folder whose git vouches for the configuration at `root`, and how it is named in
    messages; None when the configuration is the outermost one, used as it is.

    `workspace`: the editor's folder holding `root`, or the folder `check` was started in
    (`named` says which). With no configuration above and no git, it is the top no run
    can write (the runs of a script in no project are rooted at the editor's folder, or at
    the script's folder, which `check` is usually started in), and a configuration below
    it one a run could have written."""
    outer = above(root)
    if outer is not None:
        return outer, f"a configuration below the one in {outer}"
    here = Path(os.path.abspath(root))
    top = work_tree_top(root)
    if top is not None:
        if top != here:
            return top, f"a configuration below the top of the git work tree {top}"
        return None
    if workspace is not None and Path(os.path.abspath(workspace)) in here.parents:
        return workspace, f"a configuration below {named} {workspace}"
    return None


def digest_of(data: bytes | None) -> str | None:
    """The digest trust records for a configuration's content (None: it could not be read)."""
    import hashlib  # ~2 ms (OpenSSL), only for a nested configuration

    return None if data is None else hashlib.sha256(data).hexdigest()


def content_digest(path: Path) -> str | None:
    """The digest of the configuration file at `path`, read as for use."""
    return digest_of(file_contents(path))


def bytes_as_read(path: Path, read: ProjectTable | None) -> bytes | None:
    """The bytes of the configuration file at `path` that `read` parsed its settings from
    (the ones to vouch for), else read now (a file it did not read: only its being counts)."""
    for name, data in read.contents if read is not None else ():
        if name == str(path):
            return data
    return file_contents(path)


def file_contents(path: Path) -> bytes | None:
    """The bytes of a configuration file, read as `read_project_table` reads it."""
    from scriptcontract.project_files import ProjectFileError

    try:
        return read_config_bytes(path)
    except ProjectFileError:
        return None


def read_vouched(
    root: Path, workspace: Path | None = None, named: str = WORKSPACE
) -> tuple[ProjectTable, ConfigError | None]:
    """The configuration of the project at `root`, and why it may not be used (None: it
    may): `check`'s and the language server's one way to a configuration, each file read
    once, so that a script swapping it between vouching and parsing gains nothing."""
    read = read_project_table(root)
    return read, unvouched(root, workspace, read, named)


def unvouched(
    root: Path,
    workspace: Path | None = None,
    read: ProjectTable | None = None,
    named: str = WORKSPACE,
) -> ConfigError | None:
    """Why `check` (or the language server, in `workspace`) may not use the configuration
    at `root`, or None when it may.

    `read`: the configuration as read for use; the bytes of its files are the ones vouched
    for (a file it did not read is read here: its content is not used, only its being)."""
    needed = vouching_needed(root, workspace, named)
    if needed is None:
        return None
    outer, where = needed
    for file in config_files(root):
        data = bytes_as_read(file, read)
        if _tracked_as_it_is(file, outer, data) or _trusted(file, outer, data):
            continue
        trust = f"`scriptcontract trust {file}`"
        # The git of the folder that vouches: not a `.git` a run made beside the file.
        if work_tree_top(outer) is not None:
            how = f"stage it (`git add {file}`) or trust it ({trust})"
            vouched = "which git does not track as it is"
        else:
            # No git to stage it in: trust, or the one way that makes it the top, if any.
            start = _own_folder(root, named)
            how = f"trust it ({trust})" + (f", or {start}" if start else "")
            vouched = "with no git to vouch for it"
        aim = "to change how its scripts run" if named in _FOR_RUNS else "to turn findings off"
        message = f"{where}, {vouched}: a run may have written it ({aim}). If it is yours, {how}"
        return ConfigError(path=str(file), key="", message=message)
    return None


def _own_folder(root: Path, named: str) -> str | None:
    """How to start so that the configuration at `root` is the top one (there is no git),
    or None when no start does: one below another configuration stays nested."""
    if named == RUN_STARTED_IN:
        return f"name its folder the project (`--root {root}`)"
    if above(root) is not None or named == DOCTOR_STARTED_IN:
        return None
    if named == WORKSPACE:
        return "start from its own folder (open that folder as the workspace)"
    return f"start from its own folder (`cd {root}`)"


def vouched_config(
    root: Path, started_in: Path, named: str, *, chosen: bool = False
) -> tuple[ProjectConfig, ConfigError | None]:
    """The configuration `run`, `test` and `doctor` use for the project at `root`, and why
    it may not be used (None: it may).

    The rule is `check`'s (git vouches where there is git; a configuration above makes one
    nested), with `started_in` for the top where there is neither: the folder `run` was
    started in, or the one `test` was pointed at (as if started there). `chosen`: the user
    named `root` the project (`run --root DIR`): with no git, that makes it the top whatever
    lies above (a `pyproject.toml` above `examples/` in a copy without git). Not a folder
    `test` is given, in that: `test scripts` is how one runs the cases of `scripts/`, the
    very folder a run plants a configuration in, below the project's."""
    if chosen and work_tree_top(root) is None:
        read, problem = read_project_table(root), None
    else:
        read, problem = read_vouched(root, check_top(started_in), named)
    return validate_table(read), problem


def _trusted(file: Path, outer: Path, data: bytes | None) -> bool:
    from scriptcontract.trust import Loosening, TrustStore, is_inside

    store = TrustStore()
    if is_inside(store.path, outer):
        return False  # a run could write the record itself: it proves nothing
    digest = digest_of(data)
    return digest is not None and store.is_trusted(str(file), [Loosening(CONTENT_KEY, digest)])


def _blob_id(data: bytes, staged: str) -> str:
    """git's object id for a file of content `data` (as `git hash-object --no-filters`),
    in the hash of the repository (`staged` is one of its ids): hashed here, from the
    bytes read, not by git from the file, which may have changed since."""
    import hashlib

    kind = "sha256" if len(staged) == 64 else "sha1"
    return hashlib.new(kind, b"blob %d\0" % len(data) + data).hexdigest()


def _tracked_as_it_is(file: Path, outer: Path, data: bytes | None) -> bool:
    """Whether git's index holds `file` with the content `data` (as read for use)."""
    if data is None:
        return False
    relative = os.path.relpath(file, outer)
    staged = _staged(outer, relative, submodules=False)
    # Else through the submodules the outer index registers: a project that is a submodule
    # keeps its configuration at its own top, tracked by its own index, and CI checks it
    # there; but only through repositories no run could have built or named.
    if staged is None and _indexes_out_of_reach(file, outer):
        staged = _staged(outer, relative, submodules=True)
    return staged is not None and _blob_id(data, staged) == staged


def _staged(outer: Path, relative: str, *, submodules: bool) -> str | None:
    """The object id git's index holds for `relative`, or None."""
    recurse = ["--recurse-submodules"] if submodules else []
    index = git_output(outer, "ls-files", "--stage", *recurse, "-z", "--", relative)
    if not index or "\t" not in index:
        return None
    staged = index.split("\t", 1)[0].split()
    return staged[1] if len(staged) >= 2 else None


def _git_dir(directory: Path) -> str | None:
    """Where the repository of `directory`'s `.git` lies: the folder itself, or the one a
    `gitdir:` file names (a submodule's, a linked work tree's); None when neither."""
    dot_git = directory / ".git"
    if os.path.isdir(dot_git):
        return os.path.realpath(dot_git)
    try:
        first = dot_git.read_text(encoding="utf-8", errors="replace").splitlines()[0]
    except (OSError, IndexError):
        return None
    if not first.startswith("gitdir:"):
        return None
    return os.path.realpath(os.path.join(directory, first[len("gitdir:") :].strip()))


def _indexes_out_of_reach(file: Path, outer: Path) -> bool:
    """Whether every index git would read for `file` lies where no run can write: in the
    repository of `outer`. Below it, a submodule's `.git` is a file in a folder runs may
    write: rewritten to name a repository a run built in the project, whose index holds
    the planted file as it is, it vouched for the file (and git would read that
    repository's configuration). The repository of a submodule git checked out lies in
    the outer one's `modules/`."""
    top = work_tree_top(outer)
    if top is None:
        return True  # no repository: git vouches for nothing (`git ls-files` fails)
    own = _git_dir(top)
    if own is None:
        return False
    for directory in Path(os.path.abspath(file)).parents:
        if directory == Path(os.path.abspath(top)):
            return True
        if not os.path.lexists(directory / ".git"):
            continue
        found = _git_dir(directory)
        if found is None or os.path.commonpath([found, own]) != own:
            return False
    return True
