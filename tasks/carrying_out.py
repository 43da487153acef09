"""承接: a district plan carries out the municipal plan above it, measure by measure.

The office links a lower plan to the plan it carries out; the app proposes, for each lower measure,
the upper measure whose text is closest (character-bigram Dice similarity, which suits Chinese text
without a word segmenter) and the office confirms, changes or drops each proposal. Confirmed links
roll the districts' progress up onto the municipal measure and show which districts lag.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import HistoryEntry, Measure, MeasureLink, Plan, finished_q, in_force_q
from .traffic_light import Light
from .traffic_light_sql import light_expression

# Below this the texts share too little to propose a link: the office links by hand.
MIN_SIMILARITY = 0.15
_NOT_TEXT = re.compile(r"[\s\W\d_a-zA-Z]+")


def bigrams(text: str) -> Counter:
    """The text's character pairs, punctuation, digits and Latin letters left out."""
    chars = _NOT_TEXT.sub("", text)
    return Counter(chars[i : i + 2] for i in range(len(chars) - 1))


def _measure_text(measure: Measure) -> str:
    return f"{measure.task.title} {measure.text}"


class SimilarityIndex:
    """The upper plan's measures as TF-IDF vectors of character bigrams, with an inverted index.

    Bigrams suit Chinese text without a word segmenter; the IDF weights make pairs every measure
    shares (部门, 加强, 依法) count for little and a measure's own terms (油品, 扬尘, 加油站) for much.
    A lower measure is compared only with the upper measures it shares a pair with; the score is the
    cosine of the two vectors (0 … 1).
    """

    def __init__(self, texts: list[str]):
        counts = [bigrams(text) for text in texts]
        documents = Counter(gram for grams in counts for gram in grams)
        self._unseen_idf = math.log(len(texts) + 1) + 1
        self._idf = {gram: math.log((len(texts) + 1) / (df + 1)) + 1 for gram, df in documents.items()}
        self._postings: dict[str, list[tuple[int, float]]] = {}
        for i, grams in enumerate(counts):
            for gram, weight in self._vector(grams).items():
                self._postings.setdefault(gram, []).append((i, weight))

    def _vector(self, grams: Counter) -> dict[str, float]:
        weights = {gram: n * self._idf.get(gram, self._unseen_idf) for gram, n in grams.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {gram: w / norm for gram, w in weights.items()}

    def scores(self, text: str) -> dict[int, float]:
        """Each upper measure (by position) sharing a pair with ``text``, with its score."""
        scores: dict[int, float] = {}
        for gram, weight in self._vector(bigrams(text)).items():
            for i, other in self._postings.get(gram, ()):
                scores[i] = scores.get(i, 0.0) + weight * other
        return scores

    def best(self, text: str) -> tuple[int | None, float]:
        scores = self.scores(text)
        if not scores:
            return None, 0.0
        best = max(sorted(scores), key=scores.__getitem__)
        return best, scores[best]


def _upper_index(upper_plan: Plan) -> tuple[list[Measure], SimilarityIndex]:
    measures = list(_plan_measures(upper_plan))
    return measures, SimilarityIndex([_measure_text(m) for m in measures])


def _plan_measures(plan: Plan):
    return Measure.objects.filter(task__plan=plan).select_related("task").order_by("task__number", "sequence")


def suggest_upper_plan(plan: Plan) -> Plan | None:
    """The in-force municipal plan a district plan most likely carries out: its years overlap, newest first."""
    if plan.level != Plan.Level.DISTRICT:
        return None
    return (
        Plan.objects.in_force()
        .filter(level=Plan.Level.MUNICIPAL, year_start__lte=plan.year_end, year_end__gte=plan.year_start)
        .exclude(pk=plan.pk)
        .order_by("-year_start", "-pk")
        .first()
    )


def upper_plan_choices(plan: Plan):
    """Plans a plan may carry out: any other in-force plan, municipal ones first."""
    return Plan.objects.in_force().exclude(pk=plan.pk).order_by("-level", "-year_start", "title")


@transaction.atomic
def propose_links(*, plan: Plan, upper_plan: Plan, user) -> int:
    """Set ``plan`` to carry out ``upper_plan`` and propose a link for each of its measures not yet confirmed.

    Returns the number of proposals. Confirmed links are kept; earlier proposals are replaced.
    """
    if upper_plan.pk == plan.pk:
        raise ValueError(_("计划不能承接它自己。"))
    if plan.carries_out_id != upper_plan.pk:
        before = str(plan.carries_out) if plan.carries_out_id else ""
        plan.carries_out = upper_plan
        plan.save(update_fields=["carries_out", "updated_at"])
        HistoryEntry.objects.create(
            plan=plan,
            actor=user,
            action=HistoryEntry.Action.EDIT,
            changes={str(_("承接的上级计划")): [before, str(upper_plan)]},
        )
    MeasureLink.objects.proposed().filter(measure__task__plan=plan).delete()
    confirmed = set(
        MeasureLink.objects.confirmed().filter(measure__task__plan=plan).values_list("measure_id", flat=True)
    )
    uppers, index = _upper_index(upper_plan)
    proposals = []
    for measure in _plan_measures(plan):
        if measure.pk in confirmed:
            continue
        best, score = index.best(_measure_text(measure))
        if best is not None and score >= MIN_SIMILARITY:
            proposals.append(MeasureLink(measure=measure, upper=uppers[best], similarity=round(score, 3)))
    MeasureLink.objects.bulk_create(proposals)
    return len(proposals)


def propose_after_import(*, plan: Plan, user) -> tuple[Plan, int] | None:
    """After an import: propose links to the plan it carries out (already chosen, else the likely one)."""
    upper = plan.carries_out or suggest_upper_plan(plan)
    if upper is None:
        return None
    return upper, propose_links(plan=plan, upper_plan=upper, user=user)


@transaction.atomic
def decide_links(*, plan: Plan, decisions: dict[int, int | None], user) -> int:
    """Apply the office's decisions: lower measure id → the upper measure it carries out (None: no link).

    Each change is confirmed and written to the lower measure's history. Returns how many changed.
    """
    if plan.carries_out_id is None:
        raise ValueError(_("请先选择本计划承接的上级计划。"))
    uppers, index = _upper_index(plan.carries_out)
    position = {m.pk: i for i, m in enumerate(uppers)}
    lower = Measure.objects.filter(task__plan=plan, pk__in=decisions).select_related("task")
    existing = {link.measure_id: link for link in MeasureLink.objects.filter(measure__in=lower)}
    changed = 0
    for measure in lower:
        upper_id = decisions[measure.pk]
        if upper_id is not None and upper_id not in position:
            continue
        score = index.scores(_measure_text(measure)).get(position[upper_id], 0.0) if upper_id else 0.0
        upper = uppers[position[upper_id]] if upper_id else None
        changed += _decide(measure, existing.get(measure.pk), upper, round(score, 3), user)
    return changed


def _decide(measure: Measure, link: MeasureLink | None, upper: Measure | None, score: float, user) -> int:
    """Confirm ``measure`` → ``upper`` (or drop its link when ``upper`` is None); 1 when anything changed."""
    confirmed = link is not None and link.state == MeasureLink.State.CONFIRMED
    before = link.upper.code if confirmed else ""
    if upper is None:
        if link is None:
            return 0
        link.delete()
    elif confirmed and link.upper_id == upper.pk:
        return 0
    else:
        link = link or MeasureLink(measure=measure)
        link.upper, link.similarity = upper, score
        link.state, link.decided_by, link.decided_at = MeasureLink.State.CONFIRMED, user, timezone.now()
        link.save()
    after = upper.code if upper else ""
    if before != after:
        HistoryEntry.objects.create(
            measure=measure,
            actor=user,
            action=HistoryEntry.Action.EDIT,
            changes={str(_("承接的上级措施")): [before, after]},
        )
    return 1


# --- reading -----------------------------------------------------------------------------------


@dataclass
class LinkRow:
    """One lower measure on the linking page, with its current or proposed upper measure."""

    measure: Measure
    link: MeasureLink | None


def link_rows(plan: Plan) -> list[LinkRow]:
    links = {
        link.measure_id: link
        for link in MeasureLink.objects.filter(measure__task__plan=plan).select_related("upper__task")
    }
    return [LinkRow(measure=m, link=links.get(m.pk)) for m in _plan_measures(plan)]


@dataclass(frozen=True)
class LinkedMeasure:
    """A lower measure as a roll-up shows it: its link, its light (the SQL twin of the traffic light), done or not."""

    pk: int
    code: str
    light: Light
    finished: bool
    percent: int | None


@dataclass
class DistrictState:
    """How one lower plan (a district) carries out an upper measure."""

    plan: Plan
    measures: list[LinkedMeasure]
    light: Light
    percent: int
    done: bool

    @property
    def label(self) -> str:
        """The lower plan's jurisdiction (丰台区), else its district label or title."""
        if self.plan.jurisdiction_id is not None:
            return self.plan.jurisdiction.name
        return self.plan.district or self.plan.title


@dataclass
class Rollup:
    districts: list[DistrictState]

    @property
    def done_count(self) -> int:
        return sum(1 for d in self.districts if d.done)

    @property
    def lagging(self) -> list[DistrictState]:
        return [d for d in self.districts if d.light != Light.GREEN and not d.done]


# A district's light is its worst measure's: 逾期完成 (done, but after the deadline) is worse than green and better
# than a measure still at risk or overdue.
_SEVERITY = {Light.GREEN: 0, Light.LATE: 1, Light.YELLOW: 2, Light.RED: 3}


def _district_state(plan: Plan, measures: list[LinkedMeasure]) -> DistrictState:
    percents = [100 if m.finished else (m.percent or 0) for m in measures]
    return DistrictState(
        plan=plan,
        measures=measures,
        light=max((m.light for m in measures), key=_SEVERITY.__getitem__),
        percent=round(sum(percents) / len(percents)),
        done=all(m.finished for m in measures),
    )


def _confirmed_links():
    """Confirmed links from measures of lower plans in force (withdrawn plans leave the roll-ups)."""
    return MeasureLink.objects.confirmed().filter(in_force_q("measure__"))


def _rollups(upper_measures, today: dt.date) -> dict[int, Rollup]:
    """Upper measure id → its roll-up: two queries, the lights computed by the database (a city's plan links
    tens of thousands of district measures)."""
    rows = (
        _confirmed_links()
        .filter(upper__in=upper_measures)
        .annotate(
            light=light_expression(today=today, prefix="measure__"),
            finished=ExpressionWrapper(finished_q("measure__"), output_field=BooleanField()),
        )
        .order_by(
            "measure__task__plan__district",
            "measure__task__plan_id",
            "measure__task__number",
            "measure__sequence",
        )
        .values_list(
            "upper_id",
            "measure__task__plan_id",
            "measure_id",
            "measure__code",
            "light",
            "finished",
            "measure__percent",
        )
    )
    grouped: dict[int, dict[int, list[LinkedMeasure]]] = {}
    for upper_id, plan_id, pk, code, light, finished, percent in rows:
        measure = LinkedMeasure(pk=pk, code=code, light=Light(light), finished=finished, percent=percent)
        grouped.setdefault(upper_id, {}).setdefault(plan_id, []).append(measure)
    plan_ids = {plan_id for by_plan in grouped.values() for plan_id in by_plan}
    plans = Plan.objects.select_related("jurisdiction").in_bulk(plan_ids)
    return {
        upper_id: Rollup([_district_state(plans[pid], ms) for pid, ms in by_plan.items()])
        for upper_id, by_plan in grouped.items()
    }


def lagging_upper_ids(plan: Plan, *, today: dt.date):
    """Ids of the measures of upper plan ``plan`` with a lagging district (``Rollup.lagging``), as a
    subquery: a lower plan with one of its linked measures not finished and one not green (its light, the
    worst of its measures', is not green and it is not done). Grouped in the database, no roll-up built.

    The plan's measures are a DISTINCT subquery, not a join through each link's upper measure and its task: joined,
    PostgreSQL took "links to this plan" to be this plan's share of all measures (a city's municipal plan: a tenth,
    2,700 links of 27,000), read each lower measure by its index 27,000 times and took 150-380 ms on a busy machine;
    against a set of ids it can count it expects every link, hashes the lower measures and took 85-225 ms."""
    return (
        _confirmed_links()
        .filter(upper__in=Measure.objects.filter(task__plan=plan).values("pk").distinct())
        .alias(light=light_expression(today=today, prefix="measure__"))
        .order_by()
        .values("upper_id", "measure__task__plan_id")
        .annotate(
            unfinished=Count("pk", filter=~finished_q("measure__")),
            not_green=Count("pk", filter=~Q(light=Light.GREEN.value)),
        )
        .filter(unfinished__gt=0, not_green__gt=0)
        .values("upper_id")
    )


def confirmed_upper(measure: Measure) -> Measure | None:
    """The upper measure this measure carries out, once the office has confirmed it."""
    link = MeasureLink.objects.confirmed().filter(measure=measure).select_related("upper__task__plan").first()
    return link.upper if link else None


def measure_rollup(measure: Measure, *, today: dt.date) -> Rollup | None:
    """The districts' progress on a municipal measure through confirmed 承接 links (None: none linked)."""
    return _rollups([measure], today).get(measure.pk)


@dataclass
class UpperRow:
    measure: Measure
    rollup: Rollup


def plan_rollup(
    plan: Plan, *, today: dt.date, lagging_only: bool = False, page=None, per_page: int = 100
) -> Page:
    """One page of the measures of an upper plan that districts carry out (``lagging_only``: those with a
    lagging district), each an UpperRow with which districts are done and which lag. The page is chosen in
    the database and only its measures are rolled up: four queries whatever the plan's size."""
    measures = _plan_measures(plan)
    if lagging_only:
        listed = measures.filter(pk__in=lagging_upper_ids(plan, today=today))
    else:
        # "Not from a withdrawn plan's measure": joined through each link's plan (as _confirmed_links, which the
        # roll-ups join anyway), finding every linked measure of a city's plan took 90-130 ms, this 20-40 ms.
        linked = MeasureLink.objects.confirmed().from_plans_in_force()
        listed = measures.filter(Exists(linked.filter(upper=OuterRef("pk"))))
    # The listed measures' ids in the plan's order, in one query that both counts and pages them: a count and
    # a page each asked the database to find every linked measure (a city's plan: 5,000 of them, 27,000 links).
    page = Paginator(list(listed.values_list("pk", flat=True)), per_page).get_page(page)
    chosen = list(measures.filter(pk__in=page.object_list))
    rollups = _rollups([m.pk for m in chosen], today)
    page.object_list = [UpperRow(measure=m, rollup=rollups[m.pk]) for m in chosen]
    return page


def plans_carried_out():
    """In-force plans that lower plans carry out, each with ``lower_count``: one query for the dashboard."""
    lower_in_force = Q(carried_out_by__withdrawn_at__isnull=True)
    return (
        Plan.objects.in_force()
        .annotate(lower_count=Count("carried_out_by", filter=lower_in_force))
        .filter(lower_count__gt=0)
        .order_by("-year_start", "title")
    )
