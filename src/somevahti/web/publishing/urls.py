from django.urls import path

from somevahti.web.publishing import calendar_page, oauth_views, views

app_name = "publishing"
urlpatterns = [
    path("", views.drafts, name="drafts"),
    path("new/", views.new, name="new"),
    path("check/", views.check, name="check"),
    path("drafts/<int:pk>/", views.draft_view, name="draft"),
    path("drafts/<int:pk>/approve/", views.approve, name="approve"),
    path("drafts/<int:pk>/request-changes/", views.request_changes, name="request-changes"),
    path("drafts/<int:pk>/schedule/", views.schedule, name="schedule"),
    path("drafts/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("drafts/<int:pk>/retry/", views.retry, name="retry"),
    path("drafts/<int:pk>/cross-post/", views.cross_post, name="cross-post"),
    path("drafts/<int:pk>/correct/", views.correct, name="correct"),
    path("drafts/<int:pk>/media/", views.media_add, name="media-add"),
    path("queue/", views.queue, name="queue"),
    path("failed/", views.failed, name="failed"),
    path("calendar/", calendar_page.calendar_view, name="calendar"),
    path("crisis/", views.crisis, name="crisis"),
    path("feed/", views.feed, name="feed"),
    path("accounts/<int:pk>/", views.account_settings, name="account"),
    path("accounts/<int:pk>/oauth/", oauth_views.oauth_start, name="oauth-start"),
    path("oauth/<slug:platform>/callback/", oauth_views.oauth_callback, name="oauth-callback"),
]
