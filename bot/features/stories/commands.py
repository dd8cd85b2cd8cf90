"""/story: champions share achievements; admins approve them for publication."""

from __future__ import annotations

from bot.core.arguments import ArgKind, ArgSpec
from bot.core.context import CommandContext
from bot.core.errors import NotFoundError, UserFacingError
from bot.core.feature import Feature
from bot.core.i18n import N_
from bot.core.messages import Button, Destination, Reply
from bot.core.registry import Audience
from bot.core.richtext import bold, line
from bot.core.topics import Topic
from bot.features.profiles.service import clean_text
from storage.models import Story
from storage.statuses import StoryStatus

feature = Feature("stories", topic=Topic.CONTRIBUTIONS)

STORY_ID = ArgSpec("id", ArgKind.INTEGER, N_("Story number"))


@feature.command(
    "story",
    featured=True,
    description=N_("Share an achievement with the network"),
    args=[ArgSpec("text", ArgKind.TEXT, N_("Your story"), max_length=2000, long=True)],
    audience=Audience.CHAMPION,
)
async def share_story(ctx: CommandContext, text: str) -> Reply:
    text = clean_text(text, limit=2000, what="story")
    story = await ctx.uow.stories.add(
        Story(community_id=ctx.community.id, member_id=ctx.member.id, text=text, created_at=ctx.now)
    )
    return ctx.reply(
        ctx._(
            "Thank you! Your story #{id} will be published once an admin has read it.",
            id=story.id,
        ),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "story", "pending", description=N_("Stories waiting for review"), audience=Audience.ADMIN
)
async def pending_stories(ctx: CommandContext) -> list[Reply]:
    stories = await ctx.uow.stories.with_status(ctx.community.id, StoryStatus.PENDING)
    if not stories:
        return [
            ctx.reply(ctx._("No stories are waiting for review."), destination=Destination.PERSONAL)
        ]
    replies = []
    shown = stories[:10]
    authors = await ctx.uow.members.by_ids([story.member_id for story in shown])
    for story in shown:
        author = authors.get(story.member_id)
        replies.append(
            ctx.reply(
                line(bold(f"#{story.id} · {author.display_name if author else '?'}")),
                story.text,
                buttons=(
                    (
                        Button(ctx._("Approve"), f"story approve {story.id}"),
                        Button(ctx._("Decline"), f"story reject {story.id}"),
                    ),
                ),
                destination=Destination.PERSONAL,  # not published yet: never in a group
            )
        )
    return replies


async def _review(ctx: CommandContext, story_id: int, status: StoryStatus) -> Story:
    missing = NotFoundError("There is no story #{id}.", id=story_id)
    story = ctx.administered(await ctx.uow.stories.get(story_id), missing)
    if story.status != StoryStatus.PENDING:
        raise UserFacingError("Story #{id} was already reviewed.", id=story_id)
    story.status = status
    story.reviewed_at = ctx.now
    story.reviewed_by = ctx.member.id
    await ctx.audit(
        f"story.{status}", within=story.community_id, story_id=story.id, member_id=story.member_id
    )
    return story


@feature.command(
    "story",
    "approve",
    description=N_("Approve a story for publication"),
    args=[STORY_ID],
    audience=Audience.ADMIN,
)
async def approve_story(ctx: CommandContext, id: int) -> Reply:
    story = await _review(ctx, id, StoryStatus.APPROVED)
    return ctx.reply(
        ctx._("Story #{id} is approved.", id=story.id), destination=Destination.EPHEMERAL
    )


@feature.command(
    "story",
    "reject",
    description=N_("Decline a story"),
    args=[STORY_ID],
    audience=Audience.ADMIN,
)
async def reject_story(ctx: CommandContext, id: int) -> Reply:
    story = await _review(ctx, id, StoryStatus.REJECTED)
    return ctx.reply(
        ctx._("Story #{id} is declined.", id=story.id), destination=Destination.EPHEMERAL
    )
