"""problems pages."""
