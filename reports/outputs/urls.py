"""URLs of the generated documents, under /jobs/: weekly notices and monthly rankings."""

from django.urls import path

from . import views

app_name = "outputs"
urlpatterns = [
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/download/", views.notice_download, name="notice_download"),
    path("rankings/", views.ranking_list, name="rankings"),
    path("rankings/<int:year>-<int:month>/", views.ranking_detail, name="ranking"),
    path("rankings/<int:year>-<int:month>/download/", views.ranking_download, name="ranking_download"),
]
