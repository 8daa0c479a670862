"""Recurring entries in the browser's pages: the rule in words, the repeat controls that keep a rule
they were not asked to change, and one occurrence moved, split off or cancelled from its page."""
import re
from html.parser import HTMLParser

from meetings.calendar.models import Event
from meetings.extensions import db

MONDAY_14 = "2026-12-14T08:00:00+07:00"


class FormReader(HTMLParser):
    """What a browser would post from the entry form as drawn: ticked boxes, chosen options, inputs."""

    def __init__(self, form_id="entry-form"):
        super().__init__()
        self.form_id, self.inside, self.select, self.values = form_id, False, None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or not a.get("name") and tag != "option":
            return
        if tag == "input" and (a.get("type") not in ("checkbox", "radio") or "checked" in a):
            self.values.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "textarea":
            self.values.append((a["name"], ""))
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.values.append((self.select, a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        if tag == "form":
            self.inside = False


def drawn_form(page: str, **changes) -> list[tuple[str, str]]:
    reader = FormReader()
    reader.feed(page)
    values = [(k, v) for k, v in reader.values if k not in changes]
    for name, value in changes.items():
        values += [(name, v) for v in (value if isinstance(value, list) else [value])]
    return values


def post(client, url, values):
    from werkzeug.datastructures import MultiDict

    return client.post(url, data=MultiDict(values))


def rule_of(client, event_id):
    with client.application.app_context():
        event = db.session.get(Event, event_id)
        return event.rrule, len(event.overrides)


def test_a_weekly_series_made_in_the_form_reads_in_words_and_round_trips(client, auth, office):
    auth.login(office.secretary)
    new = client.get("/schedule/events/new?date=2026-12-07").get_data(as_text=True)
    saved = post(client, "/schedule/events/new", drawn_form(
        new, title="Giao ban tuần", start_time="08:00", end_time="09:00", leader_ids=str(office.minister.id),
        status="published", repeat="weekly", repeat_days="MO", repeat_count="8"))
    assert saved.status_code == 302
    with client.application.app_context():
        event_id = db.session.query(Event).one().id
    assert rule_of(client, event_id) == ("FREQ=WEEKLY;COUNT=8", 0)

    page = client.get(f"/schedule/events/{event_id}").get_data(as_text=True)
    assert "Hằng tuần vào Thứ Hai, 8 lần" in page and "FREQ=" not in page
    week = client.get("/schedule/week/2026-W51").get_data(as_text=True)
    assert f"/schedule/events/{event_id}?at=2026-12-14T01:00:00%2B00:00" in week, re.findall(r"/schedule/events/1[^\"]*", week)
    assert "Hằng tuần vào Thứ Hai, 8 lần" in week

    # The editor shows the rule in its controls...
    edit = client.get(f"/schedule/events/{event_id}/edit").get_data(as_text=True)
    drawn = dict(drawn_form(edit))
    assert (drawn["repeat"], drawn["repeat_count"], drawn["repeat_days"], drawn["repeat_interval"]) == (
        "weekly", "8", "MO", "1")
    assert "Không lặp lại" in edit and 'value="" data-unit="" selected' not in edit
    # ...and saving it untouched keeps the rule, and so the moved occurrence.
    client.patch(f"/api/v1/events/{event_id}/occurrences/{MONDAY_14}", json={"start": "2026-12-15T14:00",
                 "end": "2026-12-15T15:00"}, headers=office.token(office.secretary))
    edit = client.get(f"/schedule/events/{event_id}/edit").get_data(as_text=True)
    assert post(client, f"/schedule/events/{event_id}/edit", drawn_form(edit, title="Giao ban tuần (Bộ)")
                ).status_code == 302
    assert rule_of(client, event_id) == ("FREQ=WEEKLY;COUNT=8", 1)
    # Changing the controls changes the rule.
    edit = client.get(f"/schedule/events/{event_id}/edit").get_data(as_text=True)
    post(client, f"/schedule/events/{event_id}/edit", drawn_form(edit, repeat_count="10", repeat_days=["MO", "TH"]))
    assert rule_of(client, event_id)[0] == "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10"
    edit = client.get(f"/schedule/events/{event_id}/edit").get_data(as_text=True)
    post(client, f"/schedule/events/{event_id}/edit", drawn_form(
        edit, repeat_count="", repeat_until="2027-01-31", repeat_interval="2", repeat_days="MO"))
    assert rule_of(client, event_id)[0] == "FREQ=WEEKLY;INTERVAL=2;UNTIL=20270131T235959"
    edit = client.get(f"/schedule/events/{event_id}/edit").get_data(as_text=True)
    assert "2 tuần một lần vào Thứ Hai, đến hết ngày 31/01/2027" in edit
    post(client, f"/schedule/events/{event_id}/edit", drawn_form(edit, repeat=""))
    assert rule_of(client, event_id)[0] is None


def test_rules_the_controls_cannot_show_are_kept_and_both_ends_are_refused(client, auth, office):
    event_id = office.book(title="Họp định kỳ", start="2026-12-01T14:00", end="2026-12-01T15:00",
                           rrule="FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=6")
    auth.login(office.secretary)
    edit = client.get(f"/schedule/events/{event_id}/edit").get_data(as_text=True)
    assert "Hằng tháng vào ngày 1 và 15, 6 lần" in edit and "<details class=\"rule-advanced\" open>" in edit
    post(client, f"/schedule/events/{event_id}/edit", drawn_form(edit, title="Họp định kỳ (sửa)"))
    assert rule_of(client, event_id)[0] == "FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=6"
    # The typed rule, changed on its own, wins.
    post(client, f"/schedule/events/{event_id}/edit", drawn_form(
        client.get(f"/schedule/events/{event_id}/edit").get_data(as_text=True), rrule="FREQ=MONTHLY;BYDAY=1TU"))
    assert rule_of(client, event_id)[0] == "FREQ=MONTHLY;BYDAY=1TU"
    edit = client.get(f"/schedule/events/{event_id}/edit").get_data(as_text=True)
    assert dict(drawn_form(edit))["repeat_monthly"] == "weekday"
    refused = post(client, f"/schedule/events/{event_id}/edit", drawn_form(
        edit, repeat_count="3", repeat_until="2027-03-01"))
    assert refused.status_code == 422 and "không cả hai" in refused.get_data(as_text=True)
    assert rule_of(client, event_id)[0] == "FREQ=MONTHLY;BYDAY=1TU"


def test_one_occurrence_moved_cancelled_and_restored_from_its_page(client, auth, office):
    series = office.book(title="Giao ban tuần", start="2026-12-07T08:00", end="2026-12-07T09:00",
                         rrule="FREQ=WEEKLY;COUNT=8")
    office.book(title="Tiếp Đại sứ", start="2026-12-15T14:00", end="2026-12-15T15:00")
    auth.login(office.secretary)
    page = client.get(f"/schedule/events/{series}?at={MONDAY_14}").get_data(as_text=True)
    assert "Thứ Hai, 14/12/2026 08:00–09:00" in page and "data-move-occurrence" in page
    move = f"/schedule/events/{series}/occurrences/{MONDAY_14}/move"
    to_tuesday = {"date": "2026-12-15", "start_time": "14:00", "end_time": "15:00"}
    refused = client.post(move, data=to_tuesday, follow_redirects=True).get_data(as_text=True)
    assert "Tiếp Đại sứ" in refused and 'name="allow_conflict"' in refused and 'value="14:00"' in refused
    assert rule_of(client, series)[1] == 0
    client.post(move, data={**to_tuesday, "start_time": "16:00", "end_time": "17:00"})
    moved = client.get(f"/schedule/events/{series}?at={MONDAY_14}").get_data(as_text=True)
    assert "Thứ Ba, 15/12/2026 16:00–17:00" in moved and "08:00 14/12/2026" in moved
    week = client.get("/schedule/week/2026-W51").get_data(as_text=True)
    assert week.index("Tiếp Đại sứ") < week.rindex("Giao ban tuần")  # Tuesday 16:00, after the 14:00 visit
    cancelled = client.post(f"/schedule/events/{series}/occurrences/{MONDAY_14}/cancel", follow_redirects=True)
    assert "data-restore-occurrence" in cancelled.get_data(as_text=True)
    client.post(move, data={"restore": "1"})
    with client.application.app_context():
        override = db.session.get(Event, series).overrides[0]
        assert (override.cancelled, override.start_at.hour) == (False, 1)  # 08:00 in Hà Nội again
    # Not an occurrence: the page shows the series; a post is refused.
    assert client.get(f"/schedule/events/{series}?at=2026-12-09T08:00").status_code == 200
    assert client.post(f"/schedule/events/{series}/occurrences/2026-12-09T08:00/move", data=to_tuesday
                       ).status_code == 404


def test_this_and_following_from_the_page_splits_the_series(client, auth, office):
    series = office.book(title="Giao ban tuần", start="2026-12-07T08:00", end="2026-12-07T09:00",
                         rrule="FREQ=WEEKLY;COUNT=8")
    auth.login(office.secretary)
    first = client.get(f"/schedule/events/{series}/occurrences/2026-12-07T08:00/following")
    assert first.status_code == 302 and first.headers["Location"].endswith(f"/schedule/events/{series}/edit")
    url = f"/schedule/events/{series}/occurrences/{MONDAY_14}/following"
    form = client.get(url).get_data(as_text=True)
    assert "Hằng tuần vào Thứ Hai, 7 lần" in form and 'value="2026-12-14"' in form
    saved = post(client, url, drawn_form(form, start_time="09:00", end_time="10:00", room_id=str(office.room)))
    assert saved.status_code == 302
    with client.application.app_context():
        head, tail = db.session.query(Event).order_by(Event.id).all()
        assert (head.rrule, tail.rrule, tail.room_id, tail.split_from_id) == (
            "FREQ=WEEKLY;UNTIL=20261214T075959", "FREQ=WEEKLY;COUNT=7", office.room, series)
    page = client.get(f"/schedule/events/{series}").get_data(as_text=True)
    assert "Hằng tuần vào Thứ Hai, đến hết ngày 13/12/2026" in page


def test_readers_get_no_occurrence_controls(client, auth, office):
    series = office.book(title="Giao ban tuần", start="2026-12-07T08:00", end="2026-12-07T09:00",
                         rrule="FREQ=WEEKLY;COUNT=8", participant_ids=[office.member.id])
    auth.login(office.member)
    page = client.get(f"/schedule/events/{series}?at={MONDAY_14}").get_data(as_text=True)
    assert "Hằng tuần vào Thứ Hai, 8 lần" in page and "data-move-occurrence" not in page
    assert client.post(f"/schedule/events/{series}/occurrences/{MONDAY_14}/move",
                       data={"date": "2026-12-15", "start_time": "14:00", "end_time": "15:00"}).status_code == 403
    assert client.get(f"/schedule/events/{series}/occurrences/{MONDAY_14}/following").status_code == 403


def test_an_all_day_occurrence_moves_by_date_and_bad_input_is_explained(client, auth, office):
    series = office.book(title="Công tác tỉnh", start="2026-12-07", end="2026-12-07", all_day=True,
                         rrule="FREQ=WEEKLY;COUNT=3")
    auth.login(office.secretary)
    at = "2026-12-14T00:00:00+07:00"
    page = client.get(f"/schedule/events/{series}?at={at.replace('+', '%2B')}").get_data(as_text=True)
    assert 'name="start_time"' not in page and "Thứ Hai, 14/12/2026</h2>" in page
    client.post(f"/schedule/events/{series}/occurrences/{at}/move", data={"date": "2026-12-16"})
    with client.application.app_context():
        override = db.session.get(Event, series).overrides[0]
        assert (override.start_at.isoformat(), override.end_at.isoformat()) == (
            "2026-12-15T17:00:00+00:00", "2026-12-16T17:00:00+00:00")  # Wednesday 16/12, all day in Hà Nội
    for bad in ({"date": ""}, {"date": "16/12/2026"}):
        refused = client.post(f"/schedule/events/{series}/occurrences/{at}/move", data=bad, follow_redirects=True)
        assert refused.status_code == 200 and "flash-error" in refused.get_data(as_text=True)
