"""Who may do what: the permissions the workflow and the rights desk check, by codename."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

# Who may do what, by permission codename; the groups in migration 0002 hold them.
WHO_MAY = {
    "change_article": "reporters, editors and rights managers",
    "publish_article": "editors",
    "kill_article": "rights managers",
    "change_article_rights": "rights managers",
    "change_picture_rights": "rights managers",
    "override_refusal": "rights managers",
}


def require_permission(user, codename: str, *, to: str) -> None:
    """Raise PermissionDenied, naming who may, unless `user` holds `articles.<codename>`, or
    the permission named in full (`pictures.change_picture_rights`)."""
    app, _, bare = codename.rpartition(".")
    if user is not None and user.has_perm(f"{app or 'articles'}.{bare}"):
        return
    name = user.get_username() if user is not None and user.is_authenticated else ""
    raise PermissionDenied(
        f"Only {WHO_MAY[bare]} may {to}; {name or 'an anonymous visitor'} may not."
    )


def require_reason(reason: str, *, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(f"Give a reason for {what}: it is kept in the audit log.")
    return reason
