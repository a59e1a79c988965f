from django.urls import path

from somevahti.web.wizard import views

app_name = "wizard"
urlpatterns = [
    path("", views.draft_list, name="list"),
    path("new/", views.draft_new, name="new"),
    *[
        path(f"<int:pk>/{slug}/", views.step, {"slug": slug}, name=slug)
        for slug, _title, form in views.STEPS
        if form is not None
    ],
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/try/", views.try_post, name="try"),
    path("<int:pk>/force/", views.put_in_force, name="force"),
    path("<int:pk>/export.yaml", views.export, name="export"),
    path("<int:pk>/import/", views.import_overlay, name="import"),
]
