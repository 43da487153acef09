"""Batch 通过 and batch 销号 from the review queue: the bulk services the one-at-a-time ones are made of.

``reports.services.review_reports`` and ``tasks.services.sign_off_measures`` lock every chosen row in
one query (id order), check each with the rules of accepting or signing off one (``accept_report`` and
``sign_off_measure`` are the same services applied to one row), and write the reviews, the state change
(one UPDATE), the history and the audit trail's entries (bluesky/audit_trail.py) one statement each: the
queries do not grow with the number of items (bench/batch_bench.py). One report that someone else
reviewed meanwhile, or one measure already signed off, does not stop the others: it fails with its
reason, in Chinese, for the page. An item of another jurisdiction is as unknown here as on its page.
The batch is one transaction: an error the services do not expect undoes all of it, never part.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError

from bluesky.item_outcomes import Outcomes
from departments.roles import is_office_admin
from reports import services as report_services
from reports.models import ReportReview
from tasks import services as task_services

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


def _result(ids: list[int], outcomes: Outcomes, *, kind: str, name_of) -> BatchResult:
    """Each chosen item done or failed (with its reason), in id order."""
    result = BatchResult()
    for pk in ids:
        obj = outcomes.found.get(pk)
        if obj is None:  # another jurisdiction's item is as unknown here as on its page
            result.failed.append((f"{kind} #{pk}", f"{kind}不存在或已删除。"))
        elif pk in outcomes.refused:
            result.failed.append((name_of(obj), _reason(outcomes.refused[pk])))
        else:
            result.done.append(name_of(obj))
    return result


def accept_reports(*, report_ids: list[int], user, comment: str = "") -> BatchResult:
    """通过 each report (report_services.review_reports: the same checks and history as accepting one)."""
    ids = _check(user, report_ids)
    outcomes = report_services.review_reports(
        report_ids=ids, user=user, decision=ReportReview.Decision.ACCEPT, comment=comment
    )
    return _result(ids, outcomes, kind="月报", name_of=lambda r: f"{r.unit.name} {r.period:%Y年%m月}月报")


def sign_off_measures(*, measure_ids: list[int], user, comment: str = "") -> BatchResult:
    """销号 each measure reported done (task_services.sign_off_measures: the same checks and history as one)."""
    ids = _check(user, measure_ids)
    outcomes = task_services.sign_off_measures(
        measure_ids=ids, user=user, comment=comment, reported_done_only=True
    )
    return _result(ids, outcomes, kind="措施", name_of=lambda m: f"措施 {m.code}")
