"""Writes to people and their access, one module per part: access (roles and scope, deactivation,
authenticators, the first coordinator) and invitations.

Import from the module itself, e.g. ``from people.services.invitations import invitation_create``.
"""
