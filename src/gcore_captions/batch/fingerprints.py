"""
Compact sets and maps of 64-bit fingerprints, for the indexes a batch export
keeps per task (ids seen, output names claimed, manifest line positions).

A Python ``set``/``dict`` of ints costs 70-150 bytes per entry; these keep
the fingerprints in flat ``array('Q')`` tables with open addressing (linear
probing, grown at half full), 16 bytes per entry for a set and 32 for a map.
That is what keeps an export's memory flat as the number of tasks grows.

A fingerprint is the first 8 bytes of BLAKE2b of the text. Two different
texts share one with odds of about n^2 / 2^65 (3 in 10^10 for 100,000
tasks); callers either verify a hit (the manifest re-reads the line) or err
on the safe side (a false clash is reported, never overwritten).
"""

from __future__ import annotations

import hashlib
from array import array

__all__ = ["FingerprintMap", "FingerprintSet", "fingerprint"]

_EMPTY = 0
_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


def fingerprint(text: str) -> int:
    """
    A 64-bit fingerprint of ``text``, stable across runs and never 0.
    """
    value = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")
    return value or 1


class _Table:
    __slots__ = ("_keys", "_mask", "_size")

    def __init__(self, capacity: int = 64) -> None:
        self._keys = array("Q", bytes(8 * capacity))
        self._mask = capacity - 1
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def _slot(self, key: int) -> int:
        # Fingerprints are already uniform; multiplying spreads any that are
        # not (tests use small numbers).
        index = ((key * _GOLDEN) & _MASK) >> 20 & self._mask
        keys = self._keys
        while True:
            found = keys[index]
            if found in (key, _EMPTY):
                return index
            index = (index + 1) & self._mask

    def _check(self, key: int) -> None:
        if not 0 < key <= _MASK:
            raise ValueError(f"a fingerprint is a non-zero 64-bit number, not {key!r}")


class FingerprintSet(_Table):
    """
    A set of non-zero 64-bit fingerprints.
    """

    __slots__ = ()

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, int) or not 0 < key <= _MASK:
            return False
        return self._keys[self._slot(key)] == key

    def add(self, key: int) -> bool:
        """
        Add ``key``; ``True`` if it was not there yet.
        """
        self._check(key)
        index = self._slot(key)
        if self._keys[index] == key:
            return False
        self._keys[index] = key
        self._size += 1
        if self._size * 2 > len(self._keys):
            self._grow()
        return True

    def _grow(self) -> None:
        old = self._keys
        self._keys = array("Q", bytes(16 * len(old)))
        self._mask = len(self._keys) - 1
        for key in old:
            if key != _EMPTY:
                self._keys[self._slot(key)] = key


class FingerprintMap(_Table):
    """
    A map from non-zero 64-bit fingerprints to 64-bit unsigned values.
    """

    __slots__ = ("_values",)

    def __init__(self, capacity: int = 64) -> None:
        super().__init__(capacity)
        self._values = array("Q", bytes(8 * capacity))

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, int) or not 0 < key <= _MASK:
            return False
        return self._keys[self._slot(key)] == key

    def get(self, key: int) -> int | None:
        """
        The value stored for ``key``, or ``None``.
        """
        if not 0 < key <= _MASK:
            return None
        index = self._slot(key)
        return self._values[index] if self._keys[index] == key else None

    def __setitem__(self, key: int, value: int) -> None:
        self._check(key)
        index = self._slot(key)
        if self._keys[index] != key:
            self._keys[index] = key
            self._size += 1
        self._values[index] = value
        if self._size * 2 > len(self._keys):
            self._grow()

    def _grow(self) -> None:
        old_keys, old_values = self._keys, self._values
        self._keys = array("Q", bytes(16 * len(old_keys)))
        self._values = array("Q", bytes(16 * len(old_keys)))
        self._mask = len(self._keys) - 1
        for key, value in zip(old_keys, old_values, strict=True):
            if key != _EMPTY:
                index = self._slot(key)
                self._keys[index] = key
                self._values[index] = value
