from django.core.management import call_command


def test_openapi_schema_is_valid_and_warning_free(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    expected = (
        "/api/v1/signalements/",
        "/api/v1/signalements/categories/",
        "/api/v1/territoire/communes.geojson",
    )
    assert all(path in schema for path in expected)
