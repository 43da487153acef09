"""A real Celery worker process on Redis runs a job against the test database."""

from importers import services
from importers.jobs import apply_plan_import
from importers.models import PlanImport
from tasks.models import Plan
from tests.conftest import sample_bytes


def test_a_real_worker_imports_a_plan_through_redis(celery_worker_process, settings, tmp_path):
    plan_import = services.preview_upload(data=sample_bytes("fengtai"), filename="fengtai.txt")
    assert plan_import.state == PlanImport.State.PREVIEW
    assert not Plan.objects.exists()

    result = apply_plan_import.delay(plan_import.pk)
    plan_id = result.get(timeout=60)

    plan = Plan.objects.get(pk=plan_id)
    assert plan.tasks.count() == 34
    plan_import.refresh_from_db()
    assert plan_import.state == PlanImport.State.APPLIED
    # The job is safe to run again: it recognises the import was applied.
    assert apply_plan_import.delay(plan_import.pk).get(timeout=60) == plan_id
    assert Plan.objects.count() == 1
