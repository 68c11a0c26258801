"""What a browser would post back from an admin page: every field of its change form (or of
its list's editable columns) as the page shows it (Python's own HTML parser; inputs, checked boxes, selected options, text areas)."""

from __future__ import annotations

from html.parser import HTMLParser

SKIPPED = {"submit", "button", "reset", "image", "file"}


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: tuple[str, bool, list[str], list[str]] | None = None
        self.textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag == "form":
            form = a.get("id") or ""
            self.inside = form.endswith("_form") or form == "changelist-form"
        if not self.inside:
            return
        name = a.get("name") or ""
        if "__prefix__" in name:
            return  # an inline's empty template, which Django ignores anyway
        if tag == "input" and name and a.get("type", "text") not in SKIPPED:
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value") or "on"))
            else:
                self.fields.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self.select = (name, "multiple" in a, [], [])
        elif tag == "option" and self.select is not None:
            value = a.get("value") or ""
            self.select[3].append(value)
            if "selected" in a:
                self.select[2].append(value)
        elif tag == "textarea" and name:
            self.textarea = (name, [])

    def handle_data(self, data) -> None:
        if self.textarea is not None:
            self.textarea[1].append(data)

    def handle_endtag(self, tag) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            name, multiple, selected, options = self.select
            if not selected and not multiple and options:
                selected = options[:1]  # a browser posts the first option
            self.fields.extend((name, value) for value in selected)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            value = "".join(text)
            self.fields.append((name, value[1:] if value.startswith("\n") else value))
            self.textarea = None


def posted(html: str) -> dict[str, list[str]]:
    """The change form of an admin page, as the browser would post it."""
    reader = _FormReader()
    reader.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return data
