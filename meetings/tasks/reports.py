"""Báo cáo: for a period, per responsible unit, how the tasks due in it stand.

The tasks counted are those the reader may see, not cancelled, with a due date in the period
(both ends included). Each falls in exactly one of four columns, judged at `today`:
done on time, done late (finished after its due date, as moved by an approved extension),
overdue (unfinished, due date passed) and in progress (unfinished, not yet due); "assigned" is
their sum. Every number comes with the list of tasks behind it.
"""
import csv
import io
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from meetings.directory.models import Unit
from meetings.directory.services import unit_tree
from meetings.tasks.dates import completed_day, days_late, days_overdue, done_late
from meetings.tasks.models import Task
from meetings.tasks.queries import Filters, find_tasks

COLUMNS = {"assigned": _l("Assigned"), "done_on_time": _l("Done on time"), "done_late": _l("Done late"),
           "overdue": _l("Overdue"), "in_progress": _l("In progress")}


@dataclass
class Row:
    unit: Unit | None  # None: the total
    lists: dict[str, list[Task]] = field(default_factory=lambda: {name: [] for name in COLUMNS})

    def count(self, column: str) -> int:
        return len(self.lists[column])


@dataclass
class Report:
    start: date
    end: date
    today: date
    rows: list[Row]
    total: Row


def column_of(task: Task, today: date) -> str:
    if task.status == "done":
        return "done_late" if done_late(task) else "done_on_time"
    return "overdue" if days_overdue(task, today) is not None else "in_progress"


def build(user, start: date, end: date, today: date, unit_id: int | None = None) -> Report:
    tasks = find_tasks(user, Filters(status="all", start=start, end=end), today)
    if unit_id:
        tasks = [t for t in tasks if t.unit_id == unit_id]  # responsible unit only, as the rows count
    rows: dict[int, Row] = {}
    total = Row(None)
    for task in tasks:
        row = rows.setdefault(task.unit_id, Row(task.unit))
        for target in (row, total):
            target.lists["assigned"].append(task)
            target.lists[column_of(task, today)].append(task)
    order = {unit.id: n for n, (unit, _depth) in enumerate(unit_tree())}
    ordered = sorted(rows.values(), key=lambda r: order.get(r.unit.id, len(order)))
    return Report(start, end, today, ordered, total)


def detail_lines(report: Report):
    """(unit, column, task) for every task, column by column, for the lists behind the numbers."""
    for row in report.rows:
        for column in list(COLUMNS)[1:]:
            for task in row.lists[column]:
                yield row.unit, column, task


DETAIL_HEADINGS = (_l("Unit"), _l("Column"), _l("Task no."), _l("Task"), _l("Due date"), _l("Status"),
                   _l("Completed on"), _l("Days overdue"), _l("Days late"))


def _cell(text: str) -> str:
    """Text that Excel would run as a formula (=, +, -, @) is written as text instead."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_csv(report: Report) -> bytes:
    """UTF-8 with a byte-order mark: without it Excel reads Vietnamese as mojibake."""
    from meetings.tasks.present import STATUS_LABELS

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([str(_l("Unit"))] + [str(label) for label in COLUMNS.values()])
    for row in report.rows + [report.total]:
        writer.writerow([_cell(row.unit.name) if row.unit else str(_l("Total"))] + [row.count(c) for c in COLUMNS])
    writer.writerow([])
    writer.writerow([str(heading) for heading in DETAIL_HEADINGS])
    for unit, column, task in detail_lines(report):
        finished = completed_day(task)
        writer.writerow([_cell(unit.name), str(COLUMNS[column]), task.id, _cell(task.title),
                         f"{task.due_date:%d/%m/%Y}", str(STATUS_LABELS[task.status]),
                         f"{finished:%d/%m/%Y}" if finished else "", days_overdue(task, report.today) or "",
                         days_late(task) or ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
