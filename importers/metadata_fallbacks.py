"""What a plan is called and where it belongs when the document itself does not say.

A task ledger saved as a bare worksheet has no title row, no 发文字号 and no
district: the office still knows it as "丰台区…任务分解.xlsx", and its units
(卢沟桥乡, 长辛店镇 …) only exist in one district. These run after
``importers.metadata`` and fill only what is still empty, recording where the
value came from in ``plan.metadata_sources`` so the preview can say so.
Pure: the unit directory is passed in as a plain object.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePath

from .metadata import DISTRICT, SINGLE_YEAR, YEAR_RANGE
from .parsed import ParsedPlan

FROM_FILE_NAME = "文件名"
FROM_UNITS = "文件中的单位名称"
# A file name that is a title: Chinese, and names a plan (计划/方案/任务分解 …).
_TITLE_WORDS = re.compile(r"计划|方案|任务分解|任务清单|台账")
_COPY_MARKS = re.compile(r"[（(]\d+[)）]$|[-_ ]?(副本|最终版|修订版|定稿|v\d+)$", re.IGNORECASE)
# A district must win by this many more resolved names than any other to count.
_DISTRICT_LEAD = 2


def _sources(plan: ParsedPlan) -> dict[str, str]:
    if not hasattr(plan, "metadata_sources"):
        plan.metadata_sources = {}
    return plan.metadata_sources


def read_file_name(plan: ParsedPlan, filename: str) -> None:
    """Title, district and years from the file name, where the document left them empty."""
    stem = _COPY_MARKS.sub("", PurePath(filename).stem.strip())
    sources = _sources(plan)
    if not plan.title and _TITLE_WORDS.search(stem) and re.search(r"[\u4e00-\u9fff]{4}", stem):
        plan.title = stem
        sources["title"] = FROM_FILE_NAME
    if not plan.district:
        match = DISTRICT.search(stem)
        if match:
            plan.district = match.group(0)
            sources["district"] = FROM_FILE_NAME
    if plan.year_start is None and plan.year_end is None:
        span = YEAR_RANGE.search(stem)
        single = SINGLE_YEAR.search(stem) or re.search(r"(?<!\d)(20\d\d)(?!\d)", stem)
        if span:
            plan.year_start, plan.year_end = int(span.group(1)), int(span.group(2))
        elif single:
            plan.year_start = plan.year_end = int(single.group(1))
        if plan.year_start:
            sources["years"] = FROM_FILE_NAME
    _district_level(plan, sources)


def _written_unit_names(plan: ParsedPlan) -> set[str]:
    return {
        name
        for chapter in plan.chapters
        for task in chapter.tasks
        for measure in task.measures
        for name in (*measure.lead, *measure.responsible, *measure.assisting)
    }


def district_of_units(plan: ParsedPlan, directory) -> str:
    """The district most of the plan's unit names belong to, or "" when no district clearly does.

    区城市管理委 exists in every district; 卢沟桥乡 and 长辛店镇 only in 丰台区: counting the
    names each district's directory knows (as the district's own units) decides.
    """
    names = _written_unit_names(plan)
    districts = sorted({unit.district for unit in directory.units.values() if unit.district})
    counts: Counter[str] = Counter()
    for district in districts:
        for name in names:
            resolved = directory.resolve(name, district=district)
            if resolved.known and resolved.district == district:
                counts[district] += 1
    ranked = counts.most_common(2)
    if not ranked:
        return ""
    best, score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    return best if score - runner_up >= _DISTRICT_LEAD else ""


def read_units_district(plan: ParsedPlan, directory) -> None:
    """Set the district from the units named when nothing else gave one."""
    if plan.district or plan.level == "municipal":
        return
    district = district_of_units(plan, directory)
    if district:
        plan.district = district
        sources = _sources(plan)
        sources["district"] = FROM_UNITS
        _district_level(plan, sources)


def _district_level(plan: ParsedPlan, sources: dict[str, str]) -> None:
    if plan.district and not plan.level:
        plan.level = "district"
        sources["level"] = sources.get("district", FROM_FILE_NAME)
