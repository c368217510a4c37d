"""Import files of products and supplier prices.

Rows name related rows the way a person or a supplier's file does: the
product group and unit by code, the product by item number and the
supplier by business ID, always within the importing company.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export import fields, widgets

from cms.importing import RegisteredResource
from cms.registry import get_registration
from modules.core.models import Unit
from modules.crm.models import Organisation
from modules.products.models import Product, ProductGroup, SupplierItem


class CompanyKeyWidget(widgets.ForeignKeyWidget):
    """Find a related row by a natural key within the importing company."""

    company = None

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model._default_manager.filter(company=self.company)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist as error:
            # A ValueError is reported on the row's column in the preview.
            raise ValueError(
                _("%(model)s %(value)s is unknown.")
                % {"model": capfirst(self.model._meta.verbose_name), "value": value}
            ) from error


class CompanyKeyedResource(RegisteredResource):
    """A registered resource whose related rows are keyed within the company."""

    def __init__(self, *, user, company):
        super().__init__(user=user, company=company)
        for field in self.fields.values():
            if isinstance(field.widget, CompanyKeyWidget):
                field.widget.company = company

    @property
    def registration(self):
        return get_registration(self._meta.model)


class ProductResource(CompanyKeyedResource):
    """Products by item number; group and unit by their codes."""

    group = fields.Field(
        attribute="group",
        column_name="group",
        widget=CompanyKeyWidget(ProductGroup, field="code"),
    )
    unit = fields.Field(
        attribute="unit",
        column_name="unit",
        widget=widgets.ForeignKeyWidget(Unit, field="code"),
    )

    class Meta:
        model = Product
        fields = (
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
        )
        import_id_fields = ("item_number",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True


class SupplierItemResource(CompanyKeyedResource):
    """A supplier's price file: their item number, our item number, price."""

    supplier = fields.Field(
        attribute="supplier",
        column_name="supplier",
        widget=CompanyKeyWidget(Organisation, field="business_id"),
    )
    product = fields.Field(
        attribute="product",
        column_name="product",
        widget=CompanyKeyWidget(Product, field="item_number"),
    )

    class Meta:
        model = SupplierItem
        fields = (
            "supplier",
            "supplier_item_number",
            "product",
            "price",
            "currency",
            "lead_time_days",
            "min_order_quantity",
            "is_preferred",
        )
        import_id_fields = ("supplier", "supplier_item_number")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
