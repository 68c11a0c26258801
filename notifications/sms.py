"""Text messages (SMS) through Tencent Cloud SMS, with its official Python SDK.

Why Tencent Cloud: its SDK is one small package on `requests` (already ours), signs with the
documented TC3-HMAC-SHA256, and lets a message carry our own tag (`SessionContext`) that comes
back in the provider's delivery reports, which we can read per phone number
(`PullSmsSendStatusByPhoneNumber`). Alibaba Cloud's SDK would bring a stack of its own (the Tea
runtime, credentials, its HTTP layer) for the same thing.

Sent once: the outbox claims a delivery before the call (notifications.services.delivery_send).
When a worker dies after the provider took a message but before the row was marked sent, the
claim runs out and the delivery is tried again; before sending, that retry asks the provider
whether a message with this delivery's tag already went to that number, and if so marks the
delivery sent without sending it twice (`was_sent`).

The template (one, approved in the provider's console) carries three parameters: the ticket's
number, what happened, and the link, e.g. "您的诉求{1}有新动态：{2}。详情请查看：{3}".
Settings come from the environment (config/settings/base.py: SMS_*); with no SMS_SECRET_ID the
channel is off. Phone numbers are never logged: a log line names the delivery's id.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .outbound import DeliveryError

if TYPE_CHECKING:
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
        TencentCloudSDKException,
    )
    from tencentcloud.sms.v20210111 import sms_client

# Mainland mobile numbers: 11 digits, 1 then 3-9.
MOBILE = re.compile(r"1[3-9]\d{9}")
TIMEOUT = 10
REPORT_PAGES = 5  # delivery reports read back when checking a cut-off send (100 a page)


def validate_mobile(value: str) -> None:
    if not MOBILE.fullmatch(value or ""):
        raise ValidationError(
            _("Enter a mainland mobile number of 11 digits, such as 13800138000."),
            code="mobile",
        )


def enabled() -> bool:
    """Whether this installation sends text messages (the provider's keys are set)."""
    return bool(settings.SMS_SECRET_ID and settings.SMS_SECRET_KEY)


def masked(phone: str) -> str:
    """138****8000: enough to recognise a number on a screen, not to dial it."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else "****"


def session_tag(delivery_id: int) -> str:
    return f"qinqing-delivery-{delivery_id}"


# The SDK is imported where a message is sent or checked, so that the web process, which only
# validates and masks numbers (the preferences form, the admin), never loads it.


def _client() -> sms_client.SmsClient:
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.sms.v20210111 import sms_client

    http = HttpProfile(
        endpoint=settings.SMS_ENDPOINT, protocol=settings.SMS_SCHEME, reqTimeout=TIMEOUT
    )
    cred = credential.Credential(settings.SMS_SECRET_ID, settings.SMS_SECRET_KEY)
    return sms_client.SmsClient(cred, settings.SMS_REGION, ClientProfile(httpProfile=http))


def _failure(error: TencentCloudSDKException) -> DeliveryError:
    # The code only: the provider's message may repeat the number.
    return DeliveryError(f"SMS {error.get_code() or 'error'}")


def send(*, delivery_id: int, phone: str, params: list[str]) -> None:
    """Send the template with `params` to `phone`; raises DeliveryError if it did not go."""
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    from tencentcloud.sms.v20210111 import models

    request = models.SendSmsRequest()
    request.PhoneNumberSet = [f"+86{phone}"]
    request.SmsSdkAppId = settings.SMS_SDK_APP_ID
    request.SignName = settings.SMS_SIGN_NAME
    request.TemplateId = settings.SMS_TEMPLATE_ID
    request.TemplateParamSet = [str(p) for p in params]
    request.SessionContext = session_tag(delivery_id)
    try:
        response = _client().SendSms(request)
    except TencentCloudSDKException as error:
        raise _failure(error) from None
    statuses = response.SendStatusSet or []
    if len(statuses) != 1:
        raise DeliveryError("SMS: no status for the number")
    if statuses[0].Code != "Ok":
        raise DeliveryError(f"SMS {statuses[0].Code}")


def was_sent(*, delivery_id: int, phone: str, since: dt.datetime) -> bool:
    """Whether the provider reports a message of this delivery (its tag) to `phone` since
    `since`: the check before trying again a send that was cut off."""
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    from tencentcloud.sms.v20210111 import models

    client = _client()
    tag = session_tag(delivery_id)
    for page in range(REPORT_PAGES):
        request = models.PullSmsSendStatusByPhoneNumberRequest()
        request.PhoneNumber = f"+86{phone}"
        request.SmsSdkAppId = settings.SMS_SDK_APP_ID
        request.BeginTime = int(since.timestamp()) - 60
        request.EndTime = int(dt.datetime.now(dt.UTC).timestamp()) + 60
        request.Offset = page * 100
        request.Limit = 100
        try:
            reports = client.PullSmsSendStatusByPhoneNumber(request).PullSmsSendStatusSet or []
        except TencentCloudSDKException as error:
            raise _failure(error) from None
        if any(report.SessionContext == tag for report in reports):
            return True
        if len(reports) < 100:
            return False
    return False
