"""leadflow: an embeddable lead-management engine (Python binding).

Records go in as dicts (or JSON text) and come out as dicts. Timestamps are RFC 3339
strings or timezone-aware ``datetime`` objects. Every error is a ``LeadflowError``
subclass named after its kind (``ValidationError``, ``InvalidTransition``, ...), with
``kind``, ``message``, ``record``, ``field``, ``rule``, ``file``, ``line``, ``column``
and ``details`` attributes.
"""

from ._leadflow import (
    ERROR_KINDS,
    AlreadyConverted,
    ConfigError,
    ConversionError,
    InternalError,
    InvalidTransition,
    IoError,
    LeadflowError,
    LimitExceeded,
    NotFound,
    ParseError,
    ScriptError,
    TriggerLoop,
    ValidationError,
    __version__,
    _error_from_dict,
    _panic,
    parse_account,
    parse_contact,
    parse_lead,
    parse_leads,
    parse_opportunity,
)

__all__ = [
    "ERROR_KINDS",
    "AlreadyConverted",
    "ConfigError",
    "ConversionError",
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
    "parse_account",
    "parse_contact",
    "parse_lead",
    "parse_leads",
    "parse_opportunity",
]
