"""A unit directory as a table (.xlsx or .csv): reading it, checking it, and writing one.

One row per unit or group (单位统称). Columns, by their Chinese headers:

    名称            the canonical name (required)
    类型            市级部门 / 区政府 / 区级委办局 / 街道乡镇 / 企业 / 单位统称 / 其他 (required)
    所属行政区划      a GB/T 2260 code (130102), a name (长安区) or parent + name (石家庄市长安区) (required)
    别名            other ways of writing it, separated by ；;，, (not 、: names hold it, 各乡镇、街道)
    曾用名          names before a rename, likewise; a date may follow in brackets: 区环保局(2019-02-01)
    所属分组/成员     for a group: its members; for a unit: the groups it belongs to. A name is looked
                    up in the row's own district first; 丰台区/区城管委 names another district's unit.

``parse_unit_table`` is pure apart from the ``JurisdictionIndex`` it is given: it returns the
directory records plus every problem as (row, column, message in Chinese), so the upload page
and ``load_units`` can show all of them before anything is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

import openpyxl
from django.utils.translation import gettext as _

from .directory import GROUP_KIND, AliasRecord, GroupRecord, UnitKey, UnitRecord
from .models import Jurisdiction, Unit

NAME, KIND, JURISDICTION, ALIASES, FORMER, GROUPS = (
    "名称",
    "类型",
    "所属行政区划",
    "别名",
    "曾用名",
    "所属分组/成员",
)
COLUMNS = (NAME, KIND, JURISDICTION, ALIASES, FORMER, GROUPS)
_REQUIRED = (NAME, KIND, JURISDICTION)
_HEADER_ALIASES = {
    "单位名称": NAME,
    "类别": KIND,
    "行政区划": JURISDICTION,
    "所属分组": GROUPS,
    "成员": GROUPS,
}
_SPLIT = re.compile(r"[，,；;\n]+")  # not 、: a name may hold one (各乡镇、街道)
_DATED = re.compile(r"^(?P<name>.+?)[(（](?P<date>\d{4}-\d{1,2}-\d{1,2})[)）]$")


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number (the header is row 1)
    column: str
    message: str

    def __str__(self) -> str:
        return _("第 %(row)s 行“%(col)s”列：%(msg)s") % {
            "row": self.row,
            "col": self.column,
            "msg": self.message,
        }


class UnitFileError(ValueError):
    """The file cannot be loaded; ``errors`` says where and why (nothing was written)."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("；".join(str(e) for e in errors[:5]))


@dataclass
class ParsedUnitTable:
    units: list[UnitRecord] = field(default_factory=list)
    aliases: list[AliasRecord] = field(default_factory=list)
    groups: list[GroupRecord] = field(default_factory=list)
    jurisdiction_of: dict[UnitKey, Jurisdiction] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)


def read_table(*, data: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) for every non-empty row below the header."""
    if filename.lower().endswith(".xlsx"):
        try:
            sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise UnitFileError([RowError(1, "", _("无法读取 Excel 文件：%(e)s") % {"e": exc})]) from exc
        table = [
            ["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    elif filename.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030", errors="replace")
        table = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    else:
        raise UnitFileError([RowError(1, "", _("只支持 .xlsx 或 .csv 文件"))])
    if not table:
        raise UnitFileError([RowError(1, "", _("文件是空的"))])
    header = [_HEADER_ALIASES.get(h, h) for h in table[0]]
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise UnitFileError([RowError(1, c, _("缺少这一列（第一行应为表头）")) for c in missing])
    return [
        (number, {h: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h in COLUMNS})
        for number, row in enumerate(table[1:], start=2)
        if any(row)
    ]


def _kind_value(text: str) -> str | None:
    for value, label in Unit.Kind.choices:
        if text in (value, str(label)):
            return value
    return None


def split_names(text: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(text or "") if part.strip()]


def parse_unit_table(rows, *, index) -> ParsedUnitTable:
    """Check every row against the jurisdictions in ``index`` and build the directory's records."""
    parsed = ParsedUnitTable()
    seen: dict[UnitKey, int] = {}
    links: list[tuple[int, UnitKey, bool, list[str]]] = []
    for number, row in rows:
        key = _parse_row(number, row, index, parsed, seen)
        if key is not None and row.get(GROUPS):
            links.append((number, key, _kind_value(row[KIND]) == GROUP_KIND, split_names(row[GROUPS])))
    members: dict[UnitKey, list[UnitKey]] = {}
    for number, key, is_group, names in links:
        for name in names:
            other = _find_named(name, key.district, seen)
            if other is None:
                parsed.errors.append(
                    RowError(
                        number,
                        GROUPS,
                        _("“%(n)s”不在本文件中，或有多个同名单位（可写成“区名/单位名”）") % {"n": name},
                    )
                )
                continue
            group, member = (key, other) if is_group else (other, key)
            if group not in {UnitKey(g.name, g.district) for g in parsed.groups}:
                parsed.errors.append(
                    RowError(number, GROUPS, _("“%(n)s”不是单位统称，不能有成员") % {"n": group.name})
                )
            elif member not in members.setdefault(group, []):
                members[group].append(member)
    parsed.groups = [
        GroupRecord(g.name, g.district, tuple(members.get(UnitKey(g.name, g.district), ())))
        for g in parsed.groups
    ]
    return parsed


def _parse_row(number, row, index, parsed: ParsedUnitTable, seen) -> UnitKey | None:
    errors = parsed.errors
    name = "".join(row.get(NAME, "").split())
    kind = _kind_value(row.get(KIND, ""))
    jurisdiction, reason = index.find(row.get(JURISDICTION, ""))
    if not name:
        errors.append(RowError(number, NAME, _("未填写单位名称")))
    if kind is None:
        choices = "、".join(str(label) for _v, label in Unit.Kind.choices)
        errors.append(
            RowError(number, KIND, _("类型“%(k)s”无效，应为：%(c)s") % {"k": row.get(KIND, ""), "c": choices})
        )
    if jurisdiction is None:
        errors.append(RowError(number, JURISDICTION, reason))
    if not name or kind is None or jurisdiction is None:
        return None
    key = UnitKey(name, jurisdiction.district_label)
    if key in seen:
        errors.append(RowError(number, NAME, _("与第 %(r)s 行重复") % {"r": seen[key]}))
        return None
    seen[key] = number
    parsed.jurisdiction_of[key] = jurisdiction
    if kind == GROUP_KIND:
        parsed.groups.append(GroupRecord(name, key.district))
    else:
        parsed.units.append(UnitRecord(name, kind, key.district))
    for alias in split_names(row.get(ALIASES, "")):
        parsed.aliases.append(AliasRecord(alias, name, key.district))
    for former in split_names(row.get(FORMER, "")):
        dated = _DATED.match(former)
        try:
            renamed_on = dt.date.fromisoformat(_iso(dated.group("date"))) if dated else None
        except ValueError:
            errors.append(
                RowError(number, FORMER, _("日期“%(d)s”无效，应写成 2019-02-01") % {"d": dated.group("date")})
            )
            continue
        parsed.aliases.append(
            AliasRecord(dated.group("name") if dated else former, name, key.district, True, renamed_on)
        )
    return key


def _iso(text: str) -> str:
    year, month, day = text.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _find_named(name: str, district: str, seen: dict[UnitKey, int]) -> UnitKey | None:
    if "/" in name:
        where, _sep, unit = name.partition("/")
        where = "" if where in ("市级", "") else where
        return UnitKey(unit, where) if UnitKey(unit, where) in seen else None
    if UnitKey(name, district) in seen:
        return UnitKey(name, district)
    found = [key for key in seen if key.name == name]
    return found[0] if len(found) == 1 else None


def unit_table(units, aliases, groups, *, municipal_label: str) -> list[list[str]]:
    """The directory's records as rows under ``COLUMNS`` (the header first), e.g. to ship it as .xlsx.

    A unit's jurisdiction is written as ``municipal_label`` (北京市) for "", else under it (北京市朝阳区):
    a bare 朝阳区 would be ambiguous once the national divisions are loaded (长春市 has one too).
    """
    labels = dict(Unit.Kind.choices)
    names_of: dict[UnitKey, tuple[list[str], list[str]]] = {}
    for alias in aliases:
        written = f"{alias.name}({alias.renamed_on.isoformat()})" if alias.renamed_on else alias.name
        names_of.setdefault(UnitKey(alias.unit, alias.district), ([], []))[1 if alias.former else 0].append(
            written
        )
    rows = [list(COLUMNS)]
    for record, kind, members in [(u, u.kind, ()) for u in units] + [
        (g, GROUP_KIND, g.members) for g in groups
    ]:
        key = UnitKey(record.name, record.district)
        plain, former = names_of.get(key, ([], []))
        written_members = [
            m.name if m.district == record.district else f"{m.district or '市级'}/{m.name}" for m in members
        ]
        rows.append(
            [
                record.name,
                str(labels[kind]),
                municipal_label + record.district,
                "；".join(plain),
                "；".join(former),
                "；".join(written_members),
            ]
        )
    return rows


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "单位名录"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
