from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from enterprises import signin
from tickets import views as ticket_views

from . import converters, views

converters.register()  # before the apps' URL modules below are read

admin.site.site_header = _("Qinqing administration")
admin.site.site_title = _("Qinqing")
admin.site.index_title = _("Master data and settings")
admin.site.login_form = signin.AdminLoginForm

urlpatterns = [
    path("", ticket_views.home, name="home"),
    # Before django.contrib.auth's own: a bounded user name, throttled reset e-mails.
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=signin.LoginForm),
        name="login",
    ),
    path("accounts/password_reset/", signin.password_reset, name="password_reset"),
    # A password set through the e-mailed link, or changed by its user, is audited.
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=signin.AuditedSetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(form_class=signin.AuditedPasswordChangeForm),
        name="password_change",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("exchange.urls")),  # under /tickets/ and /enterprises/: before them
    path("tickets/", include("tickets.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("enterprises/", include("dispatches.urls")),  # the addresses dispatches always had
    path("notifications/", include("notifications.urls")),
    path("api/v1/", include("api.urls")),
    path("open311/v2/", include("open311.urls")),
    path("reports/", include("reports.urls")),
    path("calendar/", include("workdays.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]

handler404 = "config.views.not_found"
handler403 = "config.views.forbidden"
