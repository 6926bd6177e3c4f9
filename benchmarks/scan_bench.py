"""Speed and memory of `planner-tui scan` on a generated tree, beside `grep -rIE`.

    uv run python benchmarks/scan_bench.py [--scale 1.0] [--file-kb 10] [--keep DIR]

At scale 1.0 the tree has 100,000 files of about 10 KB (1 GB) with a few hundred model
references planted among decoys (domains, `writer.write`, `software.amazon.awssdk`, prose),
plus vendored, ignored and binary files whose references must not be reported. The scan
must find exactly the planted references, in at most 1.5× the time grep takes with the
same vendor pattern over the same tree (page cache warm for both, best of 3), with peak
memory flat in the tree's size (a tree a quarter the size is scanned too).

For benchmarks/run.py: `from scan_bench import scan_case; scan_case(record, scale)`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from peak_memory import own_peak_mb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TODAY = dt.date(2026, 11, 22)
FULL_FILES = 100_000
REFERENCES = 300
TARGET = 1.5

# Lines of ordinary code and configuration, and (about one line in thirty) the decoys a
# scan must pass over: domains, prose, `writer.` and `google.` that are no models.
PLAIN = [
    "import os\n", "from pathlib import Path\n", "def handler(event, context):\n",
    "    return {'statusCode': 200, 'body': json.dumps(result)}\n",
    "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"my-logs-bucket\"\n}\n",
    "  timeout: 30\n  memory: 512\n", "}\n", "\n", "    }\n", "        break\n",
    "for (let i = 0; i < items.length; i++) { total += items[i].price * items[i].qty; }\n",
    "        self.session = boto3.session.Session(region_name=region)\n",
    "    LOG.info(\"request %s took %d ms\", request_id, elapsed_ms)\n",
    "    if not isinstance(value, (int, float)):\n        raise TypeError(f'bad value {value!r}')\n",
    "export async function fetchOrders(customerId: string): Promise<Order[]> {\n",
    "  \"version\": \"1.4.2\",\n  \"private\": true,\n", "func (s *Server) Close() error {\n",
    "    public List<Order> findByCustomer(String customerId) {\n", "## Usage\n\nRun the tests first.\n",
]
DECOYS = [
    "    writer.writerow(row)  # csv writer, not a model\n",
    "import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;\n",
    "// see https://docs.anthropic.com and https://aws.amazon.com/bedrock/\n",
    "# anthropic.claude is great for summaries, says the wiki\n",
    "const meta = document.querySelector('meta.description');\n", "    google.golang.org/protobuf v1.34.2\n",
    "    openai.api_key = os.environ['KEY']\n", "<p>Stability.ai and Mistral.ai are companies.</p>\n",
]
EXTENSIONS = (".py", ".ts", ".js", ".tf", ".yaml", ".json", ".go", ".java", ".md", ".toml")
MODELS = ("anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-5-sonnet-20241022-v2:0",
          "amazon.nova-pro-v1:0", "meta.llama3-1-70b-instruct-v1:0", "cohere.command-r-plus-v1:0",
          "mistral.mistral-large-2407-v1:0", "amazon.titan-embed-text-v2:0", "ai21.jamba-1-5-mini-v1:0")
LINE_TEMPLATES = ('    response = client.converse(modelId="{id}", messages=messages)\n',
                  'MODEL_ID={id}\n', '  model_id = "{id}"\n', '      - arn:aws:bedrock:*::foundation-model/{id}\n',
                  '    llm = ChatBedrockConverse(model="{id}")\n', 'litellm.completion(model="bedrock/{id}")\n')


def generate(tree: Path, files: int, file_kb: float, seed: int = 18) -> set[tuple[str, int, int, str]]:
    """Write the tree; return the planted references as (file, line, column, model_id)."""
    rng = random.Random(seed)
    block = "".join(rng.choice(DECOYS) if rng.random() < 1 / 30 else rng.choice(PLAIN) for _ in range(8000))
    size = int(file_kb * 1024)
    planted_in = dict.fromkeys(rng.sample(range(files), min(REFERENCES, files)))
    expected: set[tuple[str, int, int, str]] = set()
    for index in range(files):
        rel = f"pkg{index // 1000:03d}/mod{index // 50 % 20:02d}/f{index:06d}{EXTENSIONS[index % len(EXTENSIONS)]}"
        path = tree / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        start = rng.randrange(0, len(block) - size - 1)
        start = block.index("\n", start) + 1
        text = block[start:start + size]
        if index in planted_in:
            model_id = rng.choice(MODELS)
            template = rng.choice(LINE_TEMPLATES)
            lines = text.split("\n")
            at = rng.randrange(len(lines))
            lines.insert(at, template.format(id=model_id).rstrip("\n"))
            text = "\n".join(lines)
            column = template.index("{id}") + 1
            if "arn:aws" in template:
                column = template.index("arn:aws") + 1
            elif "bedrock/" in template:
                column = template.index("bedrock/") + 1
            expected.add((rel, at + 1, column, model_id))
        path.write_text(text, encoding="utf-8")
    # What must not be reported: vendored, ignored and binary files naming models.
    for skipped in ("node_modules/lib/index.js", "vendor/x/client.go", "generated/out.py"):
        (tree / skipped).parent.mkdir(parents=True, exist_ok=True)
        (tree / skipped).write_text('model = "anthropic.claude-3-haiku-20240307-v1:0"\n')
    (tree / ".gitignore").write_text("generated/\n*.log\n")
    (tree / "blob.bin").write_bytes(b"\0\1\2anthropic.claude-3-haiku-20240307-v1:0" * 100)
    return expected


GREP_VENDORS = ("ai21|amazon|anthropic|cohere|deepseek|google|luma|meta|minimax|mistral|moonshot|nvidia|"
                "openai|qwen|stability|twelvelabs|writer")


def time_grep(tree: Path) -> float:
    pattern = rf"(^|[^A-Za-z0-9_-])({GREP_VENDORS})\.[a-z0-9][a-z0-9-]*"
    start = time.perf_counter()
    subprocess.run(["grep", "-rIE", pattern, str(tree)], stdout=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def time_scan(tree: Path, jobs: int | None) -> tuple[float, dict]:
    """The scan in a process of its own (as the CLI runs): wall time, findings, peak RSS."""
    command = [sys.executable, __file__, "--child", str(tree)] + (["--jobs", str(jobs)] if jobs else [])
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, json.loads(done.stdout)


def child(tree: Path, jobs: int | None) -> None:
    from planner_tui.integrations.scan import reference_from_catalog, scan

    result = scan([tree], reference_from_catalog(), TODAY, workers=jobs)
    own = own_peak_mb()
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"found": [[f.file, f.line, f.column, f.model_id] for f in result.findings],
                      "files": result.files_read, "skipped": result.files_skipped,
                      "rss_mb": round(own, 1), "worker_rss_mb": round(workers, 1)}))


def scan_case(record: Callable[[str, str, str, bool], None], scale: float, file_kb: float = 10.0,
              keep: Path | None = None, jobs: int | None = None) -> None:
    files = max(1000, int(FULL_FILES * scale))
    base = keep or Path(tempfile.mkdtemp(prefix="planner-scan-bench-"))
    try:
        tree, small = base / "tree", base / "small"
        if not tree.exists():
            expected = generate(tree, files, file_kb)
            (base / "expected.json").write_text(json.dumps(sorted(expected)))
        else:
            expected = {tuple(e) for e in json.loads((base / "expected.json").read_text())}
        if not small.exists():
            generate(small, files // 4, file_kb)
        size_mb = sum(p.stat().st_size for p in tree.rglob("*") if p.is_file()) / 1e6
        time_grep(tree)  # warm the page cache for both
        # Alternated, so that a busy moment of the machine weighs on both alike; best of 3.
        greps, runs = [], []
        for _ in range(3):
            greps.append(time_grep(tree))
            runs.append(time_scan(tree, jobs))
        grep = min(greps)
        ours, report = min(runs, key=lambda run: run[0])
        found = {tuple(f) for f in report["found"]}
        ratio = ours / grep
        record(f"scan of {files:,} files ({size_mb:,.0f} MB)",
               f"{ours:.2f} s vs grep -rIE {grep:.2f} s = {ratio:.2f}×", f"≤ {TARGET}×", ratio <= TARGET)
        record("scan finds exactly the planted references",
               f"{len(found)} found, {len(expected)} planted, {len(found ^ expected)} differ", "0 differ",
               found == expected)
        _, small_report = time_scan(small, jobs)
        # Flat: no process grows with the tree (the reading workers, when there are any,
        # each hold what the main process would hold alone).
        peak = max(report["rss_mb"], report["worker_rss_mb"])
        small_peak = max(small_report["rss_mb"], small_report["worker_rss_mb"])
        record("scan peak memory per process, full tree vs a quarter of it",
               f"{peak:.0f} MB vs {small_peak:.0f} MB (main {report['rss_mb']:.0f} MB, largest worker "
               f"{report['worker_rss_mb']:.0f} MB)", "≤ 1.2× (flat)", peak <= 1.2 * small_peak)
    finally:
        if keep is None:
            shutil.rmtree(base, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the 100,000 files (default 1.0)")
    parser.add_argument("--file-kb", type=float, default=10.0, help="average file size in KB (default 10)")
    parser.add_argument("--keep", type=Path, help="generate the trees here once and reuse them")
    parser.add_argument("--jobs", type=int, help="processes the scan reads with (default: its own choice)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.jobs)
        return
    results: list[bool] = []

    def record(name: str, measured: str, target: str, ok: bool) -> None:
        results.append(ok)
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {measured}  (target {target})", flush=True)

    scan_case(record, args.scale, args.file_kb, args.keep, args.jobs)
    print(f"benchmarks: {sum(results)} passed, {len(results) - sum(results)} failed")


if __name__ == "__main__":
    main()
