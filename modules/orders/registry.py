"""What the orders module registers: sales, purchasing and deliveries.

Order headers and lines are written through `modules.orders.adapters`,
which call the order services, so the admin, GraphQL and imports number,
price, reserve and change state the same way. Receipts, landed costs and
handheld submissions are made by their services only and are read-only
here.
"""

from django.utils.translation import gettext_lazy as _

from cms.registry import (
    ImportExport,
    Services,
    register,
    register_graphql_fields,
    register_menu,
)
from modules.orders import adapters, api, importing
from modules.orders.models import (
    Delivery,
    DeliveryLine,
    GoodsReceipt,
    GoodsReceiptLine,
    LandedCost,
    PurchaseOrder,
    PurchaseOrderLine,
    Quotation,
    QuotationLine,
    ReorderRule,
    SalesOrder,
    SalesOrderLine,
)
from modules.orders.viewsets import (
    DeliveryViewSet,
    PurchaseOrderViewSet,
    QuotationViewSet,
    SalesOrderViewSet,
)

READ_ONLY = Services(
    create=adapters.refuse_write,
    update=adapters.refuse_write,
    delete=adapters.refuse_write,
)
LINE_FIELDS = ["product", "quantity", "unit_price", "discount_percent", "description"]

register_menu(
    "sales",
    _("Sales"),
    icon="doc-full-inverse",
    order=320,
    roles=("administrator", "sales"),
    read_roles=("warehouse", "accountant"),
)
register_menu(
    "purchasing",
    _("Purchasing"),
    icon="download",
    order=330,
    roles=("administrator", "warehouse"),
    read_roles=("sales", "accountant"),
)
register_menu(
    "deliveries",
    _("Deliveries"),
    icon="upload",
    order=340,
    roles=("administrator", "warehouse"),
    read_roles=("sales", "accountant"),
)

register(
    Quotation,
    menu="sales",
    icon="doc-full",
    menu_order=10,
    viewset_class=QuotationViewSet,
    list_display=["number", "customer", "date", "follow_up_date", "state"],
    list_filter=["state", "follow_up_date", "date"],
    search_fields=["number", "customer__name", "notes"],
    form_fields=[
        "customer",
        "contact",
        "date",
        "valid_until",
        "follow_up_date",
        "state",
        "notes",
    ],
    services=Services(
        create=adapters.create_quotation, update=adapters.update_quotation
    ),
    import_export=ImportExport(key=("number",)),
)
register(
    QuotationLine,
    menu="sales",
    icon="list-ul",
    menu_order=15,
    company_field="quotation__company",
    list_display=["quotation", "product", "quantity", "unit_price"],
    search_fields=["quotation__number", "product__item_number"],
    form_fields=["quotation", *LINE_FIELDS],
    services=Services(
        create=adapters.create_quotation_line,
        update=adapters.refuse_write,
        delete=adapters.refuse_write,
    ),
    import_export=None,
)
register(
    SalesOrder,
    menu="sales",
    icon="clipboard-list",
    menu_order=20,
    viewset_class=SalesOrderViewSet,
    list_display=["number", "customer", "order_date", "priority", "state"],
    list_filter=["state", "warehouse", "order_date"],
    search_fields=["number", "customer__name", "customer_reference", "external_id"],
    form_fields=[
        "customer",
        "contact",
        "warehouse",
        "order_date",
        "requested_date",
        "priority",
        "customer_reference",
        "external_id",
        "state",
        "notes",
    ],
    services=Services(
        create=adapters.create_sales_order, update=adapters.update_sales_order
    ),
    import_export=ImportExport(key=("number",)),
)
register(
    SalesOrderLine,
    menu="sales",
    icon="list-ul",
    menu_order=25,
    company_field="order__company",
    list_display=["order", "product", "quantity", "delivered_quantity"],
    search_fields=["order__number", "product__item_number"],
    form_fields=["order", *LINE_FIELDS],
    services=Services(
        create=adapters.create_sales_order_line,
        update=adapters.update_order_line,
        delete=adapters.delete_order_line,
    ),
    import_export=None,
)
register(
    PurchaseOrder,
    menu="purchasing",
    icon="doc-full",
    menu_order=10,
    viewset_class=PurchaseOrderViewSet,
    list_display=["number", "supplier", "order_date", "expected_date", "state"],
    list_filter=["state", "warehouse", "order_date"],
    search_fields=["number", "supplier__name"],
    form_fields=[
        "supplier",
        "warehouse",
        "order_date",
        "expected_date",
        "state",
        "notes",
    ],
    services=Services(
        create=adapters.create_purchase_order, update=adapters.update_purchase_order
    ),
    import_export=ImportExport(key=("number",)),
)
register(
    PurchaseOrderLine,
    menu="purchasing",
    icon="list-ul",
    menu_order=15,
    company_field="order__company",
    list_display=["order", "product", "quantity", "received_quantity"],
    search_fields=["order__number", "product__item_number"],
    form_fields=["order", "product", "quantity", "unit_price", "description"],
    services=Services(
        create=adapters.create_purchase_order_line,
        update=adapters.update_order_line,
        delete=adapters.delete_order_line,
    ),
    import_export=None,
)
register(
    ReorderRule,
    menu="purchasing",
    icon="repeat",
    menu_order=20,
    list_display=[
        "product",
        "warehouse",
        "reorder_point",
        "min_quantity",
        "max_quantity",
    ],
    list_filter=["warehouse"],
    search_fields=["product__item_number", "product__name_fi"],
    form_fields=[
        "product",
        "warehouse",
        "reorder_point",
        "min_quantity",
        "max_quantity",
        "note",
    ],
    import_export=ImportExport(
        key=("product", "warehouse"), resource_class=importing.ReorderRuleResource
    ),
)
register(
    GoodsReceipt,
    menu="purchasing",
    icon="download",
    menu_order=30,
    list_display=["number", "purchase_order", "date"],
    list_filter=["date"],
    search_fields=["number", "purchase_order__number"],
    services=READ_ONLY,
    import_export=None,
)
register(
    GoodsReceiptLine,
    menu="purchasing",
    icon="list-ul",
    menu_order=35,
    company_field="receipt__company",
    list_display=["receipt", "order_line", "quantity", "batch", "landed_cost"],
    search_fields=["receipt__number", "batch__number"],
    services=READ_ONLY,
    import_export=None,
)
register(
    LandedCost,
    menu="purchasing",
    icon="form",
    menu_order=40,
    company_field="receipt__company",
    list_display=["receipt", "kind", "amount", "allocation"],
    list_filter=["kind"],
    services=READ_ONLY,
    import_export=None,
)
register(
    Delivery,
    menu="deliveries",
    icon="upload",
    menu_order=10,
    viewset_class=DeliveryViewSet,
    list_display=["number", "order", "date", "state", "tracking_number"],
    list_filter=["state", "date"],
    search_fields=["number", "order__number", "tracking_number"],
    form_fields=[
        "order",
        "state",
        "carrier",
        "tracking_number",
        "packages",
        "gross_weight_kg",
    ],
    services=Services(
        create=adapters.create_delivery,
        update=adapters.update_delivery,
        delete=adapters.refuse_write,
    ),
    import_export=None,
)
register(
    DeliveryLine,
    menu="deliveries",
    icon="list-ul",
    menu_order=15,
    company_field="delivery__company",
    list_display=["delivery", "order_line", "quantity", "picked_quantity"],
    search_fields=["delivery__number"],
    services=READ_ONLY,
    import_export=None,
)
register_graphql_fields(api.build_fields)
