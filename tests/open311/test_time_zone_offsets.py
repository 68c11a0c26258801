"""start_date and end_date: an offset no time zone has is a 400 in the spec's error format."""

from __future__ import annotations

import pytest

from .conftest import HOTLINE_KEY
from .test_errors_and_keys import errors_of
from .test_georeport import BASE, file_problem


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("name", ["start_date", "end_date"])
@pytest.mark.parametrize("offset", ["+16:00", "-16:00", "+23:59", "-20:30", "+14:01"])
def test_an_offset_no_time_zone_has_is_a_400(client, world, hotline, fmt, name, offset):
    response = client.get(
        f"{BASE}/requests.{fmt}",
        {"api_key": HOTLINE_KEY, name: f"2026-11-05T08:15:30{offset}"},
    )
    assert response.status_code == 400
    [(code, description)] = errors_of(response)
    assert code == 400
    assert name in description and "+08:00" in description


@pytest.mark.parametrize("offset", ["+14:00", "-12:00", "+05:45", "Z"])
def test_the_offsets_of_real_time_zones_are_taken(client, world, hotline, offset):
    file_problem(client, world, "json")
    response = client.get(
        f"{BASE}/requests.json",
        {
            "api_key": HOTLINE_KEY,
            "start_date": f"2000-01-01T00:00:00{offset}",
            "end_date": f"2100-01-01T00:00:00{offset}",
        },
    )
    assert response.status_code == 200
    assert len(response.json()) == 1
