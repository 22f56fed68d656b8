"""Telegram adapters: turn an Update into a call on the core, and the result into replies."""
