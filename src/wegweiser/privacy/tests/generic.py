"""Build a valid row of any model from its field definitions, for registry-wide tests.

Used by the sentinel test, so that models of other apps (cases ...) are covered as soon as they
declare `Privacy`, without a factory written for this test.
"""

import datetime
import decimal
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone


def _value(field: models.Field, depth: int) -> Any:
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        return build(field.related_model, depth=depth + 1)
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.EmailField):
        return f"gen-{uuid.uuid4().hex[:10]}@example.org"
    if isinstance(field, models.URLField):
        return "https://example.org/"
    if isinstance(field, models.SlugField):
        return f"gen-{uuid.uuid4().hex[:10]}"
    if isinstance(field, models.CharField | models.TextField):
        value = f"gen {uuid.uuid4().hex[:10]}"
        return value[: field.max_length] if field.max_length else value
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return timezone.localdate()
    if isinstance(field, models.TimeField):
        return datetime.time(9, 0)
    if isinstance(field, models.DecimalField):
        return decimal.Decimal("1")
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.IntegerField | models.FloatField):
        return 1
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.FileField):
        return ContentFile(b"generated", name="generated.txt")
    raise NotImplementedError(f"cannot generate {field.__class__.__name__} {field}")


def build(model: type[models.Model], *, depth: int = 0, **values: Any) -> models.Model:
    """Create and save a row with every required field filled."""
    if depth > 6:
        raise RecursionError(f"relation chain too deep at {model}")
    obj = model()
    for field in model._meta.concrete_fields:
        if field.primary_key and (field.has_default() or isinstance(field, models.AutoField)):
            continue
        if field.name in values:
            continue
        if field.null or field.has_default() or getattr(field, "auto_now", False):
            continue
        if getattr(field, "auto_now_add", False):
            continue
        if field.blank and not isinstance(field, models.ForeignKey):
            continue
        setattr(obj, field.name, _value(field, depth))
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    return obj
