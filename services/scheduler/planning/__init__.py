"""Pure planning for the mayor: the week model (week/), the routing core, travel estimates."""

from services.scheduler.planning.problem import Conflict, PlanInfeasible, TimeWindow
from services.scheduler.planning.travel import (
    Location,
    SeoulRoadEstimate,
    TravelTimeProvider,
    travel_matrix,
)

__all__ = [
    "Conflict",
    "Location",
    "PlanInfeasible",
    "SeoulRoadEstimate",
    "TimeWindow",
    "TravelTimeProvider",
    "travel_matrix",
]
