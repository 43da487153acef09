"""Batch 通过 and batch 销号: the one-at-a-time services, each item in its own savepoint of one transaction.

One report that someone else reviewed meanwhile, or one measure already signed off,
does not stop the others: its savepoint is undone and the failure kept with its reason, in
Chinese, for the page. The batch commits once, in id order (the order its rows are locked in):
one flush to disk for the lot instead of one per item (bench/batch_bench.py), and an error the
services do not expect undoes the whole batch rather than leaving part of it done.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from departments.roles import is_office_admin
from departments.scopes import scope_of
from reports import services as report_services
from reports.models import MonthlyReport
from tasks import services as task_services
from tasks.models import Measure

MAX_BATCH = 200


@dataclass
class BatchResult:
    done: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (what, why)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(str(m) for m in exc.messages)
    return str(exc)


def _check(user, ids: list[int]) -> list[int]:
    if not is_office_admin(user):
        raise PermissionDenied("只有大气办可以批量审核或销号。")
    ids = sorted(set(ids))
    if not ids:
        raise ValidationError("请先勾选要处理的项目。")
    if len(ids) > MAX_BATCH:
        raise ValidationError(f"一次最多处理 {MAX_BATCH} 项。")
    return ids


@transaction.atomic
def _each(ids: list[int], objects: dict, *, kind: str, name_of, act) -> BatchResult:
    """Apply ``act`` to each object in its own savepoint (the service's atomic block); keep each failure's reason."""
    result = BatchResult()
    for pk in ids:
        obj = objects.get(pk)
        if obj is None:
            result.failed.append((f"{kind} #{pk}", f"{kind}不存在或已删除。"))
            continue
        try:
            act(obj)
        except (ValidationError, PermissionDenied) as exc:
            result.failed.append((name_of(obj), _reason(exc)))
        else:
            result.done.append(name_of(obj))
    return result


def accept_reports(*, report_ids: list[int], user, comment: str = "") -> BatchResult:
    """通过 each report (the same checks and history as report_services.accept_report)."""
    ids = _check(user, report_ids)
    return _each(
        ids,
        # Another jurisdiction's report is as unknown here as on its page.
        MonthlyReport.objects.in_scope(scope_of(user)).filter(pk__in=ids).select_related("unit").in_bulk(),
        kind="月报",
        name_of=lambda r: f"{r.unit.name} {r.period:%Y年%m月}月报",
        act=lambda r: report_services.accept_report(report=r, user=user, comment=comment),
    )


def _sign_off(measure: Measure, user, comment: str) -> None:
    if measure.status != Measure.Status.DONE and measure.signed_off_at is None:
        raise ValidationError("该措施尚未报告完成，不能销号。")
    task_services.sign_off_measure(measure=measure, user=user, comment=comment)


def sign_off_measures(*, measure_ids: list[int], user, comment: str = "") -> BatchResult:
    """销号 each measure reported done (the same checks and history as task_services.sign_off_measure)."""
    ids = _check(user, measure_ids)
    return _each(
        ids,
        Measure.objects.in_scope(scope_of(user)).filter(pk__in=ids).in_bulk(),
        kind="措施",
        name_of=lambda m: f"措施 {m.code}",
        act=lambda m: _sign_off(m, user, comment),
    )
