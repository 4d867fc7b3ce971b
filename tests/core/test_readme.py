"""README.md stays true: it shows the two set-up commands and documents every environment variable read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _variables_read_by_settings() -> set[str]:
    source = (ROOT / "motcua" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', source))
    for group in re.findall(r"require_when\(\s*\"[A-Z0-9_]+\",\s*\w+,\s*\[([^\]]*)\]", source, flags=re.S):
        names.update(re.findall(r'"([A-Z0-9_]+)"', group))
    return names


def test_readme_documents_every_environment_variable():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = _variables_read_by_settings()
    assert {"DATABASE_URL", "SECRET_KEY", "USE_SMTP", "S3_BUCKET"} <= names  # the scan itself works
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert missing == []


def test_readme_shows_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up", 1)[1].split("##", 1)[0]
    assert "make run" in setup and "make test" in setup
