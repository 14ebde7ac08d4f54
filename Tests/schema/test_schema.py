"""Schemathesis against `/openapi.yaml` of a running `baton dev`: requests generated from the document,
valid and invalid, as a committee member and as an officer. Any 5xx, any answer outside the document
(status, content type, body schema, headers), or a request the document forbids that the server
accepts fails the run.

Checks left out, and why:
- positive_data_acceptance: a request the schema allows may still be refused by rules the contract
  states (API.md): an unknown agency or cursor is 422, a transition the state forbids 409, a stale
  If-Match 412, a period together with from/to 422.
- ignored_auth: it sends unknown tokens, and an address that sends twenty of them in a minute is
  refused for a while even with a good one (the contract's lockout), so the rest of the run would be
  429s. Authentication is tested in Swift (AuthTests) and by the contract tests.
- unsupported_method, allow_header_conformance: a method a path does not have is 404, not 405 with
  `Allow` (not part of the contract).
"""
import os
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance",
    "response_headers_conformance", "negative_data_rejection", "missing_required_header", "use_after_free",
    "ensure_resource_availability",
])
# Per operation and phase: about 28 operations, so a few hundred requests for each person.
EXAMPLES = int(os.environ.get("SCHEMA_EXAMPLES", "6"))


@pytest.mark.parametrize("person", ["chair", "ca"])  # a committee member, an officer
def test_the_server_answers_as_its_document_says(baton, person):
    token = baton.people[person]["token"]
    report = os.path.join(baton.data, f"st-{person}")
    started = time.time()
    run = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "run", baton.url + "/openapi.yaml",
         "--header", f"Authorization: Bearer {token}",
         "--checks", CHECKS, "--phases", "examples,coverage,fuzzing",
         "--max-examples", str(EXAMPLES), "--seed", "20261130", "--workers", "1", "--no-shrink",
         "--suppress-health-check", "all", "--request-timeout", "30",
         "--report", "junit", "--report-dir", report],
        cwd=baton.data,  # schemathesis keeps a cache of failures in its working directory: a throwaway one
        env={**os.environ, "SCHEMATHESIS_HOOKS": "hooks", "PYTHONPATH": HERE, "NO_COLOR": "1"},
        capture_output=True, text=True, timeout=600)
    print(f"{person}: {time.time() - started:.0f} s")
    print(run.stdout[-3000:])
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
