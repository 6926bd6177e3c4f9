"""What kind of reference a match is: the file's language or format, the framework the
line uses (boto3, LangChain, LiteLLM, an AWS SDK, the CDK, an IAM policy) and the key or
argument it is given to. This only labels a finding; it never decides whether there is one.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .patterns import Candidate

_BY_SUFFIX = {
    ".py": "python", ".pyi": "python", ".ipynb": "python",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "typescript", ".tsx": "typescript", ".mts": "typescript", ".cts": "typescript",
    ".java": "java", ".kt": "kotlin", ".kts": "kotlin", ".scala": "scala",
    ".go": "go", ".cs": "csharp", ".rs": "rust", ".rb": "ruby", ".php": "php",
    ".tf": "terraform", ".tfvars": "terraform", ".hcl": "terraform",
    ".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml",
    ".ini": "ini", ".cfg": "ini", ".conf": "ini", ".properties": "properties",
    ".env": "dotenv", ".sh": "shell", ".bash": "shell", ".ps1": "powershell",
    ".md": "markdown", ".rst": "text", ".txt": "text", ".http": "http", ".rest": "http",
}

# `key = "…"`, `key: …`, `"key": "…"`, `Key: aws.String("…")`, `Resource: !Sub "…"`,
# `key = ["…"` — the name before the value; else a call's method (`.modelId("…")`).
_ASSIGNED = re.compile(r"""(?<![\w$.-])([A-Za-z_$][\w$.-]*)["'\]]?\s*(?:=>|:=|[:=])\s*(?:[\w.!]+\s*\(?\s*)?\[?\s*"""
                       r"""[fFrRbBuU@$]?["'`]?$""")
_CALLED = re.compile(r"""([A-Za-z_$][\w$]*)\(\s*[fFrRbBuU@$]?["'`]?$""")
# A value alone on its line (a list item): the nearest key above names it.
_LIST_ITEM = re.compile(r"""^[\s\-\[\]"',]*$""")
_KEY_ABOVE = re.compile(rb"""([A-Za-z_][\w-]*)(?:["']\s*:|:(?=\s)|\s*=(?!=))""")
_IAM_KEYS = frozenset({"resource", "resources", "notresource", "notresources"})
_SDK_KEYS = frozenset({"modelid", "modelidentifier", "modelarn", "basemodelidentifier"})
_SDK_LANGUAGES = frozenset({"javascript", "typescript", "java", "kotlin", "go", "csharp", "rust", "ruby", "php"})
_LANGCHAIN_CLASSES = re.compile(r"\b(?:ChatBedrock|ChatBedrockConverse|BedrockLLM|BedrockEmbeddings|Bedrock)\(")
_LANGCHAIN_KEYS = frozenset({"model", "model_id"})


class FileTraits(NamedTuple):
    """What the start of a file says about all of it."""

    language: str
    langchain: bool


def file_traits(name: str, head: bytes) -> FileTraits:
    lower = name.lower()
    dot = lower.rfind(".")
    suffix = lower[dot:] if dot > 0 else ""
    if lower == ".env" or lower.startswith(".env.") or lower.endswith(".env"):
        language = "dotenv"
    elif lower.endswith(".tf.json"):
        language = "terraform"
    else:
        language = _BY_SUFFIX.get(suffix, "text")
    templated = language in ("yaml", "json") or suffix == ".template"
    if templated and (b"AWSTemplateFormatVersion" in head or b"AWS::" in head):
        language = "cloudformation"  # CloudFormation and SAM templates, YAML or JSON
    return FileTraits(language, b"langchain" in head)


def key_before(before: str) -> str | None:
    """The key or argument name a value on this line is given to."""
    assigned = _ASSIGNED.search(before)
    if assigned:
        return assigned.group(1).strip("$")
    called = _CALLED.search(before)
    return called.group(1) if called else None


def classify(traits: FileTraits, candidate: Candidate, buf: bytes, line_start: int) -> tuple[str | None, str | None]:
    """(via, key) of a candidate found at `candidate.start` of `buf`."""
    before = buf[max(line_start, candidate.start - 160):candidate.start].decode("latin-1")
    key = key_before(before)
    if key is None and _LIST_ITEM.match(before):
        keys = _KEY_ABOVE.findall(buf, max(0, line_start - 300), line_start)
        key = keys[-1].decode("ascii") if keys else None
    if candidate.form == "litellm":
        return "litellm", key
    if candidate.form == "cdk-constant":
        return "cdk", key
    plain_key = (key or "").rsplit(".", 1)[-1].lower()
    if candidate.form == "arn" and plain_key in _IAM_KEYS:
        return "iam-policy", key
    language = traits.language
    if language == "python":
        if plain_key in _LANGCHAIN_KEYS and (traits.langchain or _LANGCHAIN_CLASSES.search(before)):
            return "langchain", key
        if plain_key.replace("_", "") in _SDK_KEYS and plain_key != "model_id":
            return "boto3", key
    elif plain_key.replace("_", "") in _SDK_KEYS and language in _SDK_LANGUAGES:
        return "aws-sdk", key
    return None, key
