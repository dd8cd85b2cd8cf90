"""Running the bot in production: health, readiness and metrics over HTTP, one-line logs
(JSON when asked), optional Sentry reports, and ``champions-bot doctor``.

Nothing here changes what the bot does; it watches the router and the dispatcher through
their observer hooks and reads the database when asked. See docs/deploy.md.
"""
