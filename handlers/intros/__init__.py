"""Introductions: profiles (/interests), opt-in (/intros), rounds, follow-ups, on demand.

Rete introduces members who share interests, or where one can help with what the other
looks for, in private and only with consent: nobody is paired without having confirmed in
private. The matching is ``bot.matching``; this package loads its inputs, records its
results before any DM goes out, and talks to people. One module per responsibility:

- ``profiles``: /interests, the tags text and buttons;
- ``optin``: the Join button and link, /intros in a group and in private;
- ``delivery``: the introduction DM, its text and sending;
- ``followups``: "did you meet?";
- ``ondemand``: /meet, /whoknows, /introduce and its acceptance;
- ``rounds``: the scheduled round and the sweep;
- ``buttons``: where each ``in:`` button goes;
- ``common``: small shared helpers.
"""

from bot.introductions import CALLBACK_PREFIX, TAG_CALLBACK_PREFIX
from handlers.intros.buttons import intros_button
from handlers.intros.ondemand import introduce_command, meet_command, whoknows_command
from handlers.intros.optin import after_setting, intros_command
from handlers.intros.profiles import interests_command, interests_text, tags_button
from handlers.intros.rounds import (
    JOB,
    SWEEP_JOB_NAME,
    SWEEP_SECONDS,
    confirmation,
    run_round,
    settings_line,
    sweep,
    sweep_job,
)

__all__ = [
    "CALLBACK_PREFIX",
    "JOB",
    "SWEEP_JOB_NAME",
    "SWEEP_SECONDS",
    "TAG_CALLBACK_PREFIX",
    "after_setting",
    "confirmation",
    "interests_command",
    "interests_text",
    "introduce_command",
    "intros_button",
    "intros_command",
    "meet_command",
    "run_round",
    "settings_line",
    "sweep",
    "sweep_job",
    "tags_button",
    "whoknows_command",
]
