"""Writes to officers data, one module per part: people, selection, training, assignments.

Import from the module itself, e.g. ``from officers.services.selection import cycle_open``.
"""
