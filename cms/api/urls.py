"""URL of the GraphQL endpoint, included at /graphql/ by cms.urls."""

from django.urls import path

from cms.api.views import ApiView

app_name = "api"
urlpatterns = [path("", ApiView.as_view(), name="graphql")]
