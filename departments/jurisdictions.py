"""The jurisdiction tree (行政区划, GB/T 2260): loading the shipped division data and finding a division by label.

``load_jurisdictions`` upserts departments/data/gb2260.csv (provinces, prefecture cities and
counties; source and date in the file's header) by code, so running it twice changes nothing
and it agrees with the Beijing rows the migration created. ``JurisdictionIndex`` turns what a
unit directory or a plan writes — a code (110106), a name (丰台区) or a name under its parent
(北京市丰台区) — into a row, and says in Chinese why when it cannot.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Jurisdiction

DIVISIONS_FILE = Path(__file__).resolve().parent / "data" / "gb2260.csv"


@dataclass(frozen=True)
class DivisionRow:
    code: str
    name: str
    level: str
    parent: str


def read_divisions(path: Path = DIVISIONS_FILE) -> list[DivisionRow]:
    """The rows of the division file, parents before children (the file is sorted by code)."""
    with path.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return [DivisionRow(r["code"], r["name"], r["level"], r["parent"]) for r in csv.DictReader(lines)]


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def load_jurisdictions(*, province: str | None = None, path: Path = DIVISIONS_FILE) -> LoadResult:
    """Create or update the divisions of the file (of one province if ``province`` is its 2-digit prefix).

    Rows come parents first, so each row's parent (and its path) is known when it is reached;
    new rows are inserted in one batch per level.
    """
    rows = [r for r in read_divisions(path) if not province or r.code.startswith(province)]
    if province and not any(r.level == Jurisdiction.Level.PROVINCE for r in rows):
        raise ValueError(_("区划数据中没有代码以 %(p)s 开头的省级行政区") % {"p": province})
    existing = {j.code: j for j in Jurisdiction.objects.all()}
    result = LoadResult(0, 0, 0)
    for level in (Jurisdiction.Level.PROVINCE, Jurisdiction.Level.CITY, Jurisdiction.Level.DISTRICT):
        new, changed = [], []
        for row in (r for r in rows if r.level == level):
            parent = existing[row.parent] if row.parent else None
            wanted = Jurisdiction(
                code=row.code,
                name=row.name,
                level=row.level,
                parent=parent,
                path=(parent.path if parent else "/") + f"{row.code}/",
            )
            current = existing.get(row.code)
            if current is None:
                new.append(wanted)
            elif (current.name, current.level, current.parent_id, current.path) != (
                wanted.name,
                wanted.level,
                wanted.parent_id,
                wanted.path,
            ):
                current.name, current.level, current.parent, current.path = (
                    wanted.name,
                    wanted.level,
                    parent,
                    wanted.path,
                )
                changed.append(current)
            existing[row.code] = current or wanted
        Jurisdiction.objects.bulk_create(new)
        Jurisdiction.objects.bulk_update(changed, ["name", "level", "parent", "path"])
        result = LoadResult(result.created + len(new), result.updated + len(changed), 0)
    return LoadResult(result.created, result.updated, len(rows) - result.created - result.updated)


class JurisdictionIndex:
    """Finds a jurisdiction by code, by name, or by its parent's name followed by its name."""

    def __init__(self, jurisdictions=None):
        rows = list(
            jurisdictions if jurisdictions is not None else Jurisdiction.objects.select_related("parent")
        )
        self.by_code = {j.code: j for j in rows}
        self.by_name: dict[str, list[Jurisdiction]] = {}
        for j in rows:
            self.by_name.setdefault(j.name, []).append(j)
            if j.parent_id and j.parent:
                self.by_name.setdefault(j.parent.name + j.name, []).append(j)

    def find(self, label: str) -> tuple[Jurisdiction | None, str]:
        """(the jurisdiction, "") or (None, the reason in Chinese)."""
        label = "".join(label.split())
        if not label:
            return None, _("未填写所属行政区划")
        if label in self.by_code:
            return self.by_code[label], ""
        found = self.by_name.get(label, [])
        if len(found) == 1:
            return found[0], ""
        if found:
            codes = "、".join(f"{j.code}" for j in found[:5])
            return None, _("有多个名为“%(n)s”的行政区划（%(c)s），请填写区划代码或“上级名称+名称”") % {
                "n": label,
                "c": codes,
            }
        return None, _("找不到行政区划“%(n)s”：请先运行 load_jurisdictions 或填写区划代码") % {"n": label}


def guess_jurisdiction(*, district: str = "", issuing_body: str = "") -> Jurisdiction | None:
    """The jurisdiction a plan's text names, or None when it cannot tell.

    The district label (丰台区, 丰台) decides when there is one; otherwise the longest division
    name the issuing body starts with (石家庄市人民政府 → 石家庄市, 北京市丰台区人民政府 → 丰台区).
    Namesakes (朝阳区 of Beijing and of 长春) are told apart by the unit directory: a deployment
    works for one city, so the division whose units are loaded wins.
    """
    rows = Jurisdiction.objects.exclude(level=Jurisdiction.Level.STREET).select_related("parent")
    district = "".join(district.split())
    if district:
        found = [j for j in rows.filter(name__in=[district, district + "区"])]
    else:
        body = "".join(issuing_body.split())
        found, best = [], 0
        for j in rows:
            for form in (j.parent.name + j.name if j.parent_id else "", j.name):
                if form and body.startswith(form) and len(form) >= best:
                    found, best = ([j] if len(form) > best else [*found, j]), len(form)
                    break
    if len(found) > 1:
        with_units = set(
            Jurisdiction.objects.filter(pk__in=[j.pk for j in found], units__isnull=False).values_list(
                "pk", flat=True
            )
        )
        found = [j for j in found if j.pk in with_units]
    return found[0] if len(found) == 1 else None
