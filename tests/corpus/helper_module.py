"""Shared pieces the transform scripts import: a helper, not a script.

It does nothing when run (no `__main__` guard, no work at module level), so the rules
about one run (reads its inputs, writes one result, handles its errors) stay silent; the
parse below is still unguarded wherever it is called.
"""
import json
import logging
import re
import sys

logger = logging.getLogger(__name__)
SLUG = re.compile(r"[^a-z0-9]+")


def read_inputs():
    return json.load(sys.stdin)  # expect: SCR103


def slug(text):
    return SLUG.sub("-", text.lower()).strip("-")


def emit(result):
    logger.debug("emitting %s", sorted(result))
    print(json.dumps(result))
