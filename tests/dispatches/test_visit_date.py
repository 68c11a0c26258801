"""The dispatch form's visit date is pre-filled as the browser's date input takes it
(YYYY-MM-DD), in either language: in Chinese Django would write 2026/11/29, which the input
shows as blank, and the browser then refuses to save the form."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Enterprise


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_visit_date_is_pre_filled_with_today_as_the_date_input_takes_it(
    client, world, language
):
    world.enterprise.revenue_tier = Enterprise.RevenueTier.B
    world.enterprise.save()
    client.force_login(world.official)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    html = client.get(reverse("dispatches:create", args=[world.enterprise.pk])).content.decode()
    field = re.search(r'<input type="date" name="visited_on"[^>]*>', html).group(0)
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in field
    assert re.search(r'max="\d{4}-\d{2}-\d{2}"', field)


def test_a_sent_back_form_keeps_the_date_as_the_input_takes_it(client, world):
    world.enterprise.revenue_tier = Enterprise.RevenueTier.B
    world.enterprise.save()
    client.force_login(world.official)
    today = f"{timezone.localdate():%Y-%m-%d}"
    response = client.post(
        reverse("dispatches:create", args=[world.enterprise.pk]),
        {"visited_on": today, "output_value": "-1"},  # refused: a negative output value
    )
    assert response.status_code == 200
    assert f'value="{today}"' in response.content.decode()
