"""Runs inside the child: confine this process, report what holds, then run the script.

Started as `python -I bootstrap.py SPEC_JSON`. Standard library only and Python 3.8
syntax: it runs in the script's interpreter, not the caller's. The spec names the
script, its arguments, the project root, the private temp dir, the policy and the fd of
the report pipe. The first line written to that pipe is the JSON sandbox report; after
it, on SIGUSR1, the stacks of all threads (the executor asks just before a timeout kill).
The work is in `_scriptcontract_confine.boot`, whose bytecode is cached between runs.
"""

import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _here)
try:
    # By name: a plain import would be resolved by the type checker as a top-level module.
    boot = __import__("_scriptcontract_confine.boot", fromlist=["main"])
finally:
    # The script must not see this directory on its path.
    sys.path.remove(_here)
    if sys.path and sys.path[0] == _here:  # Python < 3.11 puts it first under -I too
        del sys.path[0]

if __name__ == "__main__":
    boot.main(sys.argv)
