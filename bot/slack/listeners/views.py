"""Views: the App Home tab, published whenever a user opens it (``app_home_opened``)."""
from __future__ import annotations

from typing import Any, Mapping

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack.blocks import home_view
from bot.slack.replies import Deps, event_tag

__all__ = ["register", "handle_app_home_opened"]


def handle_app_home_opened(deps: Deps, *, event: Mapping[str, Any], body: Mapping[str, Any],
                           client: WebClient, request: Any = None) -> str:
    tag = event_tag(body, request)
    user = event.get("user")
    if event.get("tab", "home") != "home" or not user:
        deps.logger.info("%s: ignored (opened the %s tab)", tag, event.get("tab"))
        return "ignored"
    try:
        # Publishing is idempotent, so a retried event simply publishes the same view again.
        client.views_publish(user_id=user, view=home_view(deps.answerer.stats, deps.answerer.examples))
    except Exception as err:
        deps.logger.error("%s: views.publish for %s failed: %s: %s", tag, user, type(err).__name__, err)
        return "failed"
    deps.logger.info("%s: home published for %s", tag, user)
    return "published"


def register(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    def _app_home_opened(event, body, client, request):
        handle_app_home_opened(deps, event=event, body=body, client=client, request=request)
