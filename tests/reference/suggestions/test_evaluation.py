"""The benchmark's labelled list measures what the suggester learned, not what it was given;
and the suggester meets the issue's figures on it."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from bumdes_export.reference.suggestions import evaluation

pytestmark = pytest.mark.django_db


def test_the_list_is_large_and_every_code_it_accepts_exists():
    from bumdes_export.reference.models import HsCode

    names = evaluation.labelled_names()
    assert len(names) >= 300
    assert len({n.name for n in names}) == len(names)
    known = set(HsCode.objects.filter(level__in=(4, 6)).values_list("code", flat=True))
    assert {code for n in names for code in n.accepted} <= known


def test_no_name_of_the_list_is_in_anything_the_suggester_reads(db):
    from bumdes_export.reference.services import load_all

    load_all()  # the demo has BUMDes in six provinces
    call_command("load_demo_data", verbosity=0)  # the demo's verified products teach it too
    texts = list(evaluation.suggester_texts())
    assert any("kepiting bakau hidup" in t.lower() for t in texts)  # the demo is read
    assert evaluation.contaminated(evaluation.labelled_names(), texts) == []


def test_the_check_finds_a_name_given_to_the_suggester():
    names = [evaluation.LabelledName("kepitingnya beku", ("030614",))]
    assert evaluation.contaminated(names, ["Kepiting beku Konawe"]) == [
        ("kepitingnya beku", "kepiting beku konawe")
    ]
    assert evaluation.contaminated(names, ["kepiting hidup, beku"]) == []


def test_the_benchmark_reaches_its_targets(capsys):
    call_command("bench_hs_suggest", repeat=1)
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["names"] >= 300
    assert figures["top3"] >= 0.90 and figures["top1"] >= 0.75
