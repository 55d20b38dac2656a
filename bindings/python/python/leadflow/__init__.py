"""leadflow: an embeddable lead-management engine (Python binding).

Records go in as dicts (or JSON text) and come out as dicts. Timestamps are RFC 3339
strings or timezone-aware ``datetime`` objects. Every error is a ``LeadflowError``
subclass named after its kind (``ValidationError``, ``InvalidTransition``, ...), with
``kind``, ``message``, ``record``, ``field``, ``rule``, ``file``, ``line``, ``column``
and ``details`` attributes.
"""

# The native module's __all__ (checked against its stub by stubtest) is the public API.
from ._leadflow import *  # noqa: F403
from ._leadflow import __all__ as __all__
from ._leadflow import __version__ as __version__
