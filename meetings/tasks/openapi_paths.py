"""The tasks' part of the OpenAPI document: conclusions, the conclusion notice, tasks, the report as CSV,
the minutes as PDF."""
from meetings.api.openapi import YEARS_PATTERN, ID, OPT_ID, ids, text, _INT, _OPT_INT, _OPT_STR, _STR, op, path_id, query, ref, register

_DATE = {"type": "string", "format": "date", "pattern": YEARS_PATTERN,
         "description": "a local date in the office's time zone"}
_OPT_DATE = {"type": ["string", "null"], "format": "date"}
STEPS = ["in_progress", "done", "extension_requested", "approved", "rejected", "cancelled"]

register(
    {
        "/api/v1/meetings/{meeting_id}/conclusions": {
            "parameters": [path_id("meeting_id")],
            "get": op("The meeting's conclusions", {"type": "object", "properties": {
                "conclusions": {"type": "array", "items": ref("Conclusion")}}}, errors=("401", "404")),
            "post": op("Record a conclusion (secretaries)", ref("Conclusion"), "201", {
                "type": "object", "required": ["text"], "properties": {"text": text(20000), "agenda_item_id": OPT_ID}},
                errors=("401", "403", "404", "415", "422")),
        },
        "/api/v1/meetings/{meeting_id}/notice.pdf": {
            "parameters": [path_id("meeting_id")],
            "get": {
                "summary": "The meeting's conclusion notice (thông báo kết luận) exactly as issued, signed (PAdES) "
                           "when a signing certificate was set; 404 while it is a draft or for those who may not "
                           "read it (participants, the units it is sent to, its signer and the meeting's managers)",
                "responses": {"200": {"description": "OK", "content": {"application/pdf": {
                                  "schema": {"type": "string", "format": "binary"}}}},
                              "401": {"$ref": "#/components/responses/E401"},
                              "404": {"$ref": "#/components/responses/E404"}}},
        },
        "/api/v1/tasks": {
            "get": op("Tasks the caller may see", {"type": "object", "properties": {
                "tasks": {"type": "array", "items": ref("Task")}}},
                params=[query("status", {"enum": ["all", "open", "overdue", "due_week", "done", "done_late",
                                                   "extension_requested", "cancelled"]}),
                        query("unit_id", ID, "responsible or cooperating unit"), query("leader_id", ID),
                        query("meeting_id", ID), query("from", _DATE, "due from"), query("to", _DATE, "due until")],
                errors=("401", "422")),
            "post": op("Assign a task (secretaries); from a conclusion, a meeting, or directly", ref("Task"), "201",
                       ref("TaskInput"), errors=("401", "403", "415", "422")),
        },
        "/api/v1/tasks/{task_id}": {
            "parameters": [path_id("task_id")],
            "get": op("One task with its history", ref("Task"), errors=("401", "404")),
            "patch": op("A step of the task's life (status), a progress note (note alone), or a secretary's edit; "
                        "a stale `version` gives 409 `stale` with the current task, a step not allowed from the "
                        "current status 409 `invalid_transition`", ref("Task"), body=ref("TaskChange"),
                        errors=("401", "403", "404", "409", "415", "422")),
        },
        "/api/v1/meetings/{meeting_id}/minutes.pdf": {
            "parameters": [path_id("meeting_id")],
            "get": {
                "summary": "The minutes (biên bản) as a PDF: the approved version, else the draft marked as one; "
                           "participants and the meeting's managers only",
                "parameters": [query("version", ID, "an older version by its number (lần)")],
                "responses": {"200": {"description": "OK", "content": {"application/pdf": {"schema": {
                                  "type": "string", "format": "binary"}}}},
                              "401": {"$ref": "#/components/responses/E401"},
                              "404": {"$ref": "#/components/responses/E404"}}},
        },
        "/api/v1/reports/tasks.csv": {
            "get": {
                "summary": "The report per unit for tasks due in a period, UTF-8 CSV with a byte-order mark",
                "parameters": [query("from", _DATE), query("to", _DATE)],
                "responses": {"200": {"description": "OK", "content": {"text/csv": {"schema": _STR}}},
                              "401": {"$ref": "#/components/responses/E401"},
                              "422": {"$ref": "#/components/responses/E422"}}},
        },
    },
    {
        "Conclusion": {"type": "object", "properties": {
            "id": _INT, "meeting_id": _INT, "agenda_item_id": _OPT_INT, "text": _STR, "author_id": _OPT_INT,
            "created_at": _STR, "task_ids": {"type": "array", "items": _INT}}},
        "TaskInput": {"type": "object", "required": ["title", "unit_id", "due"], "properties": {
            "title": text(1000), "unit_id": ID, "assignee_id": OPT_ID, "due": _DATE, "conclusion_id": OPT_ID,
            "meeting_id": OPT_ID, "leader_id": OPT_ID, "priority": {"enum": ["normal", "high", "urgent"]},
            "cooperating_unit_ids": ids()}},
        "TaskChange": {"type": "object", "properties": {
            "status": {"enum": STEPS}, "note": text(5000, required=False), "version": ID,
            "due": {**_DATE, "description": "extension_requested: the date asked for; approved: another date"}}},
        "Task": {"type": "object", "properties": {
            "id": _INT, "title": _STR, "unit_id": _INT, "unit": _STR, "assignee_id": _OPT_INT,
            "assignee": _OPT_STR, "cooperating_unit_ids": {"type": "array", "items": _INT}, "due": _DATE,
            "priority": _STR, "source": {"enum": ["meeting", "conclusion", "direct"]}, "meeting_id": _OPT_INT,
            "conclusion_id": _OPT_INT, "leader_id": _OPT_INT,
            "status": {"enum": ["assigned", "in_progress", "extension_requested", "done", "cancelled"]},
            "requested_due": _OPT_DATE, "days_overdue": {**_OPT_INT, "description": "null unless overdue"},
            "done_late": {"type": "boolean"}, "days_late": _OPT_INT, "completed_at": _OPT_STR, "report": _OPT_STR,
            "report_file": _OPT_STR, "created_at": _STR, "version": _INT,
            "history": {"type": "array", "items": {"type": "object"}}}},
    },
)
