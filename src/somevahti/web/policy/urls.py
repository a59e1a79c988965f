from django.urls import path

from somevahti.web.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.document, name="document"),
    path("<str:lang>.pdf", views.document_pdf, name="pdf"),
]
