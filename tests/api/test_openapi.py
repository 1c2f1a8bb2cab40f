"""The OpenAPI document describes every endpoint with its schemas and error responses and is valid (the
operations keep to it under generated input: test_schema_conformance.py)."""

import copy

import jsonschema_rs
import pytest
from openapi_spec_validator import validate

from gmmp.cases.workflow import TRANSITIONS


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _patterns(node):
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node
        for value in node.values():
            yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


def test_the_openapi_document_is_valid(spec):
    """Valid OpenAPI 3.1. A `pattern` is a JSON-Schema regex (ECMA-262 in Unicode mode: the text rules'
    patterns use `\\p{L}`), which a JSON-Schema validator compiles (jsonschema_rs); the spec validator
    judges `format: regex` with Python's `re`, which has no Unicode property classes, so it reads the
    document with each pattern the validator compiled replaced by a plain one."""
    plain = copy.deepcopy(spec)
    for node in _patterns(plain):
        jsonschema_rs.validator_for({"type": "string", "pattern": node["pattern"]})  # raises if invalid
        node["pattern"] = "^.*$"
    validate(plain)


def _ref(operation, status):
    return operation["responses"][str(status)]["content"]["application/json"]["schema"]["$ref"]


def test_every_case_operation_documents_its_errors(spec):
    operations = [
        (path, method, op)
        for path, item in spec["paths"].items()
        if path.startswith("/api/v1/cases")
        for method, op in item.items()
    ]
    assert len(operations) >= 19
    for path, method, op in operations:
        documented = set(op["responses"])
        assert {"401", "403", "404"} <= documented, (path, method)
        for status in documented - {"200", "201"}:
            assert _ref(op, status) == "#/components/schemas/ErrorOut", (path, method, status)
        if method == "post" and "{name}" not in path and "issue_laissez_passer" not in path:
            assert {"409", "422"} <= documented, (path, method)


def test_each_transition_has_its_own_operation_and_body_schema(spec):
    bodies = {}
    for name in TRANSITIONS:
        op = spec["paths"][f"/api/v1/cases/{{reference}}/transitions/{name}"]["post"]
        if name != "issue_laissez_passer":
            assert _ref(op, 200) == "#/components/schemas/TransitionOut"
            schema = op["requestBody"]["content"]["application/json"]["schema"]
            # A body whose fields are all optional may be left out: then it reads anyOf [body, null].
            ref = schema.get("$ref") or next(s["$ref"] for s in schema["anyOf"] if "$ref" in s)
            bodies[name] = ref.rsplit("/", 1)[1]
    assert bodies["decide"] == "DecideIn" and bodies["reroute"] == "RerouteIn"
    assert bodies["schedule_departure"] == "ScheduleDepartureIn" and bodies["withdraw"] == "WithdrawIn"
    decide = spec["components"]["schemas"]["DecideIn"]
    assert set(decide["required"]) == {"decision"}
    assert decide["additionalProperties"] is False
    assert bodies["close"] == bodies["confirm_readmission"] == "CommentIn" and bodies["submit"] == "EmptyIn"


def test_the_create_schema_states_its_rules(spec):
    schema = spec["components"]["schemas"]["CaseCreateIn"]
    assert {"last_name", "first_names", "removal_order_reference", "removal_order_date"} <= set(
        schema["required"]
    )
    assert schema["properties"]["aliases"]["type"] == "array"
    assert spec["paths"]["/api/v1/cases/"]["post"]["responses"]["201"]
    upload = spec["paths"]["/api/v1/cases/{reference}/evidence"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert "413" in upload["responses"]


def test_every_operation_documents_its_errors_as_code_and_message(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            errors = {status for status in op["responses"] if status.startswith("4")}
            assert {"401", "403"} <= errors, (path, method)
            if "requestBody" in op:
                assert "400" in errors, (path, method)  # an unreadable body
            for status in errors:
                assert _ref(op, status) == "#/components/schemas/ErrorOut", (path, method, status)
