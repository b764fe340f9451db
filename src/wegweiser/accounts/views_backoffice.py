"""Back office: organisations, users, roles and invitations."""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from wegweiser.core.access import PermissionRequiredMixin

from . import selectors, services
from .constants import OrganisationKind, Role
from .forms import InvitationForm, MembershipForm, OrganisationForm

PAGE_SIZE = 50


class OrganisationListView(PermissionRequiredMixin, View):
    permission = "accounts.view_organisations"

    def get(self, request):
        query = request.GET.get("q", "")[:200]
        kind = request.GET.get("kind", "")
        if kind not in OrganisationKind.values:
            kind = ""
        organisations = selectors.organisation_list_for_user(
            user=request.user, query=query, kind=kind
        )
        page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
        template = (
            "accounts/partials/organisation_table.html"
            if request.htmx
            else "accounts/organisation_list.html"
        )
        return render(
            request,
            template,
            {"page": page, "query": query, "kind": kind, "kinds": OrganisationKind.choices},
        )


class OrganisationCreateView(PermissionRequiredMixin, View):
    permission = "accounts.manage_organisations"
    template_name = "accounts/organisation_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": OrganisationForm()})

    def post(self, request):
        form = OrganisationForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        organisation = services.organisation_create(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Organisation %(name)s created.") % {"name": organisation.name})
        return redirect("backoffice:organisation-detail", uuid=organisation.uuid)


class OrganisationDetailView(PermissionRequiredMixin, View):
    permission = "accounts.view_organisation"

    def get(self, request, uuid):
        organisation = selectors.organisation_get_for_user(request=request, uuid=uuid)
        return render(
            request,
            "accounts/organisation_detail.html",
            {
                "organisation": organisation,
                "memberships": selectors.membership_list_for_organisation(
                    organisation=organisation
                ),
                "invitations": selectors.invitation_list_open_for_organisation(
                    organisation=organisation
                ),
                "can_manage": request.user.has_perm("accounts.manage_organisations"),
                "can_invite": request.user.has_perm("accounts.invite_users"),
            },
        )


class OrganisationUpdateView(PermissionRequiredMixin, View):
    permission = "accounts.manage_organisations"
    template_name = "accounts/organisation_form.html"

    def get(self, request, uuid):
        organisation = selectors.organisation_get_for_user(request=request, uuid=uuid)
        return render(
            request,
            self.template_name,
            {"form": OrganisationForm(instance=organisation), "organisation": organisation},
        )

    def post(self, request, uuid):
        organisation = selectors.organisation_get_for_user(request=request, uuid=uuid)
        # The form validates a copy; the service applies the change.
        form = OrganisationForm(request.POST, request.FILES, instance=copy.copy(organisation))
        if form.is_valid():
            try:
                services.organisation_update(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error.messages[0])
        if form.errors:
            return render(
                request,
                self.template_name,
                {"form": form, "organisation": organisation},
                status=400,
            )
        messages.success(request, _("Changes saved."))
        return redirect("backoffice:organisation-detail", uuid=organisation.uuid)


class InvitationCreateView(PermissionRequiredMixin, View):
    permission = "accounts.invite_users"
    template_name = "accounts/invitation_form.html"

    def _form(self, request, data=None):
        organisations = selectors.organisation_list_for_user(user=request.user).filter(
            is_active=True
        )
        initial = {
            "organisation": request.GET.get("organisation"),
            "language": request.LANGUAGE_CODE,
        }
        return InvitationForm(
            data,
            initial=initial,
            organisations=organisations,
            roles=services.assignable_roles(request.user),
        )

    def get(self, request):
        return render(request, self.template_name, {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                services.invitation_create(
                    actor=request.user,
                    base_url=request.build_absolute_uri("/")[:-1],
                    **form.cleaned_data,
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(
                    None, error.messages[0] if isinstance(error, ValidationError) else str(error)
                )
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
                )
                return redirect(
                    "backoffice:organisation-detail", uuid=form.cleaned_data["organisation"].uuid
                )
        return render(request, self.template_name, {"form": form}, status=400)


class InvitationRevokeView(PermissionRequiredMixin, View):
    permission = "accounts.invite_users"

    def post(self, request, uuid):
        invitation = selectors.invitation_get_for_user(request=request, uuid=uuid)
        try:
            services.invitation_revoke(actor=request.user, invitation=invitation)
        except PermissionDenied as error:
            messages.error(request, str(error))
        return redirect("backoffice:organisation-detail", uuid=invitation.organisation.uuid)


class UserListView(PermissionRequiredMixin, View):
    permission = "accounts.manage_users"

    def get(self, request):
        query = request.GET.get("q", "")[:200]
        role = request.GET.get("role", "")
        if role not in Role.values:
            role = ""
        users = selectors.user_list_for_admin(user=request.user, query=query, role=role)
        page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
        template = (
            "accounts/partials/user_table.html" if request.htmx else "accounts/user_list.html"
        )
        return render(
            request, template, {"page": page, "query": query, "role": role, "roles": Role.choices}
        )


class UserDetailView(PermissionRequiredMixin, View):
    permission = "accounts.manage_users"
    template_name = "accounts/user_detail.html"

    def _render(self, request, user, form, status=200):
        return render(
            request,
            self.template_name,
            {
                "account": user,
                "form": form,
                "memberships": user.memberships.select_related("organisation"),
            },
            status=status,
        )

    def _membership_form(self, request, data=None):
        organisations = selectors.organisation_list_for_user(user=request.user).filter(
            is_active=True
        )
        return MembershipForm(data, organisations=organisations)

    def get(self, request, uuid):
        user = selectors.user_get_for_admin(request=request, uuid=uuid)
        return self._render(request, user, self._membership_form(request))

    def post(self, request, uuid):
        """One form per action: add a role, remove a role, (de)activate, reset two-factor login."""
        user = selectors.user_get_for_admin(request=request, uuid=uuid)
        action = request.POST.get("action")
        form = self._membership_form(request)
        try:
            if action == "add-role":
                form = self._membership_form(request, request.POST)
                if not form.is_valid():
                    return self._render(request, user, form, status=400)
                services.membership_add(actor=request.user, user=user, **form.cleaned_data)
                messages.success(request, _("Role added."))
            elif action == "remove-role":
                membership = selectors.membership_get_for_user_account(
                    request=request, user=user, uuid=request.POST.get("membership")
                )
                services.membership_remove(actor=request.user, membership=membership)
                messages.success(request, _("Role removed."))
            elif action in {"activate", "deactivate"}:
                services.user_set_active(
                    actor=request.user, user=user, is_active=action == "activate"
                )
                messages.success(request, _("Account updated."))
            elif action == "reset-two-factor":
                services.user_reset_two_factor(actor=request.user, user=user)
                messages.success(
                    request,
                    _("Two-factor login was reset; the user enrols again at the next login."),
                )
            else:
                messages.error(request, _("Unknown action."))
                return self._render(request, user, form, status=400)
        except (ValidationError, PermissionDenied) as error:
            messages.error(
                request, error.messages[0] if isinstance(error, ValidationError) else str(error)
            )
            return self._render(request, user, form, status=400)
        return redirect("backoffice:user-detail", uuid=user.uuid)
