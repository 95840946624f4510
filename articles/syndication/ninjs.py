"""Articles as ninjs, the IPTC's JSON news format, for partners: 3.1 by default, 2.2 on request.

Every item states its rights twice: in words (`copyrightNotice`, `usageTerms`) and as an ODRL
policy in `rightsInfo`, which a partner's system can read without a person. Both say whether the
item is reserved from text and data mining (`articles.reservations`): ninjs has no field of its
own for it, so the policy uses TDMRep's ODRL action, `tdm:mine`.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings

from articles import addresses, reservations, surrogates
from articles.models import Article
from articles.presentation import (
    changed_at,
    copyright_holder,
    copyright_line,
    credit_text,
    item_uri,
    utc_timestamp,
)
from articles.vocabulary import Right
from pictures import showing
from pictures.models import Picture

VERSIONS = ("3.1", "2.2")
DEFAULT_VERSION = "3.1"
SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_{version}.json#"

ODRL = "http://www.w3.org/ns/odrl/2/"
# TDMRep's ODRL profile names mining `tdm:mine` (http://www.w3.org/ns/tdmrep#mine).
TDMREP = "http://www.w3.org/ns/tdmrep#"
MINE = "tdm:mine"
# The ODRL action that stands for each of our rights.
ODRL_ACTIONS = {
    Right.PUBLISH: "display",
    Right.BROADCAST: "stream",
    Right.REWRITE: "modify",
    Right.REDISTRIBUTE: "distribute",
}
# IPTC's vocabulary of ISO 3166-1 alpha-2 codes, as RightsML names territories.
COUNTRY_CV = "http://cvx.iptc.org/iso3166-1a2/"

Absolute = Callable[[str], str]


def usage_terms(article: Article, *, absolute: Absolute) -> str:
    """Our rights in the item, in words, with their limits in place and time, and whether it may
    be mined."""
    granted = [right.noun for right in Right if article.grants(right)]
    withheld = [right.noun for right in Right if not article.grants(right)]
    terms = [f"{settings.SITE_NAME} holds the rights of {', '.join(granted) or 'no use'}."]
    if withheld:
        terms.append(f"Not granted: {', '.join(withheld)}.")
    if article.territories:
        terms.append(f"Only in {', '.join(sorted(article.territories))} (ISO 3166-1).")
    if article.excluded_territories:
        terms.append(f"Not in {', '.join(sorted(article.excluded_territories))} (ISO 3166-1).")
    if article.rights_start_at:
        terms.append(f"The rights begin at {utc_timestamp(article.rights_start_at)}.")
    if article.rights_expire_at:
        terms.append(f"The rights end at {utc_timestamp(article.rights_expire_at)}.")
    if article.usage_terms:
        terms.append(f"The source's terms: {article.usage_terms}")
    if reservations.is_reserved(article):
        terms.append(
            "Text and data mining is reserved (W3C TDMRep tdm-reservation 1); a licence to "
            f"mine it: {reservations.policy_url(absolute)}"
        )
    else:
        terms.append("Text and data mining is not reserved (W3C TDMRep tdm-reservation 0).")
    return " ".join(terms)


def odrl_policy(article: Article, *, absolute: Absolute) -> dict:
    """The item's rights as an ODRL 2.2 offer: a permission per right held, a prohibition per other.

    Territories (those it is limited to, and those it may not reach) and its window (start and
    expiry) become constraints on each permission: ODRL's `isAnyOf` and `isNoneOf` on `spatial`,
    `gteq` and `lt` on `dateTime`. Mining (`tdm:mine`) comes last: a prohibition where the item
    is reserved, else a permission.
    """
    constraints = []
    for codes, operator in (
        (article.territories, "isAnyOf"),
        (article.excluded_territories, "isNoneOf"),
    ):
        if codes:
            constraints.append(
                {
                    "leftOperand": "spatial",
                    "operator": operator,
                    "rightOperand": [COUNTRY_CV + code for code in sorted(codes)],
                }
            )
    if article.rights_start_at:
        constraints.append(
            {
                "leftOperand": "dateTime",
                "operator": "gteq",
                "rightOperand": {
                    "@value": utc_timestamp(article.rights_start_at),
                    "@type": "xsd:dateTime",
                },
            }
        )
    if article.rights_expire_at:
        constraints.append(
            {
                "leftOperand": "dateTime",
                "operator": "lt",
                "rightOperand": {
                    "@value": utc_timestamp(article.rights_expire_at),
                    "@type": "xsd:dateTime",
                },
            }
        )
    policy: dict = {
        "@context": ["http://www.w3.org/ns/odrl.jsonld", {"tdm": TDMREP}],
        "@type": "Offer",
        "uid": absolute(addresses.plain_path("syndication:api-item", "uri", item_uri(article)))
        + "#rights",
        "target": item_uri(article),
        "assigner": absolute("/"),
        "permission": [],
        "prohibition": [],
    }
    for right in Right:
        if article.grants(right):
            rule = {"action": ODRL_ACTIONS[right]}
            if constraints:
                rule["constraint"] = constraints
            policy["permission"].append(rule)
        else:
            policy["prohibition"].append({"action": ODRL_ACTIONS[right]})
    mining = "prohibition" if reservations.is_reserved(article) else "permission"
    policy[mining].append({"action": MINE})
    return policy


def serialise(
    article: Article,
    *,
    absolute: Absolute,
    version: str = DEFAULT_VERSION,
    picture: Picture | None = None,
    body: str | None = None,
) -> dict:
    """The article as one ninjs object of `version`.

    `absolute` makes a path absolute (`request.build_absolute_uri`). Expects the article from
    `Article.objects.permitting(...).with_bylines()`, so that reading it costs no query.
    `picture` is its lead picture where the caller found the picture's own rights allow the
    API's channel (publication and redistribution): carried in `associations`. `body` is its
    body with the pictures placed in it where their own rights allow the API
    (`pictures.placing.render`); without it the body goes as stored.
    """
    surrogates.name(article)
    source = article.source
    item: dict = {
        "standard": {"name": "ninjs", "version": version, "schema": SCHEMA.format(version=version)},
        "uri": item_uri(article),
        "type": "text",
        "representationType": "full",
        "version": str(article.version),
        "firstCreated": utc_timestamp(article.created_at),
        "versionCreated": utc_timestamp(changed_at(article)),
        "pubStatus": "usable",
        "language": article.language,
        "headlines": [{"role": "main", "contentType": "text/plain", "value": article.headline}],
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "value": article.body if body is None else body,
            }
        ],
        "by": credit_text(article),
        "copyrightHolder": copyright_holder(article),
        "copyrightNotice": copyright_line(article),
        "usageTerms": usage_terms(article, absolute=absolute),
        "rightsInfo": {
            "langId": ODRL,
            "encodedRights": json.dumps(odrl_policy(article, absolute=absolute)),
        },
        "infoSources": [
            {
                "name": source.name,
                "role": "originating",
                "uri": absolute(source.get_absolute_url()),
                "literal": source.slug,
            }
        ],
    }
    if article.standfirst:
        item["descriptions"] = [
            {"role": "summary", "contentType": "text/plain", "value": article.standfirst}
        ]
    if article.dateline:
        item["located"] = article.dateline
    people = []
    for byline in article.bylines.all():
        person = {
            "name": byline.person.name,
            "rel": byline.role,
            "uri": absolute(byline.person.get_absolute_url()),
            "literal": byline.person.slug,
        }
        if person not in people:
            people.append(person)
    if people:
        item["people"] = people
    subjects = [{"name": keyword} for keyword in article.keywords]
    if article.section:
        subjects.insert(
            0,
            {
                "name": article.section.name,
                "rel": "section",
                "uri": absolute(article.section.get_absolute_url()),
                "literal": article.section.slug,
            },
        )
    if subjects:
        item["subjects"] = subjects
    if item["uri"] != article.guid:
        item["altIds"] = [{"role": "guid", "value": article.guid}]
    if picture is not None:
        item["associations"] = [association(picture, absolute=absolute, version=version)]
    return item if version == "3.1" else _lower_keys(item)


def association(picture: Picture, *, absolute: Absolute, version: str) -> dict:
    """The lead picture as an associated ninjs object of type picture: its renditions (JPEG and
    WebP at each width), caption, credit and its own rights."""
    surrogates.name(picture)
    renditions = [
        {
            "name": f"{r.width}-{r.ext}",
            "href": absolute(r.url),
            "contentType": r.content_type,
            "width": r.width,
            "height": r.height,
        }
        for ext in ("jpg", "webp")
        for r in showing.renditions(picture, ext=ext)
    ]
    associated: dict = {
        "name": "lead picture",
        "uri": item_uri(picture),
        "type": "picture",
        "representationType": "full",
        "version": str(picture.version),
        "firstCreated": utc_timestamp(picture.created_at),
        "versionCreated": utc_timestamp(picture.updated_at),
        "pubStatus": "usable",
        "by": showing.credit(picture),
        "copyrightHolder": showing.holder(picture),
        "copyrightNotice": picture.copyright_notice or showing.copyright_of(picture),
        "renditions": renditions,
    }
    if version == "3.1":
        associated["rel"] = "lead picture"  # ninjs 2.x has no `rel` for an association
    if picture.title:
        associated["headlines"] = [
            {"role": "main", "contentType": "text/plain", "value": picture.title}
        ]
    if picture.caption:
        associated["descriptions"] = [
            {"role": "caption", "contentType": "text/plain", "value": picture.caption}
        ]
    if picture.usage_terms:
        associated["usageTerms"] = picture.usage_terms
    if picture.creators:
        associated["people"] = [{"name": name, "rel": "photographer"} for name in picture.creators]
    return associated


def _lower_keys(value):
    """ninjs 2.x spells every property in lower case; 3.0 changed only the spelling to camelCase."""
    if isinstance(value, dict):
        return {key.lower(): _lower_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_lower_keys(item) for item in value]
    return value
