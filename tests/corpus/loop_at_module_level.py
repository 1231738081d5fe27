# A collector whose only work is a loop at module level.  # expect: SCR101
# The loop calls the script's own function, so the file is a script (not a helper module)
# and the rules about its run speak: it never reads its inputs, and it writes text where
# the JSON result goes.
import os

NAMES = ("load", "memory")


def sample(name):
    print("VALUE {} {}".format(name, os.getloadavg()[0]))  # expect: SCR105


for name in NAMES:
    sample(name)
