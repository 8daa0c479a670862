"""The set-up form's boxes as the API's input for POST /api/v1/meetings."""


def meeting_input(form) -> dict:
    day = form.get("date", "")
    data = {"title": form.get("title", ""), "start": f"{day}T{form.get('start_time') or '08:00'}",
            "end": f"{day}T{form.get('end_time') or '09:00'}", "room_id": form.get("room_id") or None,
            "online_url": form.get("online_url") or "", "status": "draft",
            "confidential": "confidential" in form, "kind": "meeting"}
    if form.get("chair_id"):
        data["chair_id"] = form.get("chair_id")
    data["leader_ids"] = [v for v in form.getlist("leader_ids") if v.isdigit()] if hasattr(form, "getlist") else []
    for name in ("template_id", "copy_from"):
        if form.get(name):
            data[name] = form.get(name)
    if not data["online_url"]:
        del data["online_url"]
    return data
