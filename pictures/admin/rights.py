"""The picture desk's rights by hand: the change form's rights, which only those who may change
a picture's rights edit (with a reason, through `Picture.set_rights()`), and the page that
overrides the publish gate's refusal (`Picture.override()`), a copy refusal among them.

As on the article desk, the permissions are checked here and again in the model's methods: a
hidden field or button is only a courtesy.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.permissions import require_permission
from articles.vocabulary import DERIVED_RIGHTS_FIELDS, RIGHTS_FIELDS, Status
from pictures.copies import check
from pictures.models import Picture

CHANGES_RIGHTS = "pictures.change_picture_rights"
OVERRIDES = "articles.override_refusal"


class PictureForm(forms.ModelForm):
    """The change form: a change of any rights field needs a reason, kept in the audit log."""

    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Needed for any change of its rights; kept in the audit log and its explanation.",
    )

    class Meta:
        model = Picture
        fields = ["title", "caption", "embargo_until", *RIGHTS_FIELDS]

    def clean(self):
        cleaned = super().clean()
        changed = set(self.changed_data) & set(RIGHTS_FIELDS)
        if self.instance.pk and changed and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Give a reason for the change of rights.")
        return cleaned


def save_rights_by_hand(request, picture: Picture, form) -> list[str]:
    """Save the form: its other fields plainly, its rights only through `set_rights()`, which
    checks the permission, marks each changed right as set by hand and records why. Returns the
    rights fields changed."""
    rights = {f: getattr(picture, f) for f in RIGHTS_FIELDS if f in form.changed_data}
    stored = Picture.objects.get(pk=picture.pk)
    for field in (*RIGHTS_FIELDS, *DERIVED_RIGHTS_FIELDS, "status", "published_at"):
        setattr(picture, field, getattr(stored, field))
    picture._history_user = request.user
    picture.save()
    if not rights:
        return []
    return list(picture.set_rights(by=request.user, reason=form.cleaned_data["reason"], **rights))


def override_offered(user, picture: Picture) -> bool:
    """Whether the change form offers the override: to one who may give it, on a picture not
    out already, where the gate refuses it and its source is not suspended (which no override
    lifts). A copy published on an override is still a copy: the gate still names it."""
    return (
        user.has_perm(OVERRIDES)
        and picture.status != Status.PUBLISHED
        and not picture.source.suspended
        and not picture.gate().allowed
    )


class OverrideForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Why it may be published all the same. Kept in the audit log and its rights "
        "explanation.",
    )


def copy_panel(picture: Picture, thumbnail_url, *, gate_said: bool = False) -> str:
    """The "Copied from" panel: this picture beside each protected original it copies, and
    why it is refused (unless `gate_said`: the page lists the gate's reasons already)."""
    report = check(picture)
    return render_to_string(
        "admin/pictures/picture/includes/copied_from.html",
        {
            "report": report,
            "copy_url": thumbnail_url(picture),
            "matches": [(m, thumbnail_url(m.original)) for m in report.matches],
            "gate_said": gate_said,
        },
    )


def override_view(model_admin, request, pk: int, *, thumbnail_url):
    """Show what the gate refuses, and the copy beside its original; on a reason given by one
    who may, publish over the refusal and go back to the picture."""
    picture = Picture.objects.select_related("source").filter(pk=pk).first()
    if picture is None:
        raise Http404(f"No picture with id {pk}.")
    if not model_admin.has_view_permission(request, picture):
        raise PermissionDenied
    form = OverrideForm(request.POST if request.method == "POST" else None)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"Override the refusal and publish: {picture}",
        "picture": picture,
        "form": form,
    }
    status = 200
    try:
        require_permission(request.user, "override_refusal", to="override a refusal")
        if request.method == "POST" and form.is_valid():
            picture.override(by=request.user, reason=form.cleaned_data["reason"])
            model_admin.message_user(
                request, f"{picture}: published on your override.", messages.SUCCESS
            )
            return HttpResponseRedirect(reverse("admin:pictures_picture_change", args=[picture.pk]))
    except PermissionDenied as denied:
        context["denied"], status = str(denied), 403
    except ValidationError as error:
        form.add_error(None, error)
    if status == 200:
        context["gate"] = picture.gate()
        context["copies"] = copy_panel(picture, thumbnail_url, gate_said=True)
    return TemplateResponse(request, "admin/pictures/picture/override.html", context, status=status)
