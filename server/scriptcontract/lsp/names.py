"""The names the server declares to clients: its commands and its code action kinds.

Plain strings with no imports, so that `fast_start` can declare them before pygls and
lsprotocol are loaded, and the handlers declare exactly the same ones.
"""

RUN = "scriptcontract.run"
RUN_NOW = "scriptcontract.runNow"
INPUTS_TEMPLATE = "scriptcontract.inputsTemplate"
CREATE_INPUTS = "scriptcontract.createInputs"
PARSE_INPUTS = "scriptcontract.parseInputs"
RUN_CASES = "scriptcontract.runCases"
LIST_CASES = "scriptcontract.listCases"
ADD_CASE = "scriptcontract.addCase"
# The cases files `scriptcontract test` runs, for an editor's "test all".
FIND_CASES_FILES = "scriptcontract.findCasesFiles"
# "Debug with inputs" (debug_commands.py): the code lens's and code action's command, which
# editors take over to start a session; the launch configuration; the run under debugpy.
DEBUG = "scriptcontract.debug"
DEBUG_CONFIGURATION = "scriptcontract.debugConfiguration"
DEBUG_RUN = "scriptcontract.debugRun"
# Exploration (explore_commands.py): generated inputs run, failures as diagnostics; a
# failure's smallest input saved as a case.
EXPLORE = "scriptcontract.explore"
SAVE_EXPLORED_CASE = "scriptcontract.saveExploredCase"
# "Use .venv/bin/python for runs" (use_python.py): the quick fix of a run that missed a module
# the project's environment has; editors take it over to set their run.python setting.
USE_PYTHON = "scriptcontract.usePython"
# In the order `commands.py`, `case_commands.py`, `debug_commands.py`, `explore_commands.py` and
# `use_python.py` register them, which is the order the server declares.
COMMANDS = (
    RUN,
    RUN_NOW,
    INPUTS_TEMPLATE,
    CREATE_INPUTS,
    PARSE_INPUTS,
    RUN_CASES,
    LIST_CASES,
    ADD_CASE,
    FIND_CASES_FILES,
    DEBUG,
    DEBUG_CONFIGURATION,
    DEBUG_RUN,
    EXPLORE,
    SAVE_EXPLORED_CASE,
    USE_PYTHON,
)

QUICK_FIX = "quickfix"
FIX_ALL = "source.fixAll.scriptcontract"
CODE_ACTION_KINDS = (QUICK_FIX, FIX_ALL)
