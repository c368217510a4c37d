"""Date ranges of reports and the same range one year earlier."""

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _shift_year(day: datetime.date, years: int) -> datetime.date:
    year = day.year + years
    last_day = calendar.monthrange(year, day.month)[1]
    # A range ending on the last day of February ends there in a leap year too.
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return day.replace(year=year, day=last_day)
    return day.replace(year=year, day=min(day.day, last_day))


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of dates a report covers."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValidationError(
                _("The report must end on or after the day it starts."),
                code="range_order",
            )

    def __str__(self):
        return f"{self.start:%d.%m.%Y}-{self.end:%d.%m.%Y}"

    def previous_year(self) -> "DateRange":
        """Return the same range one year earlier, for the comparison column."""
        return DateRange(_shift_year(self.start, -1), _shift_year(self.end, -1))

    def __contains__(self, day) -> bool:
        return self.start <= day <= self.end
