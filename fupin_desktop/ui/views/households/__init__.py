"""households pages."""
