"""The week planner: 1–14 days as one OR-Tools model over the problem file (schemas/planning)."""

from services.scheduler.planning.week.plan import WeekPlan, plan_week
from services.scheduler.planning.week.score import Score, evaluate

__all__ = ["Score", "WeekPlan", "evaluate", "plan_week"]
