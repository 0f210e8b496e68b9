"""A Virtuoso instance of pobratim's own: its folder, start, stop, and SQL through ``isql-vt``.

pobratim runs one instance per URL of ``VIRTUOSO_URL`` (two by default), each a database in a numbered folder
of ``VIRTUOSO_DIR``. The folder holds the configuration written from the template, the database (``db/``), the
files being loaded (``incoming/``) and the DBA password, made at first start and readable by its owner only.
Debian's package may run a Virtuoso of its own (ports 1111 and 8890, password from debconf): this one never
uses its configuration, ports or password.
"""

import os
import secrets
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from pobratim.settings import Settings
from pobratim.virtuoso.config import Ports, http_port, render
from pobratim.virtuoso.errors import VirtuosoError

SERVER = "virtuoso-t"
ISQL = "isql-vt"
START_SECONDS = 120  # a new database is made in about 10 s; a large one replays its log for longer
DEFAULT_PASSWORD = "dba"  # what a new Virtuoso database starts with: replaced at first start

# Who may do what, set at every start (idempotent). The anonymous SPARQL user (``SPARQL``, reading graphs
# as ``nobody``) may read, never update (Virtuoso grants SPARQL_UPDATE to no one by default: revoked anyway),
# never fetch the web (SPARQL_SPONGE). SERVICE calls are checked by pobratim against its allow-list before
# a query reaches Virtuoso (`virtuoso/query_checks.py`).
# Graph-level security: ``nobody`` reads no graph but those a load makes readable, the build's; so neither
# Virtuoso's own graphs nor a build still being loaded are ever in a query's dataset.
SECURITY = """
DB.DBA.USER_REVOKE_ROLE ('SPARQL', 'SPARQL_UPDATE');
DB.DBA.USER_REVOKE_ROLE ('SPARQL', 'SPARQL_SPONGE');
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 0);
"""


def missing_table(err: VirtuosoError, table: str) -> bool:
    """Tell whether ``err`` is Virtuoso's "no such table" for ``table`` (SQL state S0002, code SQ200)."""
    return f"SQ200: No table {table}" in str(err)


@dataclass(frozen=True)
class Instance:
    """A Virtuoso whose files are in ``folder``, listening on ``ports`` on loopback."""

    folder: Path
    ports: Ports

    @classmethod
    def all(cls, settings: Settings) -> list["Instance"]:
        """The instances the settings name: one per URL of ``VIRTUOSO_URL`` and port of ``VIRTUOSO_SQL_PORT``,
        in the folders ``1``, ``2``, … of ``VIRTUOSO_DIR``."""
        folder = settings.virtuoso_dir.resolve()
        pairs = settings.virtuoso_databases()
        return [cls(folder / str(n), Ports(http_port(url), sql)) for n, (url, sql) in enumerate(pairs, start=1)]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports.http}/sparql"

    @property
    def incoming(self) -> Path:
        return self.folder / "incoming"

    @property
    def _password_file(self) -> Path:
        return self.folder / "dba-password"

    def _password(self) -> str:
        try:
            return self._password_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return DEFAULT_PASSWORD

    def sql(self, script: str, timeout: float = 3600) -> str:
        """Run ``script`` (SQL statements, each ending in ``;``) as dba; raise VirtuosoError on any error."""
        return self._isql(script, self._password(), timeout)

    def _isql(self, script: str, password: str, timeout: float) -> str:
        # The option form: in the positional one ("isql host:port user password") a password that begins
        # with "-" is read as an option, "-H…" as a host name.
        command = [ISQL, "-H", "127.0.0.1", "-S", str(self.ports.sql), "-U", "dba", "-P", password]
        command += ["VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF"]
        try:
            done = subprocess.run(command, input=script, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as err:
            raise VirtuosoError(f"Virtuoso did not finish within {timeout:g} s: {script[:200]}") from err
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            raise VirtuosoError(f"Virtuoso refused: {output.strip()[:2000]}")
        return done.stdout

    def pid(self) -> int | None:
        """Return the server's process id, from the lock file it holds while it runs (``VIRT_PID=…``)."""
        try:
            text = (self.folder / "db" / "virtuoso.lck").read_text(encoding="ascii")
        except OSError:
            return None
        key, _, value = text.strip().partition("=")
        return int(value) if key == "VIRT_PID" and value.isdigit() else None

    def made(self) -> bool:
        """Tell whether the instance has a database (made by a first start; ``recreate`` deletes it)."""
        return (self.folder / "db" / "virtuoso.db").exists()

    def running(self) -> bool:
        """Tell whether the server's process runs (answering or not)."""
        pid = self.pid()
        return pid is not None and Path(f"/proc/{pid}").exists()

    def answering(self) -> bool:
        """Tell whether the instance answers SPARQL now."""
        try:
            with urllib.request.urlopen(self.url + "?query=ASK%7B%7D", timeout=2) as reply:
                return bool(reply.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def start(self, settings: Settings) -> bool:
        """Write the configuration, start Virtuoso unless it runs, secure it; return whether it was started."""
        if shutil.which(SERVER) is None or shutil.which(ISQL) is None:
            raise VirtuosoError(f"{SERVER} and {ISQL} are not installed (Debian: apt-get install virtuoso-opensource)")
        (self.folder / "db").mkdir(parents=True, exist_ok=True)
        self.incoming.mkdir(exist_ok=True)
        ini = self.folder / "virtuoso.ini"
        ini.write_text(render(self.folder, self.ports, settings), encoding="utf-8")
        if self.answering():
            if not self.running():
                raise VirtuosoError(
                    f"something other than the Virtuoso of {self.folder} answers at {self.url} (a Virtuoso an "
                    "older pobratim started in another folder?): stop it, or give other ports in VIRTUOSO_URL "
                    "and VIRTUOSO_SQL_PORT"
                )
            self._secure()
            return False
        log = self.folder / "db" / "virtuoso.log"
        # +wait: the server detaches and this returns once it is online (or has failed to start).
        # In UTC: NOW() comes back without a time zone, which pobratim then tells (normalise.zone) as Z.
        env = {**os.environ, "TZ": "UTC"}
        subprocess.run(
            [SERVER, "+configfile", str(ini), "+wait"], cwd=self.folder, env=env, capture_output=True, check=False
        )
        deadline = time.monotonic() + START_SECONDS
        while not self.answering():
            if time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
                raise VirtuosoError(f"Virtuoso did not come up on {self.url} within {START_SECONDS} s:\n{tail}")
            time.sleep(0.5)
        self._secure()
        return True

    def _secure(self) -> None:
        """Replace the default DBA password at first start, then set who may do what."""
        if not self._password_file.exists():
            # Hex: nothing in it that a shell, isql or SQL quoting could read as anything but the password.
            password = secrets.token_hex(24)
            self._isql(f"USER_SET_PASSWORD ('dba', '{password}');\n", DEFAULT_PASSWORD, 60)
            fd = os.open(self._password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(password + "\n")
        for statement in SECURITY.strip().splitlines():
            try:
                self.sql(statement + "\n", 60)
            except VirtuosoError as err:
                if "does not have granted role" not in str(err):  # revoked already: nothing to do
                    raise

    def recreate(self, settings: Settings) -> None:
        """Stop the instance, delete its database and the password made for it, and start a new, empty one."""
        self.stop()
        if self.running():
            raise VirtuosoError(f"Virtuoso in {self.folder} (pid {self.pid()}) still runs: not deleting its database")
        shutil.rmtree(self.folder / "db", ignore_errors=True)
        self._password_file.unlink(missing_ok=True)
        self.start(settings)

    def stop(self) -> bool:
        """Stop the instance (a checkpoint, then exit); return whether it was running."""
        if not self.answering():
            return False
        try:
            self.sql("shutdown;\n", 120)
        except VirtuosoError as err:
            # isql loses its connection as the server exits: that is the success case.
            if "Lost connection" not in str(err) and "connection" not in str(err).lower():
                raise
        deadline = time.monotonic() + 60
        while self.answering():
            if time.monotonic() > deadline:
                raise VirtuosoError(f"Virtuoso on {self.url} did not stop within 60 s")
            time.sleep(0.2)
        # The HTTP port closes first; wait until the process has let go of its database.
        lock = self.folder / "db" / "virtuoso.lck"
        while lock.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        return True
