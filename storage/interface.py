"""The narrow storage interface the rest of Rete uses.

One implementation serves both engines: the repositories in ``storage.sqlite`` and its
sibling modules, over SQLite (``SqliteStore``) or PostgreSQL (``storage.postgres``), whose
statements ``storage.dialect`` renders. ``bot`` and ``handlers`` never know which.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from storage.asks import SqliteAsks
from storage.intro_records import CandidateRow, Intro, IntroStats, NewIntro, OptIn, TagHolders
from storage.locks import WorkLocks
from storage.models import Chat, ChatInfo, Member, MemberInfo, Membership, Now
from storage.prompts import CustomPrompt, Decided, Rotation, Suggestion, TrackRecord
from storage.ties import SqlTies
from storage.welcomes import Newcomer, WaitingGroup


class ChatRepository(Protocol):
    """Groups the bot is in, and their settings."""

    async def get(self, chat_id: int) -> Chat | None:
        """Return the chat, or None if the bot never saw it."""

    async def seen(self, info: ChatInfo) -> Chat:
        """Create the chat if new, refresh its title/type; return it."""

    async def set_bot_status(self, chat_id: int, status: str, *, active: bool) -> None:
        """Record the bot's own status in the chat and whether it may post there."""

    async def set_active(self, chat_id: int, active: bool) -> None:
        """Mark the chat as one the bot may (or may no longer) post in."""

    async def mark_privacy_warned(self, chat_id: int) -> bool:
        """Record that the privacy-mode warning was posted; False if it already was."""

    async def set_setting(self, chat_id: int, key: str, value: Any) -> None:
        """Store one per-chat setting (None removes it, restoring the default)."""

    async def migrate(self, old_id: int, new_id: int) -> bool:
        """Move everything about ``old_id`` to ``new_id`` (group → supergroup)."""

    async def list_active(self) -> list[Chat]:
        """Return the chats the bot may post in."""


class MemberRepository(Protocol):
    """People the bot has seen."""

    async def get(self, member_id: int) -> Member | None:
        """Return the member, or None."""

    async def get_many(self, member_ids: Sequence[int]) -> dict[int, Member]:
        """Return the members Rete knows among these ids, by id (one query for all)."""

    async def find_by_username(self, username: str) -> Member | None:
        """Return the member with this @username (case-insensitive), or None."""

    async def seen(self, info: MemberInfo) -> None:
        """Create the member if new, keep names, username and language current."""

    async def set_reachable(self, member_id: int, reachable: bool) -> None:
        """Record whether the bot can DM the member."""

    async def set_hidden(self, member_id: int, hidden: bool) -> None:
        """Hide (or show) the member on leaderboards and recaps."""

    async def export(self, member_id: int) -> dict[str, Any]:
        """Return everything stored about the member, as JSON-ready data."""

    async def delete(self, member_id: int) -> bool:
        """Delete everything stored about the member; False if there was nothing."""


class MembershipRepository(Protocol):
    """Who is in which chat, and how active they are (counts only)."""

    async def record_message(
        self, chat: ChatInfo, member: MemberInfo, message_id: int, at: datetime, day: date
    ) -> bool:
        """Count one message (buffered until the next flush); False if already counted."""

    async def record_seen(self, chat: ChatInfo, member: MemberInfo, at: datetime) -> None:
        """Note that ``member`` is in ``chat`` without counting a message (buffered)."""

    async def record_join(
        self, chat: ChatInfo, member: MemberInfo, at: datetime, *, welcome: bool = False
    ) -> None:
        """Record that the member joined the chat (idempotent; buffered until the next flush).

        ``welcome`` also queues their welcome in the group (at most one per person, ever).
        """

    async def record_leave(
        self, chat: ChatInfo, member: MemberInfo, at: datetime, status: str = "left"
    ) -> None:
        """Record that the member left or was removed (idempotent; buffered like a join)."""

    async def author_of(self, chat_id: int, message_id: int) -> int | None:
        """Return who wrote a message counted in the last 30 days, or None."""

    async def author(self, chat_id: int, message_id: int) -> MemberInfo | None:
        """Return who wrote a message counted in the last 30 days, or None."""

    def buffered_author(self, chat_id: int, message_id: int) -> MemberInfo | None:
        """Return who wrote a message counted since the last flush (no database), or None."""

    async def prune_authors(self, now: datetime | None = None) -> int:
        """Forget message authors older than 30 days; return how many."""

    async def get(self, chat_id: int, member_id: int) -> Membership | None:
        """Return the member's presence in the chat, with their total message count."""

    async def for_member(self, member_id: int) -> list[Membership]:
        """Return every chat presence of the member."""


class ScheduleRepository(Protocol):
    """Which slot of which scheduled job ran in which chat (claimed once)."""

    async def claim(
        self, chat_id: int, job: str, slot: str, slot_at: datetime, state: str = "running"
    ) -> bool:
        """Record the slot as taken; False if it already was."""

    async def finish(
        self, chat_id: int, job: str, slot: str, state: str, retry_at: datetime | None = None
    ) -> None:
        """Record how a run ended (done, failed, skipped, or held until ``retry_at``)."""

    async def take_due(self, now: datetime) -> list[Any]:
        """Return held runs whose retry time has come, marking them running."""

    async def take_interrupted(self) -> list[Any]:
        """Return runs a stopped process left running, marking them failed."""


class AdminRepository(Protocol):
    """The admins of each group as Telegram last reported them."""

    async def remember(self, chat_id: int, admins: Iterable[MemberInfo]) -> None:
        """Replace the chat's remembered admins."""

    async def of(self, chat_id: int) -> list[int]:
        """Return the remembered admin ids of a chat."""


class PromptRepository(Protocol):
    """Engagement prompts: each group's own deck, suggestions, posts and who replied."""

    async def custom(self, chat_id: int) -> list[CustomPrompt]:
        """Return the group's own prompts, oldest first."""

    async def add(
        self,
        chat_id: int,
        text: str,
        *,
        added_by: MemberInfo | None,
        at: datetime,
        suggested_by: int | None = None,
    ) -> int | None:
        """Add a prompt to the group's deck; None if the same text is already there."""

    async def remove(self, chat_id: int, prompt_id: int) -> bool:
        """Remove one of the group's prompts."""

    async def recent_messages(self, chat_id: int, since: datetime, limit: int) -> int:
        """Count the group's messages since ``since``, stopping at ``limit``."""

    async def rotation(self, chat_id: int) -> Rotation:
        """Return the current cycle, the prompts posted in it and the last one."""

    async def record_post(
        self,
        chat_id: int,
        *,
        message_id: int,
        key: str,
        cycle: int,
        text: str,
        slot: str | None,
        at: datetime,
    ) -> int:
        """Record a posted prompt; return the post's id."""

    async def posted_since(self, chat_id: int, since: datetime) -> bool:
        """True if a prompt was posted in the group at or after ``since``."""

    async def pinned_message(self, chat_id: int) -> int | None:
        """Return the message id of the prompt the bot pinned last, if still pinned."""

    async def set_pin(self, chat_id: int, post_id: int, *, pinned: bool) -> None:
        """Record whether pinning a post worked."""

    async def last_pin_failed(self, chat_id: int) -> bool:
        """True if the latest pinning attempt failed."""

    async def record_reply(self, chat_id: int, message_id: int, member: MemberInfo) -> bool:
        """Count a member's reply to a prompt once; False if not a prompt or counted."""

    async def replies(self, chat_id: int, message_id: int) -> int:
        """Return how many distinct members replied to a prompt."""

    async def track_records(self, chat_id: int) -> dict[str, TrackRecord]:
        """Return each prompt key's posts and replies."""

    async def top_post(
        self, chat_id: int, start: datetime, end: datetime
    ) -> tuple[str, int] | None:
        """Return (text as posted, distinct repliers) of the period's most-replied prompt."""

    async def suggest(self, chat_id: int, member: MemberInfo, text: str, at: datetime) -> int:
        """Record a member's suggestion, pending; return its id."""

    async def suggestion(self, suggestion_id: int) -> Suggestion | None:
        """Return a suggestion, or None."""

    async def pending(self, chat_id: int) -> list[Suggestion]:
        """Return the group's suggestions waiting for an admin."""

    async def decide(
        self, suggestion_id: int, *, approve: bool, admin: MemberInfo, at: datetime
    ) -> Decided | None:
        """Approve (into the deck) or reject a pending suggestion, once."""


class RecapRepository(Protocol):
    """The weekly recap's aggregates, and the recaps posted in each group."""

    async def week_numbers(self, chat_id: int, span: Any) -> Any:
        """Return a week's aggregates and the week before's (storage.recap.WeekNumbers)."""

    async def claim_scheduled(self, chat_id: int, week: str, at: datetime) -> int | None:
        """Record the week's scheduled recap as being posted; None if it already was."""

    async def claim_manual(
        self, chat_id: int, week: str, at: datetime, every: Any
    ) -> tuple[int | None, datetime | None]:
        """Record an on-demand recap unless one was posted within ``every``."""

    async def set_messages(
        self, recap_id: int, message_ids: Any, *, complete: bool = True
    ) -> None:
        """Record the messages a recap went out as so far, and whether that is all of it."""

    async def unfinished(self, chat_id: int, week: str) -> Any:
        """Return the week's scheduled recap if parts of it are still to go out, else None."""

    async def release(self, recap_id: int) -> None:
        """Forget a recap that could not be posted."""


class IntroRepository(Protocol):
    """Introductions: tags, opt-ins, never-lists, rounds, intros and their outcomes."""

    async def tags(self, member_id: int) -> list[tuple[str, str]]:
        """Return the member's (kind, tag) pairs, ordered by kind and tag."""

    async def add_tags(
        self, member: MemberInfo, kind: str, tags: Iterable[str], now: datetime
    ) -> int:
        """Add tags of one kind (existing ones are kept); return how many were new."""

    async def remove_tags(self, member_id: int, tags: Iterable[str]) -> int:
        """Remove tags whatever their kind; return how many rows went."""

    async def without_tags(self, member_ids: Sequence[int]) -> int:
        """Return how many of these members have no tag at all (a count, never names)."""

    async def popular_tags(
        self, member_id: int, limit: int = 8, *, at_least: int = 3
    ) -> list[tuple[str, str, int]]:
        """Return (kind, tag, people) most used in the member's groups, not yet theirs."""

    async def join(self, chat_id: int, member: MemberInfo, now: datetime) -> None:
        """Opt the member in (or back in) for introductions in the group."""

    async def optin(self, chat_id: int, member_id: int) -> OptIn | None:
        """Return the member's status in the group, or None if they never joined."""

    async def optins(self, member_id: int) -> list[OptIn]:
        """Return the member's status in every group they joined introductions in."""

    async def set_status(
        self,
        chat_id: int,
        member_id: int,
        status: str,
        now: datetime,
        *,
        until: datetime | None = None,
        reason: str | None = None,
    ) -> bool:
        """Change the member's status in the group; False if they never joined there."""

    async def opted_in(self, chat_id: int) -> list[int]:
        """Return the members opted in to introductions in the group (not stopped)."""

    async def never(self, member_id: int) -> list[int]:
        """Return the ids on the member's never-list, oldest first."""

    async def add_never(self, member: MemberInfo, other_id: int, now: datetime) -> bool:
        """Add someone to the member's never-list; False if already there."""

    async def remove_never(self, member_id: int, other_id: int) -> bool:
        """Remove someone from the member's never-list; False if they were not on it."""

    async def blocked_between(self, a: int, b: int) -> bool:
        """True if either member has the other on their never-list."""

    async def candidates(
        self, chat_id: int, now: datetime, *, sharing: Iterable[str] | None = None
    ) -> list[CandidateRow]:
        """Return who can be introduced in the group now."""

    async def candidate_counts(
        self, chat_id: int, now: datetime, tags: Iterable[str], *, including: int | None = None
    ) -> tuple[int, dict[str, int]]:
        """Return how many can be introduced in the group now, and how many hold each tag."""

    async def listed(
        self, chat_id: int, tag: str | None = None, *, among: Iterable[str] | None = None
    ) -> list[CandidateRow]:
        """Return who may be named by /whoknows in the group, with their tags."""

    async def listed_counts(
        self, chat_id: int, tags: Iterable[str], *, including: int | None = None
    ) -> tuple[int, dict[str, int]]:
        """Return how many members /whoknows may name in the group, and how many hold each tag."""

    async def candidate_holders(
        self, chat_id: int, now: datetime, tags: Sequence[str]
    ) -> TagHolders:
        """Return how many can be introduced in the group now, and who of them holds ``tags``."""

    async def listed_holders(self, chat_id: int, tags: Sequence[str]) -> TagHolders:
        """Return how many /whoknows may name in the group, and who of them holds ``tags``."""

    async def avoided_by(self, member_id: int) -> list[int]:
        """Return who has the member on their never-list."""

    async def rounds_since(
        self, chat_id: int, window: int, member_id: int | None = None
    ) -> dict[frozenset[int], int]:
        """Map each pair introduced in the group to how many rounds ago (1 = last round);
        with ``member_id``, at least every pair of theirs."""

    async def interacted(
        self, chat_id: int, member_id: int | None = None
    ) -> frozenset[frozenset[int]]:
        """Return the pairs with help between them in the group's ledger (any time); with
        ``member_id``, only theirs."""

    async def silent_members(
        self, chat_id: int, member_ids: Iterable[int], rounds: int
    ) -> list[int]:
        """Return members whose last ``rounds`` round introductions all went unanswered."""

    async def round_id(self, chat_id: int, slot: str) -> int | None:
        """Return the round recorded for the group's slot, or None."""

    async def record_round(
        self,
        chat_id: int,
        slot: str,
        now: datetime,
        follow_up_at: datetime,
        matches: Sequence[NewIntro],
        unmatched: Sequence[tuple[int, str]],
        quiet: Collection[int] = (),
    ) -> tuple[int, bool]:
        """Record a round and all its introductions in one transaction, before any DM.

        Members in ``quiet`` are left out without a DM (dm_state 'quiet').
        """

    async def last_told_left_out(self, chat_id: int, member_id: int) -> datetime | None:
        """Return when the member was last told a round had nobody for them, or None."""

    async def news_since(
        self, chat_id: int, member_id: int, since: datetime, now: datetime
    ) -> bool:
        """True if someone opted in, a shared tag was added or the member was introduced."""

    async def left_out(self, chat_id: int) -> tuple[datetime, dict[str, int]] | None:
        """Return when the group's last round ran and how many it left out, by why."""

    async def add_intros(
        self,
        chat_id: int,
        now: datetime,
        matches: Sequence[NewIntro],
        *,
        kind: str,
        status: str = "active",
        round_id: int | None = None,
        follow_up_at: datetime | None = None,
        initiator_id: int | None = None,
        note: str | None = None,
        unmatched: Sequence[tuple[int, str]] = (),
        settle: Iterable[int] = (),
        withdraw: Iterable[int] = (),
        claimed: Iterable[int] = (),
    ) -> list[int]:
        """Record introductions (and members left unmatched) in one transaction; the DMs
        of ``claimed`` members claimed at once (``claim_dm``)."""

    async def intro(self, intro_id: int) -> Intro | None:
        """Return one introduction with its members, or None."""

    async def round_intros(self, round_id: int) -> list[Intro]:
        """Return every introduction of a round (any status)."""

    async def pending_dms(
        self,
        *,
        round_id: int | None = None,
        since: datetime | None = None,
        unmatched: bool = True,
    ) -> list[tuple[int, int]]:
        """Return (intro, member) whose introduction DM is still to send, oldest first."""

    async def claim_dm(self, intro_id: int, member_id: int, now: datetime) -> bool:
        """Mark a DM as being sent; False if it was already claimed (never send twice)."""

    async def finish_dm(self, intro_id: int, member_id: int, state: str) -> None:
        """Record how a claimed DM went: sent, failed, or pending (to try again later)."""

    async def pass_dm(self, intro_id: int, sent_id: int, next_id: int, now: datetime) -> bool:
        """Record ``sent_id``'s claimed DM as sent and claim ``next_id``'s, in one write;
        False if that one was already claimed or the introduction is no longer active."""

    async def drop_unreachable(self, intro_id: int, member_id: int, now: datetime) -> list[int]:
        """A member's DM bounced: if fewer than two remain, cancel; return who is stranded."""

    async def stranded(self, round_id: int) -> list[tuple[int, int]]:
        """Return (cancelled intro, member) of the round still waiting to be re-paired."""

    async def waiting_unmatched(self, round_id: int) -> list[tuple[int, int]]:
        """Return (intro, member) of the round left without a partner and not yet told."""

    async def cancelled_for(self, round_id: int, member_id: int) -> list[Intro]:
        """Return the round's cancelled introductions the member had already been told of."""

    async def answer(self, intro_id: int, member_id: int, answer: str, now: datetime) -> bool:
        """Record the member's answer to an active introduction; False if it is not active."""

    async def set_outcome(
        self,
        intro_id: int,
        member_id: int,
        outcome: str,
        now: datetime,
        *,
        ask_again_at: datetime | None = None,
    ) -> bool:
        """Record the follow-up's answer (yes, notyet, no); False if the intro is not active."""

    async def accept(
        self, intro_id: int, member_id: int, accepted: bool, now: datetime, follow_up_at: datetime
    ) -> str | None:
        """Record a member's answer to a proposed introduction; return its status after."""

    async def due_follow_ups(self, now: datetime) -> list[tuple[int, int]]:
        """Return (intro, member) whose "did you meet?" is due and not yet asked."""

    async def claim_follow_up(self, intro_id: int, member_id: int) -> bool:
        """Mark a follow-up as being sent; False if it already was."""

    async def finish_follow_up(self, intro_id: int, member_id: int, state: str | None) -> None:
        """Record how a follow-up went: sent, failed, or None to try again later."""

    async def hand_intros_since(self, chat_id: int, since: datetime) -> int:
        """Return how many introductions the group's admins made by hand since ``since``."""

    async def paired_since(self, chat_id: int, a: int, b: int, since: datetime) -> bool:
        """Return whether ``a`` and ``b`` are in an active introduction of the group made
        since ``since``."""

    async def last_meet(self, member_id: int) -> datetime | None:
        """Return when the member last got an introduction with /meet, or None."""

    async def stats(
        self, chat_id: int, start: datetime | None = None, end: datetime | None = None
    ) -> IntroStats:
        """Return the group's numbers: introductions made (DMed), people, answers, met."""

    async def week_numbers(self, chat_id: int, start: datetime, end: datetime) -> tuple[int, int]:
        """Return (introductions made, people who said they met) for those made in [start, end)."""


class WelcomeRepository(Protocol):
    """Newcomers' welcomes: one per person and group, ever (storage.welcomes)."""

    async def waiting(self) -> list[WaitingGroup]:
        """Return the groups with welcomes waiting, and when each last posted one."""

    async def claim(self, chat_id: int, at: datetime) -> list[Newcomer]:
        """Claim a group's waiting welcomes for one post; return who is still there."""

    async def sent(self, chat_id: int, claimed_at: datetime, at: datetime) -> None:
        """Record that the welcome claimed at ``claimed_at`` went out."""

    async def skip(self, chat_id: int, claimed_at: datetime, at: datetime) -> None:
        """Record that the welcome claimed at ``claimed_at`` will never go out."""

    async def release(self, chat_id: int, claimed_at: datetime) -> None:
        """Put a claimed welcome back in the queue (Telegram refused it: nothing went out)."""

    async def skip_waiting_since(self, before: datetime, at: datetime) -> int:
        """Skip welcomes waiting since before ``before``; return how many."""

    async def state(self, chat_id: int, member_id: int) -> str | None:
        """Return one person's welcome state in one group, None if never queued."""


class UpdateRepository(Protocol):
    """Update ids claimed before their handlers run, so each is handled once (storage.updates)."""

    def claim_now(self, update_id: int) -> bool | None:
        """Claim an update id if that needs no database round trip; None if it does."""

    async def claim(self, update_id: int) -> bool:
        """Claim an update id; False if this or another instance claimed it before."""

    async def prune(self, now: datetime | None = None) -> int:
        """Forget claims older than a day; return how many."""


class Store(Protocol):
    """An open database with its repositories."""

    chats: ChatRepository
    members: MemberRepository
    memberships: MembershipRepository
    schedule: ScheduleRepository
    admins: AdminRepository
    prompts: PromptRepository
    recaps: RecapRepository
    intros: IntroRepository
    welcomes: WelcomeRepository
    updates: UpdateRepository
    # Named locks across instances (storage.locks): a group's introductions, one sender.
    locks: WorkLocks
    # Asks (storage/asks.py): one repository for both engines, typed by its class.
    asks: SqliteAsks
    # Ties (derived) and the members' reminders, talks and monthly note (storage.ties).
    ties: SqlTies
    # The application's clock: timestamps the store writes by itself come from it.
    clock: Now

    def now(self) -> str:
        """Return the clock's current time as the database stores it."""

    async def close(self) -> None:
        """Flush and close the database."""

    async def flush(self) -> int:
        """Write buffered activity counters and thanks; return how many messages were written."""

    def flushed(self) -> AbstractAsyncContextManager[None]:
        """Flush once; the current task's reads inside the block skip their own flush."""

    def reading(
        self, *, chats: Iterable[int] = (), thanks: bool = True
    ) -> AbstractAsyncContextManager[None]:
        """Read what is on record without writing the activity buffer first (the
        repositories write it where a read would miss something in it); ``chats``: groups
        read as a whole, whose buffered rows are written first; ``thanks``: the offered
        thanks are written first (False: the block reads no credits)."""

    async def backup(self, target: Path) -> None:
        """Write a consistent copy of the database to ``target``."""
