"""A static files finder that serves `themes/<name>/<path>` from a theme folder."""

from django.contrib.staticfiles.finders import BaseFinder, FileSystemFinder
from django.core.files.storage import FileSystemStorage

from themes.catalog import available_themes, theme_dir


class ThemeFinder(FileSystemFinder):
    """Find `themes/<name>/<path>` in themes/<name>/static/<path>."""

    def __init__(self, app_names=None, *args, **kwargs):
        # FileSystemFinder reads STATICFILES_DIRS; the locations come from the
        # theme folders instead, so skip its constructor.
        BaseFinder.__init__(self, *args, **kwargs)
        self.locations = []
        self.storages = {}
        for name in available_themes():
            root = str(theme_dir(name) / "static")
            storage = FileSystemStorage(location=root)
            storage.prefix = f"themes/{name}"
            self.locations.append((storage.prefix, root))
            self.storages[root] = storage

    def check(self, **kwargs):
        return []
