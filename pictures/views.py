"""A picture's bytes for readers, by the same per-request rule as an article's page: the policy
asked now, for this reader's country; a refusal answers with its status and no bytes. A picture
served states its own text-and-data-mining reservation in its headers, as an article page does
(a refusal, like an article's, declares nothing: it carries nothing to mine)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles import reservations
from articles.caching import cache_until_change, never_cache_refusal
from articles.rights import decide, refusal_status
from articles.vocabulary import Channel, rights_for
from pictures.models import Picture
from pictures.renditions import KINDS, rendition


def refused(request: HttpRequest, status: int) -> HttpResponse:
    """A refusal: the status code alone. Like an article page's, it depends on the reader's
    country (a 451 for a territory), and says so."""
    request.reader.consulted = True
    response = HttpResponse(b"", status=status, content_type="text/plain; charset=utf-8")
    if status == 451:
        policy = request.build_absolute_uri(reverse("articles:rights-policy"))
        response.headers["Link"] = f'<{policy}>; rel="blocked-by"'
    return never_cache_refusal(response)


@require_safe
def picture(request: HttpRequest, pk: int, width: int, ext: str) -> HttpResponse:
    now = timezone.now()
    found = Picture.objects.select_related("source").filter(pk=pk).first()
    if found is None:
        return refused(request, 404)
    request.reader.consulted = True
    country = request.reader.country
    if not all(decide(found, r, at=now, country=country) for r in rights_for(Channel.PAGE)):
        return refused(request, refusal_status(found, at=now))
    if ext not in KINDS or width not in found.widths:
        return refused(request, 404)
    # Renditions are small: read whole, so that the conditional-GET middleware can tag them.
    with found.image.storage.open(rendition(found, width=width, ext=ext), "rb") as file:
        response = HttpResponse(file.read(), content_type=KINDS[ext][1])
    # TDMRep's reservation for the picture's own response, as an article page states its own.
    for name, value in reservations.declaration(found, absolute=request.build_absolute_uri).items():
        response.headers[name] = value
    return cache_until_change(response, at=now, article=found)
