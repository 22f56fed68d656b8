"""Engagement prompts in the group: the scheduled job, /prompts (/spunti), /suggest, replies.

The decisions (rotation, quiet hours, holding while busy) are pure functions in
``bot.prompts``; what a slot does (hold, skip or post, record, pin, switch off when Rete
may no longer write) is ``bot.prompt_posting``; the slot maths and the exactly-once claim
are the scheduler's (``handlers.scheduling``). This package turns them into posts, pins
and answers, one module per responsibility:

- ``posting``: the scheduled job, and how a post and a pin reach Telegram;
- ``command``: /prompts and its settings subcommands; ``deck``: add, list, remove;
- ``settings_lines``: what /prompts and /settings say about the prompts settings;
- ``suggestions``: /suggest and the Approve / Reject buttons;
- ``replies``: counting replies to a prompt;
- ``common``: names and dates shared by the others.
"""

from handlers.prompts.command import prompts_command
from handlers.prompts.common import CALLBACK_PREFIX, JOB_NAME, SETTING_NAMES
from handlers.prompts.posting import JOB, post_prompt, run_slot
from handlers.prompts.replies import on_reply, replies_to_bot
from handlers.prompts.settings_lines import confirmation, settings_line
from handlers.prompts.suggestions import suggest_command, suggestion_button

__all__ = [
    "CALLBACK_PREFIX",
    "JOB",
    "JOB_NAME",
    "SETTING_NAMES",
    "confirmation",
    "on_reply",
    "post_prompt",
    "prompts_command",
    "replies_to_bot",
    "run_slot",
    "settings_line",
    "suggest_command",
    "suggestion_button",
]
