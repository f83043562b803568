"""When a report was published: `YYYY-MM-DD` or an ISO 8601 date-time, compared as a reader would.

A date alone says nothing about the hour, so two reports are compared by
instant only when both give a time; otherwise by day (a relay published the
same day as what it relays is not "later"). A time without an offset is
read as UTC. Reports are ordered by day first, so the order is the same
whichever way the times are written.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Optional

from credcheck.lazyre import LazyPattern

# date, then optionally a time (hh:mm, :ss, fraction) and an offset (Z, +hh, +hh:mm, +hhmm)
PATTERN = (r"^([0-9]{4})-([0-9]{2})-([0-9]{2})"
           r"(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]+))?)?(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?$")
# Compiled when a first date is read (0.2 ms): most claims files of a few claims give none.
_ISO: re.Pattern[str] = LazyPattern(re.compile, PATTERN)  # type: ignore[assignment]


class Published:
    """A parsed publication date: its day as written and, when a time is given, its instant in UTC."""

    __slots__ = ("day", "instant")

    def __init__(self, day: date, instant: Optional[datetime]):
        self.day, self.instant = day, instant

    def later_than(self, other: "Published") -> bool:
        """Strictly later: by instant when both have a time, else by day."""
        if self.instant is not None and other.instant is not None:
            return self.instant > other.instant
        return self.day > other.day

    def key(self) -> tuple[int, int, float]:
        """A total order consistent with later_than for reports of one precision: day, then time."""
        return (self.day.toordinal(), 0 if self.instant is None else 1,
                0.0 if self.instant is None else self.instant.timestamp())


@lru_cache(maxsize=4096)  # a claims file holds few distinct dates, its reports many
def parse(text: str) -> Published | None:
    """The date in `text`, or None when it is not one (a bad form, or no such day or hour)."""
    found = _ISO.fullmatch(text)
    if found is None:
        return None
    year, month, day, hour, minute, second, fraction, offset = found.groups()
    try:
        day_value = date(int(year), int(month), int(day))
        if hour is None:
            return Published(day_value, None)
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        seconds = int(second or 0)
        if seconds == 60:  # a leap second: ISO 8601 allows it, datetime does not
            seconds, micro = 59, 999_999
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), seconds, micro,
                          tzinfo=_zone(offset))
    except ValueError:
        return None
    return Published(day_value, moment.astimezone(timezone.utc))


def _zone(offset: str | None) -> timezone:
    if offset is None or offset == "Z":
        return timezone.utc
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError("offset out of range")
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if offset[0] == "-" else delta)


def valid(text: str) -> bool:
    return parse(text) is not None
