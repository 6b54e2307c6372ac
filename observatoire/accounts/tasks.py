from axes.handlers.proxy import AxesProxyHandler
from celery import shared_task

LOGIN_LOG_RETENTION_DAYS = 90


@shared_task(name="accounts.purge_login_attempts")
def purge_login_attempts():
    """Forget login attempts and access logs older than the retention delay (GDPR)."""
    return AxesProxyHandler.reset_logs(age_days=LOGIN_LOG_RETENTION_DAYS)


@shared_task(name="accounts.disable_inactive_accounts")
def disable_inactive_accounts():
    """Warn staff accounts a week before they are disabled for inactivity, then disable them."""
    from . import lifecycle

    report = lifecycle.run()
    return {"warned": len(report.warned), "disabled": len(report.disabled), "busy": report.busy}
