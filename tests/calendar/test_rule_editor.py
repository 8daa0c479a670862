"""The entry form's repeat controls: a rule shown in them and rebuilt from them comes back the same,
and a rule they cannot show is flagged so the form keeps it as typed."""
from datetime import date, time

import pytest
from werkzeug.datastructures import MultiDict

from meetings.calendar.rule_editor import controls_for, posted_rule, rule_from_controls, state_of
from meetings.errors import ValidationFailed

MONDAY = date(2026, 12, 7)
SHOWN_IN_FULL = [  # rules the controls show completely, as the controls write them
    "FREQ=DAILY", "FREQ=DAILY;COUNT=5", "FREQ=DAILY;INTERVAL=2;UNTIL=20261231",
    "FREQ=WEEKLY", "FREQ=WEEKLY;COUNT=8", "FREQ=WEEKLY;INTERVAL=2;COUNT=4", "FREQ=WEEKLY;BYDAY=MO,TH",
    "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20270131", "FREQ=MONTHLY", "FREQ=MONTHLY;INTERVAL=3;COUNT=4",
    "FREQ=MONTHLY;BYDAY=1MO;COUNT=12", "FREQ=YEARLY", "FREQ=YEARLY;COUNT=3",
]
NOT_IN_FULL = ["FREQ=MONTHLY;BYMONTHDAY=1,15", "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=2",
               "FREQ=WEEKLY;BYDAY=1MO", "FREQ=WEEKLY;BYSETPOS=2", "NOT A RULE"]


def form(controls: dict) -> MultiDict:
    values = MultiDict({k: v for k, v in controls.items() if k not in ("repeat_days", "complete")})
    values.setlist("repeat_days", controls["repeat_days"])
    return values


def test_rules_shown_in_full_come_back_from_the_controls_unchanged(app):
    with app.app_context():
        for rule in SHOWN_IN_FULL:
            controls = controls_for(rule, MONDAY)
            assert controls["complete"], rule
            assert rule_from_controls(form(controls), MONDAY) == rule


def test_a_weekly_rule_on_the_start_day_ticks_that_day_and_writes_no_byday(app):
    with app.app_context():
        controls = controls_for("FREQ=WEEKLY;COUNT=8", MONDAY)
        assert (controls["repeat"], controls["repeat_days"], controls["repeat_count"]) == ("weekly", ["MO"], "8")
        assert rule_from_controls(form(controls | {"repeat_days": ["MO", "FR"]}), MONDAY) == \
            "FREQ=WEEKLY;BYDAY=MO,FR;COUNT=8"
        split = controls_for("FREQ=WEEKLY;UNTIL=20261221T075959", MONDAY, time(8))  # as "this and following" ends one
        assert split["repeat_until"] == "2026-12-20"


def test_rules_the_controls_cannot_show_are_flagged_and_kept_when_untouched(app):
    with app.app_context():
        for rule in NOT_IN_FULL:
            controls = controls_for(rule, MONDAY)
            assert not controls["complete"], rule
            posted = form(controls) | {"repeat_state": state_of(controls), "rrule": rule, "rrule_original": rule,
                                       "date": MONDAY.isoformat()}
            assert posted_rule(MultiDict(posted) if not isinstance(posted, MultiDict) else posted) == rule


def test_both_ends_at_once_are_refused(app):
    with app.app_context(), pytest.raises(ValidationFailed):
        rule_from_controls(MultiDict({"repeat": "weekly", "repeat_count": "3", "repeat_until": "2027-01-01"}), MONDAY)


def test_posts_without_the_drawn_state_read_the_typed_rule_then_the_controls(app):
    with app.app_context():
        assert posted_rule(MultiDict({"rrule": "FREQ=DAILY", "repeat": "weekly"})) == "FREQ=DAILY"
        assert posted_rule(MultiDict({"repeat": "biweekly", "repeat_count": "4", "date": "2026-12-07"})) == \
            "FREQ=WEEKLY;INTERVAL=2;COUNT=4"
        assert posted_rule(MultiDict({"repeat": ""})) is None
