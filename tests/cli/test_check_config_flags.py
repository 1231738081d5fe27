"""`check`'s configuration on the command line, as ruff's: `--config` (a file or a
`KEY = VALUE` pair), `--isolated`, `--target-version`, `--per-file-ignores`, `--show-settings`."""

from __future__ import annotations

from tests.cli.runner import run_check
from tests.conftest import Project

# SCR101 (stdin never read) at 1:1 and SCR105 (stray print) at 2:1.
STRAY = 'import sys\nprint("a")\n'
WALRUS = 'import sys\nif (n := 1):\n    print("a")\n'


def codes(project: Project, *args: str) -> set[str]:
    done = run_check(project.root, *args)
    assert done.returncode in (0, 1), done.stderr
    return {line.split()[1] for line in done.stdout.splitlines()}


def test_config_key_value_overrides_the_projects_file(project: Project) -> None:
    project.write("pyproject.toml", '[tool.scriptcontract]\nselect = ["SCR101"]\n')
    project.write("scripts/job.py", STRAY)
    assert codes(project) == {"SCR101"}
    assert codes(project, "--config", 'select = ["SCR105"]') == {"SCR105"}
    # The override joins the file's other keys: here its include, which leaves job.py out.
    project.write(
        "pyproject.toml", '[tool.scriptcontract]\ninclude = ["jobs/*.py"]\nselect = ["SCR101"]\n'
    )
    left_out = run_check(project.root, "--config", 'select = ["SCR105"]')
    assert left_out.stdout == "" and "no workflow scripts checked" in left_out.stderr


def test_config_key_value_mistakes_are_usage_errors(project: Project) -> None:
    project.write("scripts/job.py", STRAY)
    unknown = run_check(project.root, "--config", "bogus = 1")
    assert unknown.returncode == 2
    assert (
        unknown.stderr
        == "scriptcontract check: configuration error: --config: bogus: unknown key\n"
    )
    not_toml = run_check(project.root, "--config", "select = SCR1")
    assert not_toml.returncode == 2
    assert not_toml.stderr.startswith(
        "scriptcontract check: error: --config 'select = SCR1': not a TOML `KEY = VALUE` pair"
    )
    missing = run_check(project.root, "--config", "other.toml")
    assert missing.returncode == 2
    assert "--config other.toml: neither an existing .toml file nor a `KEY = VALUE` pair" in (
        missing.stderr
    )


def test_config_file_replaces_each_projects_configuration(project: Project) -> None:
    project.write("pyproject.toml", '[tool.scriptcontract]\nselect = ["SCR101"]\n')
    project.write("scripts/job.py", STRAY)
    project.write("ci/lint.toml", 'select = ["SCR105"]\n')
    project.write("ci/pyproject.toml", '[tool.scriptcontract]\nignore = ["SCR105"]\n')
    assert codes(project, "--config", "ci/lint.toml") == {"SCR105"}
    assert codes(project, "--config", "ci/pyproject.toml") == {"SCR101"}
    both = codes(project, "--config", "ci/lint.toml", "--config", 'select = ["SCR101"]')
    assert both == {"SCR101"}, "a KEY = VALUE pair wins over a file, as in ruff"
    project.write("ci/empty/pyproject.toml", "[project]\nname = 'x'\n")
    empty = run_check(project.root, "--config", "ci/empty/pyproject.toml")
    assert empty.returncode == 2 and "no [tool.scriptcontract] table in it" in empty.stderr
    project.write("ci/broken.toml", "select = [\n")
    broken = run_check(project.root, "--config", "ci/broken.toml")
    assert broken.returncode == 2 and "ci/broken.toml: invalid TOML" in broken.stderr


def test_isolated_reads_no_configuration_file(project: Project) -> None:
    project.write("pyproject.toml", '[tool.scriptcontract]\nselect = ["SCR101"]\n')
    project.write("scripts/job.py", STRAY)
    assert codes(project, "--isolated") == {"SCR101", "SCR105"}
    assert codes(project, "--isolated", "--config", 'ignore = ["SCR101"]') == {"SCR105"}
    both = run_check(project.root, "--isolated", "--config", "pyproject.toml")
    assert both.returncode == 2 and "exclude each other" in both.stderr


def test_target_version_in_both_spellings(project: Project) -> None:
    project.write("pyproject.toml", '[tool.scriptcontract]\ntarget-version = "3.8"\n')
    project.write("scripts/job.py", WALRUS)
    assert "SCR001" not in codes(project, "--target-version", "py38")
    project.write("pyproject.toml", '[tool.scriptcontract]\ntarget-version = "3.7"\n')
    assert "SCR001" in codes(project), "the positive control: := is newer than 3.7"
    assert "SCR001" not in codes(project, "--target-version", "3.8")
    assert "SCR001" not in codes(project, "--target-version", "py311")
    wrong = run_check(project.root, "--target-version", "2.7")
    assert wrong.returncode == 2
    assert wrong.stderr == (
        "scriptcontract check: error: --target-version '2.7': expected 3.N or pyN (3.11, py311)\n"
    )


def test_per_file_ignores_on_the_command_line(project: Project) -> None:
    project.write(
        "pyproject.toml",
        '[tool.scriptcontract.per-file-ignores]\n"scripts/job.py" = ["SCR101"]\n',
    )
    project.write("scripts/job.py", STRAY)
    assert codes(project) == {"SCR105"}
    assert codes(project, "--per-file-ignores", "scripts/*.py:SCR105") == {"SCR101"}
    extended = codes(project, "--extend-per-file-ignores", "job.py:SCR105")
    assert extended == set()
    wrong = run_check(project.root, "--per-file-ignores", "job.py")
    assert wrong.returncode == 2 and "expected GLOB:CODES" in wrong.stderr
    typo = run_check(project.root, "--per-file-ignores", "job.py:SCR1O5")
    assert typo.returncode == 2 and "unknown rule code or prefix: SCR1O5" in typo.stderr


def test_show_settings_prints_the_resolved_settings_and_their_file(project: Project) -> None:
    project.write("pyproject.toml", '[tool.scriptcontract]\nignore = ["SCR2"]\n')
    project.write("scripts/job.py", STRAY)
    done = run_check(
        project.root,
        "--show-settings",
        "scripts/job.py",
        "--config",
        'error-keys = ["ok"]',
        "--extend-select",
        "SCR201",
        "--target-version",
        "py311",
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "# settings of scripts/job.py"
    assert lines[1] == f"# configuration: {project.root / 'pyproject.toml'}"
    assert 'ignore = ["SCR2"]' in lines
    assert 'extend-select = ["SCR201"]' in lines
    assert 'error-keys = ["ok"]' in lines
    assert 'target-version = "3.11"' in lines
    assert "exit-codes = [0, 1]" in lines
    (project.root / "empty").mkdir()
    nothing = run_check(project.root, "--show-settings", "empty")
    assert nothing.returncode == 2
    assert nothing.stderr == "scriptcontract check: error: no Python file to show the settings of\n"
