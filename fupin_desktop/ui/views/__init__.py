"""One folder per area: its page, dialogs and actions. Pages are registered in ui/main_window.py (PAGES)."""
