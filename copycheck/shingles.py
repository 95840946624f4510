"""Text to words to hashed shingles, and the few an item stores: pure functions, no database.

Normalising (case, punctuation, accents' compatibility forms, markup) makes near copies hash
alike. An item stores the shingle at every STRIDE-th word; a story is checked with all of its
shingles, so any run of `STRIDE + SHINGLE - 1` words it shares with the item finds a stored one.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Sequence

SHINGLE = 5  # words per shingle
GUARANTEED_RUN = 25  # a run this long always shares a fingerprint
STRIDE = GUARANTEED_RUN - SHINGLE + 1  # words between stored shingles

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The text's words (runs of `\\w`), lower-cased, in compatibility form, without markup.

    Most tokens between spaces are one word already, which `str.isalnum` (the very test `\\w`
    makes, less the underscore) confirms at C speed; only the others go through the pattern.
    That is about a third faster than the pattern over the whole text.
    """
    plain = html.unescape(_TAG.sub(" ", text or ""))
    found: list[str] = []
    add, split = found.append, found.extend
    for token in unicodedata.normalize("NFKC", plain).casefold().split():
        if token.isalnum():
            add(token)
        else:
            split(_WORD.findall(token))
    return found


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


def fingerprints(text_words: Sequence[str]) -> list[tuple[int, int]]:
    """The (hash, position) of every STRIDE-th shingle: what the index stores for an item.

    A shared run of GUARANTEED_RUN words holds STRIDE consecutive shingles, so one of them
    starts at a multiple of STRIDE and is stored. A check looks up every shingle of its story,
    so the stored side needs no more: half the rows winnowing keeps for the same guarantee,
    and a few dozen integer operations instead of a hash per word.
    """
    n = len(text_words) - SHINGLE + 1
    if n <= 0:
        return []
    known = _WORD_HASHES.get
    found = []
    for position in range(0, n, STRIDE):
        value = 0
        for word in text_words[position : position + SHINGLE]:
            value = (value * _MULTIPLIER + (known(word) or word_hash(word))) & _MASK
        found.append((value >> 1, position))
    return found
