"""The change form's rich-text editor for the body and the standfirst.

django-prose-editor's ProseMirror (Tiptap) bundle, loaded from static files only: its own widget
renders an inline import map, which the admin's Content Security Policy refuses, so this widget
hands the bundle's hashed URL to `admin-newsroom/editor.js` in a data attribute instead. The
editor offers only what `articles.sanitise` keeps (paragraphs, headings h2 to h4, bold, italic,
links, lists, quotations) and the body's placed pictures (`pictures.placing`), which its
"Insert picture" control places from the library (`placeable/` on the picture desk); what it
sends is cleaned by nh3 on save like any other body. A body holding markup the editor has no
place for (a table, a figure of its own) is edited as HTML, so that opening it in the editor
cannot drop what it holds.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

from django import forms
from django.templatetags.static import static
from django.urls import reverse
from django_prose_editor.config import expand_extensions

from articles.sanitise import PICTURE_ATTRIBUTE

BUNDLE = "django_prose_editor/editor.js"
# What the body's editor offers, in django-prose-editor's terms (its allow-list of tags is
# checked against articles.sanitise.TAGS by the tests).
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "NoSpellCheck": False,  # the desk wants the browser's spelling check
}
# The standfirst is plain text: paragraphs and nothing else, no menu.
STANDFIRST_EXTENSIONS = {"Menu": False, "NoSpellCheck": False}
# The markup the body's editor keeps as it is (b and i it reads as bold and italic), and the
# attributes it keeps on each tag.
HELD_TAGS = {
    "p": set(),
    "br": set(),
    "h2": set(),
    "h3": set(),
    "h4": set(),
    "strong": set(),
    "b": set(),
    "em": set(),
    "i": set(),
    "a": {"href", "rel", "title"},
    "ul": set(),
    "ol": set(),
    "li": set(),
    "blockquote": set(),
}


class _Markup(HTMLParser):
    """Reads a body for the tags the editor lacks. A placed picture (`<figure data-picture>`,
    with a caption of plain text in its `<figcaption>`) is the editor's own node."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.foreign: set[str] = set()
        self.placed = 0  # depth inside a placed picture: 1 in its figure, 2 in its caption

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if self.placed:
            if self.placed == 1 and tag == "figcaption" and not names:
                self.placed = 2
            else:
                self.foreign.add(f"{tag} in a placed picture")
        elif tag == "figure" and names == {PICTURE_ATTRIBUTE}:
            self.placed = 1
        elif tag not in HELD_TAGS:
            self.foreign.add(tag)
        else:
            self.foreign.update(f"{tag} {name}" for name in names if name not in HELD_TAGS[tag])

    def handle_endtag(self, tag: str) -> None:
        if self.placed and tag in ("figure", "figcaption"):
            self.placed -= 1


def foreign_markup(html: str) -> list[str]:
    """The tags (and attributes, as "tag name") in `html` that the body's editor would drop."""
    parser = _Markup()
    parser.feed(html or "")
    parser.close()
    return sorted(parser.foreign)


class ProseEditor(forms.Textarea):
    """A textarea that editor.js turns into the editor; without script it stays a textarea."""

    def __init__(
        self,
        *,
        extensions: dict,
        plain: bool = False,
        label: str = "",
        pictures: bool | None = None,
        attrs=None,
    ):
        super().__init__(attrs)
        self.extensions = extensions
        self.plain = plain
        self.label = label
        # None: no placed pictures (the standfirst). False: placed pictures are kept, shown
        # without thumbnails. True: with thumbnails, and "Insert picture" from the library.
        self.pictures = pictures

    @property
    def media(self) -> forms.Media:
        return forms.Media(
            css={
                "all": [
                    "django_prose_editor/material-icons.css",
                    "django_prose_editor/editor.css",
                    "django_prose_editor/overrides.css",
                    "admin-newsroom/editor.css",
                ]
            },
            js=[forms.Script("admin-newsroom/editor.js", type="module")],
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        config = {
            "module": static(BUNDLE),
            "mode": "plain" if self.plain else "html",
            "label": self.label,
            "extensions": expand_extensions(self.extensions),
        }
        if self.pictures is not None:
            # Pictures already placed are always kept; the library (its search and thumbnails)
            # is offered only to those who may view pictures.
            config["pictures"] = {}
            if self.pictures:
                config["pictures"] = {
                    "library": reverse("admin:pictures_picture_placeable"),
                    "thumbnail": reverse("admin:pictures_picture_thumbnail", args=[0]),
                }
        context["widget"]["attrs"]["data-prose-editor"] = json.dumps(config, separators=(",", ":"))
        return context

    def use_required_attribute(self, initial) -> bool:
        # The textarea is hidden behind the editor: a browser could not point at it.
        return False


def body_editor(*, pictures: bool = True) -> ProseEditor:
    return ProseEditor(extensions=BODY_EXTENSIONS, label="Body", pictures=pictures)


def standfirst_editor() -> ProseEditor:
    return ProseEditor(extensions=STANDFIRST_EXTENSIONS, plain=True, label="Standfirst")
