"""What every sample-data model shares: frozen, strict, and coordinates in degrees."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

DATA_DIR = Path(__file__).parent

Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
