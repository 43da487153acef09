"""工作台 URLs, included under workbench/ (the landing page itself is "home", at /)."""

from django.urls import path

from . import views

app_name = "workbench"
urlpatterns = [
    path("batch/accept/", views.batch_accept, name="batch_accept"),
    path("batch/sign-off/", views.batch_sign_off, name="batch_sign_off"),
    path("urge/", views.urge, name="urge"),
]
