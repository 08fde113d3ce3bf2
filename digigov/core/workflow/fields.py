"""The state column of a workflow's model: a CharField that ordinary code cannot assign once the object has a
state, so the only way to change it is a step through the kernel (which writes history and audit)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.query_utils import DeferredAttribute


class _StateDescriptor(DeferredAttribute):
    """Django's column descriptor (loads a deferred value on first read) that refuses a second assignment."""

    def __set__(self, instance: Any, value: Any) -> None:
        name = self.field.attname
        if name in instance.__dict__:
            raise AttributeError(f"{name} changes only through a workflow step (digigov.core.workflow.move)")
        instance.__dict__[name] = value


class StateField(models.CharField):
    """Assignable when the object is built or loaded; afterwards only `set_state` (the kernel) changes it.
    Migrations see a plain CharField: the guard is behaviour, not schema."""

    descriptor_class = _StateDescriptor

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


def set_state(obj: Any, field: str, value: str) -> None:
    obj.__dict__[field] = value


class StatefulModel(models.Model):
    """Reloading from the database may replace the state (it is the database's, not a caller's, change)."""

    class Meta:
        abstract = True

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("fields") or (args[1] if len(args) > 1 else None)
        for field in self._meta.concrete_fields:
            if isinstance(field, StateField) and (fields is None or field.attname in fields):
                self.__dict__.pop(field.attname, None)
        super().refresh_from_db(*args, **kwargs)
