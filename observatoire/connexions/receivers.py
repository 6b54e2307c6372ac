"""The portal's existing identity events, journaled where Django and django-axes announce them.

Django's own signals (login, logout, failed login, saves and many-to-many changes of accounts)
are the one place every path goes through: the login form, the admin's, OpenID Connect, the
shell. Who made a change to someone else's account comes from the request being served
(``context.current_actor``).
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from observatoire.accounts.demo import demo_accounts_refused

from . import journal, sessions
from .context import current_actor, current_request
from .enums import EventType
from .models import recorded_in

User = get_user_model()


def login_method(request):
    """How this login was made: ``request.login_method`` when the view says so, the OpenID
    Connect provider of the identite callback, the citizen's activation link, the admin's form or ours."""
    method = getattr(request, "login_method", None)
    if method:
        return method
    if request is None:
        return ""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace == "identite" and "slug" in match.kwargs:
        return match.kwargs["slug"]
    if match is not None and match.url_name == "activate":
        return "activation"
    if request.path.startswith("/admin/"):
        return "admin"
    return "password"


@receiver(user_logged_in, dispatch_uid="connexions_login")
def _logged_in(sender, request, user, **kwargs):
    if request is None:
        return
    method = login_method(request)
    if hasattr(request, "session"):
        sessions.opened(request, user, method)
    # Journaled once the view is done (ConnexionsMiddleware), unless the view recorded the login
    # itself with more to say (an OpenID Connect callback: the provider, acr, amr).
    request._connexions_pending_login = (user, method)


def record_pending_login(request):
    pending = getattr(request, "_connexions_pending_login", None)
    if pending is None:
        return
    user, method = pending
    request._connexions_pending_login = None
    if (EventType.LOGIN, user.pk) not in recorded_in(request):
        journal.record(EventType.LOGIN, request=request, user=user, method=method)


@receiver(user_logged_out, dispatch_uid="connexions_logout")
def _logged_out(sender, request, user, **kwargs):
    if request is None or user is None:
        return
    if (EventType.LOGOUT, user.pk) not in recorded_in(request):
        journal.record(EventType.LOGOUT, request=request, user=user, method=login_method(request))
    sessions.closed(request.session.session_key)


def _failure_reason(request, account):
    # axes sets axes_failures_since_start only when it counts the attempt; a refusal during a
    # lock is not counted.
    counted = getattr(request, "axes_failures_since_start", None) is not None
    if getattr(request, "axes_locked_out", False) and not counted:
        return "compte verrouillé (trop d'échecs)"
    if account is None:
        return "compte inconnu"
    if not account.is_active:
        return "compte désactivé"
    if demo_accounts_refused(account):
        return "compte de démonstration refusé hors développement"
    return "mot de passe incorrect"


@receiver(user_login_failed, dispatch_uid="connexions_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    email = str(credentials.get("username") or credentials.get("email") or "").strip()
    account = User.objects.filter(email__iexact=email).first() if email else None
    journal.record(
        EventType.LOGIN_FAILED,
        request=request,
        user=account,
        email=email,
        method=login_method(request),
        reason=_failure_reason(request, account),
    )


@receiver(user_locked_out, dispatch_uid="connexions_lockout")
def _locked_out(sender, request, username, ip_address, **kwargs):
    if getattr(request, "axes_failures_since_start", None) is None:
        return  # an attempt during a lock: already journaled as a failure
    account = User.objects.filter(email__iexact=username).first() if username else None
    journal.record(
        EventType.LOCKOUT,
        request=request,
        user=account,
        email=username or "",
        failures=request.axes_failures_since_start,
    )


def _actor_for(user):
    actor = current_actor()
    return actor if actor is not None and actor.pk != user.pk else None


@receiver(pre_save, sender=User, dispatch_uid="connexions_account_before")
def _before_account_save(sender, instance, update_fields=None, raw=False, **kwargs):
    instance._connexions_was_active = None
    instance._connexions_had_password = None
    if raw or instance._state.adding:
        return
    watch_active = update_fields is None or "is_active" in update_fields
    watch_password = getattr(instance, "_password", None) is not None
    if not (watch_active or watch_password):
        return
    before = User.objects.filter(pk=instance.pk).values_list("is_active", "password").first()
    if before is None:
        return
    if watch_active:
        instance._connexions_was_active = before[0]
    # An account given its first password right after it was created is not a change.
    instance._connexions_had_password = bool(before[1])


@receiver(post_save, sender=User, dispatch_uid="connexions_account_after")
def _after_account_save(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    request = current_request()
    if getattr(instance, "_password", None) is not None and instance._connexions_had_password:
        _password_changed(instance, request)
    was_active = getattr(instance, "_connexions_was_active", None)
    if was_active is not None and was_active != instance.is_active:
        from observatoire.accounts import lifecycle

        if instance.is_active:
            journal.record(
                EventType.ACCOUNT_ENABLED, request=request, user=instance, actor=_actor_for(instance)
            )
        else:
            lifecycle.revoke_access(
                instance,
                actor=getattr(instance, "_connexions_actor", None) or _actor_for(instance),
                request=request,
                reason=getattr(instance, "_connexions_disable_reason", ""),
            )
    instance._connexions_was_active = None


def _password_changed(user, request):
    reset = (
        request is not None and getattr(request.resolver_match, "url_name", "") == "password_reset_confirm"
    )
    actor = _actor_for(user)
    journal.record(
        EventType.PASSWORD_RESET if reset else EventType.PASSWORD_CHANGED,
        request=request,
        user=user,
        actor=actor,
        method="admin" if actor is not None else "",
    )
    # Django already refuses the other sessions (their password hash no longer matches): their rows go too.
    own = request.session.session_key if request is not None and request.user == user else None
    sessions.end_all(user, except_key=own)


def _group_names(pks):
    from django.contrib.auth.models import Group

    return sorted(Group.objects.filter(pk__in=pks).values_list("name", flat=True))


def _role_event(user, action, names):
    if not names:
        return
    event = EventType.ROLE_ADDED if action == "add" else EventType.ROLE_REMOVED
    for name in names:
        journal.record(event, request=current_request(), user=user, actor=_actor_for(user), role=name)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="connexions_roles")
def _roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear":
        # clear() says nothing of what it removes: note it before.
        if reverse:
            instance._connexions_cleared = list(instance.user_set.all())
        else:
            instance._connexions_cleared = _group_names(instance.groups.values_list("pk", flat=True))
        return
    if action == "post_clear":
        cleared = getattr(instance, "_connexions_cleared", [])
        if reverse:
            for user in cleared:
                _role_event(user, "remove", [instance.name])
        else:
            _role_event(instance, "remove", cleared)
        return
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    kind = "add" if action == "post_add" else "remove"
    if reverse:
        for user in User.objects.filter(pk__in=pk_set):
            _role_event(user, kind, [instance.name])
    else:
        _role_event(instance, kind, _group_names(pk_set))


def _insee(commune_pks):
    from observatoire.territoires.models import Commune

    return sorted(Commune.objects.filter(pk__in=commune_pks).values_list("insee", flat=True))


def _scope_event(user, added=(), removed=()):
    if added or removed:
        journal.record(
            EventType.SCOPE_CHANGED,
            request=current_request(),
            user=user,
            actor=_actor_for(user),
            added=list(added),
            removed=list(removed),
        )


@receiver(m2m_changed, sender=User.communes.through, dispatch_uid="connexions_scope")
def _scope_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse:  # a commune's agents changed: rare, but the journal speaks of accounts
        if action in ("post_add", "post_remove") and pk_set:
            key = "added" if action == "post_add" else "removed"
            for user in User.objects.filter(pk__in=pk_set):
                _scope_event(user, **{key: [instance.insee]})
        return
    if action == "pre_clear":
        instance._connexions_cleared = _insee(instance.communes.values_list("pk", flat=True))
    elif action == "post_clear":
        _scope_event(instance, removed=getattr(instance, "_connexions_cleared", []))
    elif action == "post_add" and pk_set:
        _scope_event(instance, added=_insee(pk_set))
    elif action == "post_remove" and pk_set:
        _scope_event(instance, removed=_insee(pk_set))
