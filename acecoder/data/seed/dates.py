"""Seed corpus, topic: dates."""


def count_weekdays_between(start: str, end: str) -> int:
    """Count the days from Monday to Friday in the inclusive range between two ISO dates ('YYYY-MM-DD').
    The order of the two arguments does not matter. Raise ValueError if either string is not a valid ISO
    date.

    >>> count_weekdays_between("2024-01-01", "2024-01-07")
    5
    >>> count_weekdays_between("2024-01-08", "2024-01-05")
    2
    >>> count_weekdays_between("2024-01-06", "2024-01-06")
    0
    """
    from datetime import date

    first, last = sorted((date.fromisoformat(start), date.fromisoformat(end)))
    weeks, extra = divmod((last - first).days + 1, 7)
    start_weekday = first.weekday()
    return weeks * 5 + sum(1 for k in range(extra) if (start_weekday + k) % 7 < 5)


def add_months_clamped(iso_date: str, months: int) -> str:
    """Move an ISO date ('YYYY-MM-DD') forward by `months` calendar months (backward when negative) and
    return the result as an ISO date. If the original day of month does not exist in the target month,
    use the last day of that month instead. Raise ValueError for an invalid date or when the result falls
    outside the years 1 to 9999.

    >>> add_months_clamped("2024-01-31", 1)
    '2024-02-29'
    >>> add_months_clamped("2023-03-31", -1)
    '2023-02-28'
    >>> add_months_clamped("2024-11-15", 3)
    '2025-02-15'
    >>> add_months_clamped("2024-05-10", 0)
    '2024-05-10'
    """
    import calendar
    from datetime import date

    original = date.fromisoformat(iso_date)
    year, month_index = divmod(original.year * 12 + original.month - 1 + months, 12)
    if not 1 <= year <= 9999:
        raise ValueError("resulting date is out of range")
    day = min(original.day, calendar.monthrange(year, month_index + 1)[1])
    return date(year, month_index + 1, day).isoformat()


def iso_week_label(iso_date: str) -> str:
    """Return the ISO 8601 week label 'YYYY-Www' of an ISO date ('YYYY-MM-DD'), where YYYY is the ISO
    week-numbering year (which can differ from the calendar year near New Year) and ww is the two-digit
    week number. Raise ValueError if the date is invalid.

    >>> iso_week_label("2024-03-14")
    '2024-W11'
    >>> iso_week_label("2021-01-01")
    '2020-W53'
    >>> iso_week_label("2024-12-30")
    '2025-W01'
    """
    from datetime import date

    year, week, _ = date.fromisoformat(iso_date).isocalendar()
    return f"{year:04d}-W{week:02d}"


def days_until_next_birthday(today: str, birthday: str) -> int:
    """Given today's date as 'YYYY-MM-DD' and a birthday as 'MM-DD', return how many days remain until the
    next birthday, which is 0 when today is the birthday. In years without February 29, a '02-29' birthday
    is celebrated on February 28. Raise ValueError if `today` is not a valid ISO date or `birthday` is not
    a two-digit month and day forming a real calendar day.

    >>> days_until_next_birthday("2024-03-01", "03-05")
    4
    >>> days_until_next_birthday("2024-03-06", "03-05")
    364
    >>> days_until_next_birthday("2023-02-01", "02-29")
    27
    >>> days_until_next_birthday("2024-12-25", "12-25")
    0
    """
    import calendar
    import re
    from datetime import date

    current = date.fromisoformat(today)
    if not re.fullmatch(r"[0-9]{2}-[0-9]{2}", birthday):
        raise ValueError(f"birthday must look like MM-DD: {birthday!r}")
    month, day = int(birthday[:2]), int(birthday[3:])
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]):
        raise ValueError(f"not a calendar day: {birthday!r}")

    def occurrence(year: int) -> date:
        leap_fix = (month, day) == (2, 29) and not calendar.isleap(year)
        return date(year, month, 28 if leap_fix else day)

    upcoming = occurrence(current.year)
    if upcoming < current:
        upcoming = occurrence(current.year + 1)
    return (upcoming - current).days


def fiscal_quarter(iso_date: str, start_month: int) -> int:
    """Return the fiscal quarter (1 to 4) that an ISO date ('YYYY-MM-DD') falls in, for a fiscal year that
    begins on the first day of month `start_month` (1 = January): quarter 1 covers that month and the two
    following ones, and so on. Raise ValueError if the date is invalid or `start_month` is not 1 to 12.

    >>> fiscal_quarter("2024-10-15", 10)
    1
    >>> fiscal_quarter("2024-09-30", 10)
    4
    >>> fiscal_quarter("2024-05-01", 1)
    2
    """
    from datetime import date

    if not 1 <= start_month <= 12:
        raise ValueError("start_month must be between 1 and 12")
    month = date.fromisoformat(iso_date).month
    return (month - start_month) % 12 // 3 + 1


def last_weekday_of_month(year: int, month: int, weekday: int) -> str:
    """Return, as an ISO date 'YYYY-MM-DD', the last day of the given month that falls on `weekday`, where
    0 means Monday and 6 means Sunday. Raise ValueError if `month` is not 1 to 12, `weekday` is not 0 to 6,
    or `year` is not 1 to 9999.

    >>> last_weekday_of_month(2024, 11, 4)
    '2024-11-29'
    >>> last_weekday_of_month(2024, 2, 3)
    '2024-02-29'
    >>> last_weekday_of_month(2023, 12, 6)
    '2023-12-31'
    """
    import calendar
    from datetime import date

    if not 1 <= month <= 12:
        raise ValueError("month must be between 1 and 12")
    if not 0 <= weekday <= 6:
        raise ValueError("weekday must be between 0 and 6")
    last_day = date(year, month, calendar.monthrange(year, month)[1])
    return date(year, month, last_day.day - (last_day.weekday() - weekday) % 7).isoformat()


def merge_date_ranges(ranges: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each range is an inclusive pair (start, end) of ISO dates. Merge ranges that overlap or touch (the
    next one starts on or before the day after the previous one ends) and return the merged ranges sorted
    by start date. Raise ValueError for an invalid date or a range whose start is after its end.

    >>> merge_date_ranges([("2024-01-05", "2024-01-10"), ("2024-02-01", "2024-02-02"),
    ...                    ("2024-01-01", "2024-01-04")])
    [('2024-01-01', '2024-01-10'), ('2024-02-01', '2024-02-02')]
    >>> merge_date_ranges([("2024-03-01", "2024-03-31"), ("2024-03-10", "2024-03-12")])
    [('2024-03-01', '2024-03-31')]
    >>> merge_date_ranges([])
    []
    """
    from datetime import date

    parsed = []
    for start, end in ranges:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
        if first > last:
            raise ValueError(f"range starts after it ends: {start} > {end}")
        parsed.append((first, last))
    merged: list[list[date]] = []
    for first, last in sorted(parsed):
        if merged and (first - merged[-1][1]).days <= 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return [(first.isoformat(), last.isoformat()) for first, last in merged]


def age_in_full_years(birth_date: str, on_date: str) -> int:
    """Return the number of full years completed between an ISO birth date and a later ISO date, where a
    year is completed once the month and day of the birth date are reached. A person born on February 29
    completes a year on March 1 in years without February 29. Raise ValueError for an invalid date or when
    `on_date` is before `birth_date`.

    >>> age_in_full_years("1990-06-15", "2024-06-14")
    33
    >>> age_in_full_years("1990-06-15", "2024-06-15")
    34
    >>> age_in_full_years("2000-02-29", "2023-02-28")
    22
    >>> age_in_full_years("2020-01-01", "2020-01-01")
    0
    """
    from datetime import date

    born, on = date.fromisoformat(birth_date), date.fromisoformat(on_date)
    if on < born:
        raise ValueError("on_date is before birth_date")
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


def minutes_between_times(start: str, end: str) -> int:
    """Both arguments are 24-hour clock times 'HH:MM'. Return the number of minutes that pass going forward
    from `start` until the clock next shows `end`, wrapping past midnight when `end` is earlier than
    `start`; equal times give 0. Raise ValueError unless both times have exactly that form with an hour
    from 00 to 23 and a minute from 00 to 59.

    >>> minutes_between_times("09:15", "17:45")
    510
    >>> minutes_between_times("23:30", "00:15")
    45
    >>> minutes_between_times("12:00", "12:00")
    0
    """
    import re

    def to_minutes(clock: str) -> int:
        if not re.fullmatch(r"[0-9]{2}:[0-9]{2}", clock):
            raise ValueError(f"expected HH:MM, got {clock!r}")
        hours, minutes = int(clock[:2]), int(clock[3:])
        if hours > 23 or minutes > 59:
            raise ValueError(f"time out of range: {clock!r}")
        return hours * 60 + minutes

    return (to_minutes(end) - to_minutes(start)) % (24 * 60)


def is_last_day_of_month(iso_date: str) -> bool:
    """Decide whether an ISO date ('YYYY-MM-DD') is the final day of its month, taking leap years into
    account. Raise ValueError if the date is invalid.

    >>> is_last_day_of_month("2024-02-29")
    True
    >>> is_last_day_of_month("2023-02-28")
    True
    >>> is_last_day_of_month("2024-02-28")
    False
    >>> is_last_day_of_month("2024-04-30")
    True
    """
    import calendar
    from datetime import date

    day = date.fromisoformat(iso_date)
    return day.day == calendar.monthrange(day.year, day.month)[1]
