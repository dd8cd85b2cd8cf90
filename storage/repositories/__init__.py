"""Repositories: the queries each part of the bot needs, behind plain methods."""
