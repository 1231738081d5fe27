"""The control: a helper module whose module-level loop only fills a table of constants
(it calls nothing of its own that works), so it is still a module and nothing is said."""
import json

UNITS = {}
for exponent, prefix in enumerate(("", "K", "M", "G")):
    UNITS[prefix] = 1024**exponent


def scaled(value, prefix):
    return json.dumps({"bytes": value * UNITS[prefix]})
