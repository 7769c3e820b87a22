"""How a member's stored fields place him or her in the village's own figures (村基本情况): labour, students by
level, party members, disability, 低保/特困 persons. Defined once here; ``services.village_figures`` counts them.
"""
from __future__ import annotations

from fupin_desktop.domain.codes import LABOUR_SKILLS_WITH_LABOUR

# 在校生状况 → the level a 村基本情况 counts a student under. 中职 (secondary vocational) is 中专 and counted with
# 大中专, as the county forms do; 学龄前儿童/学前教育 are not students of any level here.
STUDENT_LEVELS: dict[str, str] = {"primary": "primary", "grade7": "secondary", "grade8": "secondary",
                                  "grade9": "secondary"}
for _n in (1, 2, 3):
    STUDENT_LEVELS[f"high{_n}"] = "secondary"
    STUDENT_LEVELS[f"vocational{_n}"] = "higher"
    STUDENT_LEVELS[f"higher_vocational{_n}"] = "higher"
for _n in (1, 2, 3, 4):
    STUDENT_LEVELS[f"technician{_n}"] = "higher"
for _n in (1, 2, 3, 4, 5):
    STUDENT_LEVELS[f"undergraduate{_n}"] = "higher"
STUDENT_LEVELS["postgraduate"] = "higher"
LEVEL_TITLES = {"higher": "大中专", "secondary": "中学", "primary": "小学"}


def student_level(schooling: str | None) -> str | None:
    """'higher' (大中专), 'secondary' (中学: 初中 and 普通高中), 'primary' (小学) or None (not in school)."""
    return STUDENT_LEVELS.get(schooling or "")


def has_labour(labour_skill: str | None) -> bool:
    """劳动力: 普通/技能/弱或半劳动力 (the national check tools' rule)."""
    return labour_skill in LABOUR_SKILLS_WITH_LABOUR


def is_disabled(health: str | None, disability_category: str | None) -> bool:
    """残疾人: 健康状况 includes 残疾, or a 残疾类别 is recorded."""
    return bool(disability_category) or "disabled" in (health or "").split(",")


def party_standing(political_status: str | None) -> str | None:
    """'party_member' (中共党员), 'probationary' (中共预备党员) or None."""
    return political_status if political_status in ("party_member", "probationary") else None
