# Type stubs of the native module; `python -m mypy.stubtest leadflow` checks them
# against the compiled module (bindings/python/test.sh runs it).
from collections.abc import Iterable, Mapping
from typing import Any, Final

__all__ = [
    "AlreadyConverted",
    "ConfigError",
    "ConversionError",
    "ERROR_KINDS",
    "InternalError",
    "InvalidTransition",
    "IoError",
    "LeadflowError",
    "LimitExceeded",
    "NotFound",
    "ParseError",
    "ScriptError",
    "TriggerLoop",
    "ValidationError",
    "__version__",
    "_error_from_dict",
    "_panic",
    "parse_account",
    "parse_contact",
    "parse_lead",
    "parse_leads",
    "parse_opportunity",
]

__version__: Final[str]
ERROR_KINDS: Final[tuple[str, ...]]
"""Every core error kind, in a stable order; each is a ``LeadflowError`` subclass here."""

# A record (lead, account, contact, opportunity) as a dict, or as JSON text.
_RecordInput = Mapping[str, Any] | str

class LeadflowError(Exception):
    """Base class of every leadflow error."""

    kind: str
    message: str | None
    record: str | None
    field: str | None
    rule: str | None
    file: str | None
    line: int | None
    column: int | None
    details: Any

class ParseError(LeadflowError): ...
class ValidationError(LeadflowError): ...
class ConfigError(LeadflowError): ...
class InvalidTransition(LeadflowError): ...
class AlreadyConverted(LeadflowError): ...
class ConversionError(LeadflowError): ...
class NotFound(LeadflowError): ...
class ScriptError(LeadflowError): ...
class LimitExceeded(LeadflowError): ...
class TriggerLoop(LeadflowError): ...
class IoError(LeadflowError): ...
class InternalError(LeadflowError): ...

def parse_lead(lead: _RecordInput) -> dict[str, Any]: ...
def parse_leads(
    leads: str | Iterable[Mapping[str, Any]],
) -> list[dict[str, Any] | LeadflowError]: ...
def parse_account(account: _RecordInput) -> dict[str, Any]: ...
def parse_contact(contact: _RecordInput) -> dict[str, Any]: ...
def parse_opportunity(opportunity: _RecordInput) -> dict[str, Any]: ...
def _error_from_dict(error: Mapping[str, Any]) -> LeadflowError: ...
def _panic(message: str) -> None: ...
