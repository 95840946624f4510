"""The picture desk: a library with thumbnails, filtered by rights, source and expiry; an upload
page for several files at once; a change form that says the rights in words and shows, beside
the picture, any protected original it copies.

Rights come from the file and our licences, as for articles; a rights manager may set them by
hand, with a reason, and override the publish gate's refusal (`pictures.admin.rights`).
Thumbnails are served by the desk itself to those who may view pictures, blocked ones too; the
public address serves only what readers may see.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from articles.rights import clearance
from articles.sanitise import picture_id
from articles.vocabulary import RIGHTS_FIELDS as ITEM_RIGHTS_FIELDS
from articles.vocabulary import Basis, Right
from pictures import placing, showing
from pictures.admin.filters import ExpiryFilter, RightsFilter
from pictures.admin.rights import (
    CHANGES_RIGHTS,
    PictureForm,
    copy_panel,
    override_offered,
    override_view,
    save_rights_by_hand,
)
from pictures.admin.upload import upload
from pictures.models import Picture
from pictures.renditions import rendition

THUMBNAIL_WIDTH = 320
# The most pictures the body editor's "Insert picture" lists at once, and the most placed
# pictures it asks about at once.
PLACEABLE = 40
MOST_PLACED = 200


def thumbnail_url(picture: Picture) -> str:
    return reverse("admin:pictures_picture_thumbnail", args=[picture.pk])


def placed_ids(value: str) -> list[int]:
    """The picture ids of `?ids=3,1,2`, each once, in order; a ValueError that names the bad
    one otherwise."""
    if not value.strip():
        raise ValueError("ids: no picture number given (write them as 3,1,2).")
    ids = []
    for part in value.split(","):
        number = picture_id(part.strip())
        if number is None:
            raise ValueError(f"ids: “{part.strip()[:40]}” is not a picture number.")
        ids.append(number)
    ids = list(dict.fromkeys(ids))
    if len(ids) > MOST_PLACED:
        raise ValueError(f"ids: at most {MOST_PLACED} pictures at once, not {len(ids)}.")
    return ids


def placeable(picture: Picture, *, at) -> dict:
    """A picture as the body editor shows it: the channels that carry it now and, where the
    public pages do not show it (or show it only to some readers), the policy's reason."""
    judged = showing.carriage(picture, at=at)
    if judged.shown:
        note = ""
    elif judged.per_reader:
        note = f"Shows on the public pages only to some readers: {judged.page.explanation}"
    else:  # every channel needs publication, so none carries what the page may not show
        note = f"Will not show on the public pages or anywhere else: {judged.page.explanation}"
    return {
        "id": picture.pk,
        "title": str(picture),
        "credit": showing.credit_line(picture),
        "thumbnail": thumbnail_url(picture),
        "carried": [showing.CHANNEL_WORDS[c] for c in judged.carried],
        "note": note,
    }


# What a rights manager edits (the article desk's rights fields), then what the file and the
# derivation say, read-only for everyone.
READ_ONLY_RIGHTS = [
    "credit_line", "photographers", "web_statement", "data_mining", "licensor", "rights_from",
    "licence", "rights_set_by_hand", "rights_explanation",
]  # fmt: skip
RIGHTS_FIELDSET = [
    "rights_in_words", "source", ("copyright_holder", "copyright_year"), "copyright_notice",
    "usage_terms", ("may_publish", "may_broadcast", "may_rewrite", "may_redistribute"),
    "rights_settled", ("territories", "excluded_territories"),
    ("rights_start_at", "rights_expire_at"), "no_archive", *READ_ONLY_RIGHTS, "reason",
]  # fmt: skip
FILE_FIELDS = ["image", "format", "width", "height", "content_hash", "guid", "version"]


@admin.register(Picture)
class PictureAdmin(SimpleHistoryAdmin):
    list_display = [
        "thumbnail", "__str__", "source", "status", "rights", "rights_expire_at",
    ]  # fmt: skip
    list_display_links = ["thumbnail", "__str__"]
    list_filter = [RightsFilter, ExpiryFilter, "status", "source"]
    search_fields = ["title", "caption", "guid", "credit_line", "copyright_holder"]
    list_select_related = ["source"]
    list_per_page = 50
    form = PictureForm
    readonly_fields = [
        "preview", "copied_from", "rights_in_words", "status", "published_at",
        *READ_ONLY_RIGHTS, *FILE_FIELDS,
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["preview", "copied_from"]}),
        ("Rights", {"fields": RIGHTS_FIELDSET}),
        (None, {"fields": ["title", "caption", "status", "published_at"]}),
        ("Embargo", {"fields": ["embargo_until"]}),
        ("File", {"fields": FILE_FIELDS}),
    ]
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        """The rights are edited by those who may change a picture's rights, and only on a
        stored picture (a new one's come from its file)."""
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is None or not request.user.has_perm(CHANGES_RIGHTS):
            readonly += list(ITEM_RIGHTS_FIELDS)
        return readonly

    def get_fieldsets(self, request, obj=None):
        if obj is not None and request.user.has_perm(CHANGES_RIGHTS):
            return self.fieldsets
        rights = [f for f in RIGHTS_FIELDSET if f != "reason"]
        return [(name, {"fields": rights} if name == "Rights" else options)
                for name, options in self.fieldsets]  # fmt: skip

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        changed = save_rights_by_hand(request, obj, form)
        if changed:
            self.message_user(request, f"{obj}: rights changed ({', '.join(changed)}).")
        return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        picture = self.get_object(request, object_id)
        if picture is not None and override_offered(request.user, picture):
            extra_context["override_url"] = reverse(
                "admin:pictures_picture_override", args=[picture.pk]
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def override(self, request, pk: int):
        return override_view(self, request, pk, thumbnail_url=thumbnail_url)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(upload), name="pictures_picture_upload"),
            path("placeable/", view(self.placeable_view), name="pictures_picture_placeable"),
            path("<int:pk>/override/", view(self.override), name="pictures_picture_override"),
            path(
                "<int:pk>/thumbnail.jpg",
                view(self.thumbnail_view),
                name="pictures_picture_thumbnail",
            ),
            *super().get_urls(),
        ]

    def placeable_view(self, request) -> JsonResponse:
        """The newest pictures (or those whose title, caption or credit holds `q`), for the
        body editor's "Insert picture"; or, with `ids=1,2,3`, those pictures, for the editor's
        placed pictures (`missing` names the ids not in the library). Each with its thumbnail,
        the channels that carry it now and, where the public pages do not, why not. One query,
        at most PLACEABLE pictures a list and MOST_PLACED ids."""
        if not request.user.has_perm("pictures.view_picture"):
            raise PermissionDenied("Only newsroom staff who may view pictures place them.")
        now = timezone.now()
        if "ids" in request.GET:
            try:
                ids = placed_ids(request.GET["ids"])
            except ValueError as error:
                return JsonResponse({"error": str(error)}, status=400)
            found = placing.fetch(ids)
            return JsonResponse(
                {
                    "pictures": [placeable(found[pk], at=now) for pk in ids if pk in found],
                    "missing": [pk for pk in ids if pk not in found],
                }
            )
        found = Picture.objects.select_related("source").defer(*showing.NOT_READ)
        if terms := request.GET.get("q", "").strip()[:200]:
            found = found.filter(
                Q(title__icontains=terms) | Q(caption__icontains=terms)
                | Q(credit_line__icontains=terms)
            )  # fmt: skip
        rows = [
            placeable(picture, at=now)
            for picture in found.order_by("-created_at", "-id")[:PLACEABLE]
        ]
        return JsonResponse({"pictures": rows})  # the admin's views are never cached

    def thumbnail_view(self, request, pk: int) -> HttpResponse:
        """A small JPEG of any picture, blocked or not, for those who may view pictures."""
        if not request.user.has_perm("pictures.view_picture"):
            raise PermissionDenied("Only newsroom staff who may view pictures see them here.")
        picture = Picture.objects.filter(pk=pk).first()
        if picture is None:
            raise Http404("No such picture.")
        width = min(THUMBNAIL_WIDTH, picture.widths[0])
        with picture.image.storage.open(rendition(picture, width=width, ext="jpg"), "rb") as file:
            response = HttpResponse(file.read(), content_type="image/jpeg")
        response.headers["Cache-Control"] = "private, max-age=300"
        return response

    @admin.display(description="Rights")
    def rights(self, picture: Picture) -> str:
        """One mark a right, as the article list shows them: granted, withheld, or unsettled."""
        settled = picture.rights_settled

        def mark(right: Right) -> tuple[str, str, str]:
            granted = picture.grants(right)
            kind = "unsettled" if not settled else "granted" if granted else "denied"
            held = "held" if granted else "not held"
            words = f"{right.noun}: {held}" + ("" if settled else ", rights not settled")
            return kind, words, right.noun[0].upper()

        return format_html_join(
            "",
            '<span class="nr-mark nr-mark--{}" title="{}">{}</span>',
            (mark(right) for right in Right),
        )

    @admin.display(description="")
    def thumbnail(self, picture: Picture) -> str:
        return format_html(
            '<img class="nr-thumb" src="{}" alt="" width="96" loading="lazy">',
            thumbnail_url(picture),
        )

    @admin.display(description="Picture")
    def preview(self, picture: Picture) -> str:
        if picture.pk is None:
            return "–"
        return format_html(
            '<img class="nr-preview" src="{}" alt="{}">', thumbnail_url(picture), str(picture)
        )

    @admin.display(description="Copied from")
    def copied_from(self, picture: Picture) -> str:
        """Any protected original it copies, beside it: both pictures, the original's source,
        holder and notice, and how near they are."""
        if picture.pk is None:
            return "–"
        return copy_panel(picture, thumbnail_url)

    @admin.display(description="What its rights allow")
    def rights_in_words(self, picture: Picture) -> str:
        if picture.pk is None:
            return "–"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{}</strong>: {}</li>",
                (
                    (right.noun.capitalize(), clearance(picture, right).explanation)
                    for right in Right
                ),
            ),
        )

    @admin.display(description="Photographers")
    def photographers(self, picture: Picture) -> str:
        return ", ".join(picture.creators) or "–"

    @admin.display(description="Where each right came from")
    def rights_from(self, picture: Picture) -> str:
        basis = picture.rights_basis or {}
        return (
            "; ".join(
                f"{right.noun}: {Basis(basis[right.value]).label}"
                for right in Right
                if basis.get(right.value) in Basis.values
            )
            or "–"
        )

    @admin.action(
        description="Publish the selected pictures their rights allow", permissions=["change"]
    )
    def publish(self, request, queryset) -> None:
        for picture in queryset.select_related("source"):
            decision = picture.publish(by=request.user)
            level = messages.SUCCESS if decision.allowed else messages.WARNING
            self.message_user(request, f"{picture}: {decision.explanation}", level)
