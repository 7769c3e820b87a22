"""Village-scope settings (declared in settings.py), stored in the database so they travel with the data."""
from __future__ import annotations

import json
from typing import Any

from fupin_desktop import settings as declared
from fupin_desktop.services.base import Changes, Outcome, Service
from fupin_desktop.storage.models import SettingValue
from fupin_desktop.storage.queries import common


class SettingsService(Service):
    def get(self, key: str) -> Any:
        spec = declared.declared(key)
        with self.read() as s:
            row = common.find_live(s, SettingValue, key=key)
            stored = json.loads(row.value) if row else spec.default  # read before the session expires the row
        return declared.coerce(key, stored)

    def all(self) -> dict[str, Any]:
        with self.read() as s:
            stored = {r.key: json.loads(r.value) for r in common.all_live(s, SettingValue)}
        return {x.key: declared.coerce(x.key, stored.get(x.key, x.default))
                for x in declared.SETTINGS if x.scope == "village"}

    def set(self, key: str, value: Any) -> Outcome[Any]:
        spec = declared.declared(key)
        if spec.scope != "village":
            raise KeyError(f"{key} is a machine setting")
        self.require_admin()  # settings change what everyone sees: administrators only
        value = declared.coerce(key, value)
        with self.write() as s:
            row = common.find_live(s, SettingValue, key=key)
            if row is None:
                row = SettingValue(key=key, value="")
                s.add(row)
            row.value = json.dumps(value, ensure_ascii=False)
        return Outcome(value, Changes.of_session(s))
