"""The ASGI front on its own (no server): junk never reaches Bolt and never becomes a 500."""
import asyncio
import time

import pytest

from bot.slack.web import EVENTS_PATH, MAX_BODY, SlackFront


class _NeverBolt:
    def dispatch(self, request):  # pragma: no cover - reaching it is the failure
        raise AssertionError("an unsigned request reached Bolt")


def _call(headers: dict[str, bytes], body: bytes, chunks: int = 1) -> tuple[int, bytes]:
    front = SlackFront(_NeverBolt(), "secret", lambda: 1)
    scope = {"type": "http", "path": EVENTS_PATH, "method": "POST", "query_string": b"",
             "headers": [(k.encode(), v) for k, v in headers.items()]}
    parts = [body[i::chunks] for i in range(chunks)] if chunks > 1 else [body]
    sent: list[dict] = []

    async def receive():
        part = parts.pop(0) if parts else b""
        return {"type": "http.request", "body": part, "more_body": bool(parts)}

    async def send(message):
        sent.append(message)

    asyncio.run(front(scope, receive, send))
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


NOW = str(int(time.time())).encode()


@pytest.mark.parametrize("headers, body", [
    ({"x-slack-request-timestamp": "\u00b2".encode("latin-1"), "x-slack-signature": b"v0=ab"}, b"{}"),
    ({"x-slack-request-timestamp": NOW, "x-slack-signature": "v0=\u00e9".encode("latin-1")}, b"{}"),
    ({"x-slack-request-timestamp": NOW, "x-slack-signature": b"v0=" + b"ab" * 32}, b"\xff\xfe not utf-8"),
    ({"x-slack-request-timestamp": NOW, "x-slack-signature": b"v0=" + b"ab" * 32}, b'{"type": "x"}'),
    ({}, b"{}"),
], ids=["superscript-timestamp", "non-ascii-signature", "non-utf8-body", "wrong-signature", "unsigned"])
def test_junk_gets_a_401_not_a_500(headers, body):
    assert _call(headers, body)[0] == 401


def test_a_body_over_the_cap_is_refused_while_it_arrives():
    headers = {"x-slack-request-timestamp": NOW, "x-slack-signature": b"v0=" + b"ab" * 32}
    assert _call(headers, b"x" * (MAX_BODY + 10), chunks=4)[0] == 413
    assert _call({**headers, "content-length": str(MAX_BODY + 1).encode()}, b"")[0] == 413
