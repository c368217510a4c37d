"""The hand-written JSON view that B7 compares the GraphQL API with."""

from django.db.models import Prefetch
from django.http import JsonResponse
from django.urls import path

from cms.urls import urlpatterns as product_urls


def _hand_written(request):
    from tests.sample.models import Gadget, GadgetPart

    rows = (
        Gadget.objects.select_related("company")
        .prefetch_related(
            Prefetch("parts", GadgetPart.objects.only("gadget_id", "name", "count"))
        )
        .order_by("code")[:100]
    )
    data = [
        {
            "code": row.code,
            "name": row.name,
            "price": str(row.price),
            "company": {"name": row.company.name},
            "parts": [{"name": p.name, "count": p.count} for p in row.parts.all()],
        }
        for row in rows
    ]
    return JsonResponse({"gadgets": data})


urlpatterns = [path("bench/gadgets.json", _hand_written), *product_urls]
