"""Files that come together: the members of a ZIP archive, and the picture file a wire item names
beside it (a ninjs rendition's `href`, a NewsML-G2 `remoteContent/@href`).

A picture is found only beside its item: in the same folder (read from disk), or in the same
ZIP archive or upload, by a relative path. Nothing is fetched from the network, and no path
leads out of the item's folder: a URL, an absolute path, a `..` step, or a link on disk
that points elsewhere is refused, saying which.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from articles.ingest import sniff
from articles.ingest.picture import MAX_PICTURE_BYTES

ZIP_MAX_MEMBERS = 1000
ZIP_MAX_BYTES = 200 * 1024 * 1024  # all of its members, unpacked
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class Refused(ValueError):
    """An href that is not read: the message says why."""


class Remote(Refused):
    """An href that is a URL: nothing is fetched. No fault of the item's, so the picture is
    reported as skipped, where a path that leads out of the folder is an error."""


def is_url(href: str) -> bool:
    raw = href.strip()
    return raw.startswith("//") or bool(
        _SCHEME.match(raw) and not re.match(r"^[A-Za-z]:[\\/]", raw)
    )


def is_zip(data: bytes) -> bool:
    """A ZIP archive of files (not a Word, Excel or OpenDocument file, which are ZIPs too)."""
    if data[:4] not in (b"PK\x03\x04", b"PK\x05\x06"):
        return False
    guess = sniff.identify(data)
    return guess is not None and guess.what.startswith("a ZIP archive")


def unzip(name: str, data: bytes) -> list[tuple[str, bytes | str]]:
    """The archive's files, each named `NAME/MEMBER`, with its bytes or why it is not read.

    Folders, hidden files and macOS's `__MACOSX` are passed over. A member whose name is absolute
    or climbs out (`../`), is encrypted, or is larger than a picture may be is refused by name;
    an archive of too many members or too many bytes unpacked is refused whole.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return [(name, f"a broken ZIP archive: {exc}")]
    files = [i for i in infos if not i.is_dir() and not _passed_over(i.filename)]
    if len(files) > ZIP_MAX_MEMBERS:
        return [(name, f"the ZIP archive holds {len(files):,} files; at most {ZIP_MAX_MEMBERS:,}")]
    total = sum(i.file_size for i in files)
    if total > ZIP_MAX_BYTES:
        limit = ZIP_MAX_BYTES // (1024 * 1024)
        return [(name, f"the ZIP archive unpacks to {total:,} bytes; at most {limit} MiB")]
    members: list[tuple[str, bytes | str]] = []
    for info in sorted(files, key=lambda i: i.filename):
        member = info.filename.replace("\\", "/")
        label = f"{name}/{member.lstrip('/')}"
        parts = PurePosixPath(member).parts
        if member.startswith("/") or re.match(r"^[A-Za-z]:", member) or ".." in parts:
            members.append((label, "its name leads outside the archive; not read"))
        elif info.flag_bits & 0x1:
            members.append((label, "encrypted in the archive; not read"))
        elif info.file_size > MAX_PICTURE_BYTES:
            limit = MAX_PICTURE_BYTES // (1024 * 1024)
            members.append((label, f"file is larger than {limit} MiB"))
        else:
            try:
                with archive.open(info) as opened:
                    content = opened.read(MAX_PICTURE_BYTES + 1)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
                members.append((label, f"cannot be unpacked: {exc}"))
                continue
            if len(content) > MAX_PICTURE_BYTES:  # the archive understated its size
                members.append((label, "file is larger than the archive says"))
            else:
                members.append((label, content))
    return members


def _passed_over(member: str) -> bool:
    parts = PurePosixPath(member.replace("\\", "/")).parts
    return any(p.startswith(".") and p not in (".", "..") for p in parts) or "__MACOSX" in parts


def relative(href: str) -> str:
    """`href` as a relative path inside the item's folder, or Refused saying why not."""
    raw = href.strip()
    if not raw:
        raise Refused("the href is empty: no file to store")
    if is_url(raw):
        raise Remote(
            f"the href {href!r} is a URL: ingest fetches nothing from the network; "
            "send the picture file with the item (in its folder or its ZIP archive)"
        )
    path = unquote(raw.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")
    if path.startswith("/") or re.match(r"^[A-Za-z]:/", path):
        raise Refused(
            f"the href {href!r} is an absolute path: only a file beside the item, named by a "
            "relative path, is read"
        )
    parts = PurePosixPath(path).parts
    if ".." in parts:
        raise Refused(
            f"the href {href!r} leads outside the item's folder (..): only a file beside the "
            "item, in its folder or below it, is read"
        )
    return posixpath.normpath(path)


def key(item_name: str, href: str) -> str:
    """The name of the file `href` names beside the item read from `item_name`."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(item_name), relative(href)))


def locate(
    item_name: str, href: str, *, batch: dict[str, bytes], on_disk: bool
) -> tuple[str, bytes | None]:
    """The picture `href` names, beside the item read from `item_name`: its name and bytes, or
    None for bytes where there is no such file. Refused for an href that is not read.

    The batch (the other files of the same folder, archive or upload) is looked in first; an
    item read from disk looks in its own folder too, and a link there that leads out of the
    folder is refused.
    """
    rel = relative(href)
    key = posixpath.normpath(posixpath.join(posixpath.dirname(item_name), rel))
    if key in batch:
        return key, batch[key]
    if not on_disk:
        return key, None
    folder = Path(item_name).parent
    target = folder / rel
    try:
        real, home = target.resolve(), folder.resolve()
    except (OSError, RuntimeError):
        return key, None
    if not real.is_relative_to(home):
        raise Refused(
            f"the href {href!r} names a link that leads outside the item's folder; not read"
        )
    try:
        if not real.is_file():
            return key, None
        if real.stat().st_size > MAX_PICTURE_BYTES:
            limit = MAX_PICTURE_BYTES // (1024 * 1024)
            raise Refused(f"the file {href!r} is larger than {limit} MiB")
        return key, real.read_bytes()
    except OSError as exc:
        raise Refused(f"the file {href!r} cannot be read: {exc.strerror or exc}") from None
