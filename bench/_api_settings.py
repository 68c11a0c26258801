"""Settings for bench/api_submit.py: the benchmark settings, with the submission limit lifted
(the throttle still runs and counts in Redis; it just never says no) and database connections
kept between requests, as production would keep them."""

from config.settings.bench import *  # noqa: F403

TICKET_SUBMIT_RATE = TICKET_SUBMIT_IP_RATE = "10000000/h"
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
