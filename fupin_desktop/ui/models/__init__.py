"""Qt item models over the services (paged: never all rows in memory)."""
