"""The site's login and logout; included before Wagtail's page URLs."""

from django.urls import path

from pages import views

app_name = "pages"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
]
