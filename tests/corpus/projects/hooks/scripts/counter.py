"""Uses only a pure helper of the project: nothing there reads or writes for it."""
import sys

import hooklib

if __name__ == "__main__":  # expect: SCR101, SCR104
    count = len(hooklib.words(" ".join(sys.argv[1:])))
    print(count, file=sys.stderr)
