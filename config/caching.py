"""No browser or proxy keeps a copy of what the application answers.

Every page, API answer (whichever way its caller signed in: a token is read only inside DRF,
after the middleware has looked at the request), export and attachment is someone's own, so each
answer says `Cache-Control: private, no-store`. Static files never get here: WhiteNoise, before
this middleware, answers them with their own long cache.
"""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response
