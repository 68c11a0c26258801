"""Finding what to fuzz: every URL of the URL conf, and what each page reads.

Routes come from walking config.urls' patterns, so a page added later is found too. What a page
reads is learnt by asking it once ("seeding"): a middleware puts recording dictionaries in
place of request.GET, request.POST and request.FILES, so every parameter the view reads, through
a form, a filter set or by hand, is noted; every Django form built on the request is kept to
learn its choices; and the links of the answer give more parameter names and values.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

from django import forms
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.datastructures import MultiValueDict
from django.utils.regex_helper import normalize

# --- routes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # the joined pattern, e.g. "tickets/<ticket:number>/<str:action>/"
    name: str | None  # e.g. "tickets:act"
    template: str  # e.g. "/tickets/%(number)s/%(action)s/"
    params: tuple[tuple[str, str], ...]  # (name, regex of its values)

    def path(self, kwargs: dict[str, str]) -> str:
        return self.template % {
            name: quote(str(value), safe="/:@!$&'()*+,;=~") for name, value in kwargs.items()
        }

    def __str__(self) -> str:
        return self.key


_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<regex>(?:[^()]|\([^()]*\))*)\)")


def _segment(pattern) -> tuple[str, list[tuple[str, str]]]:
    if isinstance(pattern, RoutePattern):
        route = str(pattern._route)
        params = [(name, conv.regex) for name, conv in pattern.converters.items()]
        return _ROUTE_PARAM.sub(lambda m: f"%({m['name']})s", route.replace("%", "%%")), params
    assert isinstance(pattern, RegexPattern), pattern
    regex = str(pattern._regex)
    template = normalize(regex)[0][0]
    return template, [(m["name"], m["regex"]) for m in _REGEX_GROUP.finditer(regex)]


def all_routes() -> list[Route]:
    """Every leaf of the URL conf, with the path template that builds a URL for it."""

    def walk(patterns, template: str, params: list, key: str, namespace: str | None):
        for entry in patterns:
            segment, more = _segment(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = ":".join(n for n in (namespace, entry.namespace) if n) or None
                yield from walk(
                    entry.url_patterns,
                    template + segment,
                    params + more,
                    key + str(entry.pattern),
                    inner,
                )
            else:
                assert isinstance(entry, URLPattern)
                name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                yield Route(
                    key=key + str(entry.pattern),
                    name=name,
                    template=template + segment,
                    params=tuple(params + more),
                )

    routes: dict[str, Route] = {}
    for route in walk(get_resolver().url_patterns, "/", [], "", None):
        routes.setdefault(route.key, route)  # a later one with the same pattern is never reached
    return list(routes.values())


# --- recording what a page reads -------------------------------------------------------------


@dataclass
class Recording:
    query: set[str] = field(default_factory=set)  # names read from request.GET
    body: set[str] = field(default_factory=set)  # … from request.POST
    files: set[str] = field(default_factory=set)  # … from request.FILES
    forms: list[forms.BaseForm] = field(default_factory=list)
    dicts: list[tuple[object, str]] = field(default_factory=list)  # recording dict, its source

    def source_of(self, data) -> str | None:
        return next((source for d, source in self.dicts if d is data), None)


_current: Recording | None = None


class _Reads:
    """Notes each name read (by item, get, getlist or `in`) into `_names`."""

    _names: set[str]

    def __getitem__(self, key):
        self._names.add(key)
        return super().__getitem__(key)

    def getlist(self, key, default=None):
        self._names.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self._names.add(key)
        return super().__contains__(key)


class _RecordingQueryDict(_Reads, QueryDict):
    def __deepcopy__(self, memo):  # request.GET.copy() reads nothing yet
        result = QueryDict(mutable=True)
        for key, values in self.lists():
            result.setlist(key, values)
        return result


class _RecordingFiles(_Reads, MultiValueDict):
    pass


def _recording(source: MultiValueDict, names: set[str], kind):
    copy = kind(mutable=True) if kind is _RecordingQueryDict else kind()
    copy._names = set()
    for key, values in source.lists():
        MultiValueDict.setlist(copy, key, values)
    copy._names = names
    if kind is _RecordingQueryDict:
        copy._mutable = False
    return copy


def middleware(get_response):
    """Put recording dictionaries in the request while a recording is on (first in MIDDLEWARE)."""

    def record(request):
        if _current is not None:
            request.GET = _recording(request.GET, _current.query, _RecordingQueryDict)
            _current.dicts.append((request.GET, "query"))
            if request.method == "POST":
                request.POST = _recording(request.POST, _current.body, _RecordingQueryDict)
                request._files = _recording(request.FILES, _current.files, _RecordingFiles)
                _current.dicts.append((request.POST, "body"))
        return get_response(request)

    return record


@contextmanager
def recording():
    """Record what the requests made inside read; forms built on them are kept too."""
    global _current
    original_init = forms.BaseForm.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        if _current is not None:
            _current.forms.append(self)

    _current = Recording()
    forms.BaseForm.__init__ = init
    try:
        yield _current
    finally:
        forms.BaseForm.__init__ = original_init
        _current = None


def form_samples(recorded: Recording, source: str) -> dict[str, list]:
    """For each field of each form bound to the query (source "query") or the body ("body"):
    the values it offers (its choices, or what a person would type)."""
    from .inputs import typical_value

    samples: dict[str, list] = {}
    for form in recorded.forms:
        if recorded.source_of(form.data) != source:
            continue
        for name, form_field in form.fields.items():
            values = samples.setdefault(form.add_prefix(name), [])
            choices = getattr(form_field, "choices", None)
            if choices is not None:
                for value, label in list(choices)[:30]:
                    if isinstance(label, list | tuple):  # a group of choices
                        values += [str(v) for v, _label in label]
                    elif value not in ("", None):
                        values.append(str(value))
            else:
                values += typical_value(form_field)
    return samples


def file_fields(recorded: Recording) -> set[str]:
    names = set(recorded.files)
    for form in recorded.forms:
        if recorded.source_of(form.data) == "body":
            names |= {
                form.add_prefix(name)
                for name, form_field in form.fields.items()
                if isinstance(form_field, forms.FileField)
            }
    return names


# --- links and forms of the page itself -----------------------------------------------------


class _Page(HTMLParser):
    """Collects (name, value) pairs of the page's links and of its GET forms (a search box, a
    filter), with the path each goes to."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple[str, str, str]] = []  # (path, name, value)
        self.form: str | None = None  # the action of the GET form we are in

    def handle_starttag(self, tag, attrs) -> None:
        attrs = {name: value or "" for name, value in attrs}
        if tag == "a" and attrs.get("href"):
            parts = urlsplit(attrs["href"])
            if not (parts.scheme or parts.netloc):
                self.pairs += [
                    (parts.path, n, v) for n, v in parse_qsl(parts.query, keep_blank_values=True)
                ]
        elif tag == "form":
            get = attrs.get("method", "get").lower() == "get"
            self.form = urlsplit(attrs.get("action", "")).path if get else None
        elif self.form is not None and tag in ("input", "select", "textarea", "option"):
            if tag == "option":
                if self.pairs and "value" in attrs:  # an option of the last select
                    path, name, _value = self.pairs[-1]
                    self.pairs.append((path, name, attrs["value"]))
            elif attrs.get("name"):
                self.pairs.append((self.form, attrs["name"], attrs.get("value", "")))

    def handle_endtag(self, tag) -> None:
        if tag == "form":
            self.form = None


def page_parameters(html: str, path: str) -> dict[str, list[str]]:
    """Query parameters the page sends back to itself: its links (a page, a filter, a sort
    order) and its GET forms (a search)."""
    parser = _Page()
    parser.feed(html)
    found: dict[str, list[str]] = {}
    for target, name, value in parser.pairs:
        if target in ("", path):
            values = found.setdefault(name, [])
            if value not in values and len(values) < 30:
                values.append(value)
    return found
