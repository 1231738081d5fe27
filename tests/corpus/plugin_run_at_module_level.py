# The request comes from the command line, not stdin.  # expect: SCR101
"""A launcher plugin on a host framework: the request comes from the command line, the
framework prints the JSON answer, and the last line hands control to it at import time.
The file is a script (it does its work when run), not a helper module."""
from pyflowlauncher import Plugin

shouter = Plugin()


@shouter.on_method
def query(text: str) -> dict[str, list[dict[str, str]]]:
    return {"result": [{"Title": text.upper(), "SubTitle": "shouted"}]}


shouter.run()
