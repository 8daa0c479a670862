"""Recurrence rules said in words, in Vietnamese and English, with the series' first start."""
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import force_locale

from meetings.calendar.rule_words import describe_rule

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime(2026, 12, 7, 8, 0, tzinfo=ZONE)  # Thứ Hai 07/12/2026, 08:00

RULES = [  # rule, first start, Vietnamese, English
    ("FREQ=WEEKLY;COUNT=8", MONDAY, "Hằng tuần vào Thứ Hai, 8 lần", "Weekly on Monday, 8 times"),
    ("FREQ=WEEKLY;COUNT=1", MONDAY, "Hằng tuần vào Thứ Hai, 1 lần", "Weekly on Monday, 1 time"),
    ("FREQ=WEEKLY", MONDAY, "Hằng tuần vào Thứ Hai", "Weekly on Monday"),
    ("FREQ=WEEKLY;INTERVAL=2;COUNT=5", MONDAY, "2 tuần một lần vào Thứ Hai, 5 lần", "Every 2 weeks on Monday, 5 times"),
    ("FREQ=WEEKLY;BYDAY=MO,TH", MONDAY, "Hằng tuần vào Thứ Hai và Thứ Năm", "Weekly on Monday and Thursday"),
    ("FREQ=WEEKLY;BYDAY=FR,MO,WE;COUNT=12", MONDAY, "Hằng tuần vào Thứ Hai, Thứ Tư và Thứ Sáu, 12 lần",
     "Weekly on Monday, Wednesday and Friday, 12 times"),
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", MONDAY, "Hằng tuần vào các ngày làm việc (Thứ Hai đến Thứ Sáu)",
     "Weekly on weekdays (Monday to Friday)"),
    ("FREQ=WEEKLY;UNTIL=20261231T235959", MONDAY, "Hằng tuần vào Thứ Hai, đến hết ngày 31/12/2026",
     "Weekly on Monday, until 31/12/2026"),
    # "This and following" ends the old part one second before the split occurrence: that day is over.
    ("FREQ=WEEKLY;UNTIL=20261221T075959", MONDAY, "Hằng tuần vào Thứ Hai, đến hết ngày 20/12/2026",
     "Weekly on Monday, until 20/12/2026"),
    ("FREQ=DAILY;COUNT=3", MONDAY, "Hằng ngày, 3 lần", "Daily, 3 times"),
    ("FREQ=DAILY;INTERVAL=3", MONDAY, "3 ngày một lần", "Every 3 days"),
    ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=10", MONDAY,
     "Hằng ngày vào các ngày làm việc (Thứ Hai đến Thứ Sáu), 10 lần", "Daily on weekdays (Monday to Friday), 10 times"),
    ("FREQ=MONTHLY;COUNT=6", MONDAY, "Hằng tháng vào ngày 7, 6 lần", "Monthly on day 7, 6 times"),
    ("FREQ=MONTHLY;BYMONTHDAY=1,15", MONDAY, "Hằng tháng vào ngày 1 và 15", "Monthly on day 1 and 15"),
    ("FREQ=MONTHLY;BYMONTHDAY=-1", MONDAY, "Hằng tháng vào ngày cuối tháng", "Monthly on the last day of the month"),
    ("FREQ=MONTHLY;BYDAY=1MO", MONDAY, "Hằng tháng vào Thứ Hai tuần đầu tiên của tháng",
     "Monthly on the first Monday of the month"),
    ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1", MONDAY, "Hằng tháng vào Thứ Hai tuần đầu tiên của tháng",
     "Monthly on the first Monday of the month"),
    ("FREQ=MONTHLY;BYDAY=+2TU", MONDAY, "Hằng tháng vào Thứ Ba tuần thứ 2 của tháng",
     "Monthly on Tuesday of week 2 of the month"),
    ("FREQ=MONTHLY;BYDAY=-1FR;COUNT=4", MONDAY, "Hằng tháng vào Thứ Sáu tuần cuối cùng của tháng, 4 lần",
     "Monthly on the last Friday of the month, 4 times"),
    ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=10", MONDAY, "3 tháng một lần vào ngày 10", "Every 3 months on day 10"),
    ("FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=5", MONDAY, "Hằng tháng vào ngày 5 trong tháng 1, 4, 7 và 10",
     "Monthly on day 5 in January, April, July and October"),
    ("FREQ=YEARLY", MONDAY, "Hằng năm vào ngày 07/12", "Yearly on 07/12"),
    ("FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=2;COUNT=3", MONDAY, "Hằng năm vào ngày 02/09, 3 lần", "Yearly on 02/09, 3 times"),
    ("FREQ=YEARLY;INTERVAL=5", MONDAY, "5 năm một lần vào ngày 07/12", "Every 5 years on 07/12"),
    ("RRULE:freq=weekly;count=2", MONDAY, "Hằng tuần vào Thứ Hai, 2 lần", "Weekly on Monday, 2 times"),
    # Parts the words do not cover are shown raw after them, never dropped.
    ("FREQ=YEARLY;BYWEEKNO=20", MONDAY, "Hằng năm vào ngày 07/12 (BYWEEKNO=20)", "Yearly on 07/12 (BYWEEKNO=20)"),
    # A rule that cannot be read at all is shown as stored.
    ("FREQ=HOURLY", MONDAY, "FREQ=HOURLY", "FREQ=HOURLY"),
    ("FREQ=WEEKLY;BYDAY=XX", MONDAY, "FREQ=WEEKLY;BYDAY=XX", "FREQ=WEEKLY;BYDAY=XX"),
    ("nonsense", MONDAY, "nonsense", "nonsense"),
]


def test_rules_in_vietnamese_and_english(app):
    with app.test_request_context():
        for locale, column in (("vi", 2), ("en", 3)):
            with force_locale(locale):
                said = [describe_rule(row[0], row[1], ZONE) for row in RULES]
            assert said == [row[column] for row in RULES]


def test_the_weekday_is_the_local_one_and_no_rule_says_nothing(app):
    late_sunday_utc = datetime(2026, 12, 6, 18, 30, tzinfo=ZoneInfo("UTC"))  # Monday 01:30 in Hà Nội
    with app.test_request_context(), force_locale("vi"):
        assert describe_rule("FREQ=WEEKLY;COUNT=8", late_sunday_utc, ZONE) == "Hằng tuần vào Thứ Hai, 8 lần"
        assert describe_rule(None, MONDAY, ZONE) == describe_rule("", MONDAY, ZONE) == ""
