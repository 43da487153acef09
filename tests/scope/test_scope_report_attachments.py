"""A monthly report's attachments follow the report's jurisdiction: another district's office finds none."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import ReportAttachment
from tasks.evidence import store_evidence
from tests.workflow.conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def test_another_jurisdictions_report_attachment_is_not_found(client, city):
    """A district office finds another district's report attachments as if they did not exist."""
    report = city.b.report
    attachment = ReportAttachment(report=report)
    store_evidence(attachment, name="西城区.pdf", data=pdf_bytes(), extension="pdf")
    download = reverse("reports:attachment", args=[attachment.pk])
    client.force_login(city.office_a)
    assert client.get(download).status_code == 404
    client.force_login(city.office_b)
    assert client.get(download).status_code == 200
