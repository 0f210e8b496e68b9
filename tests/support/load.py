"""Clients that keep a server busy with distinct queries and count how each request ended."""

import threading
import time

import requests

JSON = {"Accept": "application/sparql-results+json"}
CLIENTS = 4  # load threads, each with one request in flight at a time


class Load:
    """``CLIENTS`` threads asking distinct queries (each reaches a query worker) and counting the outcomes."""

    def __init__(self, url: str) -> None:
        self.url, self.stop = url, threading.Event()
        self.answered: list[float] = []  # when each answer came
        self.lost: list[str] = []
        self.shed = 0
        self.threads = [threading.Thread(target=self._ask, args=(n,)) for n in range(CLIENTS)]
        for t in self.threads:
            t.start()

    def _ask(self, n: int) -> None:
        count = 0
        with requests.Session() as session:
            while not self.stop.is_set():
                count += 1
                query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} # client {n} query {count}"
                try:
                    r = session.get(
                        self.url + "/sparql",
                        params={"query": query},
                        headers={**JSON, "User-Agent": f"c{n}"},
                        timeout=30,
                    )
                except requests.RequestException as err:
                    self.lost.append(f"{type(err).__name__}: {err}")
                    session.close()  # a fresh connection after a broken one
                    continue
                if r.status_code == 200:
                    self.answered.append(time.monotonic())
                elif r.status_code in (429, 503) and "busy" in r.text and "Retry-After" in r.headers:
                    self.shed += 1  # an answer: the client is told when to ask again, nothing was lost
                else:
                    self.lost.append(f"{r.status_code}: {r.text.strip()}")

    def finish(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(60)
