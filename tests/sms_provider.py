"""A stand-in for Tencent Cloud SMS on 127.0.0.1, checking each request as the provider does.

It answers the two calls Qinqing makes (API version 2021-01-11), driven by the provider's own
SDK: `SendSms` and `PullSmsSendStatusByPhoneNumber`. Like the provider it checks the TC3-HMAC-SHA256
signature (recomputed with the secret key it knows), the timestamp's freshness, the SMS
application, the approved signature name and template with its number of parameters, and the
phone numbers (E.164, mainland mobile), and answers in the provider's shape, errors included
(`{"Response": {"Error": {"Code": …, "Message": …}, "RequestId": …}}`). What it accepted it
keeps as sent and reports back by phone number with the `SessionContext` the message carried.

`hold_first=True` keeps the first SendSms it accepted without answering, as when the sender dies
after the provider took the message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = "2021-01-11"
SERVICE = "sms"
AUTHORIZATION = re.compile(
    r"TC3-HMAC-SHA256 Credential=(?P<id>[^/]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<service>[a-z]+)"
    r"/tc3_request, SignedHeaders=(?P<signed>[a-z;-]+), Signature=(?P<signature>[0-9a-f]{64})"
)
MAINLAND_MOBILE = re.compile(r"\+861[3-9]\d{9}")
PLACEHOLDER = re.compile(r"\{\d+\}")


class ProviderError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.code, self.message = code, message


@dataclass
class Sent:
    phone: str
    template_id: str
    params: list[str]
    session: str
    serial: str
    at: int


def tc3_signature(secret_key: str, date: str, string_to_sign: str) -> str:
    def sign(key: bytes, message: str) -> bytes:
        return hmac.new(key, message.encode(), hashlib.sha256).digest()

    key = sign(sign(sign(f"TC3{secret_key}".encode(), date), SERVICE), "tc3_request")
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


class TencentSmsStandIn:
    def __init__(
        self,
        *,
        secret_id: str = "AKIDqinqingtest",
        secret_key: str = "qinqing-test-secret-key",
        app_id: str = "1400000001",
        sign_name: str = "亲清服务",
        templates: dict[str, str] | None = None,
        hold_first: bool = False,
    ) -> None:
        self.secret_id, self.secret_key = secret_id, secret_key
        self.app_id, self.sign_name = app_id, sign_name
        self.templates = templates or {"2100001": "您的诉求{1}有新动态：{2}。详情请查看：{3}"}
        self.hold_first = hold_first
        self.sent: list[Sent] = []
        self.calls: list[tuple[str, str]] = []  # (action, error code or "")
        self._lock = threading.Lock()
        self._release = threading.Event()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                action = self.headers.get("X-TC-Action", "")
                hold = False
                try:
                    stand_in._authenticate(self.command, self.path, dict(self.headers), body)
                    params = json.loads(body)
                    if action == "SendSms":
                        answer, hold = stand_in._send_sms(params)
                    elif action == "PullSmsSendStatusByPhoneNumber":
                        answer = stand_in._pull_status(params)
                    else:
                        raise ProviderError("InvalidAction", f"The action {action} is not found.")
                    stand_in.calls.append((action, ""))
                except ProviderError as error:
                    stand_in.calls.append((action, error.code))
                    answer = {"Error": {"Code": error.code, "Message": error.message}}
                if hold:
                    stand_in._release.wait(60)
                    return  # never answers: the sender is gone by now
                answer["RequestId"] = str(uuid.uuid4())
                payload = json.dumps({"Response": answer}, ensure_ascii=False).encode()
                self.send_response(200)  # the provider answers errors with 200 too
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.server.server_port}"

    def settings(self) -> dict[str, str]:
        """The SMS_* settings (and environment) that point Qinqing at this stand-in."""
        return {
            "SMS_SECRET_ID": self.secret_id,
            "SMS_SECRET_KEY": self.secret_key,
            "SMS_SDK_APP_ID": self.app_id,
            "SMS_SIGN_NAME": self.sign_name,
            "SMS_TEMPLATE_ID": next(iter(self.templates)),
            "SMS_REGION": "ap-guangzhou",
            "SMS_ENDPOINT": self.endpoint,
            "SMS_SCHEME": "http",
        }

    def __enter__(self) -> TencentSmsStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._release.set()
        self.server.shutdown()
        self.server.server_close()

    def text_of(self, sent: Sent) -> str:
        """The message as the phone shows it: 【signature】 and the template filled in."""
        template = self.templates[sent.template_id]
        filled = PLACEHOLDER.sub(lambda m: sent.params[int(m.group()[1:-1]) - 1], template)
        return f"【{self.sign_name}】{filled}"

    # --- what the provider checks ---------------------------------------------------------

    def _authenticate(self, method: str, path: str, headers: dict, body: bytes) -> None:
        headers = {name.lower(): value for name, value in headers.items()}
        match = AUTHORIZATION.fullmatch(headers.get("authorization", ""))
        if match is None:
            raise ProviderError("AuthFailure.SignatureFailure", "The Authorization is malformed.")
        if match["id"] != self.secret_id:
            raise ProviderError("AuthFailure.SecretIdNotFound", "The SecretId is not found.")
        if headers.get("x-tc-version") != VERSION or match["service"] != SERVICE:
            raise ProviderError("InvalidParameter", "Wrong version or service.")
        if not headers.get("x-tc-region"):
            raise ProviderError("MissingParameter", "The region is missing.")
        timestamp = int(headers.get("x-tc-timestamp", "0"))
        if abs(time.time() - timestamp) > 300:
            raise ProviderError("AuthFailure.SignatureExpire", "The signature has expired.")
        date = dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d")
        if match["date"] != date:
            raise ProviderError("AuthFailure.SignatureFailure", "The credential date is wrong.")
        signed = match["signed"].split(";")
        canonical_headers = "".join(f"{name}:{headers.get(name, '').strip()}\n" for name in signed)
        canonical_request = "\n".join(
            [
                method,
                path.split("?")[0],
                path.split("?")[1] if "?" in path else "",
                canonical_headers,
                match["signed"],
                hashlib.sha256(body).hexdigest(),
            ]
        )
        string_to_sign = "\n".join(
            [
                "TC3-HMAC-SHA256",
                str(timestamp),
                f"{date}/{SERVICE}/tc3_request",
                hashlib.sha256(canonical_request.encode()).hexdigest(),
            ]
        )
        if not {"content-type", "host"} <= set(signed) or not hmac.compare_digest(
            tc3_signature(self.secret_key, date, string_to_sign), match["signature"]
        ):
            raise ProviderError("AuthFailure.SignatureFailure", "The signature does not match.")

    def _send_sms(self, params: dict) -> tuple[dict, bool]:
        if params.get("SmsSdkAppId") != self.app_id:
            raise ProviderError("InvalidParameterValue.SdkAppIdNotExist", "No such SdkAppId.")
        if params.get("SignName") != self.sign_name:
            raise ProviderError(
                "FailedOperation.SignatureIncorrectOrUnapproved", "The signature is not approved."
            )
        template = self.templates.get(str(params.get("TemplateId")))
        if template is None:
            raise ProviderError(
                "FailedOperation.TemplateIncorrectOrUnapproved", "The template is not approved."
            )
        values = params.get("TemplateParamSet") or []
        if len(values) != len(PLACEHOLDER.findall(template)) or not all(
            isinstance(v, str) and v for v in values
        ):
            raise ProviderError(
                "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
                "The parameters do not match the template.",
            )
        phones = params.get("PhoneNumberSet") or []
        if not 1 <= len(phones) <= 200:
            raise ProviderError("LimitExceeded.PhoneNumberCountLimit", "1 to 200 numbers.")
        statuses, hold = [], False
        for phone in phones:
            status = {
                "SerialNo": "",
                "PhoneNumber": phone,
                "Fee": 0,
                "SessionContext": params.get("SessionContext", ""),
                "IsoCode": "CN",
            }
            if not isinstance(phone, str) or not MAINLAND_MOBILE.fullmatch(phone):
                status.update(
                    Code="InvalidParameterValue.IncorrectPhoneNumber",
                    Message="The phone number is wrong.",
                )
            else:
                with self._lock:
                    serial = f"2433:{uuid.uuid4().int % 10**18}"
                    self.sent.append(
                        Sent(
                            phone,
                            str(params["TemplateId"]),
                            values,
                            params.get("SessionContext", ""),
                            serial,
                            int(time.time()),
                        )
                    )
                    hold = hold or (self.hold_first and len(self.sent) == 1)
                status.update(SerialNo=serial, Fee=1, Code="Ok", Message="send success")
            statuses.append(status)
        return {"SendStatusSet": statuses}, hold

    def _pull_status(self, params: dict) -> dict:
        if params.get("SmsSdkAppId") != self.app_id:
            raise ProviderError("InvalidParameterValue.SdkAppIdNotExist", "No such SdkAppId.")
        phone = params.get("PhoneNumber")
        if not isinstance(phone, str) or not MAINLAND_MOBILE.fullmatch(phone):
            raise ProviderError(
                "InvalidParameterValue.IncorrectPhoneNumber", "The phone number is wrong."
            )
        begin, end = int(params.get("BeginTime", 0)), int(params.get("EndTime", 0))
        offset, limit = int(params.get("Offset", 0)), int(params.get("Limit", 0))
        if not 0 < limit <= 100:
            raise ProviderError("InvalidParameterValue", "Limit is 1 to 100.")
        with self._lock:
            found = [s for s in self.sent if s.phone == phone and begin <= s.at <= end]
        reports = [
            {
                "UserReceiveTime": dt.datetime.fromtimestamp(s.at, dt.UTC).isoformat(),
                "CountryCode": "86",
                "SubscriberNumber": s.phone[3:],
                "PhoneNumber": s.phone,
                "SerialNo": s.serial,
                "ReportStatus": "SUCCESS",
                "Description": "用户短信送达成功",
                "SessionContext": s.session,
            }
            for s in found[offset : offset + limit]
        ]
        return {"PullSmsSendStatusSet": reports}
