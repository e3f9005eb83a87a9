"""The badge (CSS class) each deal stage and facilitation status is shown with, on the deal
pages and panels."""

from __future__ import annotations

from matchmaking.deals.models import Deal

STAGE_BADGES: dict[str, str] = {
    Deal.Stage.INTEREST: "",
    Deal.Stage.SAMPLE_SENT: "warn",
    Deal.Stage.LOI_MOU: "warn",
    Deal.Stage.CONTRACT: "ok",
    Deal.Stage.FIRST_SHIPMENT: "ok strong",
    Deal.Stage.REPEAT_SHIPMENTS: "ok strong",
    Deal.Stage.LOST: "danger",
}

SERVICE_BADGES: dict[str, str] = {
    "requested": "warn",
    "accepted": "ok",
    "in_progress": "ok",
    "completed": "ok strong",
    "declined": "danger",
    "cancelled": "",
}


def stage_badge(stage: str) -> str:
    return STAGE_BADGES.get(stage, "")
