"""Orchestration: use cases, Prefect flows, event publishing and the accord command line."""
