from axes.handlers.proxy import AxesProxyHandler
from celery import shared_task

LOGIN_LOG_RETENTION_DAYS = 90


@shared_task(name="accounts.purge_login_attempts")
def purge_login_attempts():
    """Forget login attempts and access logs older than the retention delay (GDPR)."""
    return AxesProxyHandler.reset_logs(age_days=LOGIN_LOG_RETENTION_DAYS)
