"""Corpus score (issue 10): how much of each real plan in sample_data/corpus the importer reads.

    .venv/bin/python bench/corpus_score.py [--corpus DIR ...] [--verbose]

Every folder of ``sample_data/corpus`` (and, printed separately, ``sample_data/corpus-holdout``,
documents the parser was never tuned on) holds a document and a ``truth.json`` written by a
person reading it (format: /work/corpus/README.md, copied into sample_data/corpus/README.md).
The document is parsed with ``importers.pipeline.parse_document``; a ``PlanImportError`` counts
as *refused*. The parse is then compared with the truth:

* tasks: truth tasks are paired with parsed tasks by title similarity, in order (an
  alignment, so one missed task does not shift every later pair);
* measures: a truth measure (its first ~15 characters) is found when an unused parsed measure
  of the paired task starts with the same words (or, for a task written as one body whose
  first sentence became the title, the title and first measure together do);
* lead units: truth ``lead`` names against the union of the paired task's parsed leads;
* other units: truth ``others`` against the union of responsible and assisting units;
* deadlines: a truth deadline is found when its words occur in a measure's deadline cell, in a
  milestone read from the text, or when it names an explicit date that one of the task's
  milestones or due dates has.

Names and titles are compared *folded*: traditional → simplified
(``importers.normalise.fold``), NFKC (full-width → ASCII), whitespace removed, and for units
a trailing ``等…`` generic tail dropped; a unit also matches when the two names agree with
their bracketed notes removed (``各区人民政府（含开发区）`` ~ ``各区人民政府``).

The scoring functions are pure (``score_plan(plan, truth)``) so the tests can check that a
perfect parse scores 100 % and a wrong one less. Parse speed (characters per second over
the whole corpus) is printed at the end; the target is ≥ 100,000 chars/s.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "sample_data" / "corpus"
HOLDOUT = ROOT / "sample_data" / "corpus-holdout"
SPEED_TARGET = 100_000
TITLE_MATCH = 0.55  # least title similarity for a truth task and a parsed task to be paired
MEASURE_KEY = 10  # folded characters of a truth measure's start that must match
COUNTS = ("tasks", "measures", "lead", "others", "deadlines")

try:  # parser-tables' length-preserving traditional → simplified fold
    from importers.normalise import fold as _fold_characters
except ImportError:  # pragma: no cover - before importers/normalise.py exists

    def _fold_characters(text: str) -> str:
        return text


_SPACE = re.compile(r"\s+")
_NUMBERING = re.compile(
    r"^(?:第[一二三四五六七八九十百\d]+[章节条部分]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d+(?:[.．\-－]\d+)*[、.．]?(?!\d)|[①-⑳]|[一二三四五六七八九十]+是)\s*"
)
_TAIL_PUNCTUATION = "。.;；:：,，、 "
_GENERIC_TAIL = re.compile(r"(?<=..)等.{0,12}$")
_BRACKETED = re.compile(r"\([^()]*\)")
_EXPLICIT_YEAR = re.compile(r"(?:19|20)\d{2}")


def fold(text: str) -> str:
    """Text as compared: simplified characters, NFKC, no whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", _fold_characters(text or "")))


def fold_title(text: str) -> str:
    return _NUMBERING.sub("", fold(text)).strip(_TAIL_PUNCTUATION)


def unit_forms(name: str) -> set[str]:
    """The folded forms of a unit name that count as the same name."""
    folded = fold(name).strip(_TAIL_PUNCTUATION)
    folded = _GENERIC_TAIL.sub("", folded)
    forms = {folded}
    without_notes = folded
    while _BRACKETED.search(without_notes):
        without_notes = _BRACKETED.sub("", without_notes)
    if without_notes:
        forms.add(without_notes)
    return {form for form in forms if form}


def title_similarity(truth: str, parsed: str) -> float:
    a, b = fold_title(truth), fold_title(parsed)
    if not a or not b:
        return 1.0 if a == b else 0.0
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 4 and longer.startswith(shorter):
        return 1.0
    if len(shorter) >= 6 and shorter in longer:
        return 0.9
    return SequenceMatcher(None, a[:40], b[:40], autojunk=False).ratio()


def align(truth_titles: list[str], parsed_titles: list[str]) -> list[tuple[int, int]]:
    """Pairs (truth index, parsed index) in order that maximise the summed title similarity."""
    n, m = len(truth_titles), len(parsed_titles)
    folded_truth = [fold_title(t) for t in truth_titles]
    folded_parsed = [fold_title(t) for t in parsed_titles]
    sim = [[0.0] * m for _ in range(n)]
    for i in range(n):
        for j in range(m):
            if abs(i * m / max(n, 1) - j) > max(40, (n + m) // 2):
                continue  # far off the diagonal: not worth comparing
            s = title_similarity(folded_truth[i], folded_parsed[j])
            sim[i][j] = s if s >= TITLE_MATCH else 0.0
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = max(
                best[i + 1][j], best[i][j + 1], sim[i][j] + best[i + 1][j + 1] if sim[i][j] else 0.0
            )
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if sim[i][j] and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


@dataclass
class Score:
    """Found / expected counts for one document (or a total)."""

    name: str = ""
    shape: str = ""
    refused: int = 0
    refusal: str = ""
    chars: int = 0
    seconds: float = 0.0
    extra_tasks: int = 0  # parsed tasks paired with no truth task
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    expected: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.refused += other.refused
        self.chars += other.chars
        self.seconds += other.seconds
        self.extra_tasks += other.extra_tasks
        for key in COUNTS:
            self.found[key] += other.found[key]
            self.expected[key] += other.expected[key]

    def percent(self, key: str) -> float:
        expected = self.expected[key]
        return 100.0 * self.found[key] / expected if expected else 100.0


def truth_tasks(truth: dict) -> list[dict]:
    return [task for chapter in truth.get("chapters", []) for task in chapter.get("tasks", [])]


def score_plan(plan, truth: dict, name: str = "") -> Score:
    """Compare a ParsedPlan (or None for a refused document) with its truth."""
    score = Score(name=name, shape=getattr(plan, "shape", ""))
    expected_tasks = truth_tasks(truth)
    for task in expected_tasks:
        score.expected["tasks"] += 1
        score.expected["measures"] += len(task.get("measures", []))
        score.expected["lead"] += len(task.get("lead", []))
        score.expected["others"] += len(task.get("others", []))
        score.expected["deadlines"] += len(task.get("deadlines", []))
    if plan is None:
        score.refused = 1
        return score
    parsed_tasks = [task for chapter in plan.chapters for task in chapter.tasks]
    pairs = align([t.get("title", "") for t in expected_tasks], [t.title for t in parsed_tasks])
    score.extra_tasks = len(parsed_tasks) - len(pairs)
    paired = dict(pairs)
    for index, truth_task in enumerate(expected_tasks):
        if index not in paired:
            score.misses.append(f"task not found: {truth_task.get('title', '')[:30]}")
            continue
        score.found["tasks"] += 1
        _score_task(score, truth_task, parsed_tasks[paired[index]])
    return score


def _score_task(score: Score, truth_task: dict, task) -> None:
    title = truth_task.get("title", "")[:20]
    found = _measures_found(truth_task.get("measures", []), task)
    score.found["measures"] += found
    leads = {form for m in task.measures for unit in m.lead for form in unit_forms(unit)}
    others = {
        form for m in task.measures for unit in [*m.responsible, *m.assisting] for form in unit_forms(unit)
    }
    for role, parsed_units in (("lead", leads), ("others", others)):
        for unit in truth_task.get(role, []):
            if unit_forms(unit) & parsed_units:
                score.found[role] += 1
            else:
                score.misses.append(f"{role} not found in “{title}”: {unit}")
    for deadline in truth_task.get("deadlines", []):
        if _deadline_found(deadline, task):
            score.found["deadlines"] += 1
        else:
            score.misses.append(f"deadline not found in “{title}”: {deadline}")


def _measures_found(prefixes: list[str], task) -> int:
    texts = [fold_title(m.text) for m in task.measures]
    title_and_first = fold_title(task.title) + (texts[0] if texts else "")
    used: set[int] = set()
    found = 0
    for prefix in prefixes:
        key = fold_title(prefix)[:MEASURE_KEY]
        if not key:
            continue
        for index, text in enumerate(texts):
            if index not in used and key in text[: len(key) + 12]:
                used.add(index)
                found += 1
                break
        else:
            if key in title_and_first[: len(key) + 12] and 0 not in used:
                used.add(0)
                found += 1
    return found


def _deadline_found(deadline: str, task) -> bool:
    wanted = fold(deadline).strip(_TAIL_PUNCTUATION)
    if not wanted:
        return True
    candidates: list[str] = []
    dates = set()
    for measure in task.measures:
        candidates.append(fold(measure.deadline_text))
        if measure.deadline is not None:
            candidates.append(fold(measure.deadline.raw_text))
            candidates.extend(fold(m.text) for m in measure.deadline.milestones)
            dates.update(m.date for m in measure.deadline.milestones)
            if measure.deadline.due_date and measure.deadline.kind not in ("plan_end",):
                dates.add(measure.deadline.due_date)
    if any(wanted in c or (len(c) >= 3 and c in wanted) for c in candidates if c):
        return True
    if _EXPLICIT_YEAR.search(wanted):
        from importers.deadlines import parse_deadline

        stated = parse_deadline(deadline, "", year_start=None, year_end=None)
        return bool(stated.kind == "dated" and stated.due_date in dates)
    return False


# ----------------------------------------------------------------------------- running


def document_file(folder: Path) -> Path | None:
    files = sorted(p for p in folder.glob("document.*") if p.is_file())
    return files[0] if files else None


def score_folder(folder: Path) -> Score | None:
    """Parse the folder's document and score it; None if the folder has no document or truth."""
    from importers.errors import PlanImportError
    from importers.pipeline import parse_document
    from importers.readers import read_document

    document, truth_file = document_file(folder), folder / "truth.json"
    if document is None or not truth_file.exists():
        return None
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    data = document.read_bytes()
    started = time.perf_counter()
    refusal = ""
    try:
        plan = parse_document(data, document.name)
    except PlanImportError as err:
        plan, refusal = None, str(err)
    seconds = time.perf_counter() - started
    score = score_plan(plan, truth, name=folder.name)
    score.seconds, score.refusal = seconds, refusal
    try:
        score.chars = len(read_document(data, document.name).text())
    except PlanImportError:
        score.chars = len(data)
    return score


def score_corpus(corpus: Path) -> tuple[list[Score], Score]:
    scores = [
        s for folder in sorted(corpus.iterdir()) if folder.is_dir() for s in [score_folder(folder)] if s
    ]
    total = Score(name="total")
    for score in scores:
        total.add(score)
    return scores, total


def _cell(score: Score, key: str) -> str:
    return f"{score.found[key]}/{score.expected[key]}"


def report(title: str, scores: list[Score], total: Score, verbose: bool = False) -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from figures import table

    rows = [
        [s.name, s.shape or ("REFUSED" if s.refused else ""), *(_cell(s, k) for k in COUNTS), s.extra_tasks]
        for s in scores
    ]
    rows.append(["TOTAL", f"{total.refused} refused", *(_cell(total, k) for k in COUNTS), total.extra_tasks])
    rows.append(["%", "", *(f"{total.percent(k):.1f}" for k in COUNTS), ""])
    lines = [
        f"--- {title}: {len(scores)} documents",
        table(["document", "shape", "tasks", "measures", "lead", "others", "deadlines", "extra"], rows),
    ]
    for score in scores:
        if score.refusal:
            lines.append(f"{score.name}: refused: {score.refusal}")
        if verbose:
            lines.extend(f"{score.name}: {miss}" for miss in score.misses)
    if total.seconds:
        speed = total.chars / total.seconds
        verdict = "MET" if speed >= SPEED_TARGET else "NOT MET"
        lines.append(
            f"parse speed: {total.chars} chars in {total.seconds:.2f} s = {speed:,.0f} chars/s "
            f"(target ≥ {SPEED_TARGET:,}: {verdict})"
        )
    return "\n".join(lines)


def _warm_up() -> None:
    """Parse a bundled sample once, so the first document's time is not the imports'."""
    from importers.pipeline import parse_document

    sample = ROOT / "sample_data" / "plans" / "xicheng-2018-2020-three-year-plan.txt"
    if sample.exists():
        parse_document(sample.read_bytes(), sample.name)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append", help="corpus folder(s) (default: both)")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bluesky.settings")
    django.setup()
    print("corpus_score — issue 10: the importer on real plans", flush=True)
    _warm_up()
    for corpus in args.corpus or [CORPUS, HOLDOUT]:
        if not corpus.is_dir():
            print(f"--- {corpus.name}: missing")
            continue
        scores, total = score_corpus(corpus)
        # Misses on the held-out documents are never printed: they would show their truth.
        print(report(corpus.name, scores, total, args.verbose and corpus != HOLDOUT), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
