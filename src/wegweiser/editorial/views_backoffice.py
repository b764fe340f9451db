"""Back office of the editorial team and the providers: thin views over selectors and services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View

from wegweiser.core.access import PermissionRequiredMixin, PublicViewMixin
from wegweiser.core.html import json_for_script
from wegweiser.core.models import LifeArea, TargetGroup
from wegweiser.offers import selectors as offer_selectors
from wegweiser.offers.constants import TranslationState
from wegweiser.offers.models import FeedbackStatus, Offer
from wegweiser.search.models import SynonymGroup

from . import selectors, services
from .constants import (
    CONTACT_KEYS,
    ERROR_DUPLICATE_CONFIRM,
    ERROR_LINK_INVALID,
    PAGE_SIZE,
    SCHEDULE_KEYS,
    SNAPSHOT_FIELDS,
    RevisionState,
)
from .forms import (
    ContactFormSet,
    DuplicateConfirmForm,
    GoodPracticeForm,
    LifeAreaForm,
    OfferForm,
    ReturnForm,
    ScheduleFormSet,
    StatusForm,
    SynonymGroupForm,
    TargetGroupForm,
    TranslationForm,
)
from .snapshots import _json_value, empty_snapshot, offer_snapshot, snapshot_diff


def _base_url(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def _stale_months() -> int:
    return int(getattr(settings, "WEGWEISER_STALE_MONTHS", 6))


def _working_data(offer: Offer) -> tuple[dict[str, Any], Any]:
    """The data the editor works on: the open revision's, else the published offer's."""
    revision = services.revision_open_for(offer)
    return (revision.data if revision else offer_snapshot(offer)), revision


def _published_data(offer: Offer) -> dict[str, Any]:
    return offer_snapshot(offer) if offer.is_published else empty_snapshot()


# --- the offer form --------------------------------------------------------------------------


class OfferFormMixin:
    template_name = "editorial/offer_form.html"

    def build_forms(
        self, request, *, data=None, snapshot=None, organisation=None, organisations=None
    ):
        snapshot = snapshot or empty_snapshot()
        initial = {k: v for k, v in snapshot["fields"].items() if v is not None}
        for key in ("life_areas", "target_groups", "languages", "locations"):
            initial[key] = snapshot.get(key, [])
        locations = selectors.location_list_for_user(user=request.user)
        if organisation is not None:
            locations = locations.filter(organisation=organisation)
        form = OfferForm(
            data,
            initial=initial,
            instance=Offer(organisation=organisation) if organisation else Offer(),
            locations=locations,
            organisations=organisations,
        )
        schedules = ScheduleFormSet(
            data, initial=snapshot.get("schedules") or None, prefix="schedules"
        )
        contacts = ContactFormSet(data, initial=snapshot.get("contacts") or None, prefix="contacts")
        return form, schedules, contacts

    @staticmethod
    def valid(*forms_) -> bool:
        # A list, not a generator: every form is validated so that all errors show at once.
        return all([f.is_valid() for f in forms_])  # noqa: C419

    @staticmethod
    def snapshot_from(form, schedules, contacts, translations: dict) -> dict[str, Any]:
        data = form.cleaned_data
        return {
            "fields": {f: _json_value(data.get(f)) for f in SNAPSHOT_FIELDS},
            "life_areas": sorted(a.slug for a in data["life_areas"]),
            "target_groups": sorted(g.slug for g in data["target_groups"]),
            "languages": sorted(lang.code for lang in data["languages"]),
            "locations": sorted(str(loc.uuid) for loc in data["locations"]),
            "schedules": [
                {k: _json_value(f.cleaned_data.get(k)) for k in SCHEDULE_KEYS}
                for f in schedules.forms
                if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
            ],
            "contacts": [
                {k: f.cleaned_data.get(k) or "" for k in CONTACT_KEYS}
                for f in contacts.forms
                if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
            ],
            "translations": translations,
        }


class OfferListView(PermissionRequiredMixin, View):
    permission = "editorial.edit_offers"

    def get(self, request):
        query = request.GET.get("q", "")[:200]
        state = request.GET.get("state", "")
        offers = selectors.offer_list_for_user(user=request.user, query=query, state=state)
        page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "editorial/offer_list.html",
            {"page": page, "query": query, "state": state, "states": RevisionState.choices},
        )


class OfferCreateView(OfferFormMixin, PermissionRequiredMixin, View):
    permission = "editorial.edit_offers"

    def _context(self, request, forms_, **extra):
        form, schedules, contacts = forms_
        return {
            "form": form,
            "schedules": schedules,
            "contacts": contacts,
            "creating": True,
            **extra,
        }

    def get(self, request):
        snapshot = empty_snapshot()
        suggestion_uuid = request.GET.get("suggestion")
        if suggestion_uuid and request.user.has_perm("editorial.curate"):
            try:
                suggestion = selectors.suggestion_get(uuid=suggestion_uuid)
            except (Http404, ValidationError):
                suggestion = None
            if suggestion is not None:
                snapshot["fields"].update(
                    name=suggestion.name,
                    summary=suggestion.description[:300],
                    description=suggestion.description,
                    website=suggestion.website,
                )
        forms_ = self.build_forms(
            request, snapshot=snapshot, organisations=selectors.organisations_for_user(request.user)
        )
        return render(request, self.template_name, self._context(request, forms_))

    def post(self, request):
        organisations = selectors.organisations_for_user(request.user)
        forms_ = self.build_forms(request, data=request.POST, organisations=organisations)
        form, schedules, contacts = forms_
        confirm = DuplicateConfirmForm(request.POST)
        confirm.is_valid()
        if not self.valid(form, schedules, contacts):
            return render(request, self.template_name, self._context(request, forms_), status=400)
        organisation = form.cleaned_data["organisation"]
        # Locations must belong to the chosen provider.
        locations = [
            loc for loc in form.cleaned_data["locations"] if loc.organisation_id == organisation.pk
        ]
        form.cleaned_data["locations"] = locations
        town = locations[0].municipality if locations else None
        duplicates = selectors.offer_find_duplicates(
            organisation=organisation, name=form.cleaned_data["name"], municipality=town
        )
        if duplicates and not confirm.cleaned_data.get("confirm_new"):
            return render(
                request,
                self.template_name,
                self._context(
                    request,
                    forms_,
                    duplicates=duplicates,
                    confirm=confirm,
                    duplicate_error=ERROR_DUPLICATE_CONFIRM,
                ),
                status=400,
            )
        data = self.snapshot_from(form, schedules, contacts, {})
        publish = request.user.has_perm("editorial.review") and "publish" in request.POST
        offer, _revision = services.offer_create_for_review(
            actor=request.user, organisation=organisation, data=data, publish=publish
        )
        suggestion_uuid = request.POST.get("suggestion")
        if suggestion_uuid and request.user.has_perm("editorial.curate"):
            try:
                suggestion = selectors.suggestion_get(uuid=suggestion_uuid)
                services.submission_set_status(
                    actor=request.user, item=suggestion, status=FeedbackStatus.DONE
                )
            except (Http404, ValidationError):
                pass
        messages.success(
            request,
            _("Offer created and published.")
            if publish
            else _("Offer created and submitted for review."),
        )
        return redirect("backoffice:editorial-offer-edit", uuid=offer.uuid)


class OfferEditView(OfferFormMixin, PermissionRequiredMixin, View):
    """Edit an offer: providers save a draft or submit; KI editors may publish at once."""

    permission = "editorial.edit_offers"

    def _context(self, request, offer, revision, forms_, **extra):
        form, schedules, contacts = forms_
        return {
            "offer": offer,
            "revision": revision,
            "form": form,
            "schedules": schedules,
            "contacts": contacts,
            "can_review": request.user.has_perm("editorial.review"),
            "translation_states": selectors.translation_states(offer=offer),
            "feedback": selectors.feedback_open_for_offer(offer=offer),
            **extra,
        }

    def get(self, request, uuid):
        offer = selectors.offer_get_for_user(request=request, uuid=uuid)
        snapshot, revision = _working_data(offer)
        forms_ = self.build_forms(request, snapshot=snapshot, organisation=offer.organisation)
        return render(request, self.template_name, self._context(request, offer, revision, forms_))

    def post(self, request, uuid):
        offer = selectors.offer_get_for_user(request=request, uuid=uuid)
        working, revision = _working_data(offer)
        forms_ = self.build_forms(request, data=request.POST, organisation=offer.organisation)
        if not self.valid(*forms_):
            return render(
                request,
                self.template_name,
                self._context(request, offer, revision, forms_),
                status=400,
            )
        data = self.snapshot_from(*forms_, working.get("translations", {}))
        if revision is None and data == _published_data(offer):
            messages.info(request, _("There are no changes to submit."))
            return redirect("backoffice:editorial-offer-edit", uuid=offer.uuid)
        if "publish" in request.POST and request.user.has_perm("editorial.review"):
            version = services.offer_save_direct(actor=request.user, offer=offer, data=data)
            messages.success(
                request, _("Published as version %(number)s.") % {"number": version.number}
            )
            return redirect("backoffice:editorial-offer-edit", uuid=offer.uuid)
        revision = services.revision_save(actor=request.user, offer=offer, data=data)
        if "submit" in request.POST:
            services.revision_submit(actor=request.user, revision=revision)
            messages.success(
                request, _("Submitted for review. The public page changes once it is published.")
            )
        else:
            messages.success(request, _("Draft saved. The public page is unchanged."))
        return redirect("backoffice:editorial-offer-edit", uuid=offer.uuid)


class OfferConfirmView(PermissionRequiredMixin, View):
    """ "Still correct": the editor checked the public offer and nothing has changed."""

    permission = "editorial.edit_offers"

    def post(self, request, uuid):
        offer = selectors.offer_get_for_user(request=request, uuid=uuid)
        services.offer_confirm_in_backoffice(actor=request.user, offer=offer)
        messages.success(request, _("Thank you. The offer is marked as verified today."))
        return redirect("backoffice:editorial-offer-edit", uuid=offer.uuid)


class OfferSubmitView(PermissionRequiredMixin, View):
    permission = "editorial.edit_offers"

    def post(self, request, uuid):
        offer = selectors.offer_get_for_user(request=request, uuid=uuid)
        revision = services.revision_open_for(offer)
        if revision is None:
            messages.error(request, _("There are no changes to submit."))
        else:
            try:
                services.revision_submit(actor=request.user, revision=revision)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(
                    request,
                    _("Submitted for review. The public page changes once it is published."),
                )
        return redirect("backoffice:editorial-offer-edit", uuid=offer.uuid)


class OfferPreviewView(PermissionRequiredMixin, View):
    """The public detail template with the proposed data, exactly as the public page will look.

    The proposal is applied inside a transaction that is always rolled back, so the page is
    rendered by the same selector and template as the public one without changing anything.
    """

    permission = "editorial.edit_offers"

    def get(self, request, uuid):
        offer = selectors.offer_get_for_user(request=request, uuid=uuid)
        data, _revision = _working_data(offer)
        language = request.GET.get("language", "de")
        if not selectors.language_exists(code=language):
            language = "de"
        with (
            services.offer_proposal_applied(offer=offer, data=data),
            translation.override(language),
        ):
            return self._render(request, offer, language)

    def _render(self, request, offer, language):
        try:
            shown = offer_selectors.offer_get_public(uuid=offer.uuid, language=language)
        except Http404:
            return render(request, "editorial/preview_unavailable.html", {"offer": offer})
        context = {
            "offer": shown,
            "texts": offer_selectors.offer_display_texts(shown, language),
            "json_ld": json_for_script({}),
            "is_open": offer_selectors.offer_is_open(shown),
            "now": timezone.localtime(),
            "map_data": json_for_script([]),
            "tile_url": settings.WEGWEISER_MAP_TILE_URL,
            "attribution": settings.WEGWEISER_MAP_ATTRIBUTION,
            "flyers": [a for a in shown.attachments.all() if a.kind == "flyer"],
            "photos": [a for a in shown.attachments.all() if a.kind == "photo"],
            "is_preview": True,
        }
        # render() builds the whole body now, before the rollback.
        response = render(request, "offers/detail.html", context)
        response["X-Robots-Tag"] = "noindex"
        return response


class TranslationListView(PermissionRequiredMixin, View):
    """All languages side by side with the German source and each translation's state."""

    permission = "editorial.edit_offers"

    def get(self, request, uuid):
        offer = selectors.offer_get_for_user(request=request, uuid=uuid)
        data, revision = _working_data(offer)
        published = selectors.translation_states(offer=offer)
        published_texts = _published_data(offer).get("translations", {})
        rows = []
        for language in selectors.translation_languages():
            proposed = data.get("translations", {}).get(language.code)
            state = published.get(language.code, TranslationState.MISSING)
            pending = bool(revision) and proposed != published_texts.get(language.code)
            rows.append(
                {
                    "language": language,
                    "texts": proposed,
                    "state": state,
                    "state_label": TranslationState(state).label,
                    "pending": pending,
                }
            )
        return render(
            request,
            "editorial/translation_list.html",
            {"offer": offer, "source": data["fields"], "rows": rows, "revision": revision},
        )


class TranslationEditView(PermissionRequiredMixin, View):
    permission = "editorial.edit_offers"

    def _language(self, code):
        return selectors.translation_language_get(code=code)

    def _render(self, request, offer, language, form, data, status=200):
        return render(
            request,
            "editorial/translation_form.html",
            {"offer": offer, "language": language, "form": form, "source": data["fields"]},
            status=status,
        )

    def get(self, request, uuid, language):
        offer = selectors.offer_get_for_user(request=request, uuid=uuid)
        language = self._language(language)
        data, _revision = _working_data(offer)
        form = TranslationForm(
            initial=data.get("translations", {}).get(language.code), language=language
        )
        return self._render(request, offer, language, form, data)

    def post(self, request, uuid, language):
        offer = selectors.offer_get_for_user(request=request, uuid=uuid)
        language = self._language(language)
        data, _revision = _working_data(offer)
        form = TranslationForm(request.POST, language=language)
        if not form.is_valid():
            return self._render(request, offer, language, form, data, status=400)
        data = {
            **data,
            "translations": {**data.get("translations", {}), language.code: form.cleaned_data},
        }
        revision = services.revision_save(actor=request.user, offer=offer, data=data)
        if "submit" in request.POST:
            services.revision_submit(actor=request.user, revision=revision)
            messages.success(
                request, _("Submitted for review. The public page changes once it is published.")
            )
            return redirect("backoffice:editorial-offer-edit", uuid=offer.uuid)
        messages.success(request, _("Translation saved in the draft."))
        return redirect("backoffice:editorial-offer-translations", uuid=offer.uuid)


class OfferHistoryView(PermissionRequiredMixin, View):
    permission = "editorial.edit_offers"

    def get(self, request, uuid):
        offer = selectors.offer_get_for_user(request=request, uuid=uuid)
        return render(
            request,
            "editorial/offer_history.html",
            {
                "offer": offer,
                "versions": selectors.version_list_for_offer(offer=offer),
                "can_review": request.user.has_perm("editorial.review"),
            },
        )


class VersionRestoreView(PermissionRequiredMixin, View):
    permission = "editorial.review"

    def post(self, request, uuid):
        version = selectors.version_get_for_user(request=request, uuid=uuid)
        new = services.version_restore(actor=request.user, version=version)
        messages.success(
            request,
            _("Version %(old)s restored as version %(new)s.")
            % {"old": version.number, "new": new.number},
        )
        return redirect("backoffice:editorial-offer-history", uuid=version.offer.uuid)


# --- review ----------------------------------------------------------------------------------


class ReviewQueueView(PermissionRequiredMixin, View):
    permission = "editorial.review"

    def get(self, request):
        page = Paginator(selectors.review_queue(user=request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render(request, "editorial/review_queue.html", {"page": page})


class RevisionDetailView(PermissionRequiredMixin, View):
    """The diff of a revision against the published version, with publish / send back."""

    permission = "editorial.edit_offers"

    def get(self, request, uuid, form=None, status=200):
        revision = selectors.revision_get_for_user(request=request, uuid=uuid)
        offer = selectors.offer_get_for_user(request=request, uuid=revision.offer.uuid)
        published = _published_data(offer)
        return render(
            request,
            "editorial/revision_detail.html",
            {
                "revision": revision,
                "offer": offer,
                "rows": snapshot_diff(published, revision.data),
                "can_review": request.user.has_perm("editorial.review"),
                "return_form": form or ReturnForm(),
            },
            status=status,
        )


class RevisionPublishView(PermissionRequiredMixin, View):
    permission = "editorial.review"

    def post(self, request, uuid):
        revision = selectors.revision_get_for_user(request=request, uuid=uuid)
        try:
            version = services.revision_publish(actor=request.user, revision=revision)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("backoffice:editorial-revision-detail", uuid=revision.uuid)
        messages.success(
            request, _("Published as version %(number)s.") % {"number": version.number}
        )
        return redirect("backoffice:editorial-review-queue")


class RevisionReturnView(PermissionRequiredMixin, View):
    permission = "editorial.review"

    def post(self, request, uuid):
        revision = selectors.revision_get_for_user(request=request, uuid=uuid)
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                services.revision_return(
                    actor=request.user,
                    revision=revision,
                    comment=form.cleaned_data["comment"],
                    base_url=_base_url(request),
                )
            except ValidationError as error:
                form.add_error(None, error.messages[0])
            else:
                messages.success(request, _("Sent back to the provider."))
                return redirect("backoffice:editorial-review-queue")
        return RevisionDetailView().get(request, uuid, form=form, status=400)


# --- locations and contacts ------------------------------------------------------------------


class LocationListView(PermissionRequiredMixin, View):
    permission = "editorial.edit_offers"

    def get(self, request):
        page = Paginator(selectors.location_list_for_user(user=request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render(request, "editorial/location_list.html", {"page": page})


class LocationFormView(PermissionRequiredMixin, View):
    permission = "editorial.edit_offers"

    def _form(self, request, data=None, instance=None):
        from .forms import LocationForm

        return LocationForm(
            data,
            instance=instance,
            organisations=None if instance else selectors.organisations_for_user(request.user),
        )

    def _render(self, request, form, location=None, status=200):
        return render(
            request,
            "editorial/location_form.html",
            {"form": form, "location": location},
            status=status,
        )

    def get(self, request, uuid=None):
        location = selectors.location_get_for_user(request=request, uuid=uuid) if uuid else None
        return self._render(request, self._form(request, instance=location), location)

    def post(self, request, uuid=None):
        import copy

        location = selectors.location_get_for_user(request=request, uuid=uuid) if uuid else None
        form = self._form(request, request.POST, instance=copy.copy(location) if location else None)
        if not form.is_valid():
            return self._render(request, form, location, status=400)
        data = {k: v for k, v in form.cleaned_data.items() if k != "organisation"}
        location = services.location_save(
            actor=request.user,
            location=location,
            organisation=form.cleaned_data.get("organisation"),
            **data,
        )
        messages.success(request, _("Location saved."))
        return redirect("backoffice:editorial-location-list")


class ContactListView(PermissionRequiredMixin, View):
    permission = "editorial.edit_offers"

    def get(self, request):
        page = Paginator(selectors.contact_list_for_user(user=request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render(request, "editorial/contact_list.html", {"page": page})


class ContactEditView(PermissionRequiredMixin, View):
    """Change one contact person; the change goes into the offer's revision."""

    permission = "editorial.edit_offers"

    def _render(self, request, contact, form, status=200):
        return render(
            request,
            "editorial/contact_form.html",
            {"contact": contact, "form": form},
            status=status,
        )

    def get(self, request, pk):
        from .forms import ContactForm

        contact = selectors.contact_get_for_user(request=request, pk=pk)
        form = ContactForm(initial={k: getattr(contact, k) for k in CONTACT_KEYS})
        return self._render(request, contact, form)

    def post(self, request, pk):
        from .forms import ContactForm

        contact = selectors.contact_get_for_user(request=request, pk=pk)
        form = ContactForm(request.POST)
        if not form.is_valid():
            return self._render(request, contact, form, status=400)
        services.contact_propose(actor=request.user, contact=contact, data=form.cleaned_data)
        messages.success(request, _("Draft saved. The public page is unchanged."))
        return redirect("backoffice:editorial-offer-edit", uuid=contact.offer.uuid)


# --- freshness -------------------------------------------------------------------------------


class StillCorrectView(PublicViewMixin, View):
    """The one-click link of the reminder mail: no login; the signed token names one offer.

    GET shows a single button and changes nothing, because mail scanners open links on their own;
    the button's POST records the verification.
    """

    def _offer(self, token):
        max_age = int(getattr(settings, "WEGWEISER_STILL_CORRECT_MAX_AGE_DAYS", 30))
        try:
            uuid = services.still_correct_offer_uuid(token, max_age_days=max_age)
        except signing.BadSignature:
            return None
        try:
            return selectors.offer_get_by_uuid(uuid=uuid)
        except (Http404, ValidationError):
            return None

    def _invalid(self, request):
        return render(
            request, "editorial/still_correct.html", {"error": ERROR_LINK_INVALID}, status=400
        )

    def get(self, request, token):
        offer = self._offer(token)
        if offer is None:
            return self._invalid(request)
        return render(request, "editorial/still_correct.html", {"offer": offer})

    def post(self, request, token):
        offer = self._offer(token)
        if offer is None:
            return self._invalid(request)
        services.offer_confirm_still_correct(offer=offer)
        return render(request, "editorial/still_correct.html", {"offer": offer, "done": True})


class FreshnessDashboardView(PermissionRequiredMixin, View):
    permission = "editorial.view_dashboard"

    def get(self, request):
        months = _stale_months()
        return render(
            request,
            "editorial/freshness.html",
            {
                "months": months,
                "providers": selectors.freshness_by_provider(months=months),
                "towns": selectors.freshness_by_town(months=months),
            },
        )


# --- curation --------------------------------------------------------------------------------


class GoodPracticeListView(PermissionRequiredMixin, View):
    permission = "editorial.curate"

    def get(self, request):
        offers = selectors.offer_list_for_user(
            user=request.user, query=request.GET.get("q", "")[:200]
        )
        if request.GET.get("flagged") == "1":
            offers = offers.filter(is_good_practice=True)
        page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "editorial/good_practice_list.html", {"page": page})


class GoodPracticeEditView(PermissionRequiredMixin, View):
    permission = "editorial.curate"

    def _render(self, request, offer, form, status=200):
        return render(
            request,
            "editorial/good_practice_form.html",
            {"offer": offer, "form": form},
            status=status,
        )

    def get(self, request, uuid):
        offer = selectors.offer_get_for_user(request=request, uuid=uuid)
        form = GoodPracticeForm(
            initial={"is_good_practice": offer.is_good_practice, "story": offer.good_practice_story}
        )
        return self._render(request, offer, form)

    def post(self, request, uuid):
        offer = selectors.offer_get_for_user(request=request, uuid=uuid)
        form = GoodPracticeForm(request.POST)
        if not form.is_valid():
            return self._render(request, offer, form, status=400)
        services.offer_good_practice_set(
            actor=request.user,
            offer=offer,
            is_good_practice=form.cleaned_data["is_good_practice"],
            story=form.cleaned_data["story"],
        )
        messages.success(request, _("Changes saved."))
        return redirect("backoffice:editorial-good-practice-list")


class _PublicQueueView(PermissionRequiredMixin, View):
    """A queue of what the public sends in (mistakes, suggestions, barriers), one tab per status."""

    permission = "editorial.curate"
    template_name: str

    @staticmethod
    def queue(*, status: str):
        raise NotImplementedError

    def get(self, request):
        status = request.GET.get("status", FeedbackStatus.NEW)
        if status not in FeedbackStatus.values:
            status = FeedbackStatus.NEW
        page = Paginator(self.queue(status=status), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            self.template_name,
            {"page": page, "status": status, "statuses": FeedbackStatus.choices},
        )


class _PublicQueueStatusView(PermissionRequiredMixin, View):
    permission = "editorial.curate"
    queue_url: str

    @staticmethod
    def item_get(*, uuid):
        raise NotImplementedError

    def post(self, request, uuid):
        item = self.item_get(uuid=uuid)
        form = StatusForm(request.POST)
        if form.is_valid():
            services.submission_set_status(
                actor=request.user, item=item, status=form.cleaned_data["status"]
            )
            messages.success(request, _("Changes saved."))
        else:
            messages.error(request, _("Please choose a valid status."))
        return redirect(self.queue_url)


class FeedbackQueueView(_PublicQueueView):
    template_name = "editorial/feedback_queue.html"
    queue = staticmethod(selectors.feedback_queue)


class FeedbackStatusView(_PublicQueueStatusView):
    queue_url = "backoffice:editorial-feedback-queue"
    item_get = staticmethod(selectors.feedback_get)


class SuggestionQueueView(_PublicQueueView):
    template_name = "editorial/suggestion_queue.html"
    queue = staticmethod(selectors.suggestion_queue)


class SuggestionStatusView(_PublicQueueStatusView):
    queue_url = "backoffice:editorial-suggestion-queue"
    item_get = staticmethod(selectors.suggestion_get)


class BarrierReportQueueView(_PublicQueueView):
    template_name = "editorial/barrier_queue.html"
    queue = staticmethod(selectors.barrier_report_queue)


class BarrierReportStatusView(_PublicQueueStatusView):
    queue_url = "backoffice:editorial-barrier-queue"
    item_get = staticmethod(selectors.barrier_report_get)


class ZeroResultLogView(PermissionRequiredMixin, View):
    permission = "editorial.curate"

    def get(self, request):
        return render(
            request, "editorial/zero_results.html", {"groups": selectors.zero_result_groups()}
        )


# --- vocabulary ------------------------------------------------------------------------------

VOCABULARIES = {
    "life-areas": {
        "model": LifeArea,
        "form": LifeAreaForm,
        "save": services.life_area_save,
        "arg": "life_area",
        "title": _("life areas"),
    },
    "target-groups": {
        "model": TargetGroup,
        "form": TargetGroupForm,
        "save": services.target_group_save,
        "arg": "target_group",
        "title": _("target groups"),
    },
    "synonyms": {
        "model": SynonymGroup,
        "form": SynonymGroupForm,
        "save": services.synonym_group_save,
        "arg": "group",
        "title": _("synonym groups"),
    },
}


def _vocabulary(kind: str) -> dict[str, Any]:
    if kind not in VOCABULARIES:
        raise Http404
    return VOCABULARIES[kind]


def _vocabulary_item(vocabulary, pk):
    return selectors.vocabulary_get(model=vocabulary["model"], pk=pk)


class VocabularyListView(PermissionRequiredMixin, View):
    permission = "editorial.curate"

    def get(self, request, kind):
        vocabulary = _vocabulary(kind)
        items = selectors.vocabulary_list(model=vocabulary["model"])
        return render(
            request,
            "editorial/vocabulary_list.html",
            {"kind": kind, "title": vocabulary["title"], "items": items},
        )


class VocabularyFormView(PermissionRequiredMixin, View):
    permission = "editorial.curate"

    def _render(self, request, kind, vocabulary, form, item, status=200):
        return render(
            request,
            "editorial/vocabulary_form.html",
            {"kind": kind, "title": vocabulary["title"], "form": form, "item": item},
            status=status,
        )

    def get(self, request, kind, pk=None):
        vocabulary = _vocabulary(kind)
        item = _vocabulary_item(vocabulary, pk) if pk else None
        return self._render(request, kind, vocabulary, vocabulary["form"](instance=item), item)

    def post(self, request, kind, pk=None):
        import copy

        vocabulary = _vocabulary(kind)
        item = _vocabulary_item(vocabulary, pk) if pk else None
        form = vocabulary["form"](request.POST, instance=copy.copy(item) if item else None)
        if not form.is_valid():
            return self._render(request, kind, vocabulary, form, item, status=400)
        vocabulary["save"](actor=request.user, **{vocabulary["arg"]: item}, **form.cleaned_data)
        messages.success(request, _("Changes saved."))
        return redirect("backoffice:editorial-vocabulary-list", kind=kind)


class VocabularyDeleteView(PermissionRequiredMixin, View):
    permission = "editorial.curate"

    def post(self, request, kind, pk):
        vocabulary = _vocabulary(kind)
        item = _vocabulary_item(vocabulary, pk)
        try:
            services.vocabulary_delete(actor=request.user, instance=item)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Deleted."))
        return redirect("backoffice:editorial-vocabulary-list", kind=kind)
