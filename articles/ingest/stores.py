"""Where ingest hands the items that are files rather than copy: a registry of stores by kind.

The loader reads a picture file (`picture.read_picture`) but does not store it: the app that
keeps pictures registers its store here when it starts (`pictures.apps.PicturesConfig.ready`),
so articles never import pictures. A kind with no store registered is refused by name.
"""

from __future__ import annotations

from collections.abc import Callable

# A store takes the parsed file and its bytes, with the run's settings as keywords (name, source,
# licence, by, publish, dry_run, and for a picture a wire item brings: guid, own_guid, terms),
# and returns its report's fields: `ItemReport(**fields)`.
Store = Callable[..., dict]

_STORES: dict[str, Store] = {}


def register(kind: str, store: Store) -> None:
    """Store the files of `kind` ("picture") with `store`; registering again replaces it."""
    _STORES[kind] = store


def store_for(kind: str) -> Store:
    """The store registered for `kind`, or LookupError saying none is."""
    try:
        return _STORES[kind]
    except KeyError:
        raise LookupError(
            f"no store for {kind} files is installed (the app that keeps them registers one "
            "when it starts), so the file was not stored"
        ) from None
