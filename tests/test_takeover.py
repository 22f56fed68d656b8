"""What an instance does when it takes the lead, and the clock tests start processes with."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.app import build_application
from bot.clock import ShiftedClock
from bot.settings import Settings
from handlers import intros, members, scheduling
from handlers.context import LEADERSHIP


class Takes:
    """An instance that does not lead yet and takes the lead at its next try."""

    def __init__(self) -> None:
        self.is_leader = False

    async def lead(self) -> bool:
        self.is_leader = True
        return True

    async def check_secret(self) -> None:
        pass

    async def close(self) -> None:
        pass


async def test_taking_the_lead_runs_the_leaders_jobs_at_once(settings):
    app = build_application(settings)
    await app.initialize()
    assert app.job_queue is not None
    app.job_queue.scheduler.start(paused=True)
    try:
        leadership = Takes()
        app.bot_data[LEADERSHIP] = leadership
        names = (scheduling.TICK_JOB_NAME, members.WELCOME_JOB_NAME, intros.SWEEP_JOB_NAME)
        for name in names:
            [job] = app.job_queue.get_jobs_by_name(name)
        [lead] = app.job_queue.get_jobs_by_name("leadership")
        before = datetime.now(UTC)
        await lead.callback(lead_context(app, lead))
        for name in names:
            [job] = app.job_queue.get_jobs_by_name(name)
            assert job.next_t is not None
            assert job.next_t - before < timedelta(seconds=1), f"{name} runs at once"
        # Still leading at the next try: nothing is brought forward again.
        for name in names:
            app.job_queue.get_jobs_by_name(name)[0].job.modify(
                next_run_time=before + timedelta(hours=1)
            )
        await lead.callback(lead_context(app, lead))
        for name in names:
            assert app.job_queue.get_jobs_by_name(name)[0].next_t > before + timedelta(minutes=59)
    finally:
        app.job_queue.scheduler.shutdown(wait=False)
        await app.shutdown()


def lead_context(app, job):
    from handlers.context import ReteContext

    return ReteContext.from_job(job, app)


def test_the_leader_retry_interval_is_a_setting():
    assert Settings(bot_token=None).leader_retry_seconds == 5.0
    assert Settings(bot_token=None, leader_retry_seconds=0.5).leader_retry_seconds == 0.5
    with pytest.raises(ValueError, match="less than or equal to 30"):
        Settings(bot_token=None, leader_retry_seconds=120)


def test_the_test_clock_starts_at_the_moment_given_and_runs_on():
    start = datetime(2026, 11, 23, 9, 0, 50, tzinfo=UTC)
    clock = ShiftedClock(start)
    first = clock.now()
    assert timedelta(0) <= first - start < timedelta(seconds=1)
    assert clock.now() >= first, "it runs on"
    assert Settings(bot_token=None, test_clock="2026-11-23T09:00:50+00:00").test_clock == start
    with pytest.raises(ValueError, match="with its offset"):
        Settings(bot_token=None, test_clock="2026-11-23T09:00:50")
