"""Whether an item's rights are reserved from text and data mining, decided once for every channel.

The page's TDMRep headers and meta, `/.well-known/tdmrep.json`, the ninjs item, the JSON-LD and a
picture's `plus:DataMining` all ask `is_reserved()`. Agency, partner and freelance copy is
reserved: its rights are its source's, and we hold none to grant miners. Staff copy is reserved
while `settings.TDM_RESERVE_STAFF` holds (the default). Either is free to mine only where the copy
states a licence that lets anyone reuse and adapt it for any purpose (CC BY, CC BY-SA, CC0).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from django.conf import settings

from articles import addresses
from articles.notices import CopyTerms, KnownLicence
from articles.vocabulary import Right, SourceKind

# TDMRep's two properties (W3C TDM Reservation Protocol, Final Community Group Report, 2024), as
# HTTP header fields, HTML meta names and the keys of tdmrep.json's rules.
RESERVATION = "tdm-reservation"
POLICY = "tdm-policy"

# IPTC Photo Metadata's "Data Mining" property (PLUS `plus:DataMining`) and its values.
PLUS_DATA_MINING = "http://ns.useplus.org/ldf/xmp/1.0/DataMining"
PLUS_VOCABULARY = "http://ns.useplus.org/ldf/vocab/"
# Reserved, as robots.txt says it: search engines may index the page, nothing else may mine it.
DMI_RESERVED = PLUS_VOCABULARY + "DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING"
DMI_ALLOWED = PLUS_VOCABULARY + "DMI-ALLOWED"

Absolute = Callable[[str], str]


class Source(Protocol):
    name: str
    kind: str


class Item(Protocol):
    """What the rule reads of an item: its source and what its copy said of its rights.

    An article is one; a picture with a `source` and stored `terms` is judged alike.
    """

    source: Source

    @property
    def terms(self) -> CopyTerms: ...


def mining_licence(item: Item) -> KnownLicence | None:
    """The licence the copy states, where it lets anyone mine the item: one that grants every
    right (reuse and adaptation for any purpose) and needs no person's judgement.

    A non-commercial licence is not one (mining to train a model is commonly commercial), nor
    one without derivatives: whether a trained model is an adaptation is unsettled, so the
    rightsholder's reservation is kept.
    """
    licence = item.terms.notice.licence
    if licence is not None and licence.settled and licence.grants >= set(Right):
        return licence
    return None


def is_reserved(item: Item) -> bool:
    """Whether `item` is reserved from text and data mining."""
    if mining_licence(item) is not None:
        return False
    if item.source.kind != SourceKind.STAFF:
        return True
    return settings.TDM_RESERVE_STAFF


def data_mining_uri(item: Item) -> str:
    """The PLUS DataMining value for `item`, as a picture's XMP `plus:DataMining` carries it."""
    return DMI_RESERVED if is_reserved(item) else DMI_ALLOWED


def policy_url(absolute: Absolute) -> str:
    """Where a miner learns how to ask for a licence: `settings.TDM_POLICY_URL`, else the mining
    section of our rights page (human-readable, as TDMRep allows), made absolute by `absolute`."""
    own = absolute(addresses.route("articles:rights-policy")) + "#text-and-data-mining"
    return settings.TDM_POLICY_URL or own


def declaration(item: Item, *, absolute: Absolute) -> dict[str, str]:
    """TDMRep's properties for `item`'s own page, for its HTTP headers and its meta alike.

    Always stated, 1 or 0, so the page speaks for itself over the site-wide file; a policy only
    with a reservation (TDMRep: agents do not read one beside 0).
    """
    if is_reserved(item):
        return {RESERVATION: "1", POLICY: policy_url(absolute)}
    return {RESERVATION: "0"}


def site_rules(*, absolute: Absolute) -> list[dict]:
    """The rules of `/.well-known/tdmrep.json`: every location reserved, with the policy.

    Paths cannot tell agency copy from staff copy (both are `/news/<slug>/`), and lists, search,
    feeds and the API carry agency headlines and text among ours, so the file reserves the whole
    site; each article page states its own reservation in its headers and meta, which TDMRep
    makes supersede the file, and an item free to mine says 0 there.
    """
    return [{"location": "/", RESERVATION: 1, POLICY: policy_url(absolute)}]
