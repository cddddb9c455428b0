"""Writes to district data, one module per concern: access_log, roster_import, roster_writing.

Import from the module itself, e.g. ``from district.services.roster_import import roster_import_create``.
"""
