from django.urls import path

from somevahti.web.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.document, name="document"),
    path("<str:lang>.pdf", views.document_pdf, name="pdf"),
    path("versions/", views.version_list, name="versions"),
    path("versions/put-in-force/", views.put_in_force, name="put-in-force"),
    path("versions/diff/", views.version_diff, name="diff"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("results/", views.results, name="results"),
    path("results.csv", views.results_csv, name="results-csv"),
]
