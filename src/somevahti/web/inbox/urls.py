from django.urls import path

from somevahti.web.inbox import import_views, views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox, name="list"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/reply/", views.reply, name="reply"),
    path("items/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("items/<int:pk>/assign/", views.assign, name="assign"),
    path("items/bulk/", views.bulk, name="bulk"),
    path("items.csv", views.export_csv, name="export"),
    path("import/", import_views.import_view, name="import"),
    path("import/<int:pk>/", import_views.import_job, name="import-job"),
    path("connections/", views.connections, name="connections"),
    path("connections/<int:pk>/", views.connection_edit, name="connection"),
    path("connections/<int:pk>/delete/", views.connection_delete, name="connection-delete"),
    path("incidents/", views.incident_list, name="incidents"),
    path("incidents/new/", views.incident_new, name="incident-new"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident"),
    path("incidents/<int:pk>/update/", views.incident_update, name="incident-update"),
    path("incidents/<int:pk>/pin/", views.incident_pin, name="incident-pin"),
    path("reports/", views.report_view, name="reports"),
    path("reports/<str:table>.csv", views.report_csv, name="report-csv"),
]
