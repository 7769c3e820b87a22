"""防返贫监测 page (monitoring lifecycle, measures, risk prompts, monitoring lines)."""
