from celery import shared_task


@shared_task(name="mobilite.recompute_indicators")
def recompute_indicators():
    """After each import: the mobility indicators are recomputed from the stored rows."""
    from .indicateurs import recompute

    return recompute()
