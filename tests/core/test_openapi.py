from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator


def test_openapi_schema_is_valid_and_warning_free(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    expected = (
        "/api/v1/signalements/",
        "/api/v1/signalements/categories/",
        "/api/v1/territoire/communes.geojson",
    )
    assert all(path in schema for path in expected)


def test_every_operation_declares_its_error_responses():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    error_ref = {"$ref": "#/components/schemas/Error"}
    operations = [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]
    assert len(operations) >= 15
    for path, method, operation in operations:
        responses = operation["responses"]
        expected = {"400", "405"}
        if operation.get("security", [{}]) != [{}]:  # the view authenticates: a bad token is a 401
            expected |= {"401", "403"}
        if "{" in path:
            expected.add("404")
        assert expected <= set(responses), (method, path, sorted(responses))
        for code in expected:
            assert responses[code]["content"]["application/json"]["schema"] == error_ref, (method, path, code)
    assert "429" in schema["paths"]["/api/v1/signalements/"]["post"]["responses"]
    assert "429" not in schema["paths"]["/api/v1/signalements/"]["get"]["responses"]
    # A paginated list answers 404 for a page past the end.
    assert "404" in schema["paths"]["/api/v1/signalements/"]["get"]["responses"]
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"detail"}
