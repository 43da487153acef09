"""bluesky URLs: pages per app, the admin, sign-in."""

from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from departments.login_guard import GuardedLoginView
from departments.reset_guard import GuardedPasswordResetView
from reports.workbench.views import workbench

from .health import healthz


def favicon(request):
    """Browsers ask for /favicon.ico on every page that names no icon (the admin, the API)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


handler404 = "bluesky.api.views.not_found"  # JSON under /api/

admin.site.site_header = "蓝天保卫战任务跟踪 · 管理后台"
admin.site.site_title = "bluesky 管理后台"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    # Sign-in and password reset, throttled (departments/login_guard.py, reset_guard.py), before Django's auth URLs.
    path("accounts/login/", GuardedLoginView.as_view(), name="login"),
    path("accounts/password_reset/", GuardedPasswordResetView.as_view(), name="password_reset"),
    path("accounts/tokens/", include("departments.urls")),  # API tokens (departments/api_tokens.py)
    path("accounts/", include("django.contrib.auth.urls")),
    path("audit/", include("departments.audit_urls")),  # 操作日志 (departments/audit.py)
    path("i18n/", include("django.conf.urls.i18n")),
    path("reports/", include("reports.urls")),
    path("dashboard/", include("reports.dashboards.urls")),
    path("api/", include("bluesky.api.urls")),
    path("imports/", include("importers.urls")),
    # /jobs/ keeps its paths: the bell's notifications and channels, and the notices and rankings.
    path("jobs/", include("reports.notifications.urls")),
    path("jobs/", include("reports.outputs.urls")),
    path("workbench/", include("reports.workbench.urls")),
    path("", workbench, name="home"),  # 工作台: each role's landing page
    path("", include("tasks.urls")),
]
