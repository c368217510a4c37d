"""The product's URLs: admin, GraphQL, health check, and the page trees."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views

urlpatterns = [
    path("health/", views.health, name="health"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("graphql/", include("cms.api.urls")),
    path("handheld/orders/", include("modules.orders.urls")),
    path("handheld/", include("modules.stock.urls")),
    path("purchases/approve/", include("modules.purchases.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("outreach/", include("modules.outreach.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("extranet/requests/", include("modules.crm.urls")),
    path("", include("pages.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
