"""The OpenAPI document describes every /api/v1 route and method."""
import re


def documented_routes(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((path, method.lower()))
    return found


def test_every_api_route_is_in_the_openapi_document(app, client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.1")
    described = {(path, method) for path, operations in spec["paths"].items()
                 for method in operations if method != "parameters"}
    missing = documented_routes(app) - described
    assert not missing, f"routes missing from the OpenAPI document: {sorted(missing)}"
    stale = described - documented_routes(app)
    assert not stale, f"documented routes that do not exist: {sorted(stale)}"


def test_every_reference_resolves(client):
    spec = client.get("/api/v1/openapi.json").json
    refs = set(re.findall(r'"\$ref": "#/components/(\w+)/(\w+)"', client.get("/api/v1/openapi.json").get_data(as_text=True)))
    for section, name in refs:
        assert name in spec["components"][section], f"{section}/{name}"
