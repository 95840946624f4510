"""Text to words to hashed shingles, and winnowing: pure functions, no database.

Normalising (case, punctuation, accents' compatibility forms, markup) makes near copies hash
alike. Winnowing keeps the smallest hash in each window of shingles, which guarantees that any
shared run of `WINDOW + SHINGLE - 1` words shares at least one kept fingerprint.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import re
import unicodedata
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


_WORD_HASHES: dict[str, int] = {}
_WORD_HASHES_MAX = 200_000  # news copy reuses its vocabulary; forget it all past this


def word_hash(word: str) -> int:
    value = _WORD_HASHES.get(word)
    if value is None:
        if len(_WORD_HASHES) >= _WORD_HASHES_MAX:
            _WORD_HASHES.clear()
        value = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")
        _WORD_HASHES[word] = value
    return value


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
    known = _WORD_HASHES.get
    hashes = [known(w) or word_hash(w) for w in text_words]
    value = 0
    for h in hashes[:SHINGLE]:
        value = (value * _MULTIPLIER + h) & _MASK
    found = [value >> 1]  # fits a signed 64-bit column
    for i in range(SHINGLE, len(hashes)):
        value = ((value - hashes[i - SHINGLE] * _DROP) * _MULTIPLIER + hashes[i]) & _MASK
        found.append(value >> 1)
    return found


_POSITION_BITS = 24  # positions up to 16 million words


def winnow(hashes: Sequence[int], *, window: int = WINDOW) -> list[tuple[int, int]]:
    """Keep (hash, position) of the minimum in each window (rightmost on ties), each once.

    Each shingle becomes one integer key ordering by hash, then by later position, so the
    minimum of a window is one comparison of integers; window minima come from running minima
    within blocks of `window` from each side (van Herk, Gil and Werman), all at C speed.
    """
    n = len(hashes)
    if n == 0:
        return []
    top = (1 << _POSITION_BITS) - 1
    keys = [(h << _POSITION_BITS) | (top - i) for i, h in enumerate(hashes)]
    if n <= window:
        best = min(keys)
        return [(best >> _POSITION_BITS, top - (best & top))]
    from_left: list[int] = []
    from_right: list[int] = []
    for start in range(0, n, window):
        block = keys[start : start + window]
        from_left.extend(itertools.accumulate(block, min))
        from_right.extend(reversed(list(itertools.accumulate(reversed(block), min))))
    minima = list(map(min, from_right[: n - window + 1], from_left[window - 1 :]))
    kept = [key for key, before in zip(minima, [None, *minima], strict=False) if key != before]
    return [(key >> _POSITION_BITS, top - (key & top)) for key in kept]
