"""Writes of the dealings: shortlists, inquiries, buying requests and offers, facilitation
(service) requests.

Every write checks who may do it (``matchmaking.access`` and ``matchmaking.dealings.access``;
``PermissionDenied`` otherwise), what a valid record is (``ValidationError`` with field messages)
and tells the other side through ``bumdes_export.notifications.services.notify`` (email, in the
recipient's language, sent after commit). The author of a message or change is never notified
of it.

One module per sub-domain: ``shortlists``, ``inquiries``, ``buying_requests`` (requests and
offers), ``facilitation``, ``deals`` (a deal opened from an inquiry or an accepted offer). Callers use this package's names:
``services.start_inquiry(...)``.
"""

from matchmaking.dealings.selectors import members_of
from matchmaking.dealings.services.buying_requests import (
    BUYING_REQUEST_FIELDS,
    BUYING_REQUEST_MAX_DAYS,
    OFFER_FIELDS,
    close_buying_request,
    create_buying_request,
    decide_offer,
    expire_buying_requests,
    make_offer,
    update_buying_request,
)
from matchmaking.dealings.services.deals import (
    DealOpening,
    open_deal_from_inquiry,
    open_deal_from_offer,
)
from matchmaking.dealings.services.facilitation import (
    SERVICE_NEEDS_REASON,
    add_service_note,
    request_service,
    transition_service_request,
)
from matchmaking.dealings.services.inquiries import (
    default_subject,
    post_message,
    set_inquiry_status,
    start_inquiry,
)
from matchmaking.dealings.services.shortlists import add_to_shortlist, remove_from_shortlist
from matchmaking.services import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    validated_attachment,
)

__all__ = [
    "ATTACHMENT_MAX_BYTES",
    "ATTACHMENT_TYPES",
    "BUYING_REQUEST_FIELDS",
    "BUYING_REQUEST_MAX_DAYS",
    "DealOpening",
    "OFFER_FIELDS",
    "SERVICE_NEEDS_REASON",
    "add_service_note",
    "add_to_shortlist",
    "close_buying_request",
    "create_buying_request",
    "decide_offer",
    "default_subject",
    "expire_buying_requests",
    "make_offer",
    # A read, kept here for the forums (``matchmaking.forums.services``) until they import it
    # from ``matchmaking.dealings.selectors``.
    "members_of",
    "open_deal_from_inquiry",
    "open_deal_from_offer",
    "post_message",
    "remove_from_shortlist",
    "request_service",
    "set_inquiry_status",
    "start_inquiry",
    "transition_service_request",
    "update_buying_request",
    "validated_attachment",
]
