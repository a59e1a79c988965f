"""URL map: one include per app; the JSON API under /api/."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from somevahti.web.api.api import api
from somevahti.web.core import users as core_users
from somevahti.web.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="core/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/setup/", core_views.otp_setup, name="otp-setup"),
    path("2fa/verify/", core_views.otp_verify, name="otp-verify"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("registry/", include("somevahti.web.registry.urls")),
    path("requests/", include("somevahti.web.requests.urls")),
    path("audits/", include("somevahti.web.audits.urls")),
    path("inbox/", include("somevahti.web.inbox.urls")),
    path("archive/", include("somevahti.web.archive.urls")),
    path("policy/wizard/", include("somevahti.web.wizard.urls")),
    path("policy/", include("somevahti.web.policy.urls")),
    path("publishing/", include("somevahti.web.publishing.urls")),
    path("onboarding/", include("somevahti.web.onboarding.urls")),
    path("api/", api.urls),
    path("account/", core_users.account, name="account"),
    path("users/", core_users.user_list, name="users"),
    path("users/new/", core_users.user_new, name="user-new"),
    path("users/<int:pk>/", core_users.user_edit, name="user-edit"),
    path("users/<int:pk>/active/", core_users.user_active, name="user-active"),
]

handler500 = "somevahti.web.core.errors.server_error"
