"""Loading the API builds no model: a schema, and the parameter and answer models ninja makes
for an operation, are built when first used (``peaceworks.core.schemas``). That every
operation's models build is checked by the OpenAPI document's tests, which build them all."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from peaceworks.core.schemas import InSchema, Line


class Probe(Schema):
    name: Line


class ProbeIn(InSchema):
    name: Line


def test_a_schema_is_built_when_it_first_validates():
    assert not ProbeIn.__pydantic_complete__
    assert ProbeIn.model_validate({"name": "x"}).name == "x"
    assert ProbeIn.__pydantic_complete__


def test_the_models_of_an_operation_are_built_when_first_used() -> None:
    router = Router()

    @router.post("/probes/{probe_id}", response=list[Probe])
    def probe(request: HttpRequest, probe_id: int, payload: ProbeIn, q: str = "") -> list[Probe]:
        return []

    (operation,) = router.path_operations["/probes/{probe_id}"].operations
    models = [*operation.models, *operation.response_models.values()]
    assert len(models) == 4  # path, query, body, answer
    assert not any(model.__pydantic_complete__ for model in models)
    path_model = next(m for m in operation.models if m.__ninja_param_source__ == "path")
    assert path_model.model_validate({"probe_id": "7"}).probe_id == 7
    assert path_model.__pydantic_complete__
