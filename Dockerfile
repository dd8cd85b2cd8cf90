# syntax=docker/dockerfile:1
# Champions Bot: the locked dependencies (requirements.lock, hash-checked) on a slim Python,
# run by a user without privileges. Build and run: docs/deploy.md.
#   docker build -t champions-bot .
#   docker run --rm -it champions-bot              # the console, on SQLite in /data
#   docker run --rm champions-bot doctor           # any other command of champions-bot

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# The dependencies first, from the lock alone: this layer is rebuilt only when the lock changes.
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY storage ./storage
COPY adapters ./adapters
RUN pip install --no-deps . && pip check

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    CHAMPIONS_BOT_DATABASE_URL=sqlite+aiosqlite:////data/champions.db
RUN groupadd --system --gid 10001 champions \
    && useradd --system --uid 10001 --gid champions --home-dir /data --create-home \
       --shell /usr/sbin/nologin champions
COPY --from=build /opt/venv /opt/venv
USER champions
WORKDIR /data
VOLUME ["/data"]
# 8080: the bot's HTTP server ([http]: /healthz, /readyz, /metrics, calendar feeds);
# 8443: the Telegram webhook ([telegram] mode = "webhook"). Both off unless configured.
EXPOSE 8080 8443
# Asks /healthz when [http] is configured; healthy as long as the process runs otherwise.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot.ops.probe"]
ENTRYPOINT ["champions-bot"]
CMD ["run"]
