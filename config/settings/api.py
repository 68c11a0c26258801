"""The REST API's settings (Django REST framework and its OpenAPI schema). Imported by base.py."""

# The REST API (api/): token or session, JSON errors of one shape, throttles on Redis (DRF's
# throttles count in the default cache). See api/ and README "API and integrations".
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",  # DRF's, with a bound on nesting
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Qinqing API",
    "DESCRIPTION": (
        "Enterprise service requests (万人助万企): file problems, follow them, act on them. "
        "Authenticate with `Authorization: Token …` from POST /api/v1/auth/token/, or a session."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "persistAuthorization": True},
    "ENUM_NAME_OVERRIDES": {
        "TicketStatusEnum": "tickets.models.Status",
        "ChannelEnum": "tickets.models.Channel",
        "OutcomeEnum": "tickets.models.Outcome",
        "RatingEnum": "tickets.models.Rating",
        "RejectReasonEnum": "tickets.models.RejectReason",
        "RevenueTierEnum": "enterprises.models.Enterprise.RevenueTier",
        "SrdiLevelEnum": "enterprises.models.Enterprise.SrdiLevel",
    },
}
