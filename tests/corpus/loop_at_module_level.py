# A collector whose only work is a loop at module level.  # expect: SCR101, SCR202
# The loop calls the script's own function, so the file is a script (not a helper module)
# and the rules about its run speak: it never reads its inputs, and it writes one JSON
# document per pass.
import json
import os

NAMES = ("load", "memory")


def sample(name):
    print(json.dumps({"success": True, "name": name, "value": os.getloadavg()[0]}))


for name in NAMES:  # expect: SCR207
    sample(name)  # expect: SCR106
