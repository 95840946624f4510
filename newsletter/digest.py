"""The daily digest: items that may be broadcast and have not gone out yet, rendered and sent once.

`manage.py send_newsletter` and the admin preview are thin faces of the functions here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString

from articles import metadata, ninjs
from articles.models import Article, Section
from articles.rights import Right, public_from
from newsletter.models import Digest, DigestItem, Subscriber

# How far back the very first digest reaches, when no earlier digest marks where to start.
FIRST_DIGEST_REACH = datetime.timedelta(days=1)
UNFILED = "More news"


class DigestError(Exception):
    """The digest could not be sent; nothing was recorded."""


@dataclass(frozen=True)
class Entry:
    article: Article
    url: str
    credit: str
    copyright: str


@dataclass(frozen=True)
class Group:
    title: str
    entries: list[Entry]


@dataclass(frozen=True)
class DigestContent:
    subject: str
    text: str
    html: str
    # The HTML part's body alone, for the admin preview to show inside its own page.
    body: SafeString


@dataclass(frozen=True)
class DigestResult:
    since: datetime.datetime
    items: list[Article]
    recipients: list[str]
    content: DigestContent | None = None
    # Set once the digest has been sent and recorded; None for a dry run or an empty digest.
    digest: Digest | None = None

    @property
    def sent(self) -> bool:
        return self.digest is not None


def default_since(*, at: datetime.datetime) -> datetime.datetime:
    """Return when the last digest chose its items, or a day before `at` if none has gone out."""
    last = Digest.objects.order_by("-sent_at").values_list("sent_at", flat=True).first()
    return last or at - FIRST_DIGEST_REACH


def digest_items(*, since: datetime.datetime, at: datetime.datetime | None = None) -> list[Article]:
    """Return what a digest chosen at `at` carries: items that may be published and broadcast,
    new since `since` and in no earlier digest, newest first.

    An email has no reader's country, so `permitting()` is asked with none: an item limited to
    territories is never broadcast. An embargo lifting since `since` counts as new, so an item
    published under embargo goes out once the embargo lifts.
    """
    at = at or timezone.now()
    return list(
        Article.objects.permitting(Right.PUBLISH, Right.BROADCAST, at=at)
        .alias(public_from=public_from())
        .filter(public_from__gte=since, newsletter_items__isnull=True)
        .with_bylines()
        .order_by("-published_at", "-id")
    )


def article_url(article: Article) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{article.get_absolute_url()}"


def _section_order(article: Article) -> tuple:
    section: Section | None = article.section
    if section is None:
        return (True, 0, "", 0)
    return (False, section.position, section.name, section.pk)


def grouped(items: Iterable[Article]) -> list[Group]:
    """Group the items by section in front-page order, unfiled ones last, keeping their order."""
    ordered = sorted(items, key=_section_order)
    return [
        Group(
            title=section.name if section else UNFILED,
            entries=[
                Entry(
                    article=article,
                    url=article_url(article),
                    credit=metadata.credit_text(article),
                    copyright=ninjs.copyright_line(article),
                )
                for article in articles
            ],
        )
        for section, articles in groupby(ordered, key=lambda article: article.section)
    ]


def render_digest(items: Sequence[Article], *, at: datetime.datetime) -> DigestContent:
    """Render the subject, the plain-text part and the HTML part of a digest of `items`."""
    day = dateformat.format(timezone.localtime(at), "j F Y")
    count = len(items)
    subject = f"{settings.SITE_NAME} digest, {day}: {count} {'story' if count == 1 else 'stories'}"
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "subject": subject,
        "day": day,
        "count": count,
        "groups": grouped(items),
    }
    body = render_to_string("newsletter/includes/digest_body.html", context)
    return DigestContent(
        subject=subject,
        text=render_to_string("newsletter/digest.txt", context),
        html=render_to_string("newsletter/digest.html", {**context, "body": body}),
        body=body,
    )


def build_message(content: DigestContent, *, to: str) -> EmailMultiAlternatives:
    """Address the digest to one recipient, so that no subscriber sees another's address."""
    message = EmailMultiAlternatives(content.subject, content.text, to=[to])
    message.attach_alternative(content.html, "text/html")
    return message


def recipients(to: Iterable[str] | None = None) -> list[str]:
    """Return `to` if given, else the active subscribers, else settings.NEWSLETTER_RECIPIENTS."""
    if to:
        return list(dict.fromkeys(to))
    subscribers = Subscriber.objects.filter(active=True).values_list("email", flat=True)
    return list(subscribers) or list(settings.NEWSLETTER_RECIPIENTS)


def send_digest(
    *,
    since: datetime.datetime | None = None,
    to: Iterable[str] | None = None,
    dry_run: bool = False,
    at: datetime.datetime | None = None,
) -> DigestResult:
    """Send the digest of what may be broadcast at `at` (now by default) and record its items.

    The rights are judged afresh on each call. The records are written in the transaction that
    sends, just before the send: if sending raises, they roll back and the items go out next
    time; and a run overlapping this one fails on the unique item constraint before it sends.
    """
    at = at or timezone.now()
    since = since if since is not None else default_since(at=at)
    items = digest_items(since=since, at=at)
    result = DigestResult(since=since, items=items, recipients=recipients(to))
    if not items:
        return result
    result = replace(result, content=render_digest(items, at=at))
    if dry_run:
        return result
    if not result.recipients:
        raise DigestError(
            "Nobody to send the digest to: give addresses, add active subscribers, or set "
            "NEWSLETTER_RECIPIENTS."
        )
    messages = [build_message(result.content, to=address) for address in result.recipients]
    try:
        with transaction.atomic():
            digest = Digest.objects.create(
                sent_at=at, subject=result.content.subject, recipient_count=len(messages)
            )
            DigestItem.objects.bulk_create(
                DigestItem(digest=digest, article=article) for article in items
            )
            with get_connection() as connection:
                connection.send_messages(messages)
    except IntegrityError as error:
        raise DigestError(
            "Another digest sent some of these items meanwhile; this one sent nothing. "
            "Run it again to send what is left."
        ) from error
    except OSError as error:
        raise DigestError(
            f"Sending the digest failed ({error}); nothing was recorded, so its items go out "
            "with the next run."
        ) from error
    return replace(result, digest=digest)
