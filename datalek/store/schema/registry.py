"""The one list of migrations; each module of ``datalek.store.schema`` adds its own to it."""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("datalek")
