"""Whether the analysis sees every key a script reads (else no key is called unread)."""

from __future__ import annotations

import pytest

from scriptcontract.contract.input_reads import reads_every_key

HEAD = "import json, sys\ninputs = json.load(sys.stdin)\n"
SEEN = {
    "constant keys": HEAD + 'print(inputs["a"], inputs.get("b", 1), inputs.pop("c"))\n',
    "key tests and type tests": HEAD
    + 'if "x" in inputs and isinstance(inputs, dict) and inputs:\n    inputs["x"]\n',
    "passed to the script's own function": "import json, sys\n"
    'def main(inputs):\n    return {"x": inputs["a"]}\n'
    "raw = sys.stdin.read()\n"
    "inputs = json.loads(raw) if raw.strip() else {}\n"
    "print(json.dumps(main(inputs)))\n",
}
HANDED_ON = {
    "printed": HEAD + "print(inputs)\n",
    "unpacked": HEAD + "f(**inputs)\n",
    "iterated": HEAD + "for key, value in inputs.items():\n    print(key)\n",
    "dumped": HEAD + "print(json.dumps(inputs))\n",
    "into another module": HEAD + "helper.run(inputs)\n",
    "a key from a variable": HEAD + 'key = "a"\nprint(inputs[key])\n',
    "no inputs at all": "print(1)\n",
    "does not parse": "def broken(:\n",
}


@pytest.mark.parametrize("source", SEEN.values(), ids=list(SEEN))
def test_every_read_is_seen(source: str) -> None:
    assert reads_every_key(source)


@pytest.mark.parametrize("source", HANDED_ON.values(), ids=list(HANDED_ON))
def test_a_use_that_may_read_any_key_is_not_seen(source: str) -> None:
    assert not reads_every_key(source)
