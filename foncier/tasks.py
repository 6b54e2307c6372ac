from celery import shared_task


@shared_task(name="foncier.recompute_indicators")
def recompute_indicators():
    """After each gisements, PLU or consumption import: the foncier indicators from the stored rows."""
    from .consommation_indicateurs import recompute

    return recompute()


@shared_task(name="foncier.recompute_dvf")
def recompute_dvf():
    """After each DVF import: the market indicators (habitat and foncier) from the stored mutations."""
    from .dvf.indicateurs import recompute

    return recompute()
