from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.decorators import method_decorator
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import ListView

from observatoire.core.spreadsheets import neutralised_select

from . import journal, sessions
from .enums import EventType
from .forms import JournalFilterForm
from .models import ActiveSession, EvenementConnexion
from .perms import reads_journal


def rssi_only(view):
    def wrapped(request, *args, **kwargs):
        if not reads_journal(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def csv_blocks(events):
    """The events as CSV, written by PostgreSQL's COPY (a year of a metropolis's logins is
    millions of rows). Addresses, user agents and reasons come from clients: every text column is
    neutralised against formulas (core.spreadsheets); the JSON details start with « { »."""
    labels = " ".join(
        f"WHEN '{value}' THEN '{label.replace(chr(39), chr(39) * 2)}'" for value, label in EventType.choices
    )
    rows, params = (
        events.order_by("-at", "-pk")
        .values("at", "type", "email", "actor_email", "method", "ip", "user_agent", "details")
        .query.sql_with_params()
    )
    # Columns and labels are declared in code; the filters' values stay bound parameters.
    sql = (
        "SELECT to_char(at AT TIME ZONE %s, 'YYYY-MM-DD\"T\"HH24:MI:SS') AS date, "  # noqa: S608
        f'CASE type {labels} ELSE type END AS "événement", email AS compte, actor_email AS auteur, '
        'method AS "méthode", coalesce(host(ip), \'\') AS "adresse IP", user_agent AS navigateur, '
        "CASE WHEN details = '{}'::jsonb THEN '' ELSE details::text END AS \"détails\" "
        f"FROM ({rows}) e"
    )
    params = (settings.TIME_ZONE, *params)
    yield "\ufeff".encode()  # French spreadsheets open UTF-8 only with a BOM
    with connection.cursor() as cursor:
        raw = cursor.cursor
        select = neutralised_select(raw, sql, params)
        with raw.copy(
            f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')", params
        ) as copy:
            for block in copy:
                yield bytes(block)


@method_decorator(rssi_only, name="dispatch")
class JournalView(ListView):
    """The RSSI browses, filters and exports every identity event of the past year."""

    template_name = "connexions/journal.html"
    context_object_name = "evenements"
    paginate_by = 100

    def get_queryset(self):
        self.form = JournalFilterForm(self.request.GET or None)
        events = EvenementConnexion.objects.all()
        return self.form.filter(events) if self.request.GET else events

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return self.csv(self.get_queryset())
        return super().get(request, *args, **kwargs)

    def csv(self, events):
        response = StreamingHttpResponse(csv_blocks(events), content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="journal-connexions-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        return response

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        query["format"] = "csv"
        return super().get_context_data(form=self.form, csv_query=query.urlencode(), **kwargs)


def public_id(session_key):
    """What names a session in the page and its forms: never the key itself, a bearer secret."""
    return salted_hmac("connexions.session", session_key).hexdigest()[:20]


class MesSessionsView(ListView):
    """« Mes sessions »: where my account is signed in; I may end any other session."""

    template_name = "connexions/mes_sessions.html"
    context_object_name = "sessions_actives"

    def get_queryset(self):
        rows = list(sessions.live(self.request.user))
        for row in rows:
            row.public_id = public_id(row.session_key)
            row.current = row.session_key == self.request.session.session_key
        return rows


class TerminerSessionView(View):
    def post(self, request, public=None):
        current = request.session.session_key
        if public is None:  # every other session
            ended = sessions.end_all(request.user, except_key=current)
            if ended:
                journal.record(
                    EventType.SESSION_ENDED, request=request, user=request.user, count=ended, scope="autres"
                )
            messages.success(
                request, ngettext("%d autre session fermée.", "%d autres sessions fermées.", ended) % ended
            )
            return redirect("connexions:mes-sessions")
        rows = ActiveSession.objects.filter(user=request.user)
        active = next(
            (row for row in rows if constant_time_compare(public_id(row.session_key), public)), None
        )
        if active is None:
            raise Http404("Cette session n'existe plus.")
        journal.record(EventType.SESSION_ENDED, request=request, user=request.user, count=1, scope="une")
        if active.session_key == current:
            logout(request)  # ending this very session is a logout (journaled, cookie cleared)
            return HttpResponseRedirect(reverse("login"))
        sessions.end(active)
        messages.success(request, "La session a été fermée : l'appareil qui l'utilisait est déconnecté.")
        return redirect("connexions:mes-sessions")
