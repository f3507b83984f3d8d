"""Schema migrations, applied in the order they are registered: the modules below are imported
oldest first (keep that order; ``tests/test_store.py`` checks it), and each holds the migrations
of one stage of the project. Never edit a migration that has been applied: add a new one at the
end of the newest module, or a new module imported last here.

``datalek.store.migrate`` applies what is pending; ``MIGRATIONS`` is the list."""

# ruff: noqa: I001 - the order of these imports is the order of the migrations
from __future__ import annotations

from datalek.store.schema.registry import MIGRATIONS as MIGRATIONS
from datalek.store.schema.register import *  # noqa: F403 - 0001-0005
from datalek.store.schema.access import *  # noqa: F403 - 0006-0011
from datalek.store.schema.corrections import *  # noqa: F403 - 0012-0013
from datalek.store.schema.clock import *  # noqa: F403 - 0014-0017
from datalek.store.schema.informing import *  # noqa: F403 - 0018
from datalek.store.schema.accountability import *  # noqa: F403 - 0019-0021
from datalek.store.schema.delay_kinds import *  # noqa: F403 - 0022
from datalek.store.schema.chain import *  # noqa: F403 - 0023
from datalek.store.schema.organisation_settings import *  # noqa: F403 - 0024
from datalek.store.schema.report_links import *  # noqa: F403 - 0025
from datalek.store.schema.merges import *  # noqa: F403 - 0026
from datalek.store.schema.chain_incidents import *  # noqa: F403 - 0027
from datalek.store.schema.chain_figures import *  # noqa: F403 - 0028
from datalek.store.schema.rollup_versions import *  # noqa: F403 - 0029-0032
