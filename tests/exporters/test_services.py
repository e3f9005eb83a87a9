"""Directory services and selectors: registration, confirmation, verification, editing, members,
the directory's visibility and filters, and the events announced after commit."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import resolve

from bumdes_export.accounts.models import User
from bumdes_export.reference.models import Country, Region
from exporters import access, events, selectors, services
from exporters.models import Membership, Organisation, OrganisationChange
from tests.exporters.factories import MembershipFactory, OrganisationFactory
from tests.factories import UserFactory
from tests.products.factories import fake_image_upload, png_upload

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+")


def link_in(body: str) -> str:
    links = LINK.findall(body)
    assert len(links) == 1, body
    return urlparse(links[0]).path


@pytest.fixture
def announced():
    """Every ``organisation_changed`` signal, as (organisation_id, version)."""
    sent = []

    def receiver(sender, organisation_id, version, **kwargs):
        sent.append((organisation_id, version))

    events.organisation_changed.connect(receiver)
    yield sent
    events.organisation_changed.disconnect(receiver)


def registration(**overrides) -> dict:
    kwargs = {
        "username": "pembeli-baru",
        "email": "Buyer@Example.JP",
        "password": "kepiting-segar-2026",
        "first_name": "Haruka",
        "last_name": "Sato",
        "language": "en",
        "organisation": {
            "legal_name": "Yamato Natural Foods K.K.",
            "kind": "buyer",
            "country": Country.objects.get(code="JP"),
            "province": None,
            "contact_email": "sourcing@yamato.example.jp",
        },
        "preferences": {"hs_interests": ["1106"], "destination_markets": ["JP"]},
        "privacy_consent": True,
    }
    kwargs.update(overrides)
    return kwargs


def indonesian(**fields) -> dict:
    return {
        "legal_name": "PT Kepiting Baru",
        "kind": "exporter",
        "country": Country.objects.get(code="ID"),
        "province": Region.objects.get(code="74"),
        **fields,
    }


# --- Registration ----------------------------------------------------------------------------


class TestRegister:
    def test_creates_an_inactive_admin_of_a_pending_organisation_and_emails_a_link(
        self, regions, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            membership = services.register(**registration())
        user, organisation = membership.user, membership.organisation
        assert membership.is_admin
        assert not user.is_active
        assert user.email == "buyer@example.jp"
        assert user.role == "exporter"
        assert not user.organisation_verified
        assert organisation.status == Organisation.Status.PENDING
        assert organisation.privacy_consent_at is not None
        assert list(organisation.hs_interests.values_list("code", flat=True)) == ["1106"]
        assert organisation.history.get().action == "registered"
        assert len(mailoutbox) == 1
        mail = mailoutbox[0]
        assert mail.to == ["buyer@example.jp"]
        assert "Confirm your email" in mail.subject
        match = resolve(link_in(mail.body))
        assert match.view_name == "exporters:confirm_email"

    def test_the_privacy_notice_must_be_accepted(self, regions):
        with pytest.raises(ValidationError) as error:
            services.register(**registration(privacy_consent=False))
        assert "privacy_consent" in error.value.message_dict
        assert not User.objects.filter(username="pembeli-baru").exists()

    @pytest.mark.parametrize(
        "field, value",
        [("username", "T-EKSPORTIR"), ("email", "T-Eksportir@example.id")],
    )
    def test_username_and_email_are_unique_whatever_their_case(self, exporter, field, value):
        with pytest.raises(ValidationError) as error:
            services.register(**registration(**{field: value}))
        assert field in error.value.message_dict
        assert not Organisation.objects.exists()

    @pytest.mark.parametrize("password", ["short1", "password123", "12345678901", "pembeli-baru1"])
    def test_the_password_must_pass_the_validators_and_nothing_is_kept(self, regions, password):
        with pytest.raises(ValidationError) as error:
            services.register(**registration(password=password))
        assert "password" in error.value.message_dict
        assert not Organisation.objects.exists()
        assert not User.objects.filter(username="pembeli-baru").exists()

    @pytest.mark.parametrize(
        "fields, error_field",
        [
            ({"nib": "12345"}, "nib"),
            ({"npwp": "01.234.567.8-901"}, "npwp"),
            ({"province": None}, "province"),
            ({"required_certificates": ["health-fish", "iso-9999"]}, "required_certificates"),
            ({"incoterms": ["FOB", "XYZ"]}, "incoterms"),
            ({"services": ["banking"]}, "services"),
            ({"languages": ["id", "klingon"]}, "languages"),
            ({"website": "not a url"}, "website"),
        ],
    )
    def test_invalid_organisation_fields_are_reported_on_their_field(
        self, regions, fields, error_field
    ):
        with pytest.raises(ValidationError) as error:
            services.register(**registration(organisation=indonesian(**fields)))
        assert error_field in error.value.message_dict
        assert not Organisation.objects.exists()

    def test_formatted_identifiers_are_kept_as_digits(self, regions):
        membership = services.register(
            **registration(
                organisation=indonesian(nib="9120 2026 7741 0", npwp="02.456.789.1-811.000")
            )
        )
        assert membership.organisation.nib == "9120202677410"
        assert membership.organisation.npwp == "024567891811000"

    def test_unknown_preference_codes_are_an_error(self, regions):
        with pytest.raises(ValidationError) as error:
            services.register(**registration(preferences={"hs_interests": ["0399"]}))
        assert "hs_interests" in error.value.message_dict


class TestConfirmEmail:
    def register(self) -> tuple[User, str]:
        membership = services.register(**registration())
        return membership.user, services.confirmation_link(membership.user)

    def test_activates_once_and_tells_every_active_ministry_user(
        self, ministry, mailoutbox, django_capture_on_commit_callbacks
    ):
        UserFactory(username="t-kemendes-2", ministry=True)
        UserFactory(username="t-kemendes-old", ministry=True, is_active=False)
        user, link = self.register()
        match = resolve(link)
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            confirmed = services.confirm_email(**match.kwargs)
        assert confirmed == user
        user.refresh_from_db()
        assert user.is_active
        assert sorted(m.to[0] for m in mailoutbox) == [
            "t-kemendes-2@example.id",
            "t-kemendes@example.id",
        ]
        mail = mailoutbox[0]
        assert "awaits verification" in mail.subject
        assert "Yamato Natural Foods" in mail.subject
        assert resolve(link_in(mail.body)).view_name == "exporters:detail"
        assert services.confirm_email(**match.kwargs) is None  # spent
        assert OrganisationChange.objects.filter(action="email_confirmed").count() == 1

    def test_a_bad_link_confirms_nothing(self, regions):
        user, link = self.register()
        kwargs = resolve(link).kwargs
        assert services.confirm_email(kwargs["uidb64"], "bad-token") is None
        assert services.confirm_email("bm90LWEtdXNlcg", kwargs["token"]) is None
        assert services.confirm_email("!!!", "x") is None
        user.refresh_from_db()
        assert not user.is_active

    def test_an_old_link_does_not_reactivate_a_deactivated_or_removed_account(self, ministry):
        user, link = self.register()
        kwargs = resolve(link).kwargs
        assert services.confirm_email(**kwargs) == user
        User.objects.filter(pk=user.pk).update(is_active=False)  # deactivated by ministry
        assert services.confirm_email(**kwargs) is None
        Membership.objects.filter(user=user).delete()
        assert services.confirm_email(**kwargs) is None
        user.refresh_from_db()
        assert not user.is_active


# --- Verification ----------------------------------------------------------------------------


class TestVerification:
    def test_ministry_verifies_members_follow_and_hear_about_it(
        self,
        ministry,
        unverified_exporter,
        pending_org,
        mailoutbox,
        announced,
        django_capture_on_commit_callbacks,
    ):
        colleague = MembershipFactory(organisation=pending_org, is_admin=False).user
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.verify(actor=ministry, organisation=pending_org)
            assert announced == []  # not before the commit
        for callback in callbacks:
            callback()
        pending_org.refresh_from_db()
        assert pending_org.status == "verified"
        assert pending_org.verified_by == ministry
        assert pending_org.verified_at is not None
        assert pending_org.version == 2
        assert announced == [(pending_org.pk, 2)]
        for user in (unverified_exporter, colleague):
            user.refresh_from_db()
            assert user.organisation_verified
        assert sorted(m.to[0] for m in mailoutbox) == sorted(
            [unverified_exporter.email, colleague.email]
        )
        assert mailoutbox[0].subject == "Your organisation is verified · BUMDes Export Portal"
        assert "have verified Yamato Natural Foods" in mailoutbox[0].body
        entry = pending_org.history.get()
        assert (entry.action, entry.actor) == ("verified", ministry)

    def test_verifying_twice_changes_nothing(self, ministry, pending_org, announced):
        services.verify(actor=ministry, organisation=pending_org)
        services.verify(actor=ministry, organisation=pending_org)
        pending_org.refresh_from_db()
        assert pending_org.version == 2
        assert pending_org.history.count() == 1

    @pytest.mark.parametrize(
        "role",
        ["officer_sultra", "operator", "exporter", "verified_exporter", "unverified_exporter"],
    )
    def test_only_ministry_staff_verify_or_reject(self, request, role, pending_org):
        actor = request.getfixturevalue(role)
        with pytest.raises(PermissionDenied):
            services.verify(actor=actor, organisation=pending_org)
        with pytest.raises(PermissionDenied):
            services.reject(actor=actor, organisation=pending_org, reason="No.")
        pending_org.refresh_from_db()
        assert pending_org.status == "pending"

    def test_rejection_needs_a_reason(self, ministry, pending_org):
        for reason in ("", "   "):
            with pytest.raises(ValidationError) as error:
                services.reject(actor=ministry, organisation=pending_org, reason=reason)
            assert "reason" in error.value.message_dict
        pending_org.refresh_from_db()
        assert pending_org.status == "pending"

    def test_rejecting_a_verified_organisation_withdraws_the_members_flag(
        self,
        ministry,
        verified_exporter,
        crab_org,
        mailoutbox,
        announced,
        django_capture_on_commit_callbacks,
    ):
        assert verified_exporter.organisation_verified
        with django_capture_on_commit_callbacks(execute=True):
            services.reject(actor=ministry, organisation=crab_org, reason="NIB not in OSS.")
        crab_org.refresh_from_db()
        verified_exporter.refresh_from_db()
        assert crab_org.status == "rejected"
        assert crab_org.rejection_reason == "NIB not in OSS."
        assert crab_org.verified_at is None and crab_org.verified_by is None
        assert not verified_exporter.organisation_verified
        assert announced == [(crab_org.pk, 2)]
        assert mailoutbox[0].subject == "Your organisation was not verified · BUMDes Export Portal"
        assert "NIB not in OSS." in mailoutbox[0].body
        entry = crab_org.history.get()
        assert (entry.action, entry.note) == ("rejected", "NIB not in OSS.")


# --- Editing ---------------------------------------------------------------------------------


class TestUpdate:
    def test_an_admin_changes_profile_and_preferences_recorded_and_announced(
        self, verified_exporter, crab_org, announced, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.update_organisation(
                actor=verified_exporter,
                organisation=crab_org,
                data={
                    "description": "Live mud crab from Kendari.",
                    "min_order_kg": Decimal("250.5"),
                    "required_certificates": ["health-fish", "coo-form-ahk", "health-fish"],
                    "incoterms": ["fob", "CIF"],
                    "languages": ["ID", "en"],
                },
                preferences={"hs_interests": ["030633", "160510"], "preferred_gateways": ["KDI"]},
            )
        crab_org.refresh_from_db()
        assert crab_org.required_certificates == ["coo-form-ahk", "health-fish"]
        assert crab_org.incoterms == ["CIF", "FOB"]
        assert crab_org.languages == ["id", "en"]
        assert crab_org.version == 2
        assert announced == [(crab_org.pk, 2)]
        entry = crab_org.history.get()
        assert entry.action == "updated" and entry.actor == verified_exporter
        assert entry.changes["hs_interests"] == [["030633"], ["030633", "160510"]]
        assert entry.changes["min_order_kg"] == [None, "250.5"]

    def test_nothing_changed_nothing_recorded(
        self, verified_exporter, crab_org, announced, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.update_organisation(
                actor=verified_exporter,
                organisation=crab_org,
                data={"legal_name": crab_org.legal_name},
                preferences={"hs_interests": ["030633"]},
            )
        crab_org.refresh_from_db()
        assert crab_org.version == 1
        assert announced == []
        assert not crab_org.history.exists()

    def test_ministry_staff_edit_any_organisation(self, ministry, pending_org):
        services.update_organisation(
            actor=ministry, organisation=pending_org, data={"contact_phone": "+81 6 0000 0000"}
        )
        pending_org.refresh_from_db()
        assert pending_org.contact_phone == "+81 6 0000 0000"

    @pytest.mark.parametrize(
        "role", ["crab_colleague", "second_exporter", "exporter", "officer_sultra", "operator"]
    )
    def test_only_the_organisations_admins_edit_it(self, request, role, crab_org):
        actor = request.getfixturevalue(role)
        with pytest.raises(PermissionDenied):
            services.update_organisation(
                actor=actor, organisation=crab_org, data={"description": "Hacked"}
            )
        crab_org.refresh_from_db()
        assert crab_org.description == "Test organisation."

    @pytest.mark.parametrize(
        "data, preferences, field",
        [
            ({"nib": "91202026774"}, {}, "nib"),
            ({"npwp": "abc"}, {}, "npwp"),
            ({"required_certificates": ["kosher-xyz"]}, {}, "required_certificates"),
            ({"incoterms": ["FOB", "DAT"]}, {}, "incoterms"),
            ({"province": None}, {}, "province"),
            ({}, {"hs_interests": ["9999"]}, "hs_interests"),
            ({}, {"destination_markets": ["XX"]}, "destination_markets"),
            ({}, {"preferred_provinces": ["99"]}, "preferred_provinces"),
            ({}, {"preferred_gateways": ["NOPE"]}, "preferred_gateways"),
        ],
    )
    def test_invalid_values_are_field_errors_and_nothing_changes(
        self, verified_exporter, crab_org, data, preferences, field
    ):
        with pytest.raises(ValidationError) as error:
            services.update_organisation(
                actor=verified_exporter,
                organisation=crab_org,
                data={"description": "changed", **data},
                preferences=preferences,
            )
        assert field in error.value.message_dict
        crab_org.refresh_from_db()
        assert crab_org.description == "Test organisation."
        assert crab_org.version == 1

    def test_logo_is_validated_stored_and_announced(
        self, verified_exporter, crab_org, announced, django_capture_on_commit_callbacks
    ):
        with pytest.raises(ValidationError) as error:
            services.set_logo(
                actor=verified_exporter, organisation=crab_org, upload=fake_image_upload()
            )
        assert "logo" in error.value.message_dict
        with django_capture_on_commit_callbacks(execute=True):
            services.set_logo(actor=verified_exporter, organisation=crab_org, upload=png_upload())
        crab_org.refresh_from_db()
        assert crab_org.logo.name.startswith("logos/") and crab_org.logo.name.endswith(".jpg")
        assert announced == [(crab_org.pk, 2)]
        with pytest.raises(PermissionDenied):
            services.set_logo(actor=UserFactory(), organisation=crab_org, upload=png_upload())

    def test_ministry_lists_a_partner_organisation(self, ministry, verified_exporter):
        data = indonesian(legal_name="PT Gerbang Niaga", kind="platform", services=["payment"])
        organisation = services.create_organisation(
            actor=ministry, data=data, preferences={"destination_markets": ["CN"]}
        )
        assert organisation.status == "pending"
        assert organisation.history.get().action == "created"
        with pytest.raises(PermissionDenied):
            services.create_organisation(actor=verified_exporter, data=data)


# --- Members ---------------------------------------------------------------------------------


class TestMembers:
    def test_an_admin_invites_a_colleague_with_a_set_password_link(
        self, verified_exporter, crab_org, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            membership = services.invite_colleague(
                actor=verified_exporter,
                organisation=crab_org,
                email="Staf@Kepiting.example.id",
                first_name="Wa Ode",
                language="en",
            )
        user = membership.user
        assert (user.username, user.email, user.role) == (
            "staf@kepiting.example.id",
            "staf@kepiting.example.id",
            "exporter",
        )
        assert user.organisation_verified
        assert not user.has_usable_password()
        assert not membership.is_admin
        mail = mailoutbox[0]
        # It names the portal already: not twice.
        assert mail.subject == "You are invited to PT Kepiting Sultra on the BUMDes Export Portal"
        assert "Budi Santoso has invited you" in mail.body
        assert resolve(link_in(mail.body)).view_name == "password_reset_confirm"
        assert crab_org.history.get().action == "member_invited"

    def test_an_existing_email_is_refused(self, verified_exporter, crab_org, exporter):
        with pytest.raises(ValidationError) as error:
            services.invite_colleague(
                actor=verified_exporter, organisation=crab_org, email=exporter.email.upper()
            )
        assert "email" in error.value.message_dict

    def test_non_admins_invite_and_remove_nobody(self, crab_colleague, verified_exporter, crab_org):
        with pytest.raises(PermissionDenied):
            services.invite_colleague(
                actor=crab_colleague, organisation=crab_org, email="x@example.id"
            )
        with pytest.raises(PermissionDenied):
            services.remove_member(actor=crab_colleague, membership=verified_exporter.membership)

    def test_removing_a_member_deactivates_the_account_but_the_last_admin_stays(
        self, verified_exporter, crab_colleague, crab_org
    ):
        services.remove_member(actor=verified_exporter, membership=crab_colleague.membership)
        crab_colleague.refresh_from_db()
        assert not crab_colleague.is_active and not crab_colleague.organisation_verified
        assert not Membership.objects.filter(user=crab_colleague).exists()
        with pytest.raises(ValidationError):
            services.remove_member(actor=verified_exporter, membership=verified_exporter.membership)
        assert Membership.objects.filter(user=verified_exporter).exists()
        assert [e.action for e in crab_org.history.all()] == ["member_removed"]

    def test_join_attaches_existing_accounts(self, exporter, crab_org):
        services.join(crab_org, [exporter], admin=True)
        exporter.refresh_from_db()
        assert exporter.organisation_verified
        assert exporter.membership.is_admin
        assert access.can_edit_organisation(exporter, crab_org)


# --- Selectors -------------------------------------------------------------------------------


def names(qs) -> list[str]:
    return sorted(o.legal_name for o in qs)


CRAB, HK, JP = (
    "PT Kepiting Sultra",
    "Harbour Fresh Seafood Trading Ltd",
    "Yamato Natural Foods K.K.",
)


class TestDirectory:
    @pytest.fixture(autouse=True)
    def orgs(self, verified_exporter, second_exporter, unverified_exporter):
        OrganisationFactory(legal_name="Ditolak", status="rejected", rejection_reason="No.")

    @pytest.mark.parametrize(
        "role, expected",
        [
            ("anonymous", []),
            ("ministry", [CRAB, "Ditolak", HK, JP]),
            ("officer_sultra", [CRAB, HK]),
            ("operator", [CRAB, HK]),
            ("exporter", [CRAB, HK]),
            ("verified_exporter", [CRAB, HK]),
            ("second_exporter", [CRAB, HK]),
            ("unverified_exporter", [CRAB, HK, JP]),
        ],
    )
    def test_who_sees_which_organisations(self, request, role, expected):
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
        assert names(selectors.directory(user)) == sorted(expected)

    def test_an_inactive_member_sees_nothing(self, unverified_exporter):
        User.objects.filter(pk=unverified_exporter.pk).update(is_active=False)
        unverified_exporter.refresh_from_db()
        assert names(selectors.directory(unverified_exporter)) == []

    @pytest.mark.parametrize(
        "hs, expected",
        [
            ("03", [CRAB, HK]),  # a chapter covers the heading and the subheading below it
            ("0306", [CRAB, HK]),
            ("030633", [CRAB, HK]),  # a subheading is covered by an interest in its heading
            ("0306.33", [CRAB, HK]),
            ("030631", [HK]),  # another subheading of 0306: only the heading interest
            ("11", [JP]),
            ("110630", [JP]),
            ("16", []),
        ],
    )
    def test_hs_filter_matches_up_and_down_the_tree(self, ministry, hs, expected):
        assert names(selectors.directory(ministry, hs=hs)) == sorted(expected)

    @pytest.mark.parametrize(
        "kwargs, expected",
        [
            ({"kind": "buyer"}, [HK, JP]),
            ({"kind": "exporter"}, [CRAB, "Ditolak"]),
            ({"market": "HK"}, [CRAB, HK]),
            ({"market": "SG"}, [HK]),
            ({"province": "74"}, [CRAB, "Ditolak"]),
            ({"province": "72"}, []),
            ({"service": "logistics"}, [HK]),
            ({"status": "pending"}, [JP]),
            ({"q": "harbour"}, [HK]),
            ({"q": "test organisation", "kind": "buyer", "market": "JP"}, [JP]),
        ],
    )
    def test_filters(self, ministry, kwargs, expected):
        assert names(selectors.directory(ministry, **kwargs)) == sorted(expected)

    def test_viewer_rules(self, ministry, verified_exporter, unverified_exporter, crab_org, hk_org):
        assert access.can_see_contact(ministry, hk_org)
        assert access.can_see_contact(verified_exporter, hk_org)
        assert not access.can_see_contact(unverified_exporter, hk_org)
        assert access.can_see_contact(
            unverified_exporter, unverified_exporter.membership.organisation
        )
        assert access.can_see_members(verified_exporter, crab_org)
        assert not access.can_see_members(verified_exporter, hk_org)
        assert access.viewer(verified_exporter).edits(crab_org)
        assert not access.viewer(verified_exporter).edits(hk_org)
