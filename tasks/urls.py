from django.urls import path

from . import link_views, views

urlpatterns = [
    path("plans/", views.home, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/links/", link_views.plan_links, name="plan_links"),
    path("plans/<int:pk>/districts/", link_views.plan_districts, name="plan_districts"),
    path("my/", views.my_measures, name="my_measures"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/progress/", views.measure_progress, name="measure_progress"),
    path("measures/<int:pk>/sign-off/", views.measure_sign_off, name="measure_sign_off"),
    path("measures/<int:pk>/assignments/", views.assignment_add, name="assignment_add"),
    path(
        "measures/<int:pk>/assignments/<int:assignment_pk>/remove/",
        views.assignment_remove,
        name="assignment_remove",
    ),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
]
