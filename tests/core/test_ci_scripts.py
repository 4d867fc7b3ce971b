"""The throwaway PostgreSQL cluster that `make test` starts when no server answers at 127.0.0.1:5432."""

import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_throwaway_postgresql_cluster_starts_answers_and_is_removed():
    port = _free_port()
    parent = Path(tempfile.mkdtemp(prefix="motcua-pg-test."))
    parent.chmod(0o755)  # the server runs as the postgres user, who must reach the data directory
    directory = parent / "cluster"
    script = ROOT / "scripts" / "pg-throwaway.sh"
    subprocess.run([str(script), "start", str(port), str(directory)], check=True, timeout=180)
    try:
        with psycopg.connect(f"postgres://postgres@127.0.0.1:{port}/postgres", connect_timeout=5) as conn:
            version = conn.execute("SHOW server_version_num").fetchone()[0]
        assert int(version) >= 150000
    finally:
        subprocess.run([str(script), "stop", str(directory)], check=True, timeout=120)
        parent.rmdir()
    assert not directory.exists()
