"""Editing a parsed plan tree (``PlanImport.parsed``) before it is imported: pure functions.

The preview is where the office corrects what the parser got wrong, and where a
plan built by hand or pasted from Excel is filled in. Every operation takes the
tree (the ``plan_as_json`` structure) and returns a new one, never touching the
database, so each is testable on its own and the saving service
(``importers.editor``) only loads, applies, checks the version and stores.

Places in the tree are indices: chapter ``c``, task ``t`` within it, measure
``m`` within the task. After every change the tree is *settled*: task numbers run
through the plan again, numbered measure codes (``3-2``) follow their task,
canonical unit names are re-derived from the names as written and the unit
resolution, and each measure's review reasons and the counts are recomputed.
Bad input raises ``TreeEditError`` with a Chinese message.
"""

# Long module: the preview editor's operations on one tree and the settling that follows each of them; each
# operation is short, and they are tested together (tests/importers/test_tree_editing.py).
from __future__ import annotations

import copy
import re

from .deadlines import parse_deadline
from .plan_json import ROLES, _deadline_json, _iso

ROLE_LABELS = {"lead": "牵头", "responsible": "主责", "assisting": "协办"}
_NUMBERED_CODE = re.compile(r"^\d+-\d+$")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


class TreeEditError(ValueError):
    """An edit that cannot be made; the message is shown to the office as it is."""


def empty_tree(
    *, title: str, district: str = "", year_start: int, year_end: int, level: str = "district"
) -> dict:
    """The tree of a plan built by hand: metadata, no chapters yet."""
    tree = {
        "title": title,
        "issuing_body": "",
        "doc_number": "",
        "level": level,
        "district": district,
        "year_start": year_start,
        "year_end": year_end,
        "issue_date": None,
        "goals": [],
        "shape": "manual",
        "chapters": [],
        "warnings": [],
        "unit_resolution": {"known": {}, "unknown": []},
    }
    return settle(tree)


def new_measure(text: str, deadline_text: str = "") -> dict:
    return {
        "code": "",
        "text": text,
        "deadline_text": deadline_text,
        "due_date": None,
        "deadline": {"kind": "plan_end"},
        "milestones": [],
        "units": {r: [] for r in ROLES},
        "units_written": {r: [] for r in ROLES},
        "units_inferred": False,
        "needs_review": False,
        "warnings": [],
    }


# --- looking things up ----------------------------------------------------------------------


def _chapter(tree: dict, c: int) -> dict:
    if not 0 <= c < len(tree["chapters"]):
        raise TreeEditError("找不到这一章，可能已被删除，请刷新页面。")
    return tree["chapters"][c]


def _task(tree: dict, c: int, t: int) -> dict:
    tasks = _chapter(tree, c)["tasks"]
    if not 0 <= t < len(tasks):
        raise TreeEditError("找不到这项重点任务，可能已被删除或移动，请刷新页面。")
    return tasks[t]


def _measure(tree: dict, c: int, t: int, m: int) -> dict:
    measures = _task(tree, c, t)["measures"]
    if not 0 <= m < len(measures):
        raise TreeEditError("找不到这条措施，可能已被删除或移动，请刷新页面。")
    return measures[m]


def checked_text(value: str, what: str, limit: int) -> str:
    """``value`` stripped; refused when empty or longer than ``limit`` (also used by importers.plan_editing)."""
    value = (value or "").strip()
    if not value:
        raise TreeEditError(f"{what}不能为空。")
    if len(value) > limit:
        raise TreeEditError(f"{what}过长（最多 {limit} 字）。")
    return value


def _edited(tree: dict) -> dict:
    return copy.deepcopy(tree)


# --- text -----------------------------------------------------------------------------------


def set_chapter_title(tree: dict, *, c: int, title: str) -> dict:
    tree = _edited(tree)
    _chapter(tree, c)["title"] = checked_text(title, "章节标题", 200)
    return settle(tree)


def set_task_title(tree: dict, *, c: int, t: int, title: str) -> dict:
    tree = _edited(tree)
    _task(tree, c, t)["title"] = checked_text(title, "任务名称", 300)
    return settle(tree)


def set_measure_text(tree: dict, *, c: int, t: int, m: int, text: str) -> dict:
    """New text; the deadline is read again, since dates in the text are milestones."""
    tree = _edited(tree)
    measure = _measure(tree, c, t, m)
    measure["text"] = checked_text(text, "措施内容", 4000)
    _redate(tree, measure)
    return settle(tree)


def set_deadline(tree: dict, *, c: int, t: int, m: int, deadline_text: str) -> dict:
    """A new 完成时限, dated by ``importers.deadlines`` as an imported one would be."""
    tree = _edited(tree)
    measure = _measure(tree, c, t, m)
    deadline_text = (deadline_text or "").strip()
    if len(deadline_text) > 200:
        raise TreeEditError("完成时限过长（最多 200 字）。")
    measure["deadline_text"] = deadline_text
    measure["warnings"] = [w for w in measure.get("warnings", []) if "完成时限" not in w]
    _redate(tree, measure)
    return settle(tree)


def _redate(tree: dict, measure: dict) -> None:
    deadline = parse_deadline(
        measure.get("deadline_text", ""),
        measure["text"],
        year_start=tree.get("year_start"),
        year_end=tree.get("year_end"),
    )
    # The same JSON as an imported measure's (plan_json), so saving reads both alike.
    measure["deadline"] = _deadline_json(deadline)
    measure["due_date"] = _iso(deadline.due_date)
    measure["milestones"] = [
        {"date": ms.date.isoformat(), "text": ms.text, "kind": ms.kind} for ms in deadline.milestones
    ]


def mark_reviewed(tree: dict, *, c: int, t: int, m: int) -> dict:
    """The office has checked a flagged measure as it stands: its reasons no longer count."""
    tree = _edited(tree)
    _measure(tree, c, t, m)["reviewed"] = True
    return settle(tree)


# --- structure ------------------------------------------------------------------------------


def add_chapter(tree: dict, *, title: str) -> dict:
    tree = _edited(tree)
    title = checked_text(title, "章节标题", 200)
    tree["chapters"].append({"number": len(tree["chapters"]) + 1, "title": title, "tasks": []})
    return settle(tree)


def add_task(tree: dict, *, c: int, title: str) -> dict:
    tree = _edited(tree)
    _chapter(tree, c)["tasks"].append(
        {"number": 0, "title": checked_text(title, "任务名称", 300), "measures": []}
    )
    return settle(tree)


def add_measure(tree: dict, *, c: int, t: int, text: str, deadline_text: str = "") -> dict:
    tree = _edited(tree)
    measure = new_measure(checked_text(text, "措施内容", 4000), (deadline_text or "").strip()[:200])
    _redate(tree, measure)
    _task(tree, c, t)["measures"].append(measure)
    return settle(tree)


def remove_chapter(tree: dict, *, c: int) -> dict:
    tree = _edited(tree)
    _chapter(tree, c)
    del tree["chapters"][c]
    return settle(tree)


def remove_task(tree: dict, *, c: int, t: int) -> dict:
    tree = _edited(tree)
    _task(tree, c, t)
    del tree["chapters"][c]["tasks"][t]
    return settle(tree)


def remove_measure(tree: dict, *, c: int, t: int, m: int) -> dict:
    tree = _edited(tree)
    _measure(tree, c, t, m)
    del tree["chapters"][c]["tasks"][t]["measures"][m]
    return settle(tree)


def move_measure(tree: dict, *, c: int, t: int, m: int, to_task: int) -> dict:
    """Move a measure to the end of the task numbered ``to_task`` (the number shown in the preview)."""
    tree = _edited(tree)
    measure = _measure(tree, c, t, m)
    target = next(
        (task for ch in tree["chapters"] for task in ch["tasks"] if task["number"] == to_task), None
    )
    if target is None:
        raise TreeEditError(f"没有第 {to_task} 项重点任务，请填写预览中显示的任务序号。")
    del tree["chapters"][c]["tasks"][t]["measures"][m]
    if _NUMBERED_CODE.match(measure.get("code") or ""):
        measure["code"] = ""  # numbered again under its new task
    target["measures"].append(measure)
    return settle(tree)


def split_measure(tree: dict, *, c: int, t: int, m: int, text: str) -> dict:
    """``text`` is the measure's text with a blank line where it is to be cut: one measure per part.

    Every part keeps the units and the 完成时限 of the original; dates are read from each part's text.
    """
    tree = _edited(tree)
    measure = _measure(tree, c, t, m)
    parts = [p.strip() for p in _PARAGRAPH_BREAK.split(text or "") if p.strip()]
    if len(parts) < 2:
        raise TreeEditError("请在要拆分的位置空一行（按两次回车），再点“拆分”。")
    pieces = []
    for part in parts:
        piece = copy.deepcopy(measure)
        piece["text"] = checked_text(part, "措施内容", 4000)
        piece["code"] = "" if _NUMBERED_CODE.match(measure.get("code") or "") else piece.get("code", "")
        piece.pop("reviewed", None)
        _redate(tree, piece)
        pieces.append(piece)
    tree["chapters"][c]["tasks"][t]["measures"][m : m + 1] = pieces
    return settle(tree)


def merge_with_next(tree: dict, *, c: int, t: int, m: int) -> dict:
    """Join a measure and the one after it in the same task: texts joined, units combined."""
    tree = _edited(tree)
    first = _measure(tree, c, t, m)
    measures = tree["chapters"][c]["tasks"][t]["measures"]
    if m + 1 >= len(measures):
        raise TreeEditError("这是本任务的最后一条措施，没有下一条可以合并。")
    second = measures.pop(m + 1)
    first["text"] = first["text"].rstrip() + "\n" + second["text"].lstrip()
    if not first.get("deadline_text"):
        first["deadline_text"] = second.get("deadline_text", "")
    for role in ROLES:
        written = first["units_written"].setdefault(role, [])
        written.extend(n for n in second.get("units_written", {}).get(role, []) if n not in written)
    first["units_inferred"] = bool(first.get("units_inferred") or second.get("units_inferred"))
    first["warnings"] = list(dict.fromkeys(first.get("warnings", []) + second.get("warnings", [])))
    _redate(tree, first)
    return settle(tree)


def split_task(tree: dict, *, c: int, t: int, m: int, title: str) -> dict:
    """Cut a task before its measure ``m``: that measure and the ones after it form a new task after it."""
    tree = _edited(tree)
    task = _task(tree, c, t)
    if not 0 < m < len(task["measures"]):
        raise TreeEditError("请选择从第二条或之后的措施开始拆分：拆出的两项任务都要有措施。")
    moved, task["measures"] = task["measures"][m:], task["measures"][:m]
    for measure in moved:
        if _NUMBERED_CODE.match(measure.get("code") or ""):
            measure["code"] = ""
    tree["chapters"][c]["tasks"].insert(
        t + 1, {"number": 0, "title": checked_text(title, "新任务名称", 300), "measures": moved}
    )
    return settle(tree)


# --- units ----------------------------------------------------------------------------------


def add_unit(tree: dict, *, c: int, t: int, m: int, role: str, name: str, district: str) -> dict:
    """Give a measure a directory unit in a role (chosen by the office: stated, no longer inferred)."""
    if role not in ROLES:
        raise TreeEditError("请选择单位的角色（牵头、主责或协办）。")
    tree = _edited(tree)
    measure = _measure(tree, c, t, m)
    _know(tree, name, [[name, district]])
    written = measure["units_written"].setdefault(role, [])
    if name not in written:
        written.append(name)
    _units_decided(measure)
    return settle(tree)


def remove_unit(tree: dict, *, c: int, t: int, m: int, role: str, written: str) -> dict:
    tree = _edited(tree)
    measure = _measure(tree, c, t, m)
    names = measure["units_written"].get(role, [])
    if written not in names:
        raise TreeEditError("这条措施没有这个单位，可能已被移除，请刷新页面。")
    names.remove(written)
    _units_decided(measure)
    return settle(tree)


def _units_decided(measure: dict) -> None:
    """The office has set the units: the parser's doubts about them are answered (what is still
    wrong, such as no lead unit, is found again by ``review_reasons``)."""
    measure["units_inferred"] = False
    measure["warnings"] = [w for w in measure.get("warnings", []) if "单位" not in w]


def map_unit_name(tree: dict, *, written: str, name: str, district: str) -> dict:
    """An unknown name as written is this directory unit, everywhere in the plan."""
    tree = _edited(tree)
    if written not in tree.get("unit_resolution", {}).get("unknown", []):
        raise TreeEditError(f"“{written}”不在待对应的单位名称中，可能已经处理过，请刷新页面。")
    _know(tree, written, [[name, district]])
    for chapter in tree["chapters"]:
        for task in chapter["tasks"]:
            for measure in task["measures"]:
                measure["warnings"] = [w for w in measure.get("warnings", []) if written not in w]
    return settle(tree)


def _know(tree: dict, written: str, pairs: list[list[str]]) -> None:
    resolution = tree.setdefault("unit_resolution", {"known": {}, "unknown": []})
    resolution.setdefault("known", {})[written] = pairs
    resolution["unknown"] = [n for n in resolution.get("unknown", []) if n != written]


def unit_tags(measure: dict, resolution: dict) -> list[dict]:
    """A measure's units for display, one per name as written: role, the directory name(s), unknown or not."""
    known, unknown = resolution.get("known", {}), set(resolution.get("unknown", []))
    return [
        {
            "role": role,
            "role_label": ROLE_LABELS[role],
            "written": written,
            "unknown": written in unknown,
            "label": "、".join(p[0] for p in known[written]) if known.get(written) else written,
        }
        for role in ROLES
        for written in measure["units_written"].get(role, [])
    ]


# --- settling -------------------------------------------------------------------------------


def settle(tree: dict) -> dict:
    """Numbers, codes, canonical units, review reasons and counts, recomputed from the tree itself."""
    resolution = tree.setdefault("unit_resolution", {"known": {}, "unknown": []})
    known, unknown = resolution.setdefault("known", {}), set(resolution.setdefault("unknown", []))
    task_number = task_count = 0
    unit_names: set[str] = set()
    for chapter_number, chapter in enumerate(tree["chapters"], start=1):
        chapter["number"] = chapter_number
        for task in chapter["tasks"]:
            # The document's numbers stay where they still run upwards (a revision matches on them).
            task_count += 1
            task_number = task["number"] = max(task.get("number") or 0, task_number + 1)
            _settle_codes(task)
            for measure in task["measures"]:
                measure["units"] = {
                    role: list(
                        dict.fromkeys(
                            name
                            for w in measure["units_written"].get(role, [])
                            for name in ([p[0] for p in known[w]] if known.get(w) else [w])
                        )
                    )
                    for role in ROLES
                }
                unit_names.update(n for names in measure["units"].values() for n in names)
                measure["flags"] = review_reasons(measure, unknown)
                measure["needs_review"] = bool(measure["flags"]) and not measure.get("reviewed")
    # The plan's note on unknown names says what is still unknown, not what the parser found.
    tree["warnings"] = [w for w in tree.get("warnings", []) if "不在单位名录中" not in w]
    if unknown:
        names = sorted(unknown)
        tree["warnings"].append(
            f"有 {len(names)} 个单位名称不在单位名录中：{'、'.join(names)}，请确认对应单位。"
        )
    tree["counts"] = {
        "chapters": len(tree["chapters"]),
        "tasks": task_count,
        "measures": sum(len(t["measures"]) for ch in tree["chapters"] for t in ch["tasks"]),
        "units": len(unit_names),
        "needs_review": sum(
            1 for ch in tree["chapters"] for t in ch["tasks"] for m in t["measures"] if m["needs_review"]
        ),
    }
    return tree


def _settle_codes(task: dict) -> None:
    """A measure without a code, or with a numbered code of another task or a repeated one, is numbered
    ``task-sequence``; codes the document gave otherwise (and still fitting) are kept."""
    seen: set[str] = set()
    for sequence, measure in enumerate(task["measures"], start=1):
        code = measure.get("code") or ""
        numbered = _NUMBERED_CODE.match(code)
        if not code or code in seen or (numbered and code.split("-")[0] != str(task["number"])):
            code = f"{task['number']}-{sequence}"
            while code in seen:
                code += "a"
        measure["code"] = code
        seen.add(code)


def review_reasons(measure: dict, unknown: set[str]) -> list[str]:
    """Why a measure needs the office's eye, in Chinese: the parser's own reasons first."""
    reasons = list(measure.get("warnings", []))
    for reason in measure.get("review_reasons", []):  # the parser's, where it gives them
        if reason not in reasons:
            reasons.append(reason)
    strange = [w for role in ROLES for w in measure["units_written"].get(role, []) if w in unknown]
    if strange:
        reasons.append(f"单位不在名录中：{'、'.join(dict.fromkeys(strange))}")
    if measure.get("units_inferred"):
        reasons.append("责任单位是从措施内容推断的，文件未写明")
    no_lead = not measure["units_written"].get("lead") and not measure["units_written"].get("responsible")
    if no_lead and not any("牵头单位" in r for r in reasons):
        reasons.append("没有牵头单位")
    deadline = measure.get("deadline") or {}
    if deadline.get("guessed") and deadline.get("note") not in reasons:
        reasons.append(deadline.get("note") or "完成时限为推定")
    return reasons
