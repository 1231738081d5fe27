"""Runs inside the child: confine this process, report what holds, then run the script.

Started as `python -I bootstrap.py SPEC_JSON` (a cold run), or imported by the warm
runner (zygote.py), whose forked child calls `enter(spec)`. Standard library only and
Python 3.8 syntax: it runs in the script's interpreter, not the caller's. The spec names
the script, its arguments, the project root, the private temp dir, the policy and the fd
of the report pipe. The first line written to that pipe is the JSON sandbox report; after
it, on SIGUSR1, the stacks of all threads (the executor asks just before a timeout kill).

The work is done by `_scriptcontract_confine.boot`, whose bytecode is cached between
runs: this file is compiled afresh by every cold run, so it stays small.
"""

import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _here)
try:
    # By name: a plain import would be resolved by the type checker as a top-level module.
    _boot = __import__("_scriptcontract_confine.boot", fromlist=["enter"])
finally:
    sys.path.remove(_here)

REFUSED_EXIT_CODE = _boot.REFUSED_EXIT_CODE
enter = _boot.enter
main = _boot.main
run_script = _boot.run_script
_load_confine = _boot.load_confine
prepare_for_forks = _boot.prepare_for_forks
die_with_parent = _boot.die_with_parent
rehearse = _boot.rehearse
build_ahead = _boot.build_ahead
read_to_end = _boot.read_to_end

if __name__ == "__main__":
    # Python < 3.11 puts the script's own directory first even under -I: the script
    # must not see this one.
    if sys.path and sys.path[0] in (_here, os.path.realpath(_here)):
        del sys.path[0]
    main(sys.argv)
