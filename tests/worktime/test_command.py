from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("due-date", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.django_db
def test_due_date_command_prints_the_iso_instant_on_its_last_line(places):
    assert run("--start", "2026-02-13 16:00", "--working-days", "3") == ["2026-02-25T16:00:00+07:00"]


@pytest.mark.django_db
def test_due_date_command_explain_prints_each_step_then_the_instant(places):
    lines = run("--start", "13/02/2026 17:30", "--working-days", "3", "--explain")
    assert lines[0] == "1. Tiếp nhận lúc 17:30 thứ Sáu 13/02/2026."
    assert "Bắt đầu tính thời hạn từ 07:00 thứ Hai 23/02/2026" in lines[1]
    assert lines[-2] == f"{len(lines) - 1}. Hạn trả kết quả: 17:00 thứ Tư 25/02/2026."
    assert lines[-1] == "2026-02-25T17:00:00+07:00"


@pytest.mark.django_db
def test_due_date_command_cutoff_hours_and_calendar_days(places):
    assert run("--start", "2026-02-10 15:30", "--working-days", "1", "--cutoff", "15:00")[-1] == (
        "2026-02-11T17:00:00+07:00"
    )
    assert run("--start", "2026-03-02 10:00", "--working-hours", "4")[-1] == "2026-03-02T16:00:00+07:00"
    assert run("--start", "2026-02-10 10:00", "--calendar-days", "4")[-1] == "2026-02-23T17:00:00+07:00"


@pytest.mark.django_db
def test_due_date_command_pauses_in_both_supplement_modes(places):
    base = [
        "--start",
        "2026-03-02 09:00",
        "--working-days",
        "5",
        "--pause",
        "2026-03-03 09:00,2026-03-05 09:00",
    ]
    assert run(*base)[-1] == "2026-03-11T09:00:00+07:00"
    assert run(*base, "--supplement-mode", "restart")[-1] == "2026-03-12T09:00:00+07:00"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2026-02-30 10:00", "--working-days", "3"], "không đúng dạng ngày giờ"),
        (["--start", "2026-02-13 16:00", "--working-days", "0"], "phải lớn hơn 0"),
        (["--start", "2026-02-13 16:00", "--working-days", "-2"], "phải lớn hơn 0"),
        (["--start", "2026-02-13 16:00", "--working-days", "3", "--calendar-days", "3"], "Cần đúng một"),
        (["--start", "2026-02-13 16:00", "--working-days", "3", "--province", "99"], "Không có tỉnh"),
        (["--start", "2026-02-13 16:00", "--working-days", "99999"], "hơn 10 năm"),
        (["--start", "2026-02-13 16:00", "--working-days", "3", "--cutoff", "3pm"], "HH:MM"),
        (
            ["--start", "2026-02-13 16:00", "--working-days", "3", "--pause", "2026-02-24 10:00"],
            "BẮT ĐẦU,KẾT THÚC",
        ),
    ],
)
def test_due_date_command_bad_input_is_a_vietnamese_error(places, args, message):
    with pytest.raises(CommandError, match=message) as error:
        run(*args)
    assert error.value.returncode == 2


def test_due_date_command_line_error_goes_to_stderr_without_traceback(tmp_path):
    env = {
        **os.environ,
        "SECRET_KEY": "x",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MOTCUA_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "due-date",
            "--start",
            "13/02/2026 25:00",
            "--working-days",
            "3",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "Lỗi: --start không đúng dạng ngày giờ: '13/02/2026 25:00' (ví dụ: \"2026-02-13 16:00\")."
    )
