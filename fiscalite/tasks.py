from observatoire.core.coalesce import coalesced_task, schedule


@coalesced_task(name="fiscalite.recompute_indicators")
def recompute_indicators():
    """After imports: the fiscalite indicators are recomputed from the stored rows, once for all the
    imports committed before the run started (observatoire.core.coalesce)."""
    from .indicateurs import recompute

    return recompute()


def schedule_recompute():
    """After an import's commit: the recompute goes to a worker, with the time it was asked for."""
    schedule(recompute_indicators)
