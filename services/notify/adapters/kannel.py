"""SMS through Kannel's smsbox: `GET /cgi-bin/sendsms` with a `dlr-url`.

A refused connection or an error answer means nothing was sent
(`SendError`); a request that went out without an answer may have been
accepted (`AmbiguousSend`). Text in the GSM-7 alphabet goes as coding 0 (160
characters a part); anything else as UCS-2 (coding 2). Longer text is split
by smsbox into a concatenated (multipart) SMS of at most `max-messages` parts
(deploy/kannel/kannel.conf.template).
"""

from __future__ import annotations

import http.client
import urllib.parse

from services.notify.domain import DLR_MASK, AmbiguousSend, SendError, is_gsm7


class KannelSender:
    def __init__(
        self,
        sendsms_url: str,
        username: str,
        password: str,
        sender: str = "1708",
        timeout: float = 10.0,
    ):
        url = urllib.parse.urlsplit(sendsms_url)
        self.host, self.port, self.path = url.hostname, url.port or 80, url.path
        self.username, self.password, self.sender, self.timeout = (
            username,
            password,
            sender,
            timeout,
        )

    def query(self, to: str, text: str, dlr_url: str) -> str:
        params = {
            "username": self.username,
            "password": self.password,
            "from": self.sender,
            "to": to.lstrip("+"),  # Kannel and operators write numbers without '+'
            "text": text,
            "charset": "UTF-8",
            "coding": "0" if is_gsm7(text) else "2",
            "dlr-mask": str(DLR_MASK),
            "dlr-url": dlr_url,
        }
        return self.path + "?" + urllib.parse.urlencode(params)

    def send(self, to: str, text: str, dlr_url: str) -> None:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            try:
                conn.connect()
            except OSError as exc:
                raise SendError(f"cannot reach Kannel: {exc}") from exc
            try:
                conn.request("GET", self.query(to, text, dlr_url))
                answer = conn.getresponse()
                body = answer.read(1000).decode("utf-8", "replace").strip()
            except (TimeoutError, OSError, http.client.HTTPException) as exc:
                raise AmbiguousSend(f"no answer from Kannel: {exc}") from exc
        finally:
            conn.close()
        # 202 "0: Accepted for delivery" or "3: Queued for later delivery"
        if answer.status not in (200, 202):
            raise SendError(f"Kannel refused: {answer.status} {body[:200]}")
