"""Typed errors: Chinese messages, their place, and survival across pickling (thread/process hand-off)."""

import pickle

from fupin_desktop.domain.errors import (
    ConflictError,
    FupinError,
    ImportRowError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)


def test_messages_and_places():
    error = ValidationError("id_number", "身份证号校验位不对，应为 X")
    assert (error.field, error.message, str(error)) == ("id_number", "身份证号校验位不对，应为 X", error.message)
    row = ImportRowError("农户花名册", 5, "身份证号", "校验位不对")
    assert str(row) == "工作表“农户花名册”第5行“身份证号”列：校验位不对"
    assert (row.sheet, row.row, row.column) == ("农户花名册", 5, "身份证号")
    assert str(NotFoundError("农户", "abc")).startswith("找不到农户")
    for error_class in (PermissionDeniedError, ConflictError):
        assert isinstance(error_class("不行"), FupinError)
        assert error_class("不行").message == "不行"


def test_pickle_round_trip():
    for error in (
        ValidationError("amount", "金额格式不对：x"),
        ImportRowError("农户花名册", 5, "身份证号", "校验位不对"),
        NotFoundError("项目", 42),
        ConflictError("户编号已存在"),
    ):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and str(copy) == str(error) and copy.args == error.args
