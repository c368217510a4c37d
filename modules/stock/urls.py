"""URLs of the handheld pages for warehouse staff."""

from django.urls import path

from modules.stock import handheld

urlpatterns = [
    path("", handheld.home, name="handheld_home"),
    path("lookup/", handheld.lookup, name="handheld_lookup"),
    path("count/<int:pk>/", handheld.count_page, name="handheld_count"),
    path("count/<int:pk>/submit/", handheld.count_submit, name="handheld_count_submit"),
    path("transfer/", handheld.transfer_page, name="handheld_transfer"),
    path("transfer/submit/", handheld.transfer_submit, name="handheld_transfer_submit"),
]
