"""A real task through Redis to a real worker process, sharing the test database."""

from __future__ import annotations

import uuid

import pytest

from bumdes_export.core.tasks import roundtrip


@pytest.mark.services
def test_a_task_round_trips_through_redis_to_a_real_worker(real_worker, regions):
    token = uuid.uuid4().hex
    result = roundtrip.delay(token, "74.02")

    assert result.get(timeout=30) == {
        "token": token,
        "region": "Kabupaten Konawe",
        "database": "postgresql",
    }
