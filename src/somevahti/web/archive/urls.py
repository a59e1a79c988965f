from django.urls import path

from somevahti.web.archive import views

app_name = "archive"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("records/<int:seq>/", views.record_page, name="record"),
    path("exports/", views.export_list, name="exports"),
    path("exports/<int:pk>/", views.export_page, name="export"),
    path("exports/<int:pk>/download/", views.export_download, name="export-download"),
    path("retention/", views.retention_page, name="retention"),
    path("holds/", views.holds_page, name="holds"),
    path("holds/<str:hold_id>/release/", views.hold_release, name="hold-release"),
]
