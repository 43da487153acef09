"""API routes of the reports app (registered on the router in bluesky/api/urls.py)."""

from . import views

routes = [
    ("monthly-reports", views.MonthlyReportViewSet, "monthlyreport"),
    ("rankings", views.MonthlyRankingViewSet, "ranking"),
    ("ranking-rows", views.RankingRowViewSet, "rankingrow"),
]
