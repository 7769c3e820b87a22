"""工作日志 and 驻村考勤 pages."""
