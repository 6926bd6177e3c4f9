"""What a Bedrock model reference looks like in a file, found on bytes.

One anchor finds every candidate: a dot that follows a vendor name of the catalog
(`anthropic.`, `meta.` …) and precedes a model name with a hyphen. Python's `re` runs
alternations slowly (about 20 MB/s when every position is tried), but a pattern that starts
with a literal is searched for with a fast character scan; so the anchor starts with the
dot, a lookahead drops the dots of ordinary code (`self.session`, `writer.writerow` have no
hyphen), and only then lookbehinds try the vendor names: about 1 GB/s. Each hit is then
read forwards from its dot, and the text before it is looked at for an inference-profile
prefix (`us.`), a Bedrock ARN or a LiteLLM route (`bedrock/converse/`).

A model ID must have the shape of a real one to count: prose (`anthropic.claude is great`)
and domains (`anthropic.com`, `amazon.com/bedrock`) never match, as they lack the hyphen;
`assess.py` also asks a version-ish part (`-v1`, `:0`, a date) of IDs the catalog lacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

# Geography prefixes of cross-Region inference profiles as AWS documents them; the
# catalog's profiles add any newer one.
DOCUMENTED_GEOS = ("us-gov", "us", "eu", "apac", "global", "jp", "au", "ca")

# After the vendor's dot: the model name, which always has a hyphen, then up to three `:`
# parts (version, context window: `-v1:0:200k`). Bounded, so that a match never runs
# across a chunk's overlap.
# A `:` may be URL-encoded, as in an HTTP path (`/model/anthropic.claude-…-v1%3A0/invoke`).
_TAIL = rb"[a-z0-9]{1,64}-"
_COLON = rb"(?::|%3[Aa])"
_MODEL_TAIL = re.compile(_TAIL + rb"[a-z0-9-]{0,127}(?:" + _COLON + rb"[a-z0-9]{1,16}){0,3}")
_ENCODED_COLON = re.compile(r"%3[Aa]")
# A token starts after anything but a letter, digit, `_` or `-`, or after an encoded `/`
# (`…foundation-model%2Fanthropic.…`).
_TOKEN_START = rb"(?:(?<![A-Za-z0-9_-])|(?<=%2[Ff]))"
# A Bedrock ARN before the ID; partition, Region and account may be interpolated, as in
# CloudFormation's `${AWS::Region}` or Terraform's `${var.region}`.
_INTERPOLATED = rb"\$\{[^}\n]{1,60}\}"
# URL-encoded too (`arn%3Aaws%3Abedrock%3A…%2F`), as SDKs put an ARN in a request path.
_ARN_HEAD = re.compile(
    rb"arn" + _COLON + rb"(?:aws(?:-[a-z]+)*|" + _INTERPOLATED + rb")" + _COLON + rb"bedrock" + _COLON
    + rb"([a-z0-9-]*|\*|" + _INTERPOLATED + rb")" + _COLON
    + rb"(?:\d{12}|\*|" + _INTERPOLATED + rb")?" + _COLON
    + rb"(foundation-model|inference-profile|application-inference-profile)(?:/|%2[Ff])\Z")
_LITELLM_HEAD = re.compile(rb"(?<![A-Za-z0-9_-])bedrock/(?:converse/|invoke/)?\Z")
# aws-cdk-lib's constants (Go's jsii binding spells them `FoundationModelIdentifier_X()`),
# and the `BedrockFoundationModel` class of @aws-cdk/aws-bedrock-alpha and of
# generative-ai-cdk-constructs, which names models its own way (CDK_ALPHA_IRREGULAR).
CDK_MARK = b"FoundationModel"  # in both names: one search of a buffer tells whether to look
ALPHA_CLASS = "BedrockFoundationModel"
_CDK = re.compile(rb"\b(?:FoundationModelIdentifier|BedrockFoundationModel)[._]([A-Z][A-Z0-9_]{1,127})\b")
LONGEST_MATCH = 600  # bytes: ARN head (240) + profile prefix + model ID (250), with room to spare


class Candidate(NamedTuple):
    """A place in a buffer that reads like a model reference (byte offsets)."""

    start: int
    end: int
    text: str  # as written, ASCII by construction
    model_text: str  # the model or profile ID part (or the CDK constant's name)
    form: str  # "model-id", "arn", "litellm" or "cdk-constant"
    geo: str | None  # inference-profile prefix, without its dot
    arn_region: str | None  # the Region an ARN names ('', '*' or `${…}` for any)
    arn_resource: str | None  # foundation-model, inference-profile, …


@dataclass(frozen=True)
class Patterns:
    vendors: tuple[str, ...]
    geos: tuple[str, ...]

    @property
    def anchor(self) -> re.Pattern[bytes]:
        return _anchor(self.vendors)

    @property
    def vendor_head(self) -> re.Pattern[bytes]:
        return _head(self.vendors)

    @property
    def geo_head(self) -> re.Pattern[bytes]:
        return _head(self.geos)


@cache
def _anchor(vendors: tuple[str, ...]) -> re.Pattern[bytes]:
    # The one-character lookahead first, then the name possessively (`{1,64}+`, no
    # backtracking): each drops most dots sooner; together about 20 % faster.
    behind = b"|".join(b"(?<=" + re.escape(v.encode()) + rb"\.)" for v in vendors)
    return re.compile(rb"\.(?=[a-z0-9])(?=[a-z0-9]{1,64}+-)(?:" + behind + rb")")


@cache
def _head(names: tuple[str, ...]) -> re.Pattern[bytes]:
    """One of `names` right before the end of the searched span, starting a token (a dot
    may precede: `us.` before a vendor). Longest first: `us-gov` before `us`."""
    ordered = sorted(names, key=len, reverse=True)
    return re.compile(_TOKEN_START + rb"(" + b"|".join(re.escape(n.encode()) for n in ordered) + rb")\.\Z")


@cache
def patterns_for(vendors: tuple[str, ...], geos: tuple[str, ...]) -> Patterns:
    return Patterns(tuple(sorted(set(vendors))), tuple(sorted(set(geos) | set(DOCUMENTED_GEOS))))


def find_candidates(buf: bytes | bytearray, patterns: Patterns, end: int | None = None) -> list[Candidate]:
    """Every candidate in buf[:end], in order of position."""
    found: list[Candidate] = []
    end = len(buf) if end is None else end
    vendor_at, tail_at = patterns.vendor_head.search, _MODEL_TAIL.match
    for hit in patterns.anchor.finditer(buf, 0, end):
        dot = hit.start()
        # The vendor must start a token: `xanthropic.` or `_meta.` is something else.
        vendor = vendor_at(buf, max(0, dot - 40), dot + 1)
        tail = tail_at(buf, dot + 1, end)
        if vendor is not None and tail is not None:
            found.append(_model_candidate(buf, vendor.start(), tail.end(), patterns))
    if buf.find(CDK_MARK, 0, end) != -1:
        for hit in _CDK.finditer(buf, 0, end):
            found.append(Candidate(hit.start(), hit.end(), hit.group().decode("ascii"),
                                   hit.group(1).decode("ascii"), "cdk-constant", None, None, None))
    found.sort()
    return found


def _model_candidate(buf: bytes | bytearray, vendor_start: int, end: int, patterns: Patterns) -> Candidate:
    start, geo = vendor_start, None
    if vendor_start and buf[vendor_start - 1] == 0x2E:  # a dot: perhaps a profile's `us.`
        head = patterns.geo_head.search(buf, max(0, vendor_start - 8), vendor_start)
        if head is not None:
            start, geo = head.start(), head.group(1).decode("ascii")
    model_text = _ENCODED_COLON.sub(":", buf[start:end].decode("ascii"))
    form, arn_region, arn_resource = "model-id", None, None
    arn = _ARN_HEAD.search(buf, max(0, start - 240), start)
    if arn is not None:
        start, form = arn.start(), "arn"
        arn_region, arn_resource = arn.group(1).decode("ascii"), arn.group(2).decode("ascii")
    else:
        route = _LITELLM_HEAD.search(buf, max(0, start - 20), start)
        if route is not None:
            start, form = route.start(), "litellm"
    return Candidate(start, end, buf[start:end].decode("ascii"), model_text, form, geo, arn_region, arn_resource)


# -- CDK constants: the table is derived from the model IDs, both ways ---------------------

# aws-cdk-lib names a few models in ways no rule derives from the ID (checked against its
# foundation-model.ts); everything else follows `cdk_constant_name`.
CDK_IRREGULAR = {
    "AMAZON_TITAN_TEXT_G1_EXPRESS_V1": "amazon.titan-text-express-v1",
    "AMAZON_TITAN_TEXT_G1_LITE_V1": "amazon.titan-text-lite-v1",
    "AMAZON_TITAN_TEXT_PREMIER_V1": "amazon.titan-text-premier-v1:0",
    "AMAZON_TITAN_EMBEDDINGS_G1_TEXT_V1": "amazon.titan-embed-text-v1",
    "AMAZON_TITAN_IMAGE_GENERATOR_G1_V1": "amazon.titan-image-generator-v1",
    "AMAZON_TITAN_MULTIMODAL_EMBEDDINGS_G1_V1": "amazon.titan-embed-image-v1",
    "AI21_LABS_JURASSIC_2_MID_V1": "ai21.j2-mid-v1",
    "AI21_LABS_JURASSIC_2_ULTRA_V1": "ai21.j2-ultra-v1",
    "AI21_LABS_JURASSIC_2_ULTRA_V1_0_8K": "ai21.j2-ultra-v1:0:8k",
    "AI21_J2_JAMBA_INSTRUCT_V1_0": "ai21.jamba-instruct-v1:0",
    "COHERE_COMMAND_V14": "cohere.command-text-v14",
    "COHERE_COMMAND_LIGHT_V14": "cohere.command-light-text-v14",
    "META_LLAMA_2_CHAT_13B_V1": "meta.llama2-13b-chat-v1",
    "META_LLAMA_2_CHAT_70B_V1": "meta.llama2-70b-chat-v1",
    "META_LLAMA_3_70_INSTRUCT_V1": "meta.llama3-70b-instruct-v1:0",
    "META_LLAMA_3_1_8B_INSTRUCT_V_128K": "meta.llama3-1-8b-instruct-v1:0:128k",
    "META_LLAMA_3_1_70_INSTRUCT_V1": "meta.llama3-1-70b-instruct-v1:0",
    "META_LLAMA_3_1_70_INSTRUCT_V1_128K": "meta.llama3-1-70b-instruct-v1:0:128k",
    "META_LLAMA_3_1_405_INSTRUCT_V1": "meta.llama3-1-405b-instruct-v1:0",
    "MISTRAL_LARGE_V0_1": "mistral.mistral-large-2402-v1:0",
    "MISTRAL_SMALL_V0_1": "mistral.mistral-small-2402-v1:0",
    "MISTRAL_LARGE_2_V0_1": "mistral.mistral-large-2407-v1:0",
}
# @aws-cdk/aws-bedrock-alpha's (and generative-ai-cdk-constructs') `BedrockFoundationModel`
# constants that no rule derives (checked against its foundation-model.ts); the others
# follow the rules above, or drop the model's date (`ANTHROPIC_CLAUDE_3_7_SONNET_V1_0`),
# which `CdkTable` also tries.
CDK_ALPHA_IRREGULAR = {
    "AMAZON_TITAN_PREMIER_V1_0": "amazon.titan-text-premier-v1:0",
    "TITAN_EMBED_TEXT_V1": "amazon.titan-embed-text-v1",
    "TITAN_EMBED_TEXT_V2_1024": "amazon.titan-embed-text-v2:0",
    "TITAN_EMBED_TEXT_V2_512": "amazon.titan-embed-text-v2:0",
    "TITAN_EMBED_TEXT_V2_256": "amazon.titan-embed-text-v2:0",
    "ANTHROPIC_CLAUDE_OPUS_V1_0": "anthropic.claude-3-opus-20240229-v1:0",
    "ANTHROPIC_CLAUDE_SONNET_V1_0": "anthropic.claude-3-sonnet-20240229-v1:0",
    "ANTHROPIC_CLAUDE_HAIKU_V1_0": "anthropic.claude-3-haiku-20240307-v1:0",
    "ANTHROPIC_CLAUDE_INSTANT_V1_2": "anthropic.claude-instant-v1",
}
_CONTEXT_SUFFIX = re.compile(r"^(.*?)_?(\d+)_?K$")
_RELEASE_DATE = re.compile(r"-\d{8}(?=-)")
_VERSION_TOKEN = re.compile(r"^v\d+$")


def cdk_constant_name(model_id: str) -> str:
    """anthropic.claude-3-haiku-20240307-v1:0 → ANTHROPIC_CLAUDE_3_HAIKU_20240307_V1_0"""
    return re.sub(r"[^A-Za-z0-9]+", "_", model_id).strip("_").upper()


def model_id_from_constant(name: str) -> str:
    """The reverse rule: vendor, then the name with hyphens, and `:` after the last `vN`
    token (`..._V1_0_48K` → `…-v1:0:48k`)."""
    vendor, *tokens = name.lower().split("_")
    versions = [i for i, token in enumerate(tokens) if _VERSION_TOKEN.match(token)]
    cut = versions[-1] + 1 if versions else len(tokens)
    return f"{vendor}." + "-".join(tokens[:cut]) + "".join(f":{t}" for t in tokens[cut:])


def _squash(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


@dataclass(frozen=True)
class CdkTable:
    by_name: dict[str, str]
    by_squashed: dict[str, str]
    by_dateless: dict[str, str]  # squashed without the release date, where that is unambiguous

    def model_id(self, name: str, alpha: bool = False) -> tuple[str, bool]:
        """The model ID a constant stands for, and whether a table (not a guess) said so.
        `alpha`: a constant of `BedrockFoundationModel` rather than `FoundationModelIdentifier`."""
        found = self.by_name.get(name) or (CDK_ALPHA_IRREGULAR if alpha else CDK_IRREGULAR).get(name)
        if found:
            return found, True
        squashed = _squash(name)
        # The CDK often drops a trailing `:0` (`COHERE_COMMAND_R_V1`) or spells `V_1_0`.
        found = self.by_squashed.get(squashed) or self.by_squashed.get(squashed + "0")
        if not found and alpha:
            found = self.by_dateless.get(squashed) or self.by_dateless.get(squashed + "0")
        if found:
            return found, True
        context = _CONTEXT_SUFFIX.match(name)
        if context and context.group(1):
            base, known = self.model_id(context.group(1), alpha)
            if known:
                return f"{base}:{context.group(2)}k", True
        return model_id_from_constant(name), False


@cache
def cdk_table(model_ids: tuple[str, ...]) -> CdkTable:
    dateless: dict[str, list[str]] = {}
    for model_id in model_ids:
        dateless.setdefault(_squash(_RELEASE_DATE.sub("", model_id)), []).append(model_id)
    return CdkTable({cdk_constant_name(m): m for m in model_ids}, {_squash(m): m for m in model_ids},
                    {key: ids[0] for key, ids in dateless.items() if len(ids) == 1})
