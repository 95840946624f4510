"""Text to words to hashed shingles, and the few an item stores: pure functions, no database.

Normalising (case, punctuation, accents' compatibility forms, markup) makes near copies hash
alike. An item stores the shingle at every STRIDE-th word (a short item more often, so that it
stores at least MIN_STORED); a story is checked with all of its shingles, so any run of
`stride + SHINGLE - 1` words it shares with the item finds a stored one.
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
MIN_STORED = 12  # a short item stores this many, more densely: briefs are copied whole

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")
_ASCII_NON_WORD = str.maketrans({chr(c): " " for c in range(128) if not _WORD.match(chr(c))})


def words(text: str) -> list[str]:
    """The text's words (runs of `\\w`), lower-cased, in compatibility form, without markup.

    Most copy is ASCII once normalised: there, every character that is not a word character
    becomes a space and `str.split` does the rest, in C. Otherwise most tokens between spaces
    are one word already, which `str.isalnum` (the very test `\\w` makes, less the underscore)
    confirms; only the others go through the pattern. Property tests hold both equal to the
    pattern over the whole text; the ASCII path is about twice as fast as the token loop.
    """
    plain = unicodedata.normalize("NFKC", html.unescape(_TAG.sub(" ", text or ""))).casefold()
    if plain.isascii():
        return plain.translate(_ASCII_NON_WORD).split()
    found: list[str] = []
    add, split = found.append, found.extend
    for token in plain.split():
        if token.isalnum():
            add(token)
        else:
            split(_WORD.findall(token))
    return found


_blake2b = hashlib.blake2b


def shingle_hash(shingle: str) -> int:
    """A shingle's fingerprint: the first 8 bytes of BLAKE2b of its words joined by spaces.

    Shifted to fit a signed 64-bit column. Stable across processes and releases (the index
    stores it), and one C call per shingle, with no table to look words up in: an item's few
    stored shingles cost about as much as its words, where a rolling hash over per-word hashes
    cost twice that inside an ingest, in cache misses on the word table.
    """
    return int.from_bytes(_blake2b(shingle.encode(), digest_size=8).digest(), "big") >> 1


def shingles(text_words: Sequence[str]) -> list[int]:
    """Hash every SHINGLE-word run; index i is the shingle starting at word i."""
    last = len(text_words) - SHINGLE + 1
    return [shingle_hash(" ".join(text_words[i : i + SHINGLE])) for i in range(last)]


def stride(count: int) -> int:
    """Words between an item's stored shingles, for an item of `count` shingles.

    STRIDE, or less for an item under MIN_STORED * STRIDE shingles (about 250 words), so that
    it stores MIN_STORED: a shared run of `stride + SHINGLE - 1` words always finds one. An
    item of n words with k words altered keeps a run of (n - k) / (k + 1) words, so a brief of
    84 words (stride 7, runs of 11 found) is found with up to 6 words altered anywhere, a
    400-word item (stride 21) with up to 14.
    """
    return max(1, min(STRIDE, count // MIN_STORED))


def fingerprints(text_words: Sequence[str]) -> list[tuple[int, int]]:
    """The (hash, position) of every `stride()`-th shingle: what the index stores for an item.

    A shared run of `stride + SHINGLE - 1` words (at most GUARANTEED_RUN) holds `stride`
    consecutive shingles, so one of them starts at a multiple of the stride and is stored. A
    check looks up every shingle of its story, so the stored side needs no more: half the rows
    winnowing keeps for the same guarantee, and a hash per stored shingle, not per word.
    """
    n = len(text_words) - SHINGLE + 1
    if n <= 0:
        return []
    return [
        (shingle_hash(" ".join(text_words[i : i + SHINGLE])), i) for i in range(0, n, stride(n))
    ]
