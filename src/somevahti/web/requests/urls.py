from django.urls import path

from somevahti.web.requests import views

app_name = "requests"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/decide/", views.request_decide, name="decide"),
    path("expert/new/", views.expert_new, name="expert-new"),
    path("expert/<int:pk>/", views.expert_detail, name="expert"),
    path("expert/<int:pk>/decide/", views.expert_decide, name="expert-decide"),
]
