from django.urls import path

from digigov.identity.views import account, agents, audit, auth, inbox, messages, pages, recovery, staff_security

app_name = "identity"

urlpatterns = [
    path("", pages.home, name="home"),
    path("login/", auth.login_view, name="login"),
    path("login/totp/", auth.login_totp_view, name="login_totp"),
    path("login/totp/enrol/", auth.totp_enrol_view, name="totp_enrol"),
    path("login/recover/", recovery.recover_request, name="recover"),
    path("login/recover/verify/", recovery.recover_verify, name="recover_verify"),
    path("logout/", auth.logout_view, name="logout"),
    path("register/", auth.register_view, name="register"),
    path("portal/", pages.portal, name="portal"),
    path("portal/enterprises/new/", pages.enterprise_new, name="enterprise_new"),
    path("portal/enterprises/<int:enterprise_id>/agents/", agents.enterprise_agents_page, name="enterprise_agents"),
    path(
        "portal/enterprises/<int:enterprise_id>/agents/<int:agent_id>/withdraw/",
        agents.enterprise_agent_withdraw_view,
        name="enterprise_agent_withdraw",
    ),
    path(
        "portal/invitations/<int:invitation_id>/accept/",
        agents.invitation_answer,
        {"accept": True},
        name="invitation_accept",
    ),
    path(
        "portal/invitations/<int:invitation_id>/decline/",
        agents.invitation_answer,
        {"accept": False},
        name="invitation_decline",
    ),
    path("console/", pages.console, name="console"),
    path("console/inbox/", inbox.inbox, name="inbox"),
    path("console/inbox/<int:task_id>/read/", inbox.inbox_read, name="inbox_read"),
    path("console/staff/", pages.staff_list, name="staff_list"),
    path("console/staff/<int:staff_id>/security/", staff_security.staff_security, name="staff_security"),
    path("console/audit/", audit.audit_log, name="audit_log"),
    path("account/security/", account.account_security, name="account_security"),
    path("account/security/totp/add/", account.totp_add, name="totp_add"),
    path("messages/", messages.message_list, name="messages"),
    path("messages/<int:message_id>/read/", messages.message_read, name="message_read"),
    path("messages/read-all/", messages.message_read_all, name="message_read_all"),
    path("account/messages/settings/", messages.message_settings, name="message_settings"),
    path("preferences/elder-mode/", pages.elder_mode_toggle, name="elder_mode"),
]
