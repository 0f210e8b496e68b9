"""Fetch a page politely: say who asks, honour robots.txt, bound the time, the size and the redirects."""

import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests
import urllib3

from pobratim import __version__

# RFC 9309 §2.5: a crawler must parse at least the first 500 KiB of a robots.txt.
ROBOTS_MAX_BYTES = 512 * 1024
# The product token robots.txt groups are matched against (RFC 9309 §2.2.1).
AGENT_TOKEN = "pobratim"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def user_agent(contact: str) -> str:
    """Name pobratim, its version and where to read about the operator (RFC 9110 §10.1.5)."""
    return f"{AGENT_TOKEN}/{__version__} (town-twinning linked data; +{contact})"


@dataclass(frozen=True)
class Policy:
    """How politely and how far a fetch may go."""

    user_agent: str
    timeout: float = 10.0  # seconds to connect, and at most between two reads
    deadline: float = 30.0  # seconds for a whole answer: a server that trickles bytes is cut off
    max_bytes: int = 5 * 1024 * 1024  # after decompression, so a gzip bomb is stopped too
    max_redirects: int = 5
    min_interval: float = 1.0  # seconds between two requests to one host (more if robots.txt asks)


class FetchError(Exception):
    """A page could not be fetched; says which address and why."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass(frozen=True)
class Answer:
    """What a server answered for an address, after redirects."""

    url: str  # the address asked for
    final_url: str  # where the page was, after redirects
    not_modified: bool  # 304 to a conditional request: no body
    content_type: str | None
    body: bytes
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class Robots:
    """A host's robots.txt rules, or why it could not be read (then nothing on the host is fetched)."""

    rules: RobotFileParser
    unavailable: str | None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class Fetcher:
    """One polite HTTP client for a run: a session, the robots.txt of each host, the time of its last request."""

    policy: Policy
    session: requests.Session = field(default_factory=requests.Session)
    _robots: dict[str, "Robots"] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.session.headers["User-Agent"] = self.policy.user_agent
        self.session.headers["Accept"] = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
        # requests sends Accept-Encoding: gzip, deflate and decodes the answer.

    def close(self) -> None:
        self.session.close()

    def _wait_turn(self, url: str, delay: float) -> None:
        origin = _origin(url)
        last = self._last.get(origin)
        if last is not None:
            pause = last + max(self.policy.min_interval, delay) - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        self._last[origin] = time.monotonic()

    def robots(self, url: str) -> "Robots":
        """Return the robots.txt rules of the address's host (read once per run), as RFC 9309 §2.3.1 says:
        a file that is not there (4xx) allows everything; a server that cannot be reached or fails (5xx)
        disallows everything."""
        origin = _origin(url)
        if origin in self._robots:
            return self._robots[origin]
        address = f"{origin}/robots.txt"
        rules = RobotFileParser(address)
        unavailable = None
        try:
            self._wait_turn(origin, 0)
            with self.session.get(address, timeout=self.policy.timeout, stream=True) as reply:
                status = reply.status_code
                body = self._read(reply, address, ROBOTS_MAX_BYTES, truncate=True) if status < 300 else b""
                if status >= 500:
                    unavailable = f"{address} answered {status} {reply.reason}"
        except (requests.RequestException, FetchError) as err:
            unavailable = f"{address} could not be read: {_reason(err, self.policy)}"
        if unavailable is not None:
            rules.parse(["User-agent: *", "Disallow: /"])
        elif status >= 400:
            rules.parse([])
        else:
            rules.parse(body.decode("utf-8", errors="replace").splitlines())
        self._robots[origin] = robots = Robots(rules, unavailable)
        return robots

    def _read(self, reply: requests.Response, url: str, cap: int, truncate: bool = False) -> bytes:
        """Read a streamed body, decompressed, within the size cap and the deadline."""
        length = reply.headers.get("Content-Length")
        if not truncate and length is not None and length.isdigit() and int(length) > cap:
            raise FetchError(url, f"the page is {int(length)} bytes, more than the limit of {cap}")
        started = time.monotonic()
        chunks: list[bytes] = []
        size = 0
        try:
            # read1 returns as soon as some bytes arrive (a plain read waits to fill its buffer), so the
            # deadline is checked at least once per read timeout even when a server sends a byte at a time.
            while chunk := reply.raw.read1(64 * 1024, decode_content=True):
                size += len(chunk)
                chunks.append(chunk)
                if size > cap:
                    if truncate:
                        break
                    raise FetchError(url, f"the page is more than the limit of {cap} bytes")
                if time.monotonic() - started > self.policy.deadline:
                    raise FetchError(url, f"the server took more than {self.policy.deadline:g} s to send the page")
        except (urllib3.exceptions.HTTPError, OSError) as err:
            raise FetchError(url, f"the server stopped sending the page: {_reason(err, self.policy)}") from None
        return b"".join(chunks)[:cap]

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Answer:
        """Fetch ``url``, conditionally when validators are given (RFC 9110 §13.1); raise FetchError."""
        scheme = urlsplit(url).scheme
        if scheme not in {"http", "https"}:
            raise FetchError(url, f"not a web address (http or https), {scheme or 'no'} scheme")
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seen = [url]
        current = url
        while True:
            robots = self.robots(current)
            if robots.unavailable is not None:
                raise FetchError(
                    current, f"{robots.unavailable}; a site whose robots.txt cannot be read is not fetched (RFC 9309)"
                )
            if not robots.rules.can_fetch(AGENT_TOKEN, current):
                raise FetchError(current, f"robots.txt of {_origin(current)} does not allow {AGENT_TOKEN} to fetch it")
            delay = robots.rules.crawl_delay(AGENT_TOKEN)
            self._wait_turn(current, float(delay or 0))
            try:
                reply = self.session.get(
                    current, headers=headers, timeout=self.policy.timeout, allow_redirects=False, stream=True
                )
            except requests.RequestException as err:
                raise FetchError(current, _reason(err, self.policy)) from None
            with reply:
                if reply.is_redirect:
                    target = urljoin(current, reply.headers["Location"])
                    if target in seen:
                        chain = " -> ".join([*seen, target])
                        raise FetchError(url, f"the redirects go round in a loop: {chain}")
                    if len(seen) - 1 >= self.policy.max_redirects:
                        raise FetchError(url, f"more than {self.policy.max_redirects} redirects")
                    if urlsplit(target).scheme not in {"http", "https"}:
                        raise FetchError(current, f"redirects to {target}, which is not a web address")
                    seen.append(target)
                    current = target
                    continue
                return self._answer(url, current, reply)

    def _answer(self, url: str, final: str, reply: requests.Response) -> Answer:
        status = reply.status_code
        validators = reply.headers.get("ETag"), reply.headers.get("Last-Modified")
        if status == 304:
            return Answer(url, final, True, None, b"", *validators)
        if status in {404, 410}:
            raise FetchError(final, f"not found ({status} {reply.reason})")
        if status >= 500:
            raise FetchError(final, f"the server failed ({status} {reply.reason}); try again later")
        if status != 200:
            raise FetchError(final, f"the server answered {status} {reply.reason}")
        content_type = reply.headers.get("Content-Type")
        media = (content_type or "").split(";")[0].strip().lower()
        if content_type is not None and media not in HTML_TYPES:
            raise FetchError(final, f"not an HTML page ({media or content_type})")
        body = self._read(reply, final, self.policy.max_bytes)
        return Answer(url, final, False, content_type, body, *validators)


def _reason(err: Exception, policy: Policy) -> str:
    """Say in words why a request failed."""
    if isinstance(err, requests.Timeout | urllib3.exceptions.TimeoutError | TimeoutError):
        return f"no answer within {policy.timeout:g} s (timeout)"
    if isinstance(err, requests.ConnectionError):
        return f"cannot connect: {err}"
    return str(err)
