"""Text to words to hashed shingles, and winnowing: pure functions, no database.

Normalising (case, punctuation, accents' compatibility forms, markup) makes near copies hash
alike. Winnowing keeps the smallest hash in each window of shingles, which guarantees that any
shared run of `WINDOW + SHINGLE - 1` words shares at least one kept fingerprint.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
import unicodedata
from collections import deque
from collections.abc import Sequence

SHINGLE = 5  # words per shingle
GUARANTEED_RUN = 25  # a run this long always shares a fingerprint
WINDOW = GUARANTEED_RUN - SHINGLE + 1

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The text's words, lower-cased, in compatibility form, without markup or punctuation."""
    plain = html.unescape(_TAG.sub(" ", text or ""))
    return _WORD.findall(unicodedata.normalize("NFKC", plain).casefold())


@functools.lru_cache(maxsize=100_000)
def word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")


_MULTIPLIER = 0x9E3779B97F4A7C15  # odd, so multiplying mixes every bit
_MASK = (1 << 64) - 1
_DROP = pow(_MULTIPLIER, SHINGLE - 1, 1 << 64)  # weight of the word leaving the window


def shingles(text_words: Sequence[str]) -> list[int]:
    """Hash every SHINGLE-word run; index i is the shingle starting at word i.

    A rolling polynomial hash over per-word hashes: each step costs a few integer operations,
    and the per-word hashes are cached, since news copy reuses its vocabulary.
    """
    if len(text_words) < SHINGLE:
        return []
    hashes = [word_hash(w) for w in text_words]
    value = 0
    for h in hashes[:SHINGLE]:
        value = (value * _MULTIPLIER + h) & _MASK
    found = [value >> 1]  # fits a signed 64-bit column
    for i in range(SHINGLE, len(hashes)):
        value = ((value - hashes[i - SHINGLE] * _DROP) * _MULTIPLIER + hashes[i]) & _MASK
        found.append(value >> 1)
    return found


def winnow(hashes: Sequence[int], *, window: int = WINDOW) -> list[tuple[int, int]]:
    """Keep (hash, position) of the minimum in each window (rightmost on ties), each once."""
    if len(hashes) <= window:
        if not hashes:
            return []
        low = min(range(len(hashes)), key=lambda i: (hashes[i], -i))
        return [(hashes[low], low)]
    kept: list[tuple[int, int]] = []
    candidates: deque[int] = deque()  # positions whose hashes rise from left to right
    last = -1
    for i, value in enumerate(hashes):
        while candidates and hashes[candidates[-1]] >= value:
            candidates.pop()
        candidates.append(i)
        if candidates[0] <= i - window:
            candidates.popleft()
        if i >= window - 1 and candidates[0] != last:
            last = candidates[0]
            kept.append((hashes[last], last))
    return kept
