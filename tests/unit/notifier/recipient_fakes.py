"""In-memory versions of the notifier's recipient queries (decisions, overrides, preferences),
mixed into the handler tests' fake repository."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from services.notifier.domain.decisions import Decision, Override
from services.notifier.domain.deliveries import Delivery
from services.notifier.domain.follow_ups import FollowUp
from services.notifier.domain.preferences import Preferences
from services.notifier.domain.stops import StopView


class FakeRecipientQueries:
    deliveries: dict[str, Delivery]
    stop_views: dict[str, StopView]

    def _recipient_state(self) -> tuple[dict, dict, dict]:
        if not hasattr(self, "_overrides"):
            self._overrides: dict[tuple[str, str], Override] = {}
            self._decisions: dict[tuple[str, int, str, str], Decision] = {}
            self._preferences: dict[str, Preferences] = {}
        return self._overrides, self._decisions, self._preferences

    def deliveries_for_stop(self, stop_id: str) -> list[Delivery]:
        found = [replace(d) for d in self.deliveries.values() if d.stop_id == stop_id]
        return sorted(found, key=lambda d: (d.stop_version, d.id))

    def get_stop(self, stop_id: str) -> StopView | None:
        return self.stop_views.get(stop_id)

    def overrides_for_stop(self, stop_id: str) -> list[Override]:
        overrides, _, _ = self._recipient_state()
        return [o for (s, _m), o in sorted(overrides.items()) if s == stop_id]

    def save_override(self, override: Override) -> None:
        overrides, _, _ = self._recipient_state()
        overrides[(override.stop_id, override.member_id)] = override

    def record_decisions(self, decisions: Iterable[Decision]) -> None:
        _, stored, _ = self._recipient_state()
        decisions = list(decisions)
        batch = {(d.stop_id, d.stop_version, d.member_id): set() for d in decisions}
        for d in decisions:
            batch[(d.stop_id, d.stop_version, d.member_id)].add(d.rule)
        for key in [k for k in stored if k[:3] in batch and k[3] not in batch[k[:3]]]:
            del stored[key]
        for d in decisions:
            key = (d.stop_id, d.stop_version, d.member_id, d.rule)
            known = stored.get(key)
            if known is not None and d.delivery_id is None:
                d = replace(d, delivery_id=known.delivery_id)
            stored[key] = d

    def decisions_for_member(self, member_id: str, limit: int = 200) -> list[Decision]:
        _, stored, _ = self._recipient_state()
        found = [d for d in stored.values() if d.member_id == member_id]
        return sorted(found, key=lambda d: d.decided_at, reverse=True)[:limit]

    def decisions_for(self, stop_id: str, stop_version: int, member_id: str) -> list[Decision]:
        _, stored, _ = self._recipient_state()
        found = [
            d
            for (s, v, m, _r), d in stored.items()
            if (s, v, m) == (stop_id, stop_version, member_id)
        ]
        return sorted(found, key=lambda d: d.rule)

    def get_preferences(self, member_id: str) -> Preferences | None:
        return self._recipient_state()[2].get(member_id)

    def preferences_for(self, member_ids: Sequence[str]) -> dict[str, Preferences]:
        prefs = self._recipient_state()[2]
        return {m: prefs[m] for m in member_ids if m in prefs}

    def save_preferences(self, preferences: Preferences, now: datetime) -> None:
        self._recipient_state()[2][preferences.member_id] = preferences

    def all_preferences(self) -> dict[str, Preferences]:
        return dict(self._recipient_state()[2])

    def add_follow_up(self, follow_up: FollowUp) -> None:
        if not hasattr(self, "_follow_ups"):
            self._follow_ups: list[FollowUp] = []
        self._follow_ups.append(follow_up)

    def follow_ups_for_stop(self, stop_id: str) -> list[FollowUp]:
        found = [f for f in getattr(self, "_follow_ups", []) if f.stop_id == stop_id]
        return sorted(found, key=lambda f: f.number)

    def get_follow_up(self, stop_id: str, number: int) -> FollowUp | None:
        found = [f for f in self.follow_ups_for_stop(stop_id) if f.number == number]
        return found[0] if found else None
