"""The OpenAPI schema's account of errors: every operation documents the 4xx answers the portal
gives (the schema documented only successes, so every 400, 401, 403 and 404 contradicted it).

- 400: field errors (``{"field": ["message", ...]}``, ``non_field_errors`` for the whole) or a
  ``detail`` (malformed JSON, a bad filter);
- 401: no or an unknown token (every operation: a wrong token is refused even where anonymous
  visitors are welcome);
- 403: signed in but not allowed (or a missing CSRF token with a session);
- 404: the object named in the path does not exist or is not the caller's to see;
- 429: too many attempts (where a throttle guards the operation).
"""

from __future__ import annotations

from typing import Any

METHODS = ("get", "put", "patch", "post", "delete")
ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "description": "Why the request was refused.",
}
FIELD_ERRORS = {
    "type": "object",
    "description": (
        "What is wrong, per field (non_field_errors: the request as a whole), or a detail."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object"},
            {"type": "string"},
        ]
    },
}


def _answer(description: str, schema: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> Any:
    """drf-spectacular's post-processing hook: add the error answers to every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            responses.setdefault("400", _answer("Invalid input.", "FieldErrors"))
            responses.setdefault("401", _answer("Not signed in, or an unknown token.", "Error"))
            responses.setdefault("403", _answer("Not allowed.", "Error"))
            if "{" in path:
                responses.setdefault("404", _answer("Not found.", "Error"))
            if path.endswith("/auth/token/"):
                responses.setdefault("429", _answer("Too many attempts; wait.", "Error"))
    return result
