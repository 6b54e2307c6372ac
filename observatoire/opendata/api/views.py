"""The tabular API: the rows of every published dataset, filtered, sorted and paged, in JSON or CSV.

In the spirit of data.gouv.fr's « API tabulaire » (same parameters: ``colonne__exact=``,
``colonne__in=a,b``, ``colonne__less=``, ``colonne__contains=``, ``colonne__sort=asc``, ``page``,
``page_size``, ``columns``; same answer: ``data``, ``links``, ``meta``). It reads the published
version (``opendata.tabular``), never the live tables, and only of datasets the open-data portal
serves: public and not withdrawn (``JeuDeDonnees.objects.publishable()``, the rule of the file
downloads). Rows of non-public datasets never leave through it, whoever asks: those go through the
row gate's own downloads (``/api/v1/catalogue/<slug>/telecharger/``, ADR 7).
"""

import hashlib
import io
import re
from urllib.parse import urlencode

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.contrib.auth.decorators import login_not_required
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from gouvernance.models import JeuDeDonnees
from observatoire.core.api.schema import error
from observatoire.core.params import bounded_int
from observatoire.core.spreadsheets import FORMULA_STARTS

from .. import tabular
from ..models import Ressource
from . import serializers

PAGE_SIZE = 20
MAX_PAGE_SIZE = 200
CSV_BATCH = 10_000

FILTERS_HELP = (
    "Filtres sur les colonnes du jeu (voir son profil) : `colonne__opérateur=valeur`, combinés par ET. "
    "Opérateurs : "
    + "; ".join(f"`{name}` : {label}" for name, label in tabular.OPERATORS.items())
    + ". Exemple : `statut__exact=resolu&date_signalement__greater=2025-01-01&commune__sort=asc`."
)
FILTERS = OpenApiParameter(
    "filtres",
    OpenApiTypes.OBJECT,
    style="form",
    explode=True,
    description=FILTERS_HELP,
    required=False,
)
COLUMNS = OpenApiParameter(
    "columns",
    OpenApiTypes.STR,
    description="Colonnes à rendre, séparées par des virgules (toutes par défaut).",
)
PAGE = OpenApiParameter("page", OpenApiTypes.INT, description="Numéro de page (1 par défaut).")
PAGE_SIZE_PARAM = OpenApiParameter(
    "page_size",
    OpenApiTypes.INT,
    description=f"Lignes par page ({PAGE_SIZE} par défaut, {MAX_PAGE_SIZE} au plus).",
)
NOT_FOUND = error("Jeu inconnu ou non publié en open data, ou page au-delà de la dernière.")


def served_datasets():
    return JeuDeDonnees.objects.publishable().filter(publications__isnull=False).distinct()


class PublishedVersion:
    """The latest published version of the dataset named in the URL, ready to be queried."""

    def __init__(self, slug):
        self.parquet = (
            Ressource.objects.filter(
                format="parquet",
                publication__jeu__slug=slug,
                publication__jeu__in=JeuDeDonnees.objects.publishable(),
            )
            .select_related("publication__jeu")
            .order_by("-publication__version")
            .first()
        )
        if self.parquet is None:
            raise NotFound("Jeu inconnu, ou sans version publiée en open data.")
        self.publication = self.parquet.publication
        self.jeu = self.publication.jeu
        version = tabular.open_version(self.parquet)
        self.table, self.schema, self.columns = version.table, version.schema, version.columns

    def etag(self, request):
        """A version's answer to a given address never changes: a validator from both (weak: the
        JSON is equivalent, not byte-for-byte promised)."""
        address = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
        return f'W/"{self.parquet.sha256[:32]}-{address[:16]}"'

    def not_modified(self, request):
        """A 304 when the client holds this answer already (If-None-Match), else None."""
        answered = get_conditional_response(request, etag=self.etag(request))
        if answered is not None:
            answered["ETag"] = self.etag(request)
        return answered

    def revalidated(self, request, response):
        response["ETag"] = self.etag(request)
        response["Cache-Control"] = "public, no-cache"  # a new version changes the answer
        return response

    def query(self, params):
        try:
            query, conditions = tabular.parse_query(params, self.columns)
            query.mask = tabular.build_mask(self.table, conditions)
        except tabular.BadQuery as error:
            raise ValidationError(error.errors) from None
        return query


def _int_param(request, name, default, maximum):
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        return bounded_int(raw, 1, maximum)
    except ValueError:
        raise ValidationError({name: f"Un entier entre 1 et {maximum} est attendu."}) from None


def _links(request, slug):
    return {
        "profile": request.build_absolute_uri(reverse("opendata-api:profil", args=[slug])),
        "data": request.build_absolute_uri(reverse("opendata-api:lignes", args=[slug])),
        "csv": request.build_absolute_uri(reverse("opendata-api:lignes-csv", args=[slug])),
    }


@method_decorator(login_not_required, name="dispatch")
class JeuxTabulairesView(APIView):
    """The datasets the tabular API serves (public, published), with the addresses to query them."""

    permission_classes = [AllowAny]

    @extend_schema(responses=serializers.JeuTabulaireSerializer(many=True))
    def get(self, request):
        jeux = served_datasets().order_by("slug").prefetch_related("publications")
        return Response(
            [
                {
                    "jeu": jeu.slug,
                    "titre": jeu.titre,
                    "version": jeu.latest.version,
                    "lignes": jeu.latest.lignes,
                    "links": _links(request, jeu.slug),
                }
                for jeu in jeux
            ]
        )


@method_decorator(login_not_required, name="dispatch")
class ProfilView(APIView):
    """A dataset's columns, their types and the filters each one takes, for its published version."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: serializers.ProfilSerializer, 404: NOT_FOUND})
    def get(self, request, slug):
        version = PublishedVersion(slug)
        if not_modified := version.not_modified(request):
            return not_modified
        response = Response(
            {
                "jeu": slug,
                "titre": version.jeu.titre,
                "version": version.publication.version,
                "publiee_le": version.publication.created_at,
                "lignes": version.table.num_rows,
                "schema_table": bool(version.schema),
                "colonnes": [
                    {
                        "nom": column.name,
                        "type": column.type,
                        "description": column.description,
                        "operateurs": _operators(column),
                    }
                    for column in version.columns
                ],
                "links": _links(request, slug),
            }
        )
        return version.revalidated(request, response)


def _operators(column):
    return [name for name in tabular.OPERATORS if column.type == "string" or name not in tabular.TEXT_ONLY]


@method_decorator(login_not_required, name="dispatch")
class LignesView(APIView):
    """Rows of the published version, filtered (``colonne__opérateur=valeur``), sorted and paged."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[FILTERS, COLUMNS, PAGE, PAGE_SIZE_PARAM],
        responses={200: serializers.LignesSerializer, 404: NOT_FOUND},
    )
    def get(self, request, slug):
        page = _int_param(request, "page", 1, tabular.MAX_ROWS)
        page_size = _int_param(request, "page_size", PAGE_SIZE, MAX_PAGE_SIZE)
        version = PublishedVersion(slug)
        if not_modified := version.not_modified(request):
            return not_modified
        query = version.query(request.query_params)
        total, rows = tabular.select(version.table, query, (page - 1) * page_size, page_size)
        if page > 1 and (page - 1) * page_size >= total:
            raise NotFound(f"Page {page} au-delà de la dernière ({total} lignes, {page_size} par page).")
        response = Response(
            {
                "data": tabular.rows(rows),
                "links": {
                    "profile": request.build_absolute_uri(reverse("opendata-api:profil", args=[slug])),
                    "next": _page_url(request, page + 1) if page * page_size < total else None,
                    "prev": _page_url(request, page - 1) if page > 1 else None,
                },
                "meta": {
                    "page": page,
                    "page_size": page_size,
                    "total": total,
                    "version": version.publication.version,
                },
            }
        )
        return version.revalidated(request, response)


def _page_url(request, page):
    params = request.query_params.copy()
    params["page"] = page
    return request.build_absolute_uri(f"{request.path}?{urlencode(params, doseq=True)}")


@method_decorator(login_not_required, name="dispatch")
class LignesCSVView(APIView):
    """Every row matching the filters, sorted, as CSV (UTF-8, comma; formulas neutralised)."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[FILTERS, COLUMNS],
        responses={(200, "text/csv"): OpenApiTypes.BINARY, 404: NOT_FOUND},
    )
    def get(self, request, slug):
        version = PublishedVersion(slug)
        if not_modified := version.not_modified(request):
            return not_modified
        query = version.query(request.query_params)
        total, rows = tabular.select(version.table, query, 0, tabular.MAX_ROWS)
        response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
        name = f"{slug}-v{version.publication.version}-extrait.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["X-Total-Count"] = str(total)
        return version.revalidated(request, response)


def _csv_lines(table):
    """The rows as CSV, written by Arrow batch by batch; text that a spreadsheet would run as a
    formula gets a leading quote, as every CSV of the portal (``core.spreadsheets``)."""
    first = True
    for batch in table.to_batches(CSV_BATCH):
        safe = pa.table([_safe_text(column) for column in batch.columns], names=batch.schema.names)
        sink = io.BytesIO()
        pacsv.write_csv(safe, sink, pacsv.WriteOptions(include_header=first, quoting_style="needed"))
        first = False
        yield sink.getvalue()
    if first:  # no row: the header alone
        yield (",".join(table.column_names) + "\n").encode("utf-8")


_FORMULA = "^[" + re.escape("".join(FORMULA_STARTS)) + "]"


def _safe_text(column):
    """``spreadsheets.safe_cell`` over a whole Arrow column."""
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if not pa.types.is_string(column.type):
        return column
    risky = pc.match_substring_regex(column, _FORMULA)
    return pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column)
