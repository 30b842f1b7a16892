"""The planning workflow: plans, generation, targets, overrides, scenarios and assessment."""
