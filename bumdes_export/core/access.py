"""Who may see what of the portal's own machinery (background jobs)."""

from __future__ import annotations

from bumdes_export.accounts.access import AnyUser, scope_for, signed_in
from bumdes_export.core.models import BackgroundJob


def can_follow_job(user: AnyUser, job: BackgroundJob) -> bool:
    """A background job's progress and result: the person who started it, and ministry staff."""
    person = signed_in(user)
    if person is None:
        return False
    return job.created_by_id == person.pk or scope_for(user).is_ministry
