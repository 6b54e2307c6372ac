"""Which services run on the "typical weekday" of a GTFS feed.

We count passages on one real date, the Tuesday of the validity period with the most trips,
rather than on every service flagged ``tuesday=1``. Feeds often publish a school-term service
and a holiday service, both flagged for Tuesdays over overlapping ranges with calendar_dates
exceptions deciding which one runs: adding up the flags would count both. A Tuesday is a
plain working day (Mondays and Fridays carry more public holidays and bridges), and the
busiest one is a school-term day, the offer people rely on most of the year.
"""

import datetime

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TUESDAY = 1
MAX_DAYS = 400  # longer feeds: their first ~13 months are representative enough


def parse_date(text):
    """GTFS ``YYYYMMDD`` → date, or ValueError."""
    text = (text or "").strip()
    if len(text) != 8 or not text.isdigit():
        raise ValueError(text)
    return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))


def active_services(day, calendar, exceptions):
    """Services running on ``day``: calendar.txt weekly pattern, then calendar_dates.txt exceptions.

    ``calendar``: {service_id: (weekday flags tuple, start, end)};
    ``exceptions``: {date: {service_id: exception_type}} (1 added, 2 removed).
    """
    running = {
        service
        for service, (flags, start, end) in calendar.items()
        if start <= day <= end and flags[day.weekday()]
    }
    for service, kind in exceptions.get(day, {}).items():
        if kind == 1:
            running.add(service)
        else:
            running.discard(service)
    return running


def typical_weekday(calendar, exceptions, trips_per_service):
    """(date, services) of the busiest Tuesday; the busiest weekday if no Tuesday has a trip."""
    days = set(exceptions)
    for _, start, end in calendar.values():
        days.update(start + datetime.timedelta(n) for n in range(min((end - start).days + 1, MAX_DAYS)))
    weekdays = sorted(d for d in days if d.weekday() < 5)
    best = None
    for wanted in (lambda d: d.weekday() == TUESDAY, lambda d: True):
        for day in weekdays:
            if not wanted(day):
                continue
            services = active_services(day, calendar, exceptions)
            trips = sum(trips_per_service.get(s, 0) for s in services)
            if trips and (best is None or trips > best[2]):
                best = (day, services, trips)
        if best:
            return best[0], best[1]
    return None, set()
