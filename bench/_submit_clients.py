"""The clients of bench/submit.py, one process each: a browser filing through the web form, an
integration posting to the API, and a poster of the ceiling. Each runs from `start` to `end`
(wall clock) and answers [(ok, seconds, ticket number or "")].

The site runs with production settings behind (what would be) nginx: every request says
`X-Forwarded-Proto: https`, so cookies are Secure and the CSRF check wants the origin. requests
will not send a Secure cookie over plain HTTP, so the browser's cookie jar is kept here by hand.
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass

import requests

PASSWORD = "qinqing-demo"
TITLE = "基准测试诉求"
DESCRIPTION = "新增生产线需要扩容变压器，请协调供电公司。"
HIDDEN = re.compile(r'name="(csrfmiddlewaretoken|form_token)" value="([^"]*)"')
NUMBER = re.compile(r"/tickets/(ZQ-\d{4}-\d+)/")


FORM_KINDS = ("web", "post")  # the clients that file through the web form, as a browser


@dataclass(frozen=True)
class Job:
    kind: str  # "web" (GET and POST), "post" (the form's POST alone), "api" or "ceiling"
    base: str  # http://127.0.0.1:port
    user: str  # enterprise user name (the form's kinds) or API token (api)
    category: str  # the category's pk (the form's kinds) or code (API)
    cookies: dict  # a browser's, after it logged in
    start: float
    end: float


class Browser:
    """A session as a browser keeps one: its cookies, sent back on every request."""

    def __init__(self, base: str) -> None:
        self.base, self.http, self.cookies = base, requests.Session(), {}
        self.blank: dict[str, str] = {}  # the hidden fields of a form read earlier
        self.origin = "https://" + base.split("://", 1)[1]

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **kwargs.pop("headers", {}),
        }
        if method == "POST":
            headers |= {"Origin": self.origin, "Referer": self.origin + path}
        response = self.http.request(
            method, self.base + path, headers=headers, allow_redirects=False, timeout=60, **kwargs
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def form(self, path: str) -> dict[str, str]:
        page = self.request("GET", path)
        page.raise_for_status()
        return dict(HIDDEN.findall(page.text))

    def log_in(self, username: str) -> None:
        hidden = self.form("/accounts/login/")
        answer = self.request(
            "POST",
            "/accounts/login/",
            data={**hidden, "username": username, "password": PASSWORD},
        )
        if answer.status_code != 302:
            raise SystemExit(f"{username} could not log in: {answer.status_code}")


def _web(job: Job, n: int, browser: Browser) -> tuple[bool, str]:
    return _post_form(job, n, browser, browser.form("/tickets/new/"))


def _form_post(job: Job, n: int, browser: Browser) -> tuple[bool, str]:
    """The POST alone: the CSRF token of the form the client read before it started (a session
    keeps it), and a fresh one-time token, as the next blank form would carry."""
    return _post_form(job, n, browser, {**browser.blank, "form_token": str(uuid.uuid4())})


def _post_form(job: Job, n: int, browser: Browser, hidden: dict[str, str]) -> tuple[bool, str]:
    fields = {
        **hidden,
        "category": job.category,
        "title": f"{TITLE} {n}",
        "description": DESCRIPTION,
        "contact_name": "陈静",
        "contact_phone": "13800000000",
    }
    # multipart/form-data as a browser sends it, with the empty file input it always sends
    parts = {name: (None, value) for name, value in fields.items()}
    parts["attachments"] = ("", b"", "application/octet-stream")
    answer = browser.request("POST", "/tickets/new/", files=parts)
    found = NUMBER.search(answer.headers.get("Location", ""))
    return answer.status_code == 302 and found is not None, found.group(1) if found else ""


def _api(job: Job, n: int, http: requests.Session) -> tuple[bool, str]:
    body = {"category": job.category, "title": f"{TITLE} {n}", "description": DESCRIPTION}
    answer = http.post(
        job.base + "/api/v1/tickets/",
        json=body,
        headers={"Authorization": f"Token {job.user}", "X-Forwarded-Proto": "https"},
        timeout=60,
    )
    return answer.status_code == 201, answer.json().get("number", "") if answer.ok else ""


def _ceiling(job: Job, n: int, http: requests.Session) -> tuple[bool, str]:
    answer = http.post(
        job.base + "/bench/ceiling/",
        data={"title": f"{TITLE} {n}", "description": DESCRIPTION},
        headers={"X-Forwarded-Proto": "https"},
        timeout=60,
    )
    return answer.status_code == 201, ""


def run(job: Job) -> list[tuple[bool, float, str]]:
    """One client: wait for the start, send until the end."""
    if job.kind in FORM_KINDS:
        session = Browser(job.base)
        session.cookies = dict(job.cookies)
        send = _web if job.kind == "web" else _form_post
        if job.kind == "post":
            session.blank = session.form("/tickets/new/")
    else:
        session = requests.Session()
        send = _api if job.kind == "api" else _ceiling
    time.sleep(max(0.0, job.start - time.time()))
    answers, n = [], 0
    while time.time() < job.end:
        began = time.perf_counter()
        try:
            ok, number = send(job, n, session)
        except requests.RequestException:
            ok, number = False, ""
        answers.append((ok, time.perf_counter() - began, number))
        n += 1
    return answers
