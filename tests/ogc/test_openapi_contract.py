"""/ogc/api is a contract: schemathesis drives every operation it declares on the live server, with
random and invalid parameters (bbox, crs, datetime, limit…), and checks that no answer is a server
error and every body matches the schema declared for its status code."""

import pytest
import schemathesis

from tests.core.test_api_contract import run_contract


@pytest.mark.parametrize("identity", ["anonyme", "jeton"])
def test_every_ogc_operation_keeps_its_contract(live_server, territoire, agent_token, identity):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/ogc/api")
    headers = {"Authorization": f"Token {agent_token}"} if identity == "jeton" else {}
    known = {"collectionId": "communes", "featureId": "13001"}
    operations, requests, failures = run_contract(schema, f"{live_server.url}/ogc", headers, known)
    summary = f"{operations} opérations, {requests} requêtes, {len(failures)} échec(s)"
    print(f"schemathesis OGC ({identity}) : {summary}")
    assert operations == 7
    assert failures == [], "\n\n".join(failures)
