from observatoire.core.coalesce import coalesced_task, schedule


@coalesced_task(name="foncier.recompute_indicators")
def recompute_indicators():
    """After each gisements, PLU, consumption or Sitadel import: the foncier indicators from the
    stored rows, once for all the imports committed before the run started."""
    from .consommation_indicateurs import recompute

    return recompute()


@coalesced_task(name="foncier.recompute_dvf")
def recompute_dvf():
    """After DVF imports: the market indicators (habitat and foncier) from the stored mutations,
    once for all the imports committed before the run started."""
    from .dvf.indicateurs import recompute

    return recompute()


def schedule_recompute():
    """After a gisements, PLU, consumption or Sitadel import's commit (observatoire.core.coalesce)."""
    schedule(recompute_indicators)


def schedule_recompute_dvf():
    """After a DVF import's commit (observatoire.core.coalesce)."""
    schedule(recompute_dvf)
