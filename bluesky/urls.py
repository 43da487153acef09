"""bluesky URLs: pages per app, the admin, sign-in."""
from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from departments.login_guard import GuardedAuthenticationForm

from .health import healthz


def favicon(request):
    """Browsers ask for /favicon.ico on every page that names no icon (the admin, the API)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


admin.site.site_header = "蓝天保卫战任务跟踪 · 管理后台"
admin.site.site_title = "bluesky 管理后台"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    # Sign-in with the lock-out after repeated failures (departments/login_guard.py), before Django's auth URLs.
    path("accounts/login/", LoginView.as_view(authentication_form=GuardedAuthenticationForm), name="login"),
    path("accounts/tokens/", include("departments.urls")),  # API tokens (departments/api_tokens.py)
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("reports/", include("reports.urls")),
    path("dashboard/", include("reports.urls_dashboards")),
    path("api/", include("bluesky.api_urls")),
    path("imports/", include("importers.urls")),
    path("jobs/", include("reports.urls_jobs")),  # notifications, notices, rankings (reports/views_jobs.py)
    path("", include("tasks.urls")),
]
