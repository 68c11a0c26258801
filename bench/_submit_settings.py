"""Settings of the web server in bench/submit.py: production's exactly (from the environment the
README gives), with one URL more, the ceiling (bench/_submit_urls.py). Nothing in the product
imports this module."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench._submit_urls"
