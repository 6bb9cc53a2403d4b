"""Developer tool: autogenerate a service's next Alembic revision against a scratch SQLite."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config

from services.common.database import make_engine


def autogenerate(service: str, message: str) -> None:
    location = Path(__file__).parents[1] / service / "migrations"
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{scratch}/scratch.db")
        config = Config()
        config.set_main_option("script_location", str(location))
        config.attributes["version_table"] = f"{service}_alembic_version"
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            command.revision(config, message=message, autogenerate=True)


if __name__ == "__main__":
    autogenerate(sys.argv[1], sys.argv[2])
