"""The desk's middleware, which an anonymous reader's read of a public page goes around.

Sessions, sign-in, the second factor, messages and history's request serve the desk and its
forms; a public page (`page_cache.PUBLIC_ROUTES`: the pages, feeds, sitemaps and API)
reads none of them, and on a story they were a tenth of its time. Each of them is listed in
`settings.MIDDLEWARE` through `desk_only(path)`, which names the middleware itself and says
where it stands, so Django builds the chain, hooks and checks as ever: a class stays a
subclass of its own (the admin's checks look for those), a factory stays a factory. A request
goes around them only when it is GET or HEAD, for a public route, and carries neither the
session cookie nor an `Authorization` header: the same requests the page cache may serve. A
signed-in editor reading the site, every form's POST and every address outside the public
routes pass through all of them. CSRF and axes stay in the chain by their own names (the
deploy check and axes' look for those names; neither does anything for a read but accept it).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

from newsroom import page_cache

# A lane is decided once a request, however many of the desk's middleware ask.
_DECIDED = "_reader_lane"


def reads_public_page(request: HttpRequest) -> bool:
    """Whether `request` is an anonymous reader's GET or HEAD of a public page."""
    found = getattr(request, _DECIDED, None)
    if found is None:
        found = page_cache.anonymous_read(request) and page_cache.public_route(request) is not None
        setattr(request, _DECIDED, found)
    return found


def desk_only(path: str) -> type | Callable:
    """The middleware at `path`, gone around by an anonymous reader's read of a public page."""
    found = import_string(path)
    if inspect.isclass(found):

        class DeskOnly(found):
            def __call__(self, request: HttpRequest) -> HttpResponse:
                if reads_public_page(request):
                    return self.get_response(request)
                return super().__call__(request)

        DeskOnly.__name__ = DeskOnly.__qualname__ = found.__name__
        DeskOnly.__module__ = __name__
        DeskOnly.__doc__ = f"{path}, for the desk (newsroom.lanes)."
        return DeskOnly

    def factory(get_response: Callable[[HttpRequest], HttpResponse]):
        inner = found(get_response)

        def middleware(request: HttpRequest) -> HttpResponse:
            if reads_public_page(request):
                return get_response(request)
            return inner(request)

        return middleware

    factory.__doc__ = f"{path}, for the desk (newsroom.lanes)."
    return factory


SessionMiddleware = desk_only("django.contrib.sessions.middleware.SessionMiddleware")
AuthenticationMiddleware = desk_only("django.contrib.auth.middleware.AuthenticationMiddleware")
OTPMiddleware = desk_only("django_otp.middleware.OTPMiddleware")
MessageMiddleware = desk_only("django.contrib.messages.middleware.MessageMiddleware")
desk_session = desk_only("security.sessions.desk_session")
second_factor_gate = desk_only("security.second_factor.second_factor_gate")
HistoryRequestMiddleware = desk_only("simple_history.middleware.HistoryRequestMiddleware")
