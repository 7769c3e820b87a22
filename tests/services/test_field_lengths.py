"""A text longer than its database column is a Chinese ValidationError naming the field, before the database
sees it (PostgreSQL would refuse it with an error that prints the whole statement; SQLite would store it)."""
from __future__ import annotations

import pytest

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.services.households import HouseholdInput, MemberInput


@pytest.mark.parametrize("field, limit", [("address", 256), ("group_name", 32), ("note", 2000)])
def test_household_text_too_long(services, village, field, limit):
    with pytest.raises(ValidationError, match=f"最多{limit}个字") as e:
        services.households.create(HouseholdInput(head_name="王五", **{field: "长" * (limit + 1)}),
                                   [MemberInput(name="王五", relation="head")])
    assert e.value.field == field
    services.households.create(HouseholdInput(head_name="王五", **{field: "长" * limit}),
                               [MemberInput(name="王五", relation="head")])  # exactly the limit fits


@pytest.mark.parametrize("field, limit", [("work_place", 128), ("person_number", 32), ("note", 2000)])
def test_member_text_too_long(services, village, field, limit):
    with pytest.raises(ValidationError, match=f"最多{limit}个字") as e:
        services.households.create(HouseholdInput(head_name="王五"),
                                   [MemberInput(name="王五", relation="head", **{field: "长" * (limit + 1)})])
    assert e.value.field.endswith(field)  # members[0].work_place
