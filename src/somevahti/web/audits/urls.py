from django.urls import path

from somevahti.web.audits import views

app_name = "audits"
urlpatterns = [
    path("", views.finding_list, name="list"),
    path("run/", views.run, name="run"),
    path("<int:pk>/resolve/", views.resolve, name="resolve"),
    path("<int:pk>/accept/", views.accept, name="accept"),
]
