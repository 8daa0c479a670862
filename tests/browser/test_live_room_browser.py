"""The live room in real browsers: the chair on a desktop, participants on tablets; each push arrives."""
from io import BytesIO

import pytest

from meetings.dossiers.models import Document, Meeting
from meetings.extensions import db
from tests.browser.conftest import DESKTOP, sign_in
from tests.dossiers import pdfs
from tests.live.conftest import LiveMeeting

pytestmark = pytest.mark.browser


def test_pushed_items_reach_every_screen(live_app, live_server, new_context):
    meeting = LiveMeeting(live_app)
    with live_app.app_context():
        record = db.session.get(Meeting, meeting.id)
        record.documents.append(Document(title="Tờ trình", audience="all", pages=4, current_version=1))
        db.session.commit()
    url = f"{live_server.url}/meetings/{meeting.id}/live"
    chair = new_context(**DESKTOP).new_page()
    tablets = [new_context().new_page() for _ in meeting.members]
    for page, user in [(chair, meeting.chair), *zip(tablets, meeting.members)]:
        sign_in(page, live_server.url, user.email, user.password)
        page.goto(url)
        page.wait_for_function("() => window.__liveVersion > 0")

    def everywhere(check: str, pages=(chair, *tablets)):
        for page in pages:
            page.wait_for_function(check)

    # The current item, with its planned minutes on every screen.
    chair.locator(f"[data-make-current='{meeting.items[0]}']").click()
    everywhere("() => document.querySelector('[data-current-title]').textContent.includes('Báo cáo tình hình')")
    assert "15" in tablets[0].locator("[data-current-timer]").inner_text()
    # A speaking request from a tablet reaches the chair, who gives the floor.
    tablets[0].locator("[data-ask]").tap()
    chair.locator("[data-grant]").wait_for()
    chair.locator("[data-grant]").click()
    everywhere("() => document.querySelector('[data-speaking] .is-speaking') !== null")
    # A vote opens on every tablet; the chair sees the live count; everyone sees the result.
    chair.fill("#vote-question", "Thông qua dự thảo?")
    chair.locator("[data-vote-form] button[type=submit]").click()
    for tablet in tablets:
        tablet.locator("[data-choice='yes']").wait_for()
        tablet.locator("[data-choice='yes']").tap()
    chair.wait_for_function("() => document.querySelector('[data-live-count]')?.textContent.includes('2')")
    chair.locator("[data-close-vote]").click()
    everywhere("() => document.querySelector('[data-vote-result]') !== null")
    # A notice from the secretary (sent through the API) shows on every screen.
    meeting.call(meeting.secretary, "POST", f"/api/v1/meetings/{meeting.id}/notices", {"text": "Nghỉ giải lao"},
                 expect=201)
    everywhere("() => document.querySelector('[data-notices]').textContent.includes('Nghỉ giải lao')")
    # The presenter turns a page: every screen says which, and "follow" opens the reader there
    # (the reader's side: test_live_roles_browser.py).
    presented = "document.querySelector('[data-presenter-state]').dataset.page"
    chair.locator("[data-page-next]").click()
    everywhere(f"() => {presented}?.endsWith(':1')")
    chair.locator("[data-page-next]").click()
    everywhere(f"() => {presented}?.endsWith(':2')")
    assert tablets[1].locator("[data-follow]").get_attribute("href").endswith(f"?follow={meeting.id}#page=2")
    everywhere(f"() => window.__liveVersion === {meeting.version()}")  # all at the same version


def _strings(key: str) -> str:
    """A JS expression for one of the room's own interface strings (whatever the page's language)."""
    return f"JSON.parse(document.querySelector('[data-live-room]').dataset.strings)[{key!r}]"


def _upload(meeting, path: str, title: str | None = None) -> dict:
    data = {"file": (BytesIO(pdfs.text_pdf(2, text="Tờ trình về dự toán ngân sách năm 2027.")), "to-trinh.pdf")}
    if title:
        data |= {"title": title, "audience": "all"}
    response = meeting.http.post(path, data=data, headers=meeting.headers(meeting.secretary),
                                 content_type="multipart/form-data")
    assert response.status_code == 202, response.get_data(as_text=True)
    return response.get_json()


def test_agenda_documents_and_attendance_reach_every_screen(live_app, live_server, new_context):
    meeting = LiveMeeting(live_app)
    url = f"{live_server.url}/meetings/{meeting.id}/live"
    chair, secretary = new_context(**DESKTOP).new_page(), new_context(**DESKTOP).new_page()
    tablets = [new_context().new_page() for _ in meeting.members]
    for page, user in [(chair, meeting.chair), (secretary, meeting.secretary), *zip(tablets, meeting.members)]:
        sign_in(page, live_server.url, user.email, user.password)
        page.goto(url)
        page.wait_for_function("() => window.__liveVersion > 0")

    def everywhere(check: str, pages=(chair, secretary, *tablets)):
        for page in pages:
            page.wait_for_function(check)

    def person(user) -> str:
        return f"document.querySelector('[data-attendance] li[data-user-id=\"{user.id}\"]')"

    # Who is connected right now: the chair sees both tablets.
    for member in meeting.members:
        chair.wait_for_function(f"() => {person(member)}?.querySelector('.live-dot.is-on') !== null")

    # Agenda: an item added, renamed, moved to the top, removed.
    agenda = f"/api/v1/meetings/{meeting.id}/agenda"
    added = meeting.call(meeting.secretary, "POST", agenda, {"title": "Kiến nghị của đơn vị", "duration_minutes": 10},
                         expect=201)["id"]
    item = f"document.querySelector('[data-agenda] li[data-item-id=\"{added}\"]')"
    everywhere(f"() => {item}?.textContent.includes('Kiến nghị của đơn vị')")
    meeting.call(meeting.secretary, "PATCH", f"{agenda}/{added}", {"title": "Kiến nghị của các đơn vị"})
    everywhere(f"() => {item}?.textContent.includes('Kiến nghị của các đơn vị')")
    order = [added, *meeting.items]
    meeting.call(meeting.secretary, "PUT", f"{agenda}/order", {"item_ids": order, "version": meeting.version()})
    shown = "[...document.querySelectorAll('[data-agenda] > li')].map((li) => li.dataset.itemId).join()"
    everywhere(f"() => {shown} === {','.join(map(str, order))!r}")
    meeting.call(meeting.secretary, "DELETE", f"{agenda}/{added}", expect=204)
    everywhere(f"() => {item} === null && {shown} === {','.join(map(str, meeting.items))!r}")

    # Documents: a new one appears with its badge, a new version changes the badge.
    document_id = _upload(meeting, f"/api/v1/meetings/{meeting.id}/documents", "Tờ trình ngân sách")["id"]
    badge = f"document.querySelector('[data-documents] li[data-document-id=\"{document_id}\"] .badge-new')"
    everywhere(f"() => {badge}?.textContent === {_strings('new')}")
    _upload(meeting, f"/api/v1/documents/{document_id}/versions")
    everywhere(f"() => {badge}?.textContent === {_strings('updated')}")
    # A tablet that loses access no longer lists it; the other one still does.
    meeting.call(meeting.secretary, "PATCH", f"/api/v1/documents/{document_id}",
                 {"audience": "chosen", "reader_ids": [meeting.members[0].id]})
    tablets[1].wait_for_function(f"() => {badge.replace('.badge-new', '')} === null")
    everywhere(f"() => window.__liveVersion === {meeting.version()}")
    assert tablets[0].locator(f"[data-documents] li[data-document-id='{document_id}']").count() == 1

    # Check-in: a participant on the tablet; the secretary for an absent one, with the reason.
    first, second = meeting.members
    tablets[0].locator("[data-my-check='in_person']").tap()
    everywhere(f"() => {person(first)}?.querySelector('[data-check-in=\"in_person\"]') !== null")
    secretary.once("dialog", lambda dialog: dialog.accept("Đi công tác tại Cần Thơ"))
    secretary.locator(f"[data-attendance] li[data-user-id='{second.id}'] [data-check='absent']").click()
    everywhere(f"() => {person(second)}?.querySelector('[data-check-in=\"absent\"]')?.textContent"
               ".includes('Đi công tác tại Cần Thơ')")

    # A tablet that leaves is no longer shown as connected.
    tablets[1].context.close()
    chair.wait_for_function(f"() => {person(second)}?.querySelector('.live-dot.is-on') === null")
    assert chair.locator(f"[data-attendance] li[data-user-id='{first.id}'] .live-dot.is-on").count() == 1
