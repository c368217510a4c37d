"""URLs of the handheld pages (mounted at /handheld/)."""

from django.urls import path

from modules.orders import handheld

app_name = "handheld"

urlpatterns = [
    path("", handheld.MenuView.as_view(), name="menu"),
    path("pick/<int:pk>/", handheld.PickView.as_view(), name="pick"),
    path("receive/<int:pk>/", handheld.ReceiveView.as_view(), name="receive"),
]
