"""Matchmaking services: who may do what, status flows, constraints and notifications."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from bumdes_export.notifications.models import Notification
from bumdes_export.reference.models import HsCode
from matchmaking.dealings import access as dealings_access
from matchmaking.dealings import selectors, services
from matchmaking.dealings import tasks as dealings_tasks
from matchmaking.dealings.models import (
    BuyingRequest,
    Inquiry,
    InquiryMessage,
    Offer,
    ServiceRequest,
    ServiceRequestNote,
    ShortlistEntry,
)
from products.models import Product
from tests.matchmaking.conftest import rfq_data
from tests.matchmaking.factories import OrganisationFactory, member
from tests.products.factories import ProductFactory, pdf_upload, png_upload

pytestmark = pytest.mark.django_db


def recipients(outbox) -> set[str]:
    return {address for message in outbox for address in message.to}


def ask(user, product, kind=Inquiry.Kind.INQUIRY, body="Price for 2 t a month?", **kwargs):
    return services.start_inquiry(actor=user, product=product, kind=kind, body=body, **kwargs)


# --- Who may act (``matchmaking.access``, applied by the services) ------------------------


def test_unverified_exporters_are_told_verification_is_pending(world, pending_exporter, exporter):
    for user in (pending_exporter, exporter):
        with pytest.raises(PermissionDenied, match="not verified yet"):
            services.add_to_shortlist(actor=user, product=world.crab)
        with pytest.raises(PermissionDenied, match="not verified yet"):
            ask(user, world.crab)
        with pytest.raises(PermissionDenied, match="not verified yet"):
            services.create_buying_request(actor=user, data=rfq_data())


@pytest.mark.parametrize("role", ["ministry", "officer_sultra", "linked_operator", "provider"])
def test_other_roles_cannot_inquire_or_post_requests(request, world, role):
    user = request.getfixturevalue(role)
    if role == "provider":
        # A platform's member is a verified exporter too: it may act as a buyer.
        assert ask(user, world.crab).organisation.kind == "platform"
        return
    with pytest.raises(PermissionDenied, match="verified exporter or buyer"):
        ask(user, world.crab)
    with pytest.raises(PermissionDenied):
        services.create_buying_request(actor=user, data=rfq_data())


# --- Shortlist -------------------------------------------------------------------------------


def test_shortlist_is_unique_per_organisation_and_product(world, verified_exporter, colleague_a):
    entry = services.add_to_shortlist(actor=verified_exporter, product=world.crab, note=" Q3 ")
    assert entry.note == "Q3" and entry.added_by == verified_exporter
    with pytest.raises(ValidationError) as error:
        services.add_to_shortlist(actor=colleague_a, product=world.crab)
    assert "already on your shortlist" in str(error.value.message_dict["product"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ShortlistEntry.objects.create(organisation=entry.organisation, product=world.crab)
    # Colleagues share the organisation's shortlist; other organisations have their own.
    assert list(selectors.shortlist(colleague_a)) == [entry]


def test_only_export_ready_products_are_shortlisted_or_inquired(world, verified_exporter):
    with pytest.raises(ValidationError) as error:
        services.add_to_shortlist(actor=verified_exporter, product=world.crab_draft)
    assert "export-ready" in str(error.value.message_dict["product"])
    with pytest.raises(ValidationError):
        ask(verified_exporter, world.crab_draft)


def test_only_members_remove_from_the_shortlist(world, verified_exporter, second_exporter):
    entry = services.add_to_shortlist(actor=verified_exporter, product=world.crab)
    with pytest.raises(PermissionDenied):
        services.remove_from_shortlist(actor=second_exporter, entry=entry)
    services.remove_from_shortlist(actor=verified_exporter, entry=entry)
    assert not ShortlistEntry.objects.exists()


# --- Inquiries -------------------------------------------------------------------------------


def test_inquiry_flow_notifies_the_other_side_after_commit(
    world,
    verified_exporter,
    colleague_a,
    second_exporter,
    ministry,
    officer_sultra,
    officer_konawe,
    officer_sulteng,
    linked_operator,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = ask(verified_exporter, world.crab, subject="")
    assert inquiry.status == Inquiry.Status.OPEN
    assert inquiry.subject == "Inquiry about Mud crab"
    assert inquiry.organisation.legal_name == "Harbour Test Seafood Ltd"
    product_side = {
        ministry.email,
        officer_sultra.email,
        officer_konawe.email,
        linked_operator.email,
    }
    assert recipients(mail.outbox) == product_side
    assert "Harbour Test Seafood Ltd" in mail.outbox[0].subject
    assert "Price for 2 t a month?" in mail.outbox[0].body
    assert "/matchmaking/inquiries/" in mail.outbox[0].body

    # The product side answers: open -> answered; the exporter's organisation is told.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(actor=officer_konawe, inquiry=inquiry, body="USD 12.50 FOB.")
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.ANSWERED
    assert recipients(mail.outbox) == {verified_exporter.email, colleague_a.email}
    assert "USD 12.50 FOB." in mail.outbox[0].body

    # The exporter follows up: the product side owes an answer again (open), author left out.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(actor=colleague_a, inquiry=inquiry, body="And for 3 t?")
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.OPEN
    assert recipients(mail.outbox) == product_side
    assert [m.side for m in inquiry.messages.all()] == ["exporter", "product", "exporter"]

    # Either side closes; a closed conversation takes no more messages.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.set_inquiry_status(actor=linked_operator, inquiry=inquiry, to="closed")
    inquiry.refresh_from_db()
    assert inquiry.status == "closed" and inquiry.closed_at is not None
    assert recipients(mail.outbox) == {verified_exporter.email, colleague_a.email}
    assert "closed" in mail.outbox[0].subject
    with pytest.raises(ValidationError) as error:
        services.post_message(actor=verified_exporter, inquiry=inquiry, body="Hello?")
    assert "closed" in str(error.value.message_dict["body"])
    assert officer_sulteng.email not in recipients(mail.outbox)


def test_a_rolled_back_inquiry_sends_no_mail(world, verified_exporter, officer_konawe):
    with pytest.raises(RuntimeError), transaction.atomic():
        ask(verified_exporter, world.crab)
        raise RuntimeError
    assert mail.outbox == []
    assert not Inquiry.objects.exists()


def test_notifications_are_rendered_in_the_recipients_language(
    world, verified_exporter, officer_konawe, django_capture_on_commit_callbacks
):
    officer_konawe.language = "id"
    officer_konawe.save()
    with django_capture_on_commit_callbacks(execute=True):
        ask(verified_exporter, world.crab)
    stored = Notification.objects.get(recipient=officer_konawe)
    assert stored.kind == "inquiry.new.inquiry"
    assert stored.link.endswith(f"/matchmaking/inquiries/{Inquiry.objects.get().pk}/")


def test_sample_requests_are_marked_sent_by_the_product_side_only(
    world, verified_exporter, linked_operator, officer_sulteng, django_capture_on_commit_callbacks
):
    sample = ask(verified_exporter, world.crab, kind=Inquiry.Kind.SAMPLE_REQUEST)
    assert dealings_access.allowed_inquiry_statuses(verified_exporter, sample) == ["closed"]
    assert dealings_access.allowed_inquiry_statuses(linked_operator, sample) == [
        "sample_sent",
        "closed",
    ]
    assert dealings_access.allowed_inquiry_statuses(officer_sulteng, sample) == []
    with pytest.raises(PermissionDenied, match="product side"):
        services.set_inquiry_status(actor=verified_exporter, inquiry=sample, to="sample_sent")
    with pytest.raises(PermissionDenied):
        services.set_inquiry_status(actor=officer_sulteng, inquiry=sample, to="closed")
    with django_capture_on_commit_callbacks(execute=True):
        services.set_inquiry_status(actor=linked_operator, inquiry=sample, to="sample_sent")
    sample.refresh_from_db()
    assert sample.status == "sample_sent"
    assert recipients(mail.outbox) == {verified_exporter.email}
    # A plain inquiry has no sample to send.
    plain = ask(verified_exporter, world.crab)
    with pytest.raises(ValidationError):
        services.set_inquiry_status(actor=linked_operator, inquiry=plain, to="sample_sent")
    with pytest.raises(ValidationError):
        services.set_inquiry_status(actor=linked_operator, inquiry=plain, to="answered")
    with pytest.raises(ValidationError):
        services.set_inquiry_status(actor=linked_operator, inquiry=plain, to="nonsense")


def test_one_active_conversation_per_kind_and_product(world, verified_exporter, colleague_a):
    first = ask(verified_exporter, world.crab)
    with pytest.raises(ValidationError) as error:
        ask(colleague_a, world.crab)
    assert "already has an active inquiry" in str(error.value.message_dict["kind"])
    ask(colleague_a, world.crab, kind=Inquiry.Kind.INTEREST)  # another kind is fine
    services.set_inquiry_status(actor=verified_exporter, inquiry=first, to="closed")
    assert ask(colleague_a, world.crab).pk != first.pk  # after closing, a new one
    with pytest.raises(IntegrityError), transaction.atomic():
        Inquiry.objects.create(
            kind="inquiry",
            product=world.crab,
            organisation=first.organisation,
            subject="Duplicate",
        )


def test_strangers_cannot_write_in_a_conversation(
    world, verified_exporter, second_exporter, officer_sulteng, operator, pending_exporter
):
    inquiry = ask(verified_exporter, world.crab)
    for outsider in (second_exporter, officer_sulteng, operator, pending_exporter):
        with pytest.raises(PermissionDenied):
            services.post_message(actor=outsider, inquiry=inquiry, body="Hi")
        with pytest.raises(PermissionDenied):
            services.set_inquiry_status(actor=outsider, inquiry=inquiry, to="closed")


def test_a_member_of_an_organisation_that_lost_verification_reads_but_cannot_write(
    world, verified_exporter, org_a
):
    inquiry = ask(verified_exporter, world.crab)
    org_a.status = "pending"
    org_a.verified_at = None
    org_a.save()
    verified_exporter.organisation_verified = False
    verified_exporter.save()
    assert list(selectors.visible_inquiries(verified_exporter)) == [inquiry]
    with pytest.raises(PermissionDenied, match="not verified yet"):
        services.post_message(actor=verified_exporter, inquiry=inquiry, body="Still there?")


@pytest.mark.parametrize("body", ["", "   \n "])
def test_empty_messages_are_refused(world, verified_exporter, officer_konawe, body):
    with pytest.raises(ValidationError) as error:
        ask(verified_exporter, world.crab, body=body)
    assert "body" in error.value.message_dict
    inquiry = ask(verified_exporter, world.crab)
    with pytest.raises(ValidationError) as error:
        services.post_message(actor=officer_konawe, inquiry=inquiry, body=body)
    assert "body" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        InquiryMessage.objects.create(inquiry=inquiry, side="product", body="")


def test_attachments_are_pdf_jpeg_or_png_by_content(world, verified_exporter, officer_konawe):
    inquiry = ask(verified_exporter, world.crab, attachment=pdf_upload("spec sheet.pdf"))
    message = inquiry.messages.get()
    assert message.attachment.name.endswith(".pdf")
    assert message.attachment_name == "spec sheet.pdf"
    reply = services.post_message(
        actor=officer_konawe, inquiry=inquiry, body="Photo", attachment=png_upload("crab.png")
    )
    assert reply.attachment.name.endswith(".png")
    fake = SimpleUploadedFile(
        "invoice.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as error:
        services.post_message(actor=officer_konawe, inquiry=inquiry, body="x", attachment=fake)
    assert "PDF, JPEG or PNG" in str(error.value.message_dict["attachment"])
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf")
    with pytest.raises(ValidationError) as error:
        services.post_message(actor=officer_konawe, inquiry=inquiry, body="x", attachment=big)
    assert "10 MB" in str(error.value.message_dict["attachment"])
    assert inquiry.messages.count() == 2


def test_inquiry_scoping(
    world,
    verified_exporter,
    second_exporter,
    pending_exporter,
    ministry,
    officer_sultra,
    officer_konawe,
    officer_sulteng,
    linked_operator,
    operator,
    exporter,
):
    konawe = ask(verified_exporter, world.crab)
    donggala = ask(second_exporter, world.donggala_crab)

    def seen(user):
        return set(selectors.visible_inquiries(user))

    assert seen(ministry) == {konawe, donggala}
    assert seen(officer_sultra) == {konawe}
    assert seen(officer_konawe) == {konawe}
    assert seen(officer_sulteng) == {donggala}
    assert seen(linked_operator) == {konawe}
    assert seen(verified_exporter) == {konawe}
    assert seen(second_exporter) == {donggala}
    assert seen(pending_exporter) == seen(operator) == seen(exporter) == set()
    assert selectors.inquiry_counts(officer_sultra)["open"] == 1


# --- Buying requests and offers --------------------------------------------------------------


def test_buying_request_validation(world, verified_exporter):
    today = timezone.localdate()
    cases = {
        "quantity": {"quantity": Decimal("0")},
        "valid_until": {"valid_until": today},
        "hs_code": {"hs_code": HsCode.objects.get(code="03")},
        "target_price": {"target_price": Decimal("-1")},
        "currency": {"currency": "dollars"},
    }
    for field, override in cases.items():
        with pytest.raises(ValidationError) as error:
            services.create_buying_request(actor=verified_exporter, data=rfq_data(**override))
        assert field in error.value.message_dict, field
    with pytest.raises(ValidationError) as error:
        services.create_buying_request(
            actor=verified_exporter, data=rfq_data(valid_until=today + timedelta(days=400))
        )
    assert "year" in str(error.value.message_dict["valid_until"])
    subheading = services.create_buying_request(
        actor=verified_exporter,
        data=rfq_data(hs_code=HsCode.objects.get(code="030633"), currency="usd"),
    )
    assert subheading.heading == "0306" and subheading.currency == "USD"
    with pytest.raises(IntegrityError), transaction.atomic():
        BuyingRequest.objects.filter(pk=subheading.pk).update(quantity=0)


def test_new_buying_requests_reach_the_suppliers_of_the_heading(
    world,
    verified_exporter,
    ministry,
    officer_sultra,
    officer_konawe,
    officer_sulteng,
    linked_operator,
    operator,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.create_buying_request(actor=verified_exporter, data=rfq_data())
    # Ministry staff see every request in their lists but are not emailed about each.
    assert recipients(mail.outbox) == {
        officer_sultra.email,
        officer_konawe.email,
        officer_sulteng.email,
        linked_operator.email,
    }
    assert "0306" in mail.outbox[0].subject


def test_buying_request_visibility_follows_the_hs_heading(
    world,
    rfq,
    verified_exporter,
    second_exporter,
    pending_exporter,
    ministry,
    officer_sultra,
    officer_sulteng,
    linked_operator,
    operator,
):
    oil_rfq = services.create_buying_request(
        actor=second_exporter,
        data=rfq_data(title="Avocado oil", hs_code=HsCode.objects.get(code="1515")),
    )

    def seen(user):
        return set(selectors.visible_buying_requests(user))

    assert seen(ministry) == {rfq, oil_rfq}
    assert seen(verified_exporter) == {rfq}
    assert seen(second_exporter) == {oil_rfq}
    assert seen(pending_exporter) == set()
    assert seen(officer_sultra) == {rfq, oil_rfq}
    assert seen(linked_operator) == {rfq, oil_rfq}
    assert seen(officer_sulteng) == {rfq}  # Donggala has crab, no oil
    assert seen(operator) == set()
    # Draft products do not count; expired and closed requests are hidden from responders.
    Product.objects.filter(pk=world.donggala_crab.pk).update(status="draft")
    assert seen(officer_sulteng) == set()
    BuyingRequest.objects.filter(pk=rfq.pk).update(valid_until=timezone.localdate() - timedelta(1))
    assert seen(officer_sultra) == {oil_rfq}
    assert selectors.effective_status(BuyingRequest.objects.get(pk=rfq.pk)) == "expired"
    assert seen(verified_exporter) == {rfq}  # the owner still sees it
    services.close_buying_request(actor=second_exporter, buying_request=oil_rfq)
    assert seen(officer_sultra) == set()


def test_offer_flow(
    world,
    rfq,
    verified_exporter,
    colleague_a,
    linked_operator,
    officer_sultra,
    officer_konawe,
    ministry,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        offer = services.make_offer(
            actor=linked_operator,
            buying_request=rfq,
            product=world.crab,
            data={"price": Decimal("12.2"), "quantity": Decimal("3"), "message": " Weekly "},
        )
    assert (offer.currency, offer.incoterm, offer.unit) == ("USD", "FOB", "ton")
    assert offer.message == "Weekly" and offer.status == "submitted"
    assert recipients(mail.outbox) == {verified_exporter.email, colleague_a.email}
    assert list(selectors.offers_on(verified_exporter, rfq)) == [offer]
    assert list(selectors.offers_on(officer_sultra, rfq)) == [offer]

    with pytest.raises(ValidationError) as error:
        services.make_offer(
            actor=officer_konawe,
            buying_request=rfq,
            product=world.crab,
            data={"price": Decimal("12"), "quantity": Decimal("1")},
        )
    assert "waiting for an answer" in str(error.value.message_dict["product"])

    mail.outbox.clear()
    with pytest.raises(PermissionDenied):
        services.decide_offer(actor=linked_operator, offer=offer, accept=True)
    with django_capture_on_commit_callbacks(execute=True):
        offer = services.decide_offer(actor=colleague_a, offer=offer, accept=True)
    assert offer.status == "accepted" and offer.decided_by == colleague_a
    assert recipients(mail.outbox) == {
        linked_operator.email,
        officer_sultra.email,
        officer_konawe.email,
        ministry.email,
    }
    assert "accepted" in mail.outbox[0].subject
    with pytest.raises(ValidationError):
        services.decide_offer(actor=verified_exporter, offer=offer, accept=False)


def test_offer_rules(world, rfq, linked_operator, officer_sulteng, verified_exporter):
    def offer(actor, product, **data):
        return services.make_offer(
            actor=actor,
            buying_request=rfq,
            product=product,
            data={"price": Decimal("10"), "quantity": Decimal("1"), **data},
        )

    with pytest.raises(ValidationError) as error:
        offer(linked_operator, world.donggala_crab)  # not on the operator's side
    assert "own side" in str(error.value.message_dict["product"])
    with pytest.raises(ValidationError) as error:
        offer(linked_operator, world.oil)  # another heading
    assert "0306" in str(error.value.message_dict["product"])
    with pytest.raises(ValidationError) as error:
        offer(linked_operator, world.crab_draft)
    assert "product" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        offer(linked_operator, world.crab, quantity=Decimal("0"))
    assert "quantity" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        offer(linked_operator, world.crab, price=Decimal("-2"))
    assert "price" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        offer(verified_exporter, world.crab)
    # Verified (not yet export-ready) products may answer too.
    Product.objects.filter(pk=world.donggala_crab.pk).update(status="verified")
    assert offer(officer_sulteng, world.donggala_crab).product == world.donggala_crab
    # A declined offer may be replaced with a new price.
    first = offer(linked_operator, world.crab)
    services.decide_offer(actor=verified_exporter, offer=first, accept=False)
    assert offer(linked_operator, world.crab, price=Decimal("9")).pk != first.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(
            buying_request=rfq, product=world.crab, price=1, quantity=1, status="submitted"
        )
    # A closed request takes no offers.
    services.close_buying_request(actor=verified_exporter, buying_request=rfq)
    with pytest.raises(ValidationError):
        offer(officer_sulteng, world.donggala_crab, price=Decimal("8"))


def test_buying_requests_are_changed_by_their_organisation_only(
    world, rfq, verified_exporter, colleague_a, second_exporter, officer_sultra
):
    for outsider in (second_exporter, officer_sultra):
        with pytest.raises(PermissionDenied):
            services.update_buying_request(actor=outsider, buying_request=rfq, data={})
        with pytest.raises(PermissionDenied):
            services.close_buying_request(actor=outsider, buying_request=rfq)
    services.update_buying_request(
        actor=colleague_a, buying_request=rfq, data={"quantity": Decimal("5"), "title": " New "}
    )
    rfq.refresh_from_db()
    assert rfq.quantity == 5 and rfq.title == "New"
    with pytest.raises(ValidationError):
        services.update_buying_request(
            actor=colleague_a, buying_request=rfq, data={"quantity": Decimal("-5")}
        )


def test_expiry_marks_past_requests_and_a_new_date_revives_them(world, rfq, verified_exporter):
    BuyingRequest.objects.filter(pk=rfq.pk).update(valid_until=timezone.localdate() - timedelta(1))
    assert services.expire_buying_requests() == 1
    assert services.expire_buying_requests() == 0
    rfq.refresh_from_db()
    assert rfq.status == "expired"
    services.update_buying_request(
        actor=verified_exporter,
        buying_request=rfq,
        data={"valid_until": timezone.localdate() + timedelta(days=10)},
    )
    rfq.refresh_from_db()
    assert rfq.status == "open"


def test_the_expiry_task_runs(world, rfq):
    BuyingRequest.objects.filter(pk=rfq.pk).update(valid_until=timezone.localdate() - timedelta(1))
    assert dealings_tasks.expire_buying_requests.delay().get() == 1


# --- Service requests ------------------------------------------------------------------------


def request_documents(actor, world, platform, **kwargs):
    return services.request_service(
        actor=actor,
        provider=platform,
        service="documents",
        product=kwargs.pop("product", world.crab),
        description=kwargs.pop("description", "Invoice, packing list and Form AHK."),
        **kwargs,
    )


def test_service_request_flow(
    world,
    platform,
    provider,
    officer_konawe,
    officer_sultra,
    linked_operator,
    ministry,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        request = request_documents(officer_konawe, world, platform, shipment="KDI-HKG 500 kg")
    assert request.status == "requested" and request.requested_by == officer_konawe
    side = {linked_operator.email, officer_sultra.email, ministry.email}
    assert recipients(mail.outbox) == {provider.email} | side
    assert dealings_access.allowed_service_statuses(provider, request) == ["accepted", "declined"]
    assert dealings_access.allowed_service_statuses(officer_konawe, request) == ["cancelled"]

    mail.outbox.clear()
    with pytest.raises(PermissionDenied, match="service provider"):
        services.transition_service_request(
            actor=officer_konawe, service_request=request, to="accepted"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_service_request(actor=provider, service_request=request, to="accepted")
    assert recipients(mail.outbox) == side | {officer_konawe.email}
    services.transition_service_request(actor=provider, service_request=request, to="in_progress")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        note = services.add_service_note(
            actor=linked_operator,
            service_request=request,
            body="Packing on Tuesday",
            document=pdf_upload("packing list.pdf"),
        )
    assert note.document_name == "packing list.pdf"
    assert recipients(mail.outbox) == {provider.email, officer_konawe.email} | side - {
        linked_operator.email
    }
    services.transition_service_request(actor=provider, service_request=request, to="completed")
    request.refresh_from_db()
    assert request.status == "completed"
    assert [(n.from_status, n.to_status) for n in request.notes.all()] == [
        ("requested", "accepted"),
        ("accepted", "in_progress"),
        ("", ""),
        ("in_progress", "completed"),
    ]
    with pytest.raises(ValidationError):
        services.transition_service_request(
            actor=officer_konawe, service_request=request, to="cancelled", note="Too late"
        )


def test_declining_and_cancelling_need_a_reason(world, platform, provider, officer_konawe):
    request = request_documents(officer_konawe, world, platform)
    with pytest.raises(ValidationError) as error:
        services.transition_service_request(actor=provider, service_request=request, to="declined")
    assert "note" in error.value.message_dict
    services.transition_service_request(
        actor=officer_konawe, service_request=request, to="cancelled", note="Done ourselves"
    )
    request.refresh_from_db()
    assert request.status == "cancelled"
    assert request.notes.get().body == "Done ourselves"
    with pytest.raises(ValidationError):
        services.transition_service_request(actor=provider, service_request=request, to="requested")


def test_who_may_request_a_service(
    world, platform, officer_sulteng, operator, verified_exporter, provider, ministry
):
    for outsider in (officer_sulteng, operator, verified_exporter, provider):
        with pytest.raises(PermissionDenied):
            request_documents(outsider, world, platform)
    assert request_documents(ministry, world, platform).requested_by == ministry
    assert request_documents(officer_sulteng, world, platform, product=world.donggala_crab)


def test_the_provider_must_offer_the_service(world, officer_konawe, org_a, platform):
    with pytest.raises(ValidationError) as error:
        request_documents(officer_konawe, world, org_a)  # a buyer, not a provider
    assert "provider" in error.value.message_dict
    platform.services = ["logistics"]
    platform.save()
    with pytest.raises(ValidationError) as error:
        request_documents(officer_konawe, world, platform)
    assert "does not offer" in str(error.value.message_dict["provider"])
    pending = OrganisationFactory(provider=True, pending=True)
    with pytest.raises(ValidationError):
        request_documents(officer_konawe, world, pending)
    with pytest.raises(ValidationError) as error:
        request_documents(
            officer_konawe, world, OrganisationFactory(provider=True), description=" "
        )
    assert "description" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.request_service(
            actor=officer_konawe,
            provider=platform,
            service="massage",
            product=world.crab,
            description="x",
        )


def test_service_notes_need_content_and_a_side(
    world, platform, provider, officer_konawe, second_exporter, officer_sulteng
):
    request = request_documents(officer_konawe, world, platform)
    with pytest.raises(ValidationError) as error:
        services.add_service_note(actor=provider, service_request=request, body="  ")
    assert "body" in error.value.message_dict
    bad = SimpleUploadedFile("x.pdf", b"GIF89a", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.add_service_note(actor=provider, service_request=request, document=bad)
    assert "document" in error.value.message_dict
    for outsider in (second_exporter, officer_sulteng):
        with pytest.raises(PermissionDenied):
            services.add_service_note(actor=outsider, service_request=request, body="Hi")
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRequestNote.objects.create(service_request=request, body="")


def test_service_request_scoping(
    world,
    platform,
    provider,
    officer_konawe,
    officer_sulteng,
    officer_sultra,
    ministry,
    linked_operator,
    operator,
    verified_exporter,
):
    konawe = request_documents(officer_konawe, world, platform)
    donggala = request_documents(officer_sulteng, world, platform, product=world.donggala_crab)
    other_provider = member("t-other-mitra", OrganisationFactory(provider=True))

    def seen(user):
        return set(selectors.visible_service_requests(user))

    assert seen(ministry) == seen(provider) == {konawe, donggala}
    assert seen(officer_sultra) == seen(linked_operator) == {konawe}
    assert seen(officer_sulteng) == {donggala}
    assert seen(operator) == seen(verified_exporter) == seen(other_provider) == set()


def test_service_request_database_constraints(world, platform):
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRequest.objects.create(
            provider=platform, service="documents", product=world.crab, description="x", status="x"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRequest.objects.create(
            provider=platform, service="massage", product=world.crab, description="x"
        )


def test_inquiry_database_constraints(world, org_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Inquiry.objects.create(
            kind="inquiry", product=world.crab, organisation=org_a, subject="x", status="bogus"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Inquiry.objects.create(
            kind="inquiry",
            product=world.crab,
            organisation=org_a,
            subject="x",
            status="sample_sent",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Inquiry.objects.create(
            kind="inquiry", product=world.crab, organisation=org_a, subject="x", status="closed"
        )


def test_panel_summaries(world, rfq, verified_exporter, linked_operator, officer_sulteng, org_a):
    ask(verified_exporter, world.crab)
    services.add_to_shortlist(actor=verified_exporter, product=world.crab)
    services.make_offer(
        actor=linked_operator,
        buying_request=rfq,
        product=world.crab,
        data={"price": 12, "quantity": 1},
    )
    summary = selectors.bumdes_summary(linked_operator, world.konawe)
    assert summary["inquiries_open"] == summary["inquiries_total"] == 1
    assert summary["offers"] == 1 and summary["shortlisted_by"] == 1
    assert selectors.bumdes_summary(officer_sulteng, world.konawe)["inquiries_total"] == 0
    organisation = selectors.organisation_summary(org_a)
    assert organisation["shortlist"] == 1 and organisation["inquiries_open"] == 1
    assert organisation["buying_requests_live"] == 1 and organisation["offers_pending"] == 1
    activity = selectors.product_activity(linked_operator, world.crab)
    assert activity["inquiries"].count() == 1 and activity["offers"].count() == 1
    assert list(activity["matching_requests"]) == [rfq]
    ProductFactory(bumdes=world.konawe, status="export_ready", hs_code_id="030631")
