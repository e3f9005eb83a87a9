"""The app's models, registered with Django here: each domain package owns its models module.

- ``matchmaking.dealings.models``: shortlists, inquiries and sample requests, buying requests and
  offers, facilitation (service) requests.
- ``matchmaking.deals.models``: deals from every channel, their steps and shipments.
- ``matchmaking.forums.models``: forums, participants, meeting requests, meetings and outcomes.
- ``matchmaking.matching.models``: match weights, stored match lists, runs and dismissals.
- ``matchmaking.oversight.models``: the programme's target per province and year.
"""

from matchmaking.dealings import models as dealings_models
from matchmaking.deals import models as deals_models
from matchmaking.forums import models as forums_models
from matchmaking.matching import models as matching_models
from matchmaking.oversight import models as oversight_models

__all__ = [
    "dealings_models",
    "deals_models",
    "forums_models",
    "matching_models",
    "oversight_models",
]
