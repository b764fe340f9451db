"""Back-office URLs of the case management, included under /backoffice/cases/."""

from django.urls import path

from . import views_backoffice as v

C = "<uuid:case_id>/"

backoffice_urlpatterns = [
    path("cases/", v.CaseListView.as_view(), name="case-list"),
    path("cases/export.csv", v.CaseExportView.as_view(), name="case-export"),
    path("cases/intakes/", v.IntakeListView.as_view(), name="intake-list"),
    path("cases/intakes/new/", v.IntakeCreateView.as_view(), name="intake-create"),
    path("cases/intakes/import/", v.IntakeImportView.as_view(), name="intake-import"),
    path("cases/distribution/", v.DistributionView.as_view(), name="intake-distribution"),
    path(
        "cases/distribution/<uuid:intake_id>/assign/",
        v.IntakeAssignView.as_view(),
        name="intake-assign",
    ),
    path(
        "cases/settings/",
        v.CaseManagementSettingsView.as_view(),
        name="casemanagement-settings",
    ),
    path("cases/referrals/", v.ReferralInboxView.as_view(), name="referral-inbox"),
    path(
        "cases/referrals/<uuid:referral_id>/confirm/",
        v.ReferralConfirmView.as_view(),
        name="referral-confirm",
    ),
    path("cases/tasks/<uuid:task_id>/done/", v.TaskDoneView.as_view(), name="task-done"),
    path("cases/gaps/", v.GapListView.as_view(), name="gap-list"),
    path("cases/gaps/report/", v.GapReportView.as_view(), name="gap-report"),
    path("cases/gaps/report.pdf", v.GapReportPdfView.as_view(), name="gap-report-pdf"),
    path(f"cases/{C}", v.CaseDetailView.as_view(), name="case-detail"),
    path(f"cases/{C}status/", v.CaseStatusView.as_view(), name="case-status"),
    path(f"cases/{C}take-over/", v.CaseTakeOverView.as_view(), name="case-take-over"),
    path(f"cases/{C}transfer/", v.CaseTransferView.as_view(), name="case-transfer"),
    path(f"cases/{C}needs/new/", v.NeedCreateView.as_view(), name="need-create"),
    path(f"cases/{C}goals/new/", v.GoalCreateView.as_view(), name="goal-create"),
    path(
        f"cases/{C}goals/<uuid:goal_id>/achieved/",
        v.GoalAchieveView.as_view(),
        name="goal-achieve",
    ),
    path(
        f"cases/{C}appointments/new/", v.AppointmentCreateView.as_view(), name="appointment-create"
    ),
    path(f"cases/{C}notes/new/", v.NoteCreateView.as_view(), name="note-create"),
    path(f"cases/{C}notes/<uuid:note_id>/", v.NoteDetailView.as_view(), name="note-detail"),
    path(f"cases/{C}documents/new/", v.DocumentCreateView.as_view(), name="document-create"),
    path(
        f"cases/{C}documents/<uuid:document_id>/",
        v.DocumentDownloadView.as_view(),
        name="document-download",
    ),
    path(f"cases/{C}referrals/new/", v.ReferralCreateView.as_view(), name="referral-create"),
    path(
        f"cases/{C}referrals/<uuid:referral_id>/",
        v.ReferralDetailView.as_view(),
        name="referral-detail",
    ),
    path(
        f"cases/{C}referrals/<uuid:referral_id>/send/",
        v.ReferralSendView.as_view(),
        name="referral-send",
    ),
    path(
        f"cases/{C}referrals/<uuid:referral_id>/outcome/",
        v.ReferralOutcomeView.as_view(),
        name="referral-outcome",
    ),
]
