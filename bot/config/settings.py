"""The whole configuration file: one model made of the sections."""

from __future__ import annotations

from bot.config.base import Section
from bot.config.platforms import AdminsConfig, DiscordConfig, TelegramConfig
from bot.config.sections import (
    AdviceConfig,
    AssessmentConfig,
    CommunityConfig,
    ContributionsConfig,
    HttpConfig,
    HubConfig,
    LoggingConfig,
    PrivacyConfig,
    RemindersConfig,
    StorageConfig,
)


class Settings(Section):
    """Everything the bot reads from its config file."""

    community: CommunityConfig = CommunityConfig()
    communities: tuple[CommunityConfig, ...] = ()
    """More communities served by the same deployment."""
    storage: StorageConfig = StorageConfig()
    admins: AdminsConfig = AdminsConfig()
    telegram: TelegramConfig = TelegramConfig()
    discord: DiscordConfig = DiscordConfig()
    reminders: RemindersConfig = RemindersConfig()
    advice: AdviceConfig = AdviceConfig()
    assessment: AssessmentConfig = AssessmentConfig()
    privacy: PrivacyConfig = PrivacyConfig()
    hub: HubConfig = HubConfig()
    contributions: ContributionsConfig = ContributionsConfig()
    logging: LoggingConfig = LoggingConfig()
    http: HttpConfig | None = None

    @property
    def all_communities(self) -> tuple[CommunityConfig, ...]:
        return (self.community, *self.communities)

    def community_named(self, slug: str) -> CommunityConfig:
        for community in self.all_communities:
            if community.slug == slug:
                return community
        return self.community
