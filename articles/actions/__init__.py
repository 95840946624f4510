"""Editorial actions: each checks whether it may happen, then does it and writes its audit entry.

The models' methods (`Article.publish()`, `.withdraw()`, `.set_rights()`, ...) are thin calls
of these; the desk calls the same objects, so every path passes the same checks.
"""

from articles.actions.asks import DeclineOverride, RequestOverride
from articles.actions.edit import (
    Revert,
    SaveEdit,
    guard_live_text,
    live_copy_refusal,
    record_working_headline,
    rewrite_guarded,
    stale_message,
)
from articles.actions.rights import LicenceChanged, SetRights, Settle, relying_on
from articles.actions.workflow import (
    MOVES,
    Kill,
    Override,
    Publish,
    ReturnToDraft,
    SubmitForReview,
    Withdraw,
    change_status,
    check_move,
    publish_gate,
    status_choices_for,
)

# The actions the desk gives a page of their own, by the name in the page's address.
PAGES = {
    "publish": Publish,
    "ask": RequestOverride,
    "override": Override,
    "decline": DeclineOverride,
    "withdraw": Withdraw,
    "kill": Kill,
}

__all__ = [
    "MOVES",
    "PAGES",
    "DeclineOverride",
    "Kill",
    "LicenceChanged",
    "Override",
    "Publish",
    "RequestOverride",
    "ReturnToDraft",
    "Revert",
    "SaveEdit",
    "SetRights",
    "Settle",
    "SubmitForReview",
    "Withdraw",
    "change_status",
    "check_move",
    "guard_live_text",
    "live_copy_refusal",
    "record_working_headline",
    "rewrite_guarded",
    "publish_gate",
    "relying_on",
    "stale_message",
    "status_choices_for",
]
