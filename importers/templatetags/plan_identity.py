"""``{% plan_identity imp as identity %}``: what the preview says about which plan an upload is.

A tag, so that ``importers/_identity.html`` can be included wherever the preview
is drawn (the editor re-renders it over HTMX) without every view building it.
"""

from django import template

from importers import services
from importers.identity import PLAN_FIELDS
from importers.metadata_forms import PlanMetadataForm

register = template.Library()

_SOURCE_ROWS = [
    ("title", "名称"),
    ("issuing_body", "发文机关"),
    ("doc_number", "发文字号"),
    ("level", "层级"),
    ("district", "所属区"),
    ("jurisdiction", "所属行政区划"),
    ("years", "起止年份"),
    ("issue_date", "印发日期"),
    ("goals", "目标"),
]


@register.simple_tag
def plan_identity(plan_import) -> dict:
    parsed = plan_import.parsed or {}
    sources = parsed.get("metadata_sources", {})
    return {
        **services.preview_identity(plan_import),
        "sources": [
            (label, sources.get(field, "未读到" if not _value(parsed, field) else "文件正文"))
            for field, label in _SOURCE_ROWS
        ],
        "form": PlanMetadataForm.for_parsed(parsed),
        "labels": PLAN_FIELDS,
    }


def _value(parsed: dict, field: str):
    return parsed.get("year_start") if field == "years" else parsed.get(field)
