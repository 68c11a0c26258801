"""Path converters: a ticket number or a USCC that cannot exist never reaches the database (a
NUL byte in a path would otherwise be a 500), it is simply "not found"."""

from django.urls import register_converter


class TicketNumberConverter:
    # Six digits, and more once a year passes 999,999 tickets (a country's): the column holds 8.
    regex = r"ZQ-\d{4}-\d{6,8}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class UsccConverter:
    regex = r"[0-9A-Za-z]{18}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


def register() -> None:
    register_converter(TicketNumberConverter, "ticket")
    register_converter(UsccConverter, "uscc")
