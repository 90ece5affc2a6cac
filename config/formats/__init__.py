"""Date and time formats per language where Django's own differ from what the network reads.

Every page writes dates through these names (``DATE_FORMAT``, ``SHORT_DATE_FORMAT``,
``TIME_FORMAT``, ``SHORT_DATETIME_FORMAT``): a short date names its month ("8 Dec 2026",
"8 déc 2026", "8 dic 2026") so it never reads as another day in another country (12/08 is
August in Paris and December in New York), and times are on the 24-hour clock. Machine outputs
(CSV, the API, iCalendar, ``<time datetime>``) keep ISO 8601.
"""
