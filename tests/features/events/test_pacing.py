"""Pacing: each platform's sends are spread to its configured rate; a 429 pauses them."""

from __future__ import annotations

from bot.delivery.pacing import DEFAULT_RATE, Pacing, TokenBucket


class FakeTime:
    """A monotonic clock that moves only when the bucket sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


async def test_sends_take_the_next_free_slot_at_the_rate() -> None:
    time = FakeTime()
    bucket = TokenBucket(10, monotonic=time.monotonic, sleep=time.sleep)
    for _ in range(4):
        await bucket.acquire()
    assert time.sleeps == [0.1, 0.1]  # two slots free at once (catch-up), then one per 0.1 s
    assert round(time.now, 6) == 100.2


async def test_a_pause_holds_every_sender_until_it_ends() -> None:
    time = FakeTime()
    bucket = TokenBucket(10, monotonic=time.monotonic, sleep=time.sleep)
    await bucket.acquire()
    bucket.pause(3.0)
    await bucket.acquire()
    assert time.sleeps == [3.0]


def test_each_platform_has_its_own_bucket_at_its_rate() -> None:
    pacing = Pacing({"telegram": 25.0})
    assert pacing.bucket("telegram") is pacing.bucket("telegram")
    telegram, discord = pacing.bucket("telegram"), pacing.bucket("discord")
    assert isinstance(telegram, TokenBucket) and telegram.interval == 1 / 25
    assert isinstance(discord, TokenBucket) and discord.interval == 1 / DEFAULT_RATE
