"""The download view of files stored in extra fields, with permission checks."""

import logging

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from cms.definable.models import FieldType
from cms.definable.selectors import field_for_key, is_definable
from cms.definable.values import FILE_PREFIX, file_name
from modules.core.scoping import scope_queryset

logger = logging.getLogger(__name__)


def download_file(request, app_label: str, model_name: str, pk: str, key: str):
    """Send a file from a record's extra fields to a user allowed to see it."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    if not is_definable(model):
        raise Http404
    opts = model._meta
    allowed = any(
        request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
        for action in ("view", "change")
    )
    if not allowed:
        raise PermissionDenied
    try:
        pk = opts.pk.to_python(pk)
    except ValidationError as error:
        raise Http404 from error
    queryset = scope_queryset(model._default_manager.all(), request.user)
    instance = get_object_or_404(queryset, pk=pk)
    definable = field_for_key(model, key)
    path = (instance.extra or {}).get(key)
    if definable is None or definable.field_type != FieldType.FILE:
        raise Http404
    if not isinstance(path, str) or not path.startswith(f"{FILE_PREFIX}/"):
        raise Http404
    try:
        handle = default_storage.open(path)
    except FileNotFoundError as error:
        logger.warning("Extra field file %s of %s %s is missing", path, opts.label, pk)
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=file_name(path))
