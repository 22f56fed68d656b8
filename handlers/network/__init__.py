"""Your network: ties (derived from what Rete records), /network, keep-in-touch reminders.

- ``view``: /network (/contatti) in private, page by page, and one tie's card;
- ``buttons``: every ``nw:`` button, checked against the trust policy first;
- ``reminders``: the daily sweep that sends due keep-in-touch reminders;
- ``note``: the opt-in monthly note;
- ``introduce``: "Introduce to…", a double opt-in introduction between two of your ties;
- ``common``: what they share (names, how two members are tied, whose view it is).
"""

from bot.ties import CALLBACK_PREFIX
from handlers.network.buttons import network_button
from handlers.network.note import JOB as NOTE_JOB
from handlers.network.reminders import JOB as REMINDERS_JOB
from handlers.network.view import network_command

__all__ = ["CALLBACK_PREFIX", "NOTE_JOB", "REMINDERS_JOB", "network_button", "network_command"]
