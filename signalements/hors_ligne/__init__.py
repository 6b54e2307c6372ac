"""Offline filing for field agents: installable page, service worker, replay of pending reports."""
