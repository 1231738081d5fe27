"""Which input keys hold file paths: the default ones always, and those a project adds.

The executor refuses, before a run, a value under such a key that points outside the
project; SCR303 points at paths read from other keys. `input-path-keys` is read from a
configuration file, which a run can write: if it replaced the default keys, a planted
`input-path-keys = 'zzz'` would turn the executor's check of `input_file`, `output_path`,
`data_dir`... off for every later run, a loosening nobody is asked to trust. So the pattern
only adds keys: the default ones are checked whatever a file says. Both patterns are
matched in linear time (`key_patterns`): a planted `^(a+)+$` cannot hold anyone either.
"""

from __future__ import annotations

from functools import lru_cache

from scriptcontract.contract.key_patterns import KeyPattern, key_pattern
from scriptcontract.contract.settings import DEFAULT_INPUT_PATH_KEYS


class PathKeys:
    """`search(key)`: whether the executor checks the value of `key` as a path. Raises
    `UnsupportedPattern` (a `ValueError`) for a pattern `key_patterns` cannot match."""

    def __init__(self, added: str = DEFAULT_INPUT_PATH_KEYS) -> None:
        self.added = added
        patterns = dict.fromkeys((DEFAULT_INPUT_PATH_KEYS, added))
        self._patterns: tuple[KeyPattern, ...] = tuple(map(key_pattern, patterns))

    def search(self, key: str) -> bool:
        return any(pattern.search(key) for pattern in self._patterns)


@lru_cache(maxsize=32)
def path_keys(added: str) -> PathKeys:
    """The path keys of a setting, kept: the analysis asks on every keystroke."""
    return PathKeys(added)
