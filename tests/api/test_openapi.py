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


def operations(spec: dict):
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            if method != "parameters":
                yield path, method, operation


def test_every_operation_has_a_unique_operation_id_and_documents_its_errors(client):
    spec = client.get("/api/v1/openapi.json").json
    ids = [operation.get("operationId") for _path, _method, operation in operations(spec)]
    assert None not in ids and len(set(ids)) == len(ids)
    for path, method, operation in operations(spec):
        if operation.get("security") == []:
            continue  # this document itself: public, no errors
        errors = {code: answer for code, answer in operation["responses"].items() if code.startswith("4")}
        assert "401" in errors, (method, path)
        if "{" in path:
            assert "404" in errors, (method, path)
        if "application/json" in operation.get("requestBody", {}).get("content", {}):
            assert {"400", "415", "422"} <= errors.keys(), (method, path)
        for answer in errors.values():
            assert answer["$ref"].startswith("#/components/responses/E")
    for answer in spec["components"]["responses"].values():
        assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_creates_link_to_reading_and_updating_what_they_made(client):
    spec = client.get("/api/v1/openapi.json").json
    ids = {operation["operationId"] for _path, _method, operation in operations(spec)}
    create = spec["paths"]["/api/v1/events"]["post"]["responses"]["201"]["links"]
    assert create["get_event"] == {"operationId": "get_event", "parameters": {"event_id": "$response.body#/id"}}
    assert "update_event" in create
    uploaded = spec["paths"]["/api/v1/meetings/{meeting_id}/documents"]["post"]["responses"]["202"]["links"]
    assert {"get_document", "update_document"} <= set(uploaded)
    for _path, _method, operation in operations(spec):
        for link in {**operation["responses"].get("201", {}), **operation["responses"].get("202", {})}.get(
                "links", {}).values():
            assert link["operationId"] in ids


def test_ids_are_documented_with_the_range_the_server_accepts(app, client, factories):
    spec = client.get("/api/v1/openapi.json").json
    user_id = spec["paths"]["/api/v1/users/{user_id}"]["parameters"][0]["schema"]
    assert user_id == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
    headers = {"Authorization": f"Bearer {factories.token(factories.user('secretary'))}"}
    for too_large in (2**31, 2**63, 10**30):
        assert client.get(f"/api/v1/users/{too_large}", headers=headers).status_code == 404
        assert client.delete(f"/api/v1/documents/{too_large}", headers=headers).status_code == 404  # not 405
    assert client.get(f"/api/v1/users?unit_id={2**31}", headers=headers).status_code == 422


def test_the_query_string_is_held_to_the_document(client, factories):
    headers = {"Authorization": f"Bearer {factories.token(factories.user('secretary'))}"}
    assert client.get("/api/v1/rooms?per_page=20", headers=headers).status_code == 200
    for query, field in (("per_page=0", "per_page"), ("per_page=1&per_page=2", "per_page"), ("room=1", "room"),
                         ("page=x", "page"), ("q=a%00b", "q")):
        response = client.get(f"/api/v1/rooms?{query}", headers=headers)
        assert response.status_code == 422 and field in response.json["error"]["fields"], query
    assert client.get("/api/v1/reports/tasks.csv?from=2026-13-01", headers=headers).status_code == 422
    # Given but unreadable is refused, not read as "this week" (Schemathesis found it accepted).
    response = client.get("/api/v1/events?start=2061-x&end=1957-y", headers=headers)
    assert response.status_code == 422 and {"start", "end"} <= response.json["error"]["fields"].keys()


def test_my_feeds_are_documented_with_whether_each_was_revoked(client):
    spec = client.get("/api/v1/openapi.json").json
    feed = spec["components"]["schemas"]["Feed"]
    assert "revoked" in feed["required"] and feed["properties"]["revoked"]["type"] == "boolean"
