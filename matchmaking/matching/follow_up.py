"""The work a computation leaves for the workers, returned rather than sent.

Rescoring and full runs find more to do as they go: organisation lists to refill, products
changed while a run was scoring, the chunks of a planned run, a run whose chunks are all done.
The domain functions return it as a ``FollowUp``; ``matching.tasks`` is the one module that
turns it into Celery tasks (``tasks.send`` now, ``tasks.send_after_commit`` once the
transaction commits).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FollowUp:
    """Ids to hand to the workers; empty (and false) when there is nothing to do."""

    #: Products whose lists to recompute.
    products: tuple[int, ...] = ()
    #: Organisations whose lists to recompute (a list that fell short, or changed during a run).
    organisations: tuple[int, ...] = ()
    #: Chunks of a full run to score, in order.
    chunks: tuple[int, ...] = ()
    #: Full runs whose chunks are all done, to merge.
    merges: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.products or self.organisations or self.chunks or self.merges)

    def __or__(self, other: FollowUp) -> FollowUp:
        """Both follow-ups' work (ids in order, each kept once)."""
        return FollowUp(
            products=_joined(self.products, other.products),
            organisations=_joined(self.organisations, other.organisations),
            chunks=_joined(self.chunks, other.chunks),
            merges=_joined(self.merges, other.merges),
        )


def _joined(first: tuple[int, ...], second: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(first + second))


NOTHING = FollowUp()
