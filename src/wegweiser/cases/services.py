"""All writes of the case management: atomic, validated, audited (`cases.<entity>.<event>`)."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wegweiser.accounts.constants import Role
from wegweiser.accounts.models import Organisation
from wegweiser.offers.constants import OfferStatus
from wegweiser.privacy.services import audit_log

from . import consent
from .constants import (
    CASE_TRANSITIONS,
    DOCUMENT_CONTENT_TYPES,
    DOCUMENT_MAX_BYTES,
    ERROR_CASE_MANAGER,
    ERROR_DOCUMENT_SIZE,
    ERROR_DOCUMENT_TYPE,
    ERROR_INTAKE_NOT_OPEN,
    ERROR_NO_CONSENT,
    ERROR_NOT_CASE_MANAGEMENT,
    ERROR_OFFER_NOT_IN_DIRECTORY,
    ERROR_OUTCOME_REQUIRED,
    ERROR_REFERRAL_TRANSITION,
    ERROR_TRANSFER_SAME,
    ERROR_TRANSITION,
    REFERRAL_TRANSITIONS,
    CaseStatus,
    IntakeStatus,
    ReferralStatus,
    TaskStatus,
)
from .models import (
    Appointment,
    Case,
    CaseManagementSetting,
    Document,
    Gap,
    Goal,
    Intake,
    Need,
    Note,
    Person,
    Referral,
    Task,
    Transfer,
)

# What a registration office keeps of a person who refused: enough to know they were informed.
REFUSAL_KEEPS = {"given_name", "family_name", "municipality", "arrival_date"}
CONTACT_FIELDS = ["email", "phone", "address", "languages", "household_members"]


def _audit(*, actor: Any, action: str, obj: Any, fields=(), organisation: Any = None) -> None:
    audit_log(
        action=action,
        actor=actor,
        object_type=f"cases.{obj._meta.model_name}",
        object_id=obj.pk,
        fields=fields,
        organisation=organisation,
    )


def _require_case_manager(actor: Any, case: Case) -> None:
    """Services called from views already went through the selector; this guards other callers."""
    from .selectors import case_visible_to

    if actor is not None and not case_visible_to(user=actor, case=case):
        raise PermissionDenied


def _require_coverage(*, person: Person, organisation: Organisation, purpose: str) -> None:
    if not consent.consent_covers(person=person, organisation=organisation, purpose=purpose):
        raise ValidationError(
            ERROR_NO_CONSENT
            % {"purpose": consent.Purpose(purpose).label, "organisation": organisation.name}
        )


def _takes_new_cases(organisation: Organisation) -> bool:
    """An active organisation whose case management accepts new cases (intakes and transfers).

    A case handed to a deactivated organisation would be visible to nobody: its members hold
    no roles while it is inactive.
    """
    return CaseManagementSetting.objects.filter(
        organisation=organisation, is_active=True, organisation__is_active=True
    ).exists()


# ---------------------------------------------------------------------------------------------
# Intake


@transaction.atomic
def intake_record(
    *,
    actor: Any,
    office: Organisation,
    given_name: str,
    family_name: str,
    municipality: Any,
    consent_given: bool,
    notice: Any,
    consent_language: str,
    interpreter: bool = False,
    email: str = "",
    phone: str = "",
    address: str = "",
    languages: list[str] | None = None,
    household_size: int = 1,
    household_members: str = "",
    arrival_date: date | None = None,
    address_block: bool = False,
    external_ref: str = "",
) -> Intake:
    """Record what the registration office learnt, and the consent given or refused.

    On a refusal, contact data is not stored at all: it never leaves the office because it
    never enters the system.
    """
    if actor is not None and office.pk not in actor.organisation_ids_with_role(
        Role.REGISTRATION_CLERK
    ):
        raise PermissionDenied
    person = Person(
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        municipality=municipality,
        arrival_date=arrival_date,
        household_size=household_size or 1,
        address_block=address_block,
        # Nobody works with the person yet: the retention period runs until a case opens.
        retention_from=timezone.now(),
    )
    if consent_given:
        person.email = email.strip()
        person.phone = phone.strip()
        person.address = address.strip()
        person.languages = list(languages or [])
        person.household_members = household_members.strip()
    person.full_clean()
    person.save()
    record = consent.consent_record_for_person(
        actor=actor,
        person=person,
        notice=notice,
        given=consent_given,
        language=consent_language,
        interpreter=interpreter,
        organisation=office,
    )
    intake = Intake(
        person=person,
        office=office,
        recorded_by=actor,
        consent_given=consent_given,
        consent_id=getattr(record, "pk", None),
        consent_language=consent_language,
        status=IntakeStatus.NEW if consent_given else IntakeStatus.REFUSED,
        external_ref=external_ref,
    )
    intake.full_clean()
    intake.save()
    _audit(
        actor=actor,
        action="cases.intake.recorded",
        obj=intake,
        fields=[f for f in ["given_name", "family_name", *CONTACT_FIELDS] if getattr(person, f)],
        organisation=office,
    )
    return intake


@transaction.atomic
def intake_assign(*, actor: Any, intake: Intake, organisation: Organisation) -> Case:
    """The coordinator hands an intake to a case-management organisation: a new case opens."""
    intake = Intake.objects.select_for_update().select_related("person").get(pk=intake.pk)
    if intake.status != IntakeStatus.NEW or not intake.consent_given:
        raise ValidationError(ERROR_INTAKE_NOT_OPEN)
    if not _takes_new_cases(organisation):
        raise ValidationError(ERROR_NOT_CASE_MANAGEMENT % {"organisation": organisation.name})
    _require_coverage(
        person=intake.person, organisation=organisation, purpose=consent.Purpose.CONTACT_TRANSFER
    )
    case = Case(person=intake.person, intake=intake, organisation=organisation)
    case.full_clean()
    case.save()
    _person_retention_update(intake.person)
    intake.status = IntakeStatus.ASSIGNED
    intake.assigned_organisation = organisation
    intake.assigned_at = timezone.now()
    intake.save(update_fields=["status", "assigned_organisation", "assigned_at"])
    _audit(actor=actor, action="cases.intake.assigned", obj=intake, organisation=organisation)
    _audit(actor=actor, action="cases.case.opened", obj=case, organisation=organisation)
    return case


# ---------------------------------------------------------------------------------------------
# Case


@transaction.atomic
def case_take_over(*, actor: Any, case: Case, case_manager: Any = None) -> Case:
    """A case manager of the organisation takes the case (or hands it to a colleague)."""
    _require_case_manager(actor, case)
    case_manager = case_manager or actor
    if case.organisation_id not in case_manager.organisation_ids_with_role(Role.CASE_MANAGER):
        raise ValidationError(
            ERROR_CASE_MANAGER % {"user": case_manager, "organisation": case.organisation}
        )
    case.case_manager = case_manager
    case.save(update_fields=["case_manager"])
    _audit(actor=actor, action="cases.case.assigned", obj=case, fields=["case_manager"])
    return case


@transaction.atomic
def case_status_change(*, actor: Any, case: Case, status: str, outcome: str = "") -> Case:
    """Move a case along its pipeline (`CASE_TRANSITIONS`); closing needs an outcome."""
    _require_case_manager(actor, case)
    if status not in CASE_TRANSITIONS.get(case.status, ()):
        raise ValidationError(
            ERROR_TRANSITION
            % {
                "old": CaseStatus(case.status).label,
                "new": CaseStatus(status).label if status in CaseStatus.values else status,
            }
        )
    now = timezone.now()
    fields = ["status"]
    if status == CaseStatus.CLOSED:
        if not outcome:
            raise ValidationError(ERROR_OUTCOME_REQUIRED)
        case.outcome, case.closed_at = outcome, now
        fields += ["outcome", "closed_at"]
    elif case.status == CaseStatus.CLOSED:
        case.outcome, case.closed_at = "", None
        fields += ["outcome", "closed_at"]
    if status == CaseStatus.FIRST_CONTACT and case.first_contact_at is None:
        case.first_contact_at = now
        fields.append("first_contact_at")
    case.status = status
    case.full_clean()
    case.save(update_fields=fields)
    _person_retention_update(case.person)
    _audit(actor=actor, action=f"cases.case.{status}", obj=case, fields=fields)
    return case


def _person_retention_update(person: Person) -> None:
    """Start the person's retention period when their last case closes; stop it while one is open."""
    cases = list(Case.objects.filter(person=person).values_list("status", "closed_at"))
    if any(status != CaseStatus.CLOSED for status, _closed in cases):
        start = None
    else:
        start = max((closed for _status, closed in cases if closed), default=timezone.now())
    if person.retention_from != start:
        person.retention_from = start
        person.save(update_fields=["retention_from"])


def _add(actor: Any, case: Case, obj: Any, fields: list[str]) -> Any:
    _require_case_manager(actor, case)
    obj.case = case
    obj.created_by = actor
    obj.full_clean()
    obj.save()
    _audit(actor=actor, action=f"cases.{obj._meta.model_name}.created", obj=obj, fields=fields)
    return obj


@transaction.atomic
def need_add(*, actor: Any, case: Case, life_area: Any, description: str = "") -> Need:
    return _add(actor, case, Need(life_area=life_area, description=description), ["description"])


@transaction.atomic
def goal_add(*, actor: Any, case: Case, description: str, target_date: date | None = None) -> Goal:
    return _add(
        actor, case, Goal(description=description, target_date=target_date), ["description"]
    )


@transaction.atomic
def goal_achieve(*, actor: Any, goal: Goal) -> Goal:
    _require_case_manager(actor, goal.case)
    goal.achieved_at = timezone.localdate()
    goal.save(update_fields=["achieved_at"])
    _audit(actor=actor, action="cases.goal.achieved", obj=goal, fields=["achieved_at"])
    return goal


@transaction.atomic
def appointment_add(
    *, actor: Any, case: Case, starts_at: Any, place: str = "", purpose: str = ""
) -> Appointment:
    return _add(
        actor,
        case,
        Appointment(starts_at=starts_at, place=place, purpose=purpose),
        ["starts_at", "place", "purpose"],
    )


@transaction.atomic
def note_add(*, actor: Any, case: Case, text: str, confidential: bool = True) -> Note:
    return _add(actor, case, Note(text=text, confidential=confidential), ["text"])


def document_check(*, upload: Any) -> str:
    """The content type of an upload, checked against its first bytes; ValidationError if bad."""
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(ERROR_DOCUMENT_SIZE % {"max": DOCUMENT_MAX_BYTES // (1024 * 1024)})
    head = upload.read(8)
    upload.seek(0)
    for content_type, signatures in DOCUMENT_CONTENT_TYPES.items():
        if any(head.startswith(signature) for signature in signatures):
            return content_type
    raise ValidationError(ERROR_DOCUMENT_TYPE)


@transaction.atomic
def document_add(*, actor: Any, case: Case, upload: Any, title: str = "") -> Document:
    content_type = document_check(upload=upload)
    document = Document(
        title=(title or "").strip() or _("Document"),
        content_type=content_type,
        size=upload.size,
    )
    document.case = case
    document.file.save("upload", upload, save=False)
    try:
        return _add(actor, case, document, ["file", "title"])
    except Exception:
        document.file.delete(save=False)
        raise


# ---------------------------------------------------------------------------------------------
# Referrals and transfers


@transaction.atomic
def referral_create(*, actor: Any, case: Case, offer: Any, comment: str = "") -> Referral:
    """Refer the person to an offer of the public directory (published and active); a draft
    nobody reviewed, or an ended offer, is no place to send somebody's contact to."""
    if not (offer.is_published and offer.status == OfferStatus.ACTIVE):
        raise ValidationError(ERROR_OFFER_NOT_IN_DIRECTORY)
    referral = Referral(offer=offer, provider_id=offer.organisation_id, comment=comment)
    return _add(actor, case, referral, ["offer", "comment"])


def _referral_move(referral: Referral, status: str) -> None:
    if status not in REFERRAL_TRANSITIONS.get(referral.status, ()):
        raise ValidationError(
            ERROR_REFERRAL_TRANSITION
            % {"old": ReferralStatus(referral.status).label, "new": ReferralStatus(status).label}
        )
    referral.status = status


@transaction.atomic
def referral_send(*, actor: Any, referral: Referral) -> Referral:
    """Send the person's contact to the provider: only if the consent covers it now."""
    case = referral.case
    _require_case_manager(actor, case)
    _referral_move(referral, ReferralStatus.SENT)
    _require_coverage(
        person=case.person, organisation=referral.provider, purpose=consent.Purpose.REFERRAL
    )
    referral.sent_at = timezone.now()
    referral.save(update_fields=["status", "sent_at"])
    _audit(
        actor=actor,
        action="cases.referral.sent",
        obj=referral,
        fields=["given_name", "family_name", "email", "phone"],
        organisation=referral.provider,
    )
    return referral


@transaction.atomic
def referral_confirm_contact(*, actor: Any, referral: Referral) -> Referral:
    """The provider confirms that it contacted the person (the loop back to the case)."""
    if actor is not None and referral.provider_id not in actor.organisation_ids_with_role(
        Role.PROVIDER_EDITOR, Role.CASE_MANAGER
    ):
        raise PermissionDenied
    _referral_move(referral, ReferralStatus.CONTACTED)
    referral.contacted_at = timezone.now()
    referral.save(update_fields=["status", "contacted_at"])
    _audit(actor=actor, action="cases.referral.contacted", obj=referral)
    return referral


@transaction.atomic
def referral_record_outcome(*, actor: Any, referral: Referral, outcome: str) -> Referral:
    _require_case_manager(actor, referral.case)
    _referral_move(referral, ReferralStatus.CLOSED)
    referral.outcome = outcome
    referral.closed_at = timezone.now()
    referral.full_clean()
    referral.save(update_fields=["status", "outcome", "closed_at"])
    _audit(actor=actor, action="cases.referral.closed", obj=referral, fields=["outcome"])
    return referral


@transaction.atomic
def case_transfer(
    *, actor: Any, case: Case, organisation: Organisation, reason: str = ""
) -> Transfer:
    """Hand the case to another organisation, only if the consent covers CASE_TRANSFER to it."""
    _require_case_manager(actor, case)
    if organisation.pk == case.organisation_id:
        raise ValidationError(ERROR_TRANSFER_SAME)
    if not _takes_new_cases(organisation):
        raise ValidationError(ERROR_NOT_CASE_MANAGEMENT % {"organisation": organisation.name})
    _require_coverage(
        person=case.person, organisation=organisation, purpose=consent.Purpose.CASE_TRANSFER
    )
    transfer = Transfer(
        case=case,
        from_organisation_id=case.organisation_id,
        to_organisation=organisation,
        reason=reason,
        created_by=actor,
    )
    transfer.full_clean()
    transfer.save()
    case.organisation = organisation
    case.case_manager = None
    case.save(update_fields=["organisation", "case_manager"])
    _audit(
        actor=actor,
        action="cases.case.transferred",
        obj=case,
        fields=["organisation"],
        organisation=organisation,
    )
    return transfer


# ---------------------------------------------------------------------------------------------
# Consent withdrawal


def consent_withdrawn_handler(*, consent: Any, actor: Any = None, **_kwargs: Any) -> None:
    """Called by the privacy app inside the withdrawal transaction.

    Pending referrals are blocked at once; every organisation that already received data about
    the person (the case organisation, providers of sent referrals, earlier case holders) gets a
    task to act on the withdrawal.
    """
    person = Person.objects.filter(pk=consent.subject_id).first()
    if person is None:
        return
    recipients: dict[int, Case | None] = {}
    for case in Case.objects.filter(person=person):
        recipients.setdefault(case.organisation_id, case)
        for referral in case.referrals.all():
            if referral.status == ReferralStatus.PROPOSED:
                referral.status = ReferralStatus.BLOCKED
                referral.save(update_fields=["status"])
                _audit(actor=actor, action="cases.referral.blocked", obj=referral)
            elif referral.status in (ReferralStatus.SENT, ReferralStatus.CONTACTED):
                referral.status = ReferralStatus.BLOCKED
                referral.save(update_fields=["status"])
                _audit(actor=actor, action="cases.referral.blocked", obj=referral)
                recipients.setdefault(referral.provider_id, case)
            elif referral.status == ReferralStatus.CLOSED:
                recipients.setdefault(referral.provider_id, case)
        for transfer in case.transfers.all():
            recipients.setdefault(transfer.from_organisation_id, case)
    for organisation_id, case in recipients.items():
        task = Task(
            organisation_id=organisation_id,
            case=case if case and case.organisation_id == organisation_id else None,
            title=_("Consent withdrawn: stop processing and delete received data"),
            description=_(
                "The person withdrew their consent on %(date)s. Delete or block the data you "
                "received, unless a legal duty requires keeping it."
            )
            % {"date": timezone.localdate().isoformat()},
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        task.full_clean()
        task.save()
        _audit(actor=actor, action="cases.task.created", obj=task)


@transaction.atomic
def task_complete(*, actor: Any, task: Task) -> Task:
    if actor is not None and task.organisation_id not in actor.organisation_ids_with_role(
        Role.CASE_MANAGER, Role.PROVIDER_EDITOR
    ):
        raise PermissionDenied
    task.status, task.done_at = TaskStatus.DONE, timezone.now()
    task.save(update_fields=["status", "done_at"])
    _audit(actor=actor, action="cases.task.done", obj=task)
    return task


# ---------------------------------------------------------------------------------------------
# Gaps and organisation settings


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@transaction.atomic
def gap_record(
    *,
    actor: Any,
    organisation: Organisation,
    life_area: Any,
    institution_kind: str,
    barrier_kind: str,
    municipality: Any,
    description: str = "",
    observed_on: date | None = None,
) -> Gap:
    if actor is not None and organisation.pk not in actor.organisation_ids_with_role(
        Role.CASE_MANAGER
    ):
        raise PermissionDenied
    observed_on = observed_on or timezone.localdate()
    gap = Gap(
        organisation=organisation,
        life_area=life_area,
        institution_kind=institution_kind,
        barrier_kind=barrier_kind,
        municipality=municipality,
        description=description.strip(),
        observed_on=observed_on,
        quarter=quarter_of(observed_on),
        created_by=actor,
    )
    gap.full_clean()
    gap.save()
    _audit(actor=actor, action="cases.gap.created", obj=gap, organisation=organisation)
    return gap


@transaction.atomic
def case_management_configure(
    *,
    actor: Any,
    organisation: Organisation,
    capacity: int,
    municipalities: list[Any] = (),  # type: ignore[assignment]
    languages: list[str] = (),  # type: ignore[assignment]
    is_active: bool = True,
) -> CaseManagementSetting:
    setting, _created = CaseManagementSetting.objects.get_or_create(organisation=organisation)
    setting.capacity = capacity
    setting.languages = list(languages)
    setting.is_active = is_active
    setting.full_clean()
    setting.save()
    setting.municipalities.set(municipalities)
    _audit(actor=actor, action="cases.casemanagementsetting.changed", obj=setting)
    return setting
