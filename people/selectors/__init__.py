"""Reads of people and invitations, narrowed to what the user may see: one module per part.

Import from the module itself, e.g. ``from people.selectors.users import user_get_for_user``.
"""
