"""The bot's answers to button presses and inline queries, kept as tests read them (an inline
answer with the text each result shows once shared)."""

from __future__ import annotations

import json
from typing import Any

from tests.fakes.telegram_api.base import FakeTelegramBase, _Refused
from tests.fakes.telegram_api.records import InlineAnswer, InlineResult
from tests.fakes.telegram_html import parse_telegram_html


class TelegramAnswers(FakeTelegramBase):
    """answerCallbackQuery, answerInlineQuery, and waiting for an inline answer."""

    async def _m_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        self.answered_callbacks.append(params)
        return True

    async def _m_answerInlineQuery(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        """Record the offered results as readers would see them once shared (the checks
        already parsed their HTML and refused too many, duplicate ids and empty texts); a
        query can be answered once."""
        query_id = params["inline_query_id"]
        if query_id in self.inline_answers:
            raise _Refused(400, "Bad Request: query is too old and response timeout expired")
        raw = json.loads(params["results"])
        results = []
        for item in raw:
            content = item["input_message_content"]
            source = content["message_text"]
            html_mode = content.get("parse_mode") == "HTML"
            text = parse_telegram_html(source) if html_mode else source
            results.append(
                InlineResult(item["id"], item["title"], item.get("description"), text, source)
            )
        cache = params.get("cache_time")
        self.inline_answers[query_id] = InlineAnswer(
            query_id,
            results,
            int(cache) if cache is not None else None,
            str(params.get("is_personal", "")).lower() == "true",
        )
        return True

    async def wait_inline(self, update: dict[str, Any], within: float = 10.0) -> InlineAnswer:
        """Wait for the answer to the inline query in ``update``."""
        query_id = update["inline_query"]["id"]
        await self.wait_for(lambda: query_id in self.inline_answers, within)
        return self.inline_answers[query_id]
