"""The write step most importers share: count what is new against what is stored, then upsert."""

from django.db import transaction


def upsert(objects, summary, *, keys, update_fields, dry_run=False, on_commit=None):
    """Insert or update ``objects`` on their natural key ``keys`` (field names: ``["commune", "annee"]``).

    The summary gets the counts of added and updated rows, also in a dry run, which writes nothing.
    The write is one statement per batch inside one transaction; ``on_commit`` (typically what sends
    the indicators' recompute to Celery) runs once it has committed.
    """
    if not objects:
        return summary
    model = type(objects[0])
    attnames = [model._meta.get_field(key).attname for key in keys]
    existing = set(model.objects.values_list(*attnames))
    summary.updated = sum(tuple(getattr(o, name) for name in attnames) in existing for o in objects)
    summary.inserted = len(objects) - summary.updated
    if dry_run:
        return summary
    with transaction.atomic():
        model.objects.bulk_create(
            objects,
            update_conflicts=True,
            unique_fields=keys,
            update_fields=[*update_fields, "updated_at"],
            batch_size=2000,
        )
        if on_commit is not None:
            transaction.on_commit(on_commit)
    return summary
