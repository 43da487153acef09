from django.urls import path

from . import editor_views, identity_views, plan_editing_views, views

app_name = "importers"
urlpatterns = [
    path("new/", views.upload, name="upload"),
    path("<int:pk>/", views.preview, name="preview"),
    path("<int:pk>/status/", views.parse_status, name="parse_status"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/columns/", views.map_columns, name="map_columns"),
    path("<int:pk>/edit/", editor_views.edit, name="edit"),
    path("<int:pk>/paste/", editor_views.paste, name="paste"),
    path("units/search/", editor_views.unit_search, name="unit_search"),
    path("new-plan/", editor_views.new_plan, name="new_plan"),
    path("<int:pk>/metadata/", identity_views.edit_metadata, name="edit_metadata"),
    path("plans/<int:pk>/withdraw/", identity_views.withdraw, name="withdraw_plan"),
    path("plans/<int:pk>/restore/", identity_views.restore, name="restore_plan"),
    # The office edits an imported plan (plan and measure pages).
    path("plans/<int:pk>/chapters/add/", plan_editing_views.chapter_add, name="chapter_add"),
    path("chapters/<int:pk>/tasks/add/", plan_editing_views.task_add, name="task_add"),
    path("plans/<int:pk>/measures/add/", plan_editing_views.measure_add, name="measure_add"),
    path("measures/<int:pk>/edit/", plan_editing_views.measure_edit, name="measure_edit"),
]
