"""No input answers 5xx: every page, web form and query parameter, as every persona who
reaches them (tests/api/test_schemathesis.py does the same for the API from its schema).

For each route of the URL conf (tests/fuzz/pages.py walks it, so a page added later is fuzzed
too) and each persona of `world` (and the system administrator, who alone reaches the admin):
1. seed: the page is asked once by GET and, if it may take one, by POST, with recording
   dictionaries in the request: what the view reads (query, form fields, files), the forms it
   builds (their choices) and the links and GET forms it answers with are what gets fuzzed. A
   persona refused at the door (404, 405, a redirect to sign in) is not fuzzed there; a page
   that forbids (403) everybody is fuzzed as those it forbids.
2. sweep: each parameter alone (the others at a value the page offers), and each path
   parameter, meets each of inputs.KILLERS (empty, NUL, 30 nines, -1, 0001-01-01, 9999-12-31,
   2026-02-30, 9999-W52, an offset of +16:00, 100,000 brackets, a quote, 5,000 characters);
   file fields get odd files. Once per form (per set of names read), as the first persona that
   reaches it; on the admin's pages (Django's own code) empty, NUL and one other in turn.
3. Hypothesis: for each (persona, method) that reaches the page, requests drawn from
   tests/fuzz/inputs.py: known parameters mostly present with a value the page offers,
   sometimes odd (Unicode with NUL and control characters, long strings, huge and negative
   numbers, odd dates and weeks, offsets, injection-like text, nested brackets), repeated or
   missing, names the page never asked for, odd files, and now and then an odd path.
Each request runs in a savepoint that is rolled back, so every one starts from the same data;
a 5xx (or an exception) fails the route, every persona and method still tried, and the failing
request is shown (the smallest Hypothesis found).

A route must be fuzzed (reached by a persona, or forbidden to all) or be on SKIP with a reason.

Size: the "fuzz-ci" profile (the default) is derandomized, so CI sends the same requests every
run: 8 Hypothesis examples per (route, persona, method) that reads something (2 where nothing
is read, half on the admin). In all about 15,200 requests over 228 routes (8,100 in sweeps,
4,000 drawn by Hypothesis, 3,200 seeding), in about 4 minutes on two shared cores;
`make test PYTEST_ARGS="tests/fuzz -s"` prints the count per route.
`QINQING_FUZZ=deep` draws 200 examples each, with a random seed, for a longer hunt by hand.
"""

from __future__ import annotations

import copy
import fnmatch
import itertools
import logging
import os
import re
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.utils.http import urlencode
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.fuzz import inputs, pages
from tests.fuzz.scene import INTEGRATION_KEY, Scene, path_values

settings.register_profile(
    "fuzz-ci",
    max_examples=8,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "fuzz-deep",
    max_examples=200,
    database=None,
    deadline=None,
    phases=[Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
)
PROFILE = settings.get_profile("fuzz-deep" if os.environ.get("QINQING_FUZZ") else "fuzz-ci")

ROUTES = pages.all_routes()

# Routes not fuzzed here, each with its reason (patterns of Route.key, fnmatch style).
SKIP = {
    # The REST API: tests/api/test_schemathesis.py fuzzes every operation of its OpenAPI schema
    # (test_the_schema_lists_every_endpoint_of_the_issue keeps the schema complete). Its schema
    # and docs pages are pages, and are fuzzed here.
    "api/v1/auth/token/": "schemathesis",
    "api/v1/categories/": "schemathesis",
    "api/v1/enterprises/*": "schemathesis",
    "api/v1/tickets/*": "schemathesis",
    "api/v1/reports/summary/": "schemathesis",
}
# Routes that answer "not found" to everything by design: fuzzed, but nobody needs to reach them.
NOT_FOUND_BY_DESIGN = ["open311/v2/<path:path>", "admin/(?P<url>.*)$"]


def skipped(route: pages.Route) -> str | None:
    return next((why for p, why in SKIP.items() if fnmatch.fnmatchcase(route.key, p)), None)


# --- seeding and fuzzing ---------------------------------------------------------------------

REFUSED = {401, 403, 404, 405}
SEED = {"_seed": "1", "api_key": INTEGRATION_KEY}  # a non-empty body binds the forms
ALWAYS = {"api_key": [INTEGRATION_KEY], "page": ["1", "2", "last"]}
# Query values a route needs to be reached at all, which no form or link of it shows.
ROUTE_QUERY = {
    "admin:autocomplete": {  # the admin's autocomplete widgets send these
        "app_label": ["enterprises"],
        "model_name": ["coverage"],
        "field_name": ["official", "enterprise"],
        "term": ["张", "长春"],
    },
    "enterprises:pick": {"q": ["长春", "张", "用电"]},  # the pickers' search box sends it
}


@dataclass
class Target:
    """One way into a page as one persona: its path parameters, what the page reads from the
    query and the body (each name with the values the page offers), and its file fields."""

    kwargs: dict[str, str]
    reached: bool
    query: dict[str, list] = field(default_factory=dict)
    body: dict[str, list] | None = None  # None: GET
    files: frozenset = frozenset()

    @property
    def reads(self) -> int:
        return len(self.query) + len(self.body or {})


class Visitor:
    """A persona's browser, signed in once: every request starts from that session again (one
    that signed out or changed the password was rolled back with its savepoint)."""

    def __init__(self, user) -> None:
        self.client = Client()
        if user is not None:
            self.client.force_login(user)
        self.cookies = copy.deepcopy(self.client.cookies)
        self.sent = 0

    def send(self, method: str, path: str, query: dict, body: dict | None, encoded=False):
        """One request, in a savepoint rolled back after it."""
        self.sent += 1
        with transaction.atomic():
            self.client.cookies = copy.deepcopy(self.cookies)
            if method == "GET":
                response = self.client.get(path, query)
            elif encoded:
                response = self.client.post(
                    path,
                    urlencode(body, doseq=True),
                    content_type="application/x-www-form-urlencoded",
                    query_params=query,
                )
            else:
                response = self.client.post(path, body, query_params=query)
            transaction.set_rollback(True)
        return response


def access(response) -> str:
    """ "reached" (the persona got into the page), "forbidden" (403: the page is there, but not
    for this persona) or "refused" (not found, wrong method, sent to sign in)."""
    location = response.get("Location", "")
    if response.status_code == 302 and "login/" in location and "next=" in location:
        return "refused"
    if response.status_code == 403:
        return "forbidden"
    return "refused" if response.status_code in (401, 404, 405) else "reached"


def seed(scene: Scene, visitor: Visitor, route: pages.Route, persona: str, method: str):
    """Ask the page once per set of path values, noting what it reads; forbidden ways in are
    kept too (a page forbidden to everybody is fuzzed as those it forbids). POST is fuzzed
    where the page reads a body, or takes nothing but POST."""
    targets = []
    for kwargs in path_values(scene, route, persona):
        path = route.path(kwargs)
        seed_query = {**SEED, **ROUTE_QUERY.get(route.name, {})}
        with pages.recording() as recorded:
            response = visitor.send(method, path, seed_query, SEED if method == "POST" else None)
        way_in = access(response)
        if way_in == "refused":
            continue
        reads_no_body = method == "POST" and not (recorded.body or recorded.files)
        if reads_no_body and visitor.send("GET", path, {}, None).status_code != 405:
            continue  # a page that takes GET and reads no body: GET fuzzes it
        content = b"" if response.streaming else response.content
        html = content.decode("utf-8", "replace") if b"<html" in content[:500] else ""
        target = Target(kwargs, reached=way_in == "reached")
        target.query = _merged(
            {name: [] for name in recorded.query - {"_seed"}},
            pages.form_samples(recorded, "query"),
            pages.page_parameters(html, path),
            ROUTE_QUERY.get(route.name, {}),
        )
        if method == "POST":
            target.body = _merged(
                {name: [] for name in (recorded.body | recorded.files) - {"_seed"}},
                pages.form_samples(recorded, "body"),
            )
            target.files = frozenset(pages.file_fields(recorded))
        for names in (target.query, target.body or {}):
            for name, values in ALWAYS.items():
                if name in names:
                    names[name] = [*names[name], *values]
        targets.append(target)
    return targets


def _merged(first: dict[str, list], *others: dict[str, list]) -> dict[str, list]:
    for other in others:
        for name, values in other.items():
            first.setdefault(name, [])
            first[name] += [v for v in values if v not in first[name]]
    return first


def sweep(visitor: Visitor, route: pages.Route, method: str, target: Target) -> tuple[int, list]:
    """Each parameter alone (the others at a value the page offers) with each of a few values
    known to break things: the systematic part, before Hypothesis draws the rest (on Django's
    own admin pages, fewer of them). Returns the number of requests and
    the failures (all of them: the sweep goes on after one)."""
    odd_values = _odd_values(route)
    base_query = {name: values[:1] for name, values in target.query.items() if values}
    base_body = {name: v[:1] for name, v in (target.body or {}).items() if v}
    requests = [(target.kwargs, base_query, base_body)]
    for (name, regex), value in zip(route.params, target.kwargs.values(), strict=True):
        for odd in next(odd_values):
            if odd != value and re.fullmatch(regex, odd):
                requests.append(({**target.kwargs, name: odd}, base_query, base_body))
    for name in target.query:
        requests += [
            (target.kwargs, {**base_query, name: [odd]}, base_body) for odd in next(odd_values)
        ]
    for name in target.body or {}:
        values = inputs.KILLER_FILES() if name in target.files else next(odd_values)
        requests += [(target.kwargs, base_query, {**base_body, name: [odd]}) for odd in values]
    failures, seen = [], set()
    for kwargs, query, body in requests:
        path = route.path(kwargs)
        try:
            response = visitor.send(method, path, query, body if method == "POST" else None)
            assert response.status_code < 500, f"answered {response.status_code}"
        except Exception as error:
            if (kind := (type(error), str(error)[:200])) not in seen:
                seen.add(kind)
                error.add_note(f"{method} {path[:200]} query={_short(query)} body={_short(body)}")
                failures.append(error)
    return len(requests), failures


def _odd_values(route: pages.Route):
    """The odd values for each next parameter: all of them; on the admin, empty and NUL and one
    of the others in turn."""
    if not route.key.startswith("admin/"):
        return itertools.repeat(inputs.KILLERS)
    return (["", "\x00", odd] for odd in itertools.cycle(inputs.ADMIN_KILLERS))


def _short(data: dict | None) -> str:
    return repr({k: [repr(v)[:80] for v in vs] for k, vs in (data or {}).items()})


def fuzz(visitor: Visitor, route: pages.Route, method: str, targets: list[Target]) -> int:
    """Hypothesis: PROFILE's number of requests drawn from what the targets read."""
    sent = []
    examples = PROFILE.max_examples if route.params or any(t.reads for t in targets) else 2
    if route.key.startswith("admin/"):  # Django's own pages: fewer
        examples = max(2, examples // 2)

    @given(st.data())
    @settings(PROFILE, max_examples=examples)
    def run(data) -> None:
        target = data.draw(st.sampled_from(targets), label="target")
        kwargs = {  # mostly the real objects; now and then anything the route's pattern takes
            name: data.draw(
                st.one_of(st.just(value), st.just(value), st.from_regex(regex, fullmatch=True)),
                label=name,
            )
            for (name, regex), value in zip(route.params, target.kwargs.values(), strict=True)
        }
        query = data.draw(inputs.parameters(target.query), label="query")
        body, encoded = None, False
        if target.body is not None:
            body = data.draw(inputs.parameters(target.body, files=target.files), label="body")
            encoded = not (target.files & set(body)) and data.draw(st.booleans(), label="encoded")
        response = visitor.send(method, route.path(kwargs), query, body, encoded)
        sent.append(response.status_code)
        assert response.status_code < 500, f"{method} {route.path(kwargs)} → {response.status_code}"

    run()
    return len(sent)


def personas_for(scene: Scene, route: pages.Route) -> list[str]:
    if route.key.startswith("admin/"):  # staff only: the others see what anonymous sees
        return ["anonymous", "administrator"]
    return list(scene.users)


@pytest.fixture
def quiet_server_errors():
    """The failures are reported by the test; the server's log of each would drown them."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security", "axes")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.mark.parametrize("route", [r for r in ROUTES if not skipped(r)], ids=str)
def test_no_input_answers_a_server_error(route, scene, db, settings, quiet_server_errors):
    settings.MEDIA_ROOT = scene.media_root
    settings.MIDDLEWARE = ["tests.fuzz.pages.middleware", *settings.MIDDLEWARE]
    visitors = {persona: Visitor(scene.users[persona]) for persona in personas_for(scene, route)}
    plans, forbidden = [], []
    for persona, visitor in visitors.items():
        for method in ("GET", "POST"):
            targets = seed(scene, visitor, route, persona, method)
            if reached := [t for t in targets if t.reached]:
                plans.append((persona, method, reached))
            elif targets:
                forbidden.append((persona, method, targets))
    if not plans and route.key not in NOT_FOUND_BY_DESIGN:
        assert forbidden, (
            f"No persona gets into {route.key}: give its path parameters values in "
            "path_values(), or put it on SKIP with the reason."
        )
        plans = forbidden  # there for nobody: fuzzed as those it forbids
    failures, counts = [], []
    # The sweep: once for each set of names the page reads (each action's form; filters the
    # same for every persona are swept once), as the first persona that reaches it.
    swept = set()
    for persona, method, targets in plans:
        for target in targets:
            key = (method, frozenset(target.query), frozenset(target.body or ()))
            if key not in swept:
                swept.add(key)
                count, found = sweep(visitors[persona], route, method, target)
                counts.append(f"sweep {persona} {method} ×{count}")
                failures += [_noted(error, f"the sweep as {persona}") for error in found]
    # Hypothesis, as every persona that reaches the page.
    for persona, method, targets in plans:
        try:
            count = fuzz(visitors[persona], route, method, targets)
            counts.append(f"{persona} {method} ×{count}")
        except Exception as error:  # every persona and method is tried; all failures listed
            failures.append(_noted(error, f"{route.key} as {persona}, {method}"))
    sent = sum(visitor.sent for visitor in visitors.values())
    print(f"{route.key}: {sent} requests: {', '.join(counts) or 'nothing reached'}")
    if failures:
        raise ExceptionGroup(f"{route.key}: {len(failures)} answered 5xx", failures)


def _noted(error: Exception, note: str) -> Exception:
    error.add_note(note)
    return error


def test_every_route_is_fuzzed_or_skipped_with_a_reason():
    keys = {r.key for r in ROUTES}
    assert all(any(fnmatch.fnmatchcase(k, p) for k in keys) for p in SKIP), "stale SKIP entry"
    assert set(NOT_FOUND_BY_DESIGN) <= keys
    assert len(ROUTES) > 100  # the walk reached the admin and every app's URLs
