"""What an article page tells machines: JSON-LD, Open Graph and robots directives (its TDMRep
reservation is `articles.reservations`'s).

Only built for items the page may show; refusal pages carry none of it.
"""

from __future__ import annotations

import datetime
import json

from django.conf import settings
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from articles import addresses, reservations
from articles.models import Article, Byline
from articles.presentation import (
    AUTHOR_ROLES,
    changed_at,
    copyright_holder,
    credit_text,
    licence_url,
    public_from,
)
from pictures import showing
from pictures.models import Picture

# schema.org properties for each byline role; everyone not named here is a contributor.
LD_ROLES = {
    **dict.fromkeys(AUTHOR_ROLES, "author"),
    Byline.Role.EDITING: "editor",
    Byline.Role.TRANSLATION: "translator",
}

# The escapes Django's json_script applies, so the data cannot close the <script> element early.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds")


def news_article(article: Article, *, request: HttpRequest, picture: Picture | None = None) -> dict:
    """The schema.org NewsArticle for one article page; `picture`, the lead picture the page
    shows (never one its rights keep off it), as its `image`."""
    url = request.build_absolute_uri(article.get_absolute_url())
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": url,
        "url": url,
        "headline": article.headline,
        "inLanguage": article.language,
        "datePublished": iso(public_from(article)),
        "dateModified": iso(changed_at(article)),
        "isAccessibleForFree": True,
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": request.build_absolute_uri(addresses.route("articles:front")),
        },
        "sourceOrganization": {
            "@type": "Organization",
            "name": article.source.credit,
            "url": request.build_absolute_uri(article.source.get_absolute_url()),
        },
        "copyrightHolder": {"@type": "Organization", "name": copyright_holder(article)},
        "creditText": credit_text(article),
    }
    if article.standfirst:
        data["description"] = article.standfirst
    if article.dateline:
        data["dateline"] = article.dateline
    if article.section:
        data["articleSection"] = article.section.name
    if article.keywords:
        # A list, not schema.org's comma-separated text: a keyword may hold a comma itself.
        data["keywords"] = list(article.keywords)
    if article.copyright_year:
        data["copyrightYear"] = article.copyright_year
    if article.copyright_notice:
        data["copyrightNotice"] = article.copyright_notice
    if licence := licence_url(article):
        data["license"] = licence
    # schema.org has no term for mining: the policy as `usageInfo`, and IPTC's (PLUS) DataMining
    # by its full IRI, which JSON-LD reads beside the schema.org context.
    if reservations.is_reserved(article):
        data["usageInfo"] = reservations.policy_url(request.build_absolute_uri)
    data[reservations.PLUS_DATA_MINING] = {"@id": reservations.data_mining_uri(article)}
    for byline in article.bylines.all():
        people = data.setdefault(LD_ROLES.get(byline.role, "contributor"), [])
        person = {
            "@type": "Person",
            "name": byline.person.name,
            "url": request.build_absolute_uri(byline.person.get_absolute_url()),
        }
        if person not in people:
            people.append(person)
    if picture is not None:
        data["image"] = image_object(picture, request=request)
    return data


def image_object(picture: Picture, *, request: HttpRequest) -> dict:
    """The picture as a schema.org ImageObject with its own rights, as Google's image metadata
    reads them: holder, credit, notice, licence and creators."""
    largest = showing.renditions(picture)[-1]
    data: dict = {
        "@type": "ImageObject",
        "url": request.build_absolute_uri(largest.url),
        "contentUrl": request.build_absolute_uri(largest.url),
        "width": largest.width,
        "height": largest.height,
        "encodingFormat": largest.content_type,
        "copyrightHolder": {"@type": "Organization", "name": showing.holder(picture)},
        "creditText": showing.credit(picture),
        "copyrightNotice": picture.copyright_notice or showing.credit_line(picture),
    }
    if picture.caption:
        data["caption"] = picture.caption
    if picture.title:
        data["name"] = picture.title
    if picture.copyright_year:
        data["copyrightYear"] = picture.copyright_year
    if licence := showing.licence_url(picture):
        data["license"] = licence
    if picture.web_statement:
        # The web statement of rights is where a licence to the picture is had.
        data["acquireLicensePage"] = picture.web_statement
    if picture.creators:
        data["creator"] = [{"@type": "Person", "name": name} for name in picture.creators]
    else:
        data["creator"] = [{"@type": "Organization", "name": showing.credit(picture)}]
    return data


def ld_json_script(data: dict) -> SafeString:
    """`data` as a <script type="application/ld+json"> element, escaped as json_script escapes."""
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def open_graph(
    article: Article, *, request: HttpRequest, picture: Picture | None = None
) -> list[tuple[str, str]]:
    """Open Graph properties, in the order crawlers expect them; the lead picture the page
    shows, if any, as `og:image`."""
    tags = [
        ("og:type", "article"),
        ("og:site_name", settings.SITE_NAME),
        ("og:title", article.headline),
        ("og:url", request.build_absolute_uri(article.get_absolute_url())),
    ]
    if article.standfirst:
        tags.append(("og:description", article.standfirst))
    if picture is not None:
        large = showing.rendition_near(picture, 1200)
        tags += [
            ("og:image", request.build_absolute_uri(large.url)),
            ("og:image:type", large.content_type),
            ("og:image:width", str(large.width)),
            ("og:image:height", str(large.height)),
            ("og:image:alt", showing.alt_text(picture)),
        ]
    tags.append(("article:published_time", iso(public_from(article))))
    tags.append(("article:modified_time", iso(changed_at(article))))
    if article.section:
        tags.append(("article:section", article.section.name))
    tags += [("article:tag", keyword) for keyword in article.keywords]
    if article.rights_expire_at:
        tags.append(("article:expiration_time", iso(article.rights_expire_at)))
    return tags


def rfc850(moment: datetime.datetime) -> str:
    """A time as RFC 850 writes it, "Sunday, 06-Nov-94 08:49:37 GMT", whatever the locale."""
    moment = moment.astimezone(datetime.UTC)
    return (
        f"{_WEEKDAYS[moment.weekday()]}, {moment.day:02d}-{_MONTHS[moment.month - 1]}-"
        f"{moment:%y %H:%M:%S} GMT"
    )


def robots_directives(article: Article) -> str:
    """Directives for crawlers, for the robots meta tag and the X-Robots-Tag header alike."""
    directives = []
    if article.no_archive:
        directives.append("noarchive")
    if article.rights_expire_at is not None:
        directives.append(f"unavailable_after: {rfc850(article.rights_expire_at)}")
    return ", ".join(directives)
