"""Error mapping: one exception class per core ErrorKind, attributes, panics."""

from __future__ import annotations

import datetime
import json

import pytest

import leadflow
from leadflow._leadflow import _error_from_dict, _panic

ATTRIBUTES = ("message", "record", "field", "rule", "file", "line", "column", "details")


def test_error_kinds_are_the_core_list() -> None:
    assert leadflow.ERROR_KINDS == (
        "ParseError",
        "ValidationError",
        "ConfigError",
        "InvalidTransition",
        "AlreadyConverted",
        "ConversionError",
        "NotFound",
        "ScriptError",
        "LimitExceeded",
        "TriggerLoop",
        "IoError",
    )


@pytest.mark.parametrize("kind", leadflow.ERROR_KINDS)
def test_every_kind_is_an_exported_subclass(kind: str) -> None:
    cls = getattr(leadflow, kind)
    assert issubclass(cls, leadflow.LeadflowError)
    assert issubclass(cls, Exception)
    assert cls.__name__ == kind
    assert cls.__module__ == "leadflow"
    assert cls.kind == kind
    assert cls.__doc__


@pytest.mark.parametrize("kind", leadflow.ERROR_KINDS)
def test_every_kind_maps_with_all_attributes(kind: str) -> None:
    err = _error_from_dict(
        {
            "kind": kind,
            "message": "boom",
            "record": "L-1",
            "field": "activities[2].at",
            "rule": "mql_threshold",
            "file": "pack.toml",
            "line": 3,
            "column": 7,
            "details": {"from": "sql", "to": "mql"},
        }
    )
    assert type(err) is getattr(leadflow, kind)
    assert err.kind == kind
    assert err.message == "boom"
    assert err.record == "L-1"
    assert err.field == "activities[2].at"
    assert err.rule == "mql_threshold"
    assert err.file == "pack.toml"
    assert (err.line, err.column) == (3, 7)
    assert err.details == {"from": "sql", "to": "mql"}
    assert str(err) == (
        f"{kind}: boom (record L-1, field activities[2].at, rule mql_threshold, pack.toml:3:7)"
    )
    with pytest.raises(getattr(leadflow, kind)):
        raise err


def test_unknown_attributes_are_none() -> None:
    err = _error_from_dict({"kind": "NotFound", "message": "no rep r-9"})
    assert err.message == "no rep r-9"
    for attr in ATTRIBUTES[1:]:
        assert getattr(err, attr) is None, attr


def test_user_constructed_errors_have_the_attributes() -> None:
    err = leadflow.ConfigError("bad pack")
    assert err.kind == "ConfigError"
    assert str(err) == "bad pack"
    for attr in ATTRIBUTES:
        assert getattr(err, attr) is None, attr
    assert leadflow.LeadflowError("x").kind == "LeadflowError"


def test_malformed_json_is_a_parse_error() -> None:
    with pytest.raises(leadflow.ParseError) as info:
        leadflow.parse_lead('{"id": "L-9", ')
    err = info.value
    assert err.kind == "ParseError"
    assert err.line == 1 and err.column is not None


def test_wrong_type_is_a_validation_error_with_record_and_field() -> None:
    with pytest.raises(leadflow.ValidationError) as info:
        leadflow.parse_lead({"id": "L-7", "created_at": "2026-01-01T00:00:00Z", "employees": "many"})
    err = info.value
    assert (err.record, err.field) == ("L-7", "employees")
    assert isinstance(err, leadflow.LeadflowError)
    assert "employees" in str(err)


def test_missing_field_is_a_validation_error() -> None:
    with pytest.raises(leadflow.ValidationError) as info:
        leadflow.parse_lead({"id": "L-8"})
    assert info.value.record == "L-8"
    assert "created_at" in str(info.value)


def test_non_json_python_values_name_the_field() -> None:
    with pytest.raises(leadflow.ValidationError) as info:
        leadflow.parse_lead(
            {"id": "L-1", "created_at": "2026-01-01T00:00:00Z", "custom": {"tags": ["a", {1, 2}]}}
        )
    assert (info.value.record, info.value.field) == ("L-1", "custom.tags[1]")
    assert "set" in str(info.value)


def test_naive_datetime_is_a_validation_error() -> None:
    with pytest.raises(leadflow.ValidationError) as info:
        leadflow.parse_lead({"id": "L-2", "created_at": datetime.datetime(2026, 1, 1)})
    assert (info.value.record, info.value.field) == ("L-2", "created_at")
    assert "naive" in str(info.value)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), 2**64, -(2**63) - 1])
def test_numbers_json_cannot_hold_are_validation_errors(bad: object) -> None:
    with pytest.raises(leadflow.ValidationError) as info:
        leadflow.parse_lead({"id": "L-3", "created_at": "2026-01-01T00:00:00Z", "custom": {"x": bad}})
    assert info.value.field == "custom.x"


def test_non_string_keys_are_validation_errors() -> None:
    with pytest.raises(leadflow.ValidationError) as info:
        leadflow.parse_lead({"id": "L-4", "created_at": "2026-01-01T00:00:00Z", "custom": {1: "x"}})
    assert info.value.field == "custom"


def test_not_an_object_is_a_validation_error() -> None:
    with pytest.raises(leadflow.ValidationError):
        leadflow.parse_lead(json.dumps([1, 2]))
    with pytest.raises(leadflow.ValidationError):
        leadflow.parse_lead([1, 2])  # type: ignore[arg-type]


def test_panic_becomes_internal_error() -> None:
    with pytest.raises(leadflow.InternalError) as info:
        _panic("kaboom")
    err = info.value
    assert isinstance(err, leadflow.LeadflowError)
    assert err.kind == "InternalError"
    assert "kaboom" in str(err) and "bug" in str(err)
    # The interpreter and the module stay usable after a caught panic.
    assert leadflow.parse_lead({"id": "L-5", "created_at": "2026-01-01T00:00:00Z"})["id"] == "L-5"


def test_error_from_dict_rejects_unknown_kinds() -> None:
    with pytest.raises(leadflow.ValidationError):
        _error_from_dict({"kind": "Nope", "message": "x"})


def test_errors_pickle_with_their_attributes() -> None:
    import pickle

    with pytest.raises(leadflow.ValidationError) as info:
        leadflow.parse_lead({"id": "L-7", "created_at": "2026-01-01T00:00:00Z", "employees": "many"})
    back = pickle.loads(pickle.dumps(info.value))
    assert type(back) is leadflow.ValidationError
    assert (back.record, back.field, str(back)) == ("L-7", "employees", str(info.value))
