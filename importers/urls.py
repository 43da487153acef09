from django.urls import path

from . import identity_views, views

app_name = "importers"
urlpatterns = [
    path("new/", views.upload, name="upload"),
    path("<int:pk>/", views.preview, name="preview"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/metadata/", identity_views.edit_metadata, name="edit_metadata"),
    path("plans/<int:pk>/withdraw/", identity_views.withdraw, name="withdraw_plan"),
    path("plans/<int:pk>/restore/", identity_views.restore, name="restore_plan"),
]
