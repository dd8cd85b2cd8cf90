"""Configuration: clear messages naming the key, exit code 2, secrets only from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_the_example_config_is_valid_and_matches_the_defaults() -> None:
    example = load_settings(ROOT / "config.example.toml")
    assert example.model_dump() == load_settings(None).model_dump()


@pytest.mark.parametrize(
    ("content", "key", "hint"),
    [
        ('[community]\ntimezone = "Mars/Base"\n', "community.timezone", "unknown IANA time zone"),
        ('[community]\ndefault_language = "de"\n', "community.default_language", "en, fr, es, ar"),
        ('[telegram]\nmode = "carrier-pigeon"\n', "telegram.mode", "'polling' or 'webhook'"),
        ("[telegram]\nport = 70000\n", "telegram.port", "65535"),
        ('[storage]\nurl = "mysql://x"\n', "storage.url", "sqlite+aiosqlite://"),
        ('[reminders]\ndefault_offsets = ["soon"]\n', "reminders.default_offsets", "duration"),
        ('[telegram]\ntoken = "123:abc"\n', "telegram.token", "unknown key"),
    ],
)
def test_bad_values_name_the_key_and_what_is_allowed(
    tmp_path: Path, content: str, key: str, hint: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(content)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert key in str(caught.value)
    assert hint in str(caught.value)


def test_cli_exits_2_with_one_clear_message_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[community\nname = 'broken'")
    assert main(["db", "upgrade", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "not valid TOML" in err and "Traceback" not in err


def test_missing_file_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["console", "--config", "/nonexistent/config.toml"]) == 2
    assert "Config file not found" in capsys.readouterr().err


def test_database_url_from_the_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAMPIONS_BOT_DATABASE_URL", "sqlite+aiosqlite:///elsewhere.db")
    assert load_settings(None).storage.url == "sqlite+aiosqlite:///elsewhere.db"


def test_config_file_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[community]\nname = "Connective Cities"\ntimezone = "asia/amman"\n')
    monkeypatch.setenv("CHAMPIONS_BOT_CONFIG", str(path))
    settings = load_settings(None)
    assert settings.community.name == "Connective Cities"
    assert settings.community.timezone == "Asia/Amman"


def test_ids_pasted_as_toml_integers_are_the_same_ids(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "[discord]\nguild_id = 123456789012345678\nannouncements_channel_id = 987654321098765432\n"
        "[admins]\ndiscord = [111111111111111111]\ntelegram = [42]\n"
        '[[community.chats]]\nplatform = "telegram"\nchat_id = -1001234567890\n'
    )
    settings = load_settings(path)
    assert settings.discord.guild_id == "123456789012345678"
    assert settings.discord.announcements_channel_id == "987654321098765432"
    assert settings.admins.discord == ("111111111111111111",)
    assert settings.admins.telegram == ("42",)
    assert settings.community.chats[0].chat_id == "-1001234567890"


def test_a_guild_id_must_still_be_an_id(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[discord]\nguild_id = true\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert "discord.guild_id" in str(caught.value)


def test_a_zone_abbreviation_is_refused_with_the_places_it_may_mean(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[community]\ntimezone = "EST"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert "community.timezone" in str(caught.value)
    assert "did you mean 'America/New_York'" in str(caught.value)
    path.write_text('[community]\ntimezone = "US/Eastern"\n')
    assert load_settings(path).community.timezone == "America/New_York"


@pytest.mark.parametrize("value", ["0", '"two"', "true", "2.5", "5000", '"AUTO"'])
def test_discord_shards_must_be_a_count_or_auto(tmp_path: Path, value: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"[discord]\nshards = {value}\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert "discord.shards" in message and 'or "auto"' in message, message


def test_discord_shards_read_as_a_count_or_auto(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[discord]\nshards = 2\n")
    assert load_settings(path).discord.shards == 2
    path.write_text('[discord]\nshards = "auto"\n')
    assert load_settings(path).discord.shards == "auto"
    path.write_text("[discord]\n")
    assert load_settings(path).discord.shards is None
