"""Find every Bedrock model reference in code, infrastructure and configuration files.

`scan(paths, reference, today)` walks the trees (walk.py), reads each file in bounded
chunks (reading.py), finds candidates with one vendor-anchored pattern (patterns.py),
labels them (kinds.py), resolves and assesses each against a `ScanReference` built from
the open project or the bundled catalog (reference.py, assess.py); sarif.py writes the
findings for code scanning.
"""

from .assess import EOL_SOON_DAYS, LEVELS, RULE_ORDER, STAGES
from .reference import ScanReference, reference_from_catalog, reference_from_store
from .sarif import sarif_document
from .scanner import Finding, ScanResult, scan

__all__ = ["EOL_SOON_DAYS", "LEVELS", "RULE_ORDER", "STAGES", "Finding", "ScanReference", "ScanResult",
           "reference_from_catalog", "reference_from_store", "sarif_document", "scan"]
