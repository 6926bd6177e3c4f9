"""The code scan (#18): what it finds in a fixture repository of every supported syntax,
what it must pass over, and how it rates each reference."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from planner_tui.catalog.bundled import load_catalog
from planner_tui.domain.lifecycle import LifecycleDates
from planner_tui.domain.vocabulary import Status
from planner_tui.integrations.scan import reading, reference_cache, reference_from_catalog, scan
from planner_tui.integrations.scan.patterns import (
    CDK_IRREGULAR,
    cdk_constant_name,
    find_candidates,
    model_id_from_constant,
)
from planner_tui.integrations.scan.reference import ModelFacts, ProfileFacts, ScanReference

TODAY = dt.date(2026, 11, 22)
FIXTURE = Path(__file__).parent / "fixtures" / "scan" / "repo"
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"

# (file, line, column, matched text, model ID, form, language, via, key): every reference
# in the fixture repository, and nothing else (no decoy, nothing ignored or vendored).
EXPECTED = sorted([
    ("cdk/stack.go", 6, 20, "FoundationModelIdentifier_AMAZON_NOVA_PRO_V1_0", "amazon.nova-pro-v1:0",
     "cdk-constant", "go", "cdk", None),
    ("cdk/stack.ts", 5, 80, "FoundationModelIdentifier.ANTHROPIC_CLAUDE_3_HAIKU_20240307_V1_0", HAIKU,
     "cdk-constant", "typescript", "cdk", None),
    ("cdk/stack.ts", 6, 19, "FoundationModelIdentifier.META_LLAMA_3_1_70_INSTRUCT_V1",
     "meta.llama3-1-70b-instruct-v1:0", "cdk-constant", "typescript", "cdk", "llama"),
    ("cdk/stack.ts", 7, 19, "FoundationModelIdentifier.AMAZON_TITAN_TEXT_G1_EXPRESS_V1", "amazon.titan-text-express-v1",
     "cdk-constant", "typescript", "cdk", "titan"),
    ("cdk/stack.ts", 8, 17, "FoundationModelIdentifier.ANTHROPIC_CLAUDE_V2_1", "anthropic.claude-v2:1",
     "cdk-constant", "typescript", "cdk", "old"),
    # @aws-cdk/aws-bedrock-alpha's BedrockFoundationModel names models its own way.
    ("cdk/app.py", 3, 17, "BedrockFoundationModel.META_LLAMA_3_1_70B_INSTRUCT_V1", "meta.llama3-1-70b-instruct-v1:0",
     "cdk-constant", "python", "cdk", "model"),
    ("cdk/knowledge_base.ts", 3, 28, "BedrockFoundationModel.TITAN_EMBED_TEXT_V2_1024", "amazon.titan-embed-text-v2:0",
     "cdk-constant", "typescript", "cdk", "embeddings"),
    ("cdk/knowledge_base.ts", 4, 28, "BedrockFoundationModel.ANTHROPIC_CLAUDE_3_7_SONNET_V1_0",
     "anthropic.claude-3-7-sonnet-20250219-v1:0", "cdk-constant", "typescript", "cdk", "agentModel"),
    ("cdk/knowledge_base.ts", 5, 23, "BedrockFoundationModel.ANTHROPIC_CLAUDE_HAIKU_V1_0", HAIKU,
     "cdk-constant", "typescript", "cdk", "cheap"),
    ("cdk/knowledge_base.ts", 6, 49, "cohere.embed-multilingual-v3", "cohere.embed-multilingual-v3", "model-id",
     "typescript", None, "BedrockFoundationModel"),
    ("cloudformation/knowledge-base.json", 9, 35,
     "arn:aws:bedrock:us-west-2::foundation-model/amazon.titan-embed-text-v2:0", "amazon.titan-embed-text-v2:0",
     "arn", "cloudformation", None, "EmbeddingModelArn"),
    ("cloudformation/template.yaml", 8, 24, "anthropic.claude-3-sonnet-20240229-v1:0",
     "anthropic.claude-3-sonnet-20240229-v1:0", "model-id", "cloudformation", None, "FoundationModel"),
    ("cloudformation/template.yaml", 14, 21, "twelvelabs.marengo-embed-2-7-v1:0", "twelvelabs.marengo-embed-2-7-v1:0",
     "model-id", "cloudformation", None, "MODEL_ID"),
    ("cloudformation/template.yaml", 19, 30,
     "arn:aws:bedrock:${AWS::Region}::foundation-model/mistral.pixtral-large-2502-v1:0",
     "mistral.pixtral-large-2502-v1:0", "arn", "cloudformation", "iam-policy", "Resource"),
    ("config/.env", 2, 18, "anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-sonnet-4-5-20250929-v1:0",
     "model-id", "dotenv", None, "BEDROCK_MODEL_ID"),
    ("config/.env", 3, 19, "anthropic.claude-3-haiku-20240307-v2:0", "anthropic.claude-3-haiku-20240307-v2:0",
     "model-id", "dotenv", None, "FALLBACK_MODEL_ID"),
    ("config/app.json", 1, 19, "global.anthropic.claude-haiku-4-5-20251001-v1:0",
     "anthropic.claude-haiku-4-5-20251001-v1:0", "model-id", "json", None, "id"),
    ("config/app.json", 1, 87, f"{HAIKU}:200k", HAIKU, "model-id", "json", None, "contextWindow"),
    # Every geography prefix of cross-Region inference profiles.
    ("config/profiles.yaml", 2, 11, f"us-gov.{HAIKU}", HAIKU, "model-id", "yaml", None, "govcloud"),
    ("config/profiles.yaml", 3, 8, "jp.anthropic.claude-sonnet-4-5-20250929-v1:0",
     "anthropic.claude-sonnet-4-5-20250929-v1:0", "model-id", "yaml", None, "tokyo"),
    ("config/profiles.yaml", 4, 9, "au.anthropic.claude-haiku-4-5-20251001-v1:0",
     "anthropic.claude-haiku-4-5-20251001-v1:0", "model-id", "yaml", None, "sydney"),
    ("config/profiles.yaml", 5, 9, "ca.amazon.nova-lite-v1:0", "amazon.nova-lite-v1:0", "model-id", "yaml", None,
     "canada"),
    ("config/settings.toml", 2, 13, "deepseek.r1-v1:0", "deepseek.r1-v1:0", "model-id", "toml", None, "model_id"),
    ("config/settings.yaml", 3, 10, "us.amazon.nova-pro-v1:0", "amazon.nova-pro-v1:0", "model-id", "yaml", None,
     "model"),
    ("config/settings.yaml", 4, 15, "cohere.embed-english-v3", "cohere.embed-english-v3", "model-id", "yaml", None,
     "embeddings"),
    ("csharp/Program.cs", 5, 16, "ai21.jamba-1-5-large-v1:0", "ai21.jamba-1-5-large-v1:0", "model-id", "csharp",
     "aws-sdk", "ModelId"),
    ("go/main.go", 9, 23, "mistral.mistral-large-2407-v1:0", "mistral.mistral-large-2407-v1:0", "model-id", "go",
     "aws-sdk", "ModelId"),
    # URL-encoded in HTTP paths: an ID's `:` as %3A, an ARN's `:` and `/` as %3A and %2F.
    ("http/invoke.http", 2, 60, "anthropic.claude-3-haiku-20240307-v1%3A0", HAIKU, "model-id", "http", None, None),
    ("http/invoke.http", 6, 60, "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus."
     "anthropic.claude-3-5-haiku-20241022-v1%3A0", "anthropic.claude-3-5-haiku-20241022-v1:0", "arn", "http", None,
     None),
    ("java/Client.java", 6, 51, "cohere.command-r-plus-v1:0", "cohere.command-r-plus-v1:0", "model-id", "java",
     "aws-sdk", "modelId"),
    ("js/converse.ts", 5, 15, "apac.anthropic.claude-sonnet-4-20250514-v1:0", "anthropic.claude-sonnet-4-20250514-v1:0",
     "model-id", "typescript", "aws-sdk", "modelId"),
    ("js/invoke.mjs", 4, 52, "amazon.titan-image-generator-v2:0", "amazon.titan-image-generator-v2:0", "model-id",
     "javascript", "aws-sdk", "modelId"),
    # Latin-1: the column counts characters, one per accented letter.
    ("legacy/config.properties", 1, 26, "meta.llama3-1-405b-instruct-v1:0", "meta.llama3-1-405b-instruct-v1:0",
     "model-id", "properties", None, None),
    ("legacy/config.properties", 2, 16, "meta.llama3-1-8b-instruct-v1:0", "meta.llama3-1-8b-instruct-v1:0",
     "model-id", "properties", None, "modele.secours"),
    ("python/boto3_app.py", 9, 41, HAIKU, HAIKU, "model-id", "python", "boto3", "modelId"),
    ("python/boto3_app.py", 14, 41, "us.anthropic.claude-3-5-sonnet-20240620-v1:0",
     "anthropic.claude-3-5-sonnet-20240620-v1:0", "model-id", "python", "boto3", "modelId"),
    ("python/langchain_app.py", 5, 32, "meta.llama3-2-11b-instruct-v1:0", "meta.llama3-2-11b-instruct-v1:0",
     "model-id", "python", "langchain", "model_id"),
    ("python/langchain_app.py", 7, 12, "anthropic.claude-3-7-sonnet-20250219-v1:0",
     "anthropic.claude-3-7-sonnet-20250219-v1:0", "model-id", "python", "langchain", "model"),
    ("python/litellm_app.py", 7, 31, "bedrock/anthropic.claude-3-5-haiku-20241022-v1:0",
     "anthropic.claude-3-5-haiku-20241022-v1:0", "litellm", "python", "litellm", "model"),
    ("python/litellm_app.py", 8, 30, f"bedrock/converse/eu.{HAIKU}", HAIKU, "litellm", "python", "litellm", "model"),
    ("ruby/client.rb", 4, 28, "cohere.command-r-v1:0", "cohere.command-r-v1:0", "model-id", "ruby", "aws-sdk",
     "model_id"),
    ("rust/main.rs", 2, 41, "amazon.nova-premier-v1:0", "amazon.nova-premier-v1:0", "model-id", "rust", "aws-sdk",
     "model_id"),
    ("terraform/main.tf", 2, 15, "amazon.nova-canvas-v1:0", "amazon.nova-canvas-v1:0", "model-id", "terraform", None,
     "model_id"),
    ("terraform/main.tf", 7, 23, "anthropic.claude-3-5-sonnet-20241022-v2:0",
     "anthropic.claude-3-5-sonnet-20241022-v2:0", "model-id", "terraform", None, "foundation_model"),
    ("terraform/main.tf", 14, 8, "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-opus-4-20250514-v1:0",
     "anthropic.claude-opus-4-20250514-v1:0", "arn", "terraform", "iam-policy", "resources"),
    ("terraform/main.tf", 15, 8,
     "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-7-sonnet-20250219-v1:0",
     "anthropic.claude-3-7-sonnet-20250219-v1:0", "arn", "terraform", "iam-policy", "resources"),
    ("terraform/main.tf", 16, 8,
     "arn:${data.aws_partition.current.partition}:bedrock:${var.region}::foundation-model/amazon.nova-sonic-v1:0",
     "amazon.nova-sonic-v1:0", "arn", "terraform", "iam-policy", "resources"),
    ("terraform/main.tf", 23, 29, "arn:aws:bedrock:us-west-2::foundation-model/amazon.titan-text-express-v1:0:8k",
     "amazon.titan-text-express-v1", "arn", "terraform", None, "model_arn"),
    # UTF-16 with a byte-order mark, as some Windows editors save.
    ("windows/settings.ps1", 1, 11, "amazon.nova-lite-v1:0", "amazon.nova-lite-v1:0", "model-id", "powershell", None,
     "Model"),
])


def locations(result) -> list[tuple]:  # noqa: ANN001
    return sorted((f.file, f.line, f.column, f.text, f.model_id, f.form, f.language, f.via, f.key)
                  for f in result.findings)


@pytest.fixture(autouse=True)
def _cache_elsewhere(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scanned folders are under tmp_path, like the user cache (HOME): keep them apart."""
    cache = tmp_path_factory.mktemp("scan-cache") / "scan-reference.json"
    monkeypatch.setattr(reference_cache, "cache_path", lambda: cache)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The fixture repository, copied outside any git checkout, plus what git must not
    hold: virtual environments, caches and symlinks (one out of the tree, one a loop)."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root, symlinks=True)
    for folder in (".venv/lib", "venv", "__pycache__", "src/__pycache__", ".git"):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / "copy.py").write_text(f'MODEL = "{HAIKU}"\n')
    outside = tmp_path / "outside.py"
    outside.write_text(f'MODEL = "{HAIKU}"\n')
    os.symlink(outside, root / "linked_outside.py")
    os.symlink(tmp_path, root / "loop")  # would reach the tree itself, and outside.py
    return root


@pytest.fixture(scope="module")
def bundled() -> ScanReference:
    return reference_from_catalog(load_catalog())  # a catalog given: no user cache touched


def test_fixture_repository_every_reference_found_exactly(repo: Path, bundled: ScanReference) -> None:
    result = scan([repo], bundled, TODAY, workers=1)
    assert locations(result) == EXPECTED
    assert result.files_skipped == 1  # assets/model.bin, binary


def test_nested_gitignore_and_negation(tmp_path: Path, bundled: ScanReference) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".gitignore").write_text("*.cfg\n")
    (tmp_path / "a" / ".gitignore").write_text("!keep.cfg\nb/\n")
    for name in ("top.cfg", "a/drop.cfg", "a/keep.cfg", "a/b/deep.py"):
        (tmp_path / name).write_text(f"model={HAIKU}\n")
    assert [f.file for f in scan([tmp_path], bundled, TODAY).findings] == ["a/keep.cfg"]


def test_gitignore_above_the_root_applies_up_to_the_repository(tmp_path: Path, bundled: ScanReference) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("secret/\n*.txt\n")
    service = tmp_path / "service"
    (service / "secret").mkdir(parents=True)
    (service / "secret" / "x.py").write_text(f"m = '{HAIKU}'\n")
    (service / "notes.txt").write_text(f"m = '{HAIKU}'\n")
    (service / "app.py").write_text(f"m = '{HAIKU}'\n")
    assert [f.file for f in scan([service], bundled, TODAY).findings] == ["app.py"]


def test_a_file_can_be_scanned_by_name(repo: Path, bundled: ScanReference) -> None:
    result = scan([repo / "go" / "main.go"], bundled, TODAY)
    assert [(f.root, f.file, f.line) for f in result.findings] == [((repo / "go" / "main.go").as_posix(), "main.go", 9)]


def test_prose_domains_and_look_alikes_are_never_findings(tmp_path: Path, bundled: ScanReference) -> None:
    (tmp_path / "notes.md").write_text(
        "anthropic.claude is great; so is amazon.titan.\n"
        "https://www.anthropic.com/ https://aws.amazon.com/bedrock/ amazon.com/bedrock\n"
        "writer.writerow(row); meta.description; google.golang.org/grpc; openai.api_key\n"
        "software.amazon.awssdk.services; xanthropic.claude-3-haiku-20240307-v1:0; my_meta.llama3-8b-v1:0\n"
        "anthropic.claude-3-haiku (no version) and anthropic.claude-instant\n"
        "https://example.com/?next=%2Fanthropic.com%2Fnews&q=amazon.titan%3A0 %2Fmeta.description\n"
        "BedrockFoundationModel.fromCdkFoundationModelId(x); FoundationModelIdentifier.of(y)\n")
    assert scan([tmp_path], bundled, TODAY).findings == []


def test_unknown_id_with_did_you_mean(tmp_path: Path, bundled: ScanReference) -> None:
    (tmp_path / "a.py").write_text('m = "anthropic.claude-3-haiku-20240307-v2:0"\n')
    (finding,) = scan([tmp_path], bundled, TODAY).findings
    assert (finding.status, finding.rule, finding.severity, finding.known) == ("unknown", "unknown", "warning", False)
    assert finding.suggestions[0] == HAIKU



def test_variant_suffixes_resolve_as_model_variants_does(tmp_path: Path, bundled: ScanReference) -> None:
    """The scanner resolves through domain/model_variants.py: a context or modality suffix
    (and a version the catalog's ID lacks) names its base model; a suffix that is no variant
    leaves the ID unknown, with "did you mean" (the old rule dropped any `:…` part)."""
    (tmp_path / "a.py").write_text(f'a = "{HAIKU}:200k"\nb = "{HAIKU}:48k"\n'
                                   'c = "amazon.titan-text-express-v1:0:8k"\n'
                                   f'd = "{HAIKU}:turbo9"\n')
    found = {f.line: f for f in scan([tmp_path], bundled, TODAY).findings}
    assert (found[1].model_id, found[1].known, found[1].variant) == (HAIKU, True, "200k context")
    assert (found[2].model_id, found[2].known, found[2].variant) == (HAIKU, True, "48k context")
    assert (found[3].model_id, found[3].known, found[3].variant) == ("amazon.titan-text-express-v1", True, "8k context")
    assert found[1].to_json()["variant"] == "200k context"
    assert found[4].known is False and found[4].suggestions[0] == HAIKU


# -- rules, Regions and dates, on a reference of made-up models ----------------------------

SOURCE = "https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle.html"
D = dt.date


def _lifecycle(model_id: str, regions: tuple[str, ...], legacy: D | None, pea: D | None, eol: D | None,
               declared: Status = Status.LEGACY) -> LifecycleDates:
    return LifecycleDates(model_id, regions, declared, legacy, pea, eol, SOURCE, "2026-11")


def made_up_reference() -> ScanReference:
    us, eu = ("us-east-1", "us-west-2"), ("eu-west-1",)
    models = {
        "acme.eol-model-v1:0": ModelFacts("acme.eol-model-v1:0", "EOL Model", us + eu, (
            _lifecycle("acme.eol-model-v1:0", ("us-east-1",), D(2026, 1, 1), D(2026, 4, 1), D(2026, 7, 1)),
            _lifecycle("acme.eol-model-v1:0", eu, D(2026, 6, 1), D(2026, 12, 1), D(2027, 6, 1)))),
        "acme.pea-model-v1:0": ModelFacts("acme.pea-model-v1:0", "PEA Model", us, (
            _lifecycle("acme.pea-model-v1:0", us, D(2026, 6, 1), D(2026, 10, 1), D(2027, 4, 1)),)),
        "acme.soon-model-v1:0": ModelFacts("acme.soon-model-v1:0", "Soon Model", us, (
            _lifecycle("acme.soon-model-v1:0", us, D(2026, 7, 10), None, D(2027, 1, 10)),)),
        "acme.dated-model-v1:0": ModelFacts("acme.dated-model-v1:0", "Dated Model", us, (
            _lifecycle("acme.dated-model-v1:0", us, D(2027, 5, 1), None, D(2027, 11, 1)),)),
        "acme.fresh-model-v1:0": ModelFacts("acme.fresh-model-v1:0", "Fresh Model", us + eu),
    }
    profiles = {"us.acme.fresh-model-v1:0": ProfileFacts("us.acme.fresh-model-v1:0", "acme.fresh-model-v1:0", us)}
    return ScanReference(models, profiles, {"acme.eol-model-v1:0": ("acme.fresh-model-v1:0",)}, "made-up catalog")


def verdicts(folder: Path, text: str, regions: tuple[str, ...] | None = None) -> list[tuple]:
    (folder / "models.txt").write_text(text)
    result = scan([folder], made_up_reference(), TODAY, regions=regions)
    return [(f.model_id, f.status, f.rule, f.severity, f.days_left) for f in result.findings]


def test_each_rule_worst_first(tmp_path: Path) -> None:
    text = "\n".join(f"acme.{name}-model-v1:0" for name in ("fresh", "dated", "soon", "pea", "eol")) + "\n"
    assert verdicts(tmp_path, text) == [
        ("acme.eol-model-v1:0", "EOL", "eol", "error", -144),  # EOL in us-east-1, worst of the Regions
        ("acme.soon-model-v1:0", "Legacy", "eol-soon", "error", 49),
        ("acme.pea-model-v1:0", "PEA", "pea", "warning", 130),
        ("acme.dated-model-v1:0", "Active", "dated", "note", 344),
        ("acme.fresh-model-v1:0", "Active", "active", "none", None),
    ]


def test_region_option_evaluates_those_regions_only(tmp_path: Path) -> None:
    text = "acme.eol-model-v1:0\n"
    assert verdicts(tmp_path, text, ("eu-west-1",)) == [("acme.eol-model-v1:0", "Legacy", "legacy", "note", 191)]
    assert verdicts(tmp_path, text, ("us-east-1", "eu-west-1"))[0][1] == "EOL"
    assert verdicts(tmp_path, text, ("ap-south-1",)) == [
        ("acme.eol-model-v1:0", "not offered", "not-offered", "warning", None)]


def test_an_arn_is_evaluated_in_its_own_region(tmp_path: Path) -> None:
    text = "arn:aws:bedrock:eu-west-1::foundation-model/acme.eol-model-v1:0\n"
    assert verdicts(tmp_path, text, ("us-east-1",)) == [("acme.eol-model-v1:0", "Legacy", "legacy", "note", 191)]


def test_a_profile_is_evaluated_where_it_can_be_called(tmp_path: Path) -> None:
    (tmp_path / "models.txt").write_text('modelId="us.acme.fresh-model-v1:0"\n')
    result = scan([tmp_path], made_up_reference(), TODAY, regions=("eu-west-1",))
    (finding,) = result.findings
    assert (finding.profile_id, finding.model_id, finding.status) == (
        "us.acme.fresh-model-v1:0", "acme.fresh-model-v1:0", "not offered")
    (finding,) = scan([tmp_path], made_up_reference(), TODAY).findings
    assert [r.region for r in finding.regions] == ["us-east-1", "us-west-2"]


def test_replacements_dates_and_regions_reported(tmp_path: Path) -> None:
    (tmp_path / "m.txt").write_text("acme.eol-model-v1:0\n")
    (finding,) = scan([tmp_path], made_up_reference(), TODAY).findings
    assert finding.replacements == ("acme.fresh-model-v1:0",)
    assert (finding.legacy_date, finding.pea_date, finding.eol_date) == (D(2026, 1, 1), D(2026, 4, 1), D(2026, 7, 1))
    assert {(r.region, r.status, r.days_left) for r in finding.regions} == {
        ("us-east-1", "EOL", -144), ("us-west-2", "Active", None), ("eu-west-1", "Legacy", 191)}
    assert finding.source == SOURCE


def test_a_replacement_that_is_itself_retiring_is_marked(tmp_path: Path) -> None:
    reference = made_up_reference()
    reference.replacements["acme.pea-model-v1:0"] = ("acme.soon-model-v1:0", "acme.fresh-model-v1:0")
    reference.replacements["acme.soon-model-v1:0"] = ("acme.dated-model-v1:0",)
    (tmp_path / "m.txt").write_text("acme.pea-model-v1:0\nacme.soon-model-v1:0\nacme.eol-model-v1:0\n")
    by_model = {f.model_id: f for f in scan([tmp_path], reference, TODAY).findings}
    pea = by_model["acme.pea-model-v1:0"]
    assert pea.retiring_replacements == (("acme.soon-model-v1:0", "Legacy"),)
    assert pea.active_replacements == ("acme.fresh-model-v1:0",)
    assert pea.replacements_text() == "acme.soon-model-v1:0 (itself Legacy), acme.fresh-model-v1:0"
    assert pea.to_json()["retiring_replacements"] == {"acme.soon-model-v1:0": "Legacy"}
    assert by_model["acme.soon-model-v1:0"].retiring_replacements == ()  # dated, but Active
    assert by_model["acme.eol-model-v1:0"].retiring_replacements == ()


def test_a_replacement_only_legacy_says_to_choose_another(tmp_path: Path) -> None:
    from planner_tui.integrations.scan.sarif import describe

    reference = made_up_reference()
    reference.replacements["acme.eol-model-v1:0"] = ("acme.pea-model-v1:0",)
    (tmp_path / "m.txt").write_text("acme.eol-model-v1:0\n")
    (finding,) = scan([tmp_path], reference, TODAY, regions=("us-east-1",)).findings
    assert finding.retiring_replacements == (("acme.pea-model-v1:0", "PEA"),)
    assert describe(finding).endswith("AWS names acme.pea-model-v1:0 (itself PEA) as replacement. Choose another: "
                                      "a replacement should be Active where the model is used.")


def test_fingerprints_stay_when_lines_move(tmp_path: Path) -> None:
    source = tmp_path / "app.py"
    source.write_text('a = "acme.eol-model-v1:0"\nb = "acme.eol-model-v1:0"\nc = "acme.pea-model-v1:0"\n')
    before = {(f.text, f.line): f.fingerprint for f in scan([tmp_path], made_up_reference(), TODAY).findings}
    source.write_text("# a header\n\n\n" + source.read_text())
    after = {(f.text, f.line - 3): f.fingerprint for f in scan([tmp_path], made_up_reference(), TODAY).findings}
    assert before == after
    assert len(set(before.values())) == 3  # two occurrences of one ID are two alerts


# -- reading: chunks, long lines, odd encodings --------------------------------------------


def _naive(data: bytes, reference: ScanReference) -> list[tuple[int, int, str]]:
    """Lines and columns worked out from the whole text at once."""
    found = []
    for candidate in find_candidates(data, reference.patterns):
        head = data[:candidate.start]
        line_start = head.rfind(b"\n") + 1
        found.append((head.count(b"\n") + 1, len(head[line_start:].decode("utf-8", "replace")) + 1, candidate.text))
    return found


@pytest.mark.parametrize("layout", ["one long line", "many lines", "mixed"])
def test_chunked_reading_places_matches_as_a_whole_read_would(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             bundled: ScanReference, layout: str) -> None:
    monkeypatch.setattr(reading, "CHUNK", 4096)  # many chunk boundaries in a small file
    pieces = []
    for index in range(60):
        filler = "é" * (index * 37 % 400) if layout != "many lines" else "x = 1\n" * (index % 50)
        separator = "\n" if layout == "many lines" or (layout == "mixed" and index % 3 == 0) else " "
        pieces.append(f"{filler}{separator}arn:aws:bedrock:us-east-1::foundation-model/{HAIKU}{separator}")
    data = "".join(pieces).encode("utf-8")
    (tmp_path / "big.txt").write_bytes(data)
    hits = reading.read_hits(str(tmp_path / "big.txt"), "big.txt", bundled.patterns)
    assert [(h.line, h.column, h.text) for h in hits] == _naive(data, bundled)
    assert len(hits) == 60


def test_huge_file_is_read_in_bounded_chunks(tmp_path: Path, bundled: ScanReference) -> None:
    path = tmp_path / "huge.min.js"
    with path.open("wb") as handle:
        for _ in range(6):  # 6 MB on one line: read a chunk at a time, never whole
            handle.write(b"a" * (1 << 20))
        handle.write(f' "{HAIKU}"\n'.encode())
    (finding,) = scan([tmp_path], bundled, TODAY).findings
    assert (finding.line, finding.column) == (1, 6 * (1 << 20) + 3)


def test_binary_and_utf16_files(tmp_path: Path, bundled: ScanReference) -> None:
    (tmp_path / "blob.dat").write_bytes(b"PK\x03\x04\x00\x00" + HAIKU.encode())
    (tmp_path / "utf16-be.txt").write_bytes(f"\ufeffmodel: {HAIKU}\n".encode("utf-16-be"))
    result = scan([tmp_path], bundled, TODAY)
    assert [(f.file, f.line, f.column) for f in result.findings] == [("utf16-be.txt", 1, 8)]
    assert result.files_skipped == 1


# -- CDK constants: derived from the catalog both ways -------------------------------------


def test_cdk_constant_names_cover_the_whole_catalog(bundled: ScanReference) -> None:
    for model in load_catalog().models:
        assert bundled.cdk.model_id(cdk_constant_name(model.model_id)) == (model.model_id, True)
    assert cdk_constant_name(HAIKU) == "ANTHROPIC_CLAUDE_3_HAIKU_20240307_V1_0"
    assert model_id_from_constant("ANTHROPIC_CLAUDE_3_HAIKU_20240307_V1_0_48K") == f"{HAIKU}:48k"
    assert model_id_from_constant("MISTRAL_MISTRAL_7B_INSTRUCT_V0_2") == "mistral.mistral-7b-instruct-v0:2"


@pytest.mark.parametrize(("name", "model_id"), [
    ("META_LLAMA_3_1_8B_INSTRUCT_V1", "meta.llama3-1-8b-instruct-v1:0"),  # CDK drops `:0`
    ("AI21_JAMBA_1_5_LARGE_V_1_0", "ai21.jamba-1-5-large-v1:0"),
    ("DEEP_SEEK_R1_V1_0", "deepseek.r1-v1:0"),
    ("AMAZON_NOVA_PRO_V1_0_300_K", "amazon.nova-pro-v1:0:300k"),  # context window of a known model
    ("MISTRAL_LARGE_2_V0_1", "mistral.mistral-large-2407-v1:0"),  # no rule derives this one
])
def test_cdk_spellings(bundled: ScanReference, name: str, model_id: str) -> None:
    assert bundled.cdk.model_id(name) == (model_id, True)


@pytest.mark.parametrize(("name", "model_id"), [
    ("ANTHROPIC_CLAUDE_3_5_SONNET_V1_0", "anthropic.claude-3-5-sonnet-20240620-v1:0"),  # no release date
    ("ANTHROPIC_CLAUDE_3_5_SONNET_V2_0", "anthropic.claude-3-5-sonnet-20241022-v2:0"),
    ("META_LLAMA_3_3_70B_INSTRUCT_V1", "meta.llama3-3-70b-instruct-v1:0"),
    ("AMAZON_NOVA_MICRO_V1", "amazon.nova-micro-v1:0"),
    ("TITAN_EMBED_TEXT_V2_256", "amazon.titan-embed-text-v2:0"),  # vendor and dimensions its own
    ("ANTHROPIC_CLAUDE_INSTANT_V1_2", "anthropic.claude-instant-v1"),
])
def test_bedrock_foundation_model_spellings(bundled: ScanReference, name: str, model_id: str) -> None:
    assert bundled.cdk.model_id(name, alpha=True) == (model_id, True)


def test_cdk_irregular_names_are_not_what_the_rule_derives() -> None:
    assert all(cdk_constant_name(model_id) != name for name, model_id in CDK_IRREGULAR.items())


def test_counts_over_many_batches(tmp_path: Path, bundled: ScanReference, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "BLOB", 64)  # a search every file or two
    for index in range(30):
        (tmp_path / f"t{index}.py").write_text(f'm = "{HAIKU}"\n' if index % 3 else "x = 1\n")
        (tmp_path / f"b{index}.bin").write_bytes(b"\0" * 10)
    result = scan([tmp_path], bundled, TODAY, workers=1)
    assert (result.files_read, result.files_skipped, len(result.findings)) == (30, 30, 20)


def test_bundled_reference_cached_by_catalog_digest() -> None:
    from planner_tui.catalog import bundled as catalog_module
    from planner_tui.integrations.scan import reference as reference_module

    assert reference_module.MODELS_PAGE == catalog_module.MODELS_PAGE
    path = reference_cache.cache_path()
    path.unlink(missing_ok=True)
    built = reference_from_catalog()
    assert path.exists()
    cached = reference_from_catalog()
    assert cached == built and reference_cache.load(reference_cache.dump(built)) == built
    path.write_text("{not json")
    assert reference_from_catalog() == built  # unusable: built again


def test_messages_never_print_a_missing_date(tmp_path: Path) -> None:
    from planner_tui.integrations.scan.sarif import describe

    reference = made_up_reference()
    undated = "acme.gone-model-v1:0"
    reference.models[undated] = ModelFacts(undated, "Gone", ("us-east-1",), (
        _lifecycle(undated, ("us-east-1",), None, None, None, declared=Status.EOL),))
    (tmp_path / "m.txt").write_text(f"{undated}\nacme.pea-model-v1:0\nacme.eol-model-v1:0\n")
    messages = [describe(f) for f in scan([tmp_path], reference, TODAY).findings]
    assert all("None" not in m for m in messages)
    assert messages[0] == ("acme.eol-model-v1:0 (EOL Model) is past End-of-Life in us-east-1 since 2026-07-01: "
                           "calls there fail. AWS names acme.fresh-model-v1:0 as replacement.")
