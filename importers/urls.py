from django.urls import path

from . import editor_views, identity_views, views

app_name = "importers"
urlpatterns = [
    path("new/", views.upload, name="upload"),
    path("<int:pk>/", views.preview, name="preview"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/edit/", editor_views.edit, name="edit"),
    path("<int:pk>/paste/", editor_views.paste, name="paste"),
    path("units/search/", editor_views.unit_search, name="unit_search"),
    path("new-plan/", editor_views.new_plan, name="new_plan"),
    path("<int:pk>/metadata/", identity_views.edit_metadata, name="edit_metadata"),
    path("plans/<int:pk>/withdraw/", identity_views.withdraw, name="withdraw_plan"),
    path("plans/<int:pk>/restore/", identity_views.restore, name="restore_plan"),
]
