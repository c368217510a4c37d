"""Admin viewsets of stock built on the generated ones.

A stock count opens on its review page, where its lines are shown with
their differences and the count is posted or cancelled.
"""

from django.shortcuts import redirect

from cms.viewsets import InspectView, RegisteredViewSet


class CountInspectView(InspectView):
    def get(self, request, *args, **kwargs):
        count = self.get_object()
        return redirect("stock_count_review", pk=count.pk)


class StockCountViewSet(RegisteredViewSet):
    inspect_view_class = CountInspectView
