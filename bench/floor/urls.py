"""One address: /bytes/<N>/, a page of exactly N bytes of HTML."""

from functools import cache

from django.http import HttpRequest, HttpResponse
from django.urls import path

LARGEST = 10_000_000


@cache
def body(size: int) -> bytes:
    """An HTML page of `size` bytes: a minimal document padded with paragraphs of text."""
    head = b"<!DOCTYPE html><html lang=en><title>Floor</title><body>"
    tail = b"</body></html>"
    filler = size - len(head) - len(tail)
    if filler < 0:
        return (head + tail)[:size]
    text = (b"<p>" + b"x" * 96 + b"</p>\n") * (filler // 104 + 1)
    return head + text[:filler] + tail


def page(request: HttpRequest, size: int) -> HttpResponse:
    if size > LARGEST:
        return HttpResponse(f"At most {LARGEST:,} bytes.", status=400, content_type="text/plain")
    return HttpResponse(body(size), content_type="text/html; charset=utf-8")


urlpatterns = [path("bytes/<int:size>/", page)]
