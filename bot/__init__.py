"""socbot: answers questions about SOC reports from a cited knowledge base.

The core (knowledge, analysis, index, answering) never imports Slack; ``bot.slack`` does.
"""
__version__ = "0.1.0"
