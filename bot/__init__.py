"""Rete's core: settings, domain logic, i18n, app assembly and the command line."""

__version__ = "0.1.0"
