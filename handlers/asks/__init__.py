"""Asks: a request finds the person who can help, directly or through someone both know.

One module per responsibility:

- ``command``: /ask (/chiedo) and its draft, /asks, the helper's note typed in private;
- ``routing``: the private messages to the best-matching members, and the warm path;
- ``offers``: "I can help", the note, the asker's Connect / No thanks;
- ``closing``: Solved, solved by a thanks, expiry (the sweep), before a member's deletion;
- ``buttons``: where each ``ak:`` button goes;
- ``common``: texts, names as shown, the group post.
"""

from bot.asks import CALLBACK_PREFIX
from handlers.asks.buttons import asks_button
from handlers.asks.closing import SWEEP_JOB_NAME, SWEEP_SECONDS, before_delete, sweep, sweep_job
from handlers.asks.command import ask_command, asks_command, note_text

__all__ = [
    "CALLBACK_PREFIX",
    "SWEEP_JOB_NAME",
    "SWEEP_SECONDS",
    "ask_command",
    "asks_button",
    "asks_command",
    "before_delete",
    "note_text",
    "sweep",
    "sweep_job",
]
