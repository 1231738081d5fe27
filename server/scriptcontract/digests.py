"""Content digests (the check cache's, the analyser's per module): BLAKE2b, 16 bytes, in hex.

Taken from `_blake2`, where `hashlib` gets it too: importing `hashlib` loads OpenSSL for
its other hashes, ~2 ms of every `check` before anything is checked.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without its own BLAKE2
    from hashlib import blake2b


def digest(data: bytes) -> str:
    return blake2b(data, digest_size=16).hexdigest()


def keyed_digest(key: bytes, *parts: bytes) -> str:
    """A digest only the holder of `key` can make (BLAKE2b's keyed mode, a MAC): 32 bytes."""
    hasher = blake2b(key=key, digest_size=32)
    for part in parts:
        hasher.update(part)
    return hasher.hexdigest()
