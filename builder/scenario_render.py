"""Template context for the scenario player (placeholder: filled in by the scenario work)."""

from __future__ import annotations


def scenario_context(scenario_id, scenario, version, ctx, uid) -> dict:
    return {"id": scenario_id, "uid": uid, "title": scenario.title, "version": version}
