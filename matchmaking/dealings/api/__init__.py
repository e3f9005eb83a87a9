"""Matchmaking API: inquiries, shortlist, buying requests and offers (with the deal an inquiry or
an accepted offer opens), service requests (with the providers' turnaround).

The same rules as the pages: every list is scoped by ``matchmaking.dealings.selectors`` (exporters
see their organisation's records, officers their region's products, operators their BUMDes',
ministry staff everything), objects outside the scope answer 404, and every write goes through
``matchmaking.dealings.services``, whose ``ValidationError`` becomes a 400 with field errors and
whose ``PermissionDenied`` a 403 with its message (for instance: the organisation is not verified
yet). Filters with unknown values answer 400; anonymous requests 401.

One module per sub-domain, like the pages: ``inquiries`` (and the shortlist),
``buying_requests``, ``facilitation``; ``common`` holds what they share.
"""

from matchmaking.dealings.api.buying_requests import BuyingRequestViewSet
from matchmaking.dealings.api.common import FILE_RESPONSE, UPLOAD_PARSERS, id_filter
from matchmaking.dealings.api.facilitation import ServiceRequestViewSet
from matchmaking.dealings.api.inquiries import InquiryViewSet, ShortlistViewSet

__all__ = [
    "FILE_RESPONSE",
    "UPLOAD_PARSERS",
    "BuyingRequestViewSet",
    "InquiryViewSet",
    "ServiceRequestViewSet",
    "ShortlistViewSet",
    "id_filter",
]
