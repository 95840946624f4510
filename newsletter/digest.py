"""The daily digest: items that may be broadcast and have not gone out yet, recorded, then
delivered to each recipient once.

A run records the digest, its items and one pending delivery per recipient in one short
transaction, then sends outside any transaction, recording each delivery as it goes: a refused
address is recorded with the server's answer and the others still get the digest. A run that
stopped part-way (a crash, the mail server going away) leaves deliveries pending, and the next
run delivers them before it builds a new digest.

`manage.py send_newsletter` and the admin preview are thin faces of the functions here.
"""

from __future__ import annotations

import datetime
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import groupby

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString

from articles.models import Article, Section
from articles.presentation import copyright_line, credit_text, public_from_expression
from articles.vocabulary import Channel
from newsletter.models import Delivery, Digest, DigestItem, Subscriber
from pictures import showing

UNFILED = "More news"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
# The rendition a digest's picture is linked to, and the width the email shows it at (the
# message's column is 600 wide, less its padding).
PICTURE_WIDTH = 640
PICTURE_SHOWN_WIDTH = 576


class DigestError(Exception):
    """The digest could not be sent, or its sending stopped; the message says what was recorded."""


@dataclass(frozen=True)
class Photo:
    """A lead picture as the email shows it: an absolute address, its size, and its credit."""

    url: str
    width: int
    height: int
    alt: str
    credit: str


@dataclass(frozen=True)
class Entry:
    article: Article
    url: str
    credit: str
    copyright: str
    # Only where the picture's own rights allow broadcast (the newsletter's channel).
    photo: Photo | None = None


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
class Recipient:
    address: str
    # Set for subscribers, whose copy carries their unsubscribe link.
    subscriber_id: int | None = None


@dataclass(frozen=True)
class Refusal:
    address: str
    error: str


@dataclass(frozen=True)
class Report:
    """What one pass over a digest's recipients did."""

    subject: str
    sent: int = 0
    refused: list[Refusal] = field(default_factory=list)
    # Pending deliveries dropped because none of the digest's items may be broadcast any more.
    dropped: int = 0


@dataclass(frozen=True)
class DigestResult:
    since: datetime.datetime
    items: list[Article]
    recipients: list[str]
    # Rendered for a dry run or a test send, to show what goes out.
    content: DigestContent | None = None
    # Set once the digest has been recorded; None for a dry run, a test send or an empty digest.
    digest: Digest | None = None
    # How the new digest (or the test send) went.
    report: Report | None = None
    # Earlier digests whose pending deliveries this run finished first.
    resumed: list[Report] = field(default_factory=list)

    @property
    def sent(self) -> bool:
        return self.digest is not None

    @property
    def refused(self) -> list[Refusal]:
        reports = [*self.resumed, *([self.report] if self.report else [])]
        return [refusal for report in reports for refusal in report.refused]


def default_since(*, at: datetime.datetime) -> datetime.datetime:
    """Return the start of the look-back: NEWSLETTER_LOOKBACK_DAYS before `at`."""
    return at - datetime.timedelta(days=settings.NEWSLETTER_LOOKBACK_DAYS)


def _broadcastable(*, at: datetime.datetime):
    """Items that may be published and broadcast at `at`, newest first, bylines prefetched.

    An email has no reader's country, so `for_channel()` is asked with none: an item limited to
    territories is never broadcast.
    """
    return (
        Article.objects.for_channel(Channel.NEWSLETTER, at=at)
        .with_bylines()
        .select_related("lead_picture__source")
        .defer(*(f"lead_picture__{name}" for name in showing.NOT_READ))
        .order_by("-published_at", "-id")
    )


def digest_items(*, since: datetime.datetime, at: datetime.datetime | None = None) -> list[Article]:
    """Return what a digest chosen at `at` carries: items that may be published and broadcast
    then, public since `since` and in no earlier digest, newest first.

    Whether an item went out is read from the record, not from the time of the last digest, so
    an item whose rights are settled days after publication still goes out, as does one whose
    embargo lifts, as long as it became public within the window.
    """
    at = at or timezone.now()
    return list(
        _broadcastable(at=at)
        .alias(public_from=public_from_expression())
        .filter(public_from__gte=since, newsletter_items__isnull=True)
    )


def article_url(article: Article) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{article.get_absolute_url()}"


def _section_order(article: Article) -> tuple:
    section: Section | None = article.section
    if section is None:
        return (True, 0, "", 0)
    return (False, section.position, section.name, section.pk)


def photo(article: Article, *, at: datetime.datetime) -> Photo | None:
    """The story's lead picture for the email, where the picture may be broadcast at `at`. An
    email has no reader's country: a picture limited to territories is never sent."""
    picture = showing.lead_for(article, Channel.NEWSLETTER, at=at)
    if picture is None:
        return None
    rendition = showing.rendition_near(picture, PICTURE_WIDTH)
    width = min(PICTURE_SHOWN_WIDTH, rendition.width)
    return Photo(
        url=f"{settings.SITE_URL.rstrip('/')}{rendition.url}",
        width=width,
        height=showing.height_at(picture, width),
        alt=showing.alt_text(picture),
        credit=showing.credit_line(picture),
    )


def grouped(items: Iterable[Article], *, at: datetime.datetime | None = None) -> list[Group]:
    """Group the items by section in front-page order, unfiled ones last, keeping their order;
    each with its lead picture where the picture may be broadcast at `at` (now by default)."""
    at = at or timezone.now()
    ordered = sorted(items, key=_section_order)
    return [
        Group(
            title=section.name if section else UNFILED,
            entries=[
                Entry(
                    article=article,
                    url=article_url(article),
                    credit=credit_text(article),
                    copyright=copyright_line(article),
                    photo=photo(article, at=at),
                )
                for article in articles
            ],
        )
        for section, articles in groupby(ordered, key=lambda article: article.section)
    ]


def _day(at: datetime.datetime) -> str:
    return dateformat.format(timezone.localtime(at), "j F Y")


def digest_subject(count: int, *, at: datetime.datetime) -> str:
    return (
        f"{settings.SITE_NAME} digest, {_day(at)}: {count} {'story' if count == 1 else 'stories'}"
    )


def digest_context(
    items: Sequence[Article],
    *,
    at: datetime.datetime,
    judged_at: datetime.datetime | None = None,
) -> dict:
    """What the templates need, computed once for all of a digest's recipients. The pictures
    are judged at `judged_at` (by default `at`, the digest's own time)."""
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "subject": digest_subject(len(items), at=at),
        "day": _day(at),
        "count": len(items),
        "groups": grouped(items, at=judged_at or at),
    }


def render_content(context: dict, *, unsubscribe_url: str | None = None) -> DigestContent:
    """Render the subject and both parts, with the recipient's unsubscribe link if they have one."""
    context = {**context, "unsubscribe_url": unsubscribe_url}
    body = render_to_string("newsletter/includes/digest_body.html", context)
    return DigestContent(
        subject=context["subject"],
        text=render_to_string("newsletter/digest.txt", context),
        html=render_to_string("newsletter/digest.html", {**context, "body": body}),
        body=body,
    )


def render_digest(
    items: Sequence[Article], *, at: datetime.datetime, unsubscribe_url: str | None = None
) -> DigestContent:
    """Render the subject, the plain-text part and the HTML part of a digest of `items`."""
    return render_content(digest_context(items, at=at), unsubscribe_url=unsubscribe_url)


def unsubscribe_token(subscriber_id: int) -> str:
    return signing.dumps(subscriber_id, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(subscriber_id: int) -> str:
    path = reverse("newsletter:unsubscribe", args=[unsubscribe_token(subscriber_id)])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def build_message(
    content: DigestContent, *, to: str, unsubscribe_url: str | None = None
) -> EmailMultiAlternatives:
    """Address the digest to one recipient, so that no subscriber sees another's address.

    A subscriber's copy names its unsubscribe page in `List-Unsubscribe`, and offers the one-click
    POST of RFC 8058 that mail clients show as their own unsubscribe button.
    """
    headers = {}
    if unsubscribe_url:
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = EmailMultiAlternatives(content.subject, content.text, to=[to], headers=headers)
    message.attach_alternative(content.html, "text/html")
    return message


def recipients() -> list[Recipient]:
    """Return the active subscribers, else settings.NEWSLETTER_RECIPIENTS, one per mailbox."""
    found = [
        Recipient(email, pk)
        for pk, email in Subscriber.objects.filter(active=True).values_list("pk", "email")
    ]
    if not found:
        for address in settings.NEWSLETTER_RECIPIENTS:
            try:
                validate_email(address)
            except ValidationError:
                raise DigestError(
                    f"NEWSLETTER_RECIPIENTS: “{address}” is not an email address."
                ) from None
        found = [Recipient(address) for address in settings.NEWSLETTER_RECIPIENTS]
    one_each: dict[str, Recipient] = {}
    for recipient in found:
        # Mail servers treat the case of an address as one mailbox.
        one_each.setdefault(recipient.address.lower(), recipient)
    return list(one_each.values())


def _refusal(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{code} {answer.decode(errors='replace') if isinstance(answer, bytes) else answer}"
            for code, answer in error.recipients.values()
        )
    return str(error)


def _send_one(connection, message: EmailMultiAlternatives) -> str:
    """Send `message`; return "" if it went, or why its address was refused.

    Any other failure (the connection, the server) raises OSError: it is no one address's fault.
    """
    try:
        connection.send_messages([message])
    except (smtplib.SMTPRecipientsRefused, ValueError) as error:
        # ValueError: an address Django cannot put in a message header.
        return _refusal(error)
    return ""


def send_test(
    *,
    to: Iterable[str],
    since: datetime.datetime | None = None,
    at: datetime.datetime | None = None,
) -> DigestResult:
    """Send the next digest to `to` alone and record nothing: its items still go out as usual."""
    at = at or timezone.now()
    since = since if since is not None else default_since(at=at)
    items = digest_items(since=since, at=at)
    result = DigestResult(since=since, items=items, recipients=list(dict.fromkeys(to)))
    if not items:
        return result
    content = render_digest(items, at=at)
    refused = []
    try:
        with get_connection() as connection:
            for address in result.recipients:
                if error := _send_one(connection, build_message(content, to=address)):
                    refused.append(Refusal(address, error))
    except OSError as error:
        raise DigestError(f"The test send failed ({error}); nothing was recorded.") from error
    sent = len(result.recipients) - len(refused)
    return replace(result, content=content, report=Report(content.subject, sent, refused))


def pending_digests():
    """Digests with deliveries no run has taken up yet, oldest first, each with their number."""
    return (
        Digest.objects.filter(deliveries__attempted_at__isnull=True)
        .annotate(pending=Count("deliveries", filter=Q(deliveries__attempted_at__isnull=True)))
        .order_by("sent_at", "id")
    )


def _claim(delivery: Delivery) -> bool:
    """Take `delivery` up for this run; False if another run has taken it."""
    claimed = Delivery.objects.filter(pk=delivery.pk, attempted_at__isnull=True)
    return bool(claimed.update(attempted_at=timezone.now()))


def deliver(digest: Digest, *, at: datetime.datetime | None = None) -> Report:
    """Send `digest` to each of its pending deliveries, recording each outcome as it happens.

    Its items are judged again at `at`: an item whose rights lapsed since the digest was recorded
    is left out, and if none is left the pending deliveries are dropped. So are those to
    addresses that no longer want it: a subscriber who has unsubscribed or been deleted since, an
    address since taken out of NEWSLETTER_RECIPIENTS. If the connection fails, the delivery being
    sent and the rest stay pending for the next run.
    """
    at = at or timezone.now()
    digest.deliveries.pending().filter(
        Q(subscriber__active=False)
        | Q(subscriber__isnull=True) & ~Q(address__in=settings.NEWSLETTER_RECIPIENTS)
    ).delete()
    items = list(_broadcastable(at=at).filter(newsletter_items__digest=digest))
    if not items:
        dropped, _ = digest.deliveries.pending().delete()
        return Report(digest.subject, dropped=dropped)
    context = digest_context(items, at=digest.sent_at, judged_at=at)
    sent, refused = 0, []
    try:
        with get_connection() as connection:
            for delivery in list(digest.deliveries.pending()):
                if not _claim(delivery):
                    continue
                link = unsubscribe_url(delivery.subscriber_id) if delivery.subscriber_id else None
                content = render_content(context, unsubscribe_url=link)
                message = build_message(content, to=delivery.address, unsubscribe_url=link)
                try:
                    error = _send_one(connection, message)
                except OSError:
                    Delivery.objects.filter(pk=delivery.pk).update(attempted_at=None)
                    raise
                if error:
                    Delivery.objects.filter(pk=delivery.pk).update(error=error)
                    refused.append(Refusal(delivery.address, error))
                else:
                    Delivery.objects.filter(pk=delivery.pk).update(sent_at=timezone.now())
                    sent += 1
    except OSError as error:
        left = digest.deliveries.pending().count()
        raise DigestError(
            f"Sending “{digest.subject}” stopped ({error}) after {sent} "
            f"deliver{'y' if sent == 1 else 'ies'}; {left} still pending, which the next run "
            "delivers before anything new."
        ) from error
    return Report(digest.subject, sent, refused)


def record_digest(
    items: Sequence[Article], to: Sequence[Recipient], *, at: datetime.datetime
) -> Digest:
    """Record the digest, its items and a pending delivery per recipient, all or nothing."""
    try:
        with transaction.atomic():
            digest = Digest.objects.create(
                sent_at=at,
                subject=digest_subject(len(items), at=at),
                recipient_count=len(to),
            )
            DigestItem.objects.bulk_create(
                DigestItem(digest=digest, article=article) for article in items
            )
            Delivery.objects.bulk_create(
                Delivery(digest=digest, address=r.address, subscriber_id=r.subscriber_id)
                for r in to
            )
    except IntegrityError as error:
        raise DigestError(
            "Another digest took some of these items meanwhile; this one recorded and sent "
            "nothing. Run it again to send what is left."
        ) from error
    return digest


def send_digest(
    *,
    since: datetime.datetime | None = None,
    dry_run: bool = False,
    at: datetime.datetime | None = None,
) -> DigestResult:
    """Finish the pending deliveries of earlier digests, then record the digest of what may be
    broadcast at `at` (now by default) and has not gone out, and deliver it.

    The rights are judged afresh on each call. A dry run renders the digest and records nothing.
    """
    at = at or timezone.now()
    since = since if since is not None else default_since(at=at)
    resumed = [] if dry_run else [deliver(digest, at=at) for digest in pending_digests()]
    items = digest_items(since=since, at=at)
    result = DigestResult(since=since, items=items, recipients=[], resumed=resumed)
    if not items:
        return result
    to = recipients()
    result = replace(result, recipients=[r.address for r in to])
    if dry_run:
        return replace(result, content=render_digest(items, at=at))
    if not to:
        raise DigestError(
            "Nobody to send the digest to: add active subscribers, or set NEWSLETTER_RECIPIENTS."
        )
    digest = record_digest(items, to, at=at)
    return replace(result, digest=digest, report=deliver(digest, at=at))
