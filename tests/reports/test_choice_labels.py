"""The quick labels long lists show say exactly what Django's get_FOO_display() says."""

from reports.models import MonthlyReport
from tasks.models import Assignment, Measure, ProgressUpdate


def test_a_reports_state_label_is_its_get_state_display():
    for state in [*MonthlyReport.State.values, "unknown"]:
        report = MonthlyReport(state=state)
        assert report.state_label == report.get_state_display()


def test_an_assignments_role_label_is_its_get_role_display():
    for role in [*Assignment.Role.values, "unknown"]:
        assignment = Assignment(role=role)
        assert assignment.role_label == assignment.get_role_display()


def test_a_measures_and_a_progress_updates_status_label_is_their_get_status_display():
    for status in [*Measure.Status.values, "unknown"]:
        for row in (Measure(status=status), ProgressUpdate(status=status)):
            assert row.status_label == row.get_status_display()
