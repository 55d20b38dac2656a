# Type stubs of the native module; `python -m mypy.stubtest leadflow` checks them
# against the compiled module (bindings/python/test.sh runs it).
import datetime
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal, TypedDict, final, overload

__all__ = [
    "AlreadyConverted",
    "ConfigError",
    "ConversionError",
    "ERROR_KINDS",
    "GRADES",
    "InternalError",
    "InvalidTransition",
    "IoError",
    "LeadflowError",
    "LimitExceeded",
    "MetricsAccumulator",
    "NotFound",
    "Pack",
    "ParseError",
    "Pipeline",
    "Router",
    "ScriptError",
    "SlaPolicy",
    "TEMPERATURES",
    "TriggerLoop",
    "Triggers",
    "ValidationError",
    "apply_conversion",
    "convert",
    "cumulative_time",
    "derive",
    "enrich",
    "entered_at",
    "last_entered_at",
    "match_lead",
    "metrics",
    "parse_account",
    "parse_contact",
    "parse_lead",
    "parse_leads",
    "parse_opportunity",
    "plan_conversion",
    "qualification_evidence",
    "qualification_state",
    "qualify",
    "record_activity",
    "time_in_current",
    "timeline",
]

__version__: Final[str]
ERROR_KINDS: Final[tuple[str, ...]]
"""Every core error kind, in a stable order; each is a ``LeadflowError`` subclass here."""
GRADES: Final[tuple[str, ...]]
"""Grade of each ``grade`` code in columnar results (0 is ``A``)."""
TEMPERATURES: Final[tuple[str, ...]]
"""Temperature of each ``temperature`` code in columnar results (0 is ``cold``)."""

# A record (lead, account, contact, opportunity) as a dict, or as JSON text.
_Record = Mapping[str, Any] | str
# A point in time: RFC 3339 text or a timezone-aware datetime (naive ones are refused).
_Time = str | datetime.datetime
_Dimension = Literal["stage", "status", "opportunity_stage"]
_Json = dict[str, Any]

class _Limits(TypedDict, total=False):
    """The host's sandbox ceilings (docs/sandbox.md); a pack may only lower them."""

    max_operations: int
    max_call_depth: int
    max_expr_depth: int
    max_string_size: int
    max_array_size: int
    max_map_size: int
    lead_time_us: int
    batch_time_ms: int | None
    max_file_bytes: int
    max_pack_bytes: int

# --- errors -------------------------------------------------------------------------

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

def _error_from_dict(error: Mapping[str, Any]) -> LeadflowError: ...
def _panic(message: str) -> None: ...

# --- records ------------------------------------------------------------------------

def parse_lead(lead: _Record) -> _Json: ...
def parse_leads(leads: str | Iterable[Mapping[str, Any]]) -> list[_Json | LeadflowError]: ...
def parse_account(account: _Record) -> _Json: ...
def parse_contact(contact: _Record) -> _Json: ...
def parse_opportunity(opportunity: _Record) -> _Json: ...

# --- lifecycle ----------------------------------------------------------------------

@final
class Pipeline:
    """A validated lifecycle configuration; immutable and thread-safe."""

    def __new__(cls) -> Pipeline: ...
    @staticmethod
    def from_path(path: str | os.PathLike[str]) -> Pipeline: ...
    @staticmethod
    def from_str(text: str, format: str = "json") -> Pipeline: ...
    @staticmethod
    def from_dict(config: Mapping[str, Any]) -> Pipeline: ...
    @property
    def config(self) -> _Json: ...
    @property
    def stage_ladder(self) -> list[str]: ...
    @property
    def initial_stage(self) -> str: ...
    @property
    def initial_status(self) -> str: ...
    def stage_rank(self, stage: str) -> int | None: ...
    def is_stage(self, stage: str) -> bool: ...
    def opportunity_stage(self, name: str) -> _Json | None: ...
    def _repr_html_(self) -> str: ...
    def place(
        self, lead: _Record, *, at: _Time, actor: str | None = None, reason: str | None = None
    ) -> tuple[_Json, list[_Json]]: ...
    def advance_stage(
        self,
        lead: _Record,
        to: str,
        *,
        at: _Time,
        actor: str | None = None,
        reason: str | None = None,
    ) -> tuple[_Json, _Json]: ...
    def recycle_stage(
        self,
        lead: _Record,
        to: str,
        *,
        at: _Time,
        actor: str | None = None,
        reason: str | None = None,
    ) -> tuple[_Json, _Json]: ...
    def set_status(
        self,
        lead: _Record,
        to: str,
        *,
        at: _Time,
        actor: str | None = None,
        reason: str | None = None,
    ) -> tuple[_Json, _Json]: ...
    def record_touch(
        self,
        lead: _Record,
        outcome: Literal["attempt", "connected"],
        *,
        at: _Time,
        actor: str | None = None,
        reason: str | None = None,
    ) -> tuple[_Json, _Json | None]: ...
    def open_opportunity(
        self,
        id: str,
        name: str,
        account_id: str,
        *,
        at: _Time,
        actor: str | None = None,
        reason: str | None = None,
    ) -> _Json: ...
    def move_opportunity(
        self,
        opportunity: _Record,
        to: str,
        *,
        at: _Time,
        actor: str | None = None,
        reason: str | None = None,
    ) -> tuple[_Json, _Json]: ...

_History = Mapping[str, Any] | Sequence[Mapping[str, Any]]

def entered_at(
    record: _History, state: str, *, dimension: _Dimension | None = None
) -> str | None: ...
def last_entered_at(
    record: _History, state: str, *, dimension: _Dimension | None = None
) -> str | None: ...
def time_in_current(
    record: _History, *, now: _Time, dimension: _Dimension | None = None
) -> float | None: ...
def cumulative_time(
    record: _History, *, now: _Time, dimension: _Dimension | None = None
) -> dict[str, float]: ...
def timeline(
    record: _History, *, now: _Time, dimension: _Dimension | None = None
) -> list[_Json]: ...

# --- conversion ---------------------------------------------------------------------

def match_lead(
    lead: _Record,
    accounts: Iterable[_Record] | None = None,
    contacts: Iterable[_Record] | None = None,
    options: Mapping[str, Any] | None = None,
) -> _Json: ...
def plan_conversion(
    lead: _Record,
    accounts: Iterable[_Record] | None = None,
    contacts: Iterable[_Record] | None = None,
    options: Mapping[str, Any] | None = None,
    *,
    now: _Time,
    pipeline: Pipeline | None = None,
) -> _Json: ...
def apply_conversion(
    plan: Mapping[str, Any],
    lead: _Record,
    accounts: Iterable[_Record] | None = None,
    contacts: Iterable[_Record] | None = None,
    options: Mapping[str, Any] | None = None,
    *,
    now: _Time,
    pipeline: Pipeline | None = None,
) -> _Json: ...
def convert(
    lead: _Record,
    accounts: Iterable[_Record] | None = None,
    contacts: Iterable[_Record] | None = None,
    options: Mapping[str, Any] | None = None,
    *,
    now: _Time,
    pipeline: Pipeline | None = None,
) -> _Json: ...

# --- rules: enrichment and qualification --------------------------------------------

def derive(lead: _Record) -> _Json: ...
def enrich(lead: _Record, data: Mapping[str, Any], provider: str) -> tuple[_Json, _Json]: ...
def qualify(
    framework: str | Mapping[str, Any],
    evidence: Mapping[str, Any] | None = None,
    policy: Mapping[str, Any] | None = None,
) -> _Json: ...
def qualification_evidence(lead: _Record, framework: str | Mapping[str, Any]) -> _Json: ...
def qualification_state(result: Mapping[str, Any], *, now: _Time) -> _Json: ...

# --- metrics ------------------------------------------------------------------------

# A period: text (`2026-Q3`, `2026-07`, `2026`, `2026-07-01..2026-09-30`) or {"from": t, "to": t}.
_Period = str | Mapping[str, _Time]
# Records for an accumulator: JSON text (array, object or JSON Lines) or an iterable of dicts.
_Records = str | bytes | Iterable[Mapping[str, Any]]

def metrics(request: Mapping[str, Any] | str) -> _Json: ...
@final
class MetricsAccumulator:
    """Mergeable partial metrics; picklable (as its JSON text)."""

    def __new__(
        cls,
        period: _Period,
        now: _Time,
        *,
        utc_offset: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> MetricsAccumulator: ...
    @staticmethod
    def from_request(request: Mapping[str, Any] | str) -> MetricsAccumulator: ...
    @staticmethod
    def from_json(text: str | bytes) -> MetricsAccumulator: ...
    @property
    def config(self) -> _Json: ...
    def empty_like(self) -> MetricsAccumulator: ...
    def add_lead(self, lead: _Record) -> None: ...
    def add_opportunity(self, opportunity: _Record) -> None: ...
    def add_leads(self, leads: _Records, *, skip_invalid: bool = False) -> list[LeadflowError]: ...
    def add_opportunities(
        self, opportunities: _Records, *, skip_invalid: bool = False
    ) -> list[LeadflowError]: ...
    def merge(self, other: MetricsAccumulator) -> None: ...
    def finish(self) -> _Json: ...
    def to_json(self) -> str: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...
    def __copy__(self) -> MetricsAccumulator: ...
    def __deepcopy__(self, memo: Any, /) -> MetricsAccumulator: ...
    def _repr_html_(self) -> str: ...

# --- routing ------------------------------------------------------------------------

# A configuration (routing, SLA, triggers) as a dict or JSON text.
_Config = Mapping[str, Any] | str

@final
class Router:
    """Assigns leads to reps, teams or queues; immutable, thread-safe and picklable."""

    def __new__(
        cls,
        config: _Config,
        *,
        accounts: Iterable[_Record] | None = None,
        contacts: Iterable[_Record] | None = None,
    ) -> Router: ...
    @staticmethod
    def from_path(
        path: str | os.PathLike[str],
        *,
        accounts: Iterable[_Record] | None = None,
        contacts: Iterable[_Record] | None = None,
    ) -> Router: ...
    @staticmethod
    def from_str(
        text: str,
        format: str = "json",
        *,
        accounts: Iterable[_Record] | None = None,
        contacts: Iterable[_Record] | None = None,
    ) -> Router: ...
    @staticmethod
    def _restore(
        config: _Config,
        accounts: Iterable[_Record] | None,
        contacts: Iterable[_Record] | None,
    ) -> Router: ...
    def __reduce__(self) -> tuple[Any, tuple[str, list[_Json] | None, list[_Json] | None]]: ...
    @property
    def config(self) -> _Json: ...
    def facts(self, lead: _Record) -> _Json: ...
    def assign(
        self, lead: _Record, state: Mapping[str, Any] | None = None, *, now: _Time
    ) -> tuple[_Json, _Json]: ...
    def assign_many(
        self,
        leads: str | Iterable[_Record],
        state: Mapping[str, Any] | None = None,
        *,
        now: _Time,
    ) -> tuple[list[_Json | LeadflowError], _Json]: ...
    def _repr_html_(self) -> str: ...

@final
class SlaPolicy:
    """Speed-to-lead and follow-up SLAs; immutable and thread-safe."""

    def __new__(cls, config: _Config) -> SlaPolicy: ...
    def evaluate(self, lead: _Record, *, now: _Time) -> _Json: ...
    def _repr_html_(self) -> str: ...

@final
class Triggers:
    """Automation triggers: events in, planned actions out; immutable and thread-safe."""

    def __new__(cls, config: _Config) -> Triggers: ...
    def evaluate(
        self, lead: _Record, event: Mapping[str, Any], state: Mapping[str, Any] | None = None
    ) -> tuple[list[_Json], _Json]: ...
    def _repr_html_(self) -> str: ...

def record_activity(
    lead: _Record,
    activity: Mapping[str, Any],
    *,
    policy: Mapping[str, Any] | None = None,
    actor: str | None = None,
    pipeline: Pipeline | None = None,
) -> tuple[_Json, _Json]: ...

# --- rules: scoring packs -----------------------------------------------------------

_PackFormat = Literal["toml", "json", "yaml", "yml", "rhai"]

@final
class Pack:
    """A compiled rule pack; immutable, thread-safe and picklable."""

    @staticmethod
    def from_path(path: str | os.PathLike[str], *, limits: _Limits | None = None) -> Pack: ...
    @staticmethod
    def from_str(
        text: str, format: _PackFormat = "toml", file: str | None = None, *, limits: _Limits | None = None
    ) -> Pack: ...
    @staticmethod
    def from_dict(pack: Mapping[str, Any], *, limits: _Limits | None = None) -> Pack: ...
    @property
    def limits(self) -> _Limits: ...
    @staticmethod
    def _from_sources(sources: str, version: str) -> Pack: ...
    def __reduce__(self) -> tuple[Any, tuple[str, str]]: ...
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def rules(self) -> list[_Json]: ...
    @property
    def features(self) -> list[str]: ...
    def score(self, lead: _Record, now: _Time, explain: bool = False) -> _Json: ...
    def explain(self, lead: _Record, now: _Time) -> _Json: ...
    def evaluate(
        self, lead: _Record, now: _Time, pipeline: Pipeline | None = None
    ) -> tuple[_Json, _Json]: ...
    @overload
    def score_many(
        self,
        leads: str | bytes | Iterable[_Record],
        now: _Time,
        explain: bool = False,
        *,
        columns: Mapping[str, str] | None = None,
        strict: bool = True,
    ) -> list[_Json | LeadflowError]: ...
    @overload
    def score_many(
        self,
        leads: Any,
        now: _Time,
        explain: bool = False,
        *,
        columns: Mapping[str, str] | None = None,
        strict: bool = True,
    ) -> Any: ...
    def _score_arrow(
        self, data: Any, now: _Time, columns: Mapping[str, str] | None = None, strict: bool = True
    ) -> tuple[
        int, bytearray, bytearray, bytearray, bytearray, bytearray, list[tuple[int, LeadflowError]], list[str]
    ]: ...
    def _repr_html_(self) -> str: ...
