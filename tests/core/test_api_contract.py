"""The API keeps its published contract: schemathesis drives every operation of /api/schema/ on
the live test server, anonymously and with a token of a broad-rights account.

Checked on every answer: no server error, and a body that matches the schema of its status code
(so the schema must describe the errors too). Positive and negative examples, a few per
operation, so that the whole run stays within a couple of minutes on two cores.

Each operation is driven through its own Hypothesis strategy (``APIOperation.as_strategy``):
schemathesis's lazy pytest loader (``schemathesis.pytest.from_fixture``), the way to reach a
server started by a fixture, fails under pytest 9 (it rewrites the private ``Function._nodeid``).
"""

import pytest
import schemathesis
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from observatoire.accounts.enums import Role
from signalements import services
from signalements.demo import load_categories
from signalements.enums import Ouverture, Status
from signalements.models import Categorie, CategorieCommune, Signalement
from tests.factories import UserFactory
from tests.indicateurs.valeurs import indicateurs  # noqa: F401 (fixture)

EXAMPLES_PER_OPERATION = 30
CHECKS = [not_a_server_error, response_schema_conformance]
CONTRACT = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def reports(marseille):
    """A few reports in Marseille, so that lists, details and maps have rows to describe."""
    load_categories()
    proprete = Categorie.objects.get(code="proprete")
    CategorieCommune.objects.update_or_create(
        commune=marseille, categorie=proprete, defaults={"ouverture": Ouverture.TOUS}
    )
    made = [
        services.file_signalement(
            user=AnonymousUser(),
            categorie=proprete,
            description=f"Dépôt sauvage n° {i}.",
            email="habitante@exemple.fr",
            lon=5.3741 + i * 0.001,
            lat=43.2951,
        )
        for i in range(3)
    ]
    Signalement.objects.filter(pk=made[0].pk).update(status=Status.RESOLU, description_validee=True)
    return made


@pytest.fixture
def token(territoire):
    user = UserFactory(role=Role.GESTIONNAIRE_SIGNALEMENTS, is_staff=True, is_superuser=True)
    return Token.objects.create(user=user).key


def run_contract(schema, base_url, headers, known):
    """(operations, requests, failures) over every operation: positive, negative, known values."""
    operations, requests, failures = 0, 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        passes = {mode.value: operation.as_strategy(mode) for mode in GenerationMode}
        # Random values almost never name a stored row or a point in the territory: a last pass
        # uses known ones, so that success answers are checked against their schema too.
        path = {p.name: known[p.name] for p in operation.path_parameters if p.name in known}
        query = {p.name: known[p.name] for p in operation.query if p.name in ("lat", "lon")}
        if path or query:
            passes["valeurs connues"] = operation.as_strategy(
                path_parameters=path or None, query=query or None
            )
        for label, strategy in passes.items():

            @given(case=strategy)
            @CONTRACT
            def check(case):
                nonlocal requests
                requests += 1
                response = case.call(base_url=base_url, headers=headers)
                case.validate_response(response, checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                pass  # no invalid value exists for this operation (e.g. a free-text path segment alone)
            except Exception as error:  # noqa: BLE001 - every failure is listed, then the test fails
                failures.append(f"{operation.label} ({label}): {error}"[:3000])
    return operations, requests, failures


@pytest.mark.parametrize("identity", ["anonyme", "jeton"])
def test_every_api_operation_keeps_its_contract(live_server, reports, indicateurs, token, identity):  # noqa: F811
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    headers = {"Authorization": f"Token {token}"} if identity == "jeton" else {}
    known = {"lat": 43.2951, "lon": 5.3741, "id": reports[1].pk, "code": "taux-vacance"}
    operations, requests, failures = run_contract(schema, live_server.url, headers, known)
    print(f"schemathesis ({identity}) : {operations} opérations, {requests} requêtes, {len(failures)} échecs")
    assert operations >= 15
    assert failures == [], "\n\n".join(failures)
