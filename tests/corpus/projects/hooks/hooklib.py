"""Decorators and helpers shared by the project's hooks (a module, not a script)."""
import functools
import json
import re
import sys

WORD = re.compile(r"\w+")


def hook(entry):
    """Run `entry` on the hook's JSON payload and print the decision it returns."""

    @functools.wraps(entry)
    def wrapper():
        try:
            payload = json.loads(sys.stdin.read() or "{}")
        except ValueError:
            payload = {}
        print(json.dumps(entry(payload)))

    return wrapper


def words(text):
    return WORD.findall(text)
