"""What the core app registers with the platform: companies and shared data.

Company-owned rows (bank accounts, memberships, number series) are scoped
by their `company`; companies by themselves; company groups through their
companies; currencies, countries, rates and units are shared by all.
"""

from django.utils.translation import gettext_lazy as _

from cms.registry import ImportExport, Services, register, register_menu
from modules.core import services
from modules.core.models import (
    BankAccount,
    Company,
    CompanyGroup,
    Country,
    Currency,
    ExchangeRate,
    Membership,
    NumberSeries,
    Unit,
    UnitConversion,
)

register_menu(
    "core",
    _("Companies"),
    icon="cogs",
    order=100,
    roles=("administrator",),
    read_roles=("accountant", "sales", "warehouse"),
)

register(
    Company,
    menu="core",
    icon="site",
    menu_order=10,
    company_field="pk",
    list_display=["name", "business_id", "vat_number", "city", "group", "is_active"],
    list_filter=["is_active", "group", "vat_period"],
    search_fields=["name", "business_id", "vat_number", "city"],
    form_fields=[
        "name",
        "business_id",
        "vat_number",
        "street_address",
        "postal_code",
        "city",
        "country",
        "email",
        "phone",
        "default_currency",
        "language",
        "fiscal_year_start_month",
        "vat_period",
        "group",
        "is_active",
    ],
    services=Services(
        create=services.create_company,
        update=services.update_company,
        delete=services.delete_company,
    ),
    import_export=ImportExport(key=("business_id",)),
)
register(
    BankAccount,
    menu="core",
    icon="list-ol",
    menu_order=20,
    list_display=["name", "iban", "bic", "is_default"],
    list_filter=["is_default"],
    search_fields=["name", "iban", "bic"],
    form_fields=["name", "iban", "bic", "is_default"],
    services=Services(
        create=services.create_bank_account,
        update=services.update_bank_account,
        delete=services.delete_bank_account,
    ),
    import_export=ImportExport(key=("iban",), fields=("name", "iban", "bic")),
)
register(
    CompanyGroup,
    menu="core",
    icon="group",
    menu_order=30,
    company_field="companies",
    list_display=["name"],
    search_fields=["name"],
    form_fields=["name"],
    services=Services(
        create=services.create_company_group,
        update=services.update_company_group,
        delete=services.delete_company_group,
    ),
    import_export=None,
)
register(
    Membership,
    menu="core",
    icon="user",
    menu_order=40,
    list_display=["user", "company", "role", "is_default"],
    list_filter=["role", "is_default"],
    search_fields=["user__username", "user__first_name", "user__last_name"],
    form_fields=["user", "role", "is_default"],
    services=Services(
        create=services.create_membership,
        update=services.update_membership,
        delete=services.delete_membership,
    ),
    # Access rights are granted one by one by an administrator, not by file.
    import_export=None,
)
register(
    NumberSeries,
    menu="core",
    icon="order",
    menu_order=50,
    list_display=["code", "year", "prefix", "padding", "next_number"],
    list_filter=["code", "year"],
    search_fields=["code", "prefix"],
    form_fields=["code", "year", "prefix", "padding", "next_number"],
    services=Services(
        update=services.update_number_series,
        delete=services.delete_number_series,
    ),
    # Counters move only through next_number(); a file must not reset them.
    import_export=None,
)
register(
    Currency,
    menu="core",
    icon="decimal",
    menu_order=60,
    company_field=None,
    list_display=["code", "name_fi", "name_sv", "name_en", "decimal_places", "symbol"],
    search_fields=["code", "name_fi", "name_sv", "name_en"],
    ordering=["code"],
    import_export=ImportExport(key=("code",)),
)
register(
    ExchangeRate,
    menu="core",
    icon="calendar-alt",
    menu_order=70,
    company_field=None,
    list_display=["currency", "date", "rate", "source"],
    list_filter=["currency", "source"],
    search_fields=["currency__code", "source"],
    ordering=["-date", "currency__code"],
    import_export=ImportExport(key=("currency", "date")),
)
register(
    Country,
    menu="core",
    icon="globe",
    menu_order=80,
    company_field=None,
    list_display=["code", "name_fi", "name_sv", "name_en", "is_eu_member"],
    list_filter=["is_eu_member"],
    search_fields=["code", "name_fi", "name_sv", "name_en"],
    ordering=["code"],
    import_export=ImportExport(key=("code",)),
)
register(
    Unit,
    menu="core",
    icon="tag",
    menu_order=90,
    company_field=None,
    list_display=[
        "code",
        "name_fi",
        "name_sv",
        "name_en",
        "decimal_places",
        "unece_code",
    ],
    search_fields=["code", "name_fi", "name_sv", "name_en", "unece_code"],
    ordering=["code"],
    import_export=ImportExport(key=("code",)),
)
register(
    UnitConversion,
    menu="core",
    icon="sliders",
    menu_order=100,
    company_field=None,
    list_display=["from_unit", "to_unit", "factor"],
    list_filter=["from_unit", "to_unit"],
    import_export=ImportExport(key=("from_unit", "to_unit")),
)
