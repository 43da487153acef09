"""The REST API under /api/: one router over the apps' api/urls.py routes, the schema and its docs.

Tokens (``Authorization: Token bst_…``) are issued, listed and revoked by each user on
/accounts/tokens/ (departments/api_tokens.py: hashed, expiring); there is deliberately no
password-for-token endpoint, which would bypass the sign-in lock-out.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from departments.api.urls import routes as department_routes
from reports.api.urls import routes as report_routes
from tasks.api.urls import routes as task_routes

router = DefaultRouter()
for prefix, viewset, basename in (*task_routes, *department_routes, *report_routes):
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script under the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
