"""TIMEX3 values of relative expressions and clock times; the rules for durations and sets."""

from __future__ import annotations

import re
from datetime import date, timedelta

from services.enrich.dates.absolute import Rule, Value
from services.enrich.dates.calendar import (
    Reference,
    add_months,
    day_value,
    month_value,
    nearest_weekday,
    nearest_year,
    quarter_of,
    shift_day,
    week_value,
)
from services.enrich.dates.durations import (
    APPROX,
    COUNT,
    UNIT,
    read_ahead,
    read_duration,
    read_set,
)
from services.enrich.dates.lexicon import (
    MONTHS,
    PARTS_OF_DAY,
    REFERENCE_WORDS,
    SET_WORDS,
    UNITS,
    WEEKDAYS,
    parse_count,
)
from services.enrich.dates.lexicon import alternation as alt

_DAYWORD = r"(?P<dayword>today|yesterday|tomorrow|tonight)"
_WEEKDAY = rf"(?P<weekday>{alt(WEEKDAYS)})"


def _focus_day(ref: Reference) -> date | None:
    return ref.focus or ref.anchor


def _day_of(dayword: str | None, weekday: str | None, ref: Reference) -> str:
    """The date part of an expression naming a day ("Monday", "yesterday") or of the focus."""
    if weekday:
        if ref.anchor is None:
            return f"XXXX-WXX-{WEEKDAYS[weekday]}"
        return day_value(nearest_weekday(ref.anchor, WEEKDAYS[weekday], ref.tense))
    base = ref.anchor if dayword else _focus_day(ref)
    if base is None:
        return "XXXX-XX-XX"
    step = {"yesterday": -1, "tomorrow": 1}.get(dayword or "", 0)
    return day_value(base + timedelta(days=step))


def _reference(m: re.Match[str], ref: Reference) -> Value | None:
    return "DATE", REFERENCE_WORDS[m["word"]]


def _weekday(m: re.Match[str], ref: Reference) -> Value | None:
    rel = m["rel"]
    if ref.anchor is None or rel is None:
        tense = ref.tense
    else:
        tense = "past" if rel == "last" else "future"
    if ref.anchor is not None and rel in ("last", "next"):
        start = ref.anchor + timedelta(days=-1 if rel == "last" else 1)
        return "DATE", day_value(nearest_weekday(start, WEEKDAYS[m["weekday"]], tense))
    return "DATE", _day_of(None, m["weekday"], Reference(ref.anchor, ref.focus, tense))


def _dayword(m: re.Match[str], ref: Reference) -> Value | None:
    if m["dayword"] == "tonight":
        return "TIME", f"{_day_of('today', None, ref)}TNI"
    return "DATE", _day_of(m["dayword"], None, ref)


def _fiscal_year(m: re.Match[str], ref: Reference) -> Value | None:
    """ "The current fiscal year" is this year, "the latest fiscal year" the one before."""
    if ref.anchor is None:
        return None
    back = any(w in m.group(0) for w in ("latest", "last", "previous", "prior"))
    return "DATE", f"{ref.anchor.year - back:04d}"


def _past_year(m: re.Match[str], ref: Reference) -> Value | None:
    """ "The past year" is read as last year, as "the last year" is."""
    return ("DATE", f"{ref.anchor.year - 1:04d}") if ref.anchor else None


def _last_night(m: re.Match[str], ref: Reference) -> Value | None:
    return "TIME", f"{_day_of('yesterday', None, ref)}TNI"


def _part_of_day(m: re.Match[str], ref: Reference) -> Value | None:
    # "this morning" is the publication's; "that morning" or "the morning" the day last spoken of.
    dayword = m["dayword"] or m["dayword2"] or ("today" if m.group(0).startswith("this ") else None)
    return "TIME", f"{_day_of(dayword, m['weekday'], ref)}T{PARTS_OF_DAY[m['part']]}"


def _named_day(m: re.Match[str], ref: Reference) -> str:
    """The date part of a clock time, from a day named before or after it."""
    groups = m.groupdict()
    if groups.get("month"):  # "until 5 p.m. EST Nov. 9"
        month, day = MONTHS[groups["month"]], int(groups["day"])
        if ref.anchor is None:
            return f"XXXX-{month:02d}-{day:02d}"
        return day_value(date(nearest_year(ref.anchor, month, day, ref.tense), month, day))
    dayword = groups.get("dayword") or groups.get("dayword2")
    return _day_of(dayword, groups.get("weekday") or groups.get("weekday2"), ref)


def _clock(m: re.Match[str], ref: Reference) -> Value | None:
    hour, minute = int(m["hour"]), int(m["minute"] or 0)
    meridiem = (m["meridiem"] or "").replace(".", "")
    if not (m["minute"] or meridiem or m["zone"]) or hour > 24 or minute > 59:
        return None
    if m["sep"] != ":" and not (meridiem or m["zone"]):
        return None  # "2.36" and "1130" are amounts unless a meridiem or zone says otherwise
    hour += 12 if meridiem == "pm" and hour < 12 else 0
    hour -= 12 if meridiem == "am" and hour == 12 else 0
    zone = "Z" if m["zone"] in ("utc", "gmt", "z") else ""
    return "TIME", f"{_named_day(m, ref)}T{hour:02d}:{minute:02d}{zone}"


def _named_time(m: re.Match[str], ref: Reference) -> Value | None:
    clock = "12:00" if m["named"] in ("noon", "midday") else "24:00"
    return "TIME", f"{_named_day(m, ref)}T{clock}"


def weekend_value(anchor: date, step: int, rel: str, tense: str | None) -> str:
    """The week of the weekend meant: "over the weekend" is the one just past unless the clause
    speaks of the future; "this weekend" is the one of the publication's week."""
    saturday = anchor + timedelta(days=6 - anchor.isoweekday())  # this week's
    if anchor.isoweekday() < 6:
        past = step < 0 or (step == 0 and rel == "the" and tense != "future")
        if past:
            saturday -= timedelta(weeks=1)
    elif step < 0:
        saturday -= timedelta(weeks=1)
    if step > 0:
        saturday += timedelta(weeks=1 if anchor.isoweekday() >= 6 else 0)
    return week_value(saturday) + "-WE"


def unit_value(unit: str, rel: str, ref: Reference) -> str | None:
    """The value of "this/last/next <unit>" at the unit's granularity."""
    step = {"last": -1, "previous": -1, "past": -1, "next": 1, "following": 1, "coming": 1}
    n = step.get(rel, 0)
    if unit == "weekend" and ref.anchor is not None and rel not in ("same", "that"):
        return weekend_value(ref.anchor, n, rel, ref.tense)
    anaphoric = ("same", "that", "the", "entire", "whole", "following", "previous")
    base = (ref.focus or ref.anchor) if rel in anaphoric else ref.anchor
    if base is None:
        return {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "weekend": "XXXX-WXX-WE",
                "month": "XXXX-XX", "quarter": "XXXX-QX", "year": "XXXX"}.get(unit)  # fmt: skip
    if unit == "day":
        return day_value(base + timedelta(days=n))
    if unit in ("week", "weekend"):
        return week_value(base + timedelta(weeks=n)) + ("-WE" if unit == "weekend" else "")
    if unit == "month":
        if rel in ("same", "that", "following", "previous") and ref.month is not None:
            # "In March ... The following month": from the month last named, not publication.
            year, month = int(ref.month[:4]), int(ref.month[5:7])
            return month_value(*add_months(year, month, n))
        return month_value(*add_months(base.year, base.month, n))
    if unit == "quarter":
        year, month = add_months(base.year, base.month, 3 * n)
        return f"{year:04d}-Q{quarter_of(month)}"
    if unit == "year":
        if rel in ("that", "same") and ref.topic_year is not None:
            return f"{ref.topic_year:04d}"  # "in June 1998 ... later that year": the year named
        return f"{base.year + n:04d}"
    if unit == "decade":
        return f"{(base.year // 10 + n):03d}"
    return None


def _this_unit(m: re.Match[str], ref: Reference) -> Value | None:
    rel = m.groupdict().get("rel") or "this"  # "earlier in the year" is this year
    rel = rel if rel == "the" else rel.removeprefix("the ")
    rel = "this" if rel == "current" else rel
    value = unit_value(m["unit"], rel, ref)
    return ("DATE", value) if value else None


def _same_month_before(m: re.Match[str], ref: Reference) -> Value | None:
    """ "Sales fell in January, compared to the same month a year ago": last year's January."""
    if ref.month is None:
        return None
    return "DATE", month_value(int(ref.month[:4]) - 1, int(ref.month[5:7]))


def _ago(m: re.Match[str], ref: Reference) -> Value | None:
    count, unit = parse_count(m["count"]), m["unit"]
    letter, clock, times = UNITS.get(unit, ("", True, 1))
    if count is None and m["dir"] == "ago":
        return "DATE", "PAST_REF"  # "several years ago": some time back
    if count is None or clock or count != int(count):
        return None
    n = int(count) * times * (1 if m["dir"] in ("later", "after", "from now") else -1)
    base = ref.anchor if m["dir"] in ("ago", "from now") else _focus_day(ref)
    if base is None:
        return "DATE", {"Y": "XXXX", "M": "XXXX-XX", "Q": "XXXX-XX"}.get(letter, "XXXX-XX-XX")
    if letter == "Y":
        return "DATE", f"{base.year + n:04d}"
    if letter in ("M", "Q"):
        return "DATE", month_value(
            *add_months(base.year, base.month, n * (3 if letter == "Q" else 1))
        )
    return "DATE", day_value(shift_day(base, days=n * (7 if letter == "W" else 1)))


_ZONE = r"(?:\s?\(?\s?(?P<zone>utc|gmt|z|[ecmp][sd]t|bst|cet)(?: ?[+-] ?\d{1,2})?\s?\)?)?"
_DAYPOS = rf"(?:(?:{_DAYWORD}|{_WEEKDAY}),? )?"
_DAYPOST = (
    (rf"(?:,? (?:on )?(?:{_DAYWORD}|{_WEEKDAY}|(?P<month>{alt(MONTHS)})\.? (?P<day>\d{{1,2}})))?")
    .replace("<dayword>", "<dayword2>")
    .replace("<weekday>", "<weekday2>")
)
RELATIVE_RULES: tuple[Rule, ...] = tuple(
    (re.compile(pattern), handler)
    for pattern, handler in (
        (rf"(?P<word>{alt(REFERENCE_WORDS)})", _reference),
        (
            rf"(?:(?:early|late|earlier|later) )?(?:(?P<rel>last|next|this|that|coming|past) )?"
            rf"{_WEEKDAY}",
            _weekday,
        ),
        (rf"(?:earlier |later |early |late )?{_DAYWORD}", _dayword),
        (r"(?:late |early )?last night", _last_night),
        (r"(?:the )?(?:current |this )(?:fiscal )?year", _fiscal_year),
        (r"(?:the )?(?:latest|last|previous|prior) fiscal year", _fiscal_year),
        (r"the full (?:fiscal )?year", _fiscal_year),
        (r"the past year", _past_year),
        (r"(?:around |by )?(?:year[- ]end|year's end)", _fiscal_year),
        (
            r"(?:earlier|later|early|late) in the (?P<unit>day|week|month|year)",
            _this_unit,
        ),
        (
            rf"(?:(?:early|late|earlier|later) |mid-?)?(?:(?:this|that|in the) )?{_DAYPOS}"
            rf"(?P<part>{alt(PARTS_OF_DAY)})(?: (?P<dayword2>yesterday|today|tomorrow))?",
            _part_of_day,
        ),
        (
            rf"{_DAYPOS}(?P<hour>\d{{1,2}})(?:(?P<sep>[:.])?(?P<minute>\d{{2}}))?\s?"
            rf"(?P<meridiem>a\.?m\.?|p\.?m\.?)?{_ZONE}{_DAYPOST}",
            _clock,
        ),
        (rf"{_DAYPOS}(?P<named>noon|midday|midnight){_DAYPOST}", _named_time),
        (
            r"(?:the )?same month (?:a year (?:ago|earlier|before)|last year|"
            r"of the previous year|the previous year)",
            _same_month_before,
        ),
        (
            r"(?:(?:about|around|nearly|almost|over|more than|some|roughly|just|only) )?"
            rf"{COUNT}[\s-]{UNIT}(?: or so)? (?P<dir>ago|earlier|later|before|after|from now)",
            _ago,
        ),
        (
            r"(?:(?:earlier|later|early|late|the end of|the beginning of|the start of) )?"
            r"(?P<rel>this|last|next|the same|that|the last|the previous|the following|"
            r"the current|current|"
            r"the coming|the entire|the whole|the) "
            r"(?P<unit>day|week|weekend|month|quarter|year|decade)",
            _this_unit,
        ),
        (r"(?:future|coming|upcoming) (?:days|weeks|months|quarters|years)", read_ahead),
        (
            rf"(?:(?P<word>{alt(SET_WORDS)})|(?:every|each) {_WEEKDAY}|"
            rf"(?:every|each|per|a|an|once a|twice a) (?:(?P<n>\d+) )?{UNIT})",
            read_set,
        ),
        (
            rf"(?:the )?{APPROX}(?:{COUNT}[\s-])?(?:straight |consecutive |trading |"
            rf"full |whole |long |more |calendar )?{UNIT}(?:[\s-](?:long|old|history|period))?",
            read_duration,
        ),
        (rf"(?:over )?(?:the |recent |several |many |few )+{UNIT}", read_duration),
    )
)
