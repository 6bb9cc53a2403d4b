"""Who owns a private feed: the mayor's staff, or one council member (by id)."""

from __future__ import annotations

STAFF = "staff"
"""Owner of the mayor's internal feed; any other owner is a member id."""
