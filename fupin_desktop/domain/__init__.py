"""Plain-Python domain layer: code lists, value types, rules (no Qt, no SQLAlchemy)."""
