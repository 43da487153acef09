from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("review/", views.review_queue, name="review_queue"),
    path("unit/<int:unit_id>/<int:year>-<int:month>/", views.report_detail, name="detail"),
    path("<int:pk>/review/", views.report_review, name="review"),
    path("<int:pk>/withdraw/", views.report_withdraw, name="withdraw"),
    path("attachment/<int:pk>/", views.attachment_download, name="attachment"),
]
