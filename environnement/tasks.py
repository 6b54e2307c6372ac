from celery import shared_task


@shared_task(name="environnement.recompute_indicators")
def recompute_indicators():
    """After each import: the environnement indicators are recomputed from the stored rows."""
    from .indicateurs import recompute

    return recompute()


def schedule_recompute():
    """After an import's commit: the recompute goes to a worker (a dead broker is caught up later)."""
    from observatoire.core.publish import publish_quietly

    publish_quietly(recompute_indicators)
