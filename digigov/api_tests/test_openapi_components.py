"""The OpenAPI document names each schema once (issue 9, point 3).

django-ninja puts every pydantic model and enum an operation uses into `components/schemas` under its class name
and keeps the last one it meets, silently: two domains each defining a `TransitionIn` left
`POST /services/applications/{id}/transitions` documented with the hotline's actions. So every operation is
walked, every model and enum its parameters, body and responses use is collected (recursively, through fields,
lists, unions and subclasses' fields), and two different classes under one component name fail the test.
"""

from __future__ import annotations

import enum
import types
import typing
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema
from pydantic import BaseModel

from config.api import api


def _operations() -> Iterator[tuple[str, Any]]:
    for bound in api._get_bound_routers():
        for route, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                url = "/".join(part.strip("/") for part in ("api/v1", bound.prefix, route) if part.strip("/"))
                yield f"{'/'.join(operation.methods)} /{url}", operation


def _types_in(annotation: Any) -> Iterator[Any]:
    """The classes inside an annotation: list[X], X | None, Annotated[X, ...], dict[str, X], Literal (none)."""
    if isinstance(annotation, type) and not isinstance(annotation, types.GenericAlias):
        yield annotation
        return
    for argument in typing.get_args(annotation):
        yield from _types_in(argument)


def _components(model: type[BaseModel], seen: set[type]) -> Iterator[type]:
    """Every model and enum the model's fields reach, each once."""
    for field in model.model_fields.values():
        for kind in _types_in(field.annotation):
            if kind in seen:
                continue
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                seen.add(kind)
                yield kind
                yield from _components(kind, seen)
            elif isinstance(kind, type) and issubclass(kind, enum.Enum):
                seen.add(kind)
                yield kind


def component_classes() -> dict[str, dict[type, set[str]]]:
    """component name -> {class: operations that use it}. ninja's own wrappers (the operation's parameter
    models and `response` envelopes) are the roots: they are inlined, never components; what they hold is."""
    found: dict[str, dict[type, set[str]]] = defaultdict(lambda: defaultdict(set))
    for where, operation in _operations():
        roots = [*operation.models, *(m for m in operation.response_models.values() if isinstance(m, type))]
        for root in roots:
            for kind in _components(root, set()):
                found[kind.__name__][kind].add(where)
    return found


def test_the_walk_finds_the_schemas_of_every_domain() -> None:
    """The walk itself reaches bodies, parameters' enums and nested response models."""
    found = component_classes()
    assert {"ErrorOut", "ApplicationIn", "AppealIn", "CitizenRegisterIn"} <= set(found)  # bodies and errors
    assert {"ApplicationStatus", "AppealCard"} <= set(found)  # enums of query parameters
    assert {"HistoryOut", "CallerOut", "GrantOut"} <= set(found)  # models nested in responses
    assert set(found) >= set(api.get_openapi_schema()["components"]["schemas"])


def test_no_two_classes_share_a_component_name() -> None:
    collisions = [
        f"{name}: "
        + "; ".join(
            f"{kind.__module__}.{kind.__qualname__} (used by {', '.join(sorted(ops))})" for kind, ops in classes.items()
        )
        for name, classes in sorted(component_classes().items())
        if len(classes) > 1
    ]
    assert not collisions, "one component name, several schemas (rename one):\n" + "\n".join(collisions)


def test_each_component_in_the_document_is_its_class_schema() -> None:
    """What the document says under a class's name is that class's own schema (nothing overwrote it)."""
    components = api.get_openapi_schema()["components"]["schemas"]
    for name, classes in component_classes().items():
        if len(classes) > 1:
            continue  # reported by the test above
        (kind,) = classes
        if not issubclass(kind, BaseModel) or name not in components:
            continue
        for mode in ("validation", "serialization"):
            own = kind.model_json_schema(ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode=mode)
            own.pop("$defs", None)
            if own == components[name]:
                break
        else:
            raise AssertionError(f"{name} in the document is not {kind.__module__}.{kind.__qualname__}")
