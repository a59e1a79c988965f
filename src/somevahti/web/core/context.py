"""Template context: the user's role and what the navigation may offer."""

from somevahti.web.core import policy


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "registry": policy.can_view_registry(user),
            "audits": policy.can_view_audits(user),
            "requests": policy.can_file_request(user) or policy.can_view_all_requests(user),
            "import": policy.can_import(user),
            "export": policy.can_export(user),
            "history": policy.can_view_history(user),
            "users": policy.can_manage_users(user),
            "inbox": policy.can_view_inbox(user),
            "inbox_reports": policy.can_view_inbox_reports(user),
        },
        "user_role": policy.role_of(user),
    }
