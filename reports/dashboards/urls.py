"""Dashboard URLs, included under dashboard/."""

from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("units/", views.units, name="units"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("plans/", views.plans, name="plans"),
]
