"""The PySide6 user interface. Only this package and ``fupin_desktop.app`` import Qt.

Where things are:
* ``main_window.py`` — the shell and ``PAGES``, the registry of sidebar pages (add your page there).
* ``tasks.py`` — ``run_in_background``: every service call that can take more than ~100 ms.
* ``events.py`` — ``bus().data_changed(changes, initiator)``: views refresh what changed.
* ``messages.py`` — the standard info / confirm / error dialogs (patch them in tests).
* ``widgets/`` — shared inputs (money, date, 身份证号, code lists, search box, inline field errors, saved state).
* ``views/<area>/`` — one folder per area: its page, dialogs and actions.
"""
