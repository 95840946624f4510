"""What a preview of an item is, for the desk's preview and the signed link a colleague opens
without the desk: the reader's page under a banner that says whether it may be published now.

The link's token is the item's id signed with a salt of its own and a timestamp, so it opens one
item for `PREVIEW_LINK_HOURS` and cannot be turned into a link to another.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

from articles import presentation
from articles.actions import publish_gate
from articles.models import Article
from articles.rights import Decision, decide
from articles.sanitise import clean_html
from articles.vocabulary import Right, Status
from pictures import placing

SALT = "articles.preview-link"
# The policy's reasons about the reader's country, which a preview does not have.
READER_REASONS = ("It may be shown only in", "It may not be shown in")


def preview_token(pk: int) -> str:
    return signing.dumps(int(pk), salt=SALT)


def preview_path(pk: int) -> str:
    """The signed link's path to item `pk`: open to anyone who has it, for `PREVIEW_LINK_HOURS`."""
    return reverse("articles:preview", args=[preview_token(pk)])


def link_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.PREVIEW_LINK_HOURS)


def previewed(token: str) -> tuple[int, datetime.datetime]:
    """The id a token opens and when the link stops working; `signing.SignatureExpired` once it
    is too old, `signing.BadSignature` if it was not made here or was changed."""
    pk = signing.loads(token, salt=SALT, max_age=link_lifetime())
    if not isinstance(pk, int) or isinstance(pk, bool):
        raise signing.BadSignature("A preview token holds an item's id.")
    # The signature holds, so its timestamp (the part before the signature) is ours.
    signed_at = signing.b62_decode(token.rsplit(":", 2)[1])
    return pk, datetime.datetime.fromtimestamp(signed_at, tz=datetime.UTC) + link_lifetime()


def is_killed(article: Article) -> bool:
    return article.status == Status.KILLED


def preview_context(article: Article) -> dict:
    """The reader's page of `article`, with the banner's verdict: whether readers see it now, and
    whether the publish gate (rights and the copy check) would let it be published now.

    The body is made safe again here rather than trusted as stored; each picture placed in it is
    shown where the public page would show it to some reader (`placing.render_preview`).
    """
    article.body = clean_html(article.body)
    decision, gate = decide(article, Right.PUBLISH), publish_gate(article)
    return {
        "article": article,
        "body": placing.render_preview(article.body),
        "robots": "noindex, nofollow",
        "copyright_holder": presentation.copyright_holder(article),
        "decision": decision,
        "held_back": held_back(decision, gate),
        "gate": gate,
    }


def held_back(decision: Decision, gate: Decision) -> list[str]:
    """What keeps it from readers besides what the gate says (the workflow, an embargo, the
    window): the gate's reasons are said once, on their own line. Where it may be shown depends
    on the reader's country, which a preview has none of, so that is left to the desk's panel."""
    return [
        reason
        for reason in decision.reasons
        if reason not in gate.reasons and not reason.startswith(READER_REASONS)
    ]
