"""The Bolt app factory: settings, an answerer and a store in, a ready ``App`` out.

Nothing is built at import time, so tests (and each uvicorn worker process) make their own app.
"""
from __future__ import annotations

import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.config import Settings, reload_seconds
from bot.errors import SettingsError
from bot.slack.expert_team import Experts
from bot.slack.listeners import register_listeners
from bot.slack.replies import AnswererLike, Deps
from bot.slack.store import Store

__all__ = ["build_client", "create_app", "configure_logging", "load_answerer", "OneLineFormatter"]

LOGGER_NAME = "bot.slack"


def _not_token_unused(record: logging.LogRecord) -> bool:
    # Bolt warns when SLACK_BOT_TOKEN is in the environment and a client is passed: expected here.
    return "`token` will be unused" not in record.getMessage()


def build_client(settings: Settings, *, token: str | None = None) -> WebClient:
    """A WebClient for ``SLACK_API_URL`` that waits out 429s (Retry-After) and retries
    dropped connections, as slack_sdk's retry handlers do."""
    return WebClient(
        token=token or settings.bot_token,
        base_url=settings.api_url,
        timeout=15,
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=2), RateLimitErrorRetryHandler(max_retry_count=3)],
    )


def create_app(settings: Settings, answerer: AnswererLike, store: Store, *, client: WebClient | None = None,
               process_before_response: bool = False, logger: logging.Logger | None = None,
               top_k: int = 3) -> App:
    """Build the Bolt app.

    ``process_before_response`` stays False in both HTTP and Socket Mode: Bolt acknowledges at
    once (well inside Slack's 3 s) and runs the listener on its executor, which is safe in
    uvicorn worker processes (Bolt runs on a thread there) and the Socket Mode worker. Posting may wait out a 429,
    which must not delay the acknowledgement. Tests pass True to make dispatch synchronous.
    """
    if not settings.socket_mode and not settings.signing_secret:
        # Without a secret every HTTP request would be accepted unverified.
        raise SettingsError("missing setting SLACK_SIGNING_SECRET: needed to verify requests in HTTP mode")
    client = client or build_client(settings)
    bolt_logger = logging.getLogger("slack_bolt.App")
    if _not_token_unused not in bolt_logger.filters:
        bolt_logger.addFilter(_not_token_unused)
    app = App(
        name="socbot",
        client=client,
        signing_secret=settings.signing_secret or "",
        process_before_response=process_before_response,
        # Bolt's default is 5 threads; a burst of questions should not queue behind slow posts.
        listener_executor=ThreadPoolExecutor(max_workers=16, thread_name_prefix="socbot-listener"),
    )
    deps = Deps(answerer=answerer, store=store, logger=logger or logging.getLogger(LOGGER_NAME), top_k=top_k,
                experts=Experts.from_settings(settings, reload_seconds()))
    if deps.experts is not None and hasattr(answerer, "learn_from"):
        answerer.learn_from(store)  # answers experts save reach this process at its next reload
    register_listeners(app, deps)

    @app.error
    def _on_error(error: Exception, body: dict[str, Any]) -> None:
        # Never silent: any exception a listener lets through is logged with what it was handling.
        deps.logger.error("event %s: unhandled %s: %s", (body or {}).get("event_id") or (body or {}).get("type"),
                          type(error).__name__, error, exc_info=error)

    return app


def load_answerer(knowledge: str | None) -> AnswererLike:
    """The core's answerer over the knowledge directory (None: its default), kept live.

    It starts from the restart cache and follows changes to the knowledge files
    (``SOCBOT_RELOAD_SECONDS``); a broken change is logged and the running base kept. Call it
    in each process after any fork: its reload thread does not survive one.
    """
    from bot.answers.live import LiveAnswerer  # imported here: the core must not be loaded by `import bot.slack`

    return LiveAnswerer(knowledge)


class OneLineFormatter(logging.Formatter):
    """A record's message on one line: a newline in text that came from a request ("…\\nINFO …
    answered") cannot forge a log line. Tracebacks keep their lines."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return super().formatMessage(record).replace("\r", "\\r").replace("\n", "\\n")


def configure_logging(level: str = "INFO") -> None:
    """One line per record on stderr, with the process id (several web workers share a log)."""
    logging.basicConfig(level=getattr(logging, level, logging.INFO), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setFormatter(OneLineFormatter(handler.formatter._fmt if handler.formatter else None))
    # slack_sdk logs request bodies at DEBUG; keep its loggers at INFO so our DEBUG stays readable
    # (it redacts Authorization headers, and tokens are only ever sent in those).
    for name in ("slack_sdk", "slack_bolt"):
        logging.getLogger(name).setLevel(max(logging.getLogger(name).getEffectiveLevel(), logging.INFO))
