from cms.registry import ImportExport, register, register_menu
from tests.sample.models import Gadget, GadgetPart

register_menu("sample", "Sample", order=9000)
register(
    Gadget,
    menu="sample",
    list_display=["code", "name", "quantity", "price", "active"],
    list_filter=["active"],
    search_fields=["code", "name"],
    import_export=ImportExport(key=("code",)),
    definable_forms=True,
)
register(
    GadgetPart,
    menu="sample",
    list_display=["name", "gadget", "count"],
    search_fields=["name"],
)
