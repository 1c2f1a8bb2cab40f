"""Date formats as regular expressions, for the API's schemas to state (`pattern`) what the server's own
checks accept: ASCII digits, years 1900 to 2099, months 01-12, days that exist (29 February in leap
years only). The checks that parse these values keep to the same bounds."""

YEAR_MIN, YEAR_MAX = 1900, 2099
YEAR = "(?:19|20)[0-9]{2}"
MONTH = "(?:0[1-9]|1[0-2])"
_LEAP_YEAR = "(?:(?:19|20)(?:0[48]|[2468][048]|[13579][26])|2000)"


def _day(year: str, leap_year: str) -> str:
    """YYYY-MM-DD naming a day that exists, for the years `year` (of which `leap_year` are leap years)."""
    return (
        f"(?:{year}-(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
        f"|{year}-(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
        f"|{year}-02-(?:0[1-9]|1[0-9]|2[0-8])"
        f"|{leap_year}-02-29)"
    )


DAY = _day(YEAR, _LEAP_YEAR)
# The days of a removal order or a detention: 1990 to 2099 (cases.validation.EARLIEST_RECORD_DATE).
RECORD_DAY = _day("(?:199[0-9]|20[0-9]{2})", "(?:199[26]|20(?:0[48]|[2468][048]|[13579][26]))")
