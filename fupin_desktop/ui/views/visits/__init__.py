"""visits pages."""
