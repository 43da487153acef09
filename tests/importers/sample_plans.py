"""Loading the bundled sample plans (sample_data/plans) for the importer tests."""

from __future__ import annotations

from pathlib import Path

from importers.parsed import ParsedPlan, ParsedTask
from importers.parsers.table import parse_tables
from importers.readers import read_document

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data" / "plans"

FENGTAI = "fengtai-2018-2020-task-breakdown.txt"
MENTOUGOU = "mentougou-2023-action-plan-draft.txt"
BEIJING = "beijing-2021-action-plan.txt"
XICHENG = "xicheng-2018-2020-three-year-plan.txt"
CHAOYANG = "chaoyang-2018-2020-three-year-plan.txt"


def sample_bytes(name: str) -> bytes:
    return (SAMPLE_DIR / name).read_bytes()


def parse_sample_table(name: str) -> ParsedPlan:
    plan = parse_tables(read_document(sample_bytes(name), name))
    assert plan is not None, f"{name}: no task table found"
    return plan


def all_tasks(plan: ParsedPlan) -> list[ParsedTask]:
    return [task for chapter in plan.chapters for task in chapter.tasks]


def task_by_number(plan: ParsedPlan, number: int) -> ParsedTask:
    (task,) = [task for task in all_tasks(plan) if task.number == number]
    return task


def plan_summary(plan: ParsedPlan) -> list[tuple]:
    """Chapters, tasks and measures with their units: what two reads of one plan must agree on."""
    return [
        (
            chapter.number,
            chapter.title,
            [
                (
                    task.number,
                    task.title,
                    [
                        (m.code, m.text, m.deadline_text, m.lead, m.responsible, m.assisting)
                        for m in task.measures
                    ],
                )
                for task in chapter.tasks
            ],
        )
        for chapter in plan.chapters
    ]
