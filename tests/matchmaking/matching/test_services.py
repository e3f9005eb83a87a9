"""Weights put in force by ministry staff: every rule of the form is a service rule."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from matchmaking.matching import services
from matchmaking.matching.models import MatchWeights

pytestmark = pytest.mark.django_db


def test_the_minimum_worth_showing_cannot_exceed_a_good_match(ministry):
    with pytest.raises(ValidationError) as error:
        services.update_weights(ministry, {"min_score": 70, "good_score": 50})
    assert "min_score" in error.value.message_dict
    assert not MatchWeights.objects.filter(min_score=70).exists()
