"""The themes on disk: each folder in themes/ with a templates/base.html.

A theme folder holds `templates/` (served as `themes/<name>/...` by
`themes.loaders.Loader`) and `static/` (served as `themes/<name>/...` by
`themes.finders.ThemeFinder`).
"""

from pathlib import Path

THEMES_DIR = Path(__file__).resolve().parent
DEFAULT_THEME = "default"


def theme_dir(name: str) -> Path:
    """Return the folder of theme `name` (which may not exist)."""
    return THEMES_DIR / name


def is_theme(name: str) -> bool:
    """Return whether `name` is a theme folder with a base template."""
    return (
        name.isidentifier() and (theme_dir(name) / "templates" / "base.html").is_file()
    )


def available_themes() -> list[str]:
    """Return the names of the installed themes, the default one first."""
    names = sorted(path.name for path in THEMES_DIR.iterdir() if is_theme(path.name))
    if DEFAULT_THEME in names:
        names.remove(DEFAULT_THEME)
        names.insert(0, DEFAULT_THEME)
    return names


def theme_choices() -> list[tuple[str, str]]:
    """Return the themes as choices for a form field."""
    return [(name, name.replace("_", " ").capitalize()) for name in available_themes()]
