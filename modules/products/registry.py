"""What the product register registers: products, prices and assortments.

Products are imported and exported by item number; supplier items by the
supplier's item number, so a supplier's price file updates the prices it
names (see `modules.products.importing`). Prices are read by
`modules.products.pricing.price_for`, never from these screens directly.
"""

from django.utils.translation import gettext_lazy as _

from cms.registry import ImportExport, Services, register, register_menu
from modules.products import updates
from modules.products.importing import ProductResource, SupplierItemResource
from modules.products.models import (
    Assortment,
    PriceList,
    PriceListItem,
    PriceUpdate,
    Product,
    ProductGroup,
    ProductUnit,
    SupplierItem,
)

PRODUCT_FIELDS = [
    "item_number",
    "name_fi",
    "name_sv",
    "name_en",
    "description",
    "group",
    "unit",
    "ean",
    "vat_code",
    "weight_kg",
    "length_mm",
    "width_mm",
    "height_mm",
    "is_stocked",
    "batch_tracked",
    "allow_negative_stock",
    "abc_class",
    "is_active",
]

register_menu(
    "products",
    _("Products"),
    icon="tag",
    order=300,
    roles=("administrator", "sales"),
    read_roles=("warehouse", "accountant"),
)

register(
    Product,
    menu="products",
    icon="tag",
    menu_order=10,
    list_display=["item_number", "name_fi", "group", "unit", "ean", "is_active"],
    list_filter=["group", "abc_class", "batch_tracked", "is_active"],
    search_fields=["item_number", "name_fi", "name_sv", "name_en", "ean"],
    ordering=["item_number"],
    form_fields=PRODUCT_FIELDS,
    import_export=ImportExport(
        key=("item_number",), fields=PRODUCT_FIELDS, resource_class=ProductResource
    ),
)
register(
    ProductGroup,
    menu="products",
    icon="folder-open-inverse",
    menu_order=20,
    list_display=["code", "name_fi", "parent"],
    search_fields=["code", "name_fi", "name_sv", "name_en"],
    ordering=["code"],
    form_fields=["code", "name_fi", "name_sv", "name_en", "parent"],
    import_export=ImportExport(
        key=("code",), fields=("code", "name_fi", "name_sv", "name_en")
    ),
)
register(
    ProductUnit,
    menu="products",
    icon="resubmit",
    menu_order=30,
    company_field="product__company",
    list_display=["product", "unit", "factor", "ean"],
    search_fields=["product__item_number", "ean"],
    form_fields=["product", "unit", "factor", "ean"],
    import_export=None,
)
register(
    SupplierItem,
    menu="products",
    icon="pick",
    menu_order=40,
    list_display=[
        "supplier_item_number",
        "product",
        "supplier",
        "price",
        "currency",
        "lead_time_days",
        "is_preferred",
    ],
    list_filter=["supplier", "is_preferred"],
    search_fields=["supplier_item_number", "product__item_number", "supplier__name"],
    form_fields=[
        "product",
        "supplier",
        "supplier_item_number",
        "price",
        "currency",
        "lead_time_days",
        "min_order_quantity",
        "is_preferred",
    ],
    import_export=ImportExport(
        key=("supplier", "supplier_item_number"),
        resource_class=SupplierItemResource,
    ),
)
register(
    PriceList,
    menu="products",
    icon="doc-full",
    menu_order=50,
    list_display=["name", "kind", "customer", "customer_group", "valid_from"],
    list_filter=["kind", "channel", "is_active"],
    search_fields=["name", "customer__name"],
    form_fields=[
        "name",
        "kind",
        "customer",
        "customer_group",
        "channel",
        "currency",
        "valid_from",
        "valid_until",
        "is_active",
    ],
    import_export=ImportExport(
        key=("name",),
        fields=("name", "kind", "channel", "currency", "valid_from", "valid_until"),
    ),
)
register(
    PriceListItem,
    menu="products",
    icon="list-ul",
    menu_order=60,
    company_field="price_list__company",
    list_display=[
        "price_list",
        "product",
        "min_quantity",
        "unit_price",
        "discount_percent",
    ],
    list_filter=["price_list"],
    search_fields=["product__item_number", "price_list__name"],
    form_fields=[
        "price_list",
        "product",
        "min_quantity",
        "unit_price",
        "discount_percent",
    ],
    import_export=None,
)
register(
    Assortment,
    menu="products",
    icon="list-ul",
    menu_order=70,
    list_display=["code", "name", "purpose", "customer_group"],
    list_filter=["purpose"],
    search_fields=["code", "name"],
    form_fields=["code", "name", "purpose", "customer_group", "products"],
    import_export=ImportExport(key=("code",), fields=("code", "name", "purpose")),
)
register(
    PriceUpdate,
    menu="products",
    icon="download",
    menu_order=80,
    list_display=["supplier", "reference", "state", "created_at", "applied_at"],
    list_filter=["state", "supplier"],
    search_fields=["reference", "supplier__name"],
    ordering=["-created_at"],
    form_fields=["supplier", "reference", "rows", "state"],
    inspect_fields=["supplier", "reference", "state", "changes", "rows"],
    services=Services(
        create=updates.receive_price_update,
        update=updates.change_price_update,
        delete=updates.delete_price_update,
    ),
    import_export=None,
)
