"""The endpoint's one error path: every refusal is an HTTPException, rendered here as one plain-text body
(or, for a browser that asks for pages, the same words on a page of the site).

Handlers raise with ``fail`` (or Werkzeug raises for them: 404, 405, 413); query outcomes map to statuses
in ``OUTCOME_STATUS``; a client over its budget is ``OverBudget`` (429). Real bugs are not caught here:
Flask answers them 500 and logs the traceback.
"""

from typing import NoReturn

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException, default_exceptions

from pobratim.sparql.answers import Answer, Outcome

# SPARQL 1.1 Protocol §2.1.4: a malformed query is 400; a query the service refuses to finish may be 503
# (overload and timeouts come with Retry-After); a failed SERVICE call is the remote's fault (502).
OUTCOME_STATUS = {
    Outcome.SYNTAX_ERROR: 400,
    Outcome.NOT_ACCEPTABLE: 406,
    Outcome.SERVICE_FAILED: 502,
    Outcome.SERVICE_REFUSED: 403,
    Outcome.TIMED_OUT: 503,
    Outcome.BUSY: 503,
    Outcome.WORKER_DIED: 503,
    Outcome.TOO_LARGE: 400,  # the request asks for more than the service writes: reword it (LIMIT)
    Outcome.OUT_OF_MEMORY: 503,
    Outcome.INTERNAL_ERROR: 500,
}
RETRY_AFTER = {Outcome.TIMED_OUT: 1, Outcome.BUSY: 2, Outcome.WORKER_DIED: 1}


class OverBudget(Exception):
    """The client has used its share; ``retry_after`` says when it may try again (seconds)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooBusy(Exception):
    """Too many queries wait already, or this one waited its longest: 503, as for busy query workers."""


def fail(status: int, message: str, retry_after: int | None = None) -> NoReturn:
    """Stop the request with ``status`` and ``message`` (and Retry-After, for 503 and 429)."""
    error = default_exceptions[status](description=message)
    if retry_after is not None:
        error.retry_after = retry_after  # type: ignore[attr-defined]
    raise error


def fail_answer(answer: Answer) -> NoReturn:
    """Stop the request for an answer that is not a result."""
    fail(OUTCOME_STATUS[answer.outcome], answer.message, RETRY_AFTER.get(answer.outcome))


def _wants_page() -> bool:
    """Whether the client prefers a page to plain text: browsers navigating ask for text/html first.

    Werkzeug weighs the Accept header (RFC 9110 §12.5.1); clients that ask for anything (``*/*``, curl, SPARQL
    libraries) get text/plain, listed first, as before.
    """
    return request.accept_mimetypes.best_match(["text/plain", "text/html"]) == "text/html"


def render(err: HTTPException) -> Response:
    """Render a refusal: status line words, then what was wrong, as text/plain (or on a page, to a browser)."""
    code = err.code or 500
    if _wants_page() and request.method in ("GET", "HEAD"):
        page = render_template("error.html", code=code, name=err.name, message=err.description)
        response = Response(page, code, mimetype="text/html")
    else:
        response = Response(f"{err.code} {err.name}: {err.description}\n", code, mimetype="text/plain")
    for key, value in err.get_headers() or []:
        if key.lower() not in {"content-type", "content-length"}:
            response.headers[key] = value
    if err.code == 406:
        response.vary.add("Accept")  # a 406 answers the Accept header: caches must key on it (RFC 9110 §12.5.5)
    retry_after = getattr(err, "retry_after", None)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def register(app: Flask) -> None:
    """Render every HTTPException of ``app`` through ``render``."""
    app.register_error_handler(HTTPException, render)
