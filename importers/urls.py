from django.urls import path

from . import views

app_name = "importers"
urlpatterns = [
    path("new/", views.upload, name="upload"),
    path("<int:pk>/", views.preview, name="preview"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
]
