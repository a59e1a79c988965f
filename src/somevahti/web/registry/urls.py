from django.urls import path

from somevahti.web.registry import views

app_name = "registry"
urlpatterns = [
    path("units/", views.unit_list, name="units"),
    path("units/new/", views.unit_edit, name="unit-new"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit-edit"),
    path("people/", views.person_list, name="people"),
    path("people/new/", views.person_edit, name="person-new"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/new/", views.account_new, name="account-new"),
    path("accounts/<int:pk>/", views.account_detail, name="account"),
    path("accounts/<int:pk>/edit/", views.account_edit, name="account-edit"),
    path("accounts/<int:pk>/grants/", views.grant_add, name="grant-add"),
    path("accounts/<int:pk>/attest/", views.attest, name="attest"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant-revoke"),
    path("history/", views.history, name="history"),
    path("history/<str:kind>/", views.history, name="history-kind"),
    path("import/", views.import_view, name="import"),
    path("import/<int:pk>/", views.import_job, name="import-job"),
    path("export/<str:kind>.csv", views.export, name="export"),
]
