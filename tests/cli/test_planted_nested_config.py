"""A configuration a run planted below the project's, to turn `check`'s findings off.

A run may write in every folder below its project's top level: `scripts/scriptcontract.toml`
with `ignore = ["SCR"]`, an `exclude`, `per-file-ignores`, or any `pyproject.toml` (its
folder becomes a root where `include` no longer matches) made the user's `check`, and so
their pre-commit hook or CI gate, report nothing and exit 0. A nested configuration is now
used only when git tracks it as it is, or the user trusted its content
(`nested_configs.py`); otherwise `check` fails closed, naming the file. Each refusal stands
beside its control: the same file, once the user's, turns the findings off.

The same for ignore files: a run appended `scripts/` to the project's `.gitignore` (a
top-level file, rewritten in place) and `check` passed over every script. As in git, an
ignore file now leaves out only what git does not track (`check/tracked_files.py`).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli.runner import scriptcontract, stage_in_git
from tests.conftest import Project

FINDINGS = 'import json, sys\ndata = json.load(sys.stdin)\nprint("stray")\n'
PLANTED = {
    "ignore": ("scripts/scriptcontract.toml", "include = ['*.py']\nignore = ['SCR']\n"),
    "exclude": ("scripts/scriptcontract.toml", "exclude = ['*.py']\n"),
    "per-file-ignores": (
        "scripts/scriptcontract.toml",
        "include = ['*.py']\n[per-file-ignores]\n'job.py' = ['SCR']\n",
    ),
    "a new root": ("scripts/pyproject.toml", "[project]\nname = 'x'\n"),
    "deeper": ("scripts/sub/scriptcontract.toml", "include = ['*.py']\nignore = ['SCR']\n"),
    # With a repository planted above it, as if it were the top of one.
    "behind a planted .git": (
        "scripts/sub/scriptcontract.toml",
        "include = ['*.py']\nignore = ['SCR']\n",
    ),
}
ALSO_PLANTED = {"behind a planted .git": [("scripts/.git/HEAD", "ref: refs/heads/main\n")]}
WRITES = """
import json, os, sys
for name, text in json.load(sys.stdin)["files"]:
    os.makedirs(os.path.dirname(name), exist_ok=True)
    with open(name, "w") as handle:
        handle.write(text)
print(json.dumps({"success": True}))
"""


def _project(project: Project, planted: str) -> tuple[str, str]:
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    project.write("scripts/job.py", FINDINGS)
    project.write("scripts/sub/job.py", FINDINGS)
    project.write("tools/plant.py", WRITES)
    return PLANTED[planted]


def _state(tmp_path: Path) -> dict[str, str]:
    return {"XDG_STATE_HOME": str(tmp_path / "state")}


def _plant(project: Project, tmp_path: Path, script: str, files: list[list[str]]) -> None:
    """A real run of `script` (WRITES) writes `files`: the sandbox lets it write there."""
    ran = scriptcontract(
        "run",
        script,
        "--inputs",
        json.dumps({"files": files}),
        cwd=project.root,
        env=_state(tmp_path),
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr


def _check(project: Project, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return scriptcontract("check", "scripts", cwd=project.root, env=_state(tmp_path))


@pytest.mark.parametrize("planted", sorted(PLANTED))
def test_a_nested_configuration_a_run_planted_turns_no_finding_off(
    project: Project, tmp_path: Path, planted: str
) -> None:
    name, text = _project(project, planted)
    before = _check(project, tmp_path)
    assert before.returncode == 1, before.stdout + before.stderr
    assert f"{os.path.dirname(name)}/job.py:3:1: SCR105" in before.stdout
    # A real run plants it: the sandbox lets it write there.
    ran = scriptcontract(
        "run",
        "tools/plant.py",
        "--inputs",
        json.dumps({"files": [[name, text], *ALSO_PLANTED.get(planted, [])]}),
        cwd=project.root,
        env=_state(tmp_path),
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert (project.root / name).read_text() == text
    done = _check(project, tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{project.root / name}: a configuration below the one in" in done.stderr
    # No git here to stage it in (nor, below another configuration, a folder to start from).
    assert "scriptcontract trust" in done.stderr and "git add" not in done.stderr
    assert "start from its own folder" not in done.stderr

    # The control: once the user's (staged), the same file turns the findings off.
    stage_in_git(project.root, name)
    vouched = _check(project, tmp_path)
    assert vouched.returncode in (0, 1), vouched.stdout + vouched.stderr
    assert f"{os.path.dirname(name)}/job.py:" not in vouched.stdout, vouched.stdout


def test_a_nested_configuration_is_used_as_trusted_and_refused_once_changed(
    project: Project, tmp_path: Path
) -> None:
    name, text = _project(project, "ignore")
    project.write(name, text)
    trusted = scriptcontract("trust", name, cwd=project.root, env=_state(tmp_path))
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    done = _check(project, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    project.write(name, text + "exclude = ['*.py']\n")  # as a run could rewrite it
    done = _check(project, tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "a configuration below the one in" in done.stderr


def test_the_outermost_configuration_is_used_as_it_is(project: Project, tmp_path: Path) -> None:
    """The project's own configuration is protected from runs: editing it needs no commit."""
    _project(project, "ignore")
    stage_in_git(project.root, "scriptcontract.toml")
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\nignore = ["SCR"]\n')
    done = _check(project, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert os.path.exists(project.root / ".git")


REWRITES_GITIGNORE = """
import json
with open(".gitignore", "a") as handle:  # a top-level file: rewritten in place
    handle.write("scripts/\\n")
print(json.dumps({"success": True}))
"""


@pytest.mark.parametrize("how", ["walked", "named by pre-commit"])
def test_a_gitignore_a_run_rewrote_leaves_no_tracked_script_out(
    project: Project, tmp_path: Path, how: str
) -> None:
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    project.write(".gitignore", "__pycache__/\n")
    project.write("scripts/job.py", FINDINGS)
    project.write("scripts/new.py", FINDINGS)
    project.write("tools/plant.py", REWRITES_GITIGNORE)
    stage_in_git(project.root, ".gitignore", "scriptcontract.toml", "scripts/job.py")
    ran = scriptcontract("run", "tools/plant.py", cwd=project.root, env=_state(tmp_path))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "scripts/" in (project.root / ".gitignore").read_text()
    paths = (
        ["scripts"] if how == "walked" else ["--force-exclude", "scripts/job.py", "scripts/new.py"]
    )
    done = scriptcontract("check", *paths, cwd=project.root, env=_state(tmp_path))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "scripts/job.py:3:1: SCR105" in done.stdout
    # The control: the line leaves out what git does not track, as git does.
    assert "scripts/new.py" not in done.stdout


PLANTS_BELOW = """
import json, os
os.makedirs("sub", exist_ok=True)
with open("sub/scriptcontract.toml", "w") as handle:
    handle.write("include = ['*.py']\\nignore = ['SCR']\\n")
print(json.dumps({"success": True}))
"""


def test_with_no_configuration_at_the_top_a_planted_one_below_turns_no_finding_off(
    project: Project, tmp_path: Path
) -> None:
    """With no configuration at the project's top, the one a run plants below is the
    outermost `check` sees: below the top of the git work tree, it needs vouching too."""
    project.write("scripts/plant.py", PLANTS_BELOW)
    project.write("scripts/sub/job.py", FINDINGS)
    stage_in_git(project.root, "scripts/plant.py", "scripts/sub/job.py")
    before = scriptcontract("check", "scripts/sub/job.py", cwd=project.root, env=_state(tmp_path))
    assert before.returncode == 1, before.stdout + before.stderr
    assert "scripts/sub/job.py:3:1: SCR105" in before.stdout
    ran = scriptcontract("run", "scripts/plant.py", cwd=project.root, env=_state(tmp_path))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    planted = project.root / "scripts/sub/scriptcontract.toml"
    assert planted.is_file()
    done = scriptcontract("check", "scripts/sub/job.py", cwd=project.root, env=_state(tmp_path))
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{planted}: a configuration below the top of the git work tree" in done.stderr
    assert "git add" in done.stderr and "scriptcontract trust" in done.stderr

    # The control: once the user's (staged, or trusted), the same file turns the findings off.
    stage_in_git(project.root, "scripts/sub/scriptcontract.toml")
    vouched = scriptcontract("check", "scripts/sub/job.py", cwd=project.root, env=_state(tmp_path))
    assert vouched.returncode == 0, vouched.stdout + vouched.stderr
    planted.write_text(planted.read_text() + "exclude = ['*.py']\n")  # changed since
    changed = scriptcontract("check", "scripts/sub/job.py", cwd=project.root, env=_state(tmp_path))
    assert changed.returncode == 2, changed.stdout + changed.stderr
    trusted = scriptcontract("trust", str(planted), cwd=project.root, env=_state(tmp_path))
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    again = scriptcontract("check", "scripts/sub/job.py", cwd=project.root, env=_state(tmp_path))
    assert again.returncode == 0, again.stdout + again.stderr


def test_a_project_that_is_a_git_submodule_uses_its_own_tracked_configuration(
    tmp_path: Path,
) -> None:
    """CI on a clean checkout: the project is a submodule of another repository, with its
    configuration at its own top, tracked by its own index. No trust record is needed."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    git += ["-c", "protocol.file.allow=always"]
    inner = Project(tmp_path / "inner")
    inner.write("scriptcontract.toml", "include = ['scripts/*.py']\nignore = ['SCR']\n")
    inner.write("scripts/job.py", FINDINGS)
    for step in (["init", "-q", "."], ["add", "-A"], ["commit", "-qm", "inner"]):
        subprocess.run([*git, *step], cwd=inner.root, check=True, timeout=30)
    outer = tmp_path / "outer"
    outer.mkdir()
    subprocess.run([*git, "init", "-q", "."], cwd=outer, check=True, timeout=30)
    subprocess.run(
        [*git, "submodule", "add", "-q", str(inner.root), "lib"],
        cwd=outer,
        check=True,
        timeout=30,
        capture_output=True,
    )
    project = outer / "lib"
    done = scriptcontract("check", "scripts/job.py", cwd=project, env=_state(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    # The control: changed since, the same file is no longer the one git holds.
    config = project / "scriptcontract.toml"
    config.write_text(config.read_text() + "exclude = ['*.py']\n")
    changed = scriptcontract("check", "scripts/job.py", cwd=project, env=_state(tmp_path))
    assert changed.returncode == 2, changed.stdout + changed.stderr
    assert "below the top of the git work tree" in changed.stderr


GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
GIT += ["-c", "protocol.file.allow=always"]


def run_git(cwd: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=cwd, check=True, timeout=30, capture_output=True)


@pytest.mark.parametrize("vouched_by", ["a repository the run built", "the submodule's own"])
def test_a_submodule_whose_git_file_a_run_rewrote_vouches_for_nothing(
    tmp_path: Path, vouched_by: str
) -> None:
    """A submodule registered below the project's top: its `.git` is a file in a folder
    runs may write. A run plants a configuration there and points `.git` at a repository
    it built in the project, whose index holds the planted file as it is: git vouched for
    it through `--recurse-submodules`. The control: staged in the submodule's own
    repository (in the outer one's `.git/modules`), the same file is used."""
    inner = Project(tmp_path / "inner")
    inner.write("job.py", FINDINGS)
    run_git(inner.root, "init", "-q", ".")
    run_git(inner.root, "add", "-A")
    run_git(inner.root, "commit", "-qm", "inner")
    project = Project(tmp_path / "project")
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    project.write("tools/plant.py", WRITES)
    run_git(project.root, "init", "-q", ".")
    run_git(project.root, "submodule", "add", "-q", str(inner.root), "scripts/vendor")
    run_git(project.root, "add", "-A")
    run_git(project.root, "commit", "-qm", "outer")
    before = _check(project, tmp_path)
    assert before.returncode == 1, before.stdout + before.stderr
    assert "scripts/vendor/job.py:3:1: SCR105" in before.stdout
    name, text = "scripts/vendor/scriptcontract.toml", "include = ['*.py']\nignore = ['ALL']\n"
    # The repository the run would build (git's files are files: the test makes them for it).
    built = tmp_path / "built"
    (built / "scriptcontract.toml").parent.mkdir()
    (built / "scriptcontract.toml").write_text(text)
    run_git(built, "init", "-q", ".")
    run_git(built, "add", "scriptcontract.toml")
    os.rename(built / ".git", project.root / "scripts/.built")
    original = (project.root / "scripts/vendor/.git").read_text()
    # A real run writes the configuration and rewrites the submodule's `.git`.
    files = [[name, text], ["scripts/vendor/.git", "gitdir: ../.built\n"]]
    _plant(project, tmp_path, "tools/plant.py", files)
    assert (project.root / "scripts/vendor/.git").read_text() == "gitdir: ../.built\n"
    if vouched_by == "a repository the run built":
        done = _check(project, tmp_path)
        assert done.returncode == 2, done.stdout + done.stderr
        assert f"{project.root / name}: a configuration below the one in" in done.stderr
        return
    (project.root / "scripts/vendor/.git").write_text(original)
    run_git(project.root / "scripts/vendor", "add", "scriptcontract.toml")
    vouched = _check(project, tmp_path)
    assert vouched.returncode == 0, vouched.stdout + vouched.stderr


def test_with_no_configuration_and_no_git_one_planted_below_where_check_started_is_not_used(
    project: Project, tmp_path: Path
) -> None:
    """No configuration, no git: a run of a script at the top (its folder, the runs' root)
    plants `scripts/scriptcontract.toml`. The folder `check` is started in stands for the
    editor's workspace folder: a configuration below it needs vouching."""
    project.write("plant.py", WRITES)
    project.write("scripts/job.py", FINDINGS)
    before = scriptcontract("check", "scripts", cwd=project.root, env=_state(tmp_path))
    assert before.returncode == 1, before.stdout + before.stderr
    assert "scripts/job.py:3:1: SCR105" in before.stdout
    files = [["scripts/scriptcontract.toml", "include = ['*.py']\nignore = ['SCR']\n"]]
    _plant(project, tmp_path, "plant.py", files)
    planted = project.root / "scripts/scriptcontract.toml"
    assert planted.is_file() and not (project.root / ".git").exists()
    done = scriptcontract("check", "scripts", cwd=project.root, env=_state(tmp_path))
    assert done.returncode == 2, done.stdout + done.stderr
    where = f"{planted}: a configuration below the folder check was started in {project.root}"
    assert where in done.stderr, done.stderr
    # No git to stage it in: the advice is the trust, or the project's own folder.
    assert "git add" not in done.stderr, done.stderr
    assert f"(`cd {planted.parent}`)" in done.stderr, done.stderr
    assert f"scriptcontract trust {planted}" in done.stderr, done.stderr

    # The control: trusted, the same file turns the findings off (as before this check);
    # rewritten after, it is refused again.
    trusted = scriptcontract("trust", str(planted), cwd=project.root, env=_state(tmp_path))
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    vouched = scriptcontract("check", "scripts", cwd=project.root, env=_state(tmp_path))
    assert vouched.returncode == 0, vouched.stdout + vouched.stderr
    planted.write_text(planted.read_text() + "exclude = ['*.py']\n")
    changed = scriptcontract("check", "scripts", cwd=project.root, env=_state(tmp_path))
    assert changed.returncode == 2, changed.stdout + changed.stderr


def test_an_exclude_a_run_planted_hides_no_cases_from_test(
    project: Project, tmp_path: Path
) -> None:
    name, text = _project(project, "exclude")
    # other/ included too: its cases are the control, run whatever was planted in scripts/.
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py", "other/*.py"]\n')
    cases = json.dumps({"cases": [{"name": "ok", "expect": {"success": True}}]})
    for script in ("scripts/job.py", "other/job.py"):
        project.write(script, 'import json\nprint(json.dumps({"success": True}))\n')
        project.write(script.replace(".py", ".cases.json"), cases)
    _plant(project, tmp_path, "tools/plant.py", [[name, text]])
    ran = scriptcontract("test", "--format", "json", cwd=project.root, env=_state(tmp_path))
    found = sorted(file["path"] for file in json.loads(ran.stdout)["files"])
    assert found == ["other/job.cases.json", "scripts/job.cases.json"], ran.stdout + ran.stderr
    # The control: once the user's (staged), the same file leaves the cases out.
    stage_in_git(project.root, name)
    vouched = scriptcontract("test", "--format", "json", cwd=project.root, env=_state(tmp_path))
    found = sorted(file["path"] for file in json.loads(vouched.stdout)["files"])
    assert found == ["other/job.cases.json"], vouched.stdout + vouched.stderr
