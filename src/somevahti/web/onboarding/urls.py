from django.urls import path

from somevahti.web.onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("", views.my_path, name="path"),
    path("steps/", views.step_done, name="step-done"),
    path("quiz/", views.take_quiz, name="quiz"),
    path("progress/", views.progress, name="progress"),
    path("progress/<int:user_id>/", views.person, name="person"),
]
