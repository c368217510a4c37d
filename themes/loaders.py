"""A template loader that serves `themes/<name>/<path>` from a theme folder."""

from django.core.exceptions import SuspiciousFileOperation
from django.template import Origin
from django.template.loaders.filesystem import Loader as FilesystemLoader
from django.utils._os import safe_join

from themes.catalog import theme_dir


class Loader(FilesystemLoader):
    """Find `themes/<name>/<path>` in themes/<name>/templates/<path>."""

    def get_template_sources(self, template_name):
        prefix, _, rest = template_name.partition("/")
        name, _, path = rest.partition("/")
        if prefix != "themes" or not name.isidentifier() or not path:
            return
        try:
            filename = safe_join(theme_dir(name) / "templates", path)
        except SuspiciousFileOperation:
            return
        yield Origin(name=filename, template_name=template_name, loader=self)
