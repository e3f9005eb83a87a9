"""The OpenAPI schema says what the API answers: the errors of every operation, and the shapes
that contradicted the answers (issue #12)."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from matchmaking.forums.models.meetings import RequestStatus


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in ("get", "put", "patch", "post", "delete"):
                yield path, method, operation


def test_every_operation_documents_its_errors(schema):
    operations = list(_operations(schema))
    assert len(operations) > 100
    for path, method, operation in operations:
        codes = set(operation["responses"])
        assert {"400", "401", "403"} <= codes, (method, path)
        if "{" in path:
            assert "404" in codes, (method, path)
    assert schema["components"]["schemas"]["FieldErrors"]["type"] == "object"


def test_an_organisations_matches_are_an_object_with_results(schema):
    answer = schema["paths"]["/api/v1/exporters/{id}/matches/"]["get"]["responses"]["200"]
    ref = answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    shape = schema["components"]["schemas"][ref]
    assert shape["type"] == "object"
    assert shape["properties"]["results"]["type"] == "array"
    assert set(shape["properties"]) == {"organisation", "count", "results"}


def test_a_participant_may_have_no_officer(schema):
    participant = schema["components"]["schemas"]["Participant"]
    assert participant["properties"]["officer"].get("nullable") is True


def test_meeting_requests_name_their_own_statuses(schema):
    enum = schema["components"]["schemas"]["MeetingRequestStatusEnum"]["enum"]
    assert set(enum) == set(RequestStatus.values)


def test_downloads_answer_the_files_own_type(schema):
    downloads = [
        (path, operation)
        for path, method, operation in _operations(schema)
        if "200" in operation["responses"]
        and "*/*" in operation["responses"]["200"].get("content", {})
    ]
    assert downloads
    for _path, operation in downloads:
        assert "application/octet-stream" not in operation["responses"]["200"]["content"]
