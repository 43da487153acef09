"""Which URLs the page benchmark requests, found by name in the URLconf at run time.

Other parts of bluesky add pages as they are built, so the benchmark does not
keep a fixed list: it walks the URLconf, skips what is not a page of the app
(the admin, sign-in, static files, the API schema), fills each route's
parameters with objects of the generated data set (a measure for
``measures/<pk>/``, a unit and month for ``unit/<unit_id>/<year>-<month>/`` …)
and says which names it could not fill.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

# Not pages of the app, or not meant to be fetched with GET.
SKIP_NAMESPACES = {"admin", "djdt"}
SKIP_NAMES = re.compile(
    r"^(login|logout|password_.*|healthz|set_language|javascript-catalog|api-schema|api-docs|api-root|"
    r".*redoc.*|.*swagger.*)$"
)
# Files rather than pages: measured, but the 200 ms target is for pages and lists.
FILE_NAMES = re.compile(r"(export|xlsx|download|docx|csv)")

# What each area of the issues expects; printed as found / not built yet.
EXPECTED = {
    "issue 4 · 我的任务 my measures": r"my_measures|(^|:)my$",
    "issue 4 · 措施页与进展填报 measure page, progress form": r"measure_(detail|progress)",
    "issue 4 · 月报 monthly reports": r"^reports:(list|detail)$",
    "issue 4 · 审核 review queue": r"review_queue",
    "issue 5 · 总览 overview dashboard": r"overview",
    "issue 5 · 单位看板 units dashboard": r"dashboards:unit",
    "issue 5 · 计划看板 plans dashboard": r"dashboards:plan",
    "issue 5 · API list endpoints": r"-list$",
    "issue 6 · 排名 rankings": r"ranking",
    "issue 6 · 周通报 notices": r"notice",
    "issue 6 · 站内通知 notifications": r"notification",
}

# Words in URL names → the model whose id the route takes (most specific first).
_KEYWORDS = (
    ("reportitem", "reports.MonthlyReportItem"),
    ("evidence", "tasks.Evidence"),
    ("notification", "reports.Notification"),
    ("notice", "reports.WeeklyNotice"),
    ("ranking", "reports.MonthlyRanking"),
    ("milestone", "tasks.Milestone"),
    ("assignment", "tasks.Assignment"),
    ("progress", "tasks.ProgressUpdate"),
    ("reporthistoryentry", "reports.ReportHistoryEntry"),
    ("history", "tasks.HistoryEntry"),
    ("alias", "departments.UnitAlias"),
    ("membership", "departments.UnitMembership"),
    ("chapter", "tasks.Chapter"),
    ("task", "tasks.Task"),
    ("measure", "tasks.Measure"),
    ("report", "reports.MonthlyReport"),
    ("plan", "tasks.Plan"),
    ("unit", "departments.Unit"),
    ("user", "auth.User"),
    ("import", "importers.PlanImport"),
    ("reminder", "reports.Reminder"),
    ("delivery", "reports.Delivery"),
    ("formula", "reports.ScoreFormula"),
)


@dataclass
class Route:
    name: str  # as reverse() takes it: "namespace:name"
    kwargs: list[str]
    callback: object
    route: str

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def is_file(self) -> bool:
        return bool(FILE_NAMES.search(self.name))


@dataclass
class Target:
    route: Route
    url: str


@dataclass
class Catalogue:
    targets: list[Target] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    all_names: list[str] = field(default_factory=list)


def discover() -> list[Route]:
    """Every named URL pattern, with the parameters of the variant that needs fewest."""
    found: dict[str, Route] = {}

    def walk(patterns, namespace: str, prefix: str, inherited: list[str]):
        for p in patterns:
            params = _params(p.pattern)
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                ns = p.namespace
                if ns in SKIP_NAMESPACES:
                    continue
                walk(p.url_patterns, f"{namespace}{ns}:" if ns else namespace, route, inherited + params)
            elif isinstance(p, URLPattern) and p.name:
                name = namespace + p.name
                kwargs = inherited + params
                if name not in found or len(kwargs) < len(found[name].kwargs):
                    found[name] = Route(name, kwargs, p.callback, route.lstrip("^"))

    walk(get_resolver().url_patterns, "", "", [])
    return sorted(found.values(), key=lambda r: (r.is_api, r.name))


def _params(pattern) -> list[str]:
    if hasattr(pattern, "converters") and getattr(pattern, "converters", None):
        return list(pattern.converters)
    regex = getattr(pattern, "regex", None)
    return list(regex.groupindex) if regex is not None else []


def model_for(route: Route, kwarg: str):
    """The model whose id fills ``kwarg`` of ``route``."""
    from django.apps import apps

    if kwarg in ("pk", "id"):
        view = getattr(route.callback, "cls", None) or getattr(route.callback, "view_class", None)
        queryset = getattr(view, "queryset", None)
        if queryset is not None:
            return queryset.model
        if getattr(view, "model", None) is not None:
            return view.model
        namespace, _, local = route.name.rpartition(":")
        # The route's own name first ("measure_progress" → measure), its namespace last ("reports:review").
        words = re.split(r"[-_]", local) + re.split(r"[-_:]", namespace)
    else:
        words = [re.sub(r"_(pk|id)$", "", kwarg)]
    for word in words:
        for keyword, label in _KEYWORDS:
            if keyword in word.lower():
                return apps.get_model(label)
    return None


def build(objects, *, month: dt.date, week_start: dt.date) -> Catalogue:
    """Reverse every route with ``objects.sample(model)`` ids and the given month and week."""
    from django.urls import NoReverseMatch, reverse

    catalogue = Catalogue()
    for route in discover():
        catalogue.all_names.append(route.name)
        local = route.name.rpartition(":")[2]
        if SKIP_NAMES.match(local) or "format" in route.kwargs:
            catalogue.skipped.append((route.name, "not a page of the app"))
            continue
        kwargs, problem = {}, None
        for kwarg in route.kwargs:
            value = _value(route, kwarg, objects, month, week_start)
            if value is None:
                problem = f"no object for <{kwarg}> in the data set"
                break
            kwargs[kwarg] = value
        if problem is None:
            try:
                url = reverse(route.name, kwargs=kwargs)
            except NoReverseMatch:
                problem = f"cannot build a URL from {kwargs}"
        if problem:
            catalogue.skipped.append((route.name, problem))
        else:
            catalogue.targets.append(Target(route, url))
    return catalogue


def _value(route: Route, kwarg: str, objects, month: dt.date, week_start: dt.date):
    if kwarg == "year":
        return month.year
    if kwarg == "month":
        return month.month
    if kwarg in ("period", "ym"):
        return f"{month:%Y-%m}"
    if kwarg == "week":
        year, week, _ = week_start.isocalendar()
        return f"{year}-W{week:02d}"
    if kwarg in ("date", "day", "on"):
        return objects.as_of.isoformat()
    model = model_for(route, kwarg)
    if model is None:
        return None
    obj = objects.sample(model)
    return None if obj is None else obj.pk


def expected_coverage(names: list[str]) -> list[tuple[str, list[str]]]:
    """For each area the issues expect, the URL names that match it (empty: not built yet)."""
    out = []
    for label, pattern in EXPECTED.items():
        matched = [n for n in names if re.search(pattern, n)]
        out.append((label, matched))
    return out
