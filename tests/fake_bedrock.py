"""A local HTTP server that speaks Bedrock's REST JSON for several Regions.

The Region of each request is read from its SigV4 credential scope, so one server stands in
for every Region when boto3 is pointed at it with AWS_ENDPOINT_URL_BEDROCK. Behaviour per
Region: "ok" (serve the listing), "throttle" (429 ThrottlingException), "error" (500).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/bedrock/")
EMPTY_LISTS = {
    "/inference-profiles": "inferenceProfileSummaries",
    "/provisioned-model-throughputs": "provisionedModelSummaries",
    "/custom-models": "modelSummaries",
    "/model-invocation-jobs": "invocationJobSummaries",
    "/model-customization/custom-model-deployments": "modelDeploymentSummaries",
    "/prompt-routers": "promptRouterSummaries",
}


class FakeBedrock:
    def __init__(self, behaviour: dict[str, str], listings: dict[str, list[dict]],
                 extra: dict[str, dict[str, dict]] | None = None, delay: float = 0.0) -> None:
        self.behaviour = behaviour
        self.delay = delay  # seconds added to every answer (latency benchmarks)
        self.listings = listings
        self.extra = extra or {}
        self.requests: Counter[tuple[str, str]] = Counter()
        self.headers_seen: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep connections open between calls, as AWS does
            disable_nagle_algorithm = True  # else each answer's body waits ~40 ms for an ACK

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                auth = self.headers.get("Authorization", "")
                server.headers_seen.append(auth)
                match = SCOPE.search(auth)
                region = match.group(1) if match else "?"
                path = urlparse(self.path).path
                server.requests[(region, path)] += 1
                if server.delay:
                    time.sleep(server.delay)
                mode = server.behaviour.get(region, "ok")
                if mode == "throttle":
                    self._send(429, {"message": "Rate exceeded"}, "ThrottlingException")
                elif mode == "error":
                    self._send(500, {"message": "Internal failure"}, "InternalServerException")
                elif path == "/foundation-models":
                    self._send(200, {"modelSummaries": server.listings.get(region, [])})
                elif path in server.extra.get(region, {}):
                    self._send(200, server.extra[region][path])
                elif path == "/logging/modelinvocations":
                    self._send(200, {})
                elif path in EMPTY_LISTS:
                    self._send(200, {EMPTY_LISTS[path]: []})
                else:
                    self._send(404, {"message": f"no route {path}"}, "ResourceNotFoundException")

            def _send(self, status: int, body: dict, error_type: str = "") -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if error_type:
                    self.send_header("x-amzn-ErrorType", error_type)
                self.end_headers()
                self.wfile.write(data)

        class Server(ThreadingHTTPServer):
            request_queue_size = 128  # many Regions connect at once

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeBedrock:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
