"""The 操作日志 page (/audit/): the office reads the audit trail of every app."""

from django.urls import path

from . import views

urlpatterns = [path("", views.audit_log, name="audit_log")]
