"""What stock registers: warehouses, locations, batches and the ledger.

Stock moves, balances and reservations are written only by
`modules.stock.services`; their generated screens and API are read-only
and travel in no import file, so a file can never change stock past the
services that keep the ledger and the balances in step.
"""

from django.utils.translation import gettext_lazy as _

from cms.registry import ImportExport, Services, register, register_menu
from modules.stock import counting
from modules.stock.models import (
    Batch,
    HandheldSubmission,
    Location,
    Reservation,
    StockCount,
    StockCountLine,
    StockLevel,
    StockMove,
    StockSettings,
    Warehouse,
    WarehouseStock,
)
from modules.stock.services import refuse_move_write
from modules.stock.viewsets import StockCountViewSet

READ_ONLY = Services(
    create=refuse_move_write, update=refuse_move_write, delete=refuse_move_write
)

register_menu(
    "stock",
    _("Stock"),
    icon="home",
    order=310,
    roles=("administrator", "warehouse"),
    read_roles=("sales", "accountant"),
)

register(
    Warehouse,
    menu="stock",
    icon="home",
    menu_order=10,
    list_display=["code", "name", "city", "is_active"],
    list_filter=["is_active"],
    search_fields=["code", "name", "city"],
    ordering=["code"],
    form_fields=["code", "name", "street_address", "postal_code", "city", "is_active"],
    import_export=ImportExport(
        key=("code",), fields=("code", "name", "street_address", "postal_code", "city")
    ),
)
register(
    Location,
    menu="stock",
    icon="placeholder",
    menu_order=20,
    company_field="warehouse__company",
    list_display=["code", "warehouse", "name", "is_active"],
    list_filter=["warehouse", "is_active"],
    search_fields=["code", "name"],
    ordering=["warehouse", "code"],
    form_fields=["warehouse", "code", "name", "is_active"],
    import_export=None,
)
register(
    Batch,
    menu="stock",
    icon="tag",
    menu_order=30,
    list_display=["number", "product", "expiry_date", "created_at"],
    search_fields=["number", "product__item_number"],
    ordering=["product", "expiry_date"],
    form_fields=["product", "number", "expiry_date"],
    import_export=None,
)
register(
    WarehouseStock,
    menu="stock",
    icon="table",
    menu_order=40,
    list_display=["product", "warehouse", "on_hand", "reserved"],
    list_filter=["warehouse"],
    search_fields=["product__item_number", "product__name_fi"],
    ordering=["product", "warehouse"],
    services=READ_ONLY,
    import_export=None,
)
register(
    StockLevel,
    menu="stock",
    icon="table",
    menu_order=50,
    list_display=["product", "warehouse", "location", "batch", "on_hand"],
    list_filter=["warehouse"],
    search_fields=["product__item_number", "location__code", "batch__number"],
    ordering=["product", "warehouse", "location"],
    services=READ_ONLY,
    import_export=None,
)
register(
    StockMove,
    menu="stock",
    icon="list-ol",
    menu_order=60,
    list_display=[
        "date",
        "kind",
        "product",
        "warehouse",
        "location",
        "batch",
        "quantity",
        "unit_cost",
        "reference",
    ],
    list_filter=["kind", "warehouse", "date"],
    search_fields=["product__item_number", "reference", "batch__number"],
    ordering=["-date", "-pk"],
    services=READ_ONLY,
    import_export=None,
)
register(
    Reservation,
    menu="stock",
    icon="lock",
    menu_order=70,
    list_display=["product", "warehouse", "quantity", "issued_quantity", "state"],
    list_filter=["state", "warehouse"],
    search_fields=["product__item_number"],
    ordering=["-created_at"],
    services=READ_ONLY,
    import_export=None,
)
register(
    StockSettings,
    menu="stock",
    icon="cog",
    menu_order=90,
    list_display=["company", "post_to_ledger", "cycle_count_share"],
    form_fields=[
        "post_to_ledger",
        "voucher_series",
        "inventory_account",
        "receipt_account",
        "cost_account",
        "adjustment_account",
        "cycle_count_share",
    ],
    import_export=None,
)
register(
    StockCount,
    menu="stock",
    icon="clipboard-list",
    menu_order=80,
    list_display=["number", "warehouse", "kind", "date", "state"],
    list_filter=["state", "kind", "warehouse"],
    search_fields=["number", "note"],
    ordering=["-date", "-pk"],
    form_fields=["warehouse", "kind", "date"],
    viewset_class=StockCountViewSet,
    services=Services(
        create=counting.create_count,
        update=counting.refuse_count_change,
        delete=counting.refuse_count_change,
    ),
    import_export=None,
)
register(
    StockCountLine,
    menu="stock",
    icon="list-ul",
    menu_order=85,
    company_field="count__company",
    list_display=["count", "product", "location", "batch", "expected", "counted"],
    list_filter=["count"],
    search_fields=["product__item_number", "count__number"],
    services=READ_ONLY,
    import_export=None,
)
register(
    HandheldSubmission,
    menu="stock",
    icon="mobile-alt",
    menu_order=90,
    list_display=["created_at", "action", "user"],
    list_filter=["action"],
    graphql=False,
    services=READ_ONLY,
    import_export=None,
)
