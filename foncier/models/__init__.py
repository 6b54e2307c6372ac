"""Foncier models: DVF mutations (marchés), gisements and urban-planning zones, land consumption."""

from .dvf import *  # noqa: F403
from .gisements import *  # noqa: F403
