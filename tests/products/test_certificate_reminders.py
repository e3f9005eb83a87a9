"""Reminders before a certificate expires: 60, 30 and 7 days before, once per certificate,
expiry date and threshold, to the officers covering the BUMDes and its operators (not to every
ministry official); and a word when it has expired."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bumdes_export.notifications.models import Notification
from products import services
from products.models import BumdesOperator, CertificateReminder
from tests.products.factories import BumdesFactory, CertificateFactory, ProductFactory, first_desa

TODAY = date(2026, 12, 7)


@pytest.fixture
def certificate(regions, operator):
    bumdes = BumdesFactory(village_id=first_desa("74.02."))
    BumdesOperator.objects.create(user=operator, bumdes=bumdes)
    return CertificateFactory(
        product=ProductFactory(bumdes=bumdes), valid_until=TODAY + timedelta(days=60)
    )


def _reminded(user):
    return list(
        Notification.objects.filter(recipient=user, kind="certificate.expiring").values_list(
            "subject", flat=True
        )
    )


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [(61, None), (60, 60), (59, 60), (31, 60), (30, 30), (8, 30), (7, 7), (1, 7), (0, 7)],
)
def test_the_threshold_reached(certificate, days_left, threshold):
    certificate.valid_until = TODAY + timedelta(days=days_left)
    certificate.save()
    sent = services.remind_expiring_certificates(today=TODAY)
    assert sent == (0 if threshold is None else 1)
    kept = list(CertificateReminder.objects.values_list("threshold", flat=True))
    assert kept == ([] if threshold is None else [threshold])


def test_each_threshold_once_as_the_days_go_by(certificate, operator, officer_konawe):
    sent = {
        day: services.remind_expiring_certificates(today=TODAY + timedelta(days=day))
        for day in range(0, 62)
    }
    # 60 days before, 30 days before, 7 days before: three reminders in all.
    assert [day for day, n in sent.items() if n] == [0, 30, 53]
    assert len(_reminded(operator)) == len(_reminded(officer_konawe)) == 3
    subjects = sorted(_reminded(operator))
    assert [s.split(" days")[0].rsplit(" ", 1)[1] for s in subjects] == ["30", "60", "7"]


def test_a_day_missed_sends_only_the_most_urgent_reminder(certificate, operator):
    assert services.remind_expiring_certificates(today=TODAY + timedelta(days=55)) == 1
    assert list(CertificateReminder.objects.values_list("threshold", flat=True)) == [7]
    assert len(_reminded(operator)) == 1


def test_a_certificate_renewed_between_thresholds_is_reminded_of_anew(certificate, operator):
    services.remind_expiring_certificates(today=TODAY + timedelta(days=31))  # 29 days left: 30
    certificate.valid_until = TODAY + timedelta(days=400)  # renewed
    certificate.save()
    later = TODAY + timedelta(days=340)  # 60 days before the new date
    assert services.remind_expiring_certificates(today=later) == 1
    assert services.remind_expiring_certificates(today=later) == 0
    assert sorted(CertificateReminder.objects.values_list("valid_until", "threshold")) == [
        (TODAY + timedelta(days=60), 30),
        (TODAY + timedelta(days=400), 60),
    ]
    assert len(_reminded(operator)) == 2


def test_only_the_people_of_the_bumdes_are_reminded(
    certificate, operator, officer_konawe, officer_sultra, officer_sulteng, ministry
):
    services.remind_expiring_certificates(today=TODAY)
    assert _reminded(operator) and _reminded(officer_konawe) and _reminded(officer_sultra)
    assert not _reminded(officer_sulteng)  # another province
    assert not _reminded(ministry)  # ministry staff follow certificates from the registry


def test_an_expired_certificate_is_told_once(certificate, operator):
    after = certificate.valid_until + timedelta(days=1)
    services.handle_lapsed_certificates(today=after)
    services.handle_lapsed_certificates(today=after)
    lapsed = Notification.objects.filter(recipient=operator, kind="certificate.lapsed")
    assert lapsed.count() == 1


def test_the_reminder_speaks_the_recipients_language(certificate, operator):
    operator.language = "id"
    operator.save()
    services.remind_expiring_certificates(today=TODAY)
    note = Notification.objects.get(recipient=operator, kind="certificate.expiring")
    assert note.subject.startswith("Sertifikat") and "60 hari" in note.body


def test_the_daily_task(certificate):
    from products.tasks import remind_expiring_certificates

    CertificateFactory(valid_until=date.today() + timedelta(days=7))
    assert remind_expiring_certificates.delay().get() >= 1
