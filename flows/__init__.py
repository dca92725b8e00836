"""Prefect flows and the network: the only package that imports prefect, reads settings or fetches."""

import os

# No network here and no telemetry wanted anywhere: set before prefect / great_expectations are imported.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
