"""A share that is a file: checked, compared by content, stored, and shown to reviewers.

The bytes live in ``shared_files`` (every process can serve them); the contribution's ``url``
is the address the web server will serve the file at once approved, so the rest of the review
(queue, approval through the hub's one add path, the "shared by" credit) is the same as a link's.
"""

from __future__ import annotations

from bot.config import ContributionsConfig, Settings
from bot.core.context import CommandContext
from bot.core.errors import UserFacingError
from bot.core.i18n import N_
from bot.core.messages import Attachment, Upload
from bot.features.contributions.files import CheckedFile, check_upload, file_url, new_token
from storage.models_contributions import Contribution, SharedFile

ATTACH_TO_REVIEW_BYTES = 8_000_000
"""A file up to this size is attached to its review card (every platform takes 8 MB)."""


def public_url(ctx: CommandContext) -> str:
    """The web server's address; without ``[http]`` files cannot be served, so not kept."""
    http = ctx.services[Settings].http
    if http is None:
        raise UserFacingError(
            N_("This bot cannot keep files here. Please share a link to the document instead.")
        )
    return http.public_url


async def checked_file(ctx: CommandContext, upload: Upload) -> tuple[CheckedFile, str, str]:
    """The accepted file, its new token and the address it will be served at; refused when
    too big, not a document, or already shared (same content, whatever its name)."""
    address = public_url(ctx)
    checked = check_upload(upload, ctx.services[ContributionsConfig].max_file_bytes)
    found = await ctx.uow.shared_files.same_content(checked.sha256)
    if found is not None and found[0] == "catalogue":
        resource = await ctx.uow.resources.get(found[1])
        raise UserFacingError(
            N_(
                "Thank you, but the Knowledge Hub already has it: #{id} {title}. "
                "Find it with /resources #{id}."
            ),
            id=found[1],
            title=resource.title if resource else "",
        )
    if found is not None:
        queued = await ctx.uow.contributions.get(found[1])
        raise UserFacingError(
            N_("Thank you, but someone already shared it; it is waiting for review: {title}."),
            title=queued.title if queued else checked.filename,
        )
    token = new_token()
    return checked, token, file_url(address, token, checked.filename)


async def keep(
    ctx: CommandContext, contribution: Contribution, checked: CheckedFile, token: str
) -> SharedFile:
    return await ctx.uow.shared_files.add(
        SharedFile(
            token=token,
            contribution_id=contribution.id,
            filename=checked.filename,
            mime_type=checked.mime_type,
            size=checked.size,
            sha256=checked.sha256,
            data=checked.data,
            created_at=ctx.now,
        )
    )


def review_attachment(shared: SharedFile) -> tuple[Attachment, ...]:
    """The file itself on its review card, so the admin reads what she approves."""
    if shared.size > ATTACH_TO_REVIEW_BYTES:
        return ()
    return (Attachment(shared.filename, shared.data, shared.mime_type.split(";")[0]),)
