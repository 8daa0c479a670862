"""The part of a JSON body that the API document declares for its operation.

`meetings.inputs` refuses what no field of ours can hold (NUL, lone surrogates, integers beyond 32
bits) wherever it appears. In an API body, properties the document does not declare are ignored by
the services; refusing their content would reject requests the document says are valid. So for an
operation with a declared body, only the declared properties (at every depth) are checked.
"""
from meetings.api.openapi import PATHS, SCHEMAS, flask_path


def declared_part(data, rule: str, method: str):
    """`data` without what the operation's documented body does not declare; `data` itself when the
    operation documents no body, or its schema says nothing about properties."""
    operation = PATHS.get(flask_path(rule), {}).get(method.lower())
    if not operation:
        return data
    contents = operation.get("requestBody", {}).get("content", {})
    content = contents.get("application/json") or contents.get("multipart/form-data")
    return _keep(data, content["schema"]) if content else data


def _resolve(schema: dict, depth: int = 0) -> dict:
    """$ref and allOf folded into one schema's properties and items (enough for our documents)."""
    if depth > 20:
        return {}
    if "$ref" in schema:
        return _resolve(SCHEMAS.get(schema["$ref"].rsplit("/", 1)[-1], {}), depth + 1)
    if "allOf" in schema:
        merged: dict = {}
        for part in schema["allOf"]:
            resolved = _resolve(part, depth + 1)
            if "properties" in resolved:
                merged.setdefault("properties", {}).update(resolved["properties"])
            if "items" in resolved:
                merged["items"] = resolved["items"]
            if resolved.get("additionalProperties") not in (None, False):
                merged["additionalProperties"] = resolved["additionalProperties"]
        return merged
    return schema


def _keep(data, schema: dict):
    schema = _resolve(schema)
    if isinstance(data, dict) and "properties" in schema and not schema.get("additionalProperties"):
        return {key: _keep(value, schema["properties"][key]) for key, value in data.items()
                if key in schema["properties"]}
    if isinstance(data, list) and isinstance(schema.get("items"), dict):
        return [_keep(item, schema["items"]) for item in data]
    return data
