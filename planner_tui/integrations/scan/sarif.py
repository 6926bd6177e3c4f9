"""Findings as SARIF 2.1.0, for GitHub code scanning (`github/codeql-action/upload-sarif`).

One rule per status; its level is the finding's severity (assess.py): error for past or
near End-of-Life, warning for public extended access, unknown IDs and Regions where the
model is not offered, note for Legacy and for Active models with a published date. Active
models with nothing published are no alert and are left out. Each rule links to the
lifecycle page the dates come from.

`partialFingerprints` hash the file, the matched text and which occurrence of that text
in the file it is: inserting lines above a reference keeps its alert the same alert.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from .assess import EOL_SOON_DAYS, LEVELS, RULE_ORDER
from .reference import ScanReference
from .scanner import Finding

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "bedrockModelReference/v1"
RULE_PREFIX = "bedrock-model-"

_RULE_TEXT = {
    "eol": ("ModelPastEndOfLife", "Bedrock model past End-of-Life",
            "The model has reached End-of-Life in a Region this reference uses: every request there fails, "
            "and nothing migrates by itself. Move to a replacement model."),
    "eol-soon": ("ModelEndOfLifeSoon", f"Bedrock model reaches End-of-Life within {EOL_SOON_DAYS} days",
                 "After End-of-Life every request to the model fails. Test and roll out a replacement before then."),
    "pea": ("ModelInPublicExtendedAccess", "Bedrock model in public extended access",
            "During public extended access the provider may raise prices and quota increases are generally "
            "not approved; End-of-Life follows."),
    "not-offered": ("ModelNotOfferedInRegion", "Bedrock model not offered in the Regions evaluated",
                    "The catalog does not list the model (or the inference profile) in the Regions evaluated: "
                    "calls there fail."),
    "unknown": ("UnknownModelId", "Unknown Bedrock model ID",
                "The text has the shape of a Bedrock model ID but is not in the catalog: a typo, a model "
                "retired long ago, or one newer than the catalog."),
    "legacy": ("LegacyModel", "Legacy Bedrock model",
               "Legacy models take no new customers and no new provisioned throughput; End-of-Life is "
               "published or will be."),
    "dated": ("ModelWithRetirementDate", "Bedrock model with a published retirement date",
              "The model is Active, but a Legacy, public extended access or End-of-Life date is published."),
}
RULES = tuple(rule for rule in RULE_ORDER if rule in _RULE_TEXT)  # every rule but "active"


def _regions_label(regions: list[str], limit: int = 3) -> str:
    shown = ", ".join(regions[:limit])
    return shown + (f" and {len(regions) - limit} more" if len(regions) > limit else "")


def _since(day: dt.date | None) -> str:
    return f" since {day}" if day else ""


def describe(finding: Finding) -> str:
    """One sentence on a finding (plain text; the matched text is ASCII by construction)."""
    if finding.rule == "unknown":
        text = f"{finding.text} looks like a Bedrock model ID but is not in the catalog."
        if finding.suggestions:
            text += f" Did you mean {' or '.join(finding.suggestions)}?"
        return text
    name = f"{finding.model_id} ({finding.model_name})" if finding.model_name else finding.model_id
    at = [r.region for r in finding.regions if r.status == finding.status]
    where = f" in {_regions_label(at)}" if at else ""
    eol = f"End-of-Life {finding.eol_date}" if finding.eol_date else "End-of-Life not yet published"
    sentences = {
        "eol": f"{name} is past End-of-Life{where}{_since(finding.eol_date)}: calls there fail.",
        "eol-soon": f"{name} reaches End-of-Life on {finding.eol_date} ({finding.days_left} days left).",
        "pea": f"{name} is in public extended access{where}{_since(finding.pea_date)}; {eol}.",
        "not-offered": f"{name} is not offered in {_regions_label([r.region for r in finding.regions])}.",
        "legacy": f"{name} is Legacy{where}{_since(finding.legacy_date)}; {eol}.",
        "dated": f"{name} is Active; Legacy from {finding.legacy_date or 'a date not published'}, {eol}.",
    }
    text = sentences.get(finding.rule, f"{name} is {finding.status}.")
    if finding.replacements:
        text += f" AWS names {finding.replacements_text()} as replacement."
        if finding.retiring_replacements and not finding.active_replacements:
            text += " Choose another: a replacement should be Active where the model is used."
    return text


def _rule(rule: str, reference: ScanReference) -> dict[str, Any]:
    name, short, full = _RULE_TEXT[rule]
    help_uri = reference.models_page if rule in ("unknown", "not-offered") else reference.lifecycle_page
    return {
        "id": RULE_PREFIX + rule, "name": name,
        "shortDescription": {"text": short}, "fullDescription": {"text": full},
        "helpUri": help_uri, "help": {"text": f"{full} See {help_uri}"},
        "defaultConfiguration": {"level": LEVELS[rule]},
        "properties": {"tags": ["bedrock", "model-lifecycle"]},
    }


def _result(finding: Finding, uri: str) -> dict[str, Any]:
    region = {"startLine": finding.line, "startColumn": finding.column,
              "endLine": finding.line, "endColumn": finding.column + len(finding.text)}
    return {
        "ruleId": RULE_PREFIX + finding.rule, "ruleIndex": RULES.index(finding.rule), "level": finding.severity,
        "message": {"text": describe(finding)},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {k: v for k, v in finding.to_json().items()
                       if k in ("model_id", "profile_id", "status", "days_left", "legacy_date", "pea_date",
                                "eol_date", "replacements", "did_you_mean", "application", "source")},
    }


def sarif_document(findings: list[Finding], reference: ScanReference, today: dt.date, *,
                   uris: dict[tuple[str, str], str] | None = None, version: str = "0") -> dict[str, Any]:
    """The SARIF log. `uris` maps (root, file) to the URI to report (by default the file
    path relative to its root), so that a CI run from the repository's top can name files
    as GitHub expects."""
    uris = uris or {}
    results = [_result(f, uris.get((f.root, f.file)) or quote(f.file, safe="/"))
               for f in findings if f.rule in _RULE_TEXT]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "planner-tui", "version": version,
                                "rules": [_rule(rule, reference) for rule in RULES]}},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {"today": today.isoformat(), "lifecycleSource": reference.source},
        }],
    }
