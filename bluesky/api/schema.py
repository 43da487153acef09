"""The API's OpenAPI contract beyond what drf-spectacular infers: every answer and every filter documented.

drf-spectacular documents the 200/201 bodies and the filters' names; a client (and Schemathesis, which
tests the API against this schema as each role, tests/api/test_api_schema.py) also needs to know:

- every operation may answer 401/403 (not signed in, not allowed: a unit's staff and the ranking, a viewer
  and any write), 404 (an id that does not exist or is hidden, a page past the last), and an operation with
  filters or a body 400 (the field and a Chinese message); writes 409 (changed meanwhile, or a state that
  does not allow it: a signed-off measure, a report already submitted, a month not yet open);
- an empty filter (``?plan=``) means "not filtered", as on the pages, whose forms send empty selects:
  ``allowEmptyValue`` on every query parameter;
- ids are whole numbers from 1 (path ``{id}`` and id filters), pages from 1;
- text holds no NUL character (Django's forms and DRF refuse it, PostgreSQL cannot store it): a pattern on
  every free-text string, in filters and bodies.

``postprocess`` is a drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS); it imports no app.
"""

from __future__ import annotations

from .filters import MAX_ID

ERROR_COMPONENTS = {
    "Error": {
        "type": "object",
        "properties": {"detail": {"type": "string", "description": "中文说明"}},
        "required": ["detail"],
    },
    "FieldErrors": {
        "type": "object",
        "description": "出错的字段（或 detail）及其中文说明",
        "additionalProperties": {},
    },
}
ERROR_DESCRIPTIONS = {
    "400": ("输入有误（字段及中文说明）", "FieldErrors"),
    "401": ("未登录或令牌无效、已过期、已撤销", "Error"),
    "403": ("无权查看或操作", "Error"),
    "404": ("不存在、无权查看，或页码超出范围", "Error"),
    "409": ("与当前数据冲突：已被他人更新，或当前状态不允许（已销号、已报送、月份未到等）", "FieldErrors"),
}
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
WRITES = {"post", "put", "patch", "delete"}
NO_NUL = "^[^\\x00]*$"


def _error(code: str) -> dict:
    description, component = ERROR_DESCRIPTIONS[code]
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


def _no_nul(schema: dict) -> None:
    """A free-text string (no format, choices or pattern of its own) says it holds no NUL; nested too."""
    if schema.get("type") == "string" and not {"format", "enum", "pattern"} & schema.keys():
        schema["pattern"] = NO_NUL
    for sub in (*schema.get("properties", {}).values(), *schema.get("oneOf", []), *schema.get("anyOf", [])):
        _no_nul(sub)
    if isinstance(schema.get("items"), dict):
        _no_nul(schema["items"])


def _document_parameters(operation: dict) -> None:
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path" and parameter["name"] in ("id", "pk"):
            parameter["schema"] = dict(ID_SCHEMA)
        elif parameter["in"] == "query":
            parameter["allowEmptyValue"] = True  # an empty filter is no filter (as the pages send it)
            if parameter["name"] == "page":
                parameter["schema"] = {"type": "integer", "minimum": 1}
            _no_nul(parameter["schema"])


def _document_errors(method: str, operation: dict) -> None:
    responses = operation.setdefault("responses", {})
    codes = ["401", "403", "404"]
    if method in WRITES or any(p["in"] == "query" for p in operation.get("parameters", [])):
        codes.append("400")
    if method in WRITES:
        codes.append("409")
    for code in codes:
        if code not in responses or not responses[code].get("content"):
            responses[code] = _error(code)


def postprocess(result, generator, request, public):
    """Document the errors, empty filters and id ranges of every operation (see the module docstring)."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    for component in components.values():
        _no_nul(component)
    components.update(ERROR_COMPONENTS)
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method in ("get", *WRITES):
                _document_parameters(operation)
                _document_errors(method, operation)
    return result
