"""Test fakes and drivers: a local stand-in for Slack's Web API and helpers that drive the app the
way Slack does. Test code: never shipped in the wheel."""
