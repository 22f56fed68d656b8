"""Schema migrations, applied in order at start-up, on SQLite and on PostgreSQL.

Each migration is one SQL script run inside one transaction together with the bump of the
schema version (SQLite's ``PRAGMA user_version``, PostgreSQL's ``rete_schema_version``):
it either applies whole or not at all. Never edit a released migration; append a new one.
PostgreSQL databases start from SQLite's version 10 as one baseline
(``storage.postgres_schema``); every migration after 10 runs on both (see ``Migration``).
Write them in portable SQL: ``ALTER TABLE ... ADD COLUMN``, ``CREATE TABLE`` with
INTEGER/TEXT/REAL columns, ``CREATE INDEX``, plain INSERT/UPDATE/DELETE. Name a column
that holds a Telegram id ``id``, ``*_id`` or ``*_by``: those become BIGINT on PostgreSQL,
other INTEGER columns 32-bit INTEGER there.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    """One step of the schema: its version number, a short name and the SQL.

    ``sql`` is written once for both engines: SQLite runs it as it is, PostgreSQL runs its
    DDL through ``storage.dialect.translate_ddl`` and its other statements through the
    same rendering as every query. ``postgres`` replaces it on PostgreSQL only where the
    change cannot be said portably (a trigger, a collation): keep that rare.
    """

    version: int
    name: str
    sql: str
    postgres: str | None = None


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "chats, members, memberships, daily activity",
        """
        CREATE TABLE chats (
            id                INTEGER PRIMARY KEY,
            type              TEXT    NOT NULL,
            title             TEXT,
            username          TEXT,
            is_forum          INTEGER NOT NULL DEFAULT 0,
            active            INTEGER NOT NULL DEFAULT 1,
            bot_status        TEXT,
            privacy_warned    INTEGER NOT NULL DEFAULT 0,
            -- highest message id counted, so a redelivered update is not counted twice
            last_message_id   INTEGER,
            added_at          TEXT    NOT NULL,
            updated_at        TEXT    NOT NULL
        );

        -- Per-chat settings declared in bot/chat_settings.py; values are JSON.
        CREATE TABLE chat_settings (
            chat_id  INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            key      TEXT    NOT NULL,
            value    TEXT    NOT NULL,
            PRIMARY KEY (chat_id, key)
        ) WITHOUT ROWID;

        CREATE TABLE members (
            id              INTEGER PRIMARY KEY,
            first_name      TEXT    NOT NULL,
            last_name       TEXT,
            username        TEXT,
            language_code   TEXT,
            -- 1 once the member opened a private chat with the bot, 0 after a 403
            dm_reachable    INTEGER NOT NULL DEFAULT 0,
            dm_started_at   TEXT,
            hidden          INTEGER NOT NULL DEFAULT 0,
            first_seen      TEXT    NOT NULL,
            updated_at      TEXT    NOT NULL
        );
        CREATE INDEX members_username ON members (username COLLATE NOCASE);

        CREATE TABLE memberships (
            chat_id     INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            member_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            status      TEXT    NOT NULL DEFAULT 'member',
            first_seen  TEXT    NOT NULL,
            last_seen   TEXT    NOT NULL,
            joined_at   TEXT,
            left_at     TEXT,
            PRIMARY KEY (chat_id, member_id)
        ) WITHOUT ROWID;
        CREATE INDEX memberships_member ON memberships (member_id);

        -- Message counts per member and local day; message texts are never stored.
        CREATE TABLE activity_daily (
            chat_id    INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            day        TEXT    NOT NULL,
            messages   INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (chat_id, day, member_id)
        ) WITHOUT ROWID;
        CREATE INDEX activity_daily_member ON activity_daily (member_id);
        """,
    ),
    Migration(
        2,
        "message authors (ids only), for reactions and replies to old messages",
        """
        -- Who wrote which message: ids and time only, never the text. Kept 30 days.
        CREATE TABLE message_authors (
            chat_id     INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            message_id  INTEGER NOT NULL,
            member_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            sent_at     TEXT    NOT NULL,
            PRIMARY KEY (chat_id, message_id)
        ) WITHOUT ROWID;
        CREATE INDEX message_authors_member ON message_authors (member_id);
        """,
    ),
    Migration(
        3,
        "help ledger: credits and quota notices",
        """
        -- One row per (giver, receiver, message), whatever mix of command, words and
        -- reaction produced it. counted = 0 is a gesture: recorded, not scored.
        CREATE TABLE credits (
            id                 INTEGER PRIMARY KEY,
            chat_id            INTEGER NOT NULL
                               REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            message_id         INTEGER NOT NULL,
            giver_id           INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            receiver_id        INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            by_command         INTEGER NOT NULL DEFAULT 0,
            by_words           INTEGER NOT NULL DEFAULT 0,
            by_reaction        INTEGER NOT NULL DEFAULT 0,
            counted            INTEGER NOT NULL,
            not_counted_why    TEXT,
            reason             TEXT,
            thanks_message_id  INTEGER,
            local_day          TEXT    NOT NULL,
            created_at         TEXT    NOT NULL,
            voided_at          TEXT,
            voided_by          INTEGER REFERENCES members(id) ON DELETE SET NULL,
            UNIQUE (chat_id, giver_id, receiver_id, message_id)
        );
        CREATE INDEX credits_chat_time ON credits (chat_id, created_at);
        CREATE INDEX credits_giver_day ON credits (giver_id, chat_id, local_day);
        CREATE INDEX credits_receiver ON credits (receiver_id, chat_id);
        CREATE INDEX credits_thanks_message ON credits (chat_id, thanks_message_id);
        CREATE INDEX credits_voided_by ON credits (voided_by);

        -- "You reached today's thanks quota" is said once per member, group and day.
        CREATE TABLE quota_notices (
            chat_id    INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            day        TEXT    NOT NULL,
            PRIMARY KEY (chat_id, member_id, day)
        ) WITHOUT ROWID;
        CREATE INDEX quota_notices_member ON quota_notices (member_id);
        """,
    ),
    Migration(
        4,
        "scheduled runs (exactly once per slot) and remembered group admins",
        """
        -- One row per (chat, job, slot): claimed before the job runs, so a slot never runs
        -- twice, even across restarts. slot is the local "YYYY-MM-DDTHH:MM" in the chat's
        -- zone; a held run (state 'held') is run again at retry_at.
        CREATE TABLE schedule_runs (
            chat_id     INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            job         TEXT    NOT NULL,
            slot        TEXT    NOT NULL,
            slot_at     TEXT    NOT NULL,
            state       TEXT    NOT NULL,
            retry_at    TEXT,
            updated_at  TEXT    NOT NULL,
            PRIMARY KEY (chat_id, job, slot)
        ) WITHOUT ROWID;
        CREATE INDEX schedule_runs_pending ON schedule_runs (state, retry_at);

        -- The group's admins as last seen by getChatAdministrators: whom to tell in DM when
        -- the bot loses its rights or is removed (and can no longer ask Telegram).
        CREATE TABLE chat_admins (
            chat_id    INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            seen_at    TEXT    NOT NULL,
            PRIMARY KEY (chat_id, member_id)
        ) WITHOUT ROWID;
        CREATE INDEX chat_admins_member ON chat_admins (member_id);
        """,
    ),
    Migration(
        5,
        "engagement prompts: custom deck, suggestions, posts and who replied",
        """
        -- A group's own prompts (admins' and approved suggestions): texts written to be
        -- posted. AUTOINCREMENT: a removed prompt's id (its rotation key) is never reused.
        CREATE TABLE prompts (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            chat_id       INTEGER NOT NULL
                          REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            text          TEXT    NOT NULL,
            added_by      INTEGER REFERENCES members(id) ON DELETE SET NULL,
            suggested_by  INTEGER REFERENCES members(id) ON DELETE SET NULL,
            created_at    TEXT    NOT NULL
        );
        CREATE INDEX prompts_chat ON prompts (chat_id, id);
        CREATE INDEX prompts_added_by ON prompts (added_by);
        CREATE INDEX prompts_suggested_by ON prompts (suggested_by);

        -- /suggest: waiting for an admin (status pending), then approved or rejected.
        CREATE TABLE prompt_suggestions (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            chat_id     INTEGER NOT NULL
                        REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            member_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            text        TEXT    NOT NULL,
            status      TEXT    NOT NULL DEFAULT 'pending',
            decided_by  INTEGER REFERENCES members(id) ON DELETE SET NULL,
            prompt_id   INTEGER,
            created_at  TEXT    NOT NULL,
            decided_at  TEXT
        );
        CREATE INDEX prompt_suggestions_chat ON prompt_suggestions (chat_id, status);
        CREATE INDEX prompt_suggestions_member ON prompt_suggestions (member_id);
        CREATE INDEX prompt_suggestions_decided_by ON prompt_suggestions (decided_by);

        -- Every prompt the bot posted: the rotation (key c<id> custom, b<n> built-in, and
        -- the cycle), the text as posted (the bot's own words), and its pin.
        CREATE TABLE prompt_posts (
            id          INTEGER PRIMARY KEY,
            chat_id     INTEGER NOT NULL
                        REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            message_id  INTEGER,
            prompt_key  TEXT    NOT NULL,
            cycle       INTEGER NOT NULL,
            text        TEXT    NOT NULL,
            slot        TEXT,
            posted_at   TEXT    NOT NULL,
            pinned      INTEGER NOT NULL DEFAULT 0,
            pin_failed  INTEGER NOT NULL DEFAULT 0,
            UNIQUE (chat_id, message_id)
        );
        CREATE INDEX prompt_posts_time ON prompt_posts (chat_id, posted_at);
        CREATE INDEX prompt_posts_cycle ON prompt_posts (chat_id, cycle);

        -- Who replied to a prompt (ids only, once per member): its track record.
        CREATE TABLE prompt_replies (
            post_id    INTEGER NOT NULL REFERENCES prompt_posts(id) ON DELETE CASCADE,
            member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            PRIMARY KEY (post_id, member_id)
        ) WITHOUT ROWID;
        CREATE INDEX prompt_replies_member ON prompt_replies (member_id);
        """,
    ),
    Migration(
        6,
        "introductions: tags, opt-ins, never-lists, rounds, intros and their outcomes",
        """
        -- A member's profile tags (normalised, see bot/tags.py): interest, offer or seek.
        CREATE TABLE member_tags (
            member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            kind       TEXT    NOT NULL CHECK (kind IN ('interest', 'offer', 'seek')),
            tag        TEXT    NOT NULL,
            added_at   TEXT    NOT NULL,
            PRIMARY KEY (member_id, kind, tag)
        ) WITHOUT ROWID;
        CREATE INDEX member_tags_tag ON member_tags (tag);

        -- Who confirmed in private that they want introductions in a group.
        -- status: active | paused (until paused_until, or until they restart when NULL) | stopped
        CREATE TABLE intro_optins (
            chat_id       INTEGER NOT NULL
                          REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            member_id     INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            status        TEXT    NOT NULL DEFAULT 'active',
            paused_until  TEXT,
            pause_reason  TEXT,
            joined_at     TEXT    NOT NULL,
            updated_at    TEXT    NOT NULL,
            PRIMARY KEY (chat_id, member_id)
        ) WITHOUT ROWID;
        CREATE INDEX intro_optins_member ON intro_optins (member_id);

        -- A member's private "never pair me with" list. other_id is deliberately not a
        -- foreign key: the list belongs to member_id and must survive the other person
        -- deleting their own data (else deleting and coming back would undo a block).
        CREATE TABLE intro_never (
            member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            other_id   INTEGER NOT NULL,
            added_at   TEXT    NOT NULL,
            PRIMARY KEY (member_id, other_id)
        ) WITHOUT ROWID;

        -- One scheduled matching round per group and slot (the slot key makes it exactly once).
        CREATE TABLE intro_rounds (
            id          INTEGER PRIMARY KEY,
            chat_id     INTEGER NOT NULL
                        REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            slot        TEXT    NOT NULL,
            created_at  TEXT    NOT NULL,
            UNIQUE (chat_id, slot)
        );

        -- One introduction: a pair or a trio (kind round, meet or manual), or a member of a
        -- round who could not be paired (status unmatched, why says why).
        -- status: pending (manual, waiting for both to accept) | active | declined |
        --         cancelled (a member could not be reached) | unmatched
        CREATE TABLE intros (
            id            INTEGER PRIMARY KEY,
            chat_id       INTEGER NOT NULL
                          REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            round_id      INTEGER REFERENCES intro_rounds(id) ON DELETE CASCADE,
            kind          TEXT    NOT NULL CHECK (kind IN ('round', 'meet', 'manual')),
            status        TEXT    NOT NULL,
            why           TEXT,
            score         REAL,
            initiator_id  INTEGER REFERENCES members(id) ON DELETE SET NULL,
            note          TEXT,
            created_at    TEXT    NOT NULL,
            follow_up_at  TEXT,
            closed_at     TEXT
        );
        CREATE INDEX intros_chat_time ON intros (chat_id, created_at);
        CREATE INDEX intros_round ON intros (round_id);
        CREATE INDEX intros_initiator ON intros (initiator_id);
        CREATE INDEX intros_follow_up ON intros (follow_up_at) WHERE status = 'active';

        -- Each member of an introduction: why they were matched (JSON, per partner), whether
        -- their DM went out (pending | sending | sent | failed: 'sending' is never sent
        -- again, so a crash cannot send twice), their answer and the follow-up's outcome.
        CREATE TABLE intro_members (
            intro_id        INTEGER NOT NULL REFERENCES intros(id) ON DELETE CASCADE,
            member_id       INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            reasons         TEXT    NOT NULL DEFAULT '{}',
            dm_state        TEXT    NOT NULL DEFAULT 'pending',
            dm_at           TEXT,
            accepted        INTEGER,
            answer          TEXT,
            answered_at     TEXT,
            follow_up_state TEXT,
            -- "Not yet" asks once more, this many days later (see set_outcome)
            follow_up_again TEXT,
            follow_ups      INTEGER NOT NULL DEFAULT 0,
            outcome         TEXT,
            outcome_at      TEXT,
            PRIMARY KEY (intro_id, member_id)
        );
        CREATE INDEX intro_members_member ON intro_members (member_id);
        """,
    ),
    Migration(
        7,
        "weekly recaps (posted once per ISO week) and the indexes the recap reads",
        """
        -- Every recap posted: 'scheduled' ones at most once per group and ISO week of the
        -- posting day (e.g. 2026-W48), whatever the schedule did meanwhile; 'manual' ones
        -- (/recap) at most once an hour. message_ids is a JSON list of what was sent.
        CREATE TABLE recaps (
            id           INTEGER PRIMARY KEY,
            chat_id      INTEGER NOT NULL
                         REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            week         TEXT    NOT NULL,
            kind         TEXT    NOT NULL CHECK (kind IN ('scheduled', 'manual')),
            posted_at    TEXT    NOT NULL,
            message_ids  TEXT    NOT NULL DEFAULT '[]'
        );
        CREATE UNIQUE INDEX recaps_scheduled_once ON recaps (chat_id, week)
            WHERE kind = 'scheduled';
        CREATE INDEX recaps_chat_kind ON recaps (chat_id, kind, posted_at);

        -- The recap's thanks aggregates by local day, covering (no table lookups).
        CREATE INDEX credits_chat_day
            ON credits (chat_id, local_day, receiver_id, giver_id, counted, voided_at);
        -- Who joined a group in a given week.
        CREATE INDEX memberships_chat_joined ON memberships (chat_id, joined_at);
        """,
    ),
    Migration(
        8,
        "members choose whether the weekly recap may show their offers",
        """
        -- 1 when the member asked (/interests public on) that the recap welcoming them
        -- shows what they can help with; tags are otherwise private.
        ALTER TABLE members ADD COLUMN offers_public INTEGER NOT NULL DEFAULT 0;
        """,
    ),
    Migration(
        9,
        "a daily suggestion budget per group, kept when a member deletes their data",
        """
        -- How many /suggest a group received on a local day: a count, naming nobody. Each
        -- suggestion is a DM to every admin; the per-member limit goes with the member's
        -- data when they delete it, this one does not. Only recent days are kept.
        CREATE TABLE IF NOT EXISTS suggestion_days (
            chat_id  INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            day      TEXT    NOT NULL,
            used     INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (chat_id, day)
        ) WITHOUT ROWID;
        """,
    ),
    Migration(
        10,
        "trust boundaries: no private chats or service accounts, message ids per chat "
        "generation, one holder per username, recaps posted part by part",
        """
        -- A reaction in a private chat used to create a "supergroup" row for it, which then
        -- got weekly recaps. Private chats have positive ids (groups negative): drop those
        -- rows and everything that hangs off them.
        DELETE FROM prompt_replies
        WHERE post_id IN (SELECT id FROM prompt_posts WHERE chat_id > 0);
        DELETE FROM intro_members
        WHERE intro_id IN (SELECT id FROM intros WHERE chat_id > 0);
        DELETE FROM intros WHERE chat_id > 0;
        DELETE FROM intro_rounds WHERE chat_id > 0;
        DELETE FROM intro_optins WHERE chat_id > 0;
        DELETE FROM recaps WHERE chat_id > 0;
        DELETE FROM prompt_posts WHERE chat_id > 0;
        DELETE FROM prompt_suggestions WHERE chat_id > 0;
        DELETE FROM prompts WHERE chat_id > 0;
        DELETE FROM chat_admins WHERE chat_id > 0;
        DELETE FROM schedule_runs WHERE chat_id > 0;
        DELETE FROM quota_notices WHERE chat_id > 0;
        DELETE FROM credits WHERE chat_id > 0;
        DELETE FROM message_authors WHERE chat_id > 0;
        DELETE FROM activity_daily WHERE chat_id > 0;
        DELETE FROM memberships WHERE chat_id > 0;
        DELETE FROM chat_settings WHERE chat_id > 0;
        DELETE FROM chats WHERE id > 0;

        -- Telegram's service accounts are not people: Telegram (777000), GroupAnonymousBot
        -- (an anonymous admin) and Channel_Bot (a channel) were recorded by some commands.
        UPDATE credits SET voided_by = NULL WHERE voided_by IN (777000, 1087968824, 136817688);
        DELETE FROM members WHERE id IN (777000, 1087968824, 136817688);

        -- Message ids restart from 1 when a group becomes a supergroup: a message id names
        -- a message only within one generation of the chat. generation 0 is the chat as it
        -- is; a move to a new chat id adds 1 to the credits it brings along, so a thanks
        -- for a new message never meets one for the old message with the same id.
        CREATE TABLE credits_v9 (
            id                 INTEGER PRIMARY KEY,
            chat_id            INTEGER NOT NULL
                               REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            message_id         INTEGER NOT NULL,
            giver_id           INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            receiver_id        INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            by_command         INTEGER NOT NULL DEFAULT 0,
            by_words           INTEGER NOT NULL DEFAULT 0,
            by_reaction        INTEGER NOT NULL DEFAULT 0,
            counted            INTEGER NOT NULL,
            not_counted_why    TEXT,
            reason             TEXT,
            thanks_message_id  INTEGER,
            local_day          TEXT    NOT NULL,
            created_at         TEXT    NOT NULL,
            voided_at          TEXT,
            voided_by          INTEGER REFERENCES members(id) ON DELETE SET NULL,
            generation         INTEGER NOT NULL DEFAULT 0,
            UNIQUE (chat_id, giver_id, receiver_id, message_id, generation)
        );
        INSERT INTO credits_v9 (id, chat_id, message_id, giver_id, receiver_id, by_command,
                                by_words, by_reaction, counted, not_counted_why, reason,
                                thanks_message_id, local_day, created_at, voided_at, voided_by)
        SELECT id, chat_id, message_id, giver_id, receiver_id, by_command, by_words,
               by_reaction, counted, not_counted_why, reason, thanks_message_id, local_day,
               created_at, voided_at, voided_by
        FROM credits;
        DROP TABLE credits;
        ALTER TABLE credits_v9 RENAME TO credits;
        CREATE INDEX credits_chat_time ON credits (chat_id, created_at);
        CREATE INDEX credits_giver_day ON credits (giver_id, chat_id, local_day);
        CREATE INDEX credits_receiver ON credits (receiver_id, chat_id);
        CREATE INDEX credits_thanks_message ON credits (chat_id, thanks_message_id);
        CREATE INDEX credits_voided_by ON credits (voided_by);
        CREATE INDEX credits_chat_day
            ON credits (chat_id, local_day, receiver_id, giver_id, counted, voided_at);

        -- A username has one holder at a time, but changes owner over time. Of the members
        -- recorded with the same username, the one seen with it last keeps it ...
        UPDATE members SET username = NULL
        WHERE username IS NOT NULL AND EXISTS (
            SELECT 1 FROM members other
            WHERE other.username = members.username COLLATE NOCASE AND other.id != members.id
              AND (other.updated_at > members.updated_at
                   OR (other.updated_at = members.updated_at AND other.id > members.id))
        );
        -- ... and whoever is seen with a username from now on takes it from the others.
        CREATE TRIGGER members_username_taken AFTER INSERT ON members
        WHEN NEW.username IS NOT NULL
        BEGIN
            UPDATE members SET username = NULL
            WHERE username = NEW.username COLLATE NOCASE AND id != NEW.id;
        END;
        CREATE TRIGGER members_username_moved AFTER UPDATE OF username ON members
        WHEN NEW.username IS NOT NULL AND NEW.username IS NOT OLD.username
        BEGIN
            UPDATE members SET username = NULL
            WHERE username = NEW.username COLLATE NOCASE AND id != NEW.id;
        END;

        -- A recap goes out in parts (text, chart): each part's message id is recorded as it
        -- goes out, and complete = 0 until the last has, so a retry sends only what is left.
        ALTER TABLE recaps ADD COLUMN complete INTEGER NOT NULL DEFAULT 1;
        """,
    ),
    Migration(
        11,
        "newcomers' welcomes: one per person and group, ever",
        """
        -- One row per person and group once they joined: queued ('pending') when the join
        -- is seen, claimed ('sending') by the post that welcomes a batch of them, 'sent'
        -- once Telegram took it; 'skipped' when they left first or waited too long. The row
        -- stays, so nobody is welcomed twice in a group (it goes with the member's data).
        CREATE TABLE welcomes (
            chat_id     INTEGER NOT NULL
                        REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            member_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            joined_at   TEXT    NOT NULL,
            state       TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'sending', 'sent', 'skipped')),
            claimed_at  TEXT,
            sent_at     TEXT,
            PRIMARY KEY (chat_id, member_id)
        );
        CREATE INDEX welcomes_waiting ON welcomes (state, chat_id, joined_at);
        CREATE INDEX welcomes_member ON welcomes (member_id);
        """,
    ),
    Migration(
        12,
        "updates handled once: a claim per update id",
        """
        -- Every update id claimed before its handlers run (storage/updates.py): a copy
        -- delivered again, or to another instance, finds its id here and is not handled.
        -- Pruned after a day (Telegram keeps an update for redelivery 24 hours).
        CREATE TABLE handled_updates (
            update_id   INTEGER NOT NULL PRIMARY KEY,
            seen_at     TEXT    NOT NULL
        );
        CREATE INDEX handled_updates_seen ON handled_updates (seen_at);
        """,
    ),
    Migration(
        13,
        "the leader of scheduled work: who leads, with which secret (a hash)",
        """
        -- Written by the instance holding the leader's advisory lock (storage/leadership.py)
        -- and renewed every few seconds; an instance whose webhook_secret hashes otherwise
        -- refuses to lead while it is fresh. Never the secret itself.
        CREATE TABLE leaders (
            role         TEXT NOT NULL PRIMARY KEY,
            secret_hash  TEXT NOT NULL,
            instance     TEXT NOT NULL,
            renewed_at   TEXT NOT NULL
        );
        """,
    ),
    Migration(
        14,
        "asks: a member's request, whom it reached, who offered help, who got connected",
        """
        -- An ask (handlers/asks): the text its author wrote to be posted (like a prompt),
        -- the tags it was routed by, and how it ended. 'draft' while the author confirms
        -- the tags; 'open' once posted; 'solved' or 'expired' once closed.
        CREATE TABLE asks (
            id            INTEGER PRIMARY KEY,
            chat_id       INTEGER NOT NULL
                          REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            asker_id      INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            text          TEXT    NOT NULL,
            -- JSON arrays: the tags offered for confirmation, and those chosen
            suggested     TEXT    NOT NULL DEFAULT '[]',
            tags          TEXT    NOT NULL DEFAULT '[]',
            status        TEXT    NOT NULL DEFAULT 'draft'
                          CHECK (status IN ('draft', 'open', 'solved', 'expired', 'cancelled')),
            post_id       INTEGER,
            warm          INTEGER NOT NULL DEFAULT 0,
            created_at    TEXT    NOT NULL,
            posted_at     TEXT,
            expires_at    TEXT,
            closed_at     TEXT,
            solved_how    TEXT
        );
        CREATE INDEX asks_chat_status ON asks (chat_id, status, posted_at);
        CREATE INDEX asks_asker ON asks (asker_id, chat_id, status);
        CREATE INDEX asks_expiry ON asks (status, expires_at);

        -- Every private message an ask sent: to a member whose offers match ('routed'), to a
        -- connector of a warm path ('connector', via_id: the one they know who offers it),
        -- to that person once the connector agreed ('introduced', via_id: the connector).
        CREATE TABLE ask_routes (
            ask_id       INTEGER NOT NULL REFERENCES asks(id) ON DELETE CASCADE,
            member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            role         TEXT    NOT NULL
                         CHECK (role IN ('routed', 'connector', 'introduced')),
            via_id       INTEGER REFERENCES members(id) ON DELETE CASCADE,
            sent_at      TEXT    NOT NULL,
            answer       TEXT,
            answered_at  TEXT,
            PRIMARY KEY (ask_id, member_id)
        );
        CREATE INDEX ask_routes_member ON ask_routes (member_id, sent_at);
        CREATE INDEX ask_routes_via ON ask_routes (via_id);

        -- "I can help": the helper's optional one-line note ('noting' while Rete waits for
        -- it), then the asker's answer: 'connected' (both receive each other's contact) or
        -- 'declined'.
        CREATE TABLE ask_offers (
            ask_id        INTEGER NOT NULL REFERENCES asks(id) ON DELETE CASCADE,
            helper_id     INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            connector_id  INTEGER REFERENCES members(id) ON DELETE SET NULL,
            note          TEXT,
            state         TEXT    NOT NULL DEFAULT 'noting'
                          CHECK (state IN ('noting', 'offered', 'connected', 'declined')),
            created_at    TEXT    NOT NULL,
            decided_at    TEXT,
            PRIMARY KEY (ask_id, helper_id)
        );
        CREATE INDEX ask_offers_helper ON ask_offers (helper_id, state);
        CREATE INDEX ask_offers_connector ON ask_offers (connector_id);
        CREATE INDEX ask_offers_waiting ON ask_offers (state, created_at);

        -- Accepted connections, kept after the ask closes: a tie between asker and helper
        -- (and the connector's credit for making it), for the ties and the recap.
        CREATE TABLE ask_connections (
            id            INTEGER PRIMARY KEY,
            chat_id       INTEGER NOT NULL
                          REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            ask_id        INTEGER REFERENCES asks(id) ON DELETE SET NULL,
            asker_id      INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            helper_id     INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            connector_id  INTEGER REFERENCES members(id) ON DELETE SET NULL,
            connected_at  TEXT    NOT NULL,
            UNIQUE (ask_id, helper_id)
        );
        CREATE INDEX ask_connections_chat ON ask_connections (chat_id, connected_at);
        CREATE INDEX ask_connections_asker ON ask_connections (asker_id);
        CREATE INDEX ask_connections_helper ON ask_connections (helper_id);
        CREATE INDEX ask_connections_connector ON ask_connections (connector_id);

        -- A member's own choices: no asks in private, never a connector.
        CREATE TABLE ask_prefs (
            member_id     INTEGER NOT NULL PRIMARY KEY
                          REFERENCES members(id) ON DELETE CASCADE,
            no_asks       INTEGER NOT NULL DEFAULT 0,
            no_connector  INTEGER NOT NULL DEFAULT 0,
            updated_at    TEXT    NOT NULL
        );
        """,
    ),
    Migration(
        15,
        "ties: keep-in-touch reminders, we-talked logs, reminder days, the monthly note",
        """
        -- Ties themselves are derived (storage/ties.py); these rows are a member's own
        -- choices about them, and go with either member's data (foreign keys on both).
        -- A keep-in-touch reminder: due every every_days after the last interaction
        -- (since); due_at is that moment as last worked out: the sweep pushes it later
        -- when it finds a newer interaction, so a new thanks resets it without a hook.
        CREATE TABLE tie_reminders (
            member_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            other_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            chat_id     INTEGER NOT NULL
                        REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            every_days  INTEGER NOT NULL,
            since       TEXT    NOT NULL,
            due_at      TEXT    NOT NULL,
            created_at  TEXT    NOT NULL,
            PRIMARY KEY (member_id, other_id)
        );
        -- The daily sweep reads a group's due reminders by due time. Narrow on purpose:
        -- the sweep rewrites due_at of every reminder it reads, and a covering index made
        -- those writes twice as dear as the lookups it saved (bench/README.md).
        CREATE INDEX tie_reminders_due ON tie_reminders (chat_id, due_at);
        CREATE INDEX tie_reminders_other ON tie_reminders (other_id);

        -- Counted thanks between two members, either way, from the index alone: a member's
        -- ties (/network) and the last thanks of each due reminder's pair (the sweep).
        -- (SQLite reads a partial index as covering only when it holds the columns of its
        -- condition too: counted and voided_at are in it for that.)
        CREATE INDEX credits_pair
            ON credits (giver_id, receiver_id, counted, voided_at, created_at, chat_id)
            WHERE counted = 1 AND voided_at IS NULL;
        CREATE INDEX credits_pair_back
            ON credits (receiver_id, giver_id, counted, voided_at, created_at, chat_id)
            WHERE counted = 1 AND voided_at IS NULL;

        -- "We talked": the member says they were in touch with the other (a time, no text).
        CREATE TABLE tie_talks (
            member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            other_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            chat_id    INTEGER NOT NULL
                       REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            talked_at  TEXT    NOT NULL,
            PRIMARY KEY (member_id, other_id, talked_at)
        );
        CREATE INDEX tie_talks_other ON tie_talks (other_id);
        CREATE INDEX tie_talks_chat ON tie_talks (chat_id);

        -- At most one reminder DM per member and local day: claimed before it is sent.
        CREATE TABLE tie_reminder_days (
            member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            day        TEXT    NOT NULL,
            other_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            sent_at    TEXT    NOT NULL,
            PRIMARY KEY (member_id, day)
        );
        CREATE INDEX tie_reminder_days_other ON tie_reminder_days (other_id);

        -- The opt-in monthly note: who chose it, and which month each one went out
        -- (claimed before it is sent, so a restart never sends a month twice).
        CREATE TABLE network_notes (
            member_id   INTEGER NOT NULL PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
            chosen_at   TEXT    NOT NULL
        );
        CREATE TABLE network_note_months (
            member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            month      TEXT    NOT NULL,
            sent_at    TEXT    NOT NULL,
            PRIMARY KEY (member_id, month)
        );
        """,
    ),
    Migration(
        16,
        "each group's tag-holder generation, for the searches' in-memory index",
        """
        -- Bumped in the transaction of every write that changes what /whoknows or /meet
        -- sees in a group (storage/holders.py): an instance's in-memory index of the group
        -- is fresh while the generation is the one it was built at. reset: the generation
        -- from which the index must be built whole (a member deleted, a supergroup merge).
        CREATE TABLE holder_marks (
            chat_id     INTEGER NOT NULL PRIMARY KEY
                        REFERENCES chats(id) ON DELETE CASCADE,
            generation  INTEGER NOT NULL,
            reset       INTEGER NOT NULL
        );
        -- The generation at which each member last changed in a group: a stale index
        -- reloads only those changed since its own.
        CREATE TABLE holder_changes (
            chat_id     INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            member_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            generation  INTEGER NOT NULL,
            PRIMARY KEY (chat_id, member_id)
        );
        CREATE INDEX holder_changes_generation ON holder_changes (chat_id, generation);
        CREATE INDEX holder_changes_member ON holder_changes (member_id);
        """,
    ),
    Migration(
        17,
        "the hidden members, indexed: the recap leaves them out without reading everyone",
        """
        -- The few members who hid themselves (/privacy). The recap's top helpers are
        -- grouped first and the hidden ones dropped through this index; without it
        -- PostgreSQL read all members for every recap (bench/README.md).
        CREATE INDEX members_hidden ON members (id) WHERE hidden = 1;
        """,
    ),
    Migration(
        18,
        "asks: when an ask's routing finished, so that one cut short is finished by the sweep",
        """
        -- Set once an open ask was posted and routed (handlers/asks/routing.py). An open
        -- ask without it was cut short between opening and routing (Telegram failed, the
        -- process stopped): the asks' sweep posts it if it is not posted and routes it.
        -- Asks opened before this migration count as routed.
        ALTER TABLE asks ADD COLUMN routed_at TEXT;
        UPDATE asks SET routed_at = posted_at WHERE posted_at IS NOT NULL;
        CREATE INDEX asks_unrouted ON asks (posted_at) WHERE status = 'open' AND routed_at IS NULL;
        """,
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version if MIGRATIONS else 0


def pending(current: int) -> list[Migration]:
    """Return the migrations still to apply to a database at version ``current``."""
    return [m for m in MIGRATIONS if m.version > current]
