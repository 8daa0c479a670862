"""Reader: the annotated copy of a 200-page document with 500 annotations (target < 2 s, stamping
included, cold), and loading 2,000 annotations of a document through the API (target < 300 ms)."""
import random
import uuid
from datetime import datetime, timezone
from types import SimpleNamespace

from bench.common import bench_app, report, timed
from bench.dossiers_pdf import source_pdf
from meetings.auth import services as auth_services
from meetings.directory import services as directory
from meetings.dossiers.intake import intake
from meetings.dossiers.stamping import personal_copy
from meetings.reader.export import annotate

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)
KINDS = ("highlight", "ink", "note", "freetext")


def sample(kind: str, rng: random.Random, page: int) -> dict:
    x, y = rng.uniform(60, 400), rng.uniform(60, 700)
    body = {"id": str(uuid.uuid4()), "page": page, "kind": kind, "color": "#d32f2f", "text": "Ghi chú: đề nghị làm rõ"}
    if kind == "highlight":
        body["rects"] = [[x, y, x + 120, y + 12], [x, y + 14, x + 80, y + 26]]
    elif kind == "ink":
        body["paths"] = [[[x + i * 2, y + 10 * ((i % 7) / 7)] for i in range(60)]]
        body["width"] = 2
    else:
        body["rect"] = [x, y, x + 150, y + 30]
    return body


def bench_export(stored: bytes) -> None:
    rng = random.Random(6)
    user = SimpleNamespace(name="Nguyễn Văn Minh")
    rows = []
    for n in range(500):
        body = sample(KINDS[n % 4], rng, rng.randint(1, 200))
        geometry = {k: body[k] for k in ("rects", "paths", "rect", "width") if k in body}
        rows.append(SimpleNamespace(id=body["id"], page=body["page"], kind=body["kind"], geometry=geometry,
                                    color=body["color"], text=body["text"], user=user))
    readers = iter(range(10_000))
    cold = timed(lambda: annotate(personal_copy(stored, [f"Người đọc {next(readers)}", "Vụ Pháp chế", "10:00"]), rows),
                 repeat=5, warmup=1)
    report("annotated copy, 200 pages, 500 annotations, stamp cold", cold, 2000)
    stamped = personal_copy(stored, ["Nguyễn Văn Minh", "Văn phòng Bộ", "10:00"])
    report("  of which annotations only (stamped copy cached)", timed(lambda: annotate(stamped, rows), repeat=5), 2000)


def multipart(data: bytes, filename: str) -> tuple[bytes, str]:
    boundary = "----bench-boundary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def bench_load(raw: bytes) -> None:
    app = bench_app(MEETINGS_FAKE_NOW=NOW)
    with app.app_context():
        secretary = directory.create_user({"email": "tk@bench.vn", "name": "Thư ký", "role": "secretary",
                                           "password": "mat-khau-dung"})
        leader = directory.create_user({"email": "bt@bench.vn", "name": "Bộ trưởng", "role": "leader",
                                        "password": "mat-khau-dung"})
        tokens = {u.id: {"Authorization": "Bearer " + auth_services.create_token(u, "bench", NOW)[1]}
                  for u in (secretary, leader)}
        secretary_id, leader_id = secretary.id, leader.id
    client = app.test_client()
    meeting = client.post("/api/v1/meetings", headers=tokens[secretary_id], json={
        "title": "Họp Ban cán sự", "start": "2026-12-03T08:00", "end": "2026-12-03T10:00", "status": "published",
        "participants": [{"user_id": leader_id, "role": "chair"}]}).json
    body, content_type = multipart(raw, "Báo cáo.pdf")
    doc = client.post(f"/api/v1/meetings/{meeting['id']}/documents", data=body, content_type=content_type,
                      headers=tokens[secretary_id]).json
    rng = random.Random(2000)
    for n in range(2000):
        annotation = sample(KINDS[n % 4], rng, rng.randint(1, 200))
        response = client.put(f"/api/v1/documents/{doc['id']}/annotations/{annotation['id']}", json=annotation,
                              headers=tokens[leader_id])
        assert response.status_code == 201, response.json
    url = f"/api/v1/documents/{doc['id']}/annotations"
    assert len(client.get(url, headers=tokens[leader_id]).json["annotations"]) == 2000
    report("GET 2,000 annotations through the API", timed(lambda: client.get(url, headers=tokens[leader_id]), repeat=20),
           300)


def main() -> None:
    raw = source_pdf()
    bench_export(intake(raw).pdf)
    bench_load(raw)


if __name__ == "__main__":
    main()
