"""What the satisfaction tests share: a report walked to « résolu » by its gestionnaire and service."""

from signalements import workflow
from signalements.enums import Status

RESOLUTION = ((Status.TRANSMIS, "gestionnaire"), (Status.PRIS_EN_CHARGE, "agent"), (Status.RESOLU, "agent"))


def resolve(report, gestionnaire, agent):
    for status, who in RESOLUTION:
        workflow.transition(report, status, user=gestionnaire if who == "gestionnaire" else agent)
    report.refresh_from_db()
    return report
