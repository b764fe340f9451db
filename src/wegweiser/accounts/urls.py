from django.urls import path

from . import views, views_backoffice

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.TwoFactorVerifyView.as_view(), name="two-factor-verify"),
    path("two-factor/setup/", views.TwoFactorSetupView.as_view(), name="two-factor-setup"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("invitation/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation-accept"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/password/", views.PasswordChangeView.as_view(), name="password-change"),
]

backoffice_urlpatterns = [
    path(
        "organisations/", views_backoffice.OrganisationListView.as_view(), name="organisation-list"
    ),
    path(
        "organisations/new/",
        views_backoffice.OrganisationCreateView.as_view(),
        name="organisation-create",
    ),
    path(
        "organisations/<uuid:uuid>/",
        views_backoffice.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path(
        "organisations/<uuid:uuid>/edit/",
        views_backoffice.OrganisationUpdateView.as_view(),
        name="organisation-update",
    ),
    path(
        "invitations/new/",
        views_backoffice.InvitationCreateView.as_view(),
        name="invitation-create",
    ),
    path(
        "invitations/<uuid:uuid>/revoke/",
        views_backoffice.InvitationRevokeView.as_view(),
        name="invitation-revoke",
    ),
    path("users/", views_backoffice.UserListView.as_view(), name="user-list"),
    path("users/<uuid:uuid>/", views_backoffice.UserDetailView.as_view(), name="user-detail"),
]
