"""Pure day planning for the mayor: OR-Tools routing model, travel estimates, conflicts."""

from services.scheduler.planning.conflicts import Conflict, find_conflicts
from services.scheduler.planning.model import plan_day
from services.scheduler.planning.problem import (
    Candidate,
    DayPlan,
    DayPlanRequest,
    DroppedCandidate,
    PlanInfeasible,
    PlannedStop,
    TimeWindow,
)
from services.scheduler.planning.travel import (
    Location,
    SeoulRoadEstimate,
    TravelTimeProvider,
    travel_matrix,
)

__all__ = [
    "Candidate",
    "Conflict",
    "DayPlan",
    "DayPlanRequest",
    "DroppedCandidate",
    "Location",
    "PlanInfeasible",
    "PlannedStop",
    "SeoulRoadEstimate",
    "TimeWindow",
    "TravelTimeProvider",
    "find_conflicts",
    "plan_day",
    "travel_matrix",
]
