"""The OpenAPI schema and the documentation page, served by the app under its CSP."""

from __future__ import annotations

from django.contrib.staticfiles import finders


def test_the_schema_is_openapi_3(client, world):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/tickets/{number}/request-extension/" in schema["paths"]
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_the_docs_page_loads_its_assets_from_the_app_and_runs_no_inline_script(client, world):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "<style>" not in html  # the site's CSP allows styles from files only
    assert "<script>" not in html  # …and scripts from this origin: the start-up script is a file
    csp = page["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    script = client.get("/api/v1/docs/", {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    for asset in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{asset}"), asset


def test_the_docs_link_is_in_the_menu(client, world):
    client.force_login(world.office)
    assert "/api/v1/docs/" in client.get("/tickets/").content.decode()
