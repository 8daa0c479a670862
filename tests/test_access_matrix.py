"""Every route with an object in its URL, every method, every role: the answer in tests/access_matrix.py.

The routes come from the app's URL map, so a new route without a row fails here, by name. Reads are
real; writes carry an empty body, so a permitted one may answer 422 but never a refusal, and a
refused one must be refused before its body is looked at.
"""
import pytest

from meetings import create_app
from meetings.extensions import db
from tests.access_matrix import HIDDEN, LOGIN, MATRIX, NO, OK, ROLES
from tests.access_world import NOW, World
from tests.conftest import app_config, clean_tables

REFUSALS = {401, 403, 404, 405}


def routes_with_objects(app) -> set[str]:
    """"METHOD rule" for every rule that names something in its path (static files aside)."""
    return {f"{method} {rule.rule}" for rule in app.url_map.iter_rules() if rule.arguments and rule.endpoint != "static"
            for method in rule.methods - {"HEAD", "OPTIONS"}}


@pytest.fixture(scope="module")
def world(database_url, tmp_path_factory):
    app = create_app(app_config(database_url, tmp_path_factory.mktemp("matrix"), MEETINGS_FAKE_NOW=NOW))
    yield World(app)
    with app.app_context():
        db.session.remove()
        clean_tables()
        db.engine.dispose()


def test_every_route_with_an_object_has_a_row(world):
    routes = routes_with_objects(world.app)
    missing = sorted(routes - MATRIX.keys())
    assert not missing, "routes without a row in tests/access_matrix.py: " + ", ".join(missing)
    assert not sorted(MATRIX.keys() - routes), "rows for routes that no longer exist"


@pytest.mark.parametrize("key", list(MATRIX))
def test_each_role_gets_the_documented_answer(world, key):
    method, rule = key.split(" ", 1)
    row = MATRIX[key]
    wrong = []
    # The refused go first, on the shared objects, which must come out of it unchanged.
    refused = [role for role in ROLES if row.expect[role] != OK]
    before = world.versions()
    for role in refused + [role for role in ROLES if row.expect[role] == OK]:
        expected = row.expect[role]
        values = {**world.values(row.fresh if expected == OK else ()), **row.args}
        path = _path(rule, values)
        doors = [(world.clients[role], {})]
        if role == "deactivated" and path.startswith("/api/"):
            doors.append((world.clients["anonymous"], {"Authorization": f"Bearer {world.deactivated_token}"}))
        for client, headers in doors:
            response = _ask(client, method, path, row.body, headers)
            response.close()  # a file sent from disk stays open until its response is closed
            if not _matches(expected, method, response):
                wrong.append(f"{role}{' (token)' if headers else ''}: expected {expected}, got {response.status_code} "
                             f"{response.headers.get('Location', '')} ({method} {path})")
        if refused and role == refused[-1] and world.versions() != before:
            wrong.append(f"a refused request changed the meeting, entry or task: {before} -> {world.versions()}")
    assert not wrong, f"{key}\n  " + "\n  ".join(wrong)


def _path(rule: str, values: dict) -> str:
    path = rule
    for name, value in values.items():
        for converter in ("int:", ""):
            path = path.replace(f"<{converter}{name}>", str(value))
    assert "<" not in path, f"no value for an argument of {rule}"
    return path


def _ask(client, method: str, path: str, body: dict, headers: dict):
    if method == "GET":
        return client.get(path, headers=headers)
    sent = {"json": body} if path.startswith("/api/") else {"data": body}
    return client.open(path, method=method, headers=headers, **sent)


def _matches(expected: str, method: str, response) -> bool:
    status, to_login = response.status_code, "/login" in response.headers.get("Location", "")
    if expected == LOGIN:
        return status == 401 or (status == 302 and to_login)
    if expected == NO:
        return status == 403
    if expected == HIDDEN:
        return status == 404
    if status >= 500 or status in REFUSALS or to_login:
        return False
    return method != "GET" or status < 400
