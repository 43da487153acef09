"""From an upload to a ``PlanImport`` the office can check: parse, read metadata, recognise the plan.

Nothing here writes a plan: the preview is kept as JSON on the ``PlanImport``
(``parsed``), with ``metadata_sources`` (where each of the plan's fields was
read) and ``identity`` (which imported plan this is, and why we think so).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from departments.jurisdictions import guess_jurisdiction
from departments.models import Jurisdiction
from departments.selectors import unit_directory
from tasks.models import Plan

from .. import identity, metadata_fallbacks
from ..errors import PlanImportError
from ..models import PlanImport
from ..pipeline import parse_document, parse_document_with_mapping
from ..plan_json import ROLES, plan_as_json
from ..unit_matching import default_decision, suggestions_for
from .revisions import revision_diff

EDITED_BY_OFFICE = "大气办填写"
GIVEN_AT_UPLOAD = "上传时填写"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _parse(
    data: bytes,
    filename: str,
    *,
    district: str,
    directory,
    mapping: dict[int, str] | None = None,
    on_step: Callable[[str], None] | None = None,
):
    """The parsed plan with what the document leaves unsaid read from its file name and units.

    ``mapping`` ({column index: role}) is the office's reading of a table the parser could not."""
    parsed = (
        parse_document_with_mapping(data, filename, mapping)
        if mapping
        else parse_document(data, filename, on_step=on_step)
    )
    if not hasattr(parsed, "metadata_sources"):
        parsed.metadata_sources = {}
    if district:
        parsed.district = district
        parsed.level = parsed.level or Plan.Level.DISTRICT
        parsed.metadata_sources["district"] = GIVEN_AT_UPLOAD
    metadata_fallbacks.read_file_name(parsed, filename)
    metadata_fallbacks.read_units_district(parsed, directory)
    return parsed


def _as_json(parsed, directory) -> dict:
    out = plan_as_json(parsed, directory)
    out["metadata_sources"] = dict(getattr(parsed, "metadata_sources", {}))
    return out


def parse_to_json(data: bytes, filename: str, *, district: str = "", directory=None) -> dict:
    """Parse a document and resolve its unit names: the ``import_plan --json`` structure."""
    directory = directory or unit_directory()
    return _as_json(_parse(data, filename, district=district, directory=directory), directory)


def recognise(
    data: bytes,
    filename: str,
    *,
    district: str,
    mapping: dict[int, str] | None = None,
    on_step: Callable[[str], None] | None = None,
) -> tuple[dict, Plan | None]:
    """Parse, then match an imported plan; a file silent on its district takes the plan's, units re-read.

    ``on_step`` hears "structure" (the file is read) and "units" (names matched against the directory)."""
    directory = unit_directory()
    parsed = _parse(data, filename, district=district, directory=directory, mapping=mapping, on_step=on_step)
    if on_step is not None:
        on_step("units")
    result = _as_json(parsed, directory)
    match = identity.find_matching_plan(result)
    if match is None:
        return result, None
    if not parsed.district and match.plan.district:
        parsed.district = match.plan.district
        parsed.metadata_sources["district"] = identity.KEPT_FROM_PLAN
        result = _as_json(parsed, directory)
    kept = identity.keep_known_fields(result, match.plan)
    result["identity"] = {
        "plan_id": match.plan.pk,
        "reason": match.reason,
        "shared": match.shared,
        "kept": kept,
    }
    return result, match.plan


def check_size(data: bytes) -> None:
    if len(data) > settings.BLUESKY_MAX_UPLOAD_BYTES:
        limit_mb = settings.BLUESKY_MAX_UPLOAD_BYTES // (1024 * 1024)
        raise PlanImportError(
            f"文件超过大小上限（{limit_mb} MB），请压缩图片或拆分后上传。", code="too_large"
        )


def record_if_unchanged(*, data: bytes, digest: str, filename: str, user=None) -> PlanImport | None:
    """A file already imported (same bytes) changes nothing: recorded as such, or None for a new file."""
    existing = Plan.objects.filter(source_sha256=digest).first()
    if existing is None:
        return None
    return PlanImport.objects.create(
        file=ContentFile(data, name=safe_name(filename)),
        original_name=filename[:255],
        sha256=digest,
        state=PlanImport.State.UNCHANGED,
        plan=existing,
        uploaded_by=user,
        summary={
            "message": f"该文件已于 {existing.created_at:%Y-%m-%d} 导入为《{existing.title}》，未做任何改动。"
        },
    )


def preview_upload(
    *, data: bytes, filename: str, user=None, district: str = "", jurisdiction: Jurisdiction | None = None
) -> PlanImport:
    """Check and parse an upload now and keep it for the office to confirm. Raises PlanImportError.

    The command line and tests parse in the caller's process; the upload page queues the parse
    instead (``parsing.queue_upload``). ``jurisdiction``: the plan's, when the office names it at upload
    (its district label then stands for ``district``); otherwise the preview proposes the one the text names.
    """
    if jurisdiction is not None and not district:
        district = jurisdiction.district_label
    check_size(data)
    digest = sha256_of(data)
    if (unchanged := record_if_unchanged(data=data, digest=digest, filename=filename, user=user)) is not None:
        return unchanged
    parsed, plan = recognise(data, filename, district=district)
    set_plan_jurisdiction(parsed, jurisdiction)
    return PlanImport.objects.create(
        file=ContentFile(data, name=safe_name(filename)),
        original_name=filename[:255],
        sha256=digest,
        parsed=parsed,
        district=parsed.get("district", ""),
        uploaded_by=user,
        plan=plan,
    )


@transaction.atomic
def map_import_columns(*, plan_import: PlanImport, mapping: dict[int, str]) -> PlanImport:
    """Read an upload's table again with the columns the office named ({column index: role}).

    For a table whose headers the parser could not identify (``needs_column_mapping``): the
    preview shows its first rows and the office says what each column holds. Raises
    PlanImportError (Chinese) for an unusable mapping; the upload stays as it was.
    """
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if plan_import.state != PlanImport.State.PREVIEW:
        raise PlanImportError("这份文件已经处理过（已导入或已取消），不能再修改。", code="already_applied")
    with plan_import.file.open("rb") as fh:
        data = fh.read()
    parsed, plan = recognise(data, plan_import.original_name, district=plan_import.district, mapping=mapping)
    plan_import.parsed, plan_import.plan = parsed, plan
    plan_import.district = parsed.get("district", "")
    plan_import.save(update_fields=["parsed", "plan", "district"])
    return plan_import


def safe_name(filename: str) -> str:
    """Keep only the extension of what the user called the file; the storage picks the rest."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    suffix = "".join(c for c in suffix if c.isalnum())[:8] or "bin"
    return f"plan.{suffix}"


def find_previous_version(parsed: dict) -> Plan | None:
    """An earlier import of the same plan, recognised by content (see ``importers.identity``)."""
    match = identity.find_matching_plan(parsed)
    return match.plan if match else None


def unresolved_unit_names(parsed: dict) -> list[str]:
    """Names the directory did not know: the office decides on each (map, create, ignore)."""
    return sorted(parsed.get("unit_resolution", {}).get("unknown", []))


def unit_decision_defaults(parsed: dict) -> list[dict]:
    """Each unknown name with the directory's closest units and the default decision.

    The default maps to the closest unit (of the plan's district first) when one is close;
    "create" only when nothing is.
    """
    names = unresolved_unit_names(parsed)
    suggestions = suggestions_for(names, district=parsed.get("district", ""))
    return [
        {"name": name, "suggestions": suggestions[name], **default_decision(suggestions[name])}
        for name in names
    ]


def preview_diff(plan_import: PlanImport) -> dict | None:
    if plan_import.plan_id is None or plan_import.state != PlanImport.State.PREVIEW:
        return None
    return revision_diff(plan_import.plan, plan_import.parsed)


def preview_identity(plan_import: PlanImport) -> dict:
    """What the preview says about the plan's identity: which plan, since when, what changes.

    {"plan", "reason", "diff", "field_changes", "kept" (fields the file lacks, kept), "unchanged"}
    or {} for a plan not imported yet.
    """
    plan = plan_import.plan
    if plan is None or plan_import.state != PlanImport.State.PREVIEW:
        return {}
    parsed = plan_import.parsed
    diff = revision_diff(plan, parsed)
    changes = identity.field_changes(plan, parsed)
    about = parsed.get("identity", {})
    return {
        "plan": plan,
        "reason": about.get("reason", ""),
        "diff": diff,
        "field_changes": changes,
        "kept": [identity.PLAN_FIELDS[f] for f in about.get("kept", []) if f in identity.PLAN_FIELDS],
        "unchanged": not changes and not any(diff[k] for k in ("added", "changed", "removed")),
    }


@transaction.atomic
def cancel_import(*, plan_import: PlanImport) -> None:
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if plan_import.state != PlanImport.State.PREVIEW:
        raise PlanImportError("这份文件已经处理过，无法取消。", code="already_applied")
    plan_import.state = PlanImport.State.CANCELLED
    plan_import.save(update_fields=["state"])


@transaction.atomic
def update_import_metadata(*, plan_import: PlanImport, user=None, fields: dict) -> PlanImport:
    """The office corrects the plan's own fields in the preview; a new district re-reads the unit names.

    ``fields``: any of title, issuing_body, doc_number, level, district, year_start, year_end,
    issue_date (a date), goals (a list of lines). Recorded as "大气办填写" in metadata_sources.
    """
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if plan_import.state != PlanImport.State.PREVIEW:
        raise PlanImportError("这份文件已经处理过，不能再修改计划信息。", code="already_applied")
    parsed = plan_import.parsed
    sources = parsed.setdefault("metadata_sources", {})
    district_before = parsed.get("district", "")
    for field, value in fields.items():
        if field not in identity.PLAN_FIELDS:
            continue
        value = value.isoformat() if isinstance(value, dt.date) else value
        if parsed.get(field) != value:
            parsed[field] = value
            sources["years" if field.startswith("year_") else field] = EDITED_BY_OFFICE
    if parsed.get("year_start") and parsed.get("year_end") and parsed["year_end"] < parsed["year_start"]:
        raise PlanImportError("截止年份不能早于起始年份。", code="bad_years")
    if fields.get("jurisdiction") and fields["jurisdiction"] != parsed.get("jurisdiction"):
        chosen = Jurisdiction.objects.filter(code=fields["jurisdiction"]).first()
        if chosen is None:
            raise PlanImportError("所选行政区划不存在，请重新选择。", code="bad_jurisdiction")
        set_plan_jurisdiction(parsed, chosen)
        parsed["district"] = chosen.district_label
        sources["jurisdiction"] = EDITED_BY_OFFICE
    elif parsed.get("district", "") != district_before:
        set_plan_jurisdiction(parsed, None)
    if parsed.get("district", "") != district_before:
        _resolve_units_again(parsed, unit_directory())
    if plan_import.plan_id is None:
        match = identity.find_matching_plan(parsed)
        if match is not None:
            plan_import.plan = match.plan
            parsed["identity"] = {
                "plan_id": match.plan.pk,
                "reason": match.reason,
                "shared": match.shared,
                "kept": identity.keep_known_fields(parsed, match.plan),
            }
    plan_import.district = parsed.get("district", "")
    plan_import.save(update_fields=["parsed", "district", "plan"])
    return plan_import


def set_plan_jurisdiction(parsed: dict, jurisdiction: Jurisdiction | None) -> None:
    """Record the plan's jurisdiction in the preview: the one given, else the one its text names (or none)."""
    given = jurisdiction
    if jurisdiction is None:
        jurisdiction = guess_jurisdiction(
            district=parsed.get("district", ""), issuing_body=parsed.get("issuing_body", "")
        )
    parsed["jurisdiction"] = jurisdiction.code if jurisdiction else ""
    parsed["jurisdiction_name"] = str(jurisdiction) if jurisdiction else ""
    if given is None:
        parsed.setdefault("metadata_sources", {})["jurisdiction"] = (
            "按所属区和发文机关推断" if jurisdiction else "未读到"
        )


def _resolve_units_again(parsed: dict, directory) -> None:
    """Resolve every unit name as written against the directory for the plan's (new) district."""
    district, known, unknown, names = parsed.get("district", ""), {}, set(), set()
    for chapter in parsed.get("chapters", []):
        for task in chapter["tasks"]:
            for measure in task["measures"]:
                units = {}
                for role in ROLES:
                    canonical = []
                    for written in measure.get("units_written", {}).get(role, []):
                        if written not in known and written not in unknown:
                            result = directory.resolve(written, district=district)
                            if result.known:
                                known[written] = [[u.name, u.district] for u in result.units]
                            else:
                                unknown.add(written)
                        canonical.extend([n for n, _ in known[written]] if written in known else [written])
                    units[role] = list(dict.fromkeys(canonical))
                    names.update(units[role])
                measure["units"] = units
    parsed["unit_resolution"] = {"known": known, "unknown": sorted(unknown)}
    parsed.setdefault("counts", {})["units"] = len(names)
