"""Who may act on what: the one place every entry point asks (after Discourse's Guardian).

Telegram hands the bot ids and strings anyone can forge: callback data, deep-link
payloads, usernames that changed owner, a group id typed by a stranger. Each is a *claim*.
Commands, deep links, buttons, free text and scheduled jobs turn a claim into an action
only through this policy, which answers four questions and nothing else:

- **member**: is this person a current member of this group? Rete's record counts when it
  says so (seen there, not left, not banned). Where the record is not enough (never seen,
  recorded as gone) or the action reaches other people (``verify=True``), Telegram is asked
  (``getChatMember``), and its answer is cached for ``cache_seconds``.
- **admin**: does this person administer this group? Always Telegram's answer
  (``getChatAdministrators``), cached for ``cache_seconds``; ``fresh=True`` asks again,
  for admin actions whose effect reaches other people (a hand introduction, an export).
  An anonymous admin ("as the group") is an admin of that group and of no other.
- **owner**: is this record this person's own (their tags, their introduction, their
  suggestion)?
- **consent**: may Rete write to this person in private (they opened the chat with Rete and
  have not blocked it)?

Every refusal is a :class:`Refused` carrying a reason the adapter turns into a localized
answer; a refused action changes nothing. The module imports neither ``telegram`` nor
``handlers``: Telegram is reached through the small :class:`TelegramView` port.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

# Telegram's member statuses that mean "in the chat now" (a restricted member who is
# still in the chat is reported as "member" by the adapter).
PRESENT = frozenset({"creator", "administrator", "member"})
# Rete's own record of a membership that ended.
GONE = frozenset({"left", "kicked"})

# Cached answers kept before expired ones are swept out (a bound on memory, not a limit).
CACHE_SWEEP_AT = 10_000

Reason = Literal["not-member", "not-admin", "not-owner", "no-consent", "not-a-person", "too-often"]


class Refused(Exception):
    """The policy said no; ``reason`` says which rule, for a localized answer."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason)
        self.reason: Reason = reason


class TelegramView(Protocol):
    """What the policy needs to ask Telegram."""

    async def member_status(self, chat_id: int, user_id: int) -> str | None:
        """Return the person's status in the chat, or None if Telegram cannot tell."""
        ...

    async def admin_ids(self, chat_id: int) -> set[int]:
        """Return the ids of the chat's administrators (raises if Telegram cannot tell)."""
        ...


class MembershipRecord(Protocol):
    """Rete's record of one membership (storage.models.Membership has these)."""

    status: str


class Reachable(Protocol):
    """A person's record as far as consent goes (storage.models.Member has it)."""

    dm_reachable: bool


class Records(Protocol):
    """What the policy reads from Rete's own records."""

    async def membership(self, chat_id: int, member_id: int) -> MembershipRecord | None:
        """Return Rete's record of the person in the chat, None if never seen there."""
        ...

    async def dm_reachable(self, member_id: int) -> bool:
        """True if the person opened a private chat with Rete and has not blocked it."""
        ...


@dataclass(frozen=True)
class Actor:
    """Who is acting: a person, an anonymous admin of ``chat_id``, or a channel."""

    user_id: int | None
    chat_id: int | None = None
    # Writing "as the group": Telegram guarantees only that group's admins can.
    anonymous_admin: bool = False
    is_bot: bool = False

    @property
    def person(self) -> int | None:
        """The person's id, None for an anonymous admin, a channel or a bot."""
        if self.anonymous_admin or self.is_bot:
            return None
        return self.user_id


class Policy:
    """Answers "may this actor do this?" for every entry point."""

    def __init__(
        self,
        records: Records,
        telegram: TelegramView,
        now: Callable[[], datetime],
        cache_seconds: float,
    ) -> None:
        self._records = records
        self._telegram = telegram
        self._now = now
        self._ttl = timedelta(seconds=cache_seconds)
        self._admins: dict[int, tuple[datetime, frozenset[int]]] = {}
        self._statuses: dict[tuple[int, int], tuple[datetime, str | None]] = {}
        self._uses: dict[tuple[str, object], deque[datetime]] = {}

    # ---- membership ----------------------------------------------------------------------

    async def is_member(self, chat_id: int, user_id: int | None, *, verify: bool = False) -> bool:
        """True if ``user_id`` is in the group now (``verify``: Telegram must confirm it)."""
        if user_id is None:
            return False
        if not verify:
            record = await self._records.membership(chat_id, user_id)
            if record is not None and record.status not in GONE:
                return True
        return await self._status(chat_id, user_id) in PRESENT

    async def ensure_member(
        self, chat_id: int, user_id: int | None, *, verify: bool = False
    ) -> int:
        """Return ``user_id`` if it is a current member of the group, else raise Refused."""
        if user_id is None:
            raise Refused("not-a-person")
        if not await self.is_member(chat_id, user_id, verify=verify):
            raise Refused("not-member")
        return user_id

    async def _status(self, chat_id: int, user_id: int) -> str | None:
        now = self._now()
        cached = self._statuses.get((chat_id, user_id))
        if cached is not None and cached[0] > now:
            return cached[1]
        status = await self._telegram.member_status(chat_id, user_id)
        if len(self._statuses) >= CACHE_SWEEP_AT:
            self._statuses = {k: v for k, v in self._statuses.items() if v[0] > now}
        self._statuses[(chat_id, user_id)] = (now + self._ttl, status)
        return status

    def forget_member(self, chat_id: int, user_id: int) -> None:
        """Drop what is cached about one membership (Telegram reported a change)."""
        self._statuses.pop((chat_id, user_id), None)

    # ---- administration ------------------------------------------------------------------

    async def admin_ids(self, chat_id: int, *, fresh: bool = False) -> frozenset[int]:
        """Return the group's admins as Telegram lists them (``fresh``: not from the cache)."""
        return (await self._admin_list(chat_id, fresh=fresh))[0]

    async def _admin_list(self, chat_id: int, *, fresh: bool) -> tuple[frozenset[int], bool]:
        # The list, and whether it came from Telegram just now.
        now = self._now()
        cached = self._admins.get(chat_id)
        if cached is not None and cached[0] > now and not fresh:
            return cached[1], False
        ids = frozenset(await self._telegram.admin_ids(chat_id))
        self._admins[chat_id] = (now + self._ttl, ids)
        return ids, True

    async def is_admin(self, chat_id: int, actor: Actor, *, fresh: bool = False) -> bool:
        """True if ``actor`` administers the group ``chat_id`` (never on Telegram's silence).

        With ``fresh``, a "yes" from the cache is confirmed with Telegram (a demoted admin is
        refused at once); a "no" from the cache stands until it expires, so refusing a
        member costs no call.
        """
        if actor.anonymous_admin:
            return actor.chat_id == chat_id
        person = actor.person
        if person is None:
            return False
        try:
            ids, just_asked = await self._admin_list(chat_id, fresh=False)
            if person in ids and fresh and not just_asked:
                ids, _ = await self._admin_list(chat_id, fresh=True)
        except Exception:  # Telegram could not tell (removed, network): not an admin
            return False
        return person in ids

    async def ensure_admin(self, chat_id: int, actor: Actor, *, fresh: bool = False) -> None:
        """Raise Refused unless ``actor`` administers the group ``chat_id``."""
        if not await self.is_admin(chat_id, actor, fresh=fresh):
            raise Refused("not-admin")

    def forget_admins(self, chat_id: int) -> None:
        """Drop the cached admin list of a group (Telegram reported a change)."""
        self._admins.pop(chat_id, None)

    # ---- records and consent -------------------------------------------------------------

    @staticmethod
    def is_owner(owner_id: int | None, actor: Actor) -> bool:
        """True if the record belongs to the acting person."""
        return owner_id is not None and actor.person == owner_id

    def ensure_owner(self, owner_id: int | None, actor: Actor) -> None:
        """Raise Refused unless the record belongs to the acting person."""
        if not self.is_owner(owner_id, actor):
            raise Refused("not-owner")

    @staticmethod
    def consents(person: Reachable | None) -> bool:
        """True if this record says Rete may write to the person in private."""
        return person is not None and person.dm_reachable

    async def may_dm(self, member_id: int) -> bool:
        """True if the person consented to private messages (started Rete, not blocked)."""
        return await self._records.dm_reachable(member_id)

    async def ensure_may_dm(self, member_id: int) -> None:
        """Raise Refused unless Rete may write to the person in private."""
        if not await self.may_dm(member_id):
            raise Refused("no-consent")

    # ---- how often -----------------------------------------------------------------------

    def allow(self, action: str, key: object, *, limit: int, per: timedelta) -> bool:
        """Count one use of ``action`` by ``key``; False once ``limit`` uses fall in ``per``.

        In memory, for interactive costs (a search over a big group); limits that must hold
        across restarts are counted in the database by the feature.
        """
        now = self._now()
        if len(self._uses) >= CACHE_SWEEP_AT:
            self._uses = {k: v for k, v in self._uses.items() if v and v[-1] > now - per}
        uses = self._uses.setdefault((action, key), deque())
        while uses and uses[0] <= now - per:
            uses.popleft()
        if len(uses) >= limit:
            return False
        uses.append(now)
        return True

    def ensure_allowed(self, action: str, key: object, *, limit: int, per: timedelta) -> None:
        """Raise Refused("too-often") once ``key`` used ``action`` ``limit`` times in ``per``."""
        if not self.allow(action, key, limit=limit, per=per):
            raise Refused("too-often")
